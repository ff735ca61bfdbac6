import { nearestSupport, type SupportContact } from '#domain/accounts.ts';
import { batchGetByKey, getByKey } from './by-key.ts';

/**
 * The support contact an email closes with (docs/product.md#emails): the one the recipient's
 * account shows its users, its own else the nearest ancestor's (domain/accounts.ts `nearestSupport`).
 * Read by key, two attributes, without ElectroDB (data/by-key.ts).
 *
 * `supportContacts()` is one cache, for one notifier invocation: an account is resolved once
 * (whatever the number of its emails in the batch), and an account is read at most once — its
 * own item (its path and contact), then, only when it has no contact of its own, the ancestors not
 * read yet in one BatchGetItem. An ancestor's path is the prefix of a descendant's, so an email to
 * an account already seen as an ancestor costs no read. An account not found has no contact.
 */
type Holder = { accountPath?: string[]; support?: SupportContact };

const hasContact = (s: SupportContact | undefined): boolean => nearestSupport([{ support: s }]) !== undefined;

export function supportContacts(): (accountId: string) => Promise<SupportContact | undefined> {
  /** Each account's path, root first, itself last (read, or known as the prefix of a descendant's). */
  const paths = new Map<string, readonly string[]>();
  /** Each read account's own contact (undefined: none of its own, or not found). */
  const own = new Map<string, SupportContact | undefined>();
  const resolved = new Map<string, Promise<SupportContact | undefined>>();

  async function resolve(accountId: string): Promise<SupportContact | undefined> {
    let path = paths.get(accountId);
    if (!path || !own.has(accountId)) {
      const holder = await getByKey<Holder>('account', accountId, ['accountPath', 'support']);
      own.set(accountId, holder?.support);
      if (!holder) return undefined;
      const read: readonly string[] = holder.accountPath?.length ? holder.accountPath : [accountId];
      read.forEach((id, i) => paths.set(id, read.slice(0, i + 1)));
      path = read;
    }
    const mine = own.get(accountId);
    if (hasContact(mine)) return mine;
    const missing = path.filter((id) => !own.has(id));
    if (missing.length) {
      const found = await batchGetByKey<Holder>('account', missing, ['support']);
      for (const id of missing) own.set(id, found.get(id)?.support);
    }
    return nearestSupport(path.map((id) => ({ support: own.get(id) })));
  }

  return (accountId) => {
    let contact = resolved.get(accountId);
    if (!contact) {
      contact = resolve(accountId);
      resolved.set(accountId, contact);
    }
    return contact;
  };
}

import type { EntityItem } from 'electrodb';
import { db, type AccountEntity } from './entities.ts';
import { ensureCommittedNamed, isConditionalFailure, retryOnConflict, RETRY, withCursor, type Page } from './tx.ts';
import { userItem, type NewUser } from './users.ts';
import { userCreatedItems } from './events.ts';
import type { OutboxItem } from '#emails/outbox.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { Conflict, NotFound, PreconditionFailed, TransientError } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { searchNameOf, suspendableOf, type AccountStatus, type AccountType } from '#domain/accounts.ts';
import { accountStatuses } from './token-reads.ts';

/**
 * The accounts repository (docs/product.md#accounts-and-tenancy): an account's keys (by id, under its parent, under the
 * root), its creation with its first admin in one transaction, and its edits under optimistic
 * locking. Who may create or edit what is decided by functions/services/accounts.ts.
 */
type AccountItem = EntityItem<AccountEntity>;

/** An account as the services read it: `parentId` is null for the distributor. */
export type Account = Omit<AccountItem, 'parentId'> & { parentId: string | null };
export type AccountSettings = Account['settings'];
export type CustomerAgreement = NonNullable<Account['customerAgreement']>;
export type { AccountType } from '#domain/accounts.ts';
export { DEFAULT_SETTINGS } from '#domain/accounts.ts';

const toAccount = ({ parentId, ...item }: AccountItem): Account => ({ ...item, parentId: parentId ?? null });

export async function getAccount(id: string): Promise<Account | undefined> {
  const found = await db().entities.account.get({ id }).go();
  return found.data ? toAccount(found.data) : undefined;
}

/**
 * Some accounts by id, in one BatchGetItem (unprocessed keys asked again, as accountStatuses does),
 * in the order asked; an account not found is undefined in its place.
 */
export async function getAccounts(ids: readonly string[]): Promise<Array<Account | undefined>> {
  const found = new Map<string, Account>();
  let keys = [...new Set(ids)].map((id) => ({ id }));
  for (let attempt = 0; keys.length && attempt < 4; attempt++) {
    const page = await db().entities.account.get(keys).go();
    for (const a of page.data) found.set(a.id, toAccount(a));
    keys = page.unprocessed.map((k) => ({ id: k.id }));
  }
  if (keys.length) throw new TransientError('The accounts could not be read; try again.');
  return ids.map((id) => found.get(id));
}

export interface NewAccount {
  type: AccountType;
  name: string;
  address?: Account['address'];
  settings: AccountSettings;
  support?: Account['support'];
}

/**
 * Creates an account under `parent` with its first admin and the emails that go with them (an
 * invitation), in one transaction; a taken login is 409 `login_taken`. `fixedId` is for the
 * distributor the local stack bootstraps.
 */
export async function createAccountWithAdmin(
  parent: Account | null,
  input: NewAccount,
  admin: NewUser & { id?: string },
  outbox: OutboxItem[] = [],
  fixedId?: string,
): Promise<{ account: Account; admin: ReturnType<typeof userItem> }> {
  const id = fixedId ?? newId('account');
  const account: AccountItem = {
    id,
    type: input.type,
    ...(parent ? { parentId: parent.id } : {}),
    rootId: parent ? parent.rootId : id,
    accountPath: [...(parent?.accountPath ?? []), id],
    name: input.name,
    searchName: searchNameOf(input.name),
    status: 'active',
    settings: input.settings,
    ...(input.address ? { address: input.address } : {}),
    ...(input.support ? { support: input.support } : {}),
    createdAt: clock.nowIso(),
    version: 1,
  };
  const user = userItem({ ...admin, accountId: id, accountType: input.type, accountPath: account.accountPath });
  const result = await db()
    .transaction.write(({ account: accounts, user: users, loginName, outbox: outboxes, event }) => [
      accounts.create(account).commit(),
      users.create(user).commit(),
      loginName.create({ login: user.login.toLowerCase(), userId: user.id }).commit(),
      // The invitation belongs to the new account, whose id is made here: its support contact closes the email.
      ...outbox.map((o) => outboxes.create({ accountId: id, ...o }).commit()),
      // After the items named below: the first admin's `user.created` (docs/api.md#events).
      ...userCreatedItems(user).map((e) => event.put(e).commit()),
    ])
    .go();
  ensureCommittedNamed(result, ['account', 'admin', 'adminLogin', ...outbox.map(() => 'email' as const)], (name) =>
    name === 'adminLogin' ? new Conflict('login_taken', 'This login is already used.', [{ path: 'admin.login' }]) : new Error(`Account create conflict at ${name}`),
  );
  return { account: toAccount(account), admin: user };
}

export interface AccountFilters {
  type?: AccountType;
  status?: AccountStatus;
  /** Only the accounts directly below this one (already authorized by the caller's service). */
  parentId?: string;
  /** A part of the name, as `searchNameOf` gives it (accents off, lower-cased). */
  q?: string;
  limit: number;
  cursor?: string;
}

/**
 * Accounts below the caller's (docs/product.md#accounts-and-users `GET /v1/accounts`), newest
 * first by creation: one Query of the parent index (`parentId`, or a reseller's own children) or
 * of the root index (everything under the distributor), with the filters as a filter expression.
 * DynamoDB filters after its `Limit`, so a page may hold fewer than `limit` accounts, or none,
 * while `nextCursor` still leads on (docs/data-model.md, pages and filters). `q` matches the
 * lower-cased copy of the name (`searchName`); an account named before that copy existed is
 * matched on its name as typed.
 */
export async function listAccountsInScope(caller: Caller, opts: AccountFilters): Promise<Page<Account>> {
  const accounts = db().entities.account;
  if (caller.accountType === 'customer' && !opts.parentId) {
    const own = await getAccount(caller.accountId);
    const keep = own && matchesFilters(own, opts);
    return { items: keep ? [own] : [], nextCursor: null };
  }
  const query = opts.parentId
    ? accounts.query.byParent({ parentId: opts.parentId })
    : caller.accountType === 'distributor'
      ? accounts.query.byRoot({ rootId: caller.accountId })
      : accounts.query.byParent({ parentId: caller.accountId });
  const filtered = query.where((a, op) =>
    [
      op.ne(a.id, caller.accountId),
      opts.type ? op.eq(a.type, opts.type) : '',
      opts.status ? op.eq(a.status, opts.status) : '',
      opts.q ? `(${op.contains(a.searchName, searchNameOf(opts.q))} OR (${op.notExists(a.searchName)} AND ${op.contains(a.name, opts.q)}))` : '',
    ]
      .filter(Boolean)
      .join(' AND '),
  );
  const page = await withCursor(opts.cursor, (cursor) => filtered.go({ cursor, limit: opts.limit, pages: 1, order: 'desc' }));
  return { items: page.data.map(toAccount), nextCursor: page.cursor ?? null };
}

/** The same filters, applied to one account in memory (a customer's list holds only itself). */
function matchesFilters(a: Account, f: Pick<AccountFilters, 'type' | 'status' | 'q'>): boolean {
  if (f.type && a.type !== f.type) return false;
  if (f.status && a.status !== f.status) return false;
  return !f.q || (a.searchName ?? searchNameOf(a.name)).includes(searchNameOf(f.q));
}

export { accountStatuses };

/**
 * The first suspended account of a path (the account itself or one above it), or undefined: a
 * suspended account's users cannot sign in and its orders wait (docs/product.md#accounts-and-tenancy).
 * The root is never read (nobody can suspend it): the distributor's own people cost no read.
 */
export async function suspendedAccountOn(accountPath: readonly string[], opts: { consistent?: boolean } = { consistent: true }): Promise<string | undefined> {
  const ids = suspendableOf(accountPath);
  if (!ids.length) return undefined;
  const statuses = await accountStatuses(ids, opts);
  return ids.find((id) => statuses.get(id) === 'suspended');
}

/** An account is in its own scope: the shape platform/scope.ts checks. */
export function accountScope(a: Account | undefined) {
  return a && { ...a, accountId: a.id };
}

/**
 * What an account edit may set; `support: null` removes the account's own support contact. A
 * new name also rewrites `searchName`; `status` is a suspension or a reactivation.
 */
export type AccountChanges = Partial<Pick<Account, 'name' | 'address' | 'settings' | 'status'>> & {
  support?: NonNullable<Account['support']> | null;
  /** null removes the billing contact (the emails go to the admins again). */
  billingContact?: NonNullable<Account['billingContact']> | null;
};

/**
 * Edits an account under optimistic locking on `version`; `change` sees the current account and
 * answers the fields to set (or throws to refuse). `ifMatch` (If-Match) refuses with 412 when the
 * account is no longer at that version.
 */
export async function updateAccount(id: string, change: (current: Account) => AccountChanges, opts: { ifMatch?: number } = {}): Promise<Account> {
  return retryOnConflict(
    async () => {
      const found = await db().entities.account.get({ id }).go({ consistent: true });
      if (!found.data) throw new NotFound();
      const current = toAccount(found.data);
      if (opts.ifMatch !== undefined && opts.ifMatch !== current.version) throw new PreconditionFailed(current.version);
      const { support, billingContact, ...rest } = change(current);
      const set = { ...rest, ...(rest.name ? { searchName: searchNameOf(rest.name) } : {}), ...(support ? { support } : {}), ...(billingContact ? { billingContact } : {}), version: current.version + 1 };
      const removed = [...(support === null ? (['support'] as const) : []), ...(billingContact === null ? (['billingContact'] as const) : [])];
      try {
        const patch = db().entities.account.patch({ id }).set(set);
        const updated = await (removed.length ? patch.remove(removed) : patch)
          .where((a, op) => op.eq(a.version, current.version))
          .go({ response: 'all_new' });
        return toAccount(updated.data);
      } catch (err) {
        if (!isConditionalFailure(err)) throw err;
        return RETRY;
      }
    },
    { tries: 10, exhausted: () => new TransientError('The account kept changing; try again.') },
  );
}

/** The resellers directly under an account (the distributor): one Query of the parent index, every page. */
export async function resellersOf(parentId: string): Promise<Account[]> {
  const found = await db()
    .entities.account.query.byParent({ parentId })
    .where((a, op) => op.eq(a.type, 'reseller'))
    .go({ pages: 'all' });
  return found.data as Account[];
}

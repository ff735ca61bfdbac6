import type { EntityItem } from 'electrodb';
import { db, type DomainEntity, type SubscriptionEntity } from './entities.ts';
import { ensureCommittedNamed, retryOnConflict, RETRY } from './tx.ts';
import { domainStatusItems } from './events.ts';
import type { CustomerAgreement } from './accounts.ts';
import type { OutboxItem } from '#emails/outbox.ts';
import { Conflict, TransientError } from '#platform/errors.ts';
import type { Company } from '#platform/vendor/port.ts';
import type { DomainStatus } from '#domain/catalog.ts';

/**
 * The Microsoft domains of customer accounts (docs/product.md#microsoft-domains) and the names they hold: a name is held
 * by one domain of this deployment (the `domainName` item, created in the domain's transaction).
 */
type DomainItem = EntityItem<DomainEntity>;

/** A domain as stored; `company` is the one its tenant was created for (mode `create`). */
export type Domain = Omit<DomainItem, 'company'> & { company?: Company };
/** A domain to write for the first time (its version is 1). */
export type NewDomain = Omit<Domain, 'version'>;

const asDomain = (d: DomainItem): Domain => d;

export async function getDomain(id: string, consistent = false): Promise<Domain | undefined> {
  const found = await db().entities.domain.get({ id }).go({ consistent });
  return found.data ? asDomain(found.data) : undefined;
}

export async function isDomainNameHeld(name: string): Promise<boolean> {
  const found = await db().entities.domainName.get({ name: name.toLowerCase() }).go();
  return Boolean(found.data);
}

/** The domains of an account, those whose tenant could not be created left out. */
export async function listDomains(accountId: string): Promise<Domain[]> {
  const result = await db().entities.domain.query.byAccount({ accountId }).go({ pages: 'all' });
  return result.data.map(asDomain).filter((d) => d.status !== 'failed');
}

/** What the domains view shows of a subscription on a domain. */
export type DomainSubscription = Pick<EntityItem<SubscriptionEntity>, 'id' | 'name' | 'quantity' | 'assignedCount' | 'status' | 'domainId'>;

/** All subscriptions of an account (for the domains view: few per account). */
export async function subscriptionsOfAccount(accountId: string): Promise<DomainSubscription[]> {
  const result = await db().entities.subscription.query.byAccount({ accountId }).go({ pages: 'all' });
  return result.data;
}

/**
 * Holds the name and writes the domain, with the agreement it brings (recorded only if the account
 * has none yet) and the emails it sends, in one transaction: a name already held is a 409
 * `domain_taken` and nothing is written.
 */
export async function insertDomain(d: NewDomain, agreement?: CustomerAgreement, outbox: OutboxItem[] = []): Promise<Domain> {
  const result = await db()
    .transaction.write(({ domain, domainName, account, outbox: outboxes, event }) => [
      domainName.create({ name: d.domain.toLowerCase(), domainId: d.id }).commit(),
      domain.create({ ...d, version: 1 }).commit(),
      ...(agreement ? [account.patch({ id: d.accountId }).set({ customerAgreement: agreement }).where((a, op) => op.notExists(a.customerAgreement)).commit()] : []),
      ...outbox.map((o) => outboxes.create(o).commit()),
      // After the items `names` lists: the domain's first status to every feed of its path (docs/api.md#events).
      ...domainStatusItems(d, d.status, null).map((e) => event.put(e).commit()),
    ])
    .go();
  const names = ['name', 'domain', ...(agreement ? (['agreement'] as const) : []), ...outbox.map(() => 'email' as const)];
  ensureCommittedNamed(result, names, (name) =>
    name === 'name' ? new Conflict('domain_taken', `The domain ${d.domain} is already taken.`, [{ path: 'domain' }]) : new TransientError('The domain could not be written.'),
  );
  return { ...d, version: 1 };
}

/** Lets go of a domain whose tenant could not be created, and of its name. */
export async function releaseDomain(d: Pick<Domain, 'id' | 'domain'>): Promise<void> {
  await db()
    .transaction.write(({ domain, domainName }) => [domain.delete({ id: d.id }).commit(), domainName.delete({ name: d.domain.toLowerCase() }).commit()])
    .go();
}

/**
 * Records that the partner invitation of a linked domain was sent again, with its emails, in one
 * transaction conditioned on the domain still waiting for the acceptance and on the last sending
 * the caller read (`previous`), so two resends cannot both go out. Answers false when either
 * changed meanwhile (nothing written).
 */
export async function recordInvitationSent(domainId: string, sentAt: string, previous: string | undefined, outbox: OutboxItem[]): Promise<boolean> {
  const result = await db()
    .transaction.write(({ domain, outbox: outboxes }) => [
      domain
        .patch({ id: domainId })
        .set({ invitationSentAt: sentAt })
        .where((a, op) => `${op.eq(a.status, 'pending_partner_acceptance')} AND ${previous ? op.eq(a.invitationSentAt, previous) : op.notExists(a.invitationSentAt)}`)
        .commit(),
      ...outbox.map((o) => outboxes.create(o).commit()),
    ])
    .go();
  if (!result.canceled) return true;
  if (result.data[0]?.code === 'ConditionalCheckFailed' || result.data.some((d) => d.code === 'TransactionConflict')) return false;
  ensureCommittedNamed(result, ['domain', ...outbox.map(() => 'email' as const)], () => new TransientError('The invitation could not be written.'));
  return false;
}

/**
 * Moves a domain to `status` (a new version), only from `from` when given; answers the domain as
 * it now is, or undefined when it was not there or not in `from`. A new status writes its
 * `domain.status_changed` in the same transaction, conditioned on the status read (read again when
 * it moved meanwhile).
 */
export async function setDomainStatus(id: string, set: { status: DomainStatus; tenantId?: string }, from?: DomainStatus): Promise<Domain | undefined> {
  return retryOnConflict(
    async () => {
      const current = await getDomain(id, true);
      if (!current || (from && current.status !== from)) return undefined;
      const result = await db()
        .transaction.write(({ domain, event }) => [
          domain
            .patch({ id })
            .set(set)
            .add({ version: 1 })
            .where((a, op) => op.eq(a.status, current.status))
            .commit(),
          ...domainStatusItems(current, set.status, current.status).map((e) => event.put(e).commit()),
        ])
        .go();
      if (result.canceled) return RETRY;
      return { ...current, ...set, version: current.version + 1 };
    },
    { tries: 5 },
  );
}

import type { Money } from '#domain/money.ts';
import type { EntityItem } from 'electrodb';
import { auditItem, type AuditInput } from './audit.ts';
import { subscriptionChangeItems, subscriptionItems, type SubscriptionForEvent } from './events.ts';
import { billingKeys, termDueKeys } from './due-keys.ts';
import { db, type AssignmentEntity, type SubscriptionEntity } from './entities.ts';
import { ensureCommittedNamed, retryOnConflict, RETRY, scopedQuery, withCursor, type Page, type TxOutcome } from './tx.ts';
import type { OutboxItem } from '#emails/outbox.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { Conflict, PreconditionFailed, TransientError } from '#platform/errors.ts';
import type { Window } from '#domain/subscription-rules.ts';

/**
 * The subscriptions repository (docs/product.md#subscriptions-and-licenses, docs/product.md#scheduled-jobs): reads, the license assignments, changes under
 * optimistic locking on `version`, and the writes of the renewals job. Every key, condition and
 * transaction about a subscription is here; the rules that decide them are in services/ and domain/.
 */
export type Subscription = EntityItem<SubscriptionEntity>;
export type Assignment = EntityItem<AssignmentEntity>;

/** What a change may set on a subscription (not its keys, scope or version, which are the repository's). */
export type SubscriptionChange = Partial<
  Pick<Subscription, 'quantity' | 'scheduledQuantity' | 'autoRenew' | 'status' | 'cancellationWindows' | 'cancellation'>
>;

/** A scheduled change at renewal as stored: its quantity in `scheduledQuantity`, its product and offer in `scheduledChange`. */
export type ScheduledChangeFields = Pick<Subscription, 'scheduledQuantity' | 'scheduledChange'>;

const tooBusy = () => new TransientError('Too many concurrent changes to this subscription; try again.');
/** Assignments race each other hard (a whole team assigned at once): more tries, short pauses. */
const SEAT_RETRY = { tries: 25, baseMs: 20, capMs: 400, exhausted: tooBusy };

export async function getSubscription(id: string, consistent = false): Promise<Subscription | undefined> {
  const found = await db().entities.subscription.get({ id }).go({ consistent });
  return found.data ?? undefined;
}

export interface SubscriptionFilters {
  accountId?: string;
  status?: Subscription['status'];
  domainId?: string;
  selfService?: boolean;
  /** A customer `user` sees only what it bought itself. */
  buyerUserId?: string;
  limit: number;
  cursor?: string;
}

/** The license inventory in the caller's scope: one Query on the owner, parent or root index. */
export async function listSubscriptions(caller: Caller, f: SubscriptionFilters): Promise<Page<Subscription>> {
  const subs = db().entities.subscription;
  const query = scopedQuery(subs.query, caller, f.accountId);
  const filtered = query.where((a, op) =>
    [
      f.status ? op.eq(a.status, f.status) : '',
      f.domainId ? op.eq(a.domainId, f.domainId) : '',
      f.selfService !== undefined ? op.eq(a.selfService, f.selfService) : '',
      f.buyerUserId ? `${op.eq(a.selfService, true)}` : '',
    ]
      .filter(Boolean)
      .join(' AND '),
  );
  const page = await withCursor(f.cursor, (cursor) => filtered.go({ cursor, count: f.limit, order: 'desc' }));
  const items = (page.data as Subscription[]).filter((s) => !f.buyerUserId || s.buyer.userId === f.buyerUserId);
  return { items, nextCursor: page.cursor ?? null };
}

/**
 * An account's subscriptions in use (pending, active or suspended; not expired or cancelled),
 * newest first: one Query of the account's subscriptions (gsi1), every page, with a status filter.
 */
export async function subscriptionsInUse(accountId: string): Promise<Subscription[]> {
  const result = await db()
    .entities.subscription.query.byAccount({ accountId })
    .where((a, op) => `${op.eq(a.status, 'pending')} OR ${op.eq(a.status, 'active')} OR ${op.eq(a.status, 'suspended')}`)
    .go({ pages: 'all', order: 'desc' });
  return result.data;
}

export async function listAssignments(subscriptionId: string): Promise<Assignment[]> {
  const result = await db().entities.assignment.query.bySubscription({ subscriptionId }).go({ pages: 'all' });
  return result.data;
}

/** One page of a subscription's assignments (GET /v1/subscriptions/{id}/assignments). */
export async function listAssignmentsPage(subscriptionId: string, p: { limit: number; cursor?: string }): Promise<Page<Assignment>> {
  const page = await withCursor(p.cursor, (cursor) => db().entities.assignment.query.bySubscription({ subscriptionId }).go({ cursor, limit: p.limit, pages: 1 }));
  return { items: page.data, nextCursor: page.cursor ?? null };
}

/** The licenses assigned to a user (GET /v1/me/licenses), through the assignments' user index. */
export async function assignmentsOfUser(userId: string): Promise<Assignment[]> {
  const result = await db().entities.assignment.query.byUser({ userId }).go({ pages: 'all' });
  return result.data;
}

/** A refused transaction item that lost a race (its condition, or another transaction) means: read again. */
function lostRace(result: TxOutcome): boolean {
  return result.data.some((d) => d.code === 'ConditionalCheckFailed' || d.code === 'TransactionConflict');
}

/**
 * Assigns licenses to users, never beyond `quantity` under any concurrency: the assignments and
 * the count move in one transaction whose condition is that the count read still leaves room
 * and the quantity is still the one read. Users who already hold a license are left as they are.
 */
export async function assignLicenses(subscriptionId: string, userIds: string[], by: string): Promise<{ assigned: string[]; subscription: Subscription }> {
  return retryOnConflict(async () => {
    const sub = await getSubscription(subscriptionId, true);
    if (!sub) throw new Conflict('invalid_state', 'The subscription is gone.');
    const holders = new Set((await listAssignments(subscriptionId)).map((a) => a.userId));
    const fresh = userIds.filter((u) => !holders.has(u));
    if (fresh.length === 0) return { assigned: [], subscription: sub };
    const free = sub.quantity - sub.assignedCount;
    if (fresh.length > free) {
      throw new Conflict('seats_exhausted', `Only ${Math.max(0, free)} of ${sub.quantity} licenses are free.`, [{ quantity: sub.quantity, assignedCount: sub.assignedCount, requested: fresh.length }]);
    }
    const now = clock.nowIso();
    const names = ['seatCount', ...fresh.map(() => 'assignment' as const)] as const;
    const result = await db()
      .transaction.write(({ subscription, assignment }) => [
        subscription
          .patch({ id: subscriptionId })
          .add({ assignedCount: fresh.length })
          .where((a, op) => `${op.lte(a.assignedCount, sub.quantity - fresh.length)} AND ${op.eq(a.quantity, sub.quantity)}`)
          .commit(),
        ...fresh.map((userId) => assignment.create({ subscriptionId, userId, accountId: sub.accountId, assignedAt: now, assignedBy: by }).commit()),
      ])
      .go();
    if (!result.canceled) return { assigned: fresh, subscription: { ...sub, assignedCount: sub.assignedCount + fresh.length } };
    // The count, the quantity or a holder changed meanwhile: read again and decide again.
    if (lostRace(result)) return RETRY;
    ensureCommittedNamed(result, names, tooBusy);
    return RETRY;
  }, SEAT_RETRY);
}

export async function unassignLicenses(subscriptionId: string, userIds: string[]): Promise<{ removed: string[]; subscription: Subscription }> {
  return retryOnConflict(async () => {
    const sub = await getSubscription(subscriptionId, true);
    if (!sub) throw new Conflict('invalid_state', 'The subscription is gone.');
    const holders = new Set((await listAssignments(subscriptionId)).map((a) => a.userId));
    const held = userIds.filter((u) => holders.has(u));
    if (held.length === 0) return { removed: [], subscription: sub };
    const names = ['seatCount', ...held.map(() => 'assignment' as const)] as const;
    const result = await db()
      .transaction.write(({ subscription, assignment }) => [
        subscription.patch({ id: subscriptionId }).subtract({ assignedCount: held.length }).where((a, op) => op.gte(a.assignedCount, held.length)).commit(),
        ...held.map((userId) => assignment.delete({ subscriptionId, userId }).where((a, op) => op.exists(a.assignedAt)).commit()),
      ])
      .go();
    if (!result.canceled) return { removed: held, subscription: { ...sub, assignedCount: sub.assignedCount - held.length } };
    if (lostRace(result)) return RETRY;
    ensureCommittedNamed(result, names, tooBusy);
    return RETRY;
  }, SEAT_RETRY);
}

/**
 * Changes a subscription under optimistic locking on `version`: `change` sees the current record
 * and answers the new values (or throws to refuse); a concurrent change makes it try again on the
 * fresh record, so two changes never lose one another. `ifMatch`, the version the client read
 * (If-Match), refuses with 412 when the subscription has moved on.
 */
export async function changeSubscription(
  id: string,
  change: (current: Subscription) => SubscriptionChange,
  opts: { ifMatch?: number } = {},
): Promise<Subscription> {
  return retryOnConflict(
    async () => {
      const current = await getSubscription(id, true);
      if (!current) throw new Conflict('invalid_state', 'The subscription is gone.');
      if (opts.ifMatch !== undefined && opts.ifMatch !== current.version) throw new PreconditionFailed(current.version);
      const set = change(current);
      // A change an integration sees (auto-renew, quantity…) writes its `subscription.changed` with it (docs/api.md#events).
      const events = subscriptionChangeItems(current, set);
      if (events.length) {
        const result = await db()
          .transaction.write(({ subscription, event }) => [
            subscription
              .patch({ id })
              .set({ ...set, version: current.version + 1 })
              .where((a, op) => op.eq(a.version, current.version))
              .commit(),
            ...events.map((e) => event.put(e).commit()),
          ])
          .go();
        if (result.canceled) return RETRY;
        return { ...current, ...set, version: current.version + 1 } as Subscription;
      }
      const updated = await db()
        .entities.subscription.patch({ id })
        .set({ ...set, version: current.version + 1 })
        .where((a, op) => op.eq(a.version, current.version))
        .go({ response: 'all_new' });
      return updated.data as Subscription;
    },
    { ...SEAT_RETRY },
  );
}

/**
 * Sets (or, with `{}`, drops) the change scheduled for the renewal, under optimistic locking like
 * `changeSubscription`: `decide` sees the current record and answers both fields; a field it leaves
 * out is removed, so a change replaces the previous one whole (docs/data-model.md).
 */
export async function setScheduledChange(id: string, decide: (current: Subscription) => ScheduledChangeFields, opts: { ifMatch?: number } = {}): Promise<Subscription> {
  return retryOnConflict(
    async () => {
      const current = await getSubscription(id, true);
      if (!current) throw new Conflict('invalid_state', 'The subscription is gone.');
      if (opts.ifMatch !== undefined && opts.ifMatch !== current.version) throw new PreconditionFailed(current.version);
      const next = decide(current);
      const updated = await db()
        .entities.subscription.patch({ id })
        .set({
          ...(next.scheduledQuantity !== undefined ? { scheduledQuantity: next.scheduledQuantity } : {}),
          ...(next.scheduledChange !== undefined ? { scheduledChange: next.scheduledChange } : {}),
          version: current.version + 1,
        })
        .remove([...(next.scheduledQuantity === undefined ? (['scheduledQuantity'] as const) : []), ...(next.scheduledChange === undefined ? (['scheduledChange'] as const) : [])])
        .where((a, op) => op.eq(a.version, current.version))
        .go({ response: 'all_new' });
      return updated.data as Subscription;
    },
    { ...SEAT_RETRY },
  );
}

export async function setAutoRenew(id: string, autoRenew: boolean, opts: { ifMatch?: number } = {}): Promise<Subscription> {
  return changeSubscription(id, () => ({ autoRenew }), opts);
}

/* ----- The renewals job's writes (services/renewals.ts) ----- */

/**
 * What a renewal sets on its subscription, for insertSubscriptionOrder (data/orders.ts): the new
 * term, the quantity, the window it opens, and its place in the due indexes — by its new term's
 * last day, and by its next billing period when billed monthly within a longer term.
 */
export function renewalChange(
  sub: Pick<Subscription, 'id' | 'version'>,
  renewed: {
    quantity: number;
    termStart: string;
    termEnd: string;
    nextBillingDate?: string;
    cancellationWindows: Window[];
    unitPrice: Money;
    unitChain: unknown;
    /** The product and offer of the new term when a scheduled change moves it (domain/scheduled-change.ts). */
    offer?: Pick<Subscription, 'productId' | 'offerId' | 'sku' | 'name' | 'term' | 'billingPeriod'>;
  },
) {
  return {
    id: sub.id,
    version: sub.version,
    // The change scheduled for this renewal is applied by it: gone in the same write; so is a trial, converted by it.
    remove: ['scheduledQuantity', 'scheduledChange', 'trial'] as Array<'scheduledQuantity' | 'scheduledChange' | 'trial'>,
    set: {
      ...renewed.offer,
      quantity: renewed.quantity,
      // The next term's price (docs/commerce.md): what its periods and changes bill.
      unitPrice: renewed.unitPrice,
      unitChain: renewed.unitChain,
      currentTermStart: renewed.termStart,
      currentTermEnd: renewed.termEnd,
      cancellationWindows: renewed.cancellationWindows,
      ...termDueKeys(sub.id, renewed.termEnd),
      ...(renewed.nextBillingDate ? billingKeys(sub.id, renewed.nextBillingDate) : {}),
    },
  };
}

/**
 * Expires a subscription whose term ended on `ended` with its audit event, in one transaction; it
 * leaves the due and billing indexes. False when another run (or a change) got there first.
 */
export async function expireSubscription(sub: SubscriptionForEvent & { version: number }, ended: string, audit: AuditInput): Promise<boolean> {
  const result = await db()
    .transaction.write(({ subscription, auditEvent, event }) => [
      subscription
        .patch({ id: sub.id })
        .set({ status: 'expired', version: sub.version + 1 })
        .remove(['dueKey', 'dueSort', 'billKey', 'billSort', 'nextBillingDate'])
        .where((a, op) => `${op.eq(a.version, sub.version)} AND ${op.eq(a.currentTermEnd, ended)}`)
        .commit(),
      auditEvent.create(auditItem(audit)).commit(),
      ...subscriptionItems({ ...sub, status: 'expired' }, 'expired').map((e) => event.put(e).commit()),
    ])
    .go();
  return !result.canceled;
}

/**
 * Records that the reminder for the term ending on `termEnd` was sent, with its emails in the
 * outbox, in one transaction: a second run for the same term writes nothing. False when it was
 * already sent (or the term moved).
 */
export async function recordRenewalReminder(id: string, termEnd: string, emails: OutboxItem[]): Promise<boolean> {
  const result = await db()
    .transaction.write(({ subscription, outbox }) => [
      subscription
        .patch({ id })
        .set({ reminderSentFor: termEnd })
        .where((a, op) => `${op.eq(a.currentTermEnd, termEnd)} AND (${op.notExists(a.reminderSentFor)} OR ${op.ne(a.reminderSentFor, termEnd)})`)
        .commit(),
      ...emails.map((email) => outbox.create(email).commit()),
    ])
    .go();
  return !result.canceled;
}

import { db } from './entities.ts';
import { backOff, isConditionalFailure, scopedQuery, withCursor, type Page } from './tx.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { Conflict, TransientError } from '#platform/errors.ts';
import type { Money } from '#domain/money.ts';

export interface Subscription {
  id: string;
  accountId: string;
  accountPath: string[];
  productId: string;
  offerId: string;
  sku: string;
  name: string;
  term: string;
  billingPeriod: string;
  quantity: number;
  assignedCount: number;
  scheduledQuantity?: number;
  status: 'pending' | 'active' | 'suspended' | 'expired' | 'cancelled';
  autoRenew: boolean;
  startDate?: string;
  currentTermStart?: string;
  currentTermEnd?: string;
  domain: string;
  domainId: string;
  selfService: boolean;
  buyer: { userId: string; name: string };
  unitPrice: Money;
  cancellationWindows: Array<{ quantity: number; until: string; orderId?: string }>;
  cancellation?: { reason: string; comment?: string; at: string; by: string };
  orderId: string;
  createdAt: string;
  version: number;
}

export async function getSubscription(id: string, consistent = false): Promise<Subscription | undefined> {
  const found = await db().entities.subscription.get({ id }).go({ consistent });
  return (found.data as Subscription | null) ?? undefined;
}

/** The subscription as the API shows it (SPEC §4.1.1); windows already closed are not shown. */
export function subscriptionView(s: Subscription, now: Date) {
  return {
    id: s.id,
    accountId: s.accountId,
    productId: s.productId,
    offerId: s.offerId,
    name: s.name,
    sku: s.sku,
    term: s.term,
    billingPeriod: s.billingPeriod,
    quantity: s.quantity,
    assignedCount: s.assignedCount,
    scheduledQuantity: s.scheduledQuantity ?? null,
    status: s.status,
    autoRenew: s.autoRenew,
    startDate: s.startDate ?? null,
    currentTermStart: s.currentTermStart ?? null,
    currentTermEnd: s.currentTermEnd ?? null,
    domain: s.domain,
    domainId: s.domainId,
    selfService: s.selfService,
    buyer: s.buyer,
    unitPrice: s.unitPrice,
    cancellationWindows: s.cancellationWindows.filter((w) => new Date(w.until) > now).map((w) => ({ quantity: w.quantity, until: w.until })),
    cancellation: s.cancellation ? { reason: s.cancellation.reason, comment: s.cancellation.comment ?? null, at: s.cancellation.at } : null,
    orderId: s.orderId,
    createdAt: s.createdAt,
  };
}

export async function setAutoRenew(id: string, autoRenew: boolean): Promise<Subscription> {
  return changeSubscription(id, () => ({ autoRenew }));
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

export interface Assignment {
  subscriptionId: string;
  userId: string;
  accountId: string;
  assignedAt: string;
  assignedBy: string;
}

export async function listAssignments(subscriptionId: string): Promise<Assignment[]> {
  const result = await db().entities.assignment.query.bySubscription({ subscriptionId }).go({ pages: 'all' });
  return result.data as Assignment[];
}

/** One page of a subscription's assignments (GET /v1/subscriptions/{id}/assignments). */
export async function listAssignmentsPage(subscriptionId: string, p: { limit: number; cursor?: string }): Promise<Page<Assignment>> {
  const page = await withCursor(p.cursor, (cursor) => db().entities.assignment.query.bySubscription({ subscriptionId }).go({ cursor, limit: p.limit, pages: 1 }));
  return { items: page.data as Assignment[], nextCursor: page.cursor ?? null };
}

/** The licenses assigned to a user (GET /v1/me/licenses), through the assignments' user index. */
export async function assignmentsOfUser(userId: string): Promise<Assignment[]> {
  const result = await db().entities.assignment.query.byUser({ userId }).go({ pages: 'all' });
  return result.data as Assignment[];
}

const MAX_TRIES = 25;
const pause = (attempt: number) => backOff(attempt, { baseMs: 20, capMs: 400 });

/**
 * Assigns licenses to users, never beyond `quantity` under any concurrency: the assignments and
 * the count move in one transaction whose condition is that the count read still leaves room
 * and the quantity is still the one read. Users who already hold a license are left as they are.
 */
export async function assignLicenses(subscriptionId: string, userIds: string[], by: string): Promise<{ assigned: string[]; subscription: Subscription }> {
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
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
    if (!result.canceled) {
      return { assigned: fresh, subscription: { ...sub, assignedCount: sub.assignedCount + fresh.length } };
    }
    await pause(attempt);
  }
  throw new TransientError('Too many concurrent changes to this subscription; try again.');
}

export async function unassignLicenses(subscriptionId: string, userIds: string[]): Promise<{ removed: string[]; subscription: Subscription }> {
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const sub = await getSubscription(subscriptionId, true);
    if (!sub) throw new Conflict('invalid_state', 'The subscription is gone.');
    const holders = new Set((await listAssignments(subscriptionId)).map((a) => a.userId));
    const held = userIds.filter((u) => holders.has(u));
    if (held.length === 0) return { removed: [], subscription: sub };
    const result = await db()
      .transaction.write(({ subscription, assignment }) => [
        subscription.patch({ id: subscriptionId }).subtract({ assignedCount: held.length }).where((a, op) => op.gte(a.assignedCount, held.length)).commit(),
        ...held.map((userId) => assignment.delete({ subscriptionId, userId }).where((a, op) => op.exists(a.assignedAt)).commit()),
      ])
      .go();
    if (!result.canceled) return { removed: held, subscription: { ...sub, assignedCount: sub.assignedCount - held.length } };
    await pause(attempt);
  }
  throw new TransientError('Too many concurrent changes to this subscription; try again.');
}

/**
 * Changes a subscription under optimistic locking on `version`: `change` sees the current record
 * and answers the new values (or throws to refuse); a concurrent change makes it try again on the
 * fresh record, so two changes never lose one another.
 */
export async function changeSubscription(
  id: string,
  change: (current: Subscription) => Record<string, unknown>,
): Promise<Subscription> {
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const current = await getSubscription(id, true);
    if (!current) throw new Conflict('invalid_state', 'The subscription is gone.');
    const set = change(current);
    try {
      const updated = await db()
        .entities.subscription.patch({ id })
        .set({ ...set, version: current.version + 1 } as never)
        .where((a, op) => op.eq(a.version, current.version))
        .go({ response: 'all_new' });
      return updated.data as Subscription;
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      await pause(attempt);
    }
  }
  throw new TransientError('Too many concurrent changes to this subscription; try again.');
}


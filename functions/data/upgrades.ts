import { db } from './entities.ts';
import { billingKeys, invoiceDueKeys, termDueKeys, unstartedKeys } from './due-keys.ts';
import { InvoiceNumberTaken, lostNumber, takeNumber, type InvoiceSeat } from './invoices.ts';
import type { NewOrder, OrderInvoice, Order, SubscriptionChange } from './orders.ts';
import { requestKeyItem, type RequestKey } from './request-keys.ts';
import type { Assignment, Subscription } from './subscriptions.ts';
import { ensureCommittedNamed } from './tx.ts';
import { issuedInvoiceItems, orderStatusItems, subscriptionChangeItems, subscriptionItems, type EventItem } from './events.ts';
import { Conflict, TransientError } from '#platform/errors.ts';
import { correlationAttribute } from '#platform/correlation.ts';

/**
 * The writes of an upgrade (docs/product.md#upgrades): the `change` order with its netted invoice,
 * the source lowered (or ended), the target raised or created, and the assigned users that move,
 * all in one transaction conditioned on both subscriptions as read (their `version` and
 * `assignedCount`, which assignments move without a version). Of two upgrades of one subscription
 * only one commits; the other reads again. `releaseUpgrade` is what a failed or cancelled upgrade
 * order gives back.
 */

/** What an upgrade order's lines remember of it, to give it back should the vendor refuse it. */
export interface UpgradeMark {
  /** `from`: the subscription the licenses left; `to`: the one they went to. */
  role: 'from' | 'to';
  /** The target was created by this upgrade (it ends if the order fails). */
  created?: boolean;
  /** The users whose licenses moved with it. */
  movedUserIds: string[];
}

/** The target: an existing subscription raised (on its version and count as read) or a new one. */
export type UpgradeTarget =
  | { kind: 'existing'; id: string; version: number; assignedCount: number; set: SubscriptionChange['set'] }
  | { kind: 'new'; item: NewTarget };

/** A subscription an upgrade creates: active at once, on the source's term (its end and billing dates). */
export type NewTarget = Omit<Subscription, 'version' | 'dueKey' | 'dueSort' | 'billKey' | 'billSort' | 'reminderSentFor' | 'cancellation'> & { currentTermEnd: string };

/** The assignments of a subscription, read consistently (an upgrade moves exactly those its count says). */
export async function assignmentsOf(subscriptionId: string): Promise<Assignment[]> {
  const result = await db().entities.assignment.query.bySubscription({ subscriptionId }).go({ pages: 'all', consistent: true });
  return result.data;
}

/** Answers the order, or undefined when either subscription changed since read (the caller reads again). */
export async function insertUpgradeOrder(input: {
  order: NewOrder;
  invoice: OrderInvoice;
  seat: InvoiceSeat;
  requestKey?: RequestKey;
  source: { id: string; version: number; assignedCount: number; set: SubscriptionChange['set'] };
  target: UpgradeTarget;
  /** The assignments that move (as read on the source); `alreadyHeld`: users who hold a target license already (theirs is only taken off the source). */
  moves: Assignment[];
  alreadyHeld: ReadonlySet<string>;
  targetId: string;
  by: string;
}): Promise<Order | undefined> {
  const { order, invoice, source, target, moves, requestKey } = input;
  const scope = { accountId: order.accountId, parentId: order.parentId, rootId: order.rootId, accountPath: order.accountPath };
  const item = { ...order, updatedAt: order.createdAt, version: 1 };
  const created = moves.filter((m) => !input.alreadyHeld.has(m.userId));
  type Name = 'order' | 'invoice' | 'counter' | 'source' | 'target' | 'unassign' | 'assign' | 'requestKey' | 'event';
  // The order placed and its invoice issued, to every feed of the account's path (docs/api.md#events),
  // and what it does to both subscriptions when the transaction has room for it.
  const orderEvents = [...orderStatusItems(item, item.status, null), ...issuedInvoiceItems({ ...invoice, ...scope })];
  const written = 5 + moves.length + created.length + (requestKey ? 1 : 0);
  const events = [...orderEvents, ...(await upgradeSubscriptionEvents(source, target, MAX_ITEMS - written - orderEvents.length))];
  const names: Name[] = [
    'order',
    'invoice',
    'counter',
    'source',
    'target',
    ...moves.map(() => 'unassign' as const),
    ...created.map(() => 'assign' as const),
    ...(requestKey ? (['requestKey'] as const) : []),
    ...events.map(() => 'event' as const),
  ];
  const result = await db()
    .transaction.write(({ order: orders, invoice: invoices, subscription, assignment, requestKey: requestKeys, counter, event }) => [
      orders.create({ ...item, ...unstartedKeys(item.id, item.createdAt), ...correlationAttribute() }).commit(),
      invoices.create({ ...invoice, ...scope, createdAt: order.createdAt, version: 1, ...(invoice.status === 'unpaid' ? invoiceDueKeys(invoice.id, invoice.dueAt) : {}) }).commit(),
      takeNumber(counter, input.seat),
      subscription
        .patch({ id: source.id })
        .set({ ...source.set, version: source.version + 1 })
        .where((a, op) => `${op.eq(a.version, source.version)} AND ${op.eq(a.assignedCount, source.assignedCount)} AND ${op.eq(a.status, 'active')}`)
        .commit(),
      target.kind === 'existing'
        ? subscription
            .patch({ id: target.id })
            .set({ ...target.set, version: target.version + 1 })
            .where((a, op) => `${op.eq(a.version, target.version)} AND ${op.eq(a.assignedCount, target.assignedCount)} AND ${op.eq(a.status, 'active')}`)
            .commit()
        : subscription
            .create({
              ...target.item,
              version: 1,
              // On the renewals job's index with its term end, and on the billing index when a monthly-billed term is billed again.
              ...termDueKeys(target.item.id, target.item.currentTermEnd),
              ...(target.item.nextBillingDate ? billingKeys(target.item.id, target.item.nextBillingDate) : {}),
            })
            .commit(),
      ...moves.map((m) =>
        assignment
          .delete({ subscriptionId: source.id, userId: m.userId })
          .where((a, op) => op.exists(a.userId))
          .commit(),
      ),
      ...created.map((m) => assignment.create({ subscriptionId: input.targetId, userId: m.userId, accountId: m.accountId, assignedAt: order.createdAt, assignedBy: input.by }).commit()),
      ...(requestKey ? [requestKeys.create(requestKeyItem(requestKey, order.id, order.createdAt)).commit()] : []),
      ...events.map((e) => event.put(e).commit()),
    ])
    .go();
  if (!result.canceled) return item;
  const refused = (name: Name) => result.data.some((d, i) => names[i] === name && d.code === 'ConditionalCheckFailed');
  if (refused('requestKey')) throw new Conflict('idempotency_in_progress', 'Another request with this Idempotency-Key placed an order.');
  // Either subscription or its assignments changed since read: read again and decide again.
  if (refused('source') || refused('target') || refused('unassign') || refused('assign')) return undefined;
  if (lostNumber(result, names.indexOf('counter'))) throw new InvoiceNumberTaken();
  // Two transactions on the same items at once: the loser reads again too.
  if (result.data.some((d) => d.code === 'TransactionConflict')) return undefined;
  ensureCommittedNamed(result, names, (name) => new TransientError(`The upgrade could not be written (${name}).`));
  return undefined;
}

/** DynamoDB's limit of items in one transaction. */
const MAX_ITEMS = 100;

/**
 * The `subscription.changed` of an upgrade's source (lowered or ended) and target (raised, or
 * created active), each existing one read first (cons.); left out when the placement's transaction
 * has no room for them (the most assignments moved): the completion's events still come.
 */
async function upgradeSubscriptionEvents(source: { id: string; set: SubscriptionChange['set'] }, target: UpgradeTarget, room: number): Promise<EventItem[]> {
  const [sourceRead, targetRead] = await Promise.all([
    db().entities.subscription.get({ id: source.id }).go({ consistent: true }),
    target.kind === 'existing' ? db().entities.subscription.get({ id: target.id }).go({ consistent: true }) : undefined,
  ]);
  const items = [
    ...(sourceRead.data ? subscriptionChangeItems(sourceRead.data, source.set) : []),
    ...(target.kind === 'existing' ? (targetRead?.data ? subscriptionChangeItems(targetRead.data, target.set) : []) : subscriptionItems(target.item, 'activated')),
  ];
  return items.length <= room ? items : [];
}

const markOf = (line: Order['lines'][number]): UpgradeMark | undefined => (line as { upgrade?: UpgradeMark }).upgrade;

/** Whether an order is an upgrade (a `change` order whose lines carry the upgrade's marks). */
export const isUpgradeOrder = (order: Pick<Order, 'type' | 'lines'>): boolean => order.type === 'change' && order.lines.some((l) => markOf(l) !== undefined);

/**
 * What a failed or cancelled upgrade gives back: the licenses and the windows to the source (active
 * again if it had ended), the target lowered by as many (ended if the upgrade created it), and the
 * users who moved and still hold the target's license moved back. Read fresh, written with the
 * order's move (data/orders.ts `moveOrder`).
 */
export async function releaseUpgrade(order: Order): Promise<{ subscriptions: SubscriptionChange[]; assignments: AssignmentMove[] }> {
  const from = order.lines.find((l) => markOf(l)?.role === 'from');
  const to = order.lines.find((l) => markOf(l)?.role === 'to');
  if (!from || !to) return { subscriptions: [], assignments: [] };
  const [source, target] = await Promise.all([from, to].map((l) => db().entities.subscription.get({ id: l.subscriptionId }).go({ consistent: true })));
  if (!source?.data || !target?.data) return { subscriptions: [], assignments: [] };
  const moved = markOf(to)!.movedUserIds;
  const holding = await Promise.all(moved.map((userId) => db().entities.assignment.get({ subscriptionId: target.data!.id, userId }).go({ consistent: true })));
  const back = holding.flatMap((h) => (h.data ? [h.data] : []));
  const count = Math.abs(from.quantity);
  const targetQuantity = Math.max(0, target.data.quantity - count);
  return {
    subscriptions: [
      {
        id: source.data.id,
        set: {
          quantity: source.data.quantity + count,
          // Active again if the upgrade ended it (every license moved); otherwise its status stays as it is now.
          ...(from.action === 'cancel' ? { status: 'active' as const } : {}),
          // A new version: an upgrade that read the subscription before it was given back decides again.
          version: source.data.version + 1,
          assignedCount: source.data.assignedCount + back.length,
          cancellationWindows: from.previousWindows ?? source.data.cancellationWindows,
        },
      },
      {
        id: target.data.id,
        set: {
          quantity: markOf(to)!.created ? target.data.quantity : targetQuantity,
          version: target.data.version + 1,
          ...(markOf(to)!.created ? { status: 'cancelled' as const } : {}),
          assignedCount: Math.max(0, target.data.assignedCount - back.length),
          cancellationWindows: target.data.cancellationWindows.filter((w) => w.orderId !== order.id),
        },
      },
    ],
    assignments: back.map((a) => ({ from: target.data!.id, to: source.data!.id, userId: a.userId, accountId: a.accountId, assignedBy: a.assignedBy })),
  };
}

/** An assigned user moved from one subscription to another inside a transaction. */
export interface AssignmentMove {
  from: string;
  to: string;
  userId: string;
  accountId: string;
  assignedBy: string;
}

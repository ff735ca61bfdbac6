import type { EntityItem } from 'electrodb';
import { db, type DomainEntity, type OrderEntity, type SubscriptionEntity } from './entities.ts';
import type { OutboxItem } from '#emails/outbox.ts';
import { ensureCommittedNamed, isConditionalFailure, retryOnConflict, EMPTY_PAGE, isEmptyRange, scopedQuery, withCursor, type Page } from './tx.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { correlationAttribute } from '#platform/correlation.ts';
import { BusinessRuleRefused, Conflict, NotFound, TransientError } from '#platform/errors.ts';
import type { Trial } from '#domain/trials.ts';
import type { OrderDomainMode, OrderGate, OrderStatus, OrderType, StatusChange } from '#domain/order-status.ts';
import type { BillingPeriod } from '#domain/catalog.ts';
import type { Term } from '#domain/terms.ts';
import { isFinal, ORDER_STATUSES, statusesBefore } from '#domain/order-status.ts';
import type { Money } from '#domain/money.ts';
import type { Account, CustomerAgreement } from './accounts.ts';
import { InvoiceNumberTaken, lostNumber, takeNumber, type Invoice, type InvoiceSeat, type NewInvoice, type UnitChain } from './invoices.ts';
import { lineFigures, type Viewer } from '#domain/pricing.ts';
import { auditItem } from './audit.ts';
import { domainStatusItems, invoiceItems, issuedInvoiceItems, orderStatusItems, subscriptionChangeItems, type EventItem } from './events.ts';
import { logger } from '#platform/logger.ts';
import { billingKeys, invoiceDueKeys, pendingChargeItem, termDueKeys, unstartedKeys, UNSTARTED_PREFIX, PENDING_CHARGE_PREFIX, type DueQuery } from './due-keys.ts';
import { dueDate } from '#domain/billing.ts';
import { runsAutomatically } from '#domain/accounts.ts';
import { requestKeyItem, type RequestKey } from './request-keys.ts';
import { isUpgradeOrder, releaseUpgrade, type AssignmentMove, type UpgradeMark } from './upgrades.ts';

export interface OrderLine {
  /** What the vendor is asked to do for this line (a sales line creates). */
  action?: 'create' | 'update' | 'cancel';
  previousQuantity?: number;
  newQuantity?: number;
  /** An upgrade's line: which side of the move it is and who moved (data/upgrades.ts), to give it back should the vendor refuse it. */
  upgrade?: UpgradeMark;
  /** The windows a lowering consumed, given back should the vendor refuse it. */
  previousWindows?: Array<{ quantity: number; until: string; orderId?: string }>;
  offerId: string;
  productId: string;
  sku: string;
  name: string;
  term: Term;
  billingPeriod: BillingPeriod;
  quantity: number;
  unitPrice: Money;
  /** The unit's prices down the tree when it was placed (docs/commerce.md); shown through `figuresFor` only. */
  unitChain?: UnitChain;
  total: Money;
  subscriptionId: string;
  /** Bought on a trial offer (docs/product.md#trials-and-qualifications): the first term is the trial's days. */
  trial?: Trial;
  /** Co-termed (docs/product.md "Co-terming"): the first term ends on this day, priced by days; the workflow activates it so. */
  firstTermEnd?: string;
}

export interface OrderDomain {
  id: string;
  domain: string;
  mode: OrderDomainMode;
}

type OrderItem = EntityItem<OrderEntity>;

/**
 * An order as stored (the entity's item), with the shapes of the fields the entity keeps as
 * documents; the due index keys stay in this module.
 */
export type Order = Omit<OrderItem, 'statusHistory' | 'lines' | 'total' | 'domain' | 'placedBy' | 'waitingAt' | 'dueKey' | 'dueSort'> & {
  statusHistory: StatusChange[];
  lines: OrderLine[];
  total: Money;
  domain: OrderDomain;
  placedBy: StatusChange['by'];
  waitingAt?: OrderGate;
};

/** An order to write for the first time (version and updatedAt are set by the write). */
export type NewOrder = Omit<Order, 'version' | 'updatedAt'>;

const asOrder = (item: OrderItem): Order => item as Order;

/** The users an order's history names (who moved it, and whom they acted as), to be named in one read per answer. */
export const orderActorIds = (o: Pick<Order, 'statusHistory'>): string[] => o.statusHistory.flatMap((h) => (h.by.userId ? [h.by.userId] : []));

/**
 * The order as the API answers it (http/orders/schemas.ts `OrderSchema`, which tsc holds it to).
 * `nameOf` names the users of its history (services/actor-names.ts): under "log in as", the real
 * person, whose id is `by.userId`.
 */
export function orderView(o: Order, nameOf: (userId: string) => string | null, viewer: Viewer = 'customer') {
  return {
    id: o.id,
    number: o.number,
    accountId: o.accountId,
    accountName: o.accountName ?? null,
    type: o.type,
    status: o.status,
    statusHistory: o.statusHistory.map((h) => ({
      status: h.status,
      at: h.at,
      by: { ...h.by, ...(h.by.userId ? { name: nameOf(h.by.userId) } : {}) },
      ...(h.reason ? { reason: h.reason } : {}),
    })),
    lines: o.lines.map((l) => ({
      offerId: l.offerId,
      productId: l.productId,
      sku: l.sku,
      name: l.name,
      term: l.term,
      billingPeriod: l.billingPeriod,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      total: l.total,
      subscriptionId: l.subscriptionId,
      ...(l.firstTermEnd ? { firstTermEnd: l.firstTermEnd } : {}),
      // The line's cost, sell and margin, to the seller and above only (docs/commerce.md).
      ...(viewer === 'customer' ? {} : { figures: lineFigures(viewer, l.unitChain, l.quantity, l.total) ?? null }),
    })),
    total: o.total,
    domain: o.domain,
    automatic: o.automatic,
    waitingAt: o.waitingAt ?? null,
    failureReason: o.failureReason ?? null,
    subscriptionIds: o.subscriptionIds,
    invoiceId: o.invoiceId ?? null,
    selfService: o.selfService === true,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    version: o.version,
  };
}

/** Sequential per deployment (docs/product.md#orders-and-the-fulfillment-workflow): an atomic counter; a failed placement leaves a gap. */
export async function nextOrderNumber(): Promise<string> {
  const result = await db().entities.counter.update({ name: 'orders' }).add({ value: 1 }).go({ response: 'all_new' });
  return `SO-${String(result.data.value).padStart(6, '0')}`;
}

export async function getOrder(id: string, consistent = false): Promise<Order | undefined> {
  const found = await db().entities.order.get({ id }).go({ consistent });
  return found.data ? asOrder(found.data) : undefined;
}

export interface NewSubscription {
  id: string;
  productId: string;
  offerId: string;
  sku: string;
  name: string;
  term: string;
  billingPeriod: string;
  quantity: number;
  unitPrice: Money;
  unitChain?: UnitChain;
  buyer: { userId: string; name: string };
  trial?: Trial;
}

export interface NewDomain {
  id: string;
  domain: string;
  mode: 'create';
  company: unknown;
  /** What the vendor approved the tenant for (docs/product.md#trials-and-qualifications). */
  qualifications?: string[];
}

/** A credit note's effect on the unpaid invoice it corrects (docs/commerce.md "Credit notes"). */
export interface CreditApplied {
  invoiceId: string;
  version: number;
  /** What is still due once the credit is taken off; 0 settles the invoice. */
  amountDue: Money;
  settled: boolean;
  at: string;
}

/** The invoice an order issues, written with it (scope and creation time are the order's; due keys added when unpaid). */
export type OrderInvoice = Omit<NewInvoice, 'accountId' | 'parentId' | 'rootId' | 'accountPath' | 'createdAt'>;

/** An unpaid invoice carries its due date in the due index, for dunning. */
const dueKeysOf = (invoice: OrderInvoice) => (invoice.status === 'unpaid' ? invoiceDueKeys(invoice.id, invoice.dueAt) : {});

/**
 * Writes an order with what it reserves, in one transaction: its pending subscriptions, the
 * domain it creates (and the name, held unique), and the customer agreement when it brings one.
 */
export async function insertOrder(input: {
  order: NewOrder;
  account: Account;
  subscriptions: NewSubscription[];
  newDomain?: NewDomain;
  agreement?: CustomerAgreement;
  invoice: OrderInvoice;
  /** Cart lines the order came from, as read: emptied in the same transaction. */
  cart?: { userId: string; items: Array<{ id: string; quantity: number }> };
  /** The pending charge that paid it (its reference): deleted with the order's write. */
  pendingCharge?: string;
  /** The Idempotency-Key that placed it: created with the order, only if absent (data/request-keys.ts). */
  requestKey?: RequestKey;
  /** The invoice's number in its seller's series, taken in this transaction (data/invoices.ts `withInvoiceNumber`). */
  seat: InvoiceSeat;
  /** The products whose trial it takes on its domain: each marker created only if absent (data/trials.ts). */
  trials?: string[];
}): Promise<Order> {
  const { order, account, subscriptions, newDomain, agreement, invoice, cart, pendingCharge, requestKey } = input;
  const trials = input.trials ?? [];
  const scope = { accountId: account.id, parentId: account.parentId ?? account.id, rootId: account.rootId, accountPath: account.accountPath };
  const createdAt = order.createdAt;
  const item = { ...order, updatedAt: createdAt, version: 1 };
  // The order placed, its invoice issued and the domain it creates, to every feed of the account's path (docs/api.md#events).
  const events = [
    ...orderStatusItems(item, item.status, null),
    ...issuedInvoiceItems({ ...invoice, ...scope }),
    ...(newDomain ? domainStatusItems({ ...scope, id: newDomain.id, domain: newDomain.domain }, 'pending', null) : []),
  ];
  const result = await db()
    .transaction.write(({ order: orders, subscription, domain, domainName, account: accounts, invoice: invoices, cart: carts, cartItem, pendingCharge: pendingCharges, requestKey: requestKeys, counter, trialMarker, event }) => [
      orders.create({ ...item, ...unstartedKeys(item.id, createdAt), ...correlationAttribute() }).commit(),
      invoices.create({ ...invoice, ...scope, createdAt, version: 1, ...dueKeysOf(invoice) }).commit(),
      takeNumber(counter, input.seat),
      ...subscriptions.map((s) =>
        subscription
          .create({
            ...s,
            ...scope,
            status: 'pending',
            assignedCount: 0,
            autoRenew: true,
            domain: order.domain.domain,
            domainId: order.domainId,
            selfService: order.selfService === true,
            cancellationWindows: [],
            orderId: order.id,
            createdAt,
          })
          .commit(),
      ),
      ...(newDomain
        ? [
            domainName.create({ name: newDomain.domain.toLowerCase(), domainId: newDomain.id }).commit(),
            domain
              .create({
                ...scope,
                id: newDomain.id,
                domain: newDomain.domain,
                mode: 'create',
                status: 'pending',
                company: newDomain.company,
                orderId: order.id,
                createdAt,
                ...(newDomain.qualifications?.length ? { qualifications: newDomain.qualifications } : {}),
              })
              .commit(),
          ]
        : []),
      // One trial per domain and product: of two orders racing for it, one creates the marker.
      ...trials.map((productId) => trialMarker.create({ domainId: order.domainId, productId, orderId: order.id, createdAt }).commit()),
      // The charge is still there to be taken (the job has not claimed it to refund it).
      ...(pendingCharge
        ? [
            pendingCharges
              .delete({ reference: pendingCharge })
              .where((a, op) => `${op.exists(a.reference)} AND ${op.notExists(a.claimedAt)}`)
              .commit(),
          ]
        : []),
      ...(agreement
        ? [
            accounts
              .patch({ id: account.id })
              .set({ customerAgreement: agreement })
              .where((a, op) => op.notExists(a.customerAgreement))
              .commit(),
          ]
        : []),
      // Conditional: two checkouts of one cart cannot both take its lines, and a line whose
      // quantity changed since it was read is not ordered at the old one.
      ...(cart
        ? [
            carts.update({ userId: cart.userId }).subtract({ lineCount: cart.items.length }).set({ updatedAt: createdAt }).commit(),
            ...cart.items.map((line) =>
              cartItem
                .delete({ userId: cart.userId, id: line.id })
                .where((a, op) => op.eq(a.quantity, line.quantity))
                .commit(),
            ),
          ]
        : []),
      // Last: a retry racing the attempt that already placed an order under this key loses here.
      ...(requestKey ? [requestKeys.create(requestKeyItem(requestKey, order.id, createdAt)).commit()] : []),
      ...events.map((e) => event.put(e).commit()),
    ])
    .go();
  if (result.canceled) {
    // Another invoice of the seller took the number (or a collision): the caller tries the next.
    if (lostNumber(result, 2)) throw new InvoiceNumberTaken();
    const names = [
      'order',
      'invoice',
      'counter',
      ...subscriptions.map(() => 'subscription' as const),
      ...(newDomain ? (['domainName', 'domain'] as const) : []),
      ...trials.map(() => 'trialMarker' as const),
      ...(pendingCharge ? (['pendingCharge'] as const) : []),
      ...(agreement ? (['agreement'] as const) : []),
      ...(cart ? (['cart', ...cart.items.map(() => 'cartItem' as const)] as const) : []),
      ...(requestKey ? (['requestKey'] as const) : []),
      ...events.map(() => 'event' as const),
    ] as const;
    ensureCommittedNamed(result, names, (name) =>
      name === 'requestKey'
        ? new Conflict('idempotency_in_progress', 'Another request with this Idempotency-Key placed an order.')
        : name === 'domainName' && newDomain
          ? new Conflict('domain_taken', `The domain ${newDomain.domain} is already taken.`, [{ path: 'domain.prefix' }])
          : name === 'trialMarker'
            ? new BusinessRuleRefused('trial_already_used', 'This domain has already had the trial of this product.', [{ path: 'lines', domainId: order.domainId }])
          : name === 'pendingCharge'
            ? new TransientError('The card payment was given back meanwhile; nothing was ordered. Try again.')
            : name === 'cartItem'
              ? new Conflict('invalid_state', 'The cart changed while checking out; review it and try again.')
              : new TransientError(`Order placement conflicted at ${name}; try again.`),
    );
  }
  return item;
}

/** Records the order's execution; the order leaves the unstarted orders' index with it. */
export async function setExecutionArn(orderId: string, executionArn: string): Promise<void> {
  await db().entities.order.patch({ id: orderId }).set({ executionArn }).remove(['dueKey', 'dueSort']).go();
}

/** The orders written before `before` (ISO time) whose workflow start is not recorded (the unstarted orders job). */
export const unstartedOrdersBefore = (before: string): DueQuery => ({ index: 'gsi4', prefix: UNSTARTED_PREFIX, before });

/** The pending card charges recorded before `before` (ISO time): data/charges.ts items, settled by the unstarted orders job. */
export const pendingChargesBefore = (before: string): DueQuery => ({ index: 'gsi4', prefix: PENDING_CHARGE_PREFIX, before });

/**
 * What a sales order's completion writes to one of its subscriptions: active from `startDate`, on
 * the term-end due index (the renewals job), and on the billing index when a monthly-billed term
 * longer than a month is billed again (`nextBillingDate`).
 */
export function subscriptionActivation(
  subscriptionId: string,
  a: { startDate: string; termEnd: string; nextBillingDate?: string; cancellationWindows: Array<{ quantity: number; until: string; orderId?: string }> },
) {
  return {
    id: subscriptionId,
    set: {
      status: 'active' as const,
      startDate: a.startDate,
      currentTermStart: a.startDate,
      currentTermEnd: a.termEnd,
      ...termDueKeys(subscriptionId, a.termEnd),
      ...(a.nextBillingDate ? billingKeys(subscriptionId, a.nextBillingDate) : {}),
      cancellationWindows: a.cancellationWindows,
    },
  };
}

/** Takes an order out of the unstarted orders' index (it failed, or it is gone). */
export async function clearUnstarted(orderId: string): Promise<void> {
  try {
    await db().entities.order.patch({ id: orderId }).remove(['dueKey', 'dueSort']).go();
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
  }
}

/** What a move writes to a subscription (its status, term and due keys at completion, what a failure gives back). */
export type SubscriptionChange = { id: string; set: Partial<EntityItem<SubscriptionEntity>> };
/** What a move writes to the order's domain (active at completion, failed when released). */
export type DomainChange = { id: string; set: Partial<EntityItem<DomainEntity>> };

/**
 * Moves an order to `to` from any status that may precede it, appending to its history, with
 * optimistic locking on `version`; `also` adds writes that must happen with the move (subscription
 * changes, outbox emails). Returns undefined when the order is not in a status that allows it.
 * An order or invoice written meanwhile makes it read both again (retryOnConflict).
 */
export async function moveOrder(
  orderId: string,
  to: OrderStatus,
  by: StatusChange['by'],
  opts: {
    from?: OrderStatus[];
    reason?: string;
    set?: Partial<Pick<Order, 'failureReason' | 'vendorRequestId' | 'taskToken' | 'waitingAt'>>;
    clear?: Array<'taskToken' | 'waitingAt' | 'dueKey' | 'dueSort'>;
    outbox?: OutboxItem[];
    subscriptions?: SubscriptionChange[];
    /** Assigned users moved between subscriptions with the move (a failed upgrade gives them back). */
    assignments?: AssignmentMove[];
    domain?: DomainChange;
    releaseDomainName?: string;
    /** A failed or cancelled order voids the invoice it issued. */
    invoiceId?: string;
    /**
     * ...and owes back the card charge that paid it: a pending charge is recorded with the move, so
     * a refund that does not go through after it is retried by `jobs/unstarted-orders.ts`.
     */
    refund?: { reference: string; accountId: string; amount: Money };
  } = {},
): Promise<(Order & { owed: string[] }) | undefined> {
  const allowed = opts.from ?? statusesBefore(to);
  return retryOnConflict(
    async () => {
      const order = await getOrder(orderId, true);
      if (!order) throw new NotFound();
      if (!allowed.includes(order.status)) return undefined;
      const at = clock.nowIso();
      // A paid invoice that is voided owes its charge back, whoever paid it and however (docs/product.md#orders-and-the-fulfillment-workflow).
      const invoiceRead = opts.invoiceId ? await getInvoiceItem(opts.invoiceId) : undefined;
      const voiding = opts.invoiceId ? voidOf(invoiceRead, opts.refund, at) : undefined;
      const owed = voiding?.owed ?? (opts.refund ? [opts.refund] : []);
      const history = [...order.statusHistory, { status: to, at, by, ...(opts.reason ? { reason: opts.reason } : {}) }];
      const subscriptions = opts.subscriptions ?? [];
      const outboxItems = opts.outbox ?? [];
      const moves = opts.assignments ?? [];
      // The move to every feed of the order's account path (docs/api.md#events), taken afresh on each
      // try, with the `subscription.changed` of each subscription it changes (read as they stand).
      const orderEvents = orderStatusItems(order, to, order.status);
      const written = 2 + subscriptions.length + moves.length * 2 + (opts.domain ? 1 : 0) + (opts.releaseDomainName ? 1 : 0) + outboxItems.length + (opts.invoiceId ? 1 : 0) + owed.length;
      const events = [...orderEvents, ...(await subscriptionEvents(orderId, subscriptions, opts.domain, MAX_TRANSACTION_ITEMS - written - orderEvents.length))];
      const names = [
        'audit',
        'order',
        ...subscriptions.map(() => 'subscription' as const),
        ...moves.flatMap(() => ['assignment', 'assignment'] as const),
        ...(opts.domain ? (['domain'] as const) : []),
        ...(opts.releaseDomainName ? (['domainName'] as const) : []),
        ...outboxItems.map(() => 'outbox' as const),
        ...(opts.invoiceId ? (['invoice'] as const) : []),
        ...owed.map(() => 'pendingCharge' as const),
        ...events.map(() => 'event' as const),
      ] as const;
      const result = await db()
        .transaction.write(({ order: orders, subscription, assignment, domain, domainName, outbox, invoice, auditEvent, pendingCharge, event }) => [
          // The transition is audited with the change itself (docs/product.md#audit-trail).
          auditEvent
            .create(
              auditItem({
                accountId: order.accountId,
                action: `order.${to}`,
                resourceType: 'order',
                resourceId: order.id,
                actorUserId: by.userId,
                onBehalfOfUserId: by.onBehalfOf,
                system: by.system,
                details: { from: order.status, to, number: order.number, ...(opts.reason ? { reason: opts.reason } : {}) },
              }),
            )
            .commit(),
          orders
            .patch({ id: orderId })
            .set({ status: to, statusHistory: history, updatedAt: at, version: order.version + 1, ...opts.set })
            .remove(opts.clear ?? [])
            .where((a, op) => op.eq(a.version, order.version))
            .commit(),
          ...subscriptions.map((s) => subscription.patch({ id: s.id }).set(s.set).commit()),
          ...moves.flatMap((m) => [
            assignment.delete({ subscriptionId: m.from, userId: m.userId }).commit(),
            assignment.put({ subscriptionId: m.to, userId: m.userId, accountId: m.accountId, assignedAt: at, assignedBy: m.assignedBy }).commit(),
          ]),
          ...(opts.domain ? [domain.patch({ id: opts.domain.id }).set(opts.domain.set).commit()] : []),
          ...(opts.releaseDomainName ? [domainName.delete({ name: opts.releaseDomainName.toLowerCase() }).commit()] : []),
          ...outboxItems.map((o) => outbox.create(o).commit()),
          ...(opts.invoiceId
            ? [
                // On the invoice as read: a payment that lands meanwhile makes this move read it again.
                invoice
                  .patch({ id: opts.invoiceId })
                  .set({ status: 'void', ...voiding?.set })
                  .where((a, op) => (invoiceRead ? op.eq(a.status, invoiceRead.status) : ''))
                  .commit(),
              ]
            : []),
          ...owed.map((refund) => pendingCharge.put(pendingChargeItem(refund, at)).commit()),
          ...events.map((e) => event.put(e).commit()),
        ])
        .go();
      if (result.canceled) {
        // The order or its invoice changed since read: read both again. Anything else is an error.
        ensureCommittedNamed(result, names, (name) =>
          name === 'order' || name === 'invoice' ? new TransientError('The order changed meanwhile.') : new TransientError(`Order move refused at ${name}.`),
        );
      }
      return { ...order, status: to, statusHistory: history, updatedAt: at, version: order.version + 1, owed: owed.map((r) => r.reference) };
    },
    { tries: 5, exhausted: () => new TransientError(`The order ${orderId} kept changing; try again.`) },
  );
}

/** DynamoDB's limit of items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * The `subscription.changed` items of an order move's subscription changes, and the
 * `domain.status_changed` of its domain's, each read as it stands (consistent). When they would not
 * fit in the move's transaction (a failed upgrade moving back the most assignments), they are left
 * out, logged: the move itself must go through.
 */
async function subscriptionEvents(orderId: string, changes: SubscriptionChange[], domainChange: DomainChange | undefined, room: number): Promise<EventItem[]> {
  if (!changes.length && !domainChange?.set.status) return [];
  const [read, domainRead] = await Promise.all([
    Promise.all(changes.map((c) => db().entities.subscription.get({ id: c.id }).go({ consistent: true }))),
    domainChange?.set.status ? db().entities.domain.get({ id: domainChange.id }).go({ consistent: true }) : undefined,
  ]);
  const domainBefore = domainRead?.data;
  const items = [
    ...changes.flatMap((c, i) => {
      const before = read[i]?.data;
      return before ? subscriptionChangeItems(before, c.set) : [];
    }),
    ...(domainBefore && domainChange?.set.status ? domainStatusItems(domainBefore, domainChange.set.status, domainBefore.status) : []),
  ];
  if (items.length <= room) return items;
  logger.warn('subscription.changed events left out of an order move: the transaction has no room for them', { orderId, events: items.length, room });
  return [];
}

/** Parks the workflow's task token on the order at a gate, if the order is still at that gate. */
export async function parkTaskToken(orderId: string, gate: 'open' | 'provision' | 'partner', taskToken: string): Promise<boolean> {
  const expected = gate === 'open' ? ('new' as const) : gate === 'provision' ? ('open' as const) : ('provisioning' as const);
  try {
    await db()
      .entities.order.patch({ id: orderId })
      .set({ taskToken, waitingAt: gate })
      .where((a, op) => op.eq(a.status, expected as OrderStatus))
      .go();
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

export async function setVendorRequest(orderId: string, vendorRequestId: string): Promise<void> {
  await db().entities.order.patch({ id: orderId }).set({ vendorRequestId }).go();
}

export interface OrderFilters {
  status?: OrderStatus;
  type?: OrderType;
  accountId?: string;
  from?: string;
  to?: string;
  /** Only the self-service orders this user bought (a customer `user`'s own, domain/self-service.ts). */
  buyerUserId?: string;
  limit: number;
  cursor?: string;
}

/**
 * Orders in the caller's scope, newest first: one Query on the owner, parent or root index
 * (a customer's own, a reseller's customers', the distributor's all), by creation time.
 */
export async function listOrders(caller: Caller, f: OrderFilters): Promise<Page<Order>> {
  const orders = db().entities.order;
  // Bounds arrive as UTC ISO text (utcBound); a date `to` includes the whole day.
  const range = { gte: f.from ?? '0000', lte: f.to ? `${f.to}~` : '9999' };
  if (isEmptyRange(range.gte, range.lte)) return EMPTY_PAGE;
  const query = scopedQuery(orders.query, caller, f.accountId).between({ createdAt: range.gte }, { createdAt: range.lte });
  const filtered = query.where((a, op) =>
    [f.status ? op.eq(a.status, f.status) : '', f.type ? op.eq(a.type, f.type) : '', f.buyerUserId ? op.eq(a.buyerUserId, f.buyerUserId) : ''].filter(Boolean).join(' AND '),
  );
  // A buyer's few orders among its account's many: pages filled (`count`) rather than mostly empty.
  const page = await withCursor(f.cursor, (cursor) => filtered.go({ cursor, order: 'desc', ...(f.buyerUserId ? { count: f.limit } : { limit: f.limit, pages: 1 }) }));
  return { items: page.data.map(asOrder), nextCursor: page.cursor ?? null };
}

/**
 * An account's orders still under way (new, open or provisioning), newest first: one Query of the
 * account's orders (gsi1), every page, with a status filter. It reads the account's whole order
 * history, which for a customer is tens of orders a year (docs/data-model.md, the account overview).
 */
export async function ordersUnderWay(accountId: string): Promise<Order[]> {
  const underWay = ORDER_STATUSES.filter((s) => !isFinal(s));
  const result = await db()
    .entities.order.query.byAccount({ accountId })
    .where((a, op) => underWay.map((s) => op.eq(a.status, s)).join(' OR '))
    .go({ pages: 'all', order: 'desc' });
  return result.data.map(asOrder);
}

type RefundOwed = { reference: string; accountId: string; amount: Money; invoiceId?: string };

async function getInvoiceItem(id: string): Promise<Invoice | undefined> {
  const found = await db().entities.invoice.get({ id }).go({ consistent: true });
  return (found.data as Invoice | null) ?? undefined;
}

/**
 * What voiding an invoice writes and owes (docs/product.md#orders-and-the-fulfillment-workflow, docs/product.md#api-conventions): a paid invoice whose card charge is
 * not refunded yet owes it back, whoever paid it (checkout, `POST /v1/invoices/{id}/pay`, a job):
 * the refund is recorded on the invoice and a pending charge naming the invoice is written with the
 * move, refunded right after it (or by jobs/unstarted-orders.ts). The order's own charge (its
 * `chargeReference`) is owed as before; a reference is owed once.
 */
export function voidOf(invoice: Invoice | undefined, orderRefund: RefundOwed | undefined, at: string) {
  const owed: RefundOwed[] = [];
  const paid = invoice?.status === 'paid' && !invoice.refund;
  // An invoice paid at checkout before invoices recorded their reference: the order's charge paid it.
  const charged = paid ? (invoice.chargeReference ?? (invoice.chargeId ? orderRefund?.reference : undefined)) : undefined;
  if (orderRefund && orderRefund.reference !== charged) owed.push(orderRefund);
  if (!invoice || !charged) return { owed, set: {} };
  owed.push({ reference: charged, accountId: invoice.accountId, amount: invoice.total, invoiceId: invoice.id });
  return { owed, set: { chargeReference: charged, refund: { amount: invoice.total, reference: charged, requestedAt: at } } };
}

/**
 * What a failed or cancelled order gives back (docs/product.md#orders-and-the-fulfillment-workflow): its pending subscriptions end
 * `cancelled`; a domain it was creating and the vendor did not create is released.
 */
export async function releaseOf(order: Order) {
  const voidInvoice = {
    ...(order.invoiceId ? { invoiceId: order.invoiceId } : {}),
    // The card charge that paid it is owed back: recorded with the move, refunded after it.
    ...(order.chargeReference ? { refund: { reference: order.chargeReference, accountId: order.accountId, amount: order.total } } : {}),
  };
  if (order.type === 'cancellation') {
    // The vendor kept the subscription: it stays as it was, renewing again.
    return { subscriptions: order.subscriptionIds.map((id): SubscriptionChange => ({ id, set: { autoRenew: true } })), ...voidInvoice };
  }
  if (isUpgradeOrder(order)) return { ...(await releaseUpgrade(order)), ...voidInvoice };
  if (order.type === 'change') return { subscriptions: await revertChanges(order), ...voidInvoice };
  // A renewal the vendor refused keeps the new term on our side; its invoice is voided and support follows up.
  if (order.type === 'renewal') return { subscriptions: [] as SubscriptionChange[], ...voidInvoice };
  const subscriptions: SubscriptionChange[] = order.subscriptionIds.map((id) => ({ id, set: { status: 'cancelled' as const } }));
  if (order.domain.mode !== 'create') return { subscriptions, ...voidInvoice };
  const found = await db().entities.domain.get({ id: order.domainId }).go({ consistent: true });
  if (!found.data || found.data.status !== 'pending' || found.data.tenantId) return { subscriptions, ...voidInvoice };
  return {
    subscriptions,
    ...voidInvoice,
    domain: { id: order.domainId, set: { status: 'failed' as const } },
    releaseDomainName: order.domain.domain,
  };
}

/**
 * The one-line order a subscription change, cancellation or renewal makes, with its
 * invoice: a charge is unpaid and due by the 26th rule (on the due index); a credit or a zero
 * amount is settled at once. Written by insertSubscriptionOrder() (which puts an unpaid one on the due index).
 */
export function subscriptionOrderItems(input: {
  ids: { orderId: string; invoiceId: string; number: string; invoiceNumber: string };
  sub: { id: string; accountId: string; domainId: string; domain: string; selfService?: boolean };
  account: Pick<Account, 'id' | 'parentId' | 'rootId' | 'accountPath' | 'settings' | 'name'>;
  /** The account or one above it is suspended: the order waits at the staff gates (a renewal never does). */
  suspended?: boolean;
  type: 'change' | 'cancellation' | 'renewal';
  line: OrderLine;
  by: Order['placedBy'];
  now: Date;
  invoice: { description: string; reason: string };
}): { order: NewOrder; invoice: OrderInvoice } {
  const { ids, sub, account, line, now } = input;
  const nowIso = now.toISOString();
  const settled = line.total.amount <= 0;
  const dueAt = dueDate(now);
  return {
    order: {
      id: ids.orderId,
      number: ids.number,
      accountId: sub.accountId,
      parentId: account.parentId ?? account.id,
      rootId: account.rootId,
      accountPath: account.accountPath,
      type: input.type,
      status: 'new',
      statusHistory: [{ status: 'new', at: nowIso, by: input.by }],
      lines: [line],
      total: line.total,
      domain: { id: sub.domainId, domain: sub.domain, mode: 'existing' },
      domainId: sub.domainId,
      // A customer's change or cancellation waits at the staff gates like a sales order when its
      // account's orders are processed by hand, or while it is suspended; a renewal (the job's own
      // order) never waits.
      automatic: runsAutomatically({ type: input.type, requested: account.settings.orderProcessing === 'automatic', suspended: input.suspended === true }),
      accountName: account.name,
      subscriptionIds: [sub.id],
      placedBy: input.by,
      invoiceId: ids.invoiceId,
      // A charge is tried on the default card with the order id as its reference, after the write:
      // set now, so a failure or cancellation owes it back whatever happened in between (refunding a
      // reference never charged is a no-op).
      ...(settled ? {} : { chargeReference: ids.orderId }),
      selfService: sub.selfService === true,
      createdAt: nowIso,
    },
    invoice: {
      id: ids.invoiceId,
      number: ids.invoiceNumber,
      status: settled ? 'paid' : 'unpaid',
      issuedAt: nowIso,
      dueAt,
      lines: [
        {
          description: input.invoice.description,
          quantity: Math.abs(line.quantity),
          unitPrice: line.unitPrice,
          amount: line.total,
          subscriptionId: sub.id,
          ...(line.unitChain ? { chain: line.unitChain } : {}),
        },
      ],
      total: line.total,
      paidAt: settled ? nowIso : undefined,
      orderId: ids.orderId,
      reason: input.invoice.reason,
      subscriptionIds: [sub.id],
    },
  };
}

/** What an order line about an existing subscription repeats of it. */
export function subscriptionLineBase(sub: Pick<OrderLine, 'offerId' | 'productId' | 'sku' | 'name' | 'unitPrice'> & { term: string; billingPeriod: string; unitChain?: unknown }) {
  const { offerId, productId, sku, name, unitPrice } = sub;
  // A subscription keeps the term and billing period of the offer it was bought from (TERMS, BILLING_PERIODS),
  // and the term's price with its chain (docs/commerce.md): a change within the term is priced by it.
  const unitChain = sub.unitChain as UnitChain | undefined;
  return { offerId, productId, sku, name, term: sub.term as Term, billingPeriod: sub.billingPeriod as BillingPeriod, unitPrice, ...(unitChain ? { unitChain } : {}) };
}


/**
 * Writes a change or cancellation order with its invoice (a charge or a credit) and the change to
 * its subscription, in one transaction conditioned on the subscription's `version`. Answers false
 * when the subscription changed meanwhile (the caller re-reads and tries again).
 */
export async function insertSubscriptionOrder(input: {
  order: NewOrder;
  invoice: OrderInvoice;
  /** `remove`: attributes the change drops (a renewal drops the change scheduled for it). */
  subscription: { id: string; version: number; set: SubscriptionChange['set']; remove?: Array<'scheduledQuantity' | 'scheduledChange' | 'trial'> };
  /** The Idempotency-Key that placed it: created with the order, only if absent (data/request-keys.ts). */
  requestKey?: RequestKey;
  /** The invoice's number in its seller's series, taken in this transaction (data/invoices.ts `withInvoiceNumber`). */
  seat: InvoiceSeat;
  /** A credit note reducing what is due on the unpaid invoice it corrects, on that invoice's version. */
  apply?: CreditApplied;
}): Promise<Order | undefined> {
  const { order, invoice, subscription, requestKey, apply } = input;
  const scope = { accountId: order.accountId, parentId: order.parentId, rootId: order.rootId, accountPath: order.accountPath };
  const item = { ...order, updatedAt: order.createdAt, version: 1 };
  type Name = 'order' | 'invoice' | 'subscription' | 'counter' | 'corrected' | 'requestKey' | 'event';
  // The subscription as read at the version the write is conditioned on, for its `subscription.changed`.
  const before = (await db().entities.subscription.get({ id: subscription.id }).go({ consistent: true })).data;
  if (!before || before.version !== subscription.version) return undefined;
  // A credit that settles the invoice it corrects pays it: its `invoice.paid` (fields an invoice never changes, read first).
  const corrected = apply?.settled ? (await db().entities.invoice.get({ id: apply.invoiceId }).go({ consistent: true })).data : null;
  const events = [
    ...orderStatusItems(item, item.status, null),
    ...issuedInvoiceItems({ ...invoice, ...scope }),
    ...subscriptionChangeItems(before, subscription.set),
    ...(corrected ? invoiceItems('invoice.paid', { ...corrected, status: 'paid' }) : []),
  ];
  const names: Name[] = [
    'order',
    'invoice',
    'subscription',
    'counter',
    ...(apply ? (['corrected'] as const) : []),
    ...(requestKey ? (['requestKey'] as const) : []),
    ...events.map(() => 'event' as const),
  ];
  const result = await db()
    .transaction.write(({ order: orders, invoice: invoices, subscription: subscriptions, requestKey: requestKeys, counter, event }) => [
      orders.create({ ...item, ...unstartedKeys(item.id, item.createdAt), ...correlationAttribute() }).commit(),
      invoices.create({ ...invoice, ...scope, createdAt: order.createdAt, version: 1, ...dueKeysOf(invoice) }).commit(),
      subscriptions
        .patch({ id: subscription.id })
        .set({ ...subscription.set, version: subscription.version + 1 })
        .remove(subscription.remove ?? [])
        // Assignments move assignedCount without touching version: a new quantity must still hold them.
        .where((a, op) =>
          typeof subscription.set.quantity === 'number'
            ? `${op.eq(a.version, subscription.version)} AND ${op.lte(a.assignedCount, subscription.set.quantity)}`
            : op.eq(a.version, subscription.version),
        )
        .commit(),
      takeNumber(counter, input.seat),
      ...(apply
        ? [
            invoices
              .patch({ id: apply.invoiceId })
              .set({ amountDue: apply.amountDue, version: apply.version + 1, ...(apply.settled ? { status: 'paid' as const, paidAt: apply.at } : {}) })
              // Settled by the credit: no longer due, so out of the due index (no reminder, no overdue).
              .remove(apply.settled ? ['dueKey', 'dueSort'] : [])
              .where((a, op) => `${op.eq(a.version, apply.version)} AND (${op.eq(a.status, 'unpaid')} OR ${op.eq(a.status, 'overdue')})`)
              .commit(),
          ]
        : []),
      ...(requestKey ? [requestKeys.create(requestKeyItem(requestKey, order.id, order.createdAt)).commit()] : []),
      ...events.map((e) => event.put(e).commit()),
    ])
    .go();
  if (!result.canceled) return item;
  const refused = (name: Name) => result.data[names.indexOf(name)]?.code === 'ConditionalCheckFailed';
  // A retry racing the attempt that already placed an order under this key: no second one (its
  // write changed the subscription too, so the key is asked first).
  if (refused('requestKey')) throw new Conflict('idempotency_in_progress', 'Another request with this Idempotency-Key placed an order.');
  // The subscription, or the invoice the credit corrects, changed since it was read: the caller reads them again.
  if (refused('subscription') || refused('corrected')) return undefined;
  // The number went to another invoice of the seller (or a collision): the next number (`withInvoiceNumber`).
  if (lostNumber(result, names.indexOf('counter'))) throw new InvoiceNumberTaken();
  ensureCommittedNamed(result, names, (name) => new TransientError(`The change could not be written (${name}).`));
  return undefined;
}

/** A change the vendor refused is taken back: the quantity it moved, and the window it opened or the windows it consumed. */
async function revertChanges(order: Order): Promise<SubscriptionChange[]> {
  const out: SubscriptionChange[] = [];
  for (const line of order.lines) {
    const found = await db().entities.subscription.get({ id: line.subscriptionId }).go({ consistent: true });
    const sub = found.data as { quantity: number; cancellationWindows: Array<{ quantity: number; until: string; orderId?: string }> } | null;
    if (!sub || line.previousQuantity === undefined || line.newQuantity === undefined) continue;
    const windows = line.previousWindows ?? sub.cancellationWindows.filter((w) => w.orderId !== order.id);
    out.push({ id: line.subscriptionId, set: { quantity: sub.quantity - (line.newQuantity - line.previousQuantity), cancellationWindows: windows } });
  }
  return out;
}

/** Takes a parked token back (it is no longer waited on), if it is still the one parked. */
export async function unparkTaskToken(orderId: string, taskToken: string): Promise<void> {
  await db()
    .entities.order.patch({ id: orderId })
    .remove(['taskToken', 'waitingAt'])
    .where((a, op) => op.eq(a.taskToken, taskToken))
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

/** The orders of an account parked until a domain's partner relationship is accepted. */
export async function ordersWaitingForPartner(accountId: string, domainId: string): Promise<Order[]> {
  const result = await db()
    .entities.order.query.byAccount({ accountId })
    .where((a, op) => `${op.eq(a.waitingAt, 'partner')} AND ${op.eq(a.domainId, domainId)}`)
    .go({ pages: 'all' });
  return result.data.map(asOrder);
}

/**
 * A gate action takes the order's parked token before it sends the callback, so that of two
 * concurrent actions only one sends it; only while the order is still at that gate's status.
 */
export async function claimTaskToken(orderId: string, status: OrderStatus, taskToken: string): Promise<boolean> {
  try {
    await db()
      .entities.order.patch({ id: orderId })
      .remove(['taskToken', 'waitingAt'])
      .where((a, op) => `${op.eq(a.taskToken, taskToken)} AND ${op.eq(a.status, status)}`)
      .go();
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

/** Puts back a claimed token whose callback did not go through, unless another was parked since. */
export async function restoreTaskToken(orderId: string, status: OrderStatus, gate: 'open' | 'provision' | 'partner', taskToken: string): Promise<void> {
  await db()
    .entities.order.patch({ id: orderId })
    .set({ taskToken, waitingAt: gate })
    .where((a, op) => `${op.notExists(a.taskToken)} AND ${op.eq(a.status, status)}`)
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

/**
 * Records the execution that resumed an order's lost one, only if the order still names the lost
 * one (`previous`), so two resumers cannot both record theirs. Answers whether it was recorded.
 */
export async function recordResumedExecution(orderId: string, previous: string | undefined, executionArn: string): Promise<boolean> {
  try {
    await db()
      .entities.order.patch({ id: orderId })
      .set({ executionArn })
      .remove(['dueKey', 'dueSort'])
      .where((a, op) => (previous ? op.eq(a.executionArn, previous) : op.notExists(a.executionArn)))
      .go();
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

import * as accountRepo from '#data/accounts.ts';
import * as catalogRepo from '#data/catalog.ts';
import * as invoiceRepo from '#data/invoices.ts';
import { invoicing, type Invoicing } from './invoicing.ts';
import * as orderRepo from '#data/orders.ts';
import { subscriptionLineBase, subscriptionOrderItems, type Order, type OrderLine } from '#data/orders.ts';
import * as requestKeyRepo from '#data/request-keys.ts';
import type { RequestKey } from '#data/request-keys.ts';
import * as subscriptionRepo from '#data/subscriptions.ts';
import type { Subscription, SubscriptionChange } from '#data/subscriptions.ts';
import { RETRY, retryOnConflict } from '#data/tx.ts';
import * as userRepo from '#data/users.ts';
import { actorOf, type Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, TransientError } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { MAX_QUANTITY, type Money } from '#domain/money.ts';
import type { CreditApplied } from '#data/orders.ts';
import type { Invoice } from '#data/invoices.ts';
import { logger } from '#platform/logger.ts';
import type { PaymentGateway } from '#platform/payments/port.ts';
import { getPaymentGateway } from '#platform/payments/sandbox.ts';
import { cancellationWindowOf, consumeWindows, lowerableNow, nextWindowOpens, openWindows } from '#domain/subscription-rules.ts';
import { isoDate, type Term } from '#domain/terms.ts';
import { changeAmount } from '#domain/coterm.ts';
import { nextTermOf } from '#domain/scheduled-change.ts';
import { chargeInvoice } from './payments.ts';
import { cardCharge, type CardCharge } from './card-charge.ts';
import type { PaymentMethod } from '#data/payment-methods.ts';
import { startOrFail } from './order-lifecycle.ts';

/**
 * Changing what a customer has (docs/product.md#subscriptions-and-licenses): raise any time (a `change` order and a prorated
 * charge for the rest of the billing period), lower now only within open cancellation windows (a
 * prorated credit), otherwise at renewal; cancel inside the window; assign and take back licenses;
 * turn auto-renew on or off. Each write runs under optimistic locking: a concurrent change makes
 * it start over on the fresh subscription.
 */
/** What a use case needs to write a subscription's order (a change here, a renewal in services/renewals.ts), charge it and start it. */
export interface SubscriptionOrderDeps {
  orders: Pick<typeof orderRepo, 'insertSubscriptionOrder' | 'nextOrderNumber'>;
  invoices: Pick<typeof invoiceRepo, 'withInvoiceNumber'>;
  /** Who issues the invoice and how it is taxed (services/invoicing.ts). */
  invoicing: () => Pick<Invoicing, 'taxed'>;
  accounts: Pick<typeof accountRepo, 'getAccount'>;
  catalog: Pick<typeof catalogRepo, 'getProduct'>;
  /** Charges an invoice to the account's default card (services/payments.ts). */
  chargeInvoice: (invoice: { id: string; number: string; accountId: string; total: Order['total'] }, paymentMethodId: undefined, reference: string) => Promise<unknown>;
  /** Starts the order's workflow, or fails the order (services/order-lifecycle.ts). */
  startOrFail: (order: { id: string; automatic: boolean }) => Promise<string>;
  newId: typeof newId;
}

export interface SubscriptionDeps extends SubscriptionOrderDeps {
  /** Whether the account (or one above it) is suspended: its change and cancellation orders then wait at the staff gates. */
  suspension: Pick<typeof accountRepo, 'suspendedAccountOn'>;
  subscriptions: Pick<typeof subscriptionRepo, 'getSubscription' | 'changeSubscription' | 'assignLicenses' | 'unassignLicenses'>;
  users: Pick<typeof userRepo, 'getUser'>;
  requestKeys: Pick<typeof requestKeyRepo, 'releaseRequestKey'>;
  clock: { now(): Date };
  /** A credit note names the invoice it corrects and reduces it, or refunds the card that paid it. */
  orderReads: Pick<typeof orderRepo, 'getOrder'>;
  invoiceReads: Pick<typeof invoiceRepo, 'getInvoice' | 'recordRefunded'>;
  gateway: () => Pick<PaymentGateway, 'refundPart'>;
  /** A raise paid with a chosen payment method (services/card-charge.ts): a card is charged before the write. */
  cards?: CardCharge;
}

/** What a credit does to the invoice it corrects: reduce what is due on it, or refund its card. */
interface CreditOutcome {
  corrects: Invoice;
  apply?: CreditApplied;
  refund?: Money;
}

/** Tries of a change order against concurrent changes of its subscription. */
const ORDER_TRIES = 10;

export type ChangeOutcome = { kind: 'order'; order: Order } | { kind: 'subscription'; subscription: Subscription };

type OrderPlan = { type: 'change' | 'cancellation'; line: Omit<OrderLine, 'subscriptionId'>; set: SubscriptionChange; invoiceReason: string };

function refuseLowering(sub: Subscription, now: Date, wanted: number) {
  const canLower = lowerableNow(sub.cancellationWindows, now);
  return new Conflict(
    'cancellation_window_closed',
    `Only ${canLower} license(s) can be lowered now; the rest stay until the renewal. Ask again with "effective": "renewal" to lower then.`,
    [
      {
        rule: 'Licenses can be lowered or cancelled only within the cancellation window of the purchase, raise or renewal that added them.',
        requested: wanted,
        lowerableNow: canLower,
        nextWindowOpens: sub.currentTermEnd ? nextWindowOpens(sub.currentTermEnd) : null,
      },
    ],
  );
}

function requireActive(sub: Subscription): void {
  if (sub.status !== 'active') throw new Conflict('invalid_state', `The subscription is ${sub.status}.`, [{ status: sub.status }]);
}

function belowAssigned(sub: Subscription) {
  return new Conflict('below_assigned', `${sub.assignedCount} license(s) are assigned; unassign some first.`, [{ assignedCount: sub.assignedCount }]);
}

/** A change of `quantity` licenses from `today`, by days: pro rata of the billing period, or of a co-termed first term to its end (domain/coterm.ts). */
const byDays = (sub: Subscription, quantity: number, today: string) =>
  changeAmount(sub.unitPrice.amount, quantity, today, { term: sub.term as Term, billingPeriod: sub.billingPeriod as 'monthly' | 'annual', start: sub.currentTermStart ?? today, end: sub.currentTermEnd });

export function makeSubscriptionService(deps: SubscriptionDeps) {
  const { subscriptions, orders } = deps;

  /**
   * What a credit of `amount` (gross, minor units) does (docs/commerce.md "Credit notes"): it
   * corrects the invoice of the order that opened the newest open window (the licenses it gives
   * back were bought there); that invoice unpaid, the credit reduces what is still due on it (in the
   * credit note's transaction, on its version); paid by card, the credit is refunded to that card.
   * Undefined when no invoice can be named (licenses from before windows named their order).
   */
  async function creditFor(sub: Subscription, now: Date, amount: number): Promise<CreditOutcome | undefined> {
    const newest = [...openWindows(sub.cancellationWindows, now)].filter((w) => w.orderId).sort((a, b) => b.until.localeCompare(a.until))[0];
    const bought = newest?.orderId ? await deps.orderReads.getOrder(newest.orderId, true) : undefined;
    const corrects = bought?.invoiceId ? await deps.invoiceReads.getInvoice(bought.invoiceId, true) : undefined;
    if (!corrects) return undefined;
    const due = corrects.amountDue ?? corrects.total;
    if (corrects.status === 'unpaid' || corrects.status === 'overdue') {
      const left = Math.max(0, due.amount - amount);
      return { corrects, apply: { invoiceId: corrects.id, version: corrects.version, amountDue: { amount: left, currency: due.currency }, settled: left === 0, at: now.toISOString() } };
    }
    if (corrects.status === 'paid' && corrects.chargeReference) return { corrects, refund: { amount: Math.min(amount, corrects.total.amount), currency: due.currency } };
    return { corrects };
  }

  async function refundCredit(creditNoteId: string, chargeReference: string, amount: Money): Promise<void> {
    try {
      await deps.gateway().refundPart({ reference: chargeReference, refundReference: creditNoteId, amount: amount.amount });
      await deps.invoiceReads.recordRefunded(creditNoteId, deps.clock.now().toISOString());
    } catch (err) {
      // The credit note keeps its refund owed (`refund` without `refundedAt`) for staff to see and retry.
      logger.error('credit note refund not made', { creditNoteId, error: err as Error });
    }
  }

  /** Writes a change or cancellation order built from the fresh subscription, retrying on a concurrent change. */
  async function placeSubscriptionOrder(
    caller: Caller,
    subscriptionId: string,
    build: (sub: Subscription, now: Date, orderId: string) => OrderPlan,
    requestKey?: RequestKey,
    /** Chosen for a raise: a card is charged before the write (a decline: 402, nothing kept); `invoice` leaves it unpaid. */
    payWith?: PaymentMethod,
  ): Promise<Order> {
    // Read, decide and write again while the subscription changes under it; the charge and the
    // workflow come once, after the write (never inside the retry).
    const { order, invoice, credit, prepaid } = await retryOnConflict(
      async () => {
        const sub = await subscriptions.getSubscription(subscriptionId, true);
        if (!sub) throw new Conflict('invalid_state', 'The subscription is gone.');
        const now = deps.clock.now();
        const orderId = deps.newId('order');
        const plan = build(sub, now, orderId);
        const account = await deps.accounts.getAccount(sub.accountId);
        if (!account) throw new Error(`Account ${sub.accountId} is missing`);
        const suspended = (await deps.suspension.suspendedAccountOn(account.accountPath)) !== undefined;
        const invoiceId = deps.newId('invoice');
        const line: OrderLine = { ...plan.line, subscriptionId: sub.id };
        const number = await orders.nextOrderNumber();
        const items = subscriptionOrderItems({
          ids: { orderId, invoiceId, number, invoiceNumber: '' },
          sub,
          account,
          suspended,
          type: plan.type,
          line,
          by: actorOf(caller),
          now,
          invoice: { description: `${plan.invoiceReason}: ${sub.name}`, reason: plan.invoiceReason },
        });
        // The seller's invoice (or credit), taxed, numbered in the seller's series in the same transaction.
        const taxed = await deps.invoicing().taxed(account, items.invoice.lines, line.total.currency, now.toISOString().slice(0, 10));
        // A credit is a credit note correcting the invoice that sold the licenses (docs/commerce.md "Credit notes").
        const credit = taxed.total.amount < 0 ? await creditFor(sub, now, -taxed.total.amount) : undefined;
        const prepay = payWith?.type === 'card' && taxed.total.amount > 0 && deps.cards;
        const chargeId = prepay ? await deps.cards!.chargeFirst(payWith, account.id, taxed.total, orderId, 'nothing was changed') : undefined;
        const paid = chargeId ? { status: 'paid' as const, paidAt: now.toISOString(), chargeId, chargeReference: orderId, paymentMethodId: payWith!.id } : {};
        const written = await deps.invoices.withInvoiceNumber(taxed.sellerId, async (invoiceNumber, seat) => {
          const order = await orders.insertSubscriptionOrder({
            order: items.order,
            invoice: {
              ...items.invoice,
              ...taxed,
              number: invoiceNumber,
              ...(taxed.total.amount < 0 ? { kind: 'credit_note' as const } : {}),
              ...(credit ? { correctsInvoiceId: credit.corrects.id } : {}),
              ...(credit?.refund ? { refund: { amount: credit.refund, reference: invoiceId, requestedAt: now.toISOString() } } : {}),
              // A self-service subscription's invoices are its buyer's to see and pay (domain/self-service.ts).
              ...(sub.selfService ? { buyerUserId: sub.buyer.userId } : {}),
              ...paid,
            },
            subscription: { id: sub.id, version: sub.version, set: plan.set },
            ...(credit?.apply ? { apply: credit.apply } : {}),
            requestKey,
            seat,
          });
          return order && { order, invoice: { id: invoiceId, number: invoiceNumber, total: taxed.total }, credit, prepaid: chargeId !== undefined };
        }).catch(async (err: unknown) => {
          if (chargeId) await deps.cards!.refund(orderId);
          throw err;
        });
        // Charged for a write that did not happen (the subscription changed meanwhile): given back, then tried afresh.
        if (!written && chargeId) await deps.cards!.refund(orderId);
        if (written?.prepaid) await deps.cards!.settled(orderId);
        return written ?? RETRY;
      },
      { tries: ORDER_TRIES, exhausted: () => new TransientError('Too many concurrent changes to this subscription; try again.') },
    );
    // A raise is charged to the account's default card when it has one; a decline leaves the invoice unpaid.
    // A self-service raise is the buyer's to pay (with its own card, now or later), never the account's default card.
    if (invoice.total.amount > 0 && !prepaid && payWith?.type !== 'invoice' && !order.selfService) await deps.chargeInvoice({ ...invoice, accountId: order.accountId }, undefined, order.id);
    // A credit on a paid invoice goes back to the card that paid it, once (the credit note's id is the refund's reference).
    if (credit?.refund && credit.corrects.chargeReference) await refundCredit(invoice.id, credit.corrects.chargeReference, credit.refund);
    const executionArn = await deps.startOrFail(order).catch(async (err: unknown) => {
      // Failed at once and not kept (503 try_again): the same request sent again makes a new order.
      if (requestKey) await deps.requestKeys.releaseRequestKey(requestKey, order.id);
      throw err;
    });
    return { ...order, executionArn };
  }

  /**
   * A new total of licenses: at renewal (scheduled), or now — a raise is a `change` order charged
   * prorated for the rest of the billing period and opens the product's window; a lower takes
   * licenses out of open windows and is credited prorated. Never below the licenses assigned.
   */
  async function changeQuantity(
    caller: Caller,
    current: Subscription,
    input: { quantity: number; effective?: 'now' | 'renewal'; paymentMethodId?: string },
    /** The Idempotency-Key: written with the change order it makes (data/request-keys.ts). */
    requestKey?: RequestKey,
  ): Promise<ChangeOutcome> {
    requireActive(current);
    // At renewal the quantity is the scheduled change's (docs/product.md#scheduled-changes-at-renewal): the next term's product sets its range.
    const product = await deps.catalog.getProduct(input.effective === 'renewal' ? nextTermOf(current).productId : current.productId);
    const [min, max] = [product?.minQuantity ?? 1, product?.maxQuantity ?? MAX_QUANTITY];
    if (input.quantity < min || input.quantity > max) {
      throw new BusinessRuleRefused('quantity_out_of_range', `${product?.name ?? current.name} is sold in quantities of ${min} to ${max}.`, [{ path: 'quantity', min, max }]);
    }

    if (input.effective === 'renewal') {
      const subscription = await subscriptions.changeSubscription(current.id, (sub) => {
        requireActive(sub);
        if (input.quantity < sub.assignedCount) throw belowAssigned(sub);
        return { scheduledQuantity: input.quantity };
      });
      return { kind: 'subscription', subscription };
    }
    if (input.quantity === current.quantity) return { kind: 'subscription', subscription: current };
    // The payment method chosen for a raise (404 not this account's, 422 an expired card); a lowering is a credit and charges nothing.
    // A self-service subscription is paid with its buyer's own card; anything else with the account's (domain/self-service.ts).
    const buyerUserId = current.selfService ? current.buyer.userId : undefined;
    const payWith = input.paymentMethodId && input.quantity > current.quantity && deps.cards ? await deps.cards.usablePaymentMethod(current.accountId, input.paymentMethodId, buyerUserId) : undefined;

    const order = await placeSubscriptionOrder(
      caller,
      current.id,
      (sub, now, orderId) => {
        requireActive(sub);
        if (input.quantity < sub.assignedCount) throw belowAssigned(sub);
        const delta = input.quantity - sub.quantity;
        if (delta === 0) throw new Conflict('invalid_state', 'The subscription already has this quantity.');
        const today = isoDate(now);
        const base = subscriptionLineBase(sub);
        if (delta > 0) {
          const amount = byDays(sub, delta, today);
          return {
            type: 'change',
            invoiceReason: 'License increase',
            line: { ...base, action: 'update', quantity: delta, previousQuantity: sub.quantity, newQuantity: input.quantity, total: { amount, currency: sub.unitPrice.currency } },
            set: {
              quantity: input.quantity,
              // The window is tagged with its order so a vendor refusal can take it back.
              cancellationWindows: [...openWindows(sub.cancellationWindows, now), ...cancellationWindowOf(product, now.toISOString(), delta, orderId)],
            },
          };
        }
        const lower = -delta;
        if (lower > lowerableNow(sub.cancellationWindows, now)) throw refuseLowering(sub, now, lower);
        const amount = -byDays(sub, lower, today);
        return {
          type: 'change',
          invoiceReason: 'License decrease (credit)',
          line: {
            ...base,
            action: 'update',
            quantity: delta,
            previousQuantity: sub.quantity,
            newQuantity: input.quantity,
            previousWindows: sub.cancellationWindows,
            total: { amount, currency: sub.unitPrice.currency },
          },
          set: { quantity: input.quantity, cancellationWindows: consumeWindows(sub.cancellationWindows, lower, now) },
        };
      },
      requestKey,
      payWith,
    );
    return { kind: 'order', order };
  }

  /** Cancels a subscription whose licenses are all inside open windows: a `cancellation` order credited prorated. */
  async function cancel(caller: Caller, current: Subscription, input: { reason: string; comment?: string }): Promise<Order> {
    requireActive(current);
    return placeSubscriptionOrder(caller, current.id, (sub, now) => {
      requireActive(sub);
      // A cancellation still on its way to the vendor: a second one would credit twice. (A refused one turns auto-renew back on.)
      if (sub.cancellation && !sub.autoRenew) throw new Conflict('invalid_state', 'A cancellation of this subscription is already in progress.');
      if (sub.quantity > lowerableNow(sub.cancellationWindows, now)) throw refuseLowering(sub, now, sub.quantity);
      const today = isoDate(now);
      const amount = -byDays(sub, sub.quantity, today);
      return {
        type: 'cancellation',
        invoiceReason: 'Cancellation (credit)',
        line: {
          ...subscriptionLineBase(sub),
          action: 'cancel',
          quantity: -sub.quantity,
          previousQuantity: sub.quantity,
          newQuantity: 0,
          total: { amount, currency: sub.unitPrice.currency },
        },
        set: {
          autoRenew: false,
          cancellation: { reason: input.reason, ...(input.comment ? { comment: input.comment } : {}), at: now.toISOString(), by: actorOf(caller).userId },
        },
      };
    });
  }

  /** PATCH: auto-renew on or off (an active or suspended subscription); the domain never changes (docs/product.md#microsoft-domains). */
  async function edit(current: Subscription, input: { autoRenew?: boolean; domainId?: string }, opts: { ifMatch?: number } = {}): Promise<Subscription> {
    if (input.domainId !== undefined && input.domainId !== current.domainId) {
      // docs/product.md#microsoft-domains: moving licenses to another tenant means buying a new subscription there.
      throw new BusinessRuleRefused('domain_immutable', 'A subscription stays on its domain; buy a new subscription on the other domain instead.', [{ path: 'domainId' }]);
    }
    const requireRenewable = (sub: Subscription) => {
      if (sub.status !== 'active' && sub.status !== 'suspended') throw new Conflict('invalid_state', `The subscription is ${sub.status}.`, [{ status: sub.status }]);
    };
    requireRenewable(current);
    if (input.autoRenew === undefined) return current;
    const autoRenew = input.autoRenew;
    return subscriptions.changeSubscription(
      current.id,
      (sub) => {
        requireRenewable(sub);
        return { autoRenew };
      },
      opts,
    );
  }

  /** Only users of the subscription's own customer account who are not deactivated (docs/product.md#subscriptions-and-licenses). */
  async function assignableUsers(subscription: Subscription, userIds: string[]): Promise<string[]> {
    const unique = [...new Set(userIds)];
    const users = await Promise.all(unique.map((u) => deps.users.getUser(u)));
    const refused = unique.filter((u, i) => !users[i] || users[i]!.accountId !== subscription.accountId || users[i]!.status === 'deactivated');
    if (refused.length) {
      throw new BusinessRuleRefused('user_not_assignable', 'Licenses go only to users of the same account who are not deactivated.', refused.map((userId) => ({ userId })));
    }
    return unique;
  }

  /** Assigns licenses of an active subscription to users of its account, never beyond its quantity. */
  async function assign(caller: Caller, subscription: Subscription, userIds: string[]) {
    if (subscription.status !== 'active') throw new Conflict('invalid_state', `The subscription is ${subscription.status}.`);
    const users = await assignableUsers(subscription, userIds);
    return subscriptions.assignLicenses(subscription.id, users, actorOf(caller).userId);
  }

  /** Takes licenses back; users who held none are left out of `removed`. */
  async function unassign(subscription: Subscription, userIds: string[]) {
    return subscriptions.unassignLicenses(subscription.id, [...new Set(userIds)]);
  }

  return { changeQuantity, cancel, edit, assign, unassign };
}

export type SubscriptionService = ReturnType<typeof makeSubscriptionService>;

export const subscriptionService = makeSubscriptionService({
  subscriptions: subscriptionRepo,
  orders: orderRepo,
  invoices: invoiceRepo,
  accounts: accountRepo,
  suspension: accountRepo,
  catalog: catalogRepo,
  users: userRepo,
  requestKeys: requestKeyRepo,
  orderReads: orderRepo,
  invoiceReads: invoiceRepo,
  gateway: getPaymentGateway,
  invoicing,
  chargeInvoice,
  startOrFail,
  cards: cardCharge,
  clock,
  newId,
});

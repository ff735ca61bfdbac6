import { getAccount } from '#data/accounts.ts';
import { getProduct } from '#data/catalog.ts';
import { nextInvoiceNumber } from '#data/invoices.ts';
import { insertSubscriptionOrder, nextOrderNumber, subscriptionLineBase, subscriptionOrderItems, type Order, type OrderLine } from '#data/orders.ts';
import { chargeInvoice } from '#services/payments.ts';
import { changeSubscription, getSubscription, type Subscription } from '#data/subscriptions.ts';
import { actorOf, type Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, TransientError } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { startOrFail } from '#services/order-lifecycle.ts';
import { billingPeriodAt, cancellationWindowOf, openWindows, consumeWindows, lowerableNow, nextWindowOpens, prorate } from '#domain/subscription-rules.ts';
import { isoDate } from '#domain/terms.ts';
import { MAX_QUANTITY } from '#domain/money.ts';
import { releaseRequestKey, type RequestKey } from '#data/request-keys.ts';

/**
 * Changing what a customer has (SPEC §3.5): raise any time (a `change` order and a prorated
 * charge for the rest of the billing period), lower now only within open cancellation windows (a
 * prorated credit), otherwise at renewal; cancel inside the window. Each runs under optimistic
 * locking: a concurrent change makes it start over on the fresh subscription.
 */
const SYSTEM_TRIES = 10;

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

export type ChangeOutcome = { kind: 'order'; order: Order } | { kind: 'subscription'; subscription: Subscription };

/** Writes a change or cancellation order built from the fresh subscription, retrying on a concurrent change. */
async function placeSubscriptionOrder(
  caller: Caller,
  subscriptionId: string,
  build: (sub: Subscription, now: Date, orderId: string) => { type: 'change' | 'cancellation'; line: Omit<OrderLine, 'subscriptionId'>; set: Record<string, unknown>; invoiceReason: string },
  requestKey?: RequestKey,
): Promise<Order> {
  for (let attempt = 0; attempt < SYSTEM_TRIES; attempt++) {
    const sub = await getSubscription(subscriptionId, true);
    if (!sub) throw new Conflict('invalid_state', 'The subscription is gone.');
    const now = clock.now();
    const orderId = newId('order');
    const plan = build(sub, now, orderId);
    const account = await getAccount(sub.accountId);
    if (!account) throw new Error(`Account ${sub.accountId} is missing`);
    const invoiceId = newId('invoice');
    const line: OrderLine = { ...plan.line, subscriptionId: sub.id };
    const [number, invoiceNumber] = await Promise.all([nextOrderNumber(), nextInvoiceNumber()]);
    const order = await insertSubscriptionOrder({
      ...subscriptionOrderItems({
        ids: { orderId, invoiceId, number, invoiceNumber },
        sub,
        account,
        type: plan.type,
        line,
        by: actorOf(caller),
        now,
        invoice: { description: `${plan.invoiceReason}: ${sub.name}`, reason: plan.invoiceReason },
      }),
      subscription: { id: sub.id, version: sub.version, set: plan.set },
      requestKey,
    });
    if (!order) continue;
    if (line.total.amount > 0) await chargeDefaultCard(order, { id: invoiceId, number: invoiceNumber });
    const executionArn = await startOrFail(order).catch(async (err: unknown) => {
      // Failed at once and not kept (503 try_again): the same request sent again makes a new order.
      if (requestKey) await releaseRequestKey(requestKey, order.id);
      throw err;
    });
    return { ...order, executionArn };
  }
  throw new TransientError('Too many concurrent changes to this subscription; try again.');
}

/** A raise is charged to the account's default card when it has one; a decline leaves the invoice unpaid. */
async function chargeDefaultCard(order: Order, invoice: { id: string; number: string }): Promise<void> {
  await chargeInvoice({ ...invoice, accountId: order.accountId, total: order.total }, undefined, order.id);
}

export async function changeQuantity(
  caller: Caller,
  current: Subscription,
  input: { quantity: number; effective?: 'now' | 'renewal' },
  /** The Idempotency-Key: written with the change order it makes (data/request-keys.ts). */
  requestKey?: RequestKey,
): Promise<ChangeOutcome> {
  requireActive(current);
  const product = await getProduct(current.productId);
  const [min, max] = [product?.minQuantity ?? 1, product?.maxQuantity ?? MAX_QUANTITY];
  if (input.quantity < min || input.quantity > max) {
    throw new BusinessRuleRefused('quantity_out_of_range', `${current.name} is sold in quantities of ${min} to ${max}.`, [{ path: 'quantity', min, max }]);
  }

  if (input.effective === 'renewal') {
    const subscription = await changeSubscription(current.id, (sub) => {
      requireActive(sub);
      if (input.quantity < sub.assignedCount) throw belowAssigned(sub);
      return { scheduledQuantity: input.quantity };
    });
    return { kind: 'subscription', subscription };
  }
  if (input.quantity === current.quantity) {
    return { kind: 'subscription', subscription: current };
  }

  const order = await placeSubscriptionOrder(caller, current.id, (sub, now, orderId) => {
    requireActive(sub);
    if (input.quantity < sub.assignedCount) throw belowAssigned(sub);
    const delta = input.quantity - sub.quantity;
    if (delta === 0) throw new Conflict('invalid_state', 'The subscription already has this quantity.');
    const today = isoDate(now);
    const period = billingPeriodAt(sub.currentTermStart ?? today, sub.billingPeriod as 'monthly' | 'annual', today);
    const base = subscriptionLineBase(sub);
    if (delta > 0) {
      const amount = prorate(sub.unitPrice.amount, delta, today, period);
      return {
        type: 'change' as const,
        invoiceReason: 'License increase',
        line: { ...base, action: 'update' as const, quantity: delta, previousQuantity: sub.quantity, newQuantity: input.quantity, total: { amount, currency: sub.unitPrice.currency } },
        set: {
          quantity: input.quantity,
          // The window is tagged with its order so a vendor refusal can take it back.
          cancellationWindows: [...openWindows(sub.cancellationWindows, now), ...cancellationWindowOf(product, now.toISOString(), delta, orderId)],
        },
      };
    }
    const lower = -delta;
    if (lower > lowerableNow(sub.cancellationWindows, now)) throw refuseLowering(sub, now, lower);
    const amount = -prorate(sub.unitPrice.amount, lower, today, period);
    return {
      type: 'change' as const,
      invoiceReason: 'License decrease (credit)',
      line: {
        ...base,
        action: 'update' as const,
        quantity: delta,
        previousQuantity: sub.quantity,
        newQuantity: input.quantity,
        previousWindows: sub.cancellationWindows,
        total: { amount, currency: sub.unitPrice.currency },
      },
      set: { quantity: input.quantity, cancellationWindows: consumeWindows(sub.cancellationWindows, lower, now) },
    };
  }, requestKey);
  return { kind: 'order', order };
}

export async function cancelSubscription(caller: Caller, current: Subscription, input: { reason: string; comment?: string }): Promise<Order> {
  requireActive(current);
  return placeSubscriptionOrder(caller, current.id, (sub, now) => {
    requireActive(sub);
    // A cancellation still on its way to the vendor: a second one would credit twice. (A refused one turns auto-renew back on.)
    if (sub.cancellation && !sub.autoRenew) throw new Conflict('invalid_state', 'A cancellation of this subscription is already in progress.');
    if (sub.quantity > lowerableNow(sub.cancellationWindows, now)) throw refuseLowering(sub, now, sub.quantity);
    const today = isoDate(now);
    const period = billingPeriodAt(sub.currentTermStart ?? today, sub.billingPeriod as 'monthly' | 'annual', today);
    const amount = -prorate(sub.unitPrice.amount, sub.quantity, today, period);
    return {
      type: 'cancellation' as const,
      invoiceReason: 'Cancellation (credit)',
      line: {
        ...subscriptionLineBase(sub),
        action: 'cancel' as const,
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

function belowAssigned(sub: Subscription) {
  return new Conflict('below_assigned', `${sub.assignedCount} license(s) are assigned; unassign some first.`, [{ assignedCount: sub.assignedCount }]);
}

import { shardOf } from './table.ts';

/**
 * The keys of the sparse, sharded due indexes (functions/data/table.ts gsi4, gsi5): an item carries
 * them only while something about it falls due, and its shard spreads a day over partitions.
 */
export function termDueKeys(subscriptionId: string, currentTermEnd: string) {
  return { dueKey: `${termDuePrefix(currentTermEnd)}#${shardOf(subscriptionId)}`, dueSort: subscriptionId };
}

/** The due-index prefix (before `#<shard>`) of the subscriptions whose term ends on `day` (the renewals job reads it). */
export const termDuePrefix = (day: string): string => `term#${day}`;

export function invoiceDueKeys(invoiceId: string, dueAt: string) {
  return { dueKey: `inv#${dueAt}#${shardOf(invoiceId)}`, dueSort: invoiceId };
}

/**
 * One partition family of a due index, read shard by shard (data/due-index.ts `readDuePage`):
 * `prefix#<shard>`, items sorting before `before` when given.
 */
export interface DueQuery {
  index: 'gsi4' | 'gsi5';
  prefix: string;
  before?: string;
}

/** The unpaid invoices due on `day` (the dunning job's reminder and overdue days). */
/** Subscriptions whose term ends on `day` (renewals: the terms that ended; the 7-day reminder). */
export const termsEndingOn = (day: string): DueQuery => ({ index: 'gsi4', prefix: termDuePrefix(day) });
export const invoicesDueOn = (day: string): DueQuery => ({ index: 'gsi4', prefix: `inv#${day}` });

/**
 * An overdue invoice that suspended subscriptions, by the day of its next grace step (the
 * cancellation warning, then the cancellation: docs/product.md#billing "Not paying").
 */
export function graceDueKeys(invoiceId: string, day: string) {
  return { dueKey: `grace#${day}#${shardOf(invoiceId)}`, dueSort: invoiceId };
}

/** The overdue invoices whose grace step (warning or cancellation) falls on `day` (the dunning job). */
export const graceDueOn = (day: string): DueQuery => ({ index: 'gsi4', prefix: `grace#${day}` });

/** The subscriptions whose next billing period starts on `day` (the billing job). */
export const billingDueOn = (day: string): DueQuery => ({ index: 'gsi5', prefix: `bill#${day}` });

export const UNSTARTED_PREFIX = 'start';

/** An order whose workflow has not been seen to start, by when it was written. */
export function unstartedKeys(orderId: string, createdAt: string) {
  return { dueKey: `${UNSTARTED_PREFIX}#${shardOf(orderId)}`, dueSort: `${createdAt}#${orderId}` };
}

export const PENDING_CHARGE_PREFIX = 'charge';

/** A card charge made (or about to be) for an order not yet written, by when. */
export function pendingChargeKeys(reference: string, createdAt: string) {
  return { dueKey: `${PENDING_CHARGE_PREFIX}#${shardOf(reference)}`, dueSort: `${createdAt}#${reference}` };
}

/** The whole `pendingCharge` item, keys included (data/charges.ts before a charge, `moveOrder` for a refund owed); `invoiceId` for an invoice's charge. */
export function pendingChargeItem(
  charge: { reference: string; accountId: string; amount: { amount: number; currency: string }; invoiceId?: string },
  createdAt: string,
) {
  const { reference, accountId, amount, invoiceId } = charge;
  return { reference, accountId, amount: amount.amount, currency: amount.currency, createdAt, ...(invoiceId ? { invoiceId } : {}), ...pendingChargeKeys(reference, createdAt) };
}

export function billingKeys(subscriptionId: string, nextBillingDate: string) {
  return { billKey: `bill#${nextBillingDate}#${shardOf(subscriptionId)}`, billSort: subscriptionId, nextBillingDate };
}

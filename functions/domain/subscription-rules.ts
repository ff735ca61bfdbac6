import { addDays, addMonths, daysBetween, termEnd } from './terms.ts';

/**
 * The NCE rules of docs/product.md#subscriptions-and-licenses as pure functions: cancellation windows, how many licenses can be
 * lowered now, when the next window opens, and proration by days rounded half-up. No I/O.
 */
/** A subscription's statuses (docs/product.md#subscriptions-and-licenses): the entity attribute and the API's enums reuse this list. */
export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'suspended', 'expired', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export interface Window {
  quantity: number;
  /** ISO time the window closes. */
  until: string;
  /** The change or renewal order that opened it, so a vendor refusal can take it back. */
  orderId?: string;
}

export function openWindows(windows: readonly Window[], now: Date): Window[] {
  return windows.filter((w) => Date.parse(w.until) > now.getTime() && w.quantity > 0);
}

/** How many licenses may be lowered now: those still inside an open window. */
export function lowerableNow(windows: readonly Window[], now: Date): number {
  return openWindows(windows, now).reduce((n, w) => n + w.quantity, 0);
}

/** The next window opens with the renewal: the day after the term's last day. */
export function nextWindowOpens(currentTermEnd: string): string {
  return addDays(currentTermEnd, 1);
}

/**
 * The days the renewals job for `day` works on (docs/product.md#scheduled-jobs): terms that ended the day before renew
 * or expire; terms ending 6 days later (renewing in 7 days) are reminded.
 */
export function renewalDays(day: string): { ended: string; remindFor: string } {
  return { ended: addDays(day, -1), remindFor: addDays(day, 6) };
}

/** Takes `count` licenses out of the open windows, newest first; closed windows are dropped. */
export function consumeWindows(windows: readonly Window[], count: number, now: Date): Window[] {
  const open = openWindows(windows, now).sort((a, b) => Date.parse(b.until) - Date.parse(a.until));
  let left = count;
  const out: Window[] = [];
  for (const w of open) {
    const take = Math.min(left, w.quantity);
    left -= take;
    if (w.quantity - take > 0) out.push({ quantity: w.quantity - take, until: w.until });
  }
  if (left > 0) throw new Error(`Only ${count - left} of ${count} licenses are inside open windows`);
  return out.sort((a, b) => Date.parse(a.until) - Date.parse(b.until));
}

/**
 * THE rule for the window a new quantity opens (docs/product.md#subscriptions-and-licenses): the product's `cancellationWindowHours`
 * from the moment the licenses were added (a purchase completing, a raise, a renewal). No window
 * when the product has none (0 hours), is unknown, or nothing was added. `orderId` tags the window
 * with the order that opened it. Answers a list (empty or one window) to append to the open ones.
 */
export function cancellationWindowOf(
  product: { cancellationWindowHours?: number } | undefined,
  fromIso: string,
  quantity: number,
  orderId?: string,
): Window[] {
  const hours = product?.cancellationWindowHours ?? 0;
  if (!(hours > 0) || quantity <= 0) return [];
  const until = new Date(Date.parse(fromIso) + hours * 3_600_000).toISOString();
  return [{ quantity, until, ...(orderId ? { orderId } : {}) }];
}

/**
 * The billing period containing `today` for a term that started on `termStart`: monthly billing
 * counts months from the term's start; annual billing counts years. Both ends inclusive dates.
 */
export function billingPeriodAt(termStart: string, billingPeriod: 'monthly' | 'annual', today: string): { start: string; end: string } {
  const step = billingPeriod === 'monthly' ? 1 : 12;
  let start = termStart;
  for (let k = 1; ; k++) {
    const next = addMonths(termStart, k * step);
    if (next > today) return { start, end: addDays(next, -1) };
    start = next;
  }
}

/** Half-up rounding of a rational to an integer (minor units); halves go away from zero, and never −0. */
export function roundHalfUp(numerator: number, denominator: number): number {
  if (denominator <= 0) throw new Error('denominator must be positive');
  const sign = numerator < 0 ? -1 : 1;
  const n = Math.abs(numerator);
  return sign * Math.floor((2 * n + denominator) / (2 * denominator)) + 0;
}

/**
 * The prorated amount for `quantity` licenses at `unitAmount` per billing period, from `today`
 * (inclusive) to the period's end (inclusive), by days, rounded half-up to the minor unit.
 */
export function prorate(unitAmount: number, quantity: number, today: string, period: { start: string; end: string }): number {
  const total = daysBetween(period.start, period.end) + 1;
  const remaining = Math.min(total, Math.max(0, daysBetween(today, period.end) + 1));
  return roundHalfUp(unitAmount * quantity * remaining, total);
}

/**
 * The start of the billing period after the one containing `today`, if it still lies in the term
 * (monthly billing of a one- or three-year term); undefined when the term ends first.
 */
export function nextBillingDate(termStart: string, term: 'P1M' | 'P1Y' | 'P3Y', billingPeriod: 'monthly' | 'annual', today: string): string | undefined {
  const end = termEnd(termStart, term);
  const period = billingPeriodAt(termStart, billingPeriod, today);
  const next = addDays(period.end, 1);
  return next <= end ? next : undefined;
}

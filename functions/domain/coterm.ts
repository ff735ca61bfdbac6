import { billingPeriodAt, prorate, roundHalfUp } from './subscription-rules.ts';
import { daysBetween, isoDate, termEnd, type Term } from './terms.ts';

/**
 * Co-terming (docs/product.md#subscriptions-and-licenses "Co-terming"): a new subscription whose
 * first term ends with another one's (or with the calendar month) instead of a full term from
 * today. The first term is priced by days: the term's price (the price per billing period times
 * the periods in a term) times the first term's days over a full term's days from today, both
 * counted inclusive, rounded half-up to the minor unit once per line, like `prorate`. The renewal
 * after it is a normal full term. No I/O.
 */

/** Billing periods in a term: a monthly-billed year is 12 periods, an annual-billed three years 3. */
export function periodsPerTerm(term: Term, billingPeriod: 'monthly' | 'annual'): number {
  const months = term === 'P1M' ? 1 : term === 'P1Y' ? 12 : 36;
  return billingPeriod === 'monthly' ? months : Math.max(1, months / 12);
}

/** The last day of `today`'s calendar month (`YYYY-MM-DD`). */
export function endOfCalendarMonth(today: string): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return isoDate(new Date(Date.UTC(y, m, 0)));
}

/** Days from `from` to `to`, both counted (0 when `to` is before `from`). */
export function daysInclusive(from: string, to: string): number {
  return Math.max(0, daysBetween(from, to) + 1);
}

/** Why a first term cannot end on `end`: not after today (a subscription's end), or beyond the offer's own term. */
export type CoTermRefusal = 'term_ended' | 'beyond_term';

/**
 * Whether a first term bought `today` on `term` may end on `end`: it must end today or later
 * (`strictlyAfterToday`: after today, for another subscription's end) and no later than a full
 * term from today would.
 */
export function coTermRefusal(today: string, term: Term, end: string, strictlyAfterToday: boolean): CoTermRefusal | undefined {
  if (strictlyAfterToday ? end <= today : end < today) return 'term_ended';
  if (end > termEnd(today, term)) return 'beyond_term';
  return undefined;
}

/** The by-days first term: its days, a full term's days from today, and the line's amount. */
export interface CoTermPrice {
  days: number;
  fullDays: number;
  amount: number;
}

/**
 * What `quantity` licenses at `unitAmount` per billing period cost for a first term from `today`
 * to `end` (inclusive): the term's price × days / a full term's days, half-up to the minor unit.
 */
export function coTermPrice(unitAmount: number, quantity: number, today: string, term: Term, billingPeriod: 'monthly' | 'annual', end: string): CoTermPrice {
  const fullDays = daysInclusive(today, termEnd(today, term));
  const days = Math.min(fullDays, daysInclusive(today, end));
  const termAmount = unitAmount * periodsPerTerm(term, billingPeriod) * quantity;
  // Price × quantity × 36 months is bounded to a safe integer (money.ts); times the days it may not be.
  const product = BigInt(termAmount) * BigInt(days);
  const amount = Number.isSafeInteger(termAmount * days) ? roundHalfUp(termAmount * days, fullDays) : Number((2n * product + BigInt(fullDays)) / (2n * BigInt(fullDays)));
  return { days, fullDays, amount };
}

/** Whether a term is a co-termed first term: it ends before a full term from its start would. */
export function isShortenedTerm(start: string, end: string, term: Term): boolean {
  return end < termEnd(start, term);
}

/**
 * What changing `quantity` licenses costs from `today` (a raise's charge, or a lowering's credit as a
 * positive amount): in a co-termed first term (billed whole when bought) the term's price by days to
 * its end, as it was bought; in any other term the billing period's price pro rata (`prorate`).
 */
export function changeAmount(
  unitAmount: number,
  quantity: number,
  today: string,
  t: { term: Term; billingPeriod: 'monthly' | 'annual'; start: string; end?: string | null },
): number {
  if (t.end && isShortenedTerm(t.start, t.end, t.term)) return coTermPrice(unitAmount, quantity, today, t.term, t.billingPeriod, t.end).amount;
  return prorate(unitAmount, quantity, today, billingPeriodAt(t.start, t.billingPeriod, today));
}

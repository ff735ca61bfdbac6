/**
 * Subscription terms (docs/product.md#scheduled-jobs): `currentTermEnd` is the last day of the term, inclusive, as a
 * date. Bought 2027-01-10 on a monthly term → 2027-02-09; on an annual term → 2028-01-09.
 * Month ends clamp: bought 2027-01-31 monthly → the term ends 2027-02-27 (the day before 02-28).
 */
export type Term = 'P1M' | 'P1Y' | 'P3Y';

const MONTHS: Record<Term, number> = { P1M: 1, P1Y: 12, P3Y: 36 };

/** `YYYY-MM-DD` of a Date in UTC. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The day `n` days after (or before, when negative) `day` (`YYYY-MM-DD`). */
export function addDays(day: string, n: number): string {
  return isoDate(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));
}

/** Whole days from `from` to `to` (`YYYY-MM-DD`; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The same day `months` months after `date` (`YYYY-MM-DD`), clamped to the end of a shorter month (01-31 + 1 → 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const targetMonth = m - 1 + months;
  const lastDay = new Date(Date.UTC(y, targetMonth + 1, 0)).getUTCDate();
  return isoDate(new Date(Date.UTC(y, targetMonth, Math.min(d, lastDay))));
}

/** The last day (inclusive) of a term that starts on `start` (`YYYY-MM-DD`). */
export function termEnd(start: string, term: Term): string {
  return addDays(addMonths(start, MONTHS[term]), -1);
}

import { addDays } from './terms.ts';

/**
 * Not paying (docs/product.md#billing "Not paying"): a subscription the dunning job suspended for an
 * overdue invoice is cancelled when it is still suspended `suspensionGraceDays` (an account
 * setting, set by the account above) after the day it was suspended, with a warning email 7 days
 * before. Pure: no I/O.
 */

/** The account setting's default and bounds (days). */
export const DEFAULT_GRACE_DAYS = 30;
export const MIN_GRACE_DAYS = 1;
export const MAX_GRACE_DAYS = 365;

/** The warning goes out this many days before the cancellation. */
export const WARNING_DAYS_BEFORE = 7;

/** The grace an account gives (its setting, or the default for an account stored before the setting existed). */
export const graceDaysOf = (settings: { suspensionGraceDays?: number | null }): number => settings.suspensionGraceDays ?? DEFAULT_GRACE_DAYS;

/**
 * The days of a suspension that began on `suspendedOn` (`YYYY-MM-DD`, the dunning run's day):
 * `cancelOn` = suspendedOn + graceDays; `warnOn` = 7 days before it, but never on the suspension
 * day itself (its email already went out) — with a grace of 8 days or fewer the warning goes the
 * day after the suspension, and with a grace of 1 day there is no day left for a warning
 * (`warnOn` undefined).
 */
export function graceDays(suspendedOn: string, graceDays: number): { warnOn?: string; cancelOn: string } {
  const cancelOn = addDays(suspendedOn, graceDays);
  const warnOn = graceDays - WARNING_DAYS_BEFORE > 0 ? addDays(cancelOn, -WARNING_DAYS_BEFORE) : addDays(suspendedOn, 1);
  return warnOn < cancelOn ? { warnOn, cancelOn } : { cancelOn };
}

/** The step an overdue invoice waits for in the grace index: the warning, then the cancellation. */
export type GraceStep = 'warn' | 'cancel';

/**
 * What the dunning job of `day` does with an invoice it finds in the grace index: only an invoice
 * still `overdue` whose step is due that day acts; anything else (paid in time, voided, another
 * day) does nothing but leave the index.
 */
export function graceAction(invoice: { status: string; graceStep?: string | null; graceOn?: string | null }, day: string): GraceStep | 'drop' {
  if (invoice.status !== 'overdue' || invoice.graceOn !== day) return 'drop';
  return invoice.graceStep === 'cancel' ? 'cancel' : 'warn';
}

/** A suspended subscription is cancelled on `day` when it is still suspended and its cancellation day has come. */
export const cancelsNow = (sub: { status: string; cancelsOn?: string | null }, day: string): boolean =>
  sub.status === 'suspended' && typeof sub.cancelsOn === 'string' && sub.cancelsOn <= day;

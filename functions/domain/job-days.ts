import { addDays, daysBetween } from './terms.ts';

/**
 * The days a daily job's run walks (docs/operations.md "Scheduled jobs"): each day from the day after
 * the last one it fully did up to the run's own day, so a day whose run never came (an outage, a
 * deploy that removed the schedule for a while) is done by the next run that comes. The walk is
 * bounded: at most MAX_CATCH_UP_DAYS days, the run's day included; older missed days are reported
 * (`notWalked`) for an operator to run by hand, one day each (a `manual` run).
 */
export const MAX_CATCH_UP_DAYS = 35;

export interface CatchUp {
  /** The days to run, oldest first; the run's day is always the last. */
  days: string[];
  /** Days from the last fully done day to the run's day: 1 when the job is on time (JobDaysBehind). */
  behind: number;
  /** Missed days older than the bound, left out of the walk (0 when none). */
  notWalked: number;
}

/**
 * `lastDone`: the job's run record (the last day it fully did), undefined before its first run.
 * No record: only the run's day (a new deployment does not replay history). A record on or after
 * the run's day (a re-run, a retried or continued run of a day already done, a clock moved back):
 * only the run's day again, which the conditional writes make a no-op where it was done.
 */
export function catchUpDays(lastDone: string | undefined, day: string, maxDays = MAX_CATCH_UP_DAYS): CatchUp {
  if (!Number.isInteger(maxDays) || maxDays < 1) throw new Error(`maxDays must be a positive integer, not ${maxDays}`);
  if (lastDone === undefined) return { days: [day], behind: 1, notWalked: 0 };
  const behind = daysBetween(lastDone, day);
  if (behind <= 0) return { days: [day], behind: Math.max(behind, 0), notWalked: 0 };
  const walked = Math.min(behind, maxDays);
  return {
    days: Array.from({ length: walked }, (_, i) => addDays(day, i - walked + 1)),
    behind,
    notWalked: behind - walked,
  };
}

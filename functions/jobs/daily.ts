import type { Context } from 'aws-lambda';
import { lastDoneDay, recordDayDone } from '#data/job-runs.ts';
import { clock } from '#platform/clock.ts';
import { logger } from '#platform/logger.ts';
import { catchUpDays } from '#domain/job-days.ts';
import { addDays, isoDate } from '#domain/terms.ts';
import { jobMetric, type ScheduledJobEvent } from './continuation.ts';
import { JobRun, type JobResult } from './shared.ts';

export interface DailyJobResult extends JobResult {
  /** The days this run finished, oldest first: a catch-up walk finishes several. */
  daysDone: string[];
  /** Days from the last fully done day to the run's day when the run began (1 when on time). */
  daysBehind: number;
}

export interface DailyDeps {
  lastDoneDay: (job: string) => Promise<string | undefined>;
  recordDayDone: (job: string, day: string, at: string) => Promise<boolean>;
  daysBehind: (job: string, days: number) => void;
}

const DEPS: DailyDeps = { lastDoneDay, recordDayDone, daysBehind: (job, days) => jobMetric('JobDaysBehind', job, days) };

/**
 * A daily job's run with catch-up (docs/operations.md "Scheduled jobs"): it does each day from the day
 * after the job's last fully done day up to its own day (domain/job-days.ts, at most
 * MAX_CATCH_UP_DAYS), oldest first, each as that day's run at the same time of day, and records each
 * finished day before the next one. Where it stops (its time limit, `maxItems`), the next run (its
 * continuation, a retry, tomorrow's) starts again at the first day not recorded; the days' writes are
 * conditional, so the part of that day already done is a no-op. A `manual` run does its own day only
 * and leaves the record alone. Emits `JobDaysBehind`.
 */
export async function runDaily(
  job: string,
  event: ScheduledJobEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  work: (run: JobRun) => Promise<void>,
  deps: DailyDeps = DEPS,
): Promise<DailyJobResult> {
  const at = event.time ? new Date(event.time) : clock.now();
  if (Number.isNaN(at.getTime())) throw new Error(`Invalid job time ${event.time}`);
  const iso = at.toISOString();
  const day = isoDate(at);
  if (event.manual) {
    const run = new JobRun(job, { ...event, time: iso }, context);
    await work(run);
    const result = run.result();
    return { ...result, daysDone: result.done ? [day] : [], daysBehind: 0 };
  }

  const walk = catchUpDays(await deps.lastDoneDay(job), day);
  deps.daysBehind(job, walk.behind);
  if (walk.behind > 1) logger.warn('daily job catches up missed days', { job, day, days: walk.days, behind: walk.behind });
  if (walk.notWalked > 0) {
    const first = addDays(walk.days[0]!, -walk.notWalked);
    logger.error('daily job: missed days older than the catch-up bound are not walked; run them by hand (docs/operations.md "A job that did not finish")', {
      job,
      day,
      from: first,
      to: addDays(walk.days[0]!, -1),
      notWalked: walk.notWalked,
    });
  }

  const total = { processed: 0, skipped: 0, itemsRead: 0 };
  const daysDone: string[] = [];
  for (const d of walk.days) {
    const used = total.processed + total.skipped;
    const run = new JobRun(job, { ...event, time: `${d}${iso.slice(10)}`, ...(event.maxItems !== undefined ? { maxItems: Math.max(0, event.maxItems - used) } : {}) }, context);
    await work(run);
    const r = run.result();
    total.processed += r.processed;
    total.skipped += r.skipped;
    total.itemsRead += r.itemsRead;
    if (!r.done) return { job, day, ...total, done: false, daysDone, daysBehind: walk.behind };
    await deps.recordDayDone(job, d, clock.nowIso());
    daysDone.push(d);
  }
  return { job, day, ...total, done: true, daysDone, daysBehind: walk.behind };
}

import { clock } from '../functions/platform/clock.ts';
import { JOBS, type JobName } from '../functions/registry.ts';
import type { LocalAsyncLambda } from './job-runs.ts';
import { invoke } from './lambda.ts';

/**
 * A run of a job by hand (`POST /_local/jobs/{name}`): synchronous, exactly the clock's day (or the
 * event's `time`), no catch-up and no continuation (`manual`, functions/jobs/continuation.ts); the
 * caller sees `done: false` and runs it again.
 */
export async function runJob(name: JobName, region: string, extra: Record<string, unknown> = {}): Promise<unknown> {
  return invoke(JOBS[name].fn, { time: clock.nowIso(), manual: true, ...extra }, region);
}

const NAMES = Object.keys(JOBS) as JobName[];

/**
 * The local stand-in for EventBridge Scheduler: the daily jobs run once a day of the local clock
 * (also after `/_local/clock` moves it), in order renewals, billing, dunning; the other jobs on every
 * tick. Each run is invoked as the scheduler does in AWS: asynchronously with its scheduled time
 * (local/job-runs.ts), so Lambda's retries, the on-failure destination and the job's own
 * continuations apply; a daily run catches up the days the clock skipped (functions/jobs/daily.ts).
 * Each job's run, with its retries and continuations, ends before the next job starts.
 */
export function startScheduler(opts: { lambda: LocalAsyncLambda; intervalMs?: number; log: (line: string) => void }): { stop(): void } {
  let lastDay: string | undefined;
  let running = false;
  const runAll = async (names: JobName[], label: string) => {
    for (const name of names) {
      const { invocations, failed } = await opts.lambda.runScheduled(JOBS[name].fn, { time: clock.nowIso() });
      const processed = invocations.reduce((n, i) => n + (((i.result as { processed?: number } | undefined)?.processed) ?? 0), 0);
      if (processed) opts.log(`scheduler: ${name} for ${label}: ${processed} processed in ${invocations.length} run(s)`);
      for (const f of failed) opts.log(`scheduler: ${name} for ${label} failed ${f.attempts} times (on-failure destination, GET /_local/jobs/failed): ${f.error}`);
    }
  };
  const tick = async () => {
    if (running) return;
    running = true;
    const day = clock.nowIso().slice(0, 10);
    try {
      // Each group on its own: a frequent job that fails does not hold up the day's jobs.
      await runAll(NAMES.filter((n) => !JOBS[n].daily), clock.nowIso()).catch((err: Error) => opts.log(`scheduler: ${err.message}`));
      if (day !== lastDay) {
        await runAll(NAMES.filter((n) => JOBS[n].daily), day);
        lastDay = day;
      }
    } catch (err) {
      opts.log(`scheduler: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 30_000);
  void tick();
  return { stop: () => clearInterval(timer) };
}

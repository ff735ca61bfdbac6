import { clock } from '../functions/platform/clock.ts';
import { JOBS, type JobName } from '../functions/registry.ts';
import { invoke } from './lambda.ts';

/**
 * The local stand-in for EventBridge Scheduler: the daily jobs run once a day of the local clock
 * (also after `/_local/clock` moves it), in order renewals, billing, dunning, each with "now" in its
 * event like the scheduler's; a job that stops before its limit is run again until it is done. The
 * other jobs (unstartedOrders) run on every tick.
 */
export async function runJob(name: JobName, region: string, extra: Record<string, unknown> = {}): Promise<unknown> {
  return invoke(JOBS[name].fn, { time: clock.nowIso(), ...extra }, region);
}

const NAMES = Object.keys(JOBS) as JobName[];

export function startScheduler(opts: { region: string; intervalMs?: number; log: (line: string) => void }): { stop(): void } {
  let lastDay: string | undefined;
  let running = false;
  const runAll = async (names: JobName[], label: string) => {
    for (const name of names) {
      for (let pass = 0; pass < 10; pass++) {
        const result = (await runJob(name, opts.region)) as { done?: boolean; processed?: number };
        if (result.processed) opts.log(`scheduler: ${name} for ${label}: ${result.processed} processed`);
        if (result.done !== false) break;
      }
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

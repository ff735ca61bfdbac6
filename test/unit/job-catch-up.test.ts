import { jest } from '@jest/globals';
import type { JobRun } from '../../functions/jobs/shared.ts';

process.env.TABLE_NAME = 'job-catch-up-test';
process.env.AWS_REGION ??= 'eu-west-1';

const { catchUpDays, MAX_CATCH_UP_DAYS } = await import('../../functions/domain/job-days.ts');
const { runDaily } = await import('../../functions/jobs/daily.ts');
const { continueUnlessDone, MAX_CONTINUATIONS } = await import('../../functions/jobs/continuation.ts');
const { logger } = await import('#platform/logger.ts');
jest.spyOn(logger, 'info').mockImplementation(() => undefined);
jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
jest.spyOn(logger, 'error').mockImplementation(() => undefined);

/**
 * Jobs that finish (docs/operations.md "Scheduled jobs"): the catch-up walk of a daily job
 * (domain/job-days.ts, jobs/daily.ts) from the day after its last fully done day up to the run's day,
 * bounded; the run record moved after each finished day and only then; and the continuation of a run
 * that stopped (jobs/continuation.ts): same time, one more, capped, `JobRunUnfinished` when it cannot.
 */
describe('catchUpDays', () => {
  it('walks only the run’s day when the job is on time', () => {
    expect(catchUpDays('2027-03-09', '2027-03-10')).toEqual({ days: ['2027-03-10'], behind: 1, notWalked: 0 });
  });

  it('walks every missed day, oldest first, up to the run’s day, across a month and a year end', () => {
    expect(catchUpDays('2027-03-07', '2027-03-10')).toEqual({ days: ['2027-03-08', '2027-03-09', '2027-03-10'], behind: 3, notWalked: 0 });
    expect(catchUpDays('2027-12-30', '2028-01-02').days).toEqual(['2027-12-31', '2028-01-01', '2028-01-02']);
    expect(catchUpDays('2028-02-27', '2028-03-01').days).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
  });

  it('walks only the run’s day before the first run and when the day is already done (a re-run, a clock moved back)', () => {
    expect(catchUpDays(undefined, '2027-03-10')).toEqual({ days: ['2027-03-10'], behind: 1, notWalked: 0 });
    expect(catchUpDays('2027-03-10', '2027-03-10')).toEqual({ days: ['2027-03-10'], behind: 0, notWalked: 0 });
    expect(catchUpDays('2027-04-01', '2027-03-10')).toEqual({ days: ['2027-03-10'], behind: 0, notWalked: 0 });
  });

  it(`is bounded: at most ${MAX_CATCH_UP_DAYS} days, the run’s day included; the older ones are counted, not walked`, () => {
    const walk = catchUpDays('2027-01-01', '2027-03-10');
    expect(walk.behind).toBe(68);
    expect(walk.days).toHaveLength(MAX_CATCH_UP_DAYS);
    expect(walk.days[0]).toBe('2027-02-04');
    expect(walk.days.at(-1)).toBe('2027-03-10');
    expect(walk.notWalked).toBe(68 - MAX_CATCH_UP_DAYS);
    expect(catchUpDays('2027-03-05', '2027-03-10', 3)).toEqual({ days: ['2027-03-08', '2027-03-09', '2027-03-10'], behind: 5, notWalked: 2 });
    expect(() => catchUpDays('2027-03-05', '2027-03-10', 0)).toThrow();
  });
});

describe('runDaily', () => {
  /** A run record in memory and a job whose days have `work[day]` items each. */
  function harness(lastDone: string | undefined, work: Record<string, number>) {
    const record = { lastDone };
    const recorded: string[] = [];
    const behind: number[] = [];
    const seen: { day: string; now: string }[] = [];
    const deps = {
      lastDoneDay: async () => record.lastDone,
      recordDayDone: async (_job: string, day: string) => {
        recorded.push(day);
        if (!record.lastDone || record.lastDone < day) record.lastDone = day;
        return true;
      },
      daysBehind: (_job: string, days: number) => behind.push(days),
    };
    const left = { ...work };
    const job = async (run: JobRun) => {
      seen.push({ day: run.day, now: run.now.toISOString() });
      while ((left[run.day] ?? 0) > 0) {
        if (!run.canContinue()) return;
        left[run.day]! -= 1;
        run.tally(true);
      }
    };
    return { record, recorded, behind, seen, deps, job, left };
  }

  it('does each missed day in order at the run’s time of day and records each one', async () => {
    const h = harness('2027-03-07', { '2027-03-08': 1, '2027-03-09': 2, '2027-03-10': 1 });
    const result = await runDaily('renewals', { time: '2027-03-10T00:15:00.000Z' }, undefined, h.job, h.deps);
    expect(result).toMatchObject({ job: 'renewals', day: '2027-03-10', processed: 4, done: true, daysDone: ['2027-03-08', '2027-03-09', '2027-03-10'], daysBehind: 3 });
    expect(h.seen).toEqual([
      { day: '2027-03-08', now: '2027-03-08T00:15:00.000Z' },
      { day: '2027-03-09', now: '2027-03-09T00:15:00.000Z' },
      { day: '2027-03-10', now: '2027-03-10T00:15:00.000Z' },
    ]);
    expect(h.recorded).toEqual(['2027-03-08', '2027-03-09', '2027-03-10']);
    expect(h.behind).toEqual([3]);
  });

  it('stops where the item budget ends, records only the finished days, and the next run goes on from there', async () => {
    const h = harness('2027-03-07', { '2027-03-08': 1, '2027-03-09': 3, '2027-03-10': 1 });
    const first = await runDaily('dunning', { time: '2027-03-10T00:45:00Z', maxItems: 2 }, undefined, h.job, h.deps);
    expect(first).toMatchObject({ processed: 2, done: false, daysDone: ['2027-03-08'] });
    expect(h.record.lastDone).toBe('2027-03-08');
    const second = await runDaily('dunning', { time: '2027-03-10T00:45:00Z', maxItems: 2 }, undefined, h.job, h.deps);
    // 03-09's last two items use the budget up: 03-09 is done, 03-10 is not begun.
    expect(second).toMatchObject({ processed: 2, done: false, daysDone: ['2027-03-09'], daysBehind: 2 });
    expect(h.record.lastDone).toBe('2027-03-09');
    const last = await runDaily('dunning', { time: '2027-03-10T00:45:00Z', maxItems: 2 }, undefined, h.job, h.deps);
    expect(last).toMatchObject({ processed: 1, done: true, daysDone: ['2027-03-10'], daysBehind: 1 });
    expect(h.left).toEqual({ '2027-03-08': 0, '2027-03-09': 0, '2027-03-10': 0 });
    expect(h.behind).toEqual([3, 2, 1]);
    expect(h.seen.map((s) => s.day)).toEqual(['2027-03-08', '2027-03-09', '2027-03-09', '2027-03-10', '2027-03-10']);
  });

  it('a manual run does its own day only and leaves the run record alone', async () => {
    const h = harness('2027-03-01', { '2027-03-05': 2, '2027-03-10': 1 });
    const result = await runDaily('billing', { time: '2027-03-10T09:00:00Z', manual: true }, undefined, h.job, h.deps);
    expect(result).toMatchObject({ day: '2027-03-10', processed: 1, done: true, daysDone: ['2027-03-10'] });
    expect(h.seen.map((s) => s.day)).toEqual(['2027-03-10']);
    expect(h.recorded).toEqual([]);
    expect(h.behind).toEqual([]);
  });

  it('does not record a day whose work threw (the retry does it again)', async () => {
    const h = harness('2027-03-08', {});
    const failing = async (run: JobRun) => {
      if (run.day === '2027-03-10') throw new Error('boom');
    };
    await expect(runDaily('renewals', { time: '2027-03-10T00:15:00Z' }, undefined, failing, h.deps)).rejects.toThrow('boom');
    expect(h.recorded).toEqual(['2027-03-09']);
  });
});

describe('continueUnlessDone', () => {
  const base = { job: 'renewals', day: '2027-03-10', processed: 2, skipped: 0, itemsRead: 2 };
  const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:portal-RenewalsJob';
  function deps(fail = false) {
    const invoked: { fn: string; payload: object }[] = [];
    const unfinished: string[] = [];
    return {
      invoked,
      unfinished,
      deps: {
        invoke: async (fn: string, payload: object) => {
          if (fail) throw new Error('TooManyRequestsException');
          invoked.push({ fn, payload });
        },
        unfinished: (job: string) => unfinished.push(job),
      },
    };
  }

  it('starts the next run of the same function for the same time, one continuation more', async () => {
    const d = deps();
    const end = await continueUnlessDone({ time: '2027-03-10T00:15:00Z', continuation: 3, reserveMs: 5000 }, { ...base, done: false }, { invokedFunctionArn: arn }, d.deps);
    expect(end).toBe('continued');
    expect(d.invoked).toEqual([{ fn: arn, payload: { time: '2027-03-10T00:15:00Z', continuation: 4, reserveMs: 5000 } }]);
    expect(d.unfinished).toEqual([]);
  });

  it('does nothing when the run is done, or is a manual run', async () => {
    const d = deps();
    expect(await continueUnlessDone({ time: '2027-03-10T00:15:00Z' }, { ...base, done: true }, { invokedFunctionArn: arn }, d.deps)).toBe('done');
    expect(await continueUnlessDone({ time: '2027-03-10T00:15:00Z', manual: true }, { ...base, done: false }, { invokedFunctionArn: arn }, d.deps)).toBe('manual');
    expect(d.invoked).toEqual([]);
    expect(d.unfinished).toEqual([]);
  });

  it(`stops at ${MAX_CONTINUATIONS} continuations and counts JobRunUnfinished`, async () => {
    const d = deps();
    expect(await continueUnlessDone({ time: '2027-03-10T00:15:00Z', continuation: MAX_CONTINUATIONS - 1 }, { ...base, done: false }, { invokedFunctionArn: arn }, d.deps)).toBe('continued');
    expect(await continueUnlessDone({ time: '2027-03-10T00:15:00Z', continuation: MAX_CONTINUATIONS }, { ...base, done: false }, { invokedFunctionArn: arn }, d.deps)).toBe('unfinished');
    expect(d.invoked).toHaveLength(1);
    expect(d.unfinished).toEqual(['renewals']);
  });

  it('counts JobRunUnfinished when the continuation cannot be started, and does not throw (the run itself succeeded)', async () => {
    const d = deps(true);
    expect(await continueUnlessDone({ time: '2027-03-10T00:15:00Z' }, { ...base, done: false }, { invokedFunctionArn: arn }, d.deps)).toBe('unfinished');
    expect(d.unfinished).toEqual(['renewals']);
  });
});

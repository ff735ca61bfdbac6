import { db } from './entities.ts';
import { isConditionalFailure } from './tx.ts';

/**
 * The run records of the daily jobs (`jobRun`, one item per job; docs/data-model.md): the last day the
 * job fully did. A run catches up from the day after it (domain/job-days.ts) and moves it forward
 * after each day it finishes.
 */

/** The last day `job` fully did, or undefined before its first run. */
export async function lastDoneDay(job: string): Promise<string | undefined> {
  const found = await db().entities.jobRun.get({ job }).go({ consistent: true });
  return found.data?.lastDoneDay;
}

/**
 * Records that `job` fully did `day`. Only forward: a record already at `day` or later (a continuation
 * or a retry that got further, a run of an earlier day by hand) stays as it is; answers whether it moved.
 */
export async function recordDayDone(job: string, day: string, at: string): Promise<boolean> {
  try {
    await db()
      .entities.jobRun.put({ job, lastDoneDay: day, updatedAt: at })
      .where((a, op) => `${op.notExists(a.lastDoneDay)} OR ${op.lt(a.lastDoneDay, day)}`)
      .go({ response: 'none' });
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

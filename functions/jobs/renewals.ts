import type { Context } from 'aws-lambda';
import { termsEndingOn } from '#data/due-keys.ts';
import type { Subscription } from '#data/subscriptions.ts';
import { logger } from '#platform/logger.ts';
import { renewalDays } from '#domain/subscription-rules.ts';
import { renewalService } from '#services/renewals.ts';
import { jobHandler, type ScheduledJobEvent } from './continuation.ts';
import { runDaily, type DailyJobResult } from './daily.ts';

/**
 * The renewals job for day D (docs/product.md#scheduled-jobs): subscriptions whose term ended on D−1 renew or expire;
 * subscriptions whose term ends on D+6 get the reminder that they renew (or expire) in 7 days.
 * The job finds them in the due index; what happens to each is services/renewals.ts. A run catches up
 * every day missed since the last one done (jobs/daily.ts).
 */
export async function runRenewals(event: ScheduledJobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DailyJobResult> {
  return runDaily('renewals', event, context, async (run) => {
    const { ended, remindFor } = renewalDays(run.day);
    for await (const sub of run.due<Subscription>(termsEndingOn(ended))) {
      if (await renewalService.renewOrExpire(sub, ended, run)) run.processed += 1;
      else run.skipped += 1;
    }
    for await (const sub of run.due<Subscription>(termsEndingOn(remindFor))) {
      if (await renewalService.remind(sub, remindFor, run)) run.processed += 1;
      else run.skipped += 1;
    }
  });
}

export const handler = jobHandler(runRenewals, (result) => logger.info('renewals job', { ...result }), 'renewals');

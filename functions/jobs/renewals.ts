import type { Context } from 'aws-lambda';
import { termsEndingOn } from '#data/due-keys.ts';
import type { Subscription } from '#data/subscriptions.ts';
import { logger } from '#platform/logger.ts';
import { renewalDays } from '#domain/subscription-rules.ts';
import { renewalService } from '#services/renewals.ts';
import { JobRun, type JobEvent, type JobResult } from './shared.ts';

/**
 * The renewals job for day D (docs/product.md#scheduled-jobs): subscriptions whose term ended on D−1 renew or expire;
 * subscriptions whose term ends on D+6 get the reminder that they renew (or expire) in 7 days.
 * The job finds them in the due index; what happens to each is services/renewals.ts.
 */
export async function runRenewals(event: JobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<JobResult> {
  const run = new JobRun('renewals', event, context);
  const { ended, remindFor } = renewalDays(run.day);
  for await (const sub of run.due<Subscription>(termsEndingOn(ended))) {
    if (await renewalService.renewOrExpire(sub, ended, run)) run.processed += 1;
    else run.skipped += 1;
  }
  for await (const sub of run.due<Subscription>(termsEndingOn(remindFor))) {
    if (await renewalService.remind(sub, remindFor, run)) run.processed += 1;
    else run.skipped += 1;
  }
  return run.result();
}

export const handler = async (event: JobEvent, context?: Context): Promise<JobResult> => {
  const result = await runRenewals(event, context);
  logger.info('renewals job', { ...result });
  return result;
};

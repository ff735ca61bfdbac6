import type { Context } from 'aws-lambda';
import { logger } from '#platform/logger.ts';
import { billingService } from '#services/billing.ts';
import { statementService } from '#services/statements.ts';
import { JobRun, type JobEvent, type JobResult } from './shared.ts';

/**
 * The billing job for day D (docs/product.md#billing, docs/product.md#scheduled-jobs): each subscription whose next billing period starts
 * on D (monthly billing within a longer term) gets the invoice of that period, charged to the
 * default card when there is one (services/billing.ts `runBilling`); on the 1st, each reseller's
 * statement for the month before (services/statements.ts).
 */
export async function runBilling(event: JobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<JobResult> {
  const run = new JobRun('billing', event, context);
  await billingService.runBilling(run);
  await statementService.runStatements(run);
  return run.result();
}

export const handler = async (event: JobEvent, context?: Context): Promise<JobResult> => {
  const result = await runBilling(event, context);
  logger.info('billing job', { ...result });
  return result;
};

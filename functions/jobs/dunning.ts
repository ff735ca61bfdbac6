import type { Context } from 'aws-lambda';
import { logger } from '#platform/logger.ts';
import { billingService } from '#services/billing.ts';
import { JobRun, type JobEvent, type JobResult } from './shared.ts';

/**
 * The dunning job for day D (docs/product.md#billing, docs/product.md#scheduled-jobs): unpaid invoices due on D+3 get the payment
 * reminder; unpaid invoices due on D−1 become `overdue`, the subscriptions they bill are
 * `suspended`, and the customer's admins are told, in one transaction per invoice
 * (services/billing.ts `runDunning`). A run handles exactly its own day: an invoice is made
 * overdue by the run of the day after its due date.
 */
export async function runDunning(event: JobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<JobResult> {
  const run = new JobRun('dunning', event, context);
  await billingService.runDunning(run);
  return run.result();
}

export const handler = async (event: JobEvent, context?: Context): Promise<JobResult> => {
  const result = await runDunning(event, context);
  logger.info('dunning job', { ...result });
  return result;
};

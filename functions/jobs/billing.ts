import type { Context } from 'aws-lambda';
import { logger } from '#platform/logger.ts';
import { billingService } from '#services/billing.ts';
import { statementService } from '#services/statements.ts';
import { jobHandler, type ScheduledJobEvent } from './continuation.ts';
import { runDaily, type DailyJobResult } from './daily.ts';

/**
 * The billing job for day D (docs/product.md#billing, docs/product.md#scheduled-jobs): each subscription whose next billing period starts
 * on D (monthly billing within a longer term) gets the invoice of that period, charged to the
 * default card when there is one (services/billing.ts `runBilling`); on the 1st, each reseller's
 * statement for the month before (services/statements.ts). A run catches up every day missed since
 * the last one done (jobs/daily.ts).
 */
export async function runBilling(event: ScheduledJobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DailyJobResult> {
  return runDaily('billing', event, context, async (run) => {
    await billingService.runBilling(run);
    await statementService.runStatements(run);
  });
}

export const handler = jobHandler(runBilling, (result) => logger.info('billing job', { ...result }), 'billing');

import type { Context } from 'aws-lambda';
import { logger } from '#platform/logger.ts';
import { billingService } from '#services/billing.ts';
import { jobHandler, type ScheduledJobEvent } from './continuation.ts';
import { runDaily, type DailyJobResult } from './daily.ts';

/**
 * The dunning job for day D (docs/product.md#billing, docs/product.md#scheduled-jobs): unpaid invoices due on D+3 get the payment
 * reminder; unpaid invoices due on D−1 become `overdue`, the subscriptions they bill are
 * `suspended`, and the customer's admins are told, in one transaction per invoice
 * (services/billing.ts `runDunning`). A run handles exactly its own day: an invoice is made
 * overdue by the run of the day after its due date; a day whose run never came is done, in order, by the
 * next run (jobs/daily.ts), so no invoice due then is left unpaid and not overdue.
 */
export async function runDunning(event: ScheduledJobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DailyJobResult> {
  return runDaily('dunning', event, context, (run) => billingService.runDunning(run));
}

export const handler = jobHandler(runDunning, (result) => logger.info('dunning job', { ...result }), 'dunning');

import type { Context } from 'aws-lambda';
import { pendingChargesBefore, unstartedOrdersBefore } from '#data/orders.ts';
import { logger } from '#platform/logger.ts';
import { settlePendingCharge, settleUnstartedOrder } from '#services/order-lifecycle.ts';
import { jobHandler } from './continuation.ts';
import { JobRun, type JobEvent, type JobResult } from './shared.ts';

/**
 * Every 5 minutes: settles the orders whose workflow start was lost — the process that wrote the
 * order stopped (a Lambda timeout, a crash) before it started the order's execution or recorded it
 * (docs/product.md#quality-bars "no order is left stuck"). Orders carry the `start#<shard>` keys of the due index from
 * their write until `setExecutionArn` or their failure removes them; this job reads those written
 * more than GRACE_MINUTES ago, longer than any function runs, so no live invocation can still be
 * about to start them. For each (services/order-lifecycle.ts settleUnstartedOrder):
 * - its execution exists (started, not recorded): the execution is recorded, the order goes on;
 * - it has none and is still `new`: it is failed with NOT_STARTED_REASON — reservations released,
 *   invoice voided, card charge refunded, staff emailed — as when Step Functions refuses a start
 *   (services/order-lifecycle.ts startOrFail). The request that placed it did not answer 201, and its client may already
 *   have placed it again, so starting it now could provision it twice;
 * - otherwise (already failed or gone) it only leaves the index.
 * It also settles the pending charges (`charge#<shard>`, older than the grace; data/charges.ts;
 * settlePendingCharge): a
 * charge stands only behind a live order. One whose order was never written (the process stopped
 * between the charge and the order's transaction, or the refund after a failed write did not go
 * through) or whose order failed or was cancelled (the refund after the move did not go through)
 * is refunded; one whose order is live is only forgotten. A charge that pays an invoice (the item
 * names it: `POST /v1/invoices/{id}/pay`, the billing and renewal jobs, a change's default card, or
 * the refund owed by a voided paid invoice) is forgotten only while that invoice is paid with it
 * and not voided; otherwise it is refunded.
 */
export const GRACE_MINUTES = 16;

export interface UnstartedOrdersResult extends JobResult {
  recorded: number;
  failed: number;
  refunded: number;
}

export async function runUnstartedOrders(event: JobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<UnstartedOrdersResult> {
  const run = new JobRun('unstartedOrders', event, context);
  const before = new Date(run.now.getTime() - GRACE_MINUTES * 60_000).toISOString();
  let recorded = 0;
  let failed = 0;
  let refunded = 0;
  const errors: string[] = [];
  // One item that keeps failing must not hold up the others: it is logged, left in the index for
  // the next run, and the run fails at the end (so its errors show in the function's metrics).
  const each = async <T>(key: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      logger.error('unstarted orders: item not settled; the next run retries it', { key, error: error as Error });
      errors.push(key);
      return undefined;
    }
  };
  for await (const item of run.due<{ id: string }>(unstartedOrdersBefore(before))) {
    const outcome = await each(item.id, () => settleUnstartedOrder(item.id));
    if (outcome === 'recorded') recorded += 1;
    if (outcome === 'failed') failed += 1;
    if (outcome === 'recorded' || outcome === 'failed') run.processed += 1;
    else run.skipped += 1;
  }
  for await (const item of run.due<{ reference: string }>(pendingChargesBefore(before))) {
    if (await each(item.reference, () => settlePendingCharge(item.reference))) {
      refunded += 1;
      run.processed += 1;
    } else {
      run.skipped += 1;
    }
  }
  const result = { ...run.result(), recorded, failed, refunded };
  if (errors.length > 0) throw new Error(`unstartedOrders: ${errors.length} item(s) not settled (${errors.slice(0, 5).join(', ')}); ${JSON.stringify(result)}`);
  return result;
}

export const handler = jobHandler(runUnstartedOrders, (result) => {
  if (result.processed > 0) logger.warn('unstarted orders settled', { ...result });
  else logger.info('unstarted orders job', { ...result });
}, 'unstartedOrders');

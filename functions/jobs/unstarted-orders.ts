import type { Context } from 'aws-lambda';
import { claimPendingCharge, clearPendingCharge, pendingInvoiceOf } from '#data/charges.ts';
import { refundPendingCharge } from '#services/payments.ts';
import { getInvoice } from '#data/invoices.ts';
import { PENDING_CHARGE_PREFIX, UNSTARTED_PREFIX } from '#data/due-keys.ts';
import { clearUnstarted, getOrder, setExecutionArn } from '#data/orders.ts';
import { logger } from '#platform/logger.ts';
import { executionArnOf, orderExecutionExists } from '#platform/workflow.ts';
import { failOrder } from '#services/order-lifecycle.ts';
import { JobRun, type JobEvent, type JobResult } from './shared.ts';

/**
 * Every 5 minutes: settles the orders whose workflow start was lost — the process that wrote the
 * order stopped (a Lambda timeout, a crash) before it started the order's execution or recorded it
 * (SPEC §6 "no order is left stuck"). Orders carry the `start#<shard>` keys of the due index from
 * their write until `setExecutionArn` or their failure removes them; this job reads those written
 * more than GRACE_MINUTES ago, longer than any function runs, so no live invocation can still be
 * about to start them. For each:
 * - its execution exists (started, not recorded): the execution is recorded, the order goes on;
 * - it has none and is still `new`: it is failed with NOT_STARTED_REASON — reservations released,
 *   invoice voided, card charge refunded, staff emailed — as when Step Functions refuses a start
 *   (services/order-lifecycle.ts startOrFail). The request that placed it did not answer 201, and its client may already
 *   have placed it again, so starting it now could provision it twice;
 * - otherwise (already failed or gone) it only leaves the index.
 * It also settles the pending charges (`charge#<shard>`, older than the grace; data/charges.ts): a
 * charge stands only behind a live order. One whose order was never written (the process stopped
 * between the charge and the order's transaction, or the refund after a failed write did not go
 * through) or whose order failed or was cancelled (the refund after the move did not go through)
 * is refunded; one whose order is live is only forgotten. A charge that pays an invoice (the item
 * names it: `POST /v1/invoices/{id}/pay`, the billing and renewal jobs, a change's default card, or
 * the refund owed by a voided paid invoice) is forgotten only while that invoice is paid with it
 * and not voided; otherwise it is refunded.
 */
export const GRACE_MINUTES = 16;
export const NOT_STARTED_REASON = 'The order was not started: the request that placed it did not finish. Nothing was provisioned.';

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
  for await (const item of run.due<{ id: string }>('gsi4', UNSTARTED_PREFIX, before)) {
    const outcome = await each(item.id, () => settle(item.id));
    if (outcome === 'recorded') recorded += 1;
    if (outcome === 'failed') failed += 1;
    if (outcome === 'recorded' || outcome === 'failed') run.processed += 1;
    else run.skipped += 1;
  }
  for await (const item of run.due<{ reference: string }>('gsi4', PENDING_CHARGE_PREFIX, before)) {
    if (await each(item.reference, () => settleCharge(item.reference))) {
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

/** Refunds a charge without a live order or invoice (true); forgets one that is attached to one. */
async function settleCharge(reference: string): Promise<boolean> {
  // Claimed first: from here an order's or an invoice payment's transaction can no longer take this charge.
  if (!(await claimPendingCharge(reference))) return false;
  const invoiceId = await pendingInvoiceOf(reference);
  if (invoiceId) {
    // An invoice's charge stands only if the invoice is paid with it and not voided since.
    const invoice = await getInvoice(invoiceId, true);
    if (invoice?.status === 'paid' && invoice.chargeReference === reference && !invoice.refund) {
      await clearPendingCharge(reference);
      return false;
    }
    logger.warn('card charge without its paid invoice; refunding', { reference, invoiceId, invoiceStatus: invoice?.status ?? 'gone' });
    return refundPendingCharge(reference);
  }
  const order = await getOrder(reference, true);
  if (order && order.status !== 'failed' && order.status !== 'cancelled') {
    await clearPendingCharge(reference);
    return false;
  }
  logger.warn('card charge without a live order; refunding', { reference, orderStatus: order?.status ?? 'never written' });
  // A refund that fails is logged and stays for the next run.
  return refundPendingCharge(reference);
}

async function settle(orderId: string): Promise<'recorded' | 'failed' | 'cleared'> {
  const order = await getOrder(orderId, true);
  // Only an order's first execution is named after it: an execution that resumes a lost one
  // (`<orderId>-r<n>`, services/order-lifecycle.ts) is started only for an order whose execution was
  // recorded, and is recorded itself, so no order reaches this with one.
  if (order && !order.executionArn && (await orderExecutionExists(orderId))) {
    await setExecutionArn(orderId, executionArnOf(orderId));
    logger.warn('order workflow had started but was not recorded; recorded now', { orderId });
    return 'recorded';
  }
  if (order?.status === 'new' && !order.executionArn) {
    logger.warn('order workflow was never started; failing the order', { orderId });
    await failOrder(orderId, NOT_STARTED_REASON);
    await clearUnstarted(orderId);
    return 'failed';
  }
  if (order) await clearUnstarted(orderId);
  return 'cleared';
}

export const handler = async (event: JobEvent, context?: Context): Promise<UnstartedOrdersResult> => {
  const result = await runUnstartedOrders(event, context);
  if (result.processed > 0) logger.warn('unstarted orders settled', { ...result });
  else logger.info('unstarted orders job', { ...result });
  return result;
};

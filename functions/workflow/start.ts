import { setExecutionArn } from '#data/orders.ts';
import { TransientError } from '#platform/errors.ts';
import { logger } from '#platform/logger.ts';
import { startOrderWorkflow } from '#platform/workflow.ts';
import { failOrder } from './fail.ts';

export const START_FAILED_REASON = 'The order could not be started (the workflow service did not take it); nothing was provisioned.';

/**
 * Starts a newly written order's workflow and records its execution. When Step Functions will not
 * take it (the SDK has already retried), the order is failed at once — what it reserved released,
 * its invoice voided, its charge refunded — rather than left `new` with no workflow behind it, and
 * the caller gets a TransientError (503 try_again): a retry places a new order.
 */
export async function startOrFail(order: { id: string; automatic: boolean }): Promise<string> {
  let executionArn: string;
  try {
    executionArn = await startOrderWorkflow(order.id, order.automatic);
  } catch (error) {
    logger.error('Order workflow did not start; failing the order', { orderId: order.id, error: error as Error });
    await failOrder(order.id, START_FAILED_REASON);
    throw new TransientError('The order could not be started and was not kept; try again.');
  }
  await setExecutionArn(order.id, executionArn);
  return executionArn;
}

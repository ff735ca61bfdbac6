import { logger } from '#platform/logger.ts';

/**
 * The shape of every workflow task: plain JSON in, JSON out. Errors keep their `name` (OrderNotActionable, DomainReady:
 * services/order-fulfillment.ts), which Step Functions sees as the error type that Retry and Catch match on.
 */
export function workflowTask<I extends { orderId: string }, O>(name: string, fn: (input: I) => Promise<O>) {
  return async (input: I): Promise<O> => {
    logger.appendKeys({ orderId: input.orderId, task: name });
    try {
      return await fn(input);
    } catch (err) {
      logger.warn('workflow task failed', { error: err as Error });
      throw err;
    } finally {
      logger.removeKeys(['orderId', 'task']);
    }
  };
}

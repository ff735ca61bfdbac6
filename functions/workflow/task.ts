import type { Context } from 'aws-lambda';
import { lambdaHandler } from '#platform/lambda-handler.ts';
import { logger } from '#platform/logger.ts';

/** What the state machine adds to every task's payload: the execution's input (`$$.Execution.Input`). */
export interface TaskExecution {
  execution?: { correlationId?: unknown };
}

/**
 * The shape of every workflow task: plain JSON in, JSON out. Errors keep their `name` (OrderNotActionable, DomainReady:
 * services/order-fulfillment.ts), which Step Functions sees as the error type that Retry and Catch match on.
 * Every line it logs carries the order, the task and the correlation id of the execution's input
 * (platform/correlation.ts; `order:<orderId>` for an execution started without one).
 */
export function workflowTask<I extends { orderId: string }, O>(name: string, fn: (input: I) => Promise<O>) {
  const run = async (input: I & TaskExecution): Promise<O> => {
    logger.appendKeys({ orderId: input.orderId, task: name });
    try {
      const out = await fn(input);
      logger.info('workflow task done');
      return out;
    } catch (err) {
      logger.warn('workflow task failed', { error: err as Error });
      throw err;
    } finally {
      logger.removeKeys(['orderId', 'task']);
    }
  };
  return lambdaHandler<I & TaskExecution, O>(run, (input: I & TaskExecution, _context: Context) => {
    const id = input.execution?.correlationId;
    return typeof id === 'string' && id ? id : `order:${input.orderId}`;
  });
}

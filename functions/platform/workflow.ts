import { DescribeExecutionCommand, SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { sfnClient } from './clients.ts';
import { currentCorrelationId } from './correlation.ts';
import { env } from './env.ts';

/**
 * The correlation id an execution's input carries (platform/correlation.ts): the id of the work that
 * starts it (the request that placed or approved the order, the job that resumed it). Every task
 * takes it from the input (`$$.Execution.Input`, workflow/task.ts), so an execution started by hand
 * without one still runs; its tasks then log `order:<orderId>`.
 */
const correlationOf = (orderId: string): string => currentCorrelationId() ?? `order:${orderId}`;

/**
 * The order workflow as the services drive it (services/order-lifecycle.ts, services/domains.ts):
 * one execution per order, named after it, so a repeated start cannot run an order twice. An
 * execution that was lost (stopped, timed out, or a local restart) is replaced by a resumed one
 * named `<orderId>-r<n>` (`resumeOrder`, services/order-lifecycle.ts).
 */
export async function startOrderWorkflow(orderId: string, automatic: boolean): Promise<string> {
  try {
    const out = await sfnClient().send(
      new StartExecutionCommand({ stateMachineArn: env.stateMachineArn(), name: orderId, input: JSON.stringify({ orderId, automatic, correlationId: correlationOf(orderId) }) }),
    );
    return out.executionArn!;
  } catch (err) {
    if ((err as Error).name === 'ExecutionAlreadyExists') return executionArnOf(orderId);
    throw err;
  }
}

/** Where a resumed execution starts: the gate the order's stored status waits at, or provisioning. */
export type ResumeAt = 'open' | 'provision' | 'provisioning';

/**
 * Starts a resumed execution of an order under `name`. Answers its ARN, or undefined when an
 * execution of that name already exists and is not running with the same input (the caller picks
 * the next name).
 */
export async function startResumedWorkflow(
  name: string,
  input: { orderId: string; automatic: boolean; resumeAt?: ResumeAt },
): Promise<string | undefined> {
  try {
    const out = await sfnClient().send(
      new StartExecutionCommand({ stateMachineArn: env.stateMachineArn(), name, input: JSON.stringify({ ...input, correlationId: correlationOf(input.orderId) }) }),
    );
    return out.executionArn!;
  } catch (err) {
    if ((err as Error).name === 'ExecutionAlreadyExists') return undefined;
    throw err;
  }
}

/** The ARN the order's execution has (or would have): executions are named after their order. */
export const executionArnOf = (orderId: string, name = orderId): string =>
  `${env.stateMachineArn().replace(':stateMachine:', ':execution:')}:${name}`;

/** The status of an execution (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED…), or undefined if there is none. */
export async function executionStatus(executionArn: string): Promise<string | undefined> {
  try {
    const out = await sfnClient().send(new DescribeExecutionCommand({ executionArn }));
    return out.status;
  } catch (err) {
    if ((err as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw err;
  }
}

/** Whether the order's execution exists (in any status). */
export async function orderExecutionExists(orderId: string): Promise<boolean> {
  return (await executionStatus(executionArnOf(orderId))) !== undefined;
}

/** The errors Step Functions answers a callback with when no task waits on the token any more. */
const TOKEN_GONE = new Set(['InvalidToken', 'TaskDoesNotExist', 'TaskTimedOut', 'ExecutionDoesNotExist']);

export const isTokenGone = (err: unknown): boolean => TOKEN_GONE.has((err as Error)?.name);

export async function resumeWorkflow(taskToken: string, output: unknown = {}): Promise<void> {
  await sfnClient().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
}

export async function stopWorkflow(executionArn: string, cause: string): Promise<void> {
  try {
    await sfnClient().send(new StopExecutionCommand({ executionArn, error: 'OrderCancelled', cause }));
  } catch (err) {
    if ((err as Error).name !== 'ExecutionDoesNotExist') throw err;
  }
}

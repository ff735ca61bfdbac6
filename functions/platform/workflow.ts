import { DescribeExecutionCommand, SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { sfnClient } from './clients.ts';
import { env } from './env.ts';

/**
 * The order workflow as the HTTP handlers drive it: one execution per order, named after it, so a
 * repeated start cannot run an order twice.
 */
export async function startOrderWorkflow(orderId: string, automatic: boolean): Promise<string> {
  try {
    const out = await sfnClient().send(
      new StartExecutionCommand({ stateMachineArn: env.stateMachineArn(), name: orderId, input: JSON.stringify({ orderId, automatic }) }),
    );
    return out.executionArn!;
  } catch (err) {
    if ((err as Error).name === 'ExecutionAlreadyExists') return executionArnOf(orderId);
    throw err;
  }
}

/** The ARN the order's execution has (or would have): executions are named after their order. */
export const executionArnOf = (orderId: string): string => `${env.stateMachineArn().replace(':stateMachine:', ':execution:')}:${orderId}`;

/** Whether the order's execution exists (in any status). */
export async function orderExecutionExists(orderId: string): Promise<boolean> {
  try {
    await sfnClient().send(new DescribeExecutionCommand({ executionArn: executionArnOf(orderId) }));
    return true;
  } catch (err) {
    if ((err as Error).name === 'ExecutionDoesNotExist') return false;
    throw err;
  }
}

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

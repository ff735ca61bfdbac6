import { getOrder, recordResumedExecution, type Order } from '#data/orders.ts';
import { isFinal } from '#domain/order-status.ts';
import { TransientError } from '#platform/errors.ts';
import { logger } from '#platform/logger.ts';
import { executionStatus, startResumedWorkflow, stopWorkflow, type ResumeAt } from '#platform/workflow.ts';

/**
 * Every order's workflow is resumable from the table: the stored status says where. When an
 * order's execution is gone (stopped, timed out, failed without failing the order, or lost with
 * the local service's memory at a restart), a new execution `<orderId>-r<n>` starts with
 * `resumeAt` (the Choice `IsAutomatic` of the ASL):
 * - a staff order `new` waits at gate 1 again (`open`), `open` at gate 2 (`provision`);
 * - a `provisioning` order goes through `AutoAdvance` (which only reads the domain then) to the
 *   partner gate or `SubmitToVendor`, which reuses a vendor request already stored;
 * - an automatic order that is `new` or `open` starts over at `AutoAdvance`, which moves it on
 *   from where it is.
 * Used by the gate actions and the partner acceptance when a callback finds its token gone, and
 * by the local stack at start (local/resume-workflows.ts).
 */
export function resumePoint(order: Pick<Order, 'status' | 'automatic'>): ResumeAt | undefined {
  if (order.status === 'provisioning') return 'provisioning';
  if (order.automatic) return undefined;
  return order.status === 'new' ? 'open' : 'provision';
}

/** The resume number of an execution name (`<orderId>-r<n>`), 0 for the first execution. */
export function resumeNumber(executionArn: string | undefined): number {
  const match = /-r(\d+)$/.exec(executionArn ?? '');
  return match ? Number(match[1]) : 0;
}

export type WorkflowState = 'running' | 'resumed' | 'final' | 'unstarted';

/**
 * Makes sure a live order has a running execution: `running` (it has; a callback that found its
 * token gone will find a new one parked soon), `resumed` (it had none; one was started and
 * recorded), `final` (nothing to run) or `unstarted` (no execution was ever recorded: that is the
 * unstartedOrders job's to settle, decision 53).
 */
export async function ensureWorkflow(orderId: string): Promise<WorkflowState> {
  const order = await getOrder(orderId, true);
  if (!order || isFinal(order.status)) return 'final';
  if (!order.executionArn) return 'unstarted';
  if ((await executionStatus(order.executionArn)) === 'RUNNING') return 'running';
  await resumeOrder(order);
  return 'resumed';
}

/** Starts and records the execution that resumes `order` (as read); answers the recorded ARN. */
export async function resumeOrder(order: Order): Promise<string> {
  const resumeAt = resumePoint(order);
  const input = { orderId: order.id, automatic: order.automatic, ...(resumeAt ? { resumeAt } : {}) };
  for (let n = resumeNumber(order.executionArn) + 1, tries = 0; tries < 5; n++, tries++) {
    // A name taken by an execution that ran before (a resume whose record was lost) is skipped;
    // a running one of the same name and input is the same resume, started by another caller.
    const executionArn = await startResumedWorkflow(`${order.id}-r${n}`, input);
    if (!executionArn) continue;
    if (await recordResumedExecution(order.id, order.executionArn, executionArn)) {
      logger.warn('order workflow resumed', { orderId: order.id, executionArn, resumeAt: resumeAt ?? 'start', status: order.status });
      return executionArn;
    }
    // Another caller resumed it first: one execution per order, so this one is stopped.
    const again = await getOrder(order.id, true);
    if (again?.executionArn !== executionArn) await stopWorkflow(executionArn, 'The order was resumed by another execution.');
    return again?.executionArn ?? executionArn;
  }
  throw new TransientError(`The workflow of order ${order.id} could not be resumed; try again.`);
}

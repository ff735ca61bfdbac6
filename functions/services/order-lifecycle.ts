import { getAccount } from '#data/accounts.ts';
import { getDomain } from '#data/domains.ts';
import { getOrder, moveOrder, recordResumedExecution, releaseOf, setExecutionArn, type Order } from '#data/orders.ts';
import { listActiveAdmins } from '#data/users.ts';
import { isFinal, type StatusChange } from '#domain/order-status.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { TransientError } from '#platform/errors.ts';
import { countEvent, logger } from '#platform/logger.ts';
import { refundPendingCharge } from '#services/payments.ts';
import { executionStatus, startOrderWorkflow, startResumedWorkflow, stopWorkflow, type ResumeAt } from '#platform/workflow.ts';

/**
 * The order lifecycle after placing: starting its workflow (or failing it when it will not start),
 * failing it, resuming a lost execution, and the moves its gates record. Used by http/ (the gate
 * actions, placing, the partner acceptance), workflow/ (the task handlers) and jobs/ (renewals,
 * unstarted orders).
 */

const SYSTEM = { system: 'order-workflow' };

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

/**
 * Any status → failed with its reason: what the order reserved is released and each distributor
 * admin gets the order-failed email in the same transaction; the card charge that paid it is
 * refunded. A cancelled or finished order is left alone. Also used when an order's workflow could
 * not be started at all (startOrFail, jobs/unstarted-orders.ts).
 */
export async function failOrder(orderId: string, reasonText: string): Promise<{ status: string }> {
  const order = await getOrder(orderId, true);
  if (!order || isFinal(order.status)) return { status: order?.status ?? 'missing' };
  const reason = reasonText.slice(0, 1000);
  const [account, admins] = await Promise.all([getAccount(order.accountId), listActiveAdmins(order.rootId)]);
  const moved = await moveOrder(order.id, 'failed', SYSTEM, {
    from: ['new', 'open', 'provisioning'],
    reason,
    set: { failureReason: reason },
    // A failed order no longer waits for its workflow to start (jobs/unstarted-orders.ts).
    clear: ['taskToken', 'waitingAt', 'dueKey', 'dueSort'],
    ...(await releaseOf(order)),
    outbox: admins.map((admin) =>
      outboxEmail(
        'order-failed',
        recipientOf(admin),
        { orderNumber: order.number, accountName: account?.name ?? order.accountId, reason, portalUrl: env.portalUrl() },
      ),
    ),
  });
  // It moved on meanwhile (completed, cancelled): nothing of it is undone, nothing refunded.
  if (!moved) return { status: (await getOrder(orderId, true))?.status ?? 'missing' };
  // The charges that paid it (its own, and its invoice's if paid apart) are refunded (idempotent at
  // the gateway); if the gateway cannot be reached, the pending charges the move recorded are
  // retried by jobs/unstarted-orders.ts.
  for (const reference of moved.owed) await refundPendingCharge(reference);
  countEvent('OrderFailed', { type: order.type });
  return { status: 'failed' };
}

/** Whether provisioning may go on: only a linked tenant still waiting for partner acceptance holds it. */
export async function domainReady(domainId: string): Promise<boolean> {
  const domain = await getDomain(domainId, true);
  return domain?.status !== 'pending_partner_acceptance';
}

/** What a staff gate's callback carries (POST /v1/orders/{id}/open|provision). */
export interface GateOutput {
  gate?: string;
  by?: StatusChange['by'];
  domainReady?: boolean;
}

/**
 * The gate action sends the callback first and moves the order after it, so the workflow may run
 * on before that move is written (or the process that sends it stops in between). The task after a
 * gate records the move itself, with the actor the callback carried; whichever of the two writes
 * it first wins, the other finds the order moved (a conditional, idempotent move).
 */
export async function recordGateMove(orderId: string, gate: GateOutput | undefined): Promise<void> {
  if (!gate?.by) return;
  if (gate.gate === 'open') await moveOrder(orderId, 'open', gate.by, { from: ['new'] });
  if (gate.gate === 'provision') await moveOrder(orderId, 'provisioning', gate.by, { from: ['open'] });
}

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

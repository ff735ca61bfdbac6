import * as accountRepo from '#data/accounts.ts';
import * as chargeRepo from '#data/charges.ts';
import * as domainRepo from '#data/domains.ts';
import * as invoiceRepo from '#data/invoices.ts';
import * as orderRepo from '#data/orders.ts';
import * as userRepo from '#data/users.ts';
import type { Order } from '#data/orders.ts';
import { isFinal, type OrderStatus, type StatusChange } from '#domain/order-status.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { Conflict, TransientError } from '#platform/errors.ts';
import { countEvent, logger } from '#platform/logger.ts';
import { clock } from '#platform/clock.ts';
import { getVendor, type Vendor } from '#platform/vendor/index.ts';
import * as workflowPort from '#platform/workflow.ts';
import type { ResumeAt } from '#platform/workflow.ts';
import { refundPendingCharge } from '#services/payments.ts';

/**
 * The order lifecycle after placing: starting its workflow (or failing it when it will not start),
 * the staff gates and cancelling, failing it, resuming a lost execution, and settling what a lost
 * start left behind. Used by http/ (the gate and cancel actions, placing, the partner acceptance),
 * workflow/ (the fail task, the moves the tasks record after a gate) and jobs/ (renewals, the
 * unstarted orders job).
 */

export interface OrderLifecycleDeps {
  orders: Pick<
    typeof orderRepo,
    'getOrder' | 'moveOrder' | 'releaseOf' | 'setExecutionArn' | 'recordResumedExecution' | 'claimTaskToken' | 'restoreTaskToken' | 'clearUnstarted'
  >;
  accounts: Pick<typeof accountRepo, 'getAccount'>;
  users: Pick<typeof userRepo, 'listActiveAdmins'>;
  domains: Pick<typeof domainRepo, 'getDomain'>;
  invoices: Pick<typeof invoiceRepo, 'getInvoice'>;
  charges: Pick<typeof chargeRepo, 'claimPendingCharge' | 'pendingInvoiceOf' | 'clearPendingCharge'>;
  payments: { refundPendingCharge: (reference: string) => Promise<boolean> };
  workflow: Pick<
    typeof workflowPort,
    'startOrderWorkflow' | 'startResumedWorkflow' | 'executionStatus' | 'executionArnOf' | 'orderExecutionExists' | 'resumeWorkflow' | 'stopWorkflow' | 'isTokenGone'
  >;
  vendor: () => Pick<Vendor, 'status'>;
  clock: { nowIso(): string };
  /** Real time, for waiting on a resumed execution to park (not the application clock). */
  timer: { ms(): number; sleep(ms: number): Promise<void> };
}

const SYSTEM = { system: 'order-workflow' };

export const START_FAILED_REASON = 'The order could not be started (the workflow service did not take it); nothing was provisioned.';
export const NOT_STARTED_REASON = 'The order was not started: the request that placed it did not finish. Nothing was provisioned.';

/** How long a gate action whose token was gone waits for the resumed execution to park again. */
export const GATE_PARK_WAIT_MS = 3000;

export type Gate = 'open' | 'provision';
/** Gate 1 moves new → open, gate 2 open → provisioning. */
const GATE_MOVES = { open: ['new', 'open'], provision: ['open', 'provisioning'] } as const satisfies Record<Gate, readonly [OrderStatus, OrderStatus]>;

/** What a staff gate's callback carries (POST /v1/orders/{id}/open|provision). */
export interface GateOutput {
  gate?: string;
  by?: StatusChange['by'];
  domainReady?: boolean;
}

export type WorkflowState = 'running' | 'resumed' | 'final' | 'unstarted';

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

export function makeOrderLifecycle(deps: OrderLifecycleDeps) {
  const { orders, workflow } = deps;

  /**
   * Starts a newly written order's workflow and records its execution. When Step Functions will
   * not take it (the SDK has already retried), the order is failed at once — what it reserved
   * released, its invoice voided, its charge refunded — rather than left `new` with no workflow
   * behind it, and the caller gets a TransientError (503 try_again): a retry places a new order.
   */
  async function startOrFail(order: { id: string; automatic: boolean }): Promise<string> {
    let executionArn: string;
    try {
      executionArn = await workflow.startOrderWorkflow(order.id, order.automatic);
    } catch (error) {
      logger.error('Order workflow did not start; failing the order', { orderId: order.id, error: error as Error });
      await failOrder(order.id, START_FAILED_REASON);
      throw new TransientError('The order could not be started and was not kept; try again.');
    }
    await orders.setExecutionArn(order.id, executionArn);
    return executionArn;
  }

  /**
   * Any status → failed with its reason: what the order reserved is released and each distributor
   * admin gets the order-failed email in the same transaction; the card charge that paid it is
   * refunded. A cancelled or finished order is left alone. Also used when an order's workflow
   * could not be started at all (startOrFail, the unstarted orders job).
   */
  async function failOrder(orderId: string, reasonText: string): Promise<{ status: string }> {
    const order = await orders.getOrder(orderId, true);
    if (!order || isFinal(order.status)) return { status: order?.status ?? 'missing' };
    const reason = reasonText.slice(0, 1000);
    const [account, admins] = await Promise.all([deps.accounts.getAccount(order.accountId), deps.users.listActiveAdmins(order.rootId)]);
    const moved = await orders.moveOrder(order.id, 'failed', SYSTEM, {
      from: ['new', 'open', 'provisioning'],
      reason,
      set: { failureReason: reason },
      // A failed order no longer waits for its workflow to start (the unstarted orders job).
      clear: ['taskToken', 'waitingAt', 'dueKey', 'dueSort'],
      ...(await orders.releaseOf(order)),
      outbox: admins.map((admin) =>
        outboxEmail('order-failed', recipientOf(admin), {
          orderNumber: order.number,
          accountName: account?.name ?? order.accountId,
          reason,
          portalUrl: env.portalUrl(),
        }, { accountId: order.rootId }),
      ),
    });
    // It moved on meanwhile (completed, cancelled): nothing of it is undone, nothing refunded.
    if (!moved) return { status: (await orders.getOrder(orderId, true))?.status ?? 'missing' };
    // The charges that paid it (its own, and its invoice's if paid apart) are refunded (idempotent
    // at the gateway); if the gateway cannot be reached, the pending charges the move recorded are
    // retried by the unstarted orders job.
    for (const reference of moved.owed) await deps.payments.refundPendingCharge(reference);
    countEvent('OrderFailed', { type: order.type });
    return { status: 'failed' };
  }

  /** Whether provisioning may go on: only a linked tenant still waiting for partner acceptance holds it. */
  async function domainReady(domainId: string): Promise<boolean> {
    const domain = await deps.domains.getDomain(domainId, true);
    return domain?.status !== 'pending_partner_acceptance';
  }

  /**
   * The gate action sends the callback first and moves the order after it, so the workflow may
   * run on before that move is written (or the process that sends it stops in between). The task
   * after a gate records the move itself, with the actor the callback carried; whichever of the
   * two writes it first wins, the other finds the order moved (a conditional, idempotent move).
   */
  async function recordGateMove(orderId: string, gate: GateOutput | undefined): Promise<void> {
    if (!gate?.by) return;
    if (gate.gate === 'open') await orders.moveOrder(orderId, 'open', gate.by, { from: ['new'] });
    if (gate.gate === 'provision') await orders.moveOrder(orderId, 'provisioning', gate.by, { from: ['open'] });
  }

  /**
   * Makes sure a live order has a running execution: `running` (it has; a callback that found its
   * token gone will find a new one parked soon), `resumed` (it had none; one was started and
   * recorded), `final` (nothing to run) or `unstarted` (no execution was ever recorded: that is
   * the unstarted orders job's to settle, decision 53). Used by the gate actions and the partner
   * acceptance when a callback finds its token gone, and by the local stack at start.
   */
  async function ensureWorkflow(orderId: string): Promise<WorkflowState> {
    const order = await orders.getOrder(orderId, true);
    if (!order || isFinal(order.status)) return 'final';
    if (!order.executionArn) return 'unstarted';
    if ((await workflow.executionStatus(order.executionArn)) === 'RUNNING') return 'running';
    await resumeOrder(order);
    return 'resumed';
  }

  /** Starts and records the execution that resumes `order` (as read); answers the recorded ARN. */
  async function resumeOrder(order: Order): Promise<string> {
    const resumeAt = resumePoint(order);
    const input = { orderId: order.id, automatic: order.automatic, ...(resumeAt ? { resumeAt } : {}) };
    // Not a conflict retry: each try takes the next execution name.
    for (let n = resumeNumber(order.executionArn) + 1, tries = 0; tries < 5; n++, tries++) {
      // A name taken by an execution that ran before (a resume whose record was lost) is skipped;
      // a running one of the same name and input is the same resume, started by another caller.
      const executionArn = await workflow.startResumedWorkflow(`${order.id}-r${n}`, input);
      if (!executionArn) continue;
      if (await orders.recordResumedExecution(order.id, order.executionArn, executionArn)) {
        logger.warn('order workflow resumed', { orderId: order.id, executionArn, resumeAt: resumeAt ?? 'start', status: order.status });
        return executionArn;
      }
      // Another caller resumed it first: one execution per order, so this one is stopped.
      const again = await orders.getOrder(order.id, true);
      if (again?.executionArn !== executionArn) await workflow.stopWorkflow(executionArn, 'The order was resumed by another execution.');
      return again?.executionArn ?? executionArn;
    }
    throw new TransientError(`The workflow of order ${order.id} could not be resumed; try again.`);
  }

  /**
   * Gate 1 (`open`) and gate 2 (`provision`), docs/product.md#orders-and-the-fulfillment-workflow: the action takes the order's parked token
   * (of two concurrent actions one wins, the other gets 409), resumes the workflow with it, and
   * only then records the move; the workflow's next task records it too if this one did not get
   * to (recordGateMove), so no status is written that the workflow did not take. A callback that
   * fails otherwise puts the token back (503 try_again). A token whose execution is gone (stopped,
   * timed out, or lost at a local restart) resumes the order's workflow from its stored status;
   * the action then waits briefly for the new execution to park here and acts on its token, or
   * answers 409 "try again in a moment".
   *
   * Answers the order as it stands after the move, read again: the workflow may have parked it at
   * the next gate meanwhile, and it waits no longer at the gate it just passed.
   */
  async function passGate(read: Order, gate: Gate, by: StatusChange['by']): Promise<Order> {
    const [from, to] = GATE_MOVES[gate];
    const notWaiting = (waitingAt: string | null) =>
      new Conflict('invalid_state', 'The order is not waiting at this gate yet; try again in a moment.', [{ waitingAt }]);
    let order = read;
    for (let attempt = 0; ; attempt++) {
      if (order.status !== from) {
        throw new Conflict('invalid_state', `The order is ${order.status}; only a ${from} order can be moved to ${to}.`, [{ status: order.status }]);
      }
      const token = order.taskToken;
      if (order.waitingAt !== gate || !token) throw notWaiting(order.waitingAt ?? null);
      if (!(await orders.claimTaskToken(order.id, from, token))) throw new Conflict('invalid_state', 'The order changed meanwhile.');
      try {
        await workflow.resumeWorkflow(token, { gate, by, domainReady: await domainReady(order.domainId) });
      } catch (err) {
        if (!workflow.isTokenGone(err)) {
          await orders.restoreTaskToken(order.id, from, gate, token);
          logger.warn('gate callback failed; token put back', { orderId: order.id, error: err as Error });
          throw new TransientError('The order workflow did not take the action; try again.');
        }
        logger.warn('gate token no longer valid; resuming the order workflow', { orderId: order.id, error: (err as Error).name });
        const state = await ensureWorkflow(order.id);
        const parked = attempt === 0 && (state === 'resumed' || state === 'running') ? await parkedAt(order.id, gate, from) : undefined;
        if (!parked) throw notWaiting(null);
        order = parked;
        continue;
      }
      await orders.moveOrder(order.id, to, by, { from: [from] });
      // Moved by this action or already by the workflow's next task, which may also have parked it
      // at the next gate since: the answer is the order as it stands now, read again.
      const moved = await orders.getOrder(order.id, true);
      // Cancelled between the claim and the move: the workflow it resumed was stopped.
      if (!moved || moved.status === 'cancelled') throw new Conflict('invalid_state', 'The order changed meanwhile.');
      return moved;
    }
  }

  /** The order once its (resumed) workflow has parked it at `gate` again; undefined if not soon. */
  async function parkedAt(orderId: string, gate: Gate, status: OrderStatus): Promise<Order | undefined> {
    const deadline = deps.timer.ms() + GATE_PARK_WAIT_MS;
    for (;;) {
      const order = await orders.getOrder(orderId, true);
      if (!order || order.status !== status) return order;
      if (order.waitingAt === gate && order.taskToken) return order;
      if (deps.timer.ms() > deadline) return undefined;
      await deps.timer.sleep(100);
    }
  }

  /**
   * Cancels a `new` or `open` order (docs/product.md#orders-and-the-fulfillment-workflow): what it reserved is released and its invoice
   * voided in the move's transaction, its workflow stopped, and what it owes back (its card
   * charge, its paid invoice's) refunded now, or by the unstarted orders job.
   */
  async function cancelOrder(order: Order, by: StatusChange['by']): Promise<Order> {
    if (order.status !== 'new' && order.status !== 'open') {
      throw new Conflict('invalid_state', `The order is ${order.status}; only new or open orders can be cancelled.`, [{ status: order.status }]);
    }
    const moved = await orders.moveOrder(order.id, 'cancelled', by, {
      from: ['new', 'open'],
      clear: ['taskToken', 'waitingAt'],
      ...(await orders.releaseOf(order)),
    });
    if (!moved) throw new Conflict('invalid_state', 'The order moved on meanwhile and can no longer be cancelled.');
    if (order.executionArn) await workflow.stopWorkflow(order.executionArn, `Cancelled by ${by.userId}`);
    for (const reference of moved.owed) await deps.payments.refundPendingCharge(reference);
    return moved;
  }

  /** What the vendor says about the order's provisioning request (GET /v1/orders/{id}/provisioning). */
  async function provisioningStatus(order: Pick<Order, 'id' | 'status' | 'vendorRequestId'>) {
    let vendor: { requestId: string; status: string; reason?: string } | null = null;
    if (order.vendorRequestId) {
      try {
        vendor = { requestId: order.vendorRequestId, ...(await deps.vendor().status(order.vendorRequestId)) };
      } catch (err) {
        logger.warn('vendor status check failed', { orderId: order.id, error: err as Error });
        vendor = { requestId: order.vendorRequestId, status: 'unknown', reason: 'The vendor did not answer; try again.' };
      }
    }
    return { orderId: order.id, status: order.status, vendor, checkedAt: deps.clock.nowIso() };
  }

  /**
   * An order of the unstarted orders' index, written longer ago than any function runs: its
   * execution exists (started, not recorded) → `recorded`; none and still `new` → `failed` with
   * NOT_STARTED_REASON (the request that placed it did not answer 201, and its client may already
   * have placed it again, so starting it now could provision it twice); otherwise → `cleared` (it
   * only leaves the index).
   */
  async function settleUnstartedOrder(orderId: string): Promise<'recorded' | 'failed' | 'cleared'> {
    const order = await orders.getOrder(orderId, true);
    // Only an order's first execution is named after it: an execution that resumes a lost one
    // (`<orderId>-r<n>`, resumeOrder) is started only for an order whose execution was recorded,
    // and is recorded itself, so no order reaches this with one.
    if (order && !order.executionArn && (await workflow.orderExecutionExists(orderId))) {
      await orders.setExecutionArn(orderId, workflow.executionArnOf(orderId));
      logger.warn('order workflow had started but was not recorded; recorded now', { orderId });
      return 'recorded';
    }
    if (order?.status === 'new' && !order.executionArn) {
      logger.warn('order workflow was never started; failing the order', { orderId });
      await failOrder(orderId, NOT_STARTED_REASON);
      await orders.clearUnstarted(orderId);
      return 'failed';
    }
    if (order) await orders.clearUnstarted(orderId);
    return 'cleared';
  }

  /**
   * A pending card charge older than the grace: refunded (true) unless a live order or the paid
   * invoice it names stands behind it; then only forgotten (false). Claimed first: from here an
   * order's or an invoice payment's transaction can no longer take it.
   */
  async function settlePendingCharge(reference: string): Promise<boolean> {
    if (!(await deps.charges.claimPendingCharge(reference))) return false;
    const invoiceId = await deps.charges.pendingInvoiceOf(reference);
    if (invoiceId) {
      // An invoice's charge stands only if the invoice is paid with it and not voided since.
      const invoice = await deps.invoices.getInvoice(invoiceId, true);
      if (invoice?.status === 'paid' && invoice.chargeReference === reference && !invoice.refund) {
        await deps.charges.clearPendingCharge(reference);
        return false;
      }
      logger.warn('card charge without its paid invoice; refunding', { reference, invoiceId, invoiceStatus: invoice?.status ?? 'gone' });
      return deps.payments.refundPendingCharge(reference);
    }
    const order = await orders.getOrder(reference, true);
    if (order && order.status !== 'failed' && order.status !== 'cancelled') {
      await deps.charges.clearPendingCharge(reference);
      return false;
    }
    logger.warn('card charge without a live order; refunding', { reference, orderStatus: order?.status ?? 'never written' });
    // A refund that fails is logged and stays for the next run.
    return deps.payments.refundPendingCharge(reference);
  }

  return {
    startOrFail,
    failOrder,
    domainReady,
    recordGateMove,
    ensureWorkflow,
    resumeOrder,
    passGate,
    cancelOrder,
    provisioningStatus,
    settleUnstartedOrder,
    settlePendingCharge,
  };
}

export type OrderLifecycle = ReturnType<typeof makeOrderLifecycle>;

export const orderLifecycle = makeOrderLifecycle({
  orders: orderRepo,
  accounts: accountRepo,
  users: userRepo,
  domains: domainRepo,
  invoices: invoiceRepo,
  charges: chargeRepo,
  payments: { refundPendingCharge },
  workflow: workflowPort,
  vendor: getVendor,
  clock,
  timer: { ms: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
});

export const { startOrFail, failOrder, domainReady, recordGateMove, ensureWorkflow, resumeOrder, passGate, cancelOrder, provisioningStatus, settleUnstartedOrder, settlePendingCharge } =
  orderLifecycle;

import * as z from 'zod';
import { accountScope, getAccount } from '#data/accounts.ts';
import { claimTaskToken, getOrder, listOrders, moveOrder, orderView, releaseOf, restoreTaskToken } from '#data/orders.ts';
import { actorOf } from '#platform/caller.ts';
import { Conflict, TransientError } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { answerOrder, idempotentRoute } from '#http/idempotency.ts';
import { authorize } from '#platform/scope.ts';
import { clock } from '#platform/clock.ts';
import { getVendor } from '#platform/vendor/index.ts';
import { isTokenGone, resumeWorkflow, stopWorkflow } from '#platform/workflow.ts';
import { refundPendingCharge } from '#services/payments.ts';
import { logger } from '#platform/logger.ts';
import { ORDER_STATUSES } from '#domain/order-status.ts';
import { AccountId, CustomerAgreement, DomainChoice, id, IsoDate, IsoTime, OfferId, OrderId, Pagination, page, utcBound } from '../schemas.ts';
import { placeOrder } from '#services/orders.ts';
import { domainReady, ensureWorkflow } from '#services/order-lifecycle.ts';

/**
 * Orders (SPEC §3.4, §4.5): staff place them for customers and move them through the two gates;
 * customer admins read theirs and may cancel before provisioning.
 */
const PlaceOrderBody = z
  .object({
    lines: z.array(z.object({ offerId: OfferId, quantity: z.number().int().min(1).max(100000) }).strict()).min(1).max(20),
    domain: DomainChoice,
    customerAgreement: CustomerAgreement.optional(),
    autoProcess: z.boolean().optional(),
    paymentMethodId: id('paymentMethod').optional(),
  })
  .strict();

const place = httpHandler(
  { params: z.object({ accountId: AccountId }).strict(), body: PlaceOrderBody },
  async ({ params, body, caller, request }) => {
    const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'staffAdmin');
    const run = idempotentRoute(`POST /v1/accounts/${account.id}/orders`, async (requestKey) => {
      const order = await placeOrder(caller, account, {
        lines: body.lines,
        domain: body.domain,
        customerAgreement: body.customerAgreement,
        automatic: body.autoProcess === true,
        paymentMethodId: body.paymentMethodId,
        requestKey,
      });
      return { statusCode: 201, body: orderView(order) };
    }, answerOrder(201));
    return run(caller, request);
  },
);

const ListQuery = z
  .object({
    status: z.enum(ORDER_STATUSES).optional(),
    type: z.enum(['sales', 'change', 'renewal', 'cancellation']).optional(),
    accountId: AccountId.optional(),
    from: z.union([IsoDate, IsoTime]).optional(),
    to: z.union([IsoDate, IsoTime]).optional(),
    ...Pagination,
  })
  .strict();

const list = httpHandler({ query: ListQuery }, async ({ query, caller }) => {
  if (query.accountId) authorize(caller, accountScope(await getAccount(query.accountId)), 'view');
  else authorize(caller, { accountId: caller.accountId, accountPath: caller.accountPath }, 'view');
  const result = await listOrders(caller, { ...query, from: query.from && utcBound(query.from), to: query.to && utcBound(query.to) });
  return { statusCode: 200, body: page(result, orderView) };
});

const OrderParams = z.object({ orderId: OrderId }).strict();

const getOne = httpHandler({ params: OrderParams }, async ({ params, caller }) => {
  const order = authorize(caller, await getOrder(params.orderId), 'view');
  return { statusCode: 200, body: orderView(order) };
});

/**
 * Gate 1 and gate 2: the action takes the order's parked token (one of two concurrent actions
 * wins), resumes the workflow with it, and only then records the move; the workflow's next task
 * records it too if this one did not get to (services/order-lifecycle.ts recordGateMove), so no status is written that
 * the workflow did not take. A token whose execution is gone (stopped, timed out, or lost at a
 * local restart) resumes the order's workflow from its stored status (services/order-lifecycle.ts ensureWorkflow); the
 * action then waits briefly for the new execution to park here and acts on its token, or answers
 * 409 "try again in a moment".
 */
const GATE_PARK_WAIT_MS = 3000;

function gate(gateName: 'open' | 'provision') {
  const [from, to] = gateName === 'open' ? (['new', 'open'] as const) : (['open', 'provisioning'] as const);
  const notWaiting = (waitingAt: string | null) =>
    new Conflict('invalid_state', 'The order is not waiting at this gate yet; try again in a moment.', [{ waitingAt }]);
  return httpHandler({ params: OrderParams }, async ({ params, caller }) => {
    let order = authorize(caller, await getOrder(params.orderId, true), 'operate');
    const by = actorOf(caller);
    for (let attempt = 0; ; attempt++) {
      if (order.status !== from) {
        throw new Conflict('invalid_state', `The order is ${order.status}; only a ${from} order can be moved to ${to}.`, [
          { status: order.status },
        ]);
      }
      const token = order.taskToken;
      if (order.waitingAt !== gateName || !token) throw notWaiting(order.waitingAt ?? null);
      if (!(await claimTaskToken(order.id, from, token))) throw new Conflict('invalid_state', 'The order changed meanwhile.');
      try {
        await resumeWorkflow(token, { gate: gateName, by, domainReady: await domainReady(order.domainId) });
      } catch (err) {
        if (!isTokenGone(err)) {
          await restoreTaskToken(order.id, from, gateName, token);
          logger.warn('gate callback failed; token put back', { orderId: order.id, error: err as Error });
          throw new TransientError('The order workflow did not take the action; try again.');
        }
        logger.warn('gate token no longer valid; resuming the order workflow', { orderId: order.id, error: (err as Error).name });
        const state = await ensureWorkflow(order.id);
        const parked = attempt === 0 && (state === 'resumed' || state === 'running') ? await parkedAt(order.id, gateName, from) : undefined;
        if (!parked) throw notWaiting(null);
        order = parked;
        continue;
      }
      const moved = (await moveOrder(order.id, to, by, { from: [from] })) ?? (await getOrder(order.id, true));
      // Cancelled between the claim and the move: the workflow it resumed was stopped.
      if (!moved || moved.status === 'cancelled') throw new Conflict('invalid_state', 'The order changed meanwhile.');
      // Otherwise it moved, by this action or already by the workflow's next task.
      return { statusCode: gateName === 'open' ? 200 : 202, body: orderView(moved) };
    }
  });
}

/** The order once its (resumed) workflow has parked it at `gateName` again; undefined if not soon. */
async function parkedAt(orderId: string, gateName: 'open' | 'provision', status: 'new' | 'open') {
  const deadline = Date.now() + GATE_PARK_WAIT_MS;
  for (;;) {
    const order = await getOrder(orderId, true);
    if (!order || order.status !== status) return order;
    if (order.waitingAt === gateName && order.taskToken) return order;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cancel = httpHandler({ params: OrderParams }, async ({ params, caller }) => {
  const order = authorize(caller, await getOrder(params.orderId, true), 'view');
  if (order.status !== 'new' && order.status !== 'open') {
    throw new Conflict('invalid_state', `The order is ${order.status}; only new or open orders can be cancelled.`, [{ status: order.status }]);
  }
  const moved = await moveOrder(order.id, 'cancelled', actorOf(caller), {
    from: ['new', 'open'],
    clear: ['taskToken', 'waitingAt'],
    ...(await releaseOf(order)),
  });
  if (!moved) throw new Conflict('invalid_state', 'The order moved on meanwhile and can no longer be cancelled.');
  if (order.executionArn) await stopWorkflow(order.executionArn, `Cancelled by ${actorOf(caller).userId}`);
  // Owed back since the move (pending charges: the order's, and its paid invoice's): refunded now, or by the unstartedOrders job.
  for (const reference of moved.owed) await refundPendingCharge(reference);
  return { statusCode: 200, body: orderView(moved) };
});

const provisioning = httpHandler({ params: OrderParams }, async ({ params, caller }) => {
  const order = authorize(caller, await getOrder(params.orderId, true), 'operate');
  let vendor: unknown = null;
  if (order.vendorRequestId) {
    try {
      vendor = { requestId: order.vendorRequestId, ...(await getVendor().status(order.vendorRequestId)) };
    } catch (err) {
      logger.warn('vendor status check failed', { orderId: order.id, error: err as Error });
      vendor = { requestId: order.vendorRequestId, status: 'unknown', reason: 'The vendor did not answer; try again.' };
    }
  }
  return { statusCode: 200, body: { orderId: order.id, status: order.status, vendor, checkedAt: clock.nowIso() } };
});

export const handler = routeGroup({
  'POST /v1/accounts/{accountId}/orders': place,
  'GET /v1/orders': list,
  'GET /v1/orders/{orderId}': getOne,
  'POST /v1/orders/{orderId}/open': gate('open'),
  'POST /v1/orders/{orderId}/provision': gate('provision'),
  'GET /v1/orders/{orderId}/provisioning': provisioning,
  'POST /v1/orders/{orderId}/cancel': cancel,
});

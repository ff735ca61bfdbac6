import * as z from 'zod/mini';
import { accountScope, getAccount } from '#data/accounts.ts';
import { getOrder, listOrders } from '#data/orders.ts';
import { actorOf } from '#platform/caller.ts';
import { authorize } from '#platform/scope.ts';
import { NotFound } from '#platform/errors.ts';
import { buyerMaySee, isSelfServiceBuyer } from '#domain/self-service.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { answerOrder } from '#http/idempotency.ts';
import { placeOrder } from '#services/orders.ts';
import { quoteService } from '#services/quotes.ts';
import { viewerOf } from '#domain/pricing.ts';
import { cancelOrder, passGate, provisioningStatus, type Gate } from '#services/order-lifecycle.ts';
import { AccountId, pageOf, utcBound } from '../schemas.ts';
import { ListOrdersQuery, OrderParams, OrderSchema, PlaceOrderBody, ProvisioningStatusSchema, QuoteOrderBody } from './schemas.ts';
import { QuoteSchema } from './quote-schemas.ts';
import { orderViewOf, orderViews, quoteView } from './views.ts';

/**
 * Orders (docs/product.md#orders-and-the-fulfillment-workflow, docs/product.md#orders): staff place them for customers and move them through the two gates;
 * customer admins read theirs and may cancel before provisioning. The use cases are in
 * services/orders.ts (placing) and services/order-lifecycle.ts (gates, cancel, provisioning status).
 */

/** Idempotent from the route table: a retry under the same key answers the order the key placed. */
const place = httpHandler(
  { params: z.strictObject({ accountId: AccountId }), body: PlaceOrderBody, response: OrderSchema, replay: answerOrder(201) },
  async ({ params, body, caller, request }) => {
    const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'staffAdmin');
    const order = await placeOrder(caller, account, {
      lines: body.lines,
      domain: body.domain,
      customerAgreement: body.customerAgreement,
      automatic: body.autoProcess === true,
      paymentMethodId: body.paymentMethodId,
      requestKey: request.requestKey,
      ...(body.quoteId ? { quoteId: body.quoteId } : {}),
      ...(body.alignEndWith ? { alignEndWith: body.alignEndWith } : {}),
    });
    return { statusCode: 201, body: await orderViewOf(order, caller) };
  },
);

/**
 * What the staff order of these lines would cost now (docs/commerce.md "Quotes"), placing nothing:
 * refused as placing them would be; kept 30 minutes for the order's `quoteId`. The lines' figures
 * for the seller's staff and above (`viewerOf`).
 */
const quote = httpHandler(
  { params: z.strictObject({ accountId: AccountId }), body: QuoteOrderBody, response: QuoteSchema },
  async ({ params, body, caller }) => {
    const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'staffAdmin');
    const quoted = await quoteService.quote(caller, account, body.lines, body.alignEndWith);
    return { statusCode: 201, body: quoteView(quoted, viewerOf(caller, { accountId: account.id, parentId: account.parentId })), audit: { resourceType: 'quote' } };
  },
);

/** Staff and customer admins: the orders in scope; a customer `user`: only those it bought itself (domain/self-service.ts). */
const list = httpHandler({ query: ListOrdersQuery, response: pageOf(OrderSchema) }, async ({ query, caller }) => {
  const buyer = isSelfServiceBuyer(caller);
  if (query.accountId) authorize(caller, accountScope(await getAccount(query.accountId)), buyer ? 'read' : 'view');
  else authorize(caller, { accountId: caller.accountId, accountPath: caller.accountPath }, buyer ? 'read' : 'view');
  const result = await listOrders(caller, {
    ...query,
    from: query.from && utcBound(query.from),
    to: query.to && utcBound(query.to),
    ...(buyer ? { buyerUserId: caller.userId } : {}),
  });
  return { statusCode: 200, body: { items: await orderViews(result.items, caller), nextCursor: result.nextCursor } };
});

const getOne = httpHandler({ params: OrderParams, response: OrderSchema }, async ({ params, caller }) => {
  const order = authorize(caller, await getOrder(params.orderId), 'read');
  // Another user's order is answered as absent, not forbidden.
  if (!buyerMaySee(caller, order)) throw new NotFound();
  return { statusCode: 200, body: await orderViewOf(order, caller) };
});

/** Gate 1 and gate 2 (services/order-lifecycle.ts passGate): the answer is the order as it stands after the move. */
function gate(gateName: Gate) {
  return httpHandler({ params: OrderParams, response: OrderSchema }, async ({ params, caller }) => {
    const order = authorize(caller, await getOrder(params.orderId, true), 'operate');
    const moved = await passGate(order, gateName, actorOf(caller));
    return { statusCode: gateName === 'open' ? 200 : 202, body: await orderViewOf(moved, caller) };
  });
}

const cancel = httpHandler({ params: OrderParams, response: OrderSchema }, async ({ params, caller }) => {
  const order = authorize(caller, await getOrder(params.orderId, true), 'view');
  return { statusCode: 200, body: await orderViewOf(await cancelOrder(order, actorOf(caller)), caller) };
});

const provisioning = httpHandler({ params: OrderParams, response: ProvisioningStatusSchema }, async ({ params, caller }) => {
  const order = authorize(caller, await getOrder(params.orderId, true), 'operate');
  return { statusCode: 200, body: await provisioningStatus(order) };
});

export const handler = routeGroup({
  'POST /v1/accounts/{accountId}/orders': place,
  'POST /v1/accounts/{accountId}/orders/quote': quote,
  'GET /v1/orders': list,
  'GET /v1/orders/{orderId}': getOne,
  'POST /v1/orders/{orderId}/open': gate('open'),
  'POST /v1/orders/{orderId}/provision': gate('provision'),
  'GET /v1/orders/{orderId}/provisioning': provisioning,
  'POST /v1/orders/{orderId}/cancel': cancel,
});

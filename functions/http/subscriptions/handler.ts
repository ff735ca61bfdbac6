import * as z from 'zod/mini';
import { accountScope, getAccount } from '#data/accounts.ts';
import { orderViewOf } from '../orders/views.ts';
import { getSubscription, listAssignmentsPage, listSubscriptions } from '#data/subscriptions.ts';
import { clock } from '#platform/clock.ts';
import { authorize } from '#platform/scope.ts';
import { subscriptionService } from '#services/subscriptions.ts';
import { upgradeService } from '#services/upgrades.ts';
import { answerOrder } from '#http/idempotency.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { Pagination, page } from '../schemas.ts';
import {
  AssignedSchema,
  AssignmentPageSchema,
  CancelBody,
  CancellationOrderSchema,
  EditSubscriptionBody,
  ListSubscriptionsQuery,
  QuantityBody,
  QuantityChangeSchema,
  SubscriptionPageSchema,
  SubscriptionParams as Params,
  SubscriptionSchema,
  UnassignedSchema,
  UpgradeBody,
  UpgradeOrderSchema,
  UserIdsBody,
} from './schemas.ts';
import { assignmentView, subscriptionView } from './views.ts';
import { authorizeChange, authorizeRead } from './access.ts';
import { deleteScheduledChange, putScheduledChange } from './scheduled-change.ts';

/**
 * Subscriptions and licenses (docs/product.md#subscriptions-and-licenses, docs/product.md#subscriptions). A self-service subscription is managed by its
 * buyer; the account's admins see it read-only. The use cases are in services/subscriptions.ts.
 */

const list = httpHandler({ query: ListSubscriptionsQuery, response: SubscriptionPageSchema }, async ({ query, caller }) => {
  if (query.accountId) authorize(caller, accountScope(await getAccount(query.accountId)), 'read');
  // A customer `user` sees only what it bought itself; its assigned licenses are at /v1/me/licenses.
  const buyerUserId = caller.accountType === 'customer' && caller.role === 'user' ? caller.userId : undefined;
  const result = await listSubscriptions(caller, { ...query, buyerUserId });
  const now = clock.now();
  return { statusCode: 200, body: page(result, (s) => subscriptionView(s, now)) };
});

const getOne = httpHandler({ params: Params, response: SubscriptionSchema }, async ({ params, caller }) => {
  const subscription = authorizeRead(caller, await getSubscription(params.subscriptionId));
  return { statusCode: 200, body: subscriptionView(subscription, clock.now()) };
});

const edit = httpHandler({ params: Params, body: EditSubscriptionBody, response: SubscriptionSchema }, async ({ params, body, caller, request }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const updated = await subscriptionService.edit(subscription, body, { ifMatch: request.ifMatch });
  return { statusCode: 200, body: subscriptionView(updated, clock.now()) };
});

// The Idempotency-Key comes from the route table: the wrapper runs this under it, and a retry once
// the key placed an order answers that order (202).
const quantity = httpHandler({ params: Params, body: QuantityBody, response: QuantityChangeSchema, replay: answerOrder(202) }, async ({ params, body, caller, request }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const outcome = await subscriptionService.changeQuantity(caller, subscription, body, request.requestKey);
  return outcome.kind === 'order'
    ? { statusCode: 202, body: await orderViewOf(outcome.order) }
    : { statusCode: 200, body: subscriptionView(outcome.subscription, clock.now()) };
});

// Like …/quantity: under the Idempotency-Key, a retry once the key placed the order answers that order (202).
const upgrade = httpHandler({ params: Params, body: UpgradeBody, response: UpgradeOrderSchema, replay: answerOrder(202) }, async ({ params, body, caller, request }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const order = await upgradeService.upgrade(caller, subscription, body, request.requestKey);
  return { statusCode: 202, body: await orderViewOf(order) };
});

const cancel = httpHandler({ params: Params, body: CancelBody, response: CancellationOrderSchema }, async ({ params, body, caller }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const order = await subscriptionService.cancel(caller, subscription, body);
  return { statusCode: 202, body: await orderViewOf(order) };
});

const assignments = httpHandler({ params: Params, query: z.strictObject({ ...Pagination }), response: AssignmentPageSchema }, async ({ params, query, caller }) => {
  const subscription = authorizeRead(caller, await getSubscription(params.subscriptionId));
  const result = await listAssignmentsPage(subscription.id, query);
  return { statusCode: 200, body: { ...page(result, assignmentView), quantity: subscription.quantity, assignedCount: subscription.assignedCount } };
});

const assign = httpHandler({ params: Params, body: UserIdsBody, response: AssignedSchema }, async ({ params, body, caller }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const result = await subscriptionService.assign(caller, subscription, body.userIds);
  return { statusCode: 200, body: { assigned: result.assigned, ...subscriptionView(result.subscription, clock.now()) } };
});

const unassign = httpHandler({ params: Params, body: UserIdsBody, response: UnassignedSchema }, async ({ params, body, caller }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const result = await subscriptionService.unassign(subscription, body.userIds);
  return {
    statusCode: 200,
    body: { removed: result.removed, ...subscriptionView(result.subscription, clock.now()) },
    // Taking back licenses nobody held changes nothing, so it leaves no audit event.
    ...(result.removed.length === 0 ? { audit: false as const } : {}),
  };
});

export const handler = routeGroup({
  'GET /v1/subscriptions': list,
  'GET /v1/subscriptions/{subscriptionId}': getOne,
  'PATCH /v1/subscriptions/{subscriptionId}': edit,
  'POST /v1/subscriptions/{subscriptionId}/quantity': quantity,
  'POST /v1/subscriptions/{subscriptionId}/upgrade': upgrade,
  'POST /v1/subscriptions/{subscriptionId}/cancel': cancel,
  'PUT /v1/subscriptions/{subscriptionId}/scheduled-change': putScheduledChange,
  'DELETE /v1/subscriptions/{subscriptionId}/scheduled-change': deleteScheduledChange,
  'GET /v1/subscriptions/{subscriptionId}/assignments': assignments,
  'POST /v1/subscriptions/{subscriptionId}/assignments': assign,
  'POST /v1/subscriptions/{subscriptionId}/assignments/remove': unassign,
});

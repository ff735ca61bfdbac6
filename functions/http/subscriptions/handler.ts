import * as z from 'zod';
import { MAX_QUANTITY } from '#domain/money.ts';
import { accountScope, getAccount } from '#data/accounts.ts';
import { orderView } from '#data/orders.ts';
import {
  assignLicenses,
  getSubscription,
  listAssignmentsPage,
  listSubscriptions,
  setAutoRenew,
  subscriptionView,
  unassignLicenses,
  type Subscription,
} from '#data/subscriptions.ts';
import { getUser } from '#data/users.ts';
import type { Caller } from '#platform/caller.ts';
import { actorOf } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, Forbidden } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { answerOrder, idempotentRoute } from '#http/idempotency.ts';
import { authorize } from '#platform/scope.ts';
import { AccountId, DomainId, Pagination, id, page } from '../schemas.ts';
import { cancelSubscription, changeQuantity } from './changes.ts';

/**
 * Subscriptions and licenses (SPEC §3.5, §4.6). A self-service subscription is managed by its
 * buyer; the account's admins see it read-only.
 */
const Params = z.object({ subscriptionId: id('subscription') }).strict();
const UserIds = z.object({ userIds: z.array(id('user')).min(1).max(20) }).strict();

const isBuyer = (caller: Caller, s: Subscription | undefined) => Boolean(s?.selfService && s.accountId === caller.accountId && s.buyer.userId === caller.userId);

/** Who may change a subscription: its buyer when self-service; otherwise the admins in scope. */
function authorizeChange(caller: Caller, s: Subscription | undefined): Subscription {
  if (isBuyer(caller, s)) return s!;
  const found = authorize(caller, s, 'manage');
  if (found.selfService) throw new Forbidden('A self-service subscription is managed by the user who bought it.');
  return found;
}

function authorizeRead(caller: Caller, s: Subscription | undefined): Subscription {
  return isBuyer(caller, s) ? s! : authorize(caller, s, 'view');
}

const ListQuery = z
  .object({
    accountId: AccountId.optional(),
    status: z.enum(['pending', 'active', 'suspended', 'expired', 'cancelled']).optional(),
    domainId: DomainId.optional(),
    selfService: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    ...Pagination,
  })
  .strict();

const list = httpHandler({ query: ListQuery }, async ({ query, caller }) => {
  if (query.accountId) authorize(caller, accountScope(await getAccount(query.accountId)), 'read');
  // A customer `user` sees only what it bought itself; its assigned licenses are at /v1/me/licenses.
  const buyerUserId = caller.accountType === 'customer' && caller.role === 'user' ? caller.userId : undefined;
  const result = await listSubscriptions(caller, { ...query, buyerUserId });
  const now = clock.now();
  return { statusCode: 200, body: page(result, (s) => subscriptionView(s, now)) };
});

const getOne = httpHandler({ params: Params }, async ({ params, caller }) => {
  const subscription = authorizeRead(caller, await getSubscription(params.subscriptionId));
  return { statusCode: 200, body: subscriptionView(subscription, clock.now()) };
});

const EditBody = z
  .object({ autoRenew: z.boolean().optional(), domainId: z.string().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give a field to change');

const edit = httpHandler({ params: Params, body: EditBody }, async ({ params, body, caller }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  if (body.domainId !== undefined && body.domainId !== subscription.domainId) {
    // SPEC §3.6: moving licenses to another tenant means buying a new subscription there.
    throw new BusinessRuleRefused('domain_immutable', 'A subscription stays on its domain; buy a new subscription on the other domain instead.', [{ path: 'domainId' }]);
  }
  if (subscription.status !== 'active' && subscription.status !== 'suspended') {
    throw new Conflict('invalid_state', `The subscription is ${subscription.status}.`, [{ status: subscription.status }]);
  }
  const updated = body.autoRenew === undefined ? subscription : await setAutoRenew(subscription.id, body.autoRenew);
  return { statusCode: 200, body: subscriptionView(updated, clock.now()) };
});

const QuantityBody = z.object({ quantity: z.number().int().min(1).max(MAX_QUANTITY), effective: z.enum(['now', 'renewal']).optional() }).strict();

const quantity = httpHandler({ params: Params, body: QuantityBody }, async ({ params, body, caller, request }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const run = idempotentRoute(`POST /v1/subscriptions/${subscription.id}/quantity`, async (requestKey) => {
    const outcome = await changeQuantity(caller, subscription, body, requestKey);
    return outcome.kind === 'order'
      ? { statusCode: 202, body: orderView(outcome.order) }
      : { statusCode: 200, body: subscriptionView(outcome.subscription, clock.now()) };
  }, answerOrder(202));
  return run(caller, request);
});

const CancelBody = z.object({ reason: z.string().trim().min(1).max(200), comment: z.string().trim().max(2000).optional() }).strict();

const cancel = httpHandler({ params: Params, body: CancelBody }, async ({ params, body, caller }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const order = await cancelSubscription(caller, subscription, body);
  return { statusCode: 202, body: orderView(order) };
});

const assignments = httpHandler({ params: Params, query: z.object({ ...Pagination }).strict() }, async ({ params, query, caller }) => {
  const subscription = authorizeRead(caller, await getSubscription(params.subscriptionId));
  const result = await listAssignmentsPage(subscription.id, query);
  return {
    statusCode: 200,
    body: { ...page(result, (a) => ({ userId: a.userId, assignedAt: a.assignedAt })), quantity: subscription.quantity, assignedCount: subscription.assignedCount },
  };
});

/** Only users of the subscription's own customer account who are not deactivated (SPEC §3.5). */
async function assignableUsers(subscription: Subscription, userIds: string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  const users = await Promise.all(unique.map((u) => getUser(u)));
  const refused = unique.filter((u, i) => !users[i] || users[i]!.accountId !== subscription.accountId || users[i]!.status === 'deactivated');
  if (refused.length) {
    throw new BusinessRuleRefused('user_not_assignable', 'Licenses go only to users of the same account who are not deactivated.', refused.map((userId) => ({ userId })));
  }
  return unique;
}

const assign = httpHandler({ params: Params, body: UserIds }, async ({ params, body, caller }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  if (subscription.status !== 'active') throw new Conflict('invalid_state', `The subscription is ${subscription.status}.`);
  const userIds = await assignableUsers(subscription, body.userIds);
  const result = await assignLicenses(subscription.id, userIds, actorOf(caller).userId);
  return { statusCode: 200, body: { assigned: result.assigned, ...subscriptionView(result.subscription, clock.now()) } };
});

const unassign = httpHandler({ params: Params, body: UserIds }, async ({ params, body, caller }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const result = await unassignLicenses(subscription.id, [...new Set(body.userIds)]);
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
  'POST /v1/subscriptions/{subscriptionId}/cancel': cancel,
  'GET /v1/subscriptions/{subscriptionId}/assignments': assignments,
  'POST /v1/subscriptions/{subscriptionId}/assignments': assign,
  'POST /v1/subscriptions/{subscriptionId}/assignments/remove': unassign,
});


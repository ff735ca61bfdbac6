import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { $ZodType as ZodType } from 'zod/v4/core';
import type { Caller } from '#platform/caller.ts';
import { logger } from '#platform/logger.ts';
import { baseHandler, type RouteInput, type RouteResult, type RouteSpec } from '#platform/http-base.ts';
import { recordAudit } from '#data/audit.ts';
import { resourcesInScope, versionOf } from './resources.ts';
import { idempotent } from './idempotency.ts';
import { scopeOfRoute } from './scopes.ts';

export * from '#platform/http-base.ts';

type Out<T> = T extends ZodType ? z.output<T> : Record<string, never>;

/**
 * The wrapper every HTTP route uses (http-base.ts), plus the audit trail: every successful
 * state-changing request leaves an event, so no handler can forget it.
 */
export function httpHandler<P extends ZodType, Q extends ZodType, B extends ZodType, A extends boolean = true>(
  spec: RouteSpec<P, Q, B> & { auth?: A },
  fn: (input: RouteInput<Out<P>, Out<Q>, Out<B>, A>) => Promise<RouteResult>,
) {
  return baseHandler(spec, fn, { afterChange: audit, resourcesInScope, versionOf, idempotent, scopeOf: scopeOfRoute });
}

const RESOURCE_TYPES: Record<string, string> = {
  accounts: 'account',
  users: 'user',
  me: 'user',
  auth: 'session',
  orders: 'order',
  subscriptions: 'subscription',
  'payment-methods': 'paymentMethod',
  invoices: 'invoice',
  cart: 'cart',
  catalog: 'product',
  domains: 'domain',
  'price-lists': 'priceList',
};

/**
 * Every state-changing request leaves an audit event (docs/product.md#audit-trail) on the account it concerns,
 * naming the real person behind a "log in as". Derived from the route and the answer, so no
 * handler can forget it; a handler may say more through `result.audit`.
 */
async function audit(event: APIGatewayProxyEventV2, caller: Caller | undefined, params: Record<string, string>, result: RouteResult): Promise<void> {
  if (result.audit === false) return;
  const body = (result.body ?? {}) as Record<string, unknown> & { account?: { id?: string }; user?: { id?: string; accountId?: string } };
  const segment = event.routeKey.split(' ')[1]?.split('/')[2] ?? '';
  const accountId = result.audit?.accountId ?? (body.accountId as string | undefined) ?? body.account?.id ?? params.accountId ?? caller?.accountId;
  if (!accountId) return;
  const lastParam = Object.values(params).at(-1);
  try {
    await recordAudit([
      {
        accountId,
        action: event.routeKey,
        resourceType: result.audit?.resourceType ?? RESOURCE_TYPES[segment] ?? segment,
        resourceId: result.audit?.resourceId ?? (body.id as string | undefined) ?? body.account?.id ?? lastParam,
        actorUserId: caller ? (caller.actorUserId ?? caller.userId) : (body.id as string | undefined),
        onBehalfOfUserId: caller?.actorUserId ? caller.userId : undefined,
        ip: event.requestContext.http?.sourceIp,
        status: result.statusCode,
        details: result.audit?.details,
      },
    ]);
  } catch (error) {
    logger.error('audit event not recorded', { error: error as Error, route: event.routeKey });
  }
}

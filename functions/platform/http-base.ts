import middy from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';
import httpCors from '@middy/http-cors';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import type { ZodType } from 'zod';
import { callerFromContext, type Caller } from './caller.ts';
import { Unauthenticated, ValidationFailed } from './errors.ts';
import { logger } from './logger.ts';
import { errorResponses, jsonBody, type ParsedEvent } from './middleware.ts';

/**
 * The HTTP wrapper without data access: it parses, validates (zod, unknown fields refused),
 * authenticates, logs and maps errors, then calls the business function, which reads like the
 * spec. Scope and role checks happen in the business function through platform/scope.ts, because
 * they need the resource. Routes use `httpHandler()` of http.ts, which adds the audit trail; only
 * routes that neither change nor read anything of a tenant (health, the API description) use
 * `plainHandler()` from here, so their bundles carry no DynamoDB code.
 */
export interface RouteSpec<P extends ZodType, Q extends ZodType, B extends ZodType> {
  /** false for the public routes (login, refresh, activation, health). */
  auth?: boolean;
  params?: P;
  query?: Q;
  body?: B;
}

export interface RequestInfo {
  requestId: string;
  /** The Lambda context (remaining time bounds an in-progress idempotency record). */
  lambdaContext: Context;
  ip?: string;
  userAgent?: string;
  headers: Record<string, string | undefined>;
  /** The JSON body exactly as parsed, before validation (idempotency compares it). */
  rawBody: unknown;
}

export interface RouteInput<P, Q, B, A extends boolean> {
  params: P;
  query: Q;
  body: B;
  caller: A extends false ? Caller | undefined : Caller;
  request: RequestInfo;
}

export interface RouteResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Overrides what the audit event names when the answer alone does not say (a 204, say);
   * `false` when the request changed nothing (a removal of what was not there).
   */
  audit?: false | { accountId?: string; resourceType?: string; resourceId?: string; details?: Record<string, unknown> };
}

const empty = z.object({}).strict();
type Out<T> = T extends ZodType ? z.output<T> : Record<string, never>;

function validate<T extends ZodType>(schema: T | undefined, value: unknown, where: string, fallback: ZodType): z.output<T> {
  const s = schema ?? fallback;
  // Absent params, query or body validate as {}; a JSON `null` body is a body, and is refused.
  const result = s.safeParse(where === 'body' ? (value === undefined ? {} : value) : (value ?? {}));
  if (!result.success) {
    throw new ValidationFailed(
      `The ${where} is not valid.`,
      result.error.issues.map((i) => ({ in: where, path: i.path.join('.'), code: i.code, message: i.message })),
    );
  }
  return result.data as z.output<T>;
}

/** Runs after a successful non-GET request (http.ts records the audit event). */
export type AfterChange = (event: APIGatewayProxyEventV2, caller: Caller | undefined, params: Record<string, string>, result: RouteResult) => Promise<void>;

export function baseHandler<P extends ZodType, Q extends ZodType, B extends ZodType, A extends boolean = true>(
  spec: RouteSpec<P, Q, B> & { auth?: A },
  fn: (input: RouteInput<Out<P>, Out<Q>, Out<B>, A>) => Promise<RouteResult>,
  afterChange?: AfterChange,
) {
  const business = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyResultV2> => {
    const parsed = event as unknown as ParsedEvent;
    const lambdaCtx = (event.requestContext as unknown as { authorizer?: { lambda?: Record<string, unknown> } }).authorizer?.lambda;
    const caller = callerFromContext(lambdaCtx);
    if (spec.auth !== false && !caller) throw new Unauthenticated();
    if (caller) logger.appendKeys({ userId: caller.userId, accountId: caller.accountId, actorUserId: caller.actorUserId });

    const params = validate(spec.params, event.pathParameters, 'path', empty);
    const query = validate(spec.query, event.queryStringParameters, 'query', empty);
    if (!spec.body && parsed.body !== undefined) throw new ValidationFailed('This route takes no body.');
    const body = spec.body ? validate(spec.body, parsed.body, 'body', empty) : undefined;

    const result = await fn({
      params: params as Out<P>,
      query: query as Out<Q>,
      body: body as Out<B>,
      caller: caller as RouteInput<Out<P>, Out<Q>, Out<B>, A>['caller'],
      request: {
        requestId: context.awsRequestId ?? event.requestContext.requestId,
        lambdaContext: context,
        ip: event.requestContext.http?.sourceIp,
        userAgent: event.requestContext.http?.userAgent,
        headers: event.headers ?? {},
        rawBody: parsed.body,
      },
    });
    logger.info('request handled', { route: event.routeKey, status: result.statusCode });
    if (afterChange && event.requestContext.http?.method !== 'GET' && result.statusCode < 400) {
      await afterChange(event, caller, params as Record<string, string>, result);
    }
    return {
      statusCode: result.statusCode,
      headers: { 'content-type': 'application/json', ...result.headers },
      body: result.body === undefined ? '' : JSON.stringify(result.body),
    };
  };

  const wrapped = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpSecurityHeaders())
    .use(httpCors({ origin: process.env.CORS_ORIGIN ?? '*', headers: 'authorization,content-type,idempotency-key' }))
    .use(jsonBody())
    .use(errorResponses())
    .handler(business);
  const schemas: RouteSchemas = { auth: spec.auth !== false, params: spec.params, query: spec.query, body: spec.body };
  return Object.assign(wrapped, { schemas });
}

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/**
 * What a route validates, kept on its handler: the OpenAPI document (functions/http/docs/) and the
 * schema-driven bad-input and tenant-isolation tests read the very schemas the route enforces.
 */
export interface RouteSchemas {
  auth: boolean;
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
}

export type DocumentedHandler = LambdaHttpHandler & { schemas: RouteSchemas };
export type RouteGroupHandler = LambdaHttpHandler & { routes: Record<string, RouteSchemas> };

/**
 * A Lambda that serves a group of routes dispatches on the API Gateway route key; a key it does
 * not serve is a 404 in the SPEC error shape.
 */
export function routeGroup(routes: Record<string, DocumentedHandler>): RouteGroupHandler {
  const dispatch: LambdaHttpHandler = async (event, context) => {
    const route = routes[event.routeKey];
    if (!route) {
      return {
        statusCode: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'not_found', message: 'No such route.' } }),
      };
    }
    return route(event, context);
  };
  return Object.assign(dispatch, { routes: Object.fromEntries(Object.entries(routes).map(([key, h]) => [key, h.schemas])) });
}

/** A route that touches no tenant data and changes nothing: no audit, no DynamoDB in its bundle. */
export function plainHandler<P extends ZodType, Q extends ZodType, B extends ZodType, A extends boolean = true>(
  spec: RouteSpec<P, Q, B> & { auth?: A },
  fn: (input: RouteInput<Out<P>, Out<Q>, Out<B>, A>) => Promise<RouteResult>,
) {
  return baseHandler(spec, fn);
}

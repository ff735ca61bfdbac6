import middy from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';
import httpCors from '@middy/http-cors';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import type { ZodType } from 'zod';
import { ROUTES, routeKey, type RouteKey, type RoutePermission } from '../registry.ts';
import { callerFromContext, type Caller } from './caller.ts';
import { Forbidden, Unauthenticated, ValidationFailed } from './errors.ts';
import { logger } from './logger.ts';
import { errorResponses, jsonBody, type ParsedEvent } from './middleware.ts';
import { runInRequest } from './request-context.ts';
import { allows } from './scope.ts';
import { controlCharacterIssues } from './text.ts';

/**
 * The HTTP wrapper without data access: it parses, validates (zod, unknown fields refused),
 * authenticates, logs and maps errors, then calls the business function, which reads like the
 * spec. Routes use `httpHandler()` of http.ts, which adds the audit trail; only routes that
 * neither change nor read anything of a tenant (health, the API description) use `plainHandler()`
 * from here, so their bundles carry no DynamoDB code.
 *
 * The order of checks is SPEC §4.1's on every route: authenticate (401) → the caller's role may
 * use the route at all (403, the route table's `permission`) → path and query valid (400) → the
 * resource exists in scope (404) → body valid (400) → the action. The per-resource scope and role
 * checks happen in the business function through platform/scope.ts, because they need the
 * resource; so that an invalid body does not answer 400 for a resource the caller cannot see, a
 * refused body is thrown only after `resourcesInScope` (http.ts) found every resource the path
 * names (404 otherwise). A valid body costs nothing extra: the handler loads the resource itself.
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
  // SPEC §4.1: no text field holds a control character, whatever its schema.
  const unprintable = controlCharacterIssues(value);
  if (unprintable.length) throw new ValidationFailed(`The ${where} is not valid.`, unprintable.map((i) => ({ in: where, ...i })));
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

/** Throws NotFound unless every resource the (valid) path parameters name exists in the caller's scope. */
export type ResourcesInScope = (params: Record<string, string>, caller: Caller) => Promise<void>;

export interface WrapperHooks {
  afterChange?: AfterChange;
  resourcesInScope?: ResourcesInScope;
}

const PERMISSIONS = new Map<string, RoutePermission>(ROUTES.map((r) => [routeKey(r), r.permission]));

/** May the caller's role use a route of this permission at all (whatever resource it names)? */
export function roleMayUse(caller: Caller, permission: RoutePermission): boolean {
  if (permission === 'public') return true;
  if (permission === 'customer') return caller.accountType === 'customer';
  return allows(caller, permission);
}

const isEmptyObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/** The body, validated; its refusal (413, 415, malformed JSON, a schema failure) thrown here, last. */
function bodyOf(schema: ZodType | undefined, parsed: ParsedEvent): unknown {
  if (parsed.bodyError) throw parsed.bodyError;
  if (!schema) {
    // SPEC §4.1: a route that takes no body accepts none, an empty one or `{}` (what generated clients send).
    if (parsed.body !== undefined && !isEmptyObject(parsed.body)) throw new ValidationFailed('This route takes no body: send none, an empty body or {}.');
    return undefined;
  }
  return validate(schema, parsed.body, 'body', empty);
}

export function baseHandler<P extends ZodType, Q extends ZodType, B extends ZodType, A extends boolean = true>(
  spec: RouteSpec<P, Q, B> & { auth?: A },
  fn: (input: RouteInput<Out<P>, Out<Q>, Out<B>, A>) => Promise<RouteResult>,
  hooks: WrapperHooks = {},
) {
  const { afterChange, resourcesInScope } = hooks;
  const business = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyResultV2> => {
    const parsed = event as unknown as ParsedEvent;
    const lambdaCtx = (event.requestContext as unknown as { authorizer?: { lambda?: Record<string, unknown> } }).authorizer?.lambda;
    const caller = callerFromContext(lambdaCtx);
    if (spec.auth !== false && !caller) throw new Unauthenticated();
    if (caller) logger.appendKeys({ userId: caller.userId, accountId: caller.accountId, actorUserId: caller.actorUserId });
    const permission = PERMISSIONS.get(event.routeKey);
    if (caller && permission && !roleMayUse(caller, permission)) throw new Forbidden();

    const params = validate(spec.params, event.pathParameters, 'path', empty);
    const query = validate(spec.query, event.queryStringParameters, 'query', empty);
    let body: unknown;
    try {
      body = bodyOf(spec.body, parsed);
    } catch (refused) {
      // The resource's 404 comes before the body's 400 (SPEC §4.1).
      if (caller && resourcesInScope && params && Object.keys(params).length) await resourcesInScope(params as Record<string, string>, caller);
      throw refused;
    }

    const result = await runInRequest({ routeKey: event.routeKey, userId: caller?.userId }, () => fn({
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
    }));
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
export function routeGroup(routes: Partial<Record<RouteKey, DocumentedHandler>>): RouteGroupHandler {
  const dispatch: LambdaHttpHandler = async (event, context) => {
    const route = (routes as Record<string, DocumentedHandler | undefined>)[event.routeKey];
    if (!route) {
      return {
        statusCode: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'not_found', message: 'No such route.' } }),
      };
    }
    return route(event, context);
  };
  return Object.assign(dispatch, { routes: Object.fromEntries(Object.entries(routes).map(([key, h]) => [key, h!.schemas])) });
}

/** A route that touches no tenant data and changes nothing: no audit, no DynamoDB in its bundle. */
export function plainHandler<P extends ZodType, Q extends ZodType, B extends ZodType, A extends boolean = true>(
  spec: RouteSpec<P, Q, B> & { auth?: A },
  fn: (input: RouteInput<Out<P>, Out<Q>, Out<B>, A>) => Promise<RouteResult>,
) {
  return baseHandler(spec, fn);
}

import middy from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';
import httpCors from '@middy/http-cors';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { $ZodType as ZodType } from 'zod/v4/core';
import { ROUTES, routeKey, type RouteKey, type RoutePermission } from '../registry.ts';
import { callerFromContext, clientMayUse, type Caller, type Scope } from './caller.ts';
import { AppError, Forbidden, PreconditionFailed, Unauthenticated, ValidationFailed } from './errors.ts';
import { logger } from './logger.ts';
import { httpCorrelation } from './http-correlation.ts';
import { originVerify } from './origin-verify.ts';
import { errorResponses, jsonBody, type ParsedEvent } from './middleware.ts';
import { runInRequest } from './request-context.ts';
import { allows } from './scope.ts';
import { controlCharacterIssues } from './text.ts';
import { tracer } from './tracer.ts';

// zod/mini loads no locale: without English, every issue's message would read "Invalid input".
z.config(en());

/**
 * The HTTP wrapper without data access: it parses, validates (zod, unknown fields refused),
 * authenticates, logs and maps errors, then calls the business function, which reads like the
 * spec. Routes use `httpHandler()` of http/route.ts, which adds the audit trail; only routes that
 * neither change nor read anything of a tenant (health, the API description) use `plainHandler()`
 * from here, so their bundles carry no DynamoDB code.
 *
 * The order of checks is docs/product.md#api-conventions's on every route: authenticate (401) → the caller's role may
 * use the route at all (403, the route table's `permission`) → path and query valid (400) → the
 * resource exists in scope (404) → body valid (400) → the action. The per-resource scope and role
 * checks happen in the business function through platform/scope.ts, because they need the
 * resource; so that an invalid body does not answer 400 for a resource the caller cannot see, a
 * refused body is thrown only after `resourcesInScope` (http/resources.ts) found every resource the path
 * names (404 otherwise). A valid body costs nothing extra: the handler loads the resource itself.
 */
export interface RouteSpec<P extends ZodType, Q extends ZodType, B extends ZodType> {
  /** false for the public routes (login, refresh, activation, health). */
  auth?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** The 2xx body (absent: the route answers 204). Checked against every answer locally and in tests. */
  response?: ZodType;
  /** The body may also come as `application/x-www-form-urlencoded` (the OAuth token route, RFC 6749), its fields as strings. */
  form?: boolean;
  /**
   * The media type of a 2xx body that is not JSON (`application/pdf`, `text/csv; charset=utf-8`):
   * the route answers `file` instead of `body`, and the OpenAPI document lists this type.
   */
  produces?: string;
  /**
   * For a route whose `Idempotency-Key` places an order (the route table's `idempotencyKey`): how
   * to answer a retry once the key's order exists (http/idempotency.ts `answerOrder`).
   */
  replay?: Replay;
}

/** What a request under an idempotency key answers when the key already placed `orderId` (undefined: the order is gone). */
export type Replay = (orderId: string) => Promise<RouteResult | undefined>;

/** An `Idempotency-Key` as the order it places records it (data/request-keys.ts). */
export interface IdempotencyKeyRecord {
  userId: string;
  route: string;
  key: string;
  bodyHash: string;
}

/** docs/product.md#api-conventions: 8 to 128 letters, digits or . _ : - */
export const IdempotencyKeyHeader = z.string().check(z.minLength(8), z.maxLength(128), z.regex(/^[A-Za-z0-9._:-]+$/));

export interface RequestInfo {
  requestId: string;
  /** The Lambda context (remaining time bounds an in-progress idempotency record). */
  lambdaContext: Context;
  ip?: string;
  userAgent?: string;
  headers: Record<string, string | undefined>;
  /** The JSON body exactly as parsed, before validation (idempotency compares it). */
  rawBody: unknown;
  /** The version an `If-Match` header names (already checked against the resource by the wrapper): a PATCH conditions its write on it. */
  ifMatch?: number;
  /** On a route with `Idempotency-Key`: the key, to be written with the order the request places. */
  requestKey?: IdempotencyKeyRecord;
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
  /**
   * A body that is not JSON, of the route's `produces` type: text is sent as it is (UTF-8), bytes
   * base64-encoded with `isBase64Encoded`, which API Gateway's HTTP API (and the local gateway)
   * decode before sending them. `fileName` becomes `content-disposition: attachment`.
   */
  file?: { data: string | Uint8Array; fileName?: string };
  headers?: Record<string, string>;
  /**
   * Overrides what the audit event names when the answer alone does not say (a 204, say);
   * `false` when the request changed nothing (a removal of what was not there).
   */
  audit?: false | { accountId?: string; resourceType?: string; resourceId?: string; details?: Record<string, unknown> };
}

const empty = z.strictObject({});
type Out<T> = T extends ZodType ? z.output<T> : Record<string, never>;

function validate<T extends ZodType>(schema: T | undefined, value: unknown, where: string, fallback: ZodType): z.output<T> {
  const s = schema ?? fallback;
  // docs/product.md#api-conventions: no text field holds a control character, whatever its schema.
  const unprintable = controlCharacterIssues(value);
  if (unprintable.length) throw new ValidationFailed(`The ${where} is not valid.`, unprintable.map((i) => ({ in: where, ...i })));
  // Absent params, query or body validate as {}; a JSON `null` body is a body, and is refused.
  const result = z.safeParse(s, where === 'body' ? (value === undefined ? {} : value) : (value ?? {}));
  if (!result.success) {
    throw new ValidationFailed(
      `The ${where} is not valid.`,
      result.error.issues.map((i) => ({ in: where, path: i.path.join('.'), code: i.code, message: i.message })),
    );
  }
  return result.data as z.output<T>;
}

/** Runs after a successful non-GET request (http/route.ts records the audit event). */
export type AfterChange = (event: APIGatewayProxyEventV2, caller: Caller | undefined, params: Record<string, string>, result: RouteResult) => Promise<void>;

/** Throws NotFound unless every resource the (valid) path parameters name exists in the caller's scope. */
export type ResourcesInScope = (params: Record<string, string>, caller: Caller) => Promise<void>;

/** The stored version of the resource a route's last path parameter names (If-Match). */
export type VersionOf = (params: Record<string, string>, caller: Caller) => Promise<number | undefined>;

/** Runs the business function under the request's `Idempotency-Key` (http/idempotency.ts). */
export type Idempotent = (
  run: (requestKey: IdempotencyKeyRecord) => Promise<RouteResult>,
  call: { caller: Caller; request: RequestInfo; key: string; route: string; replay?: Replay },
) => Promise<RouteResult>;

export interface WrapperHooks {
  /**
   * The scope a machine client needs for a route key (http/scopes.ts); null: none. Without it, no
   * machine client may use the route.
   */
  scopeOf?: (routeKey: string) => Scope | null;
  afterChange?: AfterChange;
  resourcesInScope?: ResourcesInScope;
  versionOf?: VersionOf;
  idempotent?: Idempotent;
}

const PERMISSIONS = new Map<string, RoutePermission>(ROUTES.map((r) => [routeKey(r), r.permission]));
const IDEMPOTENT = new Set<string>(ROUTES.filter((r) => r.idempotencyKey).map(routeKey));

/**
 * `If-Match` (docs/product.md#api-conventions): `"3"`, `W/"3"` or a list of them; `*` matches any version. Answers the
 * versions named, or undefined when the header is absent or `*`. Anything else is bad input.
 */
export function ifMatchVersions(header: string | undefined): number[] | undefined {
  if (header === undefined) return undefined;
  const tags = header.split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.includes('*')) return undefined;
  const versions = tags.map((t) => /^(?:W\/)?"?(\d{1,15})"?$/.exec(t)?.[1]);
  if (!versions.length || versions.some((v) => v === undefined)) {
    throw new ValidationFailed('If-Match must name an ETag this API answered, e.g. "3".', [{ in: 'header', path: 'If-Match', code: 'invalid_string' }]);
  }
  return versions.map(Number);
}

/** The ETag of an answer: the version of the single resource it is (docs/product.md#api-conventions), none for lists and the rest. */
function etagOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const version = (body as { version?: unknown }).version;
  return typeof version === 'number' && Number.isInteger(version) ? `"${version}"` : undefined;
}

/** Paths of fields an answer holds that its schema does not describe (zod drops them when it parses). */
function undescribed(answered: unknown, parsed: unknown, path: string[] = []): string[] {
  if (Array.isArray(answered) && Array.isArray(parsed)) return answered.flatMap((a, i) => undescribed(a, parsed[i], [...path, String(i)]));
  if (typeof answered !== 'object' || answered === null || typeof parsed !== 'object' || parsed === null) return [];
  return Object.entries(answered).flatMap(([k, v]) =>
    v === undefined ? [] : k in parsed ? undescribed(v, (parsed as Record<string, unknown>)[k], [...path, k]) : [[...path, k].join('.')],
  );
}

/**
 * Locally and in tests (CHECK_RESPONSES=true), an answer its schema does not describe is a 500, so
 * every integration test fails on it; in AWS the check costs nothing.
 */
function checkResponse(routeKey: string, schema: ZodType | undefined, result: RouteResult, produces?: string): void {
  if (process.env.CHECK_RESPONSES !== 'true' || result.statusCode >= 300) return;
  if (produces || result.file) {
    if (!produces || !result.file || result.body !== undefined) throw new AppError(500, 'response_mismatch', `${routeKey} answers ${produces ?? 'JSON'}: a file${produces ? '' : ' it does not declare'}, and no JSON body.`);
    return;
  }
  if (result.statusCode === 204 || result.body === undefined) {
    if (result.body !== undefined) throw new AppError(500, 'response_mismatch', `${routeKey} answered 204 with a body.`);
    return;
  }
  if (!schema) throw new AppError(500, 'response_mismatch', `${routeKey} answered a body but declares no response schema.`);
  const parsed = z.safeParse(schema, result.body);
  const issues = parsed.success
    ? undescribed(JSON.parse(JSON.stringify(result.body)), parsed.data).map((path) => ({ path, message: 'not described by the response schema' }))
    : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  if (issues.length) {
    logger.error('response does not match its schema', { route: routeKey, issues });
    throw new AppError(500, 'response_mismatch', `${routeKey} answered something its response schema does not describe.`, issues);
  }
}

/** May the caller's role use a route of this permission at all (whatever resource it names)? */
export function roleMayUse(caller: Caller, permission: RoutePermission): boolean {
  if (permission === 'public') return true;
  if (permission === 'customer') return caller.accountType === 'customer';
  // Admins, and customer users on what they bought themselves (the handler narrows them to it).
  if (permission === 'buyer') return caller.role === 'admin' || caller.accountType === 'customer';
  return allows(caller, permission);
}

const isEmptyObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/** The body, validated; its refusal (413, 415, malformed JSON, a schema failure) thrown here, last. */
function bodyOf(schema: ZodType | undefined, parsed: ParsedEvent): unknown {
  if (parsed.bodyError) throw parsed.bodyError;
  if (!schema) {
    // docs/product.md#api-conventions: a route that takes no body accepts none, an empty one or `{}` (what generated clients send).
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
  const { afterChange, resourcesInScope, versionOf, idempotent, scopeOf } = hooks;
  const business = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyResultV2> => {
    const parsed = event as unknown as ParsedEvent;
    const lambdaCtx = (event.requestContext as unknown as { authorizer?: { lambda?: Record<string, unknown> } }).authorizer?.lambda;
    const caller = callerFromContext(lambdaCtx);
    if (spec.auth !== false && !caller) throw new Unauthenticated();
    if (caller) logger.appendKeys({ userId: caller.userId, accountId: caller.accountId, actorUserId: caller.actorUserId, clientId: caller.clientId });
    const permission = PERMISSIONS.get(event.routeKey);
    if (caller && permission && !roleMayUse(caller, permission)) throw new Forbidden();
    // A machine client also needs the route's scope (a route without one is closed to clients).
    if (caller?.clientId && !clientMayUse(caller, scopeOf?.(event.routeKey) ?? null)) throw new Forbidden();

    const params = validate(spec.params, event.pathParameters, 'path', empty);
    const query = validate(spec.query, event.queryStringParameters, 'query', empty);
    let body: unknown;
    try {
      body = bodyOf(spec.body, parsed);
    } catch (refused) {
      // The resource's 404 comes before the body's 400 (docs/product.md#api-conventions).
      if (caller && resourcesInScope && params && Object.keys(params).length) await resourcesInScope(params as Record<string, string>, caller);
      throw refused;
    }

    const headers = event.headers ?? {};
    const pathParams = (params ?? {}) as Record<string, string>;
    const idempotencyKey = IDEMPOTENT.has(event.routeKey) ? IdempotencyKeyHeader.safeParse(headers['idempotency-key'] ?? headers['Idempotency-Key']) : undefined;
    if (idempotencyKey && !idempotencyKey.success) {
      if (caller && resourcesInScope && Object.keys(pathParams).length) await resourcesInScope(pathParams, caller);
      const sent = headers['idempotency-key'] ?? headers['Idempotency-Key'];
      throw new ValidationFailed('The Idempotency-Key header is required: 8 to 128 letters, digits or . _ : -', [
        { in: 'header', path: 'Idempotency-Key', code: sent ? 'invalid_string' : 'required' },
      ]);
    }
    let ifMatch: number | undefined;
    const method = event.requestContext.http?.method ?? event.routeKey.split(' ')[0];
    if (method !== 'GET' && caller && versionOf) {
      const wanted = ifMatchVersions(headers['if-match'] ?? headers['If-Match']);
      if (wanted) {
        const current = await versionOf(pathParams, caller);
        if (current !== undefined && !wanted.includes(current)) throw new PreconditionFailed(current);
        ifMatch = current ?? wanted[0];
      }
    }
    const request: RequestInfo = {
      requestId: context.awsRequestId ?? event.requestContext.requestId,
      lambdaContext: context,
      ip: event.requestContext.http?.sourceIp,
      userAgent: event.requestContext.http?.userAgent,
      headers,
      rawBody: parsed.body,
      ifMatch,
    };
    const input = (req: RequestInfo) => ({
      params: params as Out<P>,
      query: query as Out<Q>,
      body: body as Out<B>,
      caller: caller as RouteInput<Out<P>, Out<Q>, Out<B>, A>['caller'],
      request: req,
    });
    const result = await runInRequest({ routeKey: event.routeKey, userId: caller?.userId }, () =>
      idempotencyKey?.success && caller && idempotent
        ? idempotent((requestKey) => fn(input({ ...request, requestKey })), {
            caller,
            request,
            key: idempotencyKey.data,
            route: `${method} ${event.rawPath ?? event.routeKey.split(' ')[1]}`,
            replay: spec.replay,
          })
        : fn(input(request)),
    );
    checkResponse(event.routeKey, spec.response, result, spec.produces);
    const etag = result.statusCode < 300 ? etagOf(result.body) : undefined;
    if (etag) result.headers = { etag, ...result.headers };
    logger.info('request handled', { route: event.routeKey, status: result.statusCode });
    if (afterChange && event.requestContext.http?.method !== 'GET' && result.statusCode < 400) {
      await afterChange(event, caller, params as Record<string, string>, result);
    }
    if (result.file) return fileResponse(result.statusCode, result.file, spec.produces ?? 'application/octet-stream', result.headers);
    return {
      statusCode: result.statusCode,
      headers: { 'content-type': 'application/json', ...result.headers },
      body: result.body === undefined ? '' : JSON.stringify(result.body),
    };
  };

  const wrapped = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    // The handler's X-Ray subsegment, without the answer (it holds personal data); then the request's correlation id.
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(httpCorrelation())
    .use(httpSecurityHeaders())
    .use(httpCors({ origin: process.env.CORS_ORIGIN ?? '*', headers: 'authorization,content-type,idempotency-key,if-match,x-correlation-id', exposeHeaders: 'etag,retry-after,x-correlation-id' }))
    // Only what came through CloudFront and its WAF (docs/operations.md#edge), before the body is read.
    .use(originVerify())
    .use(jsonBody({ form: spec.form }))
    .use(errorResponses())
    .handler(business);
  const schemas: RouteSchemas = {
    auth: spec.auth !== false,
    params: spec.params,
    query: spec.query,
    body: spec.body,
    response: spec.response,
    ...(spec.produces ? { produces: spec.produces } : {}),
    ...(spec.form ? { form: true } : {}),
  };
  return Object.assign(wrapped, { schemas });
}

/** A file answer (RouteResult `file`): text as it is, bytes in base64 for the gateway to decode. */
function fileResponse(statusCode: number, file: NonNullable<RouteResult['file']>, contentType: string, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  const binary = typeof file.data !== 'string';
  return {
    statusCode,
    headers: {
      'content-type': contentType,
      ...(file.fileName ? { 'content-disposition': `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"` } : {}),
      ...headers,
    },
    body: binary ? Buffer.from(file.data as Uint8Array).toString('base64') : (file.data as string),
    isBase64Encoded: binary,
  };
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
  /** The 2xx body; absent for a route that answers 204. */
  response?: ZodType;
  /** The media type of a 2xx body that is not JSON (RouteSpec `produces`). */
  produces?: string;
  /** The body may also be a form (RouteSpec `form`). */
  form?: boolean;
}

export type DocumentedHandler = LambdaHttpHandler & { schemas: RouteSchemas };
export type RouteGroupHandler = LambdaHttpHandler & { routes: Record<string, RouteSchemas> };

/**
 * A Lambda that serves a group of routes dispatches on the API Gateway route key; a key it does
 * not serve is a 404 in the API error shape.
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

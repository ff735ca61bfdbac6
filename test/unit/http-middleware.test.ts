import { jest } from '@jest/globals';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import fc from 'fast-check';
import { httpHandler, routeGroup, type DocumentedHandler, type RouteInput } from '#http/route.ts';
import { baseHandler, ifMatchVersions } from '#platform/http-base.ts';
import { MAX_BODY_BYTES } from '#platform/middleware.ts';
import { Conflict, Forbidden, NotFound, TransientError } from '#platform/errors.ts';
import { logger } from '#platform/logger.ts';
import { Name } from '#http/schemas.ts';

/** The wrapper every route uses, driven with API Gateway v2 events built by hand. */

const loggedErrors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
jest.spyOn(logger, 'info').mockImplementation(() => undefined);
jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

const CALLER_CONTEXT = {
  authenticated: true,
  userId: 'usr_01J0000000000000000000ADMN',
  accountId: 'acc_01J0000000000000000000CUST',
  accountType: 'customer',
  role: 'admin',
  accountPath: 'acc_01J0000000000000000000ROOT,acc_01J0000000000000000000RESL,acc_01J0000000000000000000CUST',
  rootId: 'acc_01J0000000000000000000ROOT',
};

interface EventOptions {
  routeKey?: string;
  body?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  authorizer?: Record<string, unknown> | null;
  isBase64Encoded?: boolean;
}

function event(options: EventOptions = {}): APIGatewayProxyEventV2 {
  const routeKey = options.routeKey ?? 'POST /v1/things/{thingId}';
  const [method = 'POST', path = '/'] = routeKey.split(' ');
  const headers: Record<string, string> = { 'user-agent': 'jest', ...options.headers };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  const authorizer = options.authorizer === null ? undefined : { lambda: options.authorizer ?? CALLER_CONTEXT };
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers,
    body: options.body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    pathParameters: options.pathParameters,
    queryStringParameters: options.queryStringParameters,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      requestId: 'gw-request-1',
      routeKey,
      stage: '$default',
      time: '10/Jan/2027:10:00:00 +0000',
      timeEpoch: 1799575200000,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
      ...(authorizer ? { authorizer } : {}),
    },
  } as APIGatewayProxyEventV2;
}

const context = {
  awsRequestId: 'lambda-request-42',
  functionName: 'http-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:http-test',
  memoryLimitInMB: '256',
  logGroupName: '/aws/lambda/http-test',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as unknown as Context;

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any;
}

async function call(handler: (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyResultV2>, e: APIGatewayProxyEventV2): Promise<Reply> {
  const result = (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { status: result.statusCode ?? 200, headers, body: result.body ? JSON.parse(result.body) : undefined };
}

const ThingBody = z.object({ name: z.string().min(1), quantity: z.number().int().min(1) }).strict();
const seen: RouteInput<unknown, unknown, unknown, boolean>[] = [];

/** A route with a body, path params and auth, answering what it received. */
const createThing = httpHandler(
  { params: z.object({ thingId: z.string().startsWith('thg_') }).strict(), body: ThingBody },
  async (input) => {
    seen.push(input);
    return { statusCode: 201, body: { id: input.params.thingId, ...input.body, by: input.caller.userId } };
  },
);

/** A route that takes no body nor query. */
const readThing = httpHandler({}, async () => ({ statusCode: 200, body: { ok: true } }));

/** A public route (login, refresh, activation, health). */
const health = httpHandler({ auth: false }, async ({ caller }) => ({ statusCode: 200, body: { ok: true, signedIn: caller !== undefined } }));

function throwing(error: unknown) {
  return httpHandler({}, async () => {
    throw error;
  });
}

const validPost = (overrides: EventOptions = {}) =>
  event({ pathParameters: { thingId: 'thg_1' }, body: JSON.stringify({ name: 'Widget', quantity: 3 }), ...overrides });

beforeEach(() => {
  seen.length = 0;
  loggedErrors.mockClear();
});

describe('httpHandler: the happy path', () => {
  it('parses, validates and hands the business function params, body, caller and request info', async () => {
    const reply = await call(createThing, validPost({ headers: { 'idempotency-key': 'k-1' } }));
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ id: 'thg_1', name: 'Widget', quantity: 3, by: CALLER_CONTEXT.userId });
    expect(reply.headers['content-type']).toBe('application/json');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.caller).toEqual({
      userId: CALLER_CONTEXT.userId,
      accountId: CALLER_CONTEXT.accountId,
      accountType: 'customer',
      role: 'admin',
      accountPath: CALLER_CONTEXT.accountPath.split(','),
      rootId: CALLER_CONTEXT.rootId,
      actorUserId: undefined,
    });
    expect(seen[0]!.request).toMatchObject({
      requestId: 'lambda-request-42',
      ip: '203.0.113.7',
      userAgent: 'jest',
      rawBody: { name: 'Widget', quantity: 3 },
    });
    expect(seen[0]!.request.headers['idempotency-key']).toBe('k-1');
  });

  it.each([
    ['application/json; charset=utf-8'],
    ['Application/JSON'],
    ['application/merge-patch+json'],
  ])('accepts the JSON content type %p', async (contentType) => {
    expect((await call(createThing, validPost({ contentType }))).status).toBe(201);
  });

  it('accepts a base64-encoded JSON body', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'Widget', quantity: 1 })).toString('base64');
    expect((await call(createThing, validPost({ body, isBase64Encoded: true }))).status).toBe(201);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const name = 'x'.repeat(MAX_BODY_BYTES - JSON.stringify({ name: '', quantity: 1 }).length);
    const body = JSON.stringify({ name, quantity: 1 });
    expect(Buffer.byteLength(body)).toBe(64 * 1024);
    expect((await call(createThing, validPost({ body }))).status).toBe(201);
  });

  it('names the actor when the token is a "log in as" token', async () => {
    await call(createThing, validPost({ authorizer: { ...CALLER_CONTEXT, actorUserId: 'usr_STAFF' } }));
    expect(seen[0]!.caller).toMatchObject({ userId: CALLER_CONTEXT.userId, actorUserId: 'usr_STAFF' });
  });
});

describe('httpHandler: bad input answers in the API error shape', () => {
  it.each<[string, EventOptions, number, string]>([
    ['refuses a body over 64 KiB with 413 payload_too_large', { body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), quantity: 1 }) }, 413, 'payload_too_large'],
    ['counts the 64 KiB in bytes, not characters', { body: JSON.stringify({ name: 'é'.repeat(MAX_BODY_BYTES / 2), quantity: 1 }) }, 413, 'payload_too_large'],
    ['refuses a text/plain body with 415 unsupported_media_type', { contentType: 'text/plain' }, 415, 'unsupported_media_type'],
    ['refuses a form body with 415 unsupported_media_type', { contentType: 'application/x-www-form-urlencoded', body: 'name=Widget' }, 415, 'unsupported_media_type'],
    ['refuses a body without a content type with 415', { contentType: null }, 415, 'unsupported_media_type'],
    ['refuses malformed JSON with 400 validation_failed', { body: '{"name": "Widget",' }, 400, 'validation_failed'],
    ['refuses a missing required field with 400 validation_failed', { body: JSON.stringify({ name: 'Widget' }) }, 400, 'validation_failed'],
    ['refuses a field of the wrong type with 400 validation_failed', { body: JSON.stringify({ name: 'Widget', quantity: '3' }) }, 400, 'validation_failed'],
    ['refuses a JSON array body with 400 validation_failed', { body: '[]' }, 400, 'validation_failed'],
    ['refuses a path parameter that fails its schema with 400', { pathParameters: { thingId: 'nope' } }, 400, 'validation_failed'],
    ['refuses an unexpected query parameter with 400', { queryStringParameters: { debug: '1' } }, 400, 'validation_failed'],
  ])('%s', async (_name, overrides, status, code) => {
    const reply = await call(createThing, validPost(overrides));
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
    expect(reply.headers['content-type']).toBe('application/json');
    expect(seen).toHaveLength(0);
  });

  it('refuses a JSON null body even when every field is optional (an absent body is {})', async () => {
    const editThing = httpHandler({ body: z.object({ name: z.string().optional() }).strict() }, async (input) => {
      seen.push(input);
      return { statusCode: 200, body: { ok: true } };
    });
    const refused = await call(editThing, event({ body: 'null' }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(seen).toHaveLength(0);
    expect((await call(editThing, event({ body: '{}' }))).status).toBe(200);
  });

  it('refuses an unknown body field with 400 validation_failed and details naming it', async () => {
    const reply = await call(createThing, validPost({ body: JSON.stringify({ name: 'Widget', quantity: 3, isAdmin: true }) }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_failed');
    expect(reply.body.error.details).toEqual([expect.objectContaining({ in: 'body', code: 'unrecognized_keys' })]);
    expect(JSON.stringify(reply.body.error.details)).toContain('isAdmin');
    expect(seen).toHaveLength(0);
  });

  it('points each detail at the field that failed', async () => {
    const reply = await call(createThing, validPost({ body: JSON.stringify({ name: '', quantity: 0 }) }));
    expect(reply.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'quantity']);
  });

  it.each([
    ['a JSON object', JSON.stringify({ anything: true })],
    ['JSON null', 'null'],
    ['a JSON array', '[]'],
  ])('refuses %s sent to a route that takes no body with 400', async (_what, body) => {
    const reply = await call(readThing, event({ routeKey: 'GET /v1/things', body }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_failed');
  });

  it.each([
    ['an empty JSON object (what generated clients send)', '{}', 'application/json'],
    ['an empty JSON object with spaces', ' { } ', 'application/json'],
    ['an empty body', '', 'application/json'],
  ])('lets a route that takes no body through with %s', async (_what, body, contentType) => {
    const reply = await call(readThing, event({ routeKey: 'POST /v1/things/x/go', body, contentType }));
    expect(reply).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('lets a route that takes no body through when none is sent', async () => {
    const reply = await call(readThing, event({ routeKey: 'GET /v1/things', contentType: null }));
    expect(reply).toMatchObject({ status: 200, body: { ok: true } });
  });
});

describe('httpHandler: authentication', () => {
  it.each<[string, Record<string, unknown> | null]>([
    ['no authorizer context at all', null],
    ['an authorizer context that says unauthenticated', { authenticated: false, reason: 'invalid_token' }],
    ['an authorizer context without the flag', { userId: 'usr_x', accountId: 'acc_x' }],
    ['the flag as the string "false"', { ...CALLER_CONTEXT, authenticated: 'false' }],
  ])('answers 401 unauthenticated on an auth route with %s', async (_what, authorizer) => {
    const reply = await call(createThing, validPost({ authorizer }));
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    expect(seen).toHaveLength(0);
  });

  it('checks authentication before the body, so a stranger learns nothing about the schema', async () => {
    const reply = await call(createThing, validPost({ authorizer: null, body: JSON.stringify({ bogus: 1 }) }));
    expect(reply.status).toBe(401);
  });

  it('accepts the flag as the string "true" (how API Gateway may pass context values)', async () => {
    const reply = await call(createThing, validPost({ authorizer: { ...CALLER_CONTEXT, authenticated: 'true' } }));
    expect(reply.status).toBe(201);
  });

  it.each<[string, Record<string, unknown> | null, boolean]>([
    ['without an authorizer context', null, false],
    ['with an unauthenticated context', { authenticated: false, reason: 'missing_token' }, false],
    ['with a signed-in caller', CALLER_CONTEXT, true],
  ])('serves a public route (auth: false) %s', async (_what, authorizer, signedIn) => {
    const reply = await call(health, event({ routeKey: 'GET /v1/health', contentType: null, authorizer }));
    expect(reply).toMatchObject({ status: 200, body: { ok: true, signedIn } });
  });
});

describe('httpHandler: errors thrown by the business function', () => {
  it.each<[string, Error, number, string]>([
    ['a Conflict keeps its status and code', new Conflict('seats_exhausted', 'No free seats left.'), 409, 'seats_exhausted'],
    ['NotFound is a 404 not_found', new NotFound(), 404, 'not_found'],
    ['Forbidden is a 403 forbidden', new Forbidden(), 403, 'forbidden'],
  ])('%s', async (_what, error, status, code) => {
    const reply = await call(throwing(error), event({ contentType: null }));
    expect(reply.status).toBe(status);
    expect(reply.body.error).toMatchObject({ code, message: error.message });
  });

  it('renders the details of a typed error', async () => {
    const details = [{ subscriptionId: 'sub_1', free: 0, asked: 3 }];
    const reply = await call(throwing(new Conflict('seats_exhausted', 'No free seats left.', details)), event({ contentType: null }));
    expect(reply.body).toEqual({ error: { code: 'seats_exhausted', message: 'No free seats left.', details } });
  });

  it('answers an unexpected error with 500 internal_error, the request id and nothing of the original', async () => {
    const boom = new Error('ConditionalCheckFailed on pk=ACCOUNT#acc_secret at /var/task/index.mjs');
    const reply = await call(throwing(boom), event({ contentType: null }));
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ error: { code: 'internal_error', message: expect.stringContaining('lambda-request-42') } });
    const raw = JSON.stringify(reply.body);
    expect(raw).not.toContain('ConditionalCheckFailed');
    expect(raw).not.toContain('acc_secret');
    expect(raw).not.toMatch(/stack|\bat .*\.(ts|js|mjs):\d+/);
    expect(loggedErrors).toHaveBeenCalledWith('unhandled error', expect.objectContaining({ error: boom, requestId: 'lambda-request-42' }));
  });

  it('answers a thrown non-Error value with 500 internal_error too', async () => {
    const reply = await call(throwing('a string'), event({ contentType: null }));
    expect(reply.status).toBe(500);
    expect(reply.body.error.code).toBe('internal_error');
    expect(JSON.stringify(reply.body)).not.toContain('a string');
  });
});

describe('httpHandler: response headers', () => {
  const cases: Array<[string, () => Promise<Reply>]> = [
    ['a success', () => call(createThing, validPost())],
    ['a validation error', () => call(createThing, validPost({ body: '{' }))],
    ['a typed error', () => call(throwing(new Conflict('seats_exhausted', 'No free seats left.')), event({ contentType: null }))],
    ['an unexpected error', () => call(throwing(new Error('boom')), event({ contentType: null }))],
    ['a 401', () => call(createThing, validPost({ authorizer: null }))],
  ];

  it.each(cases)('sends security headers on %s', async (_what, send) => {
    const { headers } = await send();
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(cases)('sends CORS headers on %s', async (_what, send) => {
    const { headers } = await send();
    expect(headers['access-control-allow-origin']).toBe('*');
    expect(headers['access-control-allow-headers']).toBe('authorization,content-type,idempotency-key,if-match,x-correlation-id');
  });

  it('lets a route add its own headers', async () => {
    const located = httpHandler({}, async () => ({ statusCode: 201, body: { id: 'x' }, headers: { location: '/v1/things/x' } }));
    const reply = await call(located, event({ contentType: null }));
    expect(reply.headers.location).toBe('/v1/things/x');
    expect(reply.headers['content-type']).toBe('application/json');
  });
});

describe('routeGroup', () => {
  // Keys outside the route table (routeGroup takes the table's RouteKeys): the dispatch, not the table, is under test.
  const group = routeGroup({
    'GET /v1/things': readThing,
    'POST /v1/things/{thingId}': createThing,
  } as Record<string, DocumentedHandler>);

  it.each([
    ['GET /v1/things', 200],
    ['POST /v1/things/{thingId}', 201],
  ])('dispatches %s to its handler', async (routeKey, status) => {
    const e = routeKey.startsWith('GET') ? event({ routeKey, contentType: null }) : validPost({ routeKey });
    expect((await call(group, e)).status).toBe(status);
  });

  it.each(['DELETE /v1/things/{thingId}', 'GET /v1/other', '$default'])('answers the unknown route key %p with 404 not_found', async (routeKey) => {
    const reply = await call(group, event({ routeKey, contentType: null }));
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect(reply.headers['content-type']).toBe('application/json');
  });
});

describe('httpHandler: text fields refuse control characters (docs/product.md#api-conventions)', () => {
  const named = httpHandler(
    { params: z.object({ thingId: z.string() }).strict(), query: z.object({ q: z.string().optional() }).strict(), body: z.object({ name: Name, tags: z.array(z.string()).optional(), note: z.object({ text: z.string() }).strict().optional() }).strict() },
    async (input) => {
      seen.push(input);
      return { statusCode: 200, body: { name: input.body.name } };
    },
  );
  const post = (body: unknown, overrides: EventOptions = {}) => event({ pathParameters: { thingId: 'thg_1' }, body: JSON.stringify(body), ...overrides });

  it.each([
    ['CR/LF (a header injection)', 'Reseller\r\nBcc: victim@example.com'],
    ['a lone LF', 'line\nbreak'],
    ['a tab', 'a\tb'],
    ['NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['the C1 control NEL', 'a\u0085b'],
    ['the C1 control CSI', 'a\u009bb'],
    ['a right-to-left override', 'invoice\u202Etxt.exe'],
    ['a left-to-right embedding', 'a\u202Ab'],
    ['a first-strong isolate', 'a\u2068b'],
    ['a pop directional isolate', 'a\u2069b'],
    ['a line separator', 'a\u2028b'],
  ])('refuses %s in a body field with 400 validation_failed naming the field', async (_what, value) => {
    const reply = await call(named, post({ name: value }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_failed');
    expect(reply.body.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'name', code: 'invalid_characters' })]);
    expect(seen).toHaveLength(0);
  });

  it('refuses control characters anywhere in the body: in arrays and nested objects', async () => {
    const reply = await call(named, post({ name: 'ok', tags: ['fine', 'bad\u0007'], note: { text: 'x\u202Dy' } }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['note.text', 'tags.1']);
    expect(seen).toHaveLength(0);
  });

  it('refuses control characters in a query value and in a path parameter', async () => {
    const inQuery = await call(named, post({ name: 'ok' }, { queryStringParameters: { q: 'a\r\nb' } }));
    expect(inQuery.status).toBe(400);
    expect(inQuery.body.error.details).toEqual([expect.objectContaining({ in: 'query', path: 'q', code: 'invalid_characters' })]);
    const inPath = await call(named, post({ name: 'ok' }, { pathParameters: { thingId: 'thg_\u0000' } }));
    expect(inPath.status).toBe(400);
    expect(inPath.body.error.details).toEqual([expect.objectContaining({ in: 'path', path: 'thingId', code: 'invalid_characters' })]);
    expect(seen).toHaveLength(0);
  });

  it('property: a control character anywhere in any JSON body is refused, naming where it is', async () => {
    const anyBody = httpHandler({ body: z.record(z.string(), z.unknown()) }, async () => ({ statusCode: 200, body: { ok: true } }));
    const controls = ['\u0000', '\u0001', '\t', '\n', '\r', '\u001b', '\u007f', '\u0080', '\u0085', '\u009f', '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), fc.constantFrom(...controls), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), async (rest, ch, before, after) => {
        const reply = await call(anyBody, event({ routeKey: 'POST /v1/things/x', body: JSON.stringify({ ...rest, zz: { deep: [`${before}${ch}${after}`] } }) }));
        expect(reply.status).toBe(400);
        expect(reply.body.error.details).toContainEqual(expect.objectContaining({ in: 'body', path: 'zz.deep.0', code: 'invalid_characters' }));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps printable text of every script, emoji and the zero-width joiner', async () => {
    const reply = await call(named, post({ name: 'Zoë Ünal 東京 👩‍💻 Ñandú', tags: ['مرحبا', 'שלום'] }));
    expect(reply.status).toBe(200);
  });

  it('trims names and normalizes them to NFC', async () => {
    const decomposed = '  Cafe\u0301 Mu\u0308ller  ';
    const reply = await call(named, post({ name: decomposed }));
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe('Caf\u00e9 M\u00fcller');
    expect(reply.body.name).toBe(reply.body.name.normalize('NFC'));
  });
});

describe('httpHandler: order of checks (docs/product.md#api-conventions)', () => {
  // A route of the table that only distributor admins may use, wired like its real handler.
  const distributorOnly = httpHandler(
    { params: z.object({ productId: z.string().startsWith('prd_') }).strict(), body: z.object({ name: z.string() }).strict() },
    async (input) => {
      seen.push(input);
      return { statusCode: 200, body: { ok: true } };
    },
  );
  const patchProduct = (overrides: EventOptions = {}) =>
    event({ routeKey: 'PATCH /v1/catalog/products/{productId}', pathParameters: { productId: 'prd_1' }, body: JSON.stringify({ name: 'x' }), ...overrides });

  it('answers 403 to a role that may not use the route at all before validating the path, query and body', async () => {
    const reply = await call(
      distributorOnly,
      patchProduct({ pathParameters: { productId: 'nope' }, queryStringParameters: { debug: '1' }, body: JSON.stringify({ bogus: true }) }),
    );
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('forbidden');
    expect(seen).toHaveLength(0);
  });

  it('answers 403 before a malformed, oversized or non-JSON body too', async () => {
    for (const overrides of [{ body: '{"name":' }, { body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }) }, { contentType: 'text/plain' }]) {
      const reply = await call(distributorOnly, patchProduct(overrides));
      expect(reply.status).toBe(403);
    }
  });

  it('answers 401 before anything about the body, malformed JSON included', async () => {
    const reply = await call(createThing, validPost({ authorizer: null, body: '{"name":' }));
    expect(reply.status).toBe(401);
  });

  it('lets a role the route allows reach validation', async () => {
    const distributorAdmin = { ...CALLER_CONTEXT, accountType: 'distributor', accountPath: 'acc_01J0000000000000000000ROOT', accountId: 'acc_01J0000000000000000000ROOT' };
    const create = httpHandler({ body: z.object({ name: z.string() }).strict() }, async () => ({ statusCode: 200, body: { ok: true } }));
    const createProduct = (overrides: EventOptions) => event({ routeKey: 'POST /v1/catalog/products', ...overrides });
    const bad = await call(create, createProduct({ authorizer: distributorAdmin, body: JSON.stringify({ bogus: true }) }));
    expect(bad.status).toBe(400);
    const good = await call(create, createProduct({ authorizer: distributorAdmin, body: JSON.stringify({ name: 'x' }) }));
    expect(good.status).toBe(200);
  });
});

describe('the contract the wrapper keeps: ETag, If-Match, response schemas', () => {
  const Thing = z.object({ id: z.string(), name: z.string(), version: z.number().int() });
  const stored = { version: 4 };
  const versionOf = async () => stored.version;
  const editThing = baseHandler(
    { params: z.object({ thingId: z.string() }).strict(), body: z.object({ name: z.string() }).strict(), response: Thing },
    async ({ params, body, request }) => {
      seen.push({ request } as never);
      return { statusCode: 200, body: { id: params.thingId, name: body.name, version: stored.version + 1 } };
    },
    { versionOf },
  );
  const edit = (headers: Record<string, string> = {}) =>
    event({ routeKey: 'PATCH /v1/things/{thingId}', pathParameters: { thingId: 'thg_1' }, body: JSON.stringify({ name: 'Widget' }), headers });

  it('answers a single resource with its version as ETag', async () => {
    const reply = await call(editThing, edit());
    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe('"5"');
  });

  it('refuses a stale If-Match with 412 precondition_failed before the business function runs', async () => {
    const reply = await call(editThing, edit({ 'if-match': '"3"' }));
    expect(reply.status).toBe(412);
    expect(reply.body.error.code).toBe('precondition_failed');
    expect(seen).toHaveLength(0);
  });

  it('hands the business function the version a matching If-Match named', async () => {
    const reply = await call(editThing, edit({ 'if-match': 'W/"4"' }));
    expect(reply.status).toBe(200);
    expect((seen[0] as unknown as RouteInput<unknown, unknown, unknown, true>).request.ifMatch).toBe(4);
  });

  it.each([
    ['"7"', [7]],
    ['W/"7", "8"', [7, 8]],
    ['*', undefined],
    [undefined, undefined],
  ])('reads If-Match %s', (header, versions) => {
    expect(ifMatchVersions(header)).toEqual(versions);
  });

  it.each(['"abc"', '""', 'W/', '"1" "2"'])('refuses the If-Match %s with 400', (header) => {
    expect(() => ifMatchVersions(header)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('answers a transient failure 503 try_again with Retry-After', async () => {
    const reply = await call(throwing(new TransientError('conflict')), event({ routeKey: 'GET /v1/things', contentType: null }));
    expect(reply.status).toBe(503);
    expect(reply.body.error.code).toBe('try_again');
    expect(reply.headers['retry-after']).toBe('1');
  });

  describe('with CHECK_RESPONSES', () => {
    const before = process.env.CHECK_RESPONSES;
    beforeAll(() => {
      process.env.CHECK_RESPONSES = 'true';
    });
    afterAll(() => {
      process.env.CHECK_RESPONSES = before;
    });
    const answering = (body: unknown) => baseHandler({ response: Thing }, async () => ({ statusCode: 200, body }));

    it('lets an answer its schema describes through', async () => {
      expect((await call(answering({ id: 'thg_1', name: 'Widget', version: 1 }), event({ routeKey: 'GET /v1/things', contentType: null }))).status).toBe(200);
    });

    it('turns a field the schema does not describe into a 500 naming it', async () => {
      const reply = await call(answering({ id: 'thg_1', name: 'Widget', version: 1, secret: 'x' }), event({ routeKey: 'GET /v1/things', contentType: null }));
      expect(reply.status).toBe(500);
      expect(JSON.stringify(reply.body)).toContain('secret');
    });

    it('turns a field of the wrong type into a 500', async () => {
      const reply = await call(answering({ id: 'thg_1', name: 42, version: 1 }), event({ routeKey: 'GET /v1/things', contentType: null }));
      expect(reply.status).toBe(500);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import fc, { type Arbitrary } from 'fast-check';
import { ROUTES, routeKey, type RouteSpec } from '../../../functions/registry.ts';
import { loadHandlerModules } from '../../../tools/openapi/load.ts';
import { jsonSchemaOf, schemasOf, type HandlerModule } from '../../../tools/openapi/build.ts';
import { roleMayUse, type RouteSchemas } from '../../../functions/http/route.ts';
import { clientMayUse, SCOPE_NAMES, type Caller } from '../../../functions/platform/caller.ts';
import { scopeOfRoute } from '../../../functions/http/scopes.ts';
import { client, unique } from '../api.ts';
import { startStack, type RunningStack } from '../stack.ts';
import { scaled, timeoutFor } from '../scale.ts';
import { invalid, invalidParams, invalidStrings, valid } from './arbitraries.ts';
import { buildWorld, type Call, type World } from './world.ts';

/**
 * docs/product.md#quality-bars "bad input" and "tenant isolation", on a stack of their own so the whole table can be
 * compared before and after:
 * - requests generated from every route's own zod schemas and mutated until the schema refuses
 *   them (wrong types, missing and unknown fields, values out of range, garbage, broken JSON, a
 *   wrong content type, bad ids and query strings): never a 5xx, always the API error body, never
 *   a stack trace, and not one item of the table changed;
 * - every route of the route table that names a tenant's thing, tried by another tenant (a
 *   customer of the same reseller, a sibling reseller, and the customer's API client holding every
 *   scope) with customer A's ids and a valid body:
 *   404 `not_found`, nothing of A in the answer, nothing changed.
 */
const TOTAL = scaled(5_000, 50_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let own: RunningStack;
let call: Call;
let world: World;
let modules: Partial<Record<RouteSpec['fn'], HandlerModule>>;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  own = await startStack();
  call = client(own.baseUrl).call;
  world = await buildWorld(call, { login: own.adminLogin, password: own.adminPassword }, own.baseUrl);
  modules = await loadHandlerModules();
  dynamo = new DynamoDBClient({ endpoint: own.dynamodbUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}, 180_000);

afterAll(async () => {
  dynamo?.destroy();
  await own?.stop();
});

/** A value with its object keys sorted at every depth, so equal items serialise equally. */
const canonical = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;

/** Every item of the table, attributes and values, by key. */
async function snapshot(): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: 'cloud-license-portal', ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) items.set(`${item.pk?.S}|${item.sk?.S}`, JSON.stringify(canonical(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Waits until the building of the world has settled (emails marked sent, workflows ended). */
async function settledSnapshot(): Promise<Map<string, string>> {
  let last = await snapshot();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const next = await snapshot();
    if (changes(last, next).length === 0) return next;
    last = next;
  }
  throw new Error('the table did not settle');
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) out.push(`${before.has(k) ? 'changed' : 'added'} ${k}: ${v.slice(0, 300)}`);
  for (const k of before.keys()) if (!after.has(k)) out.push(`removed ${k}`);
  return out;
}

/** The id each path parameter takes from customer A. */
const idFor = (w: World, param: string): string => {
  const ids: Record<string, unknown> = { ...w.a };
  const id = ids[param];
  if (typeof id !== 'string') throw new Error(`no world id for {${param}}`);
  return id;
};

interface Probe {
  method: string;
  path: string;
  token?: string;
  headers: Record<string, string>;
  body?: string;
  what: string;
  /** A read the schemas accept (odd but valid query values): any answer but a 5xx. */
  mayPass?: boolean;
}

/** A well-formed id of the same kind as `example` that names nothing. */
const unknownId = (example: string): Arbitrary<string> =>
  fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/).map((ulid) => `${example.slice(0, example.indexOf('_') + 1)}${ulid}`);

function pathWith(route: RouteSpec, values: Record<string, string>): string {
  return route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name]!));
}

function withQuery(path: string, query: Record<string, string>): string {
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
}

/** Requests of one route that its schemas refuse, in every way the schemas allow us to break them. */
function badRequests(route: RouteSpec, schemas: RouteSchemas, w: World): Arbitrary<Probe> {
  const paramNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const goodParams = Object.fromEntries(paramNames.map((p) => [p, idFor(w, p)]));
  const tokens = Object.values(w.tokens);
  const token: Arbitrary<string | undefined> = route.auth ? fc.oneof({ weight: 19, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: fc.constant(undefined) }) : fc.constant(undefined);
  const json = { 'content-type': 'application/json' };
  const base = (what: string, t: string | undefined, path: string, headers: Record<string, string> = json, body?: string, mayPass = false): Probe => ({
    method: route.method,
    path,
    token: t,
    headers,
    body,
    what,
    mayPass,
  });
  const kinds: Array<Arbitrary<Probe>> = [
    // Query strings the schema refuses (every route has one: no query schema means none is allowed).
    fc.tuple(token, invalidStrings(schemas.query ?? strictEmpty)).map(([t, q]) => base('query', t, withQuery(pathWith(route, goodParams), q))),
  ];
  if (schemas.params && paramNames.length) {
    kinds.push(fc.tuple(token, invalidParams(schemas.params, paramNames)).map(([t, p]) => base('path', t, pathWith(route, p))));
    // Past validation: well-formed ids that name nothing, with a body the schema accepts.
    const ghosts = fc.tuple(...paramNames.map((p) => unknownId(goodParams[p]!))).map((ids) => Object.fromEntries(paramNames.map((p, i) => [p, ids[i]!])));
    const someBody: Arbitrary<unknown> = schemas.body ? valid(schemas.body) : fc.constant(undefined);
    kinds.push(
      fc.tuple(token, ghosts, someBody).map(([t, p, b]) => base('unknown ids', t, pathWith(route, p), json, b === undefined ? undefined : JSON.stringify(b))),
    );
  }
  if (route.method === 'GET' && schemas.query) {
    // Past validation: odd values the schema accepts, and cursors that were never issued.
    const cursor = fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fc.base64String({ minLength: 4, maxLength: 120 })), { nil: undefined });
    kinds.push(
      fc.tuple(token, valid(schemas.query), cursor).map(([t, q, c]) => {
        const strings = Object.fromEntries(Object.entries((q ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
        if (c !== undefined && 'cursor' in (jsonSchemaOf(schemas.query!).properties as object)) strings.cursor = c;
        return base('odd query', t, withQuery(pathWith(route, goodParams), strings), json, undefined, true);
      }),
    );
  }
  if (schemas.body) {
    const body = invalid(schemas.body);
    kinds.push(
      fc.tuple(token, body).map(([t, b]) => base('body', t, pathWith(route, goodParams), json, b === undefined ? undefined : JSON.stringify(b))),
      fc.tuple(token, body).map(([t, b]) => base('body', t, pathWith(route, goodParams), json, JSON.stringify(b ?? null))),
      fc.tuple(token, fc.constantFrom('{', '{"a":', 'nul', '[1,2', '{"users": [}', '\u0000', '{"a":1}{"b":2}', "{'single': 1}")).map(([t, raw]) =>
        base('broken json', t, pathWith(route, goodParams), json, raw),
      ),
      fc.tuple(token, valid(schemas.body), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml')).map(
        ([t, b, type]) => base('content type', t, pathWith(route, goodParams), { ...json, 'content-type': type }, JSON.stringify(b)),
      ),
      token.map((t) => base('too large', t, pathWith(route, goodParams), json, JSON.stringify({ pad: 'x'.repeat(70 * 1024) }))),
    );
  } else if (route.method !== 'GET') {
    // (fetch, like browsers, cannot send a GET with a body.) `{}` is no body (docs/product.md#api-conventions: what generated clients send).
    const isEmptyObject = (b: unknown) => typeof b === 'object' && b !== null && !Array.isArray(b) && Object.keys(b).length === 0;
    kinds.push(
      fc.tuple(token, fc.jsonValue({ maxDepth: 2 }).filter((b) => !isEmptyObject(b))).map(([t, b]) => base('unexpected body', t, pathWith(route, goodParams), json, JSON.stringify(b))),
    );
  }
  return fc.oneof(...kinds);
}

const strictEmpty = (await import('zod')).z.object({}).strict();

describe(`bad input: ${TOTAL} schema-driven mutated requests over every route`, () => {
  it('compares values, not only keys: a real edit shows as a change', async () => {
    const before = await settledSnapshot();
    expect((await call('PATCH', '/v1/me', { token: world.tokens.aUser, body: { firstName: 'Edited' } })).status).toBe(200);
    const seen = changes(before, await snapshot());
    // The user item keeps its attributes; only values (firstName, version, updatedAt) move.
    expect(seen.filter((c) => c.startsWith(`changed $clp#id_${world.a.userId.toLowerCase()}|`))).toHaveLength(1);
  });

  it(
    'gives no 5xx, always the API error body, and changes no data (FUZZ_SEED=<seed> replays a run)',
    async () => {
      // The world's access tokens live 15 minutes and the stress run's fuzz outlasts them: it signs
      // in again every 10 minutes. Signing in writes (login events, sessions), so the table is
      // compared per stretch of fuzzing, from a snapshot after each sign-in to one before the next.
      let before = await settledSnapshot();
      let signedInAt = Date.now();
      const changed: string[] = [];
      const perRoute = Math.ceil(TOTAL / ROUTES.length);
      const statuses = new Map<number, number>();
      const kinds = new Map<string, number>();
      const unauthenticated: string[] = [];
      let sent = 0;
      for (const route of ROUTES) {
        if (Date.now() - signedInAt > 10 * 60_000) {
          changed.push(...changes(before, await settledSnapshot()));
          await world.signInAgain();
          before = await settledSnapshot();
          signedInAt = Date.now();
        }
        const schemas = schemasOf(route, modules);
        expect(schemas).toBeDefined();
        let refusedAs401 = 0;
        await fc.assert(
          fc.asyncProperty(badRequests(route, schemas!, world), async (probe) => {
            const r = await call(probe.method, probe.path, {
              token: probe.token,
              // A fresh key each time: a replayed key would answer from the first request.
              headers: { ...probe.headers, 'idempotency-key': `fuzz-${randomUUID()}` },
              rawBody: probe.body,
            });
            sent++;
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            kinds.set(probe.what, (kinds.get(probe.what) ?? 0) + 1);
            if (r.status === 401) refusedAs401++;
            const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
            const where = `${routeKey(route)} (${probe.what}) ${probe.path} → ${r.status} ${text.slice(0, 300)}`;
            if (r.status >= 500) throw new Error(`a 5xx: ${where}`);
            if (/\bat .+:\d+:\d+|node_modules|\.ts:\d+/.test(text)) throw new Error(`a stack trace: ${where}`);
            if (probe.mayPass && r.status < 400) return;
            if (r.status < 400) throw new Error(`not a 4xx: ${where}`);
            if (typeof r.body?.error?.code !== 'string' || typeof r.body.error.message !== 'string') throw new Error(`not the API error body: ${where}`);
          }),
          { numRuns: perRoute, seed: SEED, endOnFailure: false },
        );
        // The requests must reach the route, not stop at the authorizer (one in twenty goes without a token).
        if (route.auth && refusedAs401 > perRoute / 4) unauthenticated.push(`${routeKey(route)}: ${refusedAs401} of ${perRoute} answered 401`);
      }
      changed.push(...changes(before, await snapshot()));
      expect(changed).toEqual([]);
      expect(unauthenticated).toEqual([]);
      expect(sent).toBeGreaterThanOrEqual(TOTAL);
      // Reported for the closing note: how the refusals spread over the status codes.
      console.log(
        `bad input: ${sent} requests (seed ${SEED}), statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, kinds ${JSON.stringify(Object.fromEntries(kinds))}`,
      );
    },
    timeoutFor(240_000, 1_800_000),
  );
});

/**
 * Routes that do not name another tenant's things, and why. Every other route is tried with
 * customer A's ids; a new route must be added to one list or the other.
 */
const NOT_TENANT_SCOPED: Record<string, string> = {
  'GET /v1/health': 'public, no data',
  'GET /v1/openapi.json': 'public, the API description',
  'POST /v1/auth/login': 'public, takes credentials (same 401 for every failure: access.test.ts)',
  'GET /v1/auth/jwks.json': 'public: the signing keys\' public halves, the same for everyone (signing-keys.test.ts)',
  'POST /v1/auth/refresh': 'public, takes a refresh token',
  'POST /v1/auth/activate': 'public, takes an activation token',
  'POST /v1/auth/logout': "ends the caller's own session",
  'POST /v1/auth/password-reset': 'public, takes a login (the same 202 whether or not it exists: sessions.test.ts)',
  'POST /v1/auth/password-reset/confirm': 'public, takes a reset token',
  'POST /v1/auth/confirm-login': 'public, takes a login-change token',
  'GET /v1/me': "the caller's own profile",
  'PATCH /v1/me': "the caller's own profile",
  'POST /v1/me/password': "the caller's own password",
  'GET /v1/me/licenses': "the caller's own licenses",
  'POST /v1/accounts': "creates below the caller's own account",
  'GET /v1/catalog/products': "the distributor's catalog, the same for every tenant",
  'GET /v1/catalog/products/{productId}': "the distributor's catalog, the same for every tenant",
  'POST /v1/catalog/products': 'distributor staff only (403 for others: catalog.test.ts)',
  'PATCH /v1/catalog/products/{productId}': 'distributor staff only (403 for others: catalog.test.ts)',
  'POST /v1/catalog/offers/{offerId}/costs': 'distributor staff only (403 for others: price-lists.test.ts)',
  'GET /v1/tax/rates': "the distributor's VAT rate table, the same for all staff (403 for customers: tax.test.ts)",
  'POST /v1/tax/rates': 'distributor admins only (403 for others: tax.test.ts)',
  'GET /v1/cart': "the caller's own cart",
  'POST /v1/cart/items': "the caller's own cart",
  'POST /v1/cart/checkout': "the caller's own cart",
  'POST /v1/cart/quote': "the caller's own cart",
  'GET /v1/domains/availability': 'asks the vendor whether a name is free',
  'POST /v1/oauth/token': 'public, takes client credentials (one 401 for every failure: api-clients.test.ts)',
};

/** Routes whose tenant id travels in the query or the body. */
const IDS_ELSEWHERE: Record<string, (w: World) => { query?: Record<string, string>; body?: unknown }> = {
  'GET /v1/accounts': (w) => ({ query: { parentId: w.a.accountId } }),
  'GET /v1/orders': (w) => ({ query: { accountId: w.a.accountId } }),
  'GET /v1/invoices': (w) => ({ query: { accountId: w.a.accountId } }),
  'GET /v1/billing/exports': (w) => ({ query: { accountId: w.a.accountId, from: '2026-01-01', to: '2026-12-31' } }),
  'GET /v1/subscriptions': (w) => ({ query: { accountId: w.a.accountId } }),
  'GET /v1/events': (w) => ({ query: { accountId: w.a.accountId } }),
  'POST /v1/auth/impersonate': (w) => ({ body: { userId: w.a.userId } }),
};

/** The callers of the isolation checks, as the route table's permissions see them. */
const callers = {
  'customer B (same reseller)': { accountType: 'customer', role: 'admin' },
  'reseller R2 (beside R1)': { accountType: 'reseller', role: 'admin' },
  // An API client acts as an admin of its account, within its scopes (every scope here): a route closed to clients is 403.
  "customer B's API client (every scope)": { userId: 'cli_b', accountType: 'customer', role: 'admin', clientId: 'cli_b', scopes: SCOPE_NAMES },
} as unknown as Record<'customer B (same reseller)' | 'reseller R2 (beside R1)' | "customer B's API client (every scope)", Caller>;

describe('tenant isolation: every route tried by another tenant with customer A\'s ids', () => {
  // After a long fuzz (the stress run's 50,000 requests) the world's 15-minute tokens are gone.
  beforeAll(() => world.signInAgain(), 120_000);

  it('classifies every route of the route table', () => {
    const keys = ROUTES.map(routeKey);
    const tried = ROUTES.filter((r) => !NOT_TENANT_SCOPED[routeKey(r)] && (r.path.includes('{') || IDS_ELSEWHERE[routeKey(r)]));
    const unclassified = keys.filter((k) => !NOT_TENANT_SCOPED[k] && !tried.some((r) => routeKey(r) === k));
    expect(unclassified).toEqual([]);
    expect(Object.keys(NOT_TENANT_SCOPED).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it(
    'answers 404 not_found with nothing of A in the body, and changes nothing',
    async () => {
      const before = await settledSnapshot();
      const routes = ROUTES.filter((r) => !NOT_TENANT_SCOPED[routeKey(r)] && (r.path.includes('{') || IDS_ELSEWHERE[routeKey(r)]));
      const aIds = Object.entries(world.a).filter(([k]) => k !== 'secrets' && k !== 'productId' && k !== 'offerId').map(([, v]) => v as string);
      const failures: string[] = [];
      for (const route of routes) {
        const schemas = schemasOf(route, modules)!;
        const paramNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
        const params = Object.fromEntries(paramNames.map((p) => [p, idFor(world, p)]));
        const extra = IDS_ELSEWHERE[routeKey(route)]?.(world) ?? {};
        const body = extra.body ?? (schemas.body ? fc.sample(valid(schemas.body), { numRuns: 1, seed: SEED })[0] : undefined);
        for (const [who, token] of [
          ['customer B (same reseller)', world.tokens.b],
          ['reseller R2 (beside R1)', world.tokens.r2],
          ["customer B's API client (every scope)", world.tokens.bClient],
        ] as const) {
          const path = withQuery(pathWith(route, params), extra.query ?? {});
          const r = await call(route.method, path, { token, body, headers: { 'idempotency-key': unique('iso-key') } });
          const text = JSON.stringify(r.body) ?? '';
          const sent = new Set([...Object.values(params), ...Object.values(extra.query ?? {}), ...(extra.body ? Object.values(extra.body as object) : [])]);
          const leaked = [...world.a.secrets, ...aIds.filter((id) => !sent.has(id))].filter((s) => text.includes(s));
          // docs/product.md#api-conventions: a role that may not use the route at all gets 403 before any id is looked at (it tells nothing of A).
          const mayNot = !roleMayUse(callers[who], route.permission) || !clientMayUse(callers[who], scopeOfRoute(routeKey(route)));
          const refusedRole = mayNot && r.status === 403 && r.body?.error?.code === 'forbidden';
          if ((!refusedRole && (r.status !== 404 || r.body?.error?.code !== 'not_found')) || leaked.length) {
            failures.push(`${routeKey(route)} as ${who}: ${r.status} ${text.slice(0, 200)}${leaked.length ? ` leaked ${leaked.join(', ')}` : ''}`);
          }
        }
      }
      expect(failures).toEqual([]);
      expect(routes.length).toBeGreaterThanOrEqual(40);
      expect(changes(before, await snapshot())).toEqual([]);
    },
    timeoutFor(120_000, 300_000),
  );

  it(
    "answers a request that carries A's ids in B's own body exactly as one with ids that do not exist",
    async () => {
      const b = world.tokens.b;
      const offer = (await call('GET', '/v1/catalog/products?q=business%20basic', { token: b })).body.items[0].offers[0];
      expect((await call('POST', '/v1/cart/items', { token: b, body: { offerId: offer.id, quantity: 1 } })).status).toBe(201);
      const before = await settledSnapshot();
      const ghost = (kind: string) => `${kind}_01JZZZZZZZZZZZZZZZZZZZZZZZ`;
      // noOp: the route may answer 2xx (a read, or taking back what nobody held), as for unknown ids.
      const cases: Array<{ name: string; noOp?: boolean; send: (ids: { userId: string; paymentMethodId: string; domainId: string }) => ReturnType<Call> }> = [
        {
          name: "assign A's user to B's subscription",
          send: (ids) => call('POST', `/v1/subscriptions/${world.b.subscriptionId}/assignments`, { token: b, body: { userIds: [ids.userId] } }),
        },
        {
          name: "take a license from A's user on B's subscription",
          noOp: true,
          send: (ids) => call('POST', `/v1/subscriptions/${world.b.subscriptionId}/assignments/remove`, { token: b, body: { userIds: [ids.userId] } }),
        },
        {
          name: "list B's subscriptions on A's domain",
          noOp: true,
          send: (ids) => call('GET', `/v1/subscriptions?domainId=${ids.domainId}`, { token: b }),
        },
        {
          name: "list B's audit events by A's user",
          noOp: true,
          send: (ids) => call('GET', `/v1/accounts/${world.b.accountId}/audit-events?limit=100&actorId=${ids.userId}`, { token: b }),
        },
        {
          name: "pay B's invoice with A's card",
          send: (ids) => call('POST', `/v1/invoices/${world.b.invoiceId}/pay`, { token: b, body: { paymentMethodId: ids.paymentMethodId }, headers: { 'idempotency-key': unique('iso-pay') } }),
        },
        {
          name: "check out B's cart with A's card",
          send: (ids) =>
            call('POST', '/v1/cart/checkout', {
              token: b,
              body: { domain: { mode: 'existing', domainId: world.b.domainId }, paymentMethodId: ids.paymentMethodId },
              headers: { 'idempotency-key': unique('iso-checkout') },
            }),
        },
        {
          name: "check out B's cart on A's domain",
          send: (ids) =>
            call('POST', '/v1/cart/checkout', {
              token: b,
              body: { domain: { mode: 'existing', domainId: ids.domainId }, paymentMethodId: world.b.paymentMethodId },
              headers: { 'idempotency-key': unique('iso-checkout') },
            }),
        },
      ];
      const failures: string[] = [];
      for (const c of cases) {
        const real = await c.send({ userId: world.a.userId, paymentMethodId: world.a.paymentMethodId, domainId: world.a.domainId });
        const none = await c.send({ userId: ghost('usr'), paymentMethodId: ghost('pm'), domainId: ghost('dom') });
        // The whole answer, with A's ids put back to the unknown ones, must be the same.
        const text = JSON.stringify(real.body)
          .replaceAll(world.a.userId, ghost('usr'))
          .replaceAll(world.a.paymentMethodId, ghost('pm'))
          .replaceAll(world.a.domainId, ghost('dom'));
        const other = JSON.stringify(none.body);
        const leaked = world.a.secrets.filter((x) => text.includes(x));
        const statusOk = c.noOp ? real.status < 500 : real.status >= 400 && real.status < 500;
        if (!statusOk || real.status !== none.status || text !== other || leaked.length) {
          failures.push(`${c.name}: A's ids → ${real.status} ${text.slice(0, 200)}; unknown ids → ${none.status} ${other.slice(0, 200)}${leaked.length ? ` leaked ${leaked.join(', ')}` : ''}`);
        }
      }
      expect(failures).toEqual([]);
      expect(changes(before, await snapshot())).toEqual([]);
    },
    timeoutFor(60_000, 120_000),
  );
});

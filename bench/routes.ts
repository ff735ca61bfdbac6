import { performance } from 'node:perf_hooks';
import * as ddb from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import { ROUTES, routeKey } from '../functions/registry.ts';
import type { DynamoDbCall, DynamoDbStats } from '../local/dynamodb-stats.ts';
import { type Api, type Reply, unique } from './lib/api.ts';
import type { Fixtures } from './fixtures.ts';
import { figure, type Figure } from './lib/results.ts';
import { percentile } from './lib/stats.ts';
import { bar, say } from './lib/progress.ts';
import { treeCpuMs } from './lib/cpu.ts';

/**
 * Figures 3 and 4: route latency through the local gateway over the raw DynamoDB Local calls that
 * serve the route, and the DynamoDB calls and consumed capacity of each route (docs/product.md#quality-bars). Both come
 * from the `x-local-dynamodb` header the gateway adds with LOCAL_DYNAMODB_STATS=true
 * (local/dynamodb-stats.ts).
 */
export const CONCURRENCY = 16;
export const P50_TARGET = 1.5;
export const P99_TARGET = 2.5;

type Kind = 'one' | 'list' | 'other' | 'write';

export interface Probe {
  /** The route of ROUTES, e.g. `GET /v1/orders/{orderId}`. */
  route: string;
  /** The concrete path with query. */
  path: string;
  kind: Kind;
  as: 'admin' | 'staff' | 'none';
  /** Measured for latency (figure 3). */
  latency?: boolean;
  label?: string;
}

/** Every GET route of ROUTES, filled with the fixtures' ids. */
export function getProbes(f: Fixtures): Probe[] {
  const a = f.accountId;
  return [
    { route: 'GET /v1/health', path: '/v1/health', kind: 'other', as: 'none' },
    { route: 'GET /v1/openapi.json', path: '/v1/openapi.json', kind: 'other', as: 'none' },
    { route: 'GET /v1/me', path: '/v1/me', kind: 'one', as: 'admin', latency: true },
    { route: 'GET /v1/me/licenses', path: '/v1/me/licenses', kind: 'list', as: 'admin' },
    { route: 'GET /v1/accounts', path: '/v1/accounts?type=customer', kind: 'list', as: 'staff' },
    { route: 'GET /v1/accounts/{accountId}', path: `/v1/accounts/${a}`, kind: 'one', as: 'admin', latency: true },
    { route: 'GET /v1/accounts/{accountId}/audit-events', path: `/v1/accounts/${a}/audit-events`, kind: 'list', as: 'admin' },
    { route: 'GET /v1/accounts/{accountId}/domains', path: `/v1/accounts/${a}/domains`, kind: 'list', as: 'admin' },
    { route: 'GET /v1/domains/{domainId}', path: `/v1/domains/${f.domainId}`, kind: 'one', as: 'admin' },
    { route: 'GET /v1/domains/availability', path: `/v1/domains/availability?prefix=${unique('free').toLowerCase()}`, kind: 'other', as: 'admin' },
    { route: 'GET /v1/accounts/{accountId}/users', path: `/v1/accounts/${a}/users`, kind: 'list', as: 'admin' },
    { route: 'GET /v1/users/{userId}', path: `/v1/users/${f.userId}`, kind: 'one', as: 'admin' },
    { route: 'GET /v1/users/{userId}/login-history', path: `/v1/users/${f.adminUserId}/login-history`, kind: 'list', as: 'admin' },
    { route: 'GET /v1/catalog/products', path: '/v1/catalog/products', kind: 'list', as: 'admin', latency: true },
    { route: 'GET /v1/catalog/products/{productId}', path: `/v1/catalog/products/${f.productId}`, kind: 'one', as: 'admin', latency: true },
    // A customer keeps no price list: the distributor's staff read its (empty) lists. GET /v1/price-lists/{priceListId} has no fixture
    // yet and is reported as not measured.
    { route: 'GET /v1/accounts/{accountId}/price-lists', path: `/v1/accounts/${a}/price-lists`, kind: 'list', as: 'staff' },
    { route: 'GET /v1/accounts/{accountId}/prices', path: `/v1/accounts/${a}/prices`, kind: 'list', as: 'admin' },
    // The VAT table is one GetItem (the seed while the distributor has changed nothing); a profile one GetItem after the account.
    { route: 'GET /v1/tax/rates', path: '/v1/tax/rates', kind: 'one', as: 'staff' },
    { route: 'GET /v1/accounts/{accountId}/tax-profile', path: `/v1/accounts/${a}/tax-profile`, kind: 'one', as: 'admin' },
    // The cart answers its lines (`items`) and totals: a list page of the caller's cart lines.
    { route: 'GET /v1/cart', path: '/v1/cart', kind: 'list', as: 'admin' },
    { route: 'GET /v1/accounts/{accountId}/payment-methods', path: `/v1/accounts/${a}/payment-methods`, kind: 'list', as: 'admin' },
    { route: 'GET /v1/invoices', path: `/v1/invoices?accountId=${a}`, kind: 'list', as: 'admin', latency: true, label: 'GET /v1/invoices?accountId=' },
    { route: 'GET /v1/invoices', path: '/v1/invoices', kind: 'list', as: 'admin', label: 'GET /v1/invoices (no filter)' },
    { route: 'GET /v1/invoices/{invoiceId}', path: `/v1/invoices/${f.invoiceId}`, kind: 'one', as: 'admin', latency: true },
    { route: 'GET /v1/subscriptions/{subscriptionId}', path: `/v1/subscriptions/${f.subscriptionId}`, kind: 'one', as: 'admin', latency: true },
    { route: 'GET /v1/subscriptions', path: `/v1/subscriptions?accountId=${a}`, kind: 'list', as: 'admin', latency: true, label: 'GET /v1/subscriptions?accountId=' },
    { route: 'GET /v1/subscriptions', path: '/v1/subscriptions', kind: 'list', as: 'admin', label: 'GET /v1/subscriptions (no filter)' },
    { route: 'GET /v1/subscriptions/{subscriptionId}/assignments', path: `/v1/subscriptions/${f.subscriptionId}/assignments`, kind: 'list', as: 'admin' },
    { route: 'GET /v1/orders', path: `/v1/orders?accountId=${a}`, kind: 'list', as: 'admin', latency: true, label: 'GET /v1/orders?accountId=' },
    { route: 'GET /v1/orders', path: '/v1/orders', kind: 'list', as: 'admin', label: 'GET /v1/orders (no filter)' },
    { route: 'GET /v1/orders/{orderId}', path: `/v1/orders/${f.orderId}`, kind: 'one', as: 'admin', latency: true },
    { route: 'GET /v1/orders/{orderId}/provisioning', path: `/v1/orders/${f.orderId}/provisioning`, kind: 'other', as: 'staff' },
  ];
}

export interface Probed {
  probe: Probe;
  status: number;
  stats: DynamoDbStats;
}

const labelOf = (p: Probe) => p.label ?? p.route;
const tokenOf = (f: Fixtures, p: Probe) => (p.as === 'admin' ? f.admin : p.as === 'staff' ? f.staff : undefined);

/** The GET routes of ROUTES no probe covers (reported, so a new route is not silently skipped). */
export function uncoveredGetRoutes(probes: Probe[]): string[] {
  const covered = new Set(probes.map((p) => p.route));
  return ROUTES.filter((r) => r.method === 'GET' && !covered.has(routeKey(r))).map(routeKey);
}

/** The recorded calls of a probe; a missing record means the recording broke, which must not read as "0 calls". */
function statsOf(what: string, r: Reply, authenticated: boolean): NonNullable<Reply['stats']> {
  if (!r.stats) throw new Error(`${what}: the gateway recorded no DynamoDB calls (is LOCAL_DYNAMODB_STATS on?)`);
  // The authorizer reads nothing on a repeated read (it trusts what it saw for 30 s): an empty list is
  // its steady state. Something must still have been recorded, or the recording broke.
  if (authenticated && !Array.isArray(r.stats.authorizer)) throw new Error(`${what}: no authorizer record`);
  if (authenticated && r.stats.authorizer.length + r.stats.handler.length === 0) throw new Error(`${what}: no DynamoDB call recorded at all`);
  return r.stats;
}

/** Each GET probe twice; the second answer's record is the steady state that is reported and replayed. */
export async function probeGets(api: Api, f: Fixtures, probes: Probe[]): Promise<Probed[]> {
  const out: Probed[] = [];
  for (const p of probes) {
    await api.call('GET', p.path, { token: tokenOf(f, p) });
    const r = await api.call('GET', p.path, { token: tokenOf(f, p) });
    if (r.status >= 300) throw new Error(`${p.path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    out.push({ probe: p, status: r.status, stats: statsOf(p.route, r, p.as !== 'none') });
  }
  return out;
}

/**
 * A few writes, each once, recorded the same way. The staff order and the checkout are automatic
 * orders: their replies carry the order ids whose workflows figure 5 counts.
 */
export async function probeWrites(api: Api, f: Fixtures): Promise<{ probed: Probed[]; staffOrderId: string; checkoutOrderId: string }> {
  const probed: Probed[] = [];
  const record = (route: string, r: Reply, label?: string) => {
    if (r.status >= 300) throw new Error(`${route}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    probed.push({ probe: { route, path: '', kind: 'write', as: 'admin', label }, status: r.status, stats: statsOf(route, r, !route.startsWith('POST /v1/auth/login') && !route.startsWith('POST /v1/auth/refresh')) });
    return r;
  };
  const login = record('POST /v1/auth/login', await api.call('POST', '/v1/auth/login', { body: { login: f.adminLogin, password: f.adminPassword } }));
  record('POST /v1/auth/refresh', await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } }));
  record('PATCH /v1/me', await api.call('PATCH', '/v1/me', { token: f.admin, body: { firstName: 'Ada' } }));
  const item = record('POST /v1/cart/items', await api.call('POST', '/v1/cart/items', { token: f.admin, body: { offerId: f.offerId, quantity: 1 } }));
  const itemId: string = item.body.id ?? item.body.items?.at(-1)?.id;
  record('PATCH /v1/cart/items/{itemId}', await api.call('PATCH', `/v1/cart/items/${itemId}`, { token: f.admin, body: { quantity: 3 } }));
  record('DELETE /v1/cart/items/{itemId}', await api.call('DELETE', `/v1/cart/items/${itemId}`, { token: f.admin }));
  // A line with the same offer joins the fixture's line, so the delete above may have emptied the cart: fill it for the checkout.
  await api.expect(201, 'POST', '/v1/cart/items', { token: f.admin, body: { offerId: f.offerId, quantity: 2 } });
  record(
    'POST /v1/subscriptions/{subscriptionId}/assignments',
    await api.call('POST', `/v1/subscriptions/${f.subscriptionId}/assignments`, { token: f.admin, body: { userIds: [f.adminUserId, f.userId] } }),
  );
  record('PATCH /v1/subscriptions/{subscriptionId}', await api.call('PATCH', `/v1/subscriptions/${f.subscriptionId}`, { token: f.admin, body: { autoRenew: false } }));
  const order = record(
    'POST /v1/accounts/{accountId}/orders',
    await api.call('POST', `/v1/accounts/${f.accountId}/orders`, {
      token: f.staff,
      headers: { 'idempotency-key': unique('bench-order') },
      body: { lines: [{ offerId: f.offerId, quantity: 2 }], domain: { mode: 'existing', domainId: f.domainId }, autoProcess: true },
    }),
    'POST /v1/accounts/{accountId}/orders (staff, autoProcess)',
  );
  const checkout = record(
    'POST /v1/cart/checkout',
    await api.call('POST', '/v1/cart/checkout', {
      token: f.admin,
      headers: { 'idempotency-key': unique('bench-checkout') },
      body: { domain: { mode: 'existing', domainId: f.domainId }, paymentMethodId: f.paymentMethodId },
    }),
  );
  return { probed, staffOrderId: order.body.id, checkoutOrderId: checkout.body.id };
}

const sum = (calls: DynamoDbCall[], k: 'rcu' | 'wcu') => calls.reduce((s, c) => s + c[k], 0);
const short = (c: string) => c.replace(/Command$/, '');
const units = (c: DynamoDbCall) => [c.rcu && `${c.rcu}R`, c.wcu && `${c.wcu}W`].filter(Boolean).join(' ');
const describe = (calls: DynamoDbCall[]) =>
  calls.length ? calls.map((c) => `${short(c.command)}${units(c) ? ` ${units(c)}` : ''}${c.error ? ` !${c.error}` : ''}`).join(', ') : 'none';

/** Figure 4: one row per route with its check (docs/product.md#quality-bars), and the calls in the note. */
export function dynamoFigures(probed: Probed[]): Figure[] {
  const group = 'DynamoDB calls and consumed capacity per route (ReturnConsumedCapacity)';
  const out: Figure[] = [];
  let scans = 0;
  for (const { probe, stats } of probed) {
    const h = stats.handler;
    const a = stats.authorizer;
    const scanCount = [...h, ...a].filter((c) => c.command === 'ScanCommand').length;
    scans += scanCount;
    const note =
      `handler: ${h.length} call(s) [${describe(h)}], ${sum(h, 'rcu')} RCU, ${sum(h, 'wcu')} WCU; ` +
      `authorizer: ${a.length} call(s) [${describe(a)}], ${sum(a, 'rcu')} RCU` +
      (stats.inputsOmitted ? ' (inputs too long for the header)' : '');
    const name = labelOf(probe);
    if (probe.kind === 'one') {
      out.push(
        figure({ group, name: `${name}: calls besides authorization`, value: h.length, unit: 'calls', floor: 1, floorKind: 'target', target: 1, pass: h.length <= 1 && scanCount === 0, note }),
        figure({ group, name: `${name}: read units`, value: sum(h, 'rcu'), unit: 'RCU', floor: 1, floorKind: 'target', target: 1 }),
      );
    } else if (probe.kind === 'list') {
      const queries = h.filter((c) => c.command === 'QueryCommand').length;
      out.push(
        figure({ group, name: `${name}: Query calls per page`, value: queries, unit: 'Query', floor: 1, floorKind: 'target', target: 1, pass: queries === 1 && scanCount === 0, note }),
      );
    } else {
      out.push(figure({ group, name: `${name}: Scan calls`, value: scanCount, unit: 'Scan', floor: 0, floorKind: 'target', target: 0, pass: scanCount === 0, note }));
    }
  }
  // Authorization adds no read to a repeated GET (docs/product.md#performance-figures): the second
  // request of each probe, with a token the authorizer has just seen allowed.
  const gets = probed.filter((p) => p.probe.kind !== 'write' && p.probe.as !== 'none');
  const authorizerReads = gets.reduce((n, p) => n + p.stats.authorizer.length, 0);
  out.push(
    figure({
      group,
      name: `authorizer DynamoDB calls on ${gets.length} repeated GETs`,
      value: authorizerReads,
      unit: 'calls',
      floor: 0,
      floorKind: 'target',
      target: 0,
      pass: authorizerReads === 0,
      note: 'the second request of each GET probe, with the same token',
    }),
    figure({ group, name: `Scan calls on all ${probed.length} routes probed`, value: scans, unit: 'Scan', floor: 0, floorKind: 'target', target: 0, pass: scans === 0 }),
  );
  return out;
}

/** Calls that overlapped in time ran in parallel (Promise.all): they are replayed together. */
function stagesOf(calls: DynamoDbCall[]): DynamoDbCall[][] {
  const sorted = [...calls].sort((x, y) => x.startMs - y.startMs);
  const stages: DynamoDbCall[][] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const c of sorted) {
    if (stages.length && c.startMs < end) stages.at(-1)!.push(c);
    else stages.push([c]);
    end = Math.max(end, c.startMs + c.durationMs);
  }
  return stages;
}

type AnyCommand = Parameters<ddb.DynamoDBClient['send']>[0];
const COMMANDS = ddb as unknown as Record<string, new (input: unknown) => AnyCommand>;

/** The floor: the route's recorded calls (authorizer then handler), sent from this process, concurrency 16. */
async function replay(
  client: ddb.DynamoDBClient,
  stats: DynamoDbStats,
  iterations: number,
  tick: () => void,
): Promise<{ latencies: number[]; errors: number; stages: number; rps: number }> {
  // The gateway runs measured for latency do not ask for consumed capacity; neither do their floors.
  const stages = [...stagesOf(stats.authorizer), ...stagesOf(stats.handler)].map((stage) =>
    stage.map((c) => {
      if (!c.input) throw new Error(`The ${c.command} call has no recorded input to replay`);
      if (!COMMANDS[c.command]) throw new Error(`Unknown command ${c.command}`);
      const { ReturnConsumedCapacity: _rcc, ...input } = c.input;
      return { ...c, input };
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < iterations) {
      started++;
      const t0 = performance.now();
      for (const stage of stages) {
        await Promise.all(
          stage.map((c) =>
            client.send(new COMMANDS[c.command]!(c.input)).catch(() => {
              errors++;
            }),
          ),
        );
      }
      latencies.push(performance.now() - t0);
      tick();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, errors, stages: stages.length, rps: (iterations * 1000) / (performance.now() - begin) };
}

interface CannonRun {
  latencies: number[];
  non2xx: number;
  errors: number;
  rps: number;
}

/** What a run cost in CPU: the bench process itself, the stack's node process(es) and DynamoDB Local. */
interface Cpu {
  bench: number;
  node: number;
  java: number;
}

async function withCpu<T>(stackPid: number | undefined, fn: () => Promise<T>): Promise<[T, Cpu]> {
  const tree0 = treeCpuMs(stackPid);
  const own0 = process.cpuUsage();
  const result = await fn();
  const own = process.cpuUsage(own0);
  const tree = treeCpuMs(stackPid);
  return [result, { bench: (own.user + own.system) / 1000, node: tree.node - tree0.node, java: tree.java - tree0.java }];
}

function cannon(url: string, token: string | undefined, amount: number, tick: () => void): Promise<CannonRun> {
  return new Promise((resolveRun, reject) => {
    const latencies: number[] = [];
    let non2xx = 0;
    const t0 = performance.now();
    // autocannon answers on its next 1-second tick, so the rate is taken up to the last response.
    let last = t0;
    const instance = autocannon(
      { url, connections: CONCURRENCY, amount, headers: token ? { authorization: `Bearer ${token}` } : {}, timeout: 30 },
      (err: unknown, result: autocannon.Result) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        resolveRun({ latencies, non2xx, errors: result.errors + result.timeouts, rps: (latencies.length * 1000) / (last - t0) });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      last = performance.now();
      if (statusCode < 200 || statusCode >= 300) non2xx++;
      tick();
    });
  });
}

/** Gateway and raw runs alternate in this many blocks per route, so both see the same machine load. */
export const BLOCKS = 4;

export async function latencyFigures(opts: {
  baseUrl: string;
  dynamodbUrl: string;
  stackPid: number | undefined;
  fixtures: Fixtures;
  probed: Probed[];
  requests: number;
  warmup: number;
}): Promise<Figure[]> {
  const client = new ddb.DynamoDBClient({
    endpoint: opts.dynamodbUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  });
  const group = `Route latency through the local gateway (concurrency ${CONCURRENCY}, ${opts.requests} requests) over the raw DynamoDB Local calls`;
  const routes = opts.probed.filter((p) => p.probe.latency);
  const out: Figure[] = [];
  try {
    // Warm both paths (JIT of the stack, of DynamoDB Local and of this process) before measuring any.
    const warming = bar('warm-up, all routes', routes.length * opts.warmup * 2);
    for (const { probe, stats } of routes) {
      await cannon(`${opts.baseUrl}${probe.path}`, tokenOf(opts.fixtures, probe), opts.warmup, () => warming.tick(1, labelOf(probe)));
      await replay(client, stats, opts.warmup, () => warming.tick(1, labelOf(probe)));
    }
    warming.stop();

    for (const { probe, stats } of routes) {
      const name = labelOf(probe);
      const token = tokenOf(opts.fixtures, probe);
      const url = `${opts.baseUrl}${probe.path}`;
      const progress = bar(name.replace(/^GET /, ''), opts.requests * 2);
      const ours: CannonRun = { latencies: [], non2xx: 0, errors: 0, rps: 0 };
      const raw = { latencies: [] as number[], errors: 0, stages: 0, rps: 0 };
      const oursCpu: Cpu = { bench: 0, node: 0, java: 0 };
      const rawCpu: Cpu = { bench: 0, node: 0, java: 0 };
      const add = (into: Cpu, from: Cpu) => {
        into.bench += from.bench;
        into.node += from.node;
        into.java += from.java;
      };
      for (let block = 0; block < BLOCKS; block++) {
        const n = Math.floor(opts.requests / BLOCKS) + (block < opts.requests % BLOCKS ? 1 : 0);
        const [g, gCpu] = await withCpu(opts.stackPid, () => cannon(url, token, n, () => progress.tick(1, 'gateway')));
        const [r, rCpu] = await withCpu(opts.stackPid, () => replay(client, stats, n, () => progress.tick(1, 'raw calls')));
        ours.latencies.push(...g.latencies);
        ours.non2xx += g.non2xx;
        ours.errors += g.errors;
        ours.rps += g.rps / BLOCKS;
        raw.latencies.push(...r.latencies);
        raw.errors += r.errors;
        raw.stages = r.stages;
        raw.rps += r.rps / BLOCKS;
        add(oursCpu, gCpu);
        add(rawCpu, rCpu);
      }
      progress.stop();
      const calls = stats.authorizer.length + stats.handler.length;
      const per = (ms: number) => (ms / opts.requests).toFixed(2);
      const note =
        `gateway ${ours.rps.toFixed(0)} req/s${ours.non2xx ? `, ${ours.non2xx} non-2xx` : ''}${ours.errors ? `, ${ours.errors} errors` : ''}, ` +
        `CPU ms/request: stack node ${per(oursCpu.node)}, DynamoDB Local ${per(oursCpu.java)}, bench ${per(oursCpu.bench)}; ` +
        `raw ${raw.rps.toFixed(0)} iterations/s of ${calls} call(s) in ${raw.stages} sequential stage(s) [${describe([...stats.authorizer, ...stats.handler])}]` +
        `${raw.errors ? `, ${raw.errors} errors` : ''}, CPU ms/iteration: DynamoDB Local ${per(rawCpu.java)}, bench ${per(rawCpu.bench)}`;
      const p50 = figure({ group, name: `${name} p50`, value: percentile(ours.latencies, 50), unit: 'ms', floor: percentile(raw.latencies, 50), floorKind: 'measured', target: P50_TARGET, note });
      const p99 = figure({ group, name: `${name} p99`, value: percentile(ours.latencies, 99), unit: 'ms', floor: percentile(raw.latencies, 99), floorKind: 'measured', target: P99_TARGET });
      if (ours.non2xx || ours.errors || raw.errors) {
        p50.pass = false;
        p99.pass = false;
      }
      out.push(p50, p99);
      say(`  ${name}: p50 ${p50.value.toFixed(2)} ms over ${p50.floor.toFixed(2)} ms (${p50.ratio.toFixed(2)}×), p99 ${p99.value.toFixed(2)} ms over ${p99.floor.toFixed(2)} ms (${p99.ratio.toFixed(2)}×)`);
    }
  } finally {
    client.destroy();
  }
  return out;
}

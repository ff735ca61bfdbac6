import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { FUNCTIONS, ROUTES, routeKey, type FunctionName, type RouteSpec } from '../functions/registry.ts';
import { lambdaContext } from '../local/lambda.ts';
import type { RunningStack } from '../test/integration/stack.ts';
import { PROBE_ENV, writeBareReadBundle, writeFunctionBundle } from './bundles.ts';
import type { Fixtures } from './fixtures.ts';
import { figure, type Figure } from './lib/results.ts';
import { median } from './lib/stats.ts';
import { bar, say } from './lib/progress.ts';

/**
 * The first request after module init against the second (docs/product.md#performance-figures: at
 * most 15 ms slower), so that work made lazy to shorten module init is not simply moved onto the
 * first request. For a few functions a user hits first, the deployed bundle (bench/bundles.ts
 * `ESBUILD_OPTIONS`, the function's own entry) is imported in a fresh node process with the Lambda
 * environment of `PROBE_ENV` pointed at the stack's DynamoDB Local, and its handler is invoked twice
 * with the same API Gateway (HTTP API, payload 2.0) event; the process prints both durations.
 */
export const FIRST_REQUEST_TARGET_MS = 15;

const run = promisify(execFile);
const MARKER = 'BENCH_FIRST_REQUEST ';

interface Case {
  fn: FunctionName;
  /** The route whose event the function gets (the authorizer: the event it gets before that route). */
  route: string;
  path: (f: Fixtures) => string;
}

/** The functions behind a user's first screens: sign-in lands on the dashboard, the profile, the catalog, an order. */
const CASES: Case[] = [
  { fn: 'authorizer', route: 'GET /v1/me', path: () => '/v1/me' },
  { fn: 'me', route: 'GET /v1/me', path: () => '/v1/me' },
  { fn: 'overview', route: 'GET /v1/accounts/{accountId}/overview', path: (f) => `/v1/accounts/${f.accountId}/overview` },
  { fn: 'catalog', route: 'GET /v1/catalog/products', path: () => '/v1/catalog/products' },
  { fn: 'orders', route: 'GET /v1/orders/{orderId}', path: (f) => `/v1/orders/${f.orderId}` },
];

/**
 * The events the local gateway (local/gateway.ts, which builds them inline in its request
 * handler) gives the authorizer and the route's handler: the same fields, for one GET with a bearer
 * token, as API Gateway's HTTP API sends them (lower-case headers, `requestContext.http`, the
 * authorizer's context under `requestContext.authorizer.lambda`).
 */
function gatewayEvents(route: RouteSpec, path: string, token: string, region: string) {
  const url = new URL(path, 'http://127.0.0.1');
  const names: string[] = [];
  const pattern = new RegExp(`^${route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (names.push(name), '([^/]+)'))}$`);
  const m = pattern.exec(url.pathname);
  if (!m) throw new Error(`${path} is not a path of ${routeKey(route)}`);
  const pathParameters = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: `Bearer ${token}`,
    'content-length': '0',
    host: 'api.portal.example.com',
    'user-agent': 'bench',
    'x-forwarded-for': '127.0.0.1',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  const now = new Date();
  const requestContext = {
    accountId: '000000000000',
    apiId: 'local',
    domainName: headers.host,
    domainPrefix: 'local',
    http: { method: route.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] },
    requestId: 'bench-first-request',
    routeKey: routeKey(route),
    stage: '$default',
    time: now.toUTCString(),
    timeEpoch: now.getTime(),
  };
  const common = {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: names.length ? pathParameters : undefined,
  };
  return {
    authorizer: { ...common, type: 'REQUEST', routeArn: `arn:aws:execute-api:${region}:000000000000:local/$default/${route.method}${url.pathname}`, identitySource: [], requestContext },
    handler: (context: Record<string, unknown>) => ({ ...common, requestContext: { ...requestContext, authorizer: { lambda: context } }, isBase64Encoded: false }),
  };
}

/**
 * Run in a fresh node: imports the bundle (module init, not timed), then invokes its handler twice
 * with the same event (parsed anew each time, as the runtime hands each invocation its own) and a
 * Lambda context like local/lambda.ts gives, timing each `await handler()`. Prints the two
 * durations and a short form of each answer on one marked line (the functions log to stdout too).
 *
 * `node:http` is imported first, untimed: the SDK's node-http-handler imports it on first use, and
 * only for an `http://` endpoint such as DynamoDB Local's (with `https:`, as in AWS, it uses
 * `node:https`, imported with the bundle). The ESM facade of `node:http` evaluates its lazy getters,
 * which load Node's bundled undici: 10–30 ms on the first request that only the local stack pays.
 */
const PROBE = `
await import('node:http');
const { handler } = await import(process.env.BENCH_MODULE_URL);
const base = JSON.parse(process.env.BENCH_CONTEXT);
const ms = [];
const answers = [];
for (let i = 0; i < 2; i++) {
  const event = JSON.parse(process.env.BENCH_EVENT);
  const deadline = Date.now() + Number(process.env.BENCH_TIMEOUT_MS);
  const context = { ...base, awsRequestId: crypto.randomUUID(), getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()), done() {}, fail() {}, succeed() {} };
  const started = performance.now();
  const answer = await handler(event, context);
  ms.push(performance.now() - started);
  answers.push(answer && typeof answer === 'object' && 'statusCode' in answer ? { statusCode: answer.statusCode, body: String(answer.body ?? '').slice(0, 300) } : answer);
}
process.stdout.write('\\n${MARKER}' + JSON.stringify({ ms, answers }) + '\\n', () => process.exit(0));
`;

interface Answer {
  statusCode?: number;
  body?: string;
  isAuthorized?: boolean;
  context?: Record<string, unknown>;
}

interface Timed {
  first: number;
  second: number;
  answers: Answer[];
}

/** One fresh process: both invocations, each answer checked (a broken probe throws rather than report a time). */
async function timeTwice(fn: FunctionName | 'bare', file: string, event: unknown, env: Record<string, string>): Promise<Timed> {
  const spec = (fn === 'bare' ? {} : FUNCTIONS[fn]) as { timeoutSeconds?: number };
  const context = JSON.parse(JSON.stringify(lambdaContext(fn === 'bare' ? 'health' : fn, env.AWS_REGION!))) as Record<string, unknown>;
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', PROBE], {
    env: {
      ...env,
      BENCH_MODULE_URL: pathToFileURL(file).href,
      BENCH_EVENT: JSON.stringify(event),
      BENCH_CONTEXT: JSON.stringify(context),
      BENCH_TIMEOUT_MS: String((spec.timeoutSeconds ?? 10) * 1000),
    },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (!line) throw new Error(`first-request probe of ${fn} printed no result:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`);
  const { ms, answers } = JSON.parse(line.slice(MARKER.length)) as { ms: number[]; answers: Answer[] };
  answers.forEach((a, i) => {
    const ok = fn === 'authorizer' ? a.isAuthorized === true && a.context?.authenticated === true : typeof a.statusCode === 'number' && a.statusCode >= 200 && a.statusCode < 300;
    if (!ok) throw new Error(`first-request probe of ${fn}: request ${i + 1} answered ${JSON.stringify(a).slice(0, 500)}`);
  });
  if (ms.length !== 2 || !ms.every(Number.isFinite)) throw new Error(`first-request probe of ${fn} printed ${JSON.stringify(ms)}`);
  return { first: ms[0]!, second: ms[1]!, answers };
}

export async function firstRequestFigures(opts: { stack: Pick<RunningStack, 'dynamodbUrl' | 'sfnUrl' | 'sesUrl' | 'region' | 'output'>; fixtures: Fixtures; runs: number }): Promise<Figure[]> {
  const { stack, fixtures, runs } = opts;
  // The signing key set (functions/platform/keys.ts) is in the stack's local Secrets Manager, on the
  // ephemeral port its start banner names; the secret is found by its name.
  const secretsUrl = /Secrets Manager (http:\/\/[^\s)]+)/.exec(stack.output())?.[1];
  if (!secretsUrl) throw new Error('The stack did not say where its local Secrets Manager listens (local/start.ts banner)');
  const env: Record<string, string> = {
    ...PROBE_ENV,
    AWS_REGION: stack.region,
    AWS_DEFAULT_REGION: stack.region,
    // The SDK's own endpoint variables, which functions/platform/clients.ts relies on (local/start.ts sets the same).
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbUrl,
    AWS_ENDPOINT_URL_SFN: stack.sfnUrl,
    AWS_ENDPOINT_URL_SESV2: stack.sesUrl,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
    SIGNING_KEYS_SECRET_ID: 'cloud-license-portal-signing-keys',
  };
  const dir = mkdtempSync(join(tmpdir(), 'clp-bench-first-'));
  try {
    const fns = [...new Set(CASES.map((c) => c.fn))];
    say(`First request after module init: bundling ${fns.join(', ')} (ESBUILD_OPTIONS), then ${runs} fresh processes each, two requests per process…`);
    const files = new Map<FunctionName, string>();
    for (const fn of fns) {
      const file = join(dir, `${fn}.mjs`);
      await writeFunctionBundle(FUNCTIONS[fn].entry, file);
      files.set(fn, file);
    }
    const events = CASES.map((c) => {
      const route = ROUTES.find((r) => routeKey(r) === c.route);
      if (!route) throw new Error(`No route ${c.route} in functions/registry.ts`);
      if (route.fn !== c.fn && c.fn !== 'authorizer') throw new Error(`${c.route} is served by ${route.fn}, not ${c.fn}`);
      return gatewayEvents(route, c.path(fixtures), fixtures.admin, stack.region);
    });

    // The handlers get the context the authorizer answered for the same token, as the gateway passes it.
    const authorizerAt = CASES.findIndex((c) => c.fn === 'authorizer');
    const probe = await timeTwice('authorizer', files.get('authorizer')!, events[authorizerAt]!.authorizer, env);
    const callerContext = probe.answers[0]!.context!;

    const samples = CASES.map(() => [] as Timed[]);
    // The reference: a bare SDK handler's first GetItem over its second (endpoint resolution,
    // middleware stack, signing and the connection, which no code of ours can avoid).
    const bareFile = join(dir, 'bare-read.mjs');
    await writeBareReadBundle(bareFile);
    const bare: Timed[] = [];
    samples[authorizerAt]!.push(probe);
    const timing = bar('first request', CASES.length * runs - 1);
    for (let round = 0; round < runs; round++) {
      // The order flips every round, so no function always runs right after another.
      const order = CASES.map((_c, i) => i);
      bare.push(await timeTwice('bare', bareFile, {}, env));
      for (const i of round % 2 === 0 ? order : order.reverse()) {
        const c = CASES[i]!;
        if (samples[i]!.length > round) continue;
        const event = c.fn === 'authorizer' ? events[i]!.authorizer : events[i]!.handler(callerContext);
        samples[i]!.push(await timeTwice(c.fn, files.get(c.fn)!, event, env));
        timing.tick(1, c.fn);
      }
    }
    timing.stop();

    const bareExtra = median(bare.map((t) => t.first - t.second));
    return CASES.map((c, i) => {
      const s = samples[i]!;
      const first = median(s.map((t) => t.first));
      const second = median(s.map((t) => t.second));
      const extra = median(s.map((t) => t.first - t.second));
      const why =
        c.fn === 'authorizer'
          ? '; the authorizer trusts for 30 s the user and accounts it read, so its second request reads nothing from DynamoDB and its first reads them (and the signing key)'
          : '';
      return figure({
        group: `First request after module init over the second (fresh process, same event, median of ${runs})`,
        name: `${c.fn} (${c.route})`,
        value: extra,
        unit: 'ms',
        floor: FIRST_REQUEST_TARGET_MS,
        floorKind: 'target',
        target: 1,
        note: `first ${first.toFixed(1)} ms, second ${second.toFixed(1)} ms; a bare SDK handler's first GetItem: ${bareExtra.toFixed(1)} ms over its second; first − second per process: ${s.map((t) => (t.first - t.second).toFixed(1)).join(', ')} ms${why}`,
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

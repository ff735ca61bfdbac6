/**
 * `npm run bench`: the performance figures of docs/product.md#quality-bars, each against its floor measured or set in
 * the same run, printed as a table and written to bench/results.json. See bench/README.md.
 *
 * Exit code: 0 when the bench ran (a missed target is a FAIL line, not an error); 1 when the bench
 * itself broke; 130 when interrupted.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startStack, type RunningStack } from '../test/integration/stack.ts';
import { bundleFigures } from './bundles.ts';
import { browserFigures, buildAndMeasureConsole, serveBuild, type ConsoleBuild } from './console.ts';
import { firstRequestFigures } from './first-request.ts';
import { pdfFigure } from './documents.ts';
import { makeFixtures, type Fixtures } from './fixtures.ts';
import { Api } from './lib/api.ts';
import { figure, loadAverage1m, metadata, renderTable, writeResults, type Figure } from './lib/results.ts';
import { say } from './lib/progress.ts';
import { dynamoFigures, getProbes, latencyFigures, probeGets, probeWrites, uncoveredGetRoutes } from './routes.ts';
import { renewalFigure } from './renewals.ts';
import { webhookFigure } from './webhooks.ts';


const positive = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const settings = {
  requestsPerRoute: positive('BENCH_REQUESTS', 2000),
  warmupPerRoute: positive('BENCH_WARMUP', 200),
  initRuns: positive('BENCH_INIT_RUNS', 9),
  firstRequestRuns: positive('BENCH_FIRST_REQUEST_RUNS', 5),
  consoleLoads: positive('BENCH_CONSOLE_LOADS', 5),
  pdfRuns: positive('BENCH_PDF_RUNS', 30),
  webhookRuns: positive('BENCH_WEBHOOK_RUNS', 30),
  concurrency: 16,
};
/** `BENCH_ONLY_CONSOLE=true`: the console's figures alone (build, then the stack for the browser ones). */
const consoleOnly = process.env.BENCH_ONLY_CONSOLE === 'true';
const skipConsole = process.env.BENCH_SKIP_CONSOLE === 'true';
let consoleBuild: ConsoleBuild | undefined;
// A console-only run is not a whole bench: it keeps its figures apart from results.json.
const RESULTS_FILE = resolve(import.meta.dirname, consoleOnly ? 'results-console.json' : 'results.json');
const TRANSITIONS_TARGET = 15;

const started = performance.now();
const loadAtStart = loadAverage1m();
const figures: Figure[] = [];
let stack: RunningStack | undefined;
let stopping: Promise<void> | undefined;
const stopStack = () => (stopping ??= stack ? stack.stop().catch(() => undefined) : Promise.resolve());

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the local stack…\n`);
    void stopStack().then(() => process.exit(130));
  });
}

/**
 * `BENCH_ONLY_CONSOLE=true BENCH_BASE_URL=http://localhost:3000`: the console's browser figures
 * against a stack that is already running (`npm start`; its distributor admin from
 * BENCH_ADMIN_LOGIN / BENCH_ADMIN_PASSWORD, else npm start's defaults), for a machine too busy to
 * start another one. The fixtures are made in it like in the bench's own stack.
 */
async function runningStackConsoleFigures(baseUrl: string): Promise<void> {
  const api = new Api(baseUrl.replace(/\/$/, ''));
  say(`Making fixtures through the API of the running stack at ${api.baseUrl}…`);
  const fixtures = await makeFixtures(api, process.env.BENCH_ADMIN_LOGIN ?? 'admin@distributor.example.com', process.env.BENCH_ADMIN_PASSWORD ?? 'Distributor-Admin-2027');
  await consoleInBrowser(api, fixtures);
}

/** The browser figures on the fresh build, served by the bench with /v1 passed through to the stack. */
async function consoleInBrowser(api: Api, fixtures: Fixtures): Promise<void> {
  if (!consoleBuild) return;
  say(`The console in Chromium: first contentful paint (${settings.consoleLoads} cold loads each) and /v1 requests per screen…`);
  const site = await serveBuild(consoleBuild.dir, api.baseUrl);
  try {
    figures.push(...(await browserFigures({ baseUrl: site.url, api, fixtures, loads: settings.consoleLoads, entry: consoleBuild.analysis.entry })));
  } finally {
    await site.close();
  }
}

async function stackFigures(): Promise<void> {
  if (consoleOnly && process.env.BENCH_BASE_URL) return runningStackConsoleFigures(process.env.BENCH_BASE_URL);
  if (consoleOnly && skipConsole) return;
  say('Starting the local stack (DynamoDB Local, SES, Step Functions, gateway) with LOCAL_DYNAMODB_STATS=true…');
  stack = await startStack({
    POWERTOOLS_LOG_LEVEL: 'WARN',
    // As deployed: the local stack checks every answer against its response schema (a 500 on a
    // mismatch, for the tests); AWS does not, so neither do the latency figures.
    CHECK_RESPONSES: 'false',
    LOCAL_QUIET: 'true',
    LOCAL_DYNAMODB_STATS: 'true',
    // DynamoDB Local with the JVM's optimizing compiler (local/dynamodb.ts): the floor the routes are measured against.
    DYNAMODB_LOCAL_JVM_OPTIONS: '',
    LOCAL_SEED_DEMO: 'false',
    LOCAL_SCHEDULER: 'false',
  });
  const api = new Api(stack.baseUrl);

  say('Making fixtures through the API (customer, automatic staff order, card, user, cart)…');
  const fixtures = await makeFixtures(api, stack.adminLogin, stack.adminPassword);

  await consoleInBrowser(api, fixtures);
  if (consoleOnly) return;

  say('Recording the DynamoDB calls of a few writes (x-local-dynamodb)…');
  const writes = await probeWrites(api, fixtures);
  const probes = getProbes(fixtures);
  const missing = uncoveredGetRoutes(probes);
  if (missing.length) say(`  GET routes without a probe (not measured): ${missing.join(', ')}`);
  say(`Recording the DynamoDB calls of ${probes.length} GET requests…`);
  const gets = await probeGets(api, fixtures, probes);

  say('Step Functions state transitions of the automatic orders…');
  const staffOrder = await api.waitOrder(writes.staffOrderId);
  const checkoutOrder = await api.waitOrder(writes.checkoutOrderId);
  const transitions = [
    { name: 'staff order with autoProcess (fixture, new domain)', states: fixtures.staffOrderStates, status: 'completed' },
    { name: 'staff order with autoProcess (existing domain)', states: staffOrder.workflow.statesEntered as string[], status: staffOrder.status as string },
    { name: 'customer checkout by card (automatic account)', states: checkoutOrder.workflow.statesEntered as string[], status: checkoutOrder.status as string },
  ].map((t) =>
    figure({
      group: 'Step Functions states entered per order on the automatic happy path',
      name: t.name,
      value: t.states.length,
      unit: 'states',
      floor: TRANSITIONS_TARGET,
      floorKind: 'target',
      target: 1,
      pass: t.status === 'completed' && t.states.length <= TRANSITIONS_TARGET,
      note: `${t.status}: ${t.states.join(' → ')}`,
    }),
  );

  // Once the automatic orders are done (the stack idle), while the fixtures' access token is fresh (15 minutes).
  figures.push(...(await firstRequestFigures({ stack, fixtures, runs: settings.firstRequestRuns })));

  say(`Latency per route: autocannon (${settings.concurrency} connections, ${settings.requestsPerRoute} requests) and the raw calls replayed…`);
  const latency = await latencyFigures({
    baseUrl: stack.baseUrl,
    dynamodbUrl: stack.dynamodbUrl,
    stackPid: stack.process.pid,
    fixtures,
    probed: gets,
    requests: settings.requestsPerRoute,
    warmup: settings.warmupPerRoute,
  });

  figures.push(...latency, ...dynamoFigures([...gets, ...writes.probed]), ...transitions);
  figures.push(await webhookFigure(api, fixtures, settings.webhookRuns));
  figures.push(await renewalFigure(api, stack.dynamodbUrl));
}

let broken: unknown;
try {
  if (!skipConsole) {
    say('Building the console (vite build into a temporary directory) for its initial JavaScript…');
    consoleBuild = await buildAndMeasureConsole();
    figures.push(consoleBuild.figure);
  }
  if (process.env.BENCH_SKIP_BUNDLES !== 'true' && !consoleOnly) {
    const bundles = await bundleFigures({ initRuns: settings.initRuns });
    figures.push(...bundles.size, ...bundles.init);
  }
  if (!consoleOnly) {
    say(`Rendering a 20-line invoice PDF (${settings.pdfRuns} times)…`);
    figures.push(await pdfFigure({ runs: settings.pdfRuns }));
  }
  await stackFigures();
} catch (err) {
  broken = err;
} finally {
  await stopStack();
  consoleBuild?.remove();
}

const durationSeconds = Math.round((performance.now() - started) / 100) / 10;
const loadAverage = { start: loadAtStart, end: loadAverage1m() };
writeResults(RESULTS_FILE, { date: new Date().toISOString(), ...metadata(), loadAverage, durationSeconds, settings, figures, ...(broken ? { error: String((broken as Error).stack ?? broken) } : {}) });
say(renderTable(figures));
const failed = figures.filter((f) => !f.pass);
say('');
say(
  `${figures.length} figures, ${failed.length} FAIL, in ${durationSeconds} s on ${metadata().cpuCount} CPUs (node ${process.version}; ` +
    `load average ${loadAverage.start} at the start, ${loadAverage.end} at the end). Written to ${RESULTS_FILE}.`,
);
if (broken) {
  process.stderr.write(`\nThe bench broke: ${(broken as Error).stack ?? broken}\n`);
  process.exit(1);
}
process.exit(0);

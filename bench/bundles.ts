import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { LAMBDA_ALIASES } from '../infra/bundling/aliases.ts';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '../functions/registry.ts';
import { figure, type Figure } from './lib/results.ts';
import { median } from './lib/stats.ts';
import { bar, say } from './lib/progress.ts';

/**
 * Figures 1 and 2: bundle size per function and module init per function (docs/product.md#quality-bars), each against a
 * bare handler that imports and constructs the same SDK clients, bundled the same way.
 */
const ROOT = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

/** 450 KB per bundle, of which 250 KB outside @aws-sdk/@smithy (1,000-byte kilobytes). */
export const BUNDLE_TARGET_BYTES = 450_000;
export const OWN_TARGET_BYTES = 250_000;
/** Module init over the bare handler: every function, and the authorizer (on every cold request path). */
export const INIT_TARGET_RATIO = 1.2;
export const AUTHORIZER_INIT_TARGET_RATIO = 0.9;

const SDK = /(^|\/)node_modules\/@(aws-sdk|smithy)\//;

/** A bundle's bytes, and those of it that come from outside the SDK (@aws-sdk, @smithy), from esbuild's metafile. */
export function sizesOf(output: Metafile['outputs'][string]): { bytes: number; outsideSdk: number } {
  const sdk = Object.entries(output.inputs).reduce((n, [input, i]) => n + (SDK.test(input) ? i.bytesInOutput : 0), 0);
  return { bytes: output.bytes, outsideSdk: output.bytes - sdk };
}

/** The banner and options of infra/constructs/app-function.ts (checked against its source below). */
const BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";
export const ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  // The SDK is bundled too: externalModules: [].
  external: [],
  banner: { js: BANNER },
  // The same module substitutions (app-function.ts passes them as --alias arguments).
  alias: { ...LAMBDA_ALIASES },
  sourcemap: false,
  logLevel: 'warning',
  absWorkingDir: ROOT,
};

/**
 * Says what differs if app-function.ts no longer bundles the way these options assume (a cheap
 * guard against drift: the bench cannot import the construct without loading aws-cdk-lib).
 */
export function bundlingDrift(): string[] {
  const source = readFileSync(resolve(ROOT, 'infra/constructs/app-function.ts'), 'utf8');
  const expected = [BANNER, 'format: OutputFormat.ESM', "target: 'node22'", 'minify: true', "mainFields: ['module', 'main']", 'externalModules: []', 'banner: ESM_REQUIRE_BANNER', "esbuildArgs: { '--alias': LAMBDA_ALIAS_ARGS }"];
  // Module init is timed without NODE_OPTIONS, as the functions are deployed; a flag such as
  // --enable-source-maps would cost every cold start and not be measured here.
  const unexpected = ['--enable-source-maps'].filter((s) => source.includes(s)).map((s) => `no ${s}`);
  return [...expected.filter((s) => !source.includes(s)), ...unexpected];
}

/**
 * The bare handlers' bundling: the same, without the module substitutions (SPEC §6: the floor is a bare
 * SDK handler with the default credential chain).
 */
const BARE_OPTIONS: BuildOptions = { ...ESBUILD_OPTIONS, alias: {} };

interface Clients {
  dynamo: boolean;
  sfn: boolean;
  ses: boolean;
}

function clientsOf(spec: FunctionSpec): Clients {
  return { dynamo: spec.table !== 'none', sfn: Boolean(spec.workflow?.length), ses: spec.sendsEmail === true };
}

const clientsKey = (c: Clients) => [c.dynamo && 'dynamodb', c.sfn && 'sfn', c.ses && 'sesv2'].filter(Boolean).join('+') || 'no SDK client';

/** The function's handler, plus construction of the clients it uses through the project's lazy getters. */
function oursEntry(spec: FunctionSpec): string {
  const c = clientsOf(spec);
  const getters = [c.dynamo && 'dynamoClient', c.dynamo && 'documentClient', c.sfn && 'sfnClient', c.ses && 'sesClient'].filter(Boolean) as string[];
  return [
    `import { handler } from ${JSON.stringify(resolve(ROOT, spec.entry))};`,
    getters.length ? `import { ${getters.join(', ')} } from ${JSON.stringify(resolve(ROOT, 'functions/platform/clients.ts'))};` : '',
    ...getters.map((g) => `${g}();`),
    'export { handler };',
  ].join('\n');
}

/** A bare handler: the same SDK clients, imported and constructed at module scope (as clients.ts configures them), bundled with BARE_OPTIONS. */
function bareEntry(c: Clients): string {
  const lines: string[] = [];
  const used: string[] = [];
  if (c.dynamo) {
    lines.push(
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      'const dynamo = new DynamoDBClient({ maxAttempts: 5 });',
      'const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });',
    );
    used.push('dynamo', 'doc');
  }
  if (c.sfn) {
    lines.push("import { SFNClient } from '@aws-sdk/client-sfn';", 'const sfn = new SFNClient({});');
    used.push('sfn');
  }
  if (c.ses) {
    lines.push("import { SESv2Client } from '@aws-sdk/client-sesv2';", 'const ses = new SESv2Client({});');
    used.push('ses');
  }
  lines.push(`export const handler = async () => ({ statusCode: 200, body: String(${used.length ? used.map((u) => `Boolean(${u})`).join(' && ') : 'true'}) });`);
  return lines.join('\n');
}

/** Bundles a generated entry into `outfile`; answers its bytes. */
async function bundle(contents: string, name: string, outfile: string, options: BuildOptions = ESBUILD_OPTIONS): Promise<number> {
  const result = await build({
    ...options,
    stdin: { contents, resolveDir: ROOT, sourcefile: `${name}.ts`, loader: 'ts' },
    outfile,
    write: true,
    metafile: true,
  });
  return Object.values(result.metafile.outputs)[0]!.bytes;
}

/** The function's bundle: its bytes, and those outside the SDK. */
async function bundleEntry(entry: string): Promise<{ bytes: number; outsideSdk: number }> {
  const result = await build({ ...ESBUILD_OPTIONS, entryPoints: [resolve(ROOT, entry)], write: false, outfile: 'index.mjs', metafile: true });
  return sizesOf(Object.values(result.metafile!.outputs)[0]!);
}

/** The function's bundle as deployed (its own entry, no wrapper), written to `outfile`: what bench/first-request.ts invokes. */
/**
 * A bare handler that reads one item by key through the document client, bundled as the floor's
 * bare handlers are (BARE_OPTIONS): what a handler with no code of ours pays on its first request.
 */
export async function writeBareReadBundle(outfile: string): Promise<void> {
  const entry = [
    bareEntry({ dynamo: true, sfn: false, ses: false }).replace(/^export const handler = .*$/m, ''),
    "import { GetCommand } from '@aws-sdk/lib-dynamodb';",
    'export const handler = async () => {',
    "  const { Item } = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: '$clp#id_bench-bare', sk: '$bench_1' } }));",
    '  return { statusCode: 200, body: JSON.stringify(Item ?? null) };',
    '};',
  ].join('\n');
  await bundle(entry, 'bare-read', outfile, BARE_OPTIONS);
}

export async function writeFunctionBundle(entry: string, outfile: string): Promise<void> {
  await build({ ...ESBUILD_OPTIONS, entryPoints: [resolve(ROOT, entry)], outfile, write: true });
}

/** `await import()` of a bundle in a fresh node process (node 22), in ms, as it measures itself. */
const PROBE = [
  'const started = performance.now();',
  'await import(process.env.BENCH_MODULE_URL);',
  'const ms = performance.now() - started;',
  'process.stdout.write(String(ms), () => process.exit(0));',
].join('\n');

/** What the Lambda environment gives the functions (infra/stacks/app-stack.ts), with dummy values. */
export const PROBE_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'cloud-license-portal',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:order-fulfillment',
  POWERTOOLS_SERVICE_NAME: 'cloud-license-portal',
  POWERTOOLS_METRICS_NAMESPACE: 'CloudLicensePortal',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  EMAIL_FROM: 'no-reply@portal.example.com',
  PORTAL_URL: 'https://portal.example.com',
  CORS_ORIGIN: 'https://portal.example.com',
  VENDOR: 'sandbox',
};

async function initMs(file: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE], {
    env: { ...PROBE_ENV, BENCH_MODULE_URL: pathToFileURL(file).href },
    timeout: 30_000,
  });
  const ms = Number(stdout.trim());
  if (!Number.isFinite(ms)) throw new Error(`init probe of ${file} printed ${JSON.stringify(stdout)}`);
  return ms;
}

export interface BundleFigures {
  size: Figure[];
  init: Figure[];
}

export async function bundleFigures(opts: { initRuns: number }): Promise<BundleFigures> {
  const names = Object.keys(FUNCTIONS) as FunctionName[];
  const drift = bundlingDrift();
  const driftNote = drift.length ? `; WARNING: infra/constructs/app-function.ts no longer has ${drift.join(', ')}` : '';
  const dir = mkdtempSync(join(tmpdir(), 'clp-bench-'));
  try {
    // Bare handlers, one per set of SDK clients.
    const bare = new Map<string, { bytes: number; file: string }>();
    for (const name of names) {
      const c = clientsOf(FUNCTIONS[name]);
      const key = clientsKey(c);
      if (bare.has(key)) continue;
      const file = join(dir, `bare-${key.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
      const entry = bareEntry(c);
      bare.set(key, { bytes: await bundle(entry, 'bare', file, BARE_OPTIONS), file });
    }

    say(`Bundling ${names.length} functions (esbuild, the options of infra/constructs/app-function.ts)…`);
    const building = bar('bundles', names.length * 2);
    const ours = new Map<FunctionName, { bytes: number; outsideSdk: number; file: string }>();
    for (const name of names) {
      const spec = FUNCTIONS[name];
      const { bytes, outsideSdk } = await bundleEntry(spec.entry);
      building.tick(1, name);
      const file = join(dir, `${name}.mjs`);
      await bundle(oursEntry(spec), name, file);
      building.tick(1, name);
      ours.set(name, { bytes, outsideSdk, file });
    }
    building.stop();

    const size = names.flatMap((name) => {
      const key = clientsKey(clientsOf(FUNCTIONS[name]));
      const b = bare.get(key)!;
      const { bytes, outsideSdk } = ours.get(name)!;
      return [
        figure({
          group: 'Bundle size per function (esbuild, minified, SDK bundled)',
          name,
          value: bytes / 1000,
          unit: 'KB',
          floor: BUNDLE_TARGET_BYTES / 1000,
          floorKind: 'target',
          target: 1,
          note: `bare handler with the same SDK clients (${key}): ${(b.bytes / 1000).toFixed(1)} KB; ours is ${(bytes / b.bytes).toFixed(2)}× that${driftNote}`,
        }),
        figure({
          group: 'Bundle bytes outside @aws-sdk/@smithy per function',
          name,
          value: outsideSdk / 1000,
          unit: 'KB',
          floor: OWN_TARGET_BYTES / 1000,
          floorKind: 'target',
          target: 1,
        }),
      ];
    });

    // Rounds: in each, every client set's bare handler and then the functions using that set, one fresh
    // process each; the order flips every round so neither side always runs first. A function's floor
    // is the median of its set's bare runs, spread over the same rounds as its own.
    const sets = [...bare.keys()];
    const sequence = sets.flatMap((key) => [{ kind: 'bare' as const, key }, ...names.filter((n) => clientsKey(clientsOf(FUNCTIONS[n])) === key).map((name) => ({ kind: 'ours' as const, key, name }))]);
    say(`Timing module init in fresh node ${process.version} processes (${opts.initRuns} rounds of ${sequence.length}: every function and ${sets.length} bare handlers)…`);
    const timing = bar('module init', sequence.length * opts.initRuns);
    const mine = new Map<FunctionName, number[]>(names.map((n) => [n, []]));
    const base = new Map<string, number[]>(sets.map((k) => [k, []]));
    for (let round = 0; round < opts.initRuns; round++) {
      for (const step of round % 2 === 0 ? sequence : [...sequence].reverse()) {
        if (step.kind === 'ours') mine.get(step.name)!.push(await initMs(ours.get(step.name)!.file));
        else base.get(step.key)!.push(await initMs(bare.get(step.key)!.file));
        timing.tick(1, step.kind === 'ours' ? step.name : `bare (${step.key})`);
      }
    }
    const init = names.map((name) => {
      const key = clientsKey(clientsOf(FUNCTIONS[name]));
      const m = median(mine.get(name)!);
      const b = median(base.get(key)!);
      return figure({
        group: `Module init per function (import + client construction, fresh process, median of ${opts.initRuns})`,
        name,
        value: m,
        unit: 'ms',
        floor: b,
        floorKind: 'measured',
        target: name === 'authorizer' ? AUTHORIZER_INIT_TARGET_RATIO : INIT_TARGET_RATIO,
        note: `floor: bare handler with ${key}; ours − bare = ${(m - b).toFixed(1)} ms`,
      });
    });
    timing.stop();
    return { size, init };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

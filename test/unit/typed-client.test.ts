import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { ROUTES, successStatuses } from '../../functions/registry.ts';
import { schemasOf } from '../../tools/openapi/build.ts';
import { generatedDocument, loadHandlerModules } from '../../tools/openapi/load.ts';

/**
 * The contract a client compiles against: a typed client is generated from the OpenAPI document
 * (openapi-typescript's `paths`, called through openapi-fetch), and small programs using it are
 * compiled with the TypeScript compiler, strict. A program that reads what the API answers must
 * compile without a diagnostic; one that reads a field the API does not answer must not compile.
 * No network: nothing is sent, only type-checked.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const modules = await loadHandlerModules();
const document = generatedDocument(modules);

/** Scenarios whose routes all declare `response:` yet; the others are listed, not compiled. */
const hasResponse = (operationId: string) => {
  const route = ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`No route ${operationId}`);
  return successStatuses(route).every((s) => s === 204) || schemasOf(route, modules)?.response !== undefined;
};

/**
 * Flip to true once every area declares its response schemas: then a scenario whose routes do not
 * is a failure instead of a skipped program.
 */
const EVERY_SCENARIO_REQUIRED = true;

const HEADER = `import createClient from 'openapi-fetch';\nimport type { paths } from './schema.ts';\n\nconst client = createClient<paths>({ baseUrl: 'https://api.example.com' });\n`;

interface Scenario {
  name: string;
  needs: string[];
  /** A program that must compile. */
  ok: string;
  /** Programs that must not, each with the text its diagnostic must contain. */
  broken: Array<{ name: string; code: string; message: RegExp }>;
}

const SIGN_IN = `
  const signedIn = await client.POST('/v1/auth/login', { body: { login: 'ana@contoso.example', password: 'correct horse battery' } });
  if (signedIn.error) {
    const code: string = signedIn.error.error.code;
    if (code === 'invalid_credentials' || signedIn.error.error.code === 'throttled') return [code];
    return [signedIn.error.error.message];
  }
  const token: string = signedIn.data.accessToken;
  const headers = { authorization: \`Bearer \${token}\` };
`;

const SCENARIOS: Scenario[] = [
  {
    name: 'signs in and reads the session, or the error code',
    needs: ['login'],
    ok: `export async function run(): Promise<string[]> {${SIGN_IN}  return [token, headers.authorization];\n}\n`,
    broken: [
      {
        name: 'reads a field the session does not have',
        code: `export async function run(): Promise<unknown> {${SIGN_IN}  return signedIn.data.nonexistent;\n}\n`,
        message: /nonexistent/,
      },
      {
        name: 'compares the error code with one login never answers',
        code: `export async function run(): Promise<boolean> {
  const r = await client.POST('/v1/auth/login', { body: { login: 'a', password: 'b' } });
  return r.error?.error.code === 'no_such_code_at_all';
}\n`,
        message: /no_such_code_at_all|no overlap/,
      },
      {
        name: 'sends a body without its password',
        code: `export async function run(): Promise<unknown> {
  return client.POST('/v1/auth/login', { body: { login: 'a' } });
}\n`,
        message: /password/,
      },
    ],
  },
  {
    name: 'places an order, reads its status and lines, and lists orders',
    needs: ['login', 'placeOrder', 'listOrders', 'getOrder'],
    ok: `export async function run(): Promise<string[]> {${SIGN_IN}
  const placed = await client.POST('/v1/accounts/{accountId}/orders', {
    params: { path: { accountId: 'acc_01JD8X4ZQ6N3VYH2K7T5RW9BCE' }, header: { 'Idempotency-Key': 'order-7f3c2a9e' } },
    body: { lines: [{ offerId: 'ofr_01JD8X4ZQ6N3VYH2K7T5RW9BCE', quantity: 5 }], domain: { mode: 'existing', domainId: 'dom_01JD8X4ZQ6N3VYH2K7T5RW9BCE' } },
    headers,
  });
  if (placed.error) {
    const code: string = placed.error.error.code;
    return [code];
  }
  const status: string = placed.data.status;
  const quantity: number = placed.data.lines[0].quantity;
  const listed = await client.GET('/v1/orders', { params: { query: { limit: 10 } }, headers });
  if (listed.error) return [listed.error.error.code];
  const firstId: string = listed.data.items[0].id;
  const next: string | null = listed.data.nextCursor;
  const one = await client.GET('/v1/orders/{orderId}', { params: { path: { orderId: firstId } }, headers });
  return [status, String(quantity), firstId, next ?? '', one.data?.status ?? one.error?.error.code ?? ''];
}\n`,
    broken: [
      {
        name: 'reads a field an order does not have',
        code: `export async function run(): Promise<unknown> {
  const placed = await client.POST('/v1/accounts/{accountId}/orders', {
    params: { path: { accountId: 'acc_01JD8X4ZQ6N3VYH2K7T5RW9BCE' }, header: { 'Idempotency-Key': 'order-7f3c2a9e' } },
    body: { lines: [{ offerId: 'ofr_01JD8X4ZQ6N3VYH2K7T5RW9BCE', quantity: 5 }], domain: { mode: 'existing', domainId: 'dom_01JD8X4ZQ6N3VYH2K7T5RW9BCE' } },
  });
  return placed.data?.nonexistent;
}\n`,
        message: /nonexistent/,
      },
      {
        name: 'places an order without its Idempotency-Key',
        code: `export async function run(): Promise<unknown> {
  return client.POST('/v1/accounts/{accountId}/orders', {
    params: { path: { accountId: 'acc_01JD8X4ZQ6N3VYH2K7T5RW9BCE' } },
    body: { lines: [{ offerId: 'ofr_01JD8X4ZQ6N3VYH2K7T5RW9BCE', quantity: 5 }], domain: { mode: 'existing', domainId: 'dom_01JD8X4ZQ6N3VYH2K7T5RW9BCE' } },
  });
}\n`,
        message: /Idempotency-Key|header/,
      },
    ],
  },
];

const ready = SCENARIOS.filter((s) => s.needs.every(hasResponse));
const waiting = SCENARIOS.filter((s) => !ready.includes(s));

let dir: string;
let diagnostics: Map<string, string[]>;

beforeAll(async () => {
  // Inside node_modules so that the programs resolve openapi-fetch as a client project would.
  dir = mkdtempSync(join(ROOT, 'node_modules/.cache-typed-client-'));
  writeFileSync(join(dir, 'schema.ts'), astToString(await openapiTS(JSON.parse(JSON.stringify(document)))));
  const files = ['schema.ts'];
  ready.forEach((s, i) => {
    writeFileSync(join(dir, `ok-${i}.ts`), HEADER + s.ok);
    files.push(`ok-${i}.ts`);
    s.broken.forEach((b, j) => {
      writeFileSync(join(dir, `broken-${i}-${j}.ts`), HEADER + b.code);
      files.push(`broken-${i}-${j}.ts`);
    });
  });
  const program = ts.createProgram(
    files.map((f) => join(dir, f)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    },
  );
  diagnostics = new Map(files.map((f) => [f, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file ? d.file.fileName.slice(dir.length + 1) : 'global';
    const text = `${d.file ? `${file}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    (diagnostics.get(file) ?? diagnostics.set(file, []).get(file)!).push(text);
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a client generated from the OpenAPI document', () => {
  it('is generated and compiles on its own (strict)', () => {
    expect(diagnostics.get('schema.ts')).toEqual([]);
    expect(diagnostics.get('global') ?? []).toEqual([]);
  });

  it('lists the scenarios waiting for response schemas', () => {
    for (const s of waiting) process.stdout.write(`typed client: not compiled yet, routes without a response schema: ${s.needs.filter((n) => !hasResponse(n)).join(', ')} (${s.name})\n`);
    if (EVERY_SCENARIO_REQUIRED) expect(waiting.map((s) => s.name)).toEqual([]);
    expect(ready.length).toBeGreaterThan(0);
  });

  describe.each(ready.map((s, i) => [s.name, s, i] as const))('%s', (_name, scenario, i) => {
    it('compiles without a diagnostic', () => {
      expect(diagnostics.get(`ok-${i}.ts`)).toEqual([]);
    });

    it.each(scenario.broken.map((b, j) => [b.name, b, j] as const))('does not compile when it %s', (_n, broken, j) => {
      const found = diagnostics.get(`broken-${i}-${j}.ts`) ?? [];
      expect(found.length).toBeGreaterThan(0);
      expect(found.join('\n')).toMatch(broken.message);
    });
  });
});

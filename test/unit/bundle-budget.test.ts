import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_OPTIONS, PROBE_ENV, sizesOf } from '../../bench/bundles.ts';
import { FUNCTIONS, type FunctionName } from '../../functions/registry.ts';

/**
 * Bundle budgets (issue 17, docs/architecture.md "Cold starts"): every function of the registry bundled
 * as deployed (bench/bundles.ts ESBUILD_OPTIONS, the options and module substitutions of
 * infra/constructs/app-function.ts), in one esbuild call, against a budget per function in bytes, for
 * the whole bundle and for what is outside `@aws-sdk`/`@smithy`; then each bundle is imported in a
 * fresh node process with a Lambda-like environment, so a substitution that breaks a bundle at load
 * fails here.
 *
 * A ratchet: the budgets are today's sizes + ~3%, rounded up to the KB. Lower them when a change makes
 * a bundle smaller; never raise one without saying why in the commit. The targets of docs/product.md#performance-figures are 450 KB per
 * bundle and 250 KB outside the SDK: NOT MET yet by every function but `health` and the authorizer (the comments say
 * where; ElectroDB ~195 KB, the data layer ~59 KB and zod/mini ~37 KB are most of what is outside the SDK).
 */
/** [whole bundle, outside @aws-sdk/@smithy], in bytes. */
const BUDGETS: Record<FunctionName, readonly [number, number]> = {
  authorizer: [271_000, 67_000], // 262.6 KB, 64.7 KB outside the SDK (no ElectroDB: data/by-key.ts)
  health: [101_000, 101_000], // 97.2 KB, 97.2 KB outside the SDK: the route table (registry.ts) grew by the pricing, tax and documents routes
  docs: [354_000, 354_000], // 329.8 KB, 329.8 KB outside the SDK: the document grew by the pricing and documents routes (target not met); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +3 KB each (issue 19, H3): not paying and the billing contact (the document's grace-days, billing-contact and suspendedAt/cancelsOn fields, measured minified)
  auth: [822_000, 550_000], // 791.2 KB, 526.9 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  users: [797_000, 525_000], // 766.1 KB, 502.1 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  me: [825_000, 553_000], // 793.7 KB, 529.4 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  accounts: [813_000, 541_000], // 782.3 KB, 518.1 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  catalog: [759_000, 496_000], // 729.3 KB, 465.8 KB outside the SDK (target not met); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  pricing: [770_000, 506_000], // 740.3 KB, 476.7 KB outside the SDK (target not met); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  cart: [869_000, 548_000], // 804.3 KB, 493.2 KB outside the SDK (target not met) +9 KB each: orders are priced down the chain and invoices taxed (services/prices.ts, invoicing.ts, data/tax.ts); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +9 KB each (issue 19): co-terming and the inline tenant link (services/domains.ts 4.6 KB, which the checkout now calls to link a tenant with the order; domain/coterm.ts 0.6 KB; services/orders.ts +2 KB; the schemas +0.8 KB, measured minified); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  paymentMethods: [766_000, 504_000], // 736.0 KB, 472.4 KB outside the SDK (target not met); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  invoices: [778_000, 515_000], // 737.8 KB, 474.2 KB outside the SDK (target not met) +9 KB each: orders are priced down the chain and invoices taxed (services/prices.ts, invoicing.ts, data/tax.ts); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +9 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the grace steps in services/billing.ts 1.6 KB and data/invoices.ts 1.7 KB, domain/grace.ts 0.5 KB, the entity and schema fields 0.5 KB, measured minified)
  documents: [1_422_000, 1_148_000], // 1373.6 KB, 1107.3 KB outside the SDK: @cantoo/pdf-lib ~575 KB with its SVG dependencies, kept out of `invoices`, imported lazily on the first PDF (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  domains: [828_000, 517_000], // 797.0 KB, 485.9 KB outside the SDK (target not met); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  subscriptions: [870_000, 564_000], // 810.3 KB, 498.9 KB outside the SDK (target not met) +9 KB each: orders are priced down the chain and invoices taxed (services/prices.ts, invoicing.ts, data/tax.ts); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +11 KB each (issue 19): upgrades (services/upgrades.ts 6.7 KB, data/upgrades.ts 3.5 KB, domain/upgrades.ts 0.5 KB); +6 KB each (issue 19): scheduled changes (services/scheduled-changes.ts 2.3 KB, domain/scheduled-change.ts 1.1 KB, http/subscriptions/scheduled-change.ts 0.9 KB, the schema and view 1.2 KB, measured minified); +2 KB each (issue 19): a raise paid with the payment method chosen (services/card-charge.ts 1.2 KB, services/subscriptions.ts +0.5 KB, the schema +0.3 KB, measured minified); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  orders: [867_000, 546_000], // 799.9 KB, 488.7 KB outside the SDK (target not met) +9 KB each: orders are priced down the chain and invoices taxed (services/prices.ts, invoicing.ts, data/tax.ts); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +9 KB each (issue 19): co-terming and the inline tenant link (services/domains.ts 4.6 KB, which a staff order now calls to link a tenant with it; domain/coterm.ts 0.6 KB; services/orders.ts +2 KB; the schemas +0.8 KB, measured minified); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  workflowGate: [686_000, 391_000], // 659.0 KB, 372.1 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  workflowAdvance: [686_000, 391_000], // 658.9 KB, 372.0 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  workflowProvision: [686_000, 391_000], // 659.0 KB, 372.0 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  workflowCheck: [686_000, 391_000], // 659.0 KB, 372.1 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  workflowComplete: [686_000, 391_000], // 658.9 KB, 372.0 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  workflowFail: [679_000, 384_000], // 651.9 KB, 365.1 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  renewalsJob: [706_000, 410_000], // 665.3 KB, 378.3 KB outside the SDK (target not met) +9 KB each: orders are priced down the chain and invoices taxed (services/prices.ts, invoicing.ts, data/tax.ts); +4 KB each (issue 19): scheduled changes applied at renewal (domain/scheduled-change.ts 1.1 KB, services/renewals.ts +1.1 KB, the reminder's change words in three languages +1.3 KB, measured minified); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  billingJob: [637_000, 366_000], // 600.6 KB, 337.6 KB outside the SDK (target not met) +9 KB each: orders are priced down the chain and invoices taxed (services/prices.ts, invoicing.ts, data/tax.ts); +9 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the grace steps in services/billing.ts 1.6 KB and data/invoices.ts 1.7 KB, domain/grace.ts 0.5 KB, the entity and schema fields 0.5 KB, measured minified)
  dunningJob: [637_000, 366_000], // 600.6 KB, 337.6 KB outside the SDK (target not met) +9 KB each: orders are priced down the chain and invoices taxed (services/prices.ts, invoicing.ts, data/tax.ts); +9 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the grace steps in services/billing.ts 1.6 KB and data/invoices.ts 1.7 KB, domain/grace.ts 0.5 KB, the entity and schema fields 0.5 KB, measured minified)
  unstartedOrdersJob: [681_000, 386_000], // 654.0 KB, 367.1 KB outside the SDK (target not met); +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  overview: [779_000, 504_000], // 736.6 KB, 473.0 KB outside the SDK (target not met); issue 18 grew the entities (quotes, partial refunds, invoice commerce fields) and the services they import; +7 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.4 KB, the billing contact's recipients and the grace writes in data/invoices.ts 1.7 KB, the entity and schema fields 0.5 KB, measured minified)
  notifier: [694_000, 334_000], // 668.8 KB, 318.9 KB outside the SDK (target not met); +5 KB each (issue 19, H3): not paying and the billing contact (the two not-paying email templates in three languages 4.3 KB, the entity fields 0.4 KB, measured minified)
};

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const names = Object.keys(FUNCTIONS) as FunctionName[];

let dir: string;
let outputs: Metafile['outputs'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clp-bundle-budget-'));
  // Beyond loading: ElectroDB binds every entity into its Service and builds a request's parameters,
  // and each SDK client resolves its credentials (from the environment only, in the bundles).
  const smoke = join(dir, 'smoke.ts');
  writeFileSync(
    smoke,
    [
      `import { db } from ${JSON.stringify(resolve(ROOT, 'functions/data/entities.ts'))};`,
      `import { dynamoClient, sfnClient, sesClient } from ${JSON.stringify(resolve(ROOT, 'functions/platform/clients.ts'))};`,
      'const params = db().entities.account.get({ id: "a1" }).params();',
      'if (params.TableName !== process.env.TABLE_NAME || !params.Key?.pk) throw new Error("ElectroDB params: " + JSON.stringify(params));',
      'for (const client of [dynamoClient(), sfnClient(), sesClient()]) {',
      '  const credentials = await client.config.credentials();',
      '  if (credentials.accessKeyId !== process.env.AWS_ACCESS_KEY_ID) throw new Error("credentials: " + credentials.accessKeyId);',
      '}',
      'export const handler = () => Object.keys(db().entities).length;',
    ].join('\n'),
  );
  const result = await build({
    ...ESBUILD_OPTIONS,
    entryPoints: { ...Object.fromEntries(names.map((name) => [name, resolve(ROOT, FUNCTIONS[name].entry)])), 'smoke-test': smoke },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    write: true,
    metafile: true,
  });
  outputs = result.metafile.outputs;
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function sizes(name: string): { bytes: number; outsideSdk: number } {
  const output = Object.entries(outputs).find(([file]) => file.endsWith(`/${name}.mjs`))?.[1];
  if (!output) throw new Error(`no bundle for ${name}`);
  return sizesOf(output);
}

/** Imports a bundle in a fresh node with the bench's Lambda-like environment; answers what its handler is. */
async function load(name: string): Promise<string> {
  const probe = 'const m = await import(process.env.BUNDLE_URL); process.stdout.write(typeof m.handler);';
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], {
      env: { ...PROBE_ENV, BUNDLE_URL: pathToFileURL(join(dir, `${name}.mjs`)).href },
      timeout: 30_000,
    });
    return stdout;
  } catch (error) {
    // node quotes the failing line, a whole minified bundle: keep each line short.
    const stderr = String((error as { stderr?: string }).stderr ?? error);
    // eslint-disable-next-line preserve-caught-error -- its cause quotes the whole bundle; the message keeps what matters
    throw new Error(`${name}.mjs did not load:\n${stderr.split('\n').map((line) => line.slice(0, 300)).join('\n')}`);
  }
}

describe('the Lambda bundles', () => {
  it('has a budget for every function', () => {
    expect(Object.keys(BUDGETS).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s stays within its budget (whole bundle, and outside @aws-sdk/@smithy)', (name) => {
    const { bytes, outsideSdk } = sizes(name);
    const [budget, outsideBudget] = BUDGETS[name];
    expect(bytes).toBeLessThanOrEqual(budget);
    expect(outsideSdk).toBeLessThanOrEqual(outsideBudget);
  });

  it('bundles neither jsonschema nor the default credential chain', () => {
    const inputs = Object.values(outputs).flatMap((output) => Object.keys(output.inputs));
    expect(inputs.filter((input) => /node_modules\/(jsonschema|@aws-sdk\/(credential-provider-node|nested-clients))\//.test(input))).toEqual([]);
  });

  it('loads every bundle in a fresh Lambda-like process', async () => {
    const handlers: Record<string, string> = {};
    const queue = [...names];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let name = queue.shift(); name; name = queue.shift()) handlers[name] = await load(name);
      }),
    );
    expect(handlers).toEqual(Object.fromEntries(names.map((name) => [name, 'function'])));
  }, 60_000);

  it('runs ElectroDB and the SDK clients from a bundle (model validation off, credentials from the environment)', async () => {
    expect(await load('smoke-test')).toBe('function');
  }, 30_000);
});

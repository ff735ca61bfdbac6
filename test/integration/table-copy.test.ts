import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { client, unique } from './api.ts';
import { startStack, type RunningStack } from './stack.ts';
import { makeCustomerBody, makeOrderBody } from '../factories/index.ts';

/**
 * docs/operations.md "Export and import": the procedure proved on the local table. On a stack of its
 * own: a customer and its orders are made through HTTP, the table is exported with
 * `tools/table-copy.ts` (the command `npm run table-copy` runs), imported into a fresh table, and
 * the stack is started again on that table with the original one deleted. The same data reads
 * back through HTTP (the customer's login, its orders and their statuses), no email of the
 * outbox is sent a second time, and the order left waiting at its first gate goes on to completed.
 * On the same stack, docs/operations.md "A stuck order": `tools/order-resume.ts` gives an order
 * whose execution was stopped a new one.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_TABLE = 'cloud-license-portal';
const RESTORED_TABLE = unique('clp-restored');
const WAIT_MS = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The tool as an operator runs it (`npm run table-copy -- …` is `tsx tools/table-copy.ts …`). */
function tableCopy(args: string[]): Promise<Run> {
  // No AWS credentials from the environment: the tool must bring its own for DynamoDB Local.
  const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, AWS_PROFILE: _profile, ...env } = process.env;
  return runTool('tools/table-copy.ts', args, env);
}

function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), [tool, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

let stack: RunningStack;
let call: ReturnType<typeof client>['call'];
/** The table the stack runs on: the restored one once the first test has moved it there. */
let currentTable = SOURCE_TABLE;

beforeAll(async () => {
  stack = await startStack();
  call = client(stack.baseUrl).call;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

const signIn = async (login: string, password: string) => {
  const r = await call('POST', '/v1/auth/login', { body: { login, password } });
  if (r.status !== 200) throw new Error(`login ${login}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken as string;
};

async function waitOrder(orderId: string, until: (o: { status: string; waitingAt: string | null; workflow: { state: string } }) => boolean) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const r = await call('POST', `/_local/orders/${orderId}/wait?timeoutMs=${WAIT_MS}`);
    if (r.status !== 200) throw new Error(`wait ${orderId}: ${r.status} ${JSON.stringify(r.body)}`);
    if (until(r.body) || Date.now() > deadline) return r.body as { status: string; waitingAt: string | null; workflow: { state: string } };
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function firstOfferId(staff: string): Promise<string> {
  const products = await call('GET', `/v1/catalog/products?q=${encodeURIComponent('business basic')}`, { token: staff });
  return products.body.items[0].offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly').id as string;
}

describe('a table exported and imported into a fresh table runs the stack with the same data', () => {

  /** Every email SES accepted, after the outbox has been handed to the notifier. */
  async function sentEmails(): Promise<Array<{ destination: { to: string[] }; subject: string }>> {
    const r = await call('GET', '/_local/emails?wait');
    expect(r.status).toBe(200);
    return r.body.emails;
  }

  it('export → import into a fresh table → the stack on it: login, orders and statuses read back; the workflow goes on', async () => {
    let staff = await signIn(stack.adminLogin, stack.adminPassword);
    const offerId = await firstOfferId(staff);

    // A customer with an admin who signs in with a password, one order completed, one waiting at gate 1.
    const customerBody = makeCustomerBody();
    const created = await call('POST', '/v1/accounts', { token: staff, body: customerBody });
    expect(created.status).toBe(201);
    const accountId = created.body.account.id as string;
    const { login, password } = customerBody.admin;
    await signIn(login, password);
    const place = async (body: unknown) => {
      const r = await call('POST', `/v1/accounts/${accountId}/orders`, { token: staff, body, headers: { 'idempotency-key': unique('copy-key') } });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const completedId = await place(makeOrderBody(offerId, { autoProcess: true }));
    const waitingId = await place(makeOrderBody(offerId));
    expect((await waitOrder(completedId, (o) => o.workflow.state !== 'waiting')).status).toBe('completed');
    expect((await waitOrder(waitingId, (o) => o.waitingAt === 'open')).waitingAt).toBe('open');
    const before = await call('GET', `/v1/orders?accountId=${accountId}`, { token: staff });
    expect(before.status).toBe(200);
    const statusesBefore = Object.fromEntries(before.body.items.map((o: { id: string; status: string }) => [o.id, o.status]));
    expect(statusesBefore).toEqual({ [completedId]: 'completed', [waitingId]: 'new' });
    const historyBefore = (await call('GET', `/v1/orders/${completedId}`, { token: staff })).body.statusHistory;
    // The orders' emails have left the outbox, so the export holds them as sent.
    const emailsBefore = (await sentEmails()).filter((e) => e.destination.to.includes(login));
    expect(emailsBefore.length).toBeGreaterThan(0);

    // Export, then import into a table that does not exist yet.
    const file = join(stack.dataDir, 'backup.ndjson.gz');
    const exported = await tableCopy(['export', '--table', SOURCE_TABLE, '--file', file, '--endpoint', stack.dynamodbUrl]);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    const count = Number(/exported (\d+) items/.exec(exported.stdout)?.[1]);
    expect(count).toBeGreaterThan(0);

    const imported = await tableCopy(['import', '--table', RESTORED_TABLE, '--file', file, '--endpoint', stack.dynamodbUrl]);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toContain(`imported ${count} items`);

    // Import never writes into a table that exists, and a refused run changes nothing.
    const again = await tableCopy(['import', '--table', RESTORED_TABLE, '--file', file, '--endpoint', stack.dynamodbUrl]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`Table ${RESTORED_TABLE} exists`);
    const dynamo = new DynamoDBClient({ endpoint: stack.dynamodbUrl, region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const restored = (await dynamo.send(new DescribeTableCommand({ TableName: RESTORED_TABLE }))).Table!;
      // The definition of functions/data/table.ts: every index, and the stream turned on after the items.
      expect((restored.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort()).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5']);
      expect(restored.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });

      // The stack on the restored table only: the original is deleted once nothing runs on it.
      await stack.restart({ TABLE_NAME: RESTORED_TABLE });
      currentTable = RESTORED_TABLE;
      expect(stack.output()).toContain(`table ${RESTORED_TABLE}`);
      await dynamo.send(new DeleteTableCommand({ TableName: SOURCE_TABLE }));
    } finally {
      dynamo.destroy();
    }

    // The customer's admin signs in with the password kept in the export and sees its orders as they were.
    const customer = await signIn(login, password);
    const listed = await call('GET', '/v1/orders', { token: customer });
    expect(listed.status).toBe(200);
    expect(Object.fromEntries(listed.body.items.map((o: { id: string; status: string }) => [o.id, o.status]))).toEqual(statusesBefore);
    staff = await signIn(stack.adminLogin, stack.adminPassword);
    expect((await call('GET', `/v1/orders/${completedId}`, { token: staff })).body.statusHistory).toEqual(historyBefore);

    // The imported outbox was not taken for new: no email went out again (the SES emulator starts empty).
    expect((await sentEmails()).filter((e) => e.destination.to.includes(login))).toEqual([]);

    // The stack runs on it: the order waiting at gate 1 (its workflow resumed at start) goes on to completed.
    expect((await waitOrder(waitingId, (o) => o.waitingAt === 'open')).waitingAt).toBe('open');
    expect((await call('POST', `/v1/orders/${waitingId}/open`, { token: staff })).status).toBe(200);
    expect((await waitOrder(waitingId, (o) => o.waitingAt === 'provision')).waitingAt).toBe('provision');
    expect((await call('POST', `/v1/orders/${waitingId}/provision`, { token: staff })).status).toBe(202);
    const done = await waitOrder(waitingId, (o) => o.workflow.state !== 'waiting');
    expect({ status: done.status, workflow: done.workflow.state }).toEqual({ status: 'completed', workflow: 'succeeded' });

    // What it wrote is in the restored table's export, not lost with the deleted original.
    const after = join(stack.dataDir, 'after.ndjson');
    expect((await tableCopy(['export', '--table', RESTORED_TABLE, '--file', after, '--endpoint', stack.dynamodbUrl, '--segments', '1'])).code).toBe(0);
    const orderLines = readFileSync(after, 'utf8')
      .split('\n')
      .filter((line) => line.includes(waitingId) && line.includes('"completed"'));
    expect(orderLines.length).toBeGreaterThan(0);
  }, 420_000);
});

describe('tools/order-resume.ts', () => {
  const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:order-fulfillment';
  const orderResume = (args: string[]) =>
    runTool('tools/order-resume.ts', args, {
      ...process.env,
      AWS_REGION: stack.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbUrl,
      AWS_ENDPOINT_URL_SFN: stack.sfnUrl,
      TABLE_NAME: currentTable,
      STATE_MACHINE_ARN: stateMachineArn,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });

  it('gives an order whose execution was stopped a new one from its stored status, and leaves a running one alone', async () => {
    const staff = await signIn(stack.adminLogin, stack.adminPassword);
    const customer = await call('POST', '/v1/accounts', { token: staff, body: makeCustomerBody() });
    expect(customer.status).toBe(201);
    const placed = await call('POST', `/v1/accounts/${customer.body.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(await firstOfferId(staff)),
      headers: { 'idempotency-key': unique('resume-key') },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;
    expect((await waitOrder(orderId, (o) => o.waitingAt === 'open')).waitingAt).toBe('open');

    // Its execution is gone, as when one times out at a gate or is stopped in AWS.
    const sfn = new SFNClient({ endpoint: stack.sfnUrl, region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await sfn.send(new StopExecutionCommand({ executionArn: `arn:aws:states:us-east-1:000000000000:execution:order-fulfillment:${orderId}`, error: 'Test.Stopped' }));
    } finally {
      sfn.destroy();
    }
    expect((await waitOrder(orderId, () => true)).workflow.state).toBe('aborted');

    // Refused: no id, or not an order id; nothing is touched.
    expect((await orderResume([])).code).toBe(2);
    expect((await orderResume(['not-an-order'])).code).toBe(2);

    const resumed = await orderResume([orderId]);
    expect(resumed).toMatchObject({ code: 0 });
    expect(resumed.stdout).toContain(`${orderId}: resumed`);
    // The new execution parks the order at its gate again, and a second run leaves it alone.
    expect((await waitOrder(orderId, (o) => o.waitingAt === 'open')).workflow.state).toBe('waiting');
    expect((await orderResume([orderId])).stdout).toContain(`${orderId}: left alone: its execution is running`);

    // The gate takes it at once (no 409 "try again"), and the order completes on the new execution.
    expect((await call('POST', `/v1/orders/${orderId}/open`, { token: staff })).status).toBe(200);
    expect((await waitOrder(orderId, (o) => o.waitingAt === 'provision')).waitingAt).toBe('provision');
    expect((await call('POST', `/v1/orders/${orderId}/provision`, { token: staff })).status).toBe(202);
    const done = await waitOrder(orderId, (o) => o.workflow.state !== 'waiting');
    expect({ status: done.status, workflow: done.workflow.state }).toEqual({ status: 'completed', workflow: 'succeeded' });
  }, 240_000);
});

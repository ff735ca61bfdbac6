import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { jest } from '@jest/globals';
import { DynamoDBDocumentClient, DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

process.env.TABLE_NAME = 'unstarted-test';
process.env.AWS_REGION ??= 'eu-west-1';
process.env.STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:orders';

const { runUnstartedOrders, GRACE_MINUTES } = await import('../../functions/jobs/unstarted-orders.ts');
const { db } = await import('#data/entities.ts');
const { pendingChargeKeys, unstartedKeys } = await import('#data/due-keys.ts');
const { logger } = await import('#platform/logger.ts');
jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
jest.spyOn(logger, 'error').mockImplementation(() => undefined);

/**
 * The job that settles orders whose workflow start was lost (decision 53), on mocked clients: which
 * partitions and sort-key range it reads, and what it writes for an order whose execution exists,
 * and for one that already failed; and which pending charges it refunds. (Failing an order that
 * never started runs `failOrder`, covered end to end in
 * test/integration/reliability/workflow-faults.test.ts, with the sandbox gateway's refunds.)
 */
const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

const NOW = '2026-11-29T10:00:00.000Z';
const ORDER_ID = 'ord_01JD0000000000000000000000';

function orderItem(overrides: Record<string, unknown>): Record<string, unknown> {
  const order = {
    id: ORDER_ID,
    number: 'ORD-000001',
    accountId: 'acc_01JD0000000000000000000001',
    parentId: 'acc_01JD0000000000000000000002',
    rootId: 'acc_01JD0000000000000000000002',
    accountPath: ['acc_01JD0000000000000000000002', 'acc_01JD0000000000000000000001'],
    type: 'sales',
    status: 'new',
    statusHistory: [],
    lines: [],
    total: { amount: 0, currency: 'EUR' },
    domain: { domain: 'x.onmicrosoft.com' },
    domainId: 'dom_01JD0000000000000000000000',
    automatic: true,
    subscriptionIds: [],
    placedBy: { userId: 'usr_01JD0000000000000000000000' },
    selfService: false,
    createdAt: '2026-11-29T09:30:00.000Z',
    updatedAt: '2026-11-29T09:30:00.000Z',
    version: 1,
    ...unstartedKeys(ORDER_ID, '2026-11-29T09:30:00.000Z'),
    ...overrides,
  };
  return db().entities.order.put(order as never).params().Item as Record<string, unknown>;
}

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
});

const shardOfOrder = Number(unstartedKeys(ORDER_ID, NOW).dueKey.split('#')[1]);

it('reads every shard of the unstarted orders and of the pending charges, only what was written more than the grace ago', async () => {
  const result = await runUnstartedOrders({ time: NOW });
  const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
  expect(queries.map((q) => q.ExpressionAttributeValues?.[':pk'])).toEqual(['start#0', 'start#1', 'start#2', 'start#3', 'charge#0', 'charge#1', 'charge#2', 'charge#3']);
  for (const q of queries) {
    expect(q).toMatchObject({ IndexName: 'gsi4', KeyConditionExpression: '#pk = :pk AND #sk < :before', ExpressionAttributeNames: { '#pk': 'gsi4pk', '#sk': 'gsi4sk' } });
    expect(q.ExpressionAttributeValues?.[':before']).toBe(new Date(Date.parse(NOW) - GRACE_MINUTES * 60_000).toISOString());
  }
  expect(result).toMatchObject({ processed: 0, skipped: 0, recorded: 0, failed: 0, refunded: 0, done: true });
});

describe('with one unstarted order in the index', () => {
  beforeEach(() => {
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': `start#${shardOfOrder}` } }).resolves({ Items: [orderItem({})] });
  });

  it('records the execution of an order that started but was not recorded, and takes it out of the index', async () => {
    ddb.on(GetCommand).resolves({ Item: orderItem({}) });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    const result = await runUnstartedOrders({ time: NOW });
    expect(result).toMatchObject({ processed: 1, recorded: 1, failed: 0 });
    const arn = `arn:aws:states:eu-west-1:123456789012:execution:orders:${ORDER_ID}`;
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]!.args[0].input).toEqual({ executionArn: arn });
    const update = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(Object.values(update.ExpressionAttributeValues ?? {})).toContain(arn);
    expect(update.UpdateExpression).toMatch(/REMOVE #dueKey, #dueSort$/);
    expect(Object.values(update.ExpressionAttributeNames ?? {})).toEqual(expect.arrayContaining(['gsi4pk', 'gsi4sk']));
  });

  it('only takes an order that already failed out of the index, without failing it again', async () => {
    ddb.on(GetCommand).resolves({ Item: orderItem({ status: 'failed', failureReason: 'refused' }) });
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    const result = await runUnstartedOrders({ time: NOW });
    expect(result).toMatchObject({ processed: 0, skipped: 1, recorded: 0, failed: 0 });
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.UpdateExpression).toMatch(/REMOVE #dueKey, #dueSort$/);
    expect(updates[0]!.UpdateExpression).not.toMatch(/status|executionArn/);
    expect(Object.values(updates[0]!.ExpressionAttributeNames ?? {})).toEqual(expect.arrayContaining(['gsi4pk', 'gsi4sk']));
  });

  it('leaves an order whose execution cannot be looked up for the next run, goes on with the rest, and fails the run at the end', async () => {
    ddb.on(GetCommand).resolves({ Item: orderItem({}) });
    sfn.on(DescribeExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(runUnstartedOrders({ time: NOW })).rejects.toThrow(`1 item(s) not settled (${ORDER_ID})`);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    // The pending charges were still read.
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'])).toContain('charge#3');
  });
});

describe('with one pending charge in the index', () => {
  const chargeShard = pendingChargeKeys(ORDER_ID, NOW).dueKey;
  const pending = { reference: ORDER_ID, accountId: 'acc_01JD0000000000000000000001', amount: 1200, currency: 'EUR', createdAt: '2026-11-29T09:30:00.000Z' };
  beforeEach(() => {
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': chargeShard } }).resolves({ Items: [pending] });
  });
  const refunds = () => ddb.commandCalls(UpdateCommand).filter((c) => String(c.args[0].input.Key?.sk).startsWith('$gatewaycharge'));
  const claims = () => ddb.commandCalls(UpdateCommand).filter((c) => String(c.args[0].input.Key?.sk).startsWith('$pendingcharge'));
  const forgets = () => ddb.commandCalls(DeleteCommand).filter((c) => String(c.args[0].input.Key?.sk).startsWith('$pendingcharge'));

  it.each([
    ['was never written', undefined, true],
    ['failed', 'failed', true],
    ['was cancelled', 'cancelled', true],
    ['is live', 'provisioning', false],
    ['completed', 'completed', false],
  ])('when its order %s (status %s): refunded %s, and the pending charge forgotten', async (_what, status, refunded) => {
    ddb.on(GetCommand).resolves(status ? { Item: orderItem({ status }) } : {});
    const result = await runUnstartedOrders({ time: NOW });
    expect(result.refunded).toBe(refunded ? 1 : 0);
    expect(refunds()).toHaveLength(refunded ? 1 : 0);
    if (refunded) expect(refunds()[0]!.args[0].input.ExpressionAttributeValues).toEqual(expect.objectContaining({ ':status_u0': 'refunded' }));
    expect(claims()).toHaveLength(1);
    expect(forgets()).toHaveLength(1);
  });

  it('leaves a pending charge alone when it is gone by the time it is claimed (its order took it)', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const result = await runUnstartedOrders({ time: NOW });
    expect(result).toMatchObject({ refunded: 0, skipped: 1 });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(refunds()).toHaveLength(0);
    expect(forgets()).toHaveLength(0);
  });

  it('keeps the pending charge when the refund does not go through, and goes on', async () => {
    ddb.on(GetCommand).resolves({});
    const chargeKey = db().entities.gatewayCharge.get({ reference: ORDER_ID }).params().Key;
    ddb.on(UpdateCommand, { Key: chargeKey }).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    const result = await runUnstartedOrders({ time: NOW });
    expect(result).toMatchObject({ refunded: 0, skipped: 1, done: true });
    expect(forgets()).toHaveLength(0);
  });
});


describe('with one pending charge of an invoice payment in the index', () => {
  const REFERENCE = 'inv_01JD0000000000000000000000:pay-key-1';
  const INVOICE_ID = 'inv_01JD0000000000000000000000';
  const chargeShard = pendingChargeKeys(REFERENCE, NOW).dueKey;
  const pending = { reference: REFERENCE, accountId: 'acc_01JD0000000000000000000001', amount: 1200, currency: 'EUR', createdAt: '2026-11-29T09:30:00.000Z', invoiceId: INVOICE_ID };
  const pendingItem = db().entities.pendingCharge.put(pending).params().Item as Record<string, unknown>;
  const invoiceItem = (overrides: Record<string, unknown>) =>
    db()
      .entities.invoice.put({
        id: INVOICE_ID,
        number: 'INV-000001',
        accountId: pending.accountId,
        parentId: 'acc_01JD0000000000000000000002',
        rootId: 'acc_01JD0000000000000000000002',
        accountPath: ['acc_01JD0000000000000000000002', pending.accountId],
        status: 'unpaid',
        issuedAt: '2026-11-29T09:00:00.000Z',
        dueAt: '2026-12-26',
        lines: [],
        total: { amount: 1200, currency: 'EUR' },
        reason: 'purchase',
        createdAt: '2026-11-29T09:00:00.000Z',
        ...overrides,
      } as never)
      .params().Item as Record<string, unknown>;
  const refunds = () => ddb.commandCalls(UpdateCommand).filter((c) => String(c.args[0].input.Key?.sk).startsWith('$gatewaycharge'));
  const forgets = () => ddb.commandCalls(DeleteCommand).filter((c) => String(c.args[0].input.Key?.sk).startsWith('$pendingcharge'));
  const invoiceUpdates = () => ddb.commandCalls(UpdateCommand).filter((c) => String(c.args[0].input.Key?.sk).startsWith('$invoice'));

  beforeEach(() => {
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': chargeShard } }).resolves({ Items: [pending] });
    ddb.on(GetCommand, { Key: db().entities.pendingCharge.get({ reference: REFERENCE }).params().Key }).resolves({ Item: pendingItem });
  });

  it.each([
    ['paid with this charge', false, { status: 'paid', chargeReference: REFERENCE }],
    ['paid with another charge (this one lost the race)', true, { status: 'paid', chargeReference: 'inv_01JD0000000000000000000000:other' }],
    ['still unpaid (the payment stopped after charging)', true, {}],
    ['void after it was paid with this charge', true, { status: 'void', chargeReference: REFERENCE, refund: { amount: { amount: 1200, currency: 'EUR' }, reference: REFERENCE, requestedAt: NOW } }],
  ])('when its invoice is %s: refunded %s, and the pending charge forgotten', async (_what, refunded, invoice) => {
    ddb.on(GetCommand, { Key: db().entities.invoice.get({ id: INVOICE_ID }).params().Key }).resolves({ Item: invoiceItem(invoice) });
    const result = await runUnstartedOrders({ time: NOW });
    expect(result.refunded).toBe(refunded ? 1 : 0);
    expect(refunds()).toHaveLength(refunded ? 1 : 0);
    expect(forgets()).toHaveLength(1);
    // The order of the same id is never looked at: the charge belongs to its invoice.
    expect(ddb.commandCalls(GetCommand).map((c) => String(c.args[0].input.Key?.sk))).not.toContain('$order_1');
    // A void invoice's refund is recorded on it once made.
    const marks = invoiceUpdates().filter((c) => Object.values(c.args[0].input.ExpressionAttributeNames ?? {}).includes('refundedAt'));
    expect(marks).toHaveLength(refunded ? 1 : 0);
  });
});

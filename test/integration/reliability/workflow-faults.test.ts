import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { call, login, stack, staffLogin, unique, waitOrder } from '../api.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../../factories/index.ts';

/**
 * SPEC §6 "no order is left stuck", when Step Functions itself will not take an execution: the
 * local Step Functions service's fault switch (`/_local/faults/sfn`) makes StartExecution answer
 * 503 ServiceUnavailable. The order that was just written must not stay `new` with no workflow
 * behind it: it is failed at once (its domain name released, its invoice voided, its card charge
 * refunded), the request answers 503 `try_again`, and the same request sent again once the service
 * is back places an order that completes. On the shared stack: the switch is always turned back off.
 */
async function sfnFaults(refusing: boolean): Promise<{ refusing: boolean; refused: number }> {
  const r = await call('PUT', '/_local/faults/sfn', { body: { refusing } });
  if (r.status !== 200) throw new Error(`/_local/faults/sfn answered ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

describe('orders when Step Functions refuses to start executions', () => {
  let staff: string;
  let offerId: string;

  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });

  afterAll(async () => {
    await sfnFaults(false);
  });

  it('fails the written order at once, answers 503 try_again, and the retry places an order that completes', async () => {
    const customer = await createCustomer(staff);
    const body = makeOrderBody(offerId, { autoProcess: true });
    const key = unique('sfn-key');
    const place = () => call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': key } });

    const before = await sfnFaults(true);
    let refused;
    try {
      refused = await place();
    } finally {
      await sfnFaults(false);
    }
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('try_again');
    expect((await call('GET', '/_local/faults/sfn')).body.refused).toBeGreaterThan(before.refused);

    // Nothing is left waiting: the order that was written is failed with its reason, and its invoice void.
    const orders = (await call('GET', `/v1/orders?accountId=${customer.account.id}`, { token: staff })).body.items;
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('could not be started') });
    const invoices = (await call('GET', `/v1/invoices?accountId=${customer.account.id}`, { token: staff })).body.items;
    expect(invoices.map((i: { status: string }) => i.status)).toEqual(['void']);

    // The same request again, once Step Functions is back: the domain name was released, the order completes.
    const retried = await place();
    expect(retried.status).toBe(201);
    expect(retried.body.id).not.toBe(orders[0].id);
    const done = await waitOrder(retried.body.id);
    expect(done.status).toBe('completed');
  });

  it('refunds a checkout charged by card when its workflow cannot start', async () => {
    const customer = await createCustomer(staff);
    const admin = await login(customer.login, customer.password);
    const card = await call('POST', '/_local/payment-gateway/tokens', { body: { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123' } });
    const method = await call('POST', `/v1/accounts/${customer.account.id}/payment-methods`, { token: admin, body: { type: 'card', token: card.body.token, holderName: 'Ada Admin' } });
    expect(method.status).toBe(201);
    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId, quantity: 2 } })).status).toBe(201);
    const { domain, customerAgreement } = makeOrderBody(offerId);

    await sfnFaults(true);
    let refused;
    try {
      refused = await call('POST', '/v1/cart/checkout', { token: admin, body: { domain, paymentMethodId: method.body.id, customerAgreement }, headers: { 'idempotency-key': unique('sfn-checkout') } });
    } finally {
      await sfnFaults(false);
    }
    expect(refused.status).toBe(503);
    const orders = (await call('GET', '/v1/orders', { token: admin })).body.items;
    expect(orders).toHaveLength(1);
    expect(orders[0].status).toBe('failed');
    const invoices = (await call('GET', '/v1/invoices', { token: admin })).body.items;
    expect(invoices.map((i: { status: string }) => i.status)).toEqual(['void']);
    // The sandbox gateway's own record of the charge (its reference is the order id): refunded.
    const dynamo = new DynamoDBClient({ endpoint: stack().dynamodbUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const charge = await dynamo.send(
        new GetItemCommand({ TableName: 'cloud-license-portal', Key: { pk: { S: `$clp#reference_${orders[0].id.toLowerCase()}` }, sk: { S: '$gatewaycharge_1' } } }),
      );
      expect(charge.Item?.status?.S).toBe('refunded');
    } finally {
      dynamo.destroy();
    }
  });
});

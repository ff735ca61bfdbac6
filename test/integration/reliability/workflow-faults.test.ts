import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { call, login, staffLogin, unique, waitOrder } from '../api.ts';
import { itemsWhere, TABLE, withTable } from '../table.ts';
import { cardToken, createCustomer, firstOffer, makeOrderBody } from '../../factories/index.ts';

/**
 * docs/product.md#quality-bars "no order is left stuck", when Step Functions itself will not take an execution: the
 * local Step Functions service's fault switch (`/_local/faults/sfn`) makes StartExecution answer
 * 503 ServiceUnavailable. The order that was just written must not stay `new` with no workflow
 * behind it: it is failed at once (its domain name released, its invoice voided, its card charge
 * refunded), the request answers 503 `try_again`, and the same request sent again once the service
 * is back places an order that completes. On the shared stack: the switch is always turned back off.
 */
type SfnFaults = { refusing: boolean; refused: number; hanging: false | 'before-start' | 'after-start'; hung: number };

async function sfnFaults(change: boolean | Partial<Pick<SfnFaults, 'refusing' | 'hanging'>>): Promise<SfnFaults> {
  const r = await call('PUT', '/_local/faults/sfn', { body: typeof change === 'boolean' ? { refusing: change } : change });
  if (r.status !== 200) throw new Error(`/_local/faults/sfn answered ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The order's item as stored: whether it still sits in the unstarted orders' index, and its execution. */
const stored = (orderId: string) =>
  withTable(async (dynamo) => {
    const item = (await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `$clp#id_${orderId.toLowerCase()}` }, sk: { S: '$order_1' } }, ConsistentRead: true }))).Item;
    return { unstarted: item?.gsi4pk?.S, executionArn: item?.executionArn?.S };
  });


/**
 * The job `unstartedOrders` as EventBridge Scheduler would run it `minutes` from now (the local
 * clock's). Other suites' orders share the index, so counts are "at least" where this suite's
 * order is one of them.
 */
async function sweep(minutes: number) {
  const now = Date.parse((await call('GET', '/_local/clock')).body.now);
  const r = await call('POST', `/_local/jobs/unstartedOrders?time=${new Date(now + minutes * 60_000).toISOString()}`);
  if (r.status !== 200) throw new Error(`unstartedOrders: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { processed: number; recorded: number; failed: number; refunded: number; skipped: number };
}

let staff: string;
let offerId: string;

beforeAll(async () => {
  staff = await staffLogin();
  offerId = (await firstOffer(staff)).offer.id;
});

// On the shared stack: the switch is always turned back off.
afterAll(async () => {
  await sfnFaults({ refusing: false, hanging: false });
});

describe('orders when Step Functions refuses to start executions', () => {

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
    // Both left the unstarted orders' index: one failed, one started and recorded.
    expect(await stored(orders[0].id)).toEqual({ unstarted: undefined, executionArn: undefined });
    expect(await stored(retried.body.id)).toEqual({ unstarted: undefined, executionArn: expect.stringContaining(retried.body.id) });
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
    const charge = await withTable((dynamo) =>
      dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `$clp#reference_${orders[0].id.toLowerCase()}` }, sk: { S: '$gatewaycharge_1' } } })),
    );
    expect(charge.Item?.status?.S).toBe('refunded');
  });
});

/**
 * docs/product.md#quality-bars "no order is left stuck", when the process that wrote an order stops before it started
 * the order's workflow, or after starting it but before recording it: the switch's `hanging` makes
 * StartExecution never answer, so the orders function times out right there, like a Lambda
 * timeout. The job `unstartedOrders` (every 5 minutes in AWS) then fails the order that never
 * started (its client got no 201) and records the execution of the one that did, which goes on.
 */
describe('orders whose workflow start was lost', () => {
  afterEach(async () => {
    await sfnFaults({ hanging: false });
  });

  async function placeWhileHanging(hanging: 'before-start' | 'after-start') {
    const customer = await createCustomer(staff);
    const before = await sfnFaults({ hanging });
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(offerId, { autoProcess: true }),
      headers: { 'idempotency-key': unique('hang') },
    });
    await sfnFaults({ hanging: false });
    // The function timed out mid-request: the gateway's own answer, in the API error shape (the outcome is unknown).
    expect([placed.status, placed.body?.error?.code]).toEqual([503, 'try_again']);
    expect((await call('GET', '/_local/faults/sfn')).body.hung).toBe(before.hung + 1);
    const orders = (await call('GET', `/v1/orders?accountId=${customer.account.id}`, { token: staff })).body.items;
    expect(orders).toHaveLength(1);
    return { customer, order: orders[0] as { id: string; status: string } };
  }

  it('fails an order whose workflow never started, once it is older than any invocation, and only then', async () => {
    const { customer, order } = await placeWhileHanging('before-start');
    expect(order.status).toBe('new');
    expect(await stored(order.id)).toEqual({ unstarted: expect.stringMatching(/^start#\d$/), executionArn: undefined });
    // Written moments ago: a live invocation could still start it, so the job leaves it.
    await sweep(0);
    expect((await call('GET', `/v1/orders/${order.id}`, { token: staff })).body.status).toBe('new');

    const settled = await sweep(17);
    expect(settled.failed).toBeGreaterThanOrEqual(1);
    const failed = (await call('GET', `/v1/orders/${order.id}`, { token: staff })).body;
    expect(failed).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('was not started') });
    const invoices = (await call('GET', `/v1/invoices?accountId=${customer.account.id}`, { token: staff })).body.items;
    expect(invoices.map((i: { status: string }) => i.status)).toEqual(['void']);
    expect(await stored(order.id)).toEqual({ unstarted: undefined, executionArn: undefined });
    // Settled orders leave the index: a second run finds nothing of this order.
    expect(await sweep(18)).toMatchObject({ processed: 0, failed: 0, recorded: 0 });
  });

  it('records the execution of an order that started but was not recorded, and the order completes', async () => {
    const { order } = await placeWhileHanging('after-start');
    const settled = await sweep(17);
    expect(settled.recorded).toBeGreaterThanOrEqual(1);
    expect(await stored(order.id)).toEqual({ unstarted: undefined, executionArn: expect.stringMatching(new RegExp(`:execution:[^:]+:${order.id}$`)) });
    const done = await waitOrder(order.id);
    expect(done.status).toBe('completed');
    expect(await sweep(18)).toMatchObject({ processed: 0, failed: 0, recorded: 0 });
  });
});

/**
 * A card charge must not stand without its order (docs/product.md#billing, docs/product.md#quality-bars). The sandbox gateway's test cards
 * (functions/platform/payments/sandbox.ts): `…0119` is charged but the answer is lost; `…0127` is
 * charged and the call never returns, so the function times out between the charge and the order's
 * write. A pending charge recorded before every card charge is what the job finds and refunds.
 */
describe('card charges whose order was never written', () => {
  async function checkoutWith(cardNumber: string, opts: { settings?: Record<string, unknown>; prefix?: string } = {}) {
    const customer = await createCustomer(staff, opts.settings ? { settings: opts.settings } : {});
    const admin = await login(customer.login, customer.password);
    const gatewayToken = await cardToken(cardNumber);
    const method = await call('POST', `/v1/accounts/${customer.account.id}/payment-methods`, { token: admin, body: { type: 'card', token: gatewayToken, holderName: 'Ada Admin' } });
    expect(method.status).toBe(201);
    const methodId = method.body.id as string;
    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId, quantity: 2 } })).status).toBe(201);
    const { domain, customerAgreement } = makeOrderBody(offerId);
    if (opts.prefix) (domain as { prefix: string }).prefix = opts.prefix;
    const answer = await call('POST', '/v1/cart/checkout', {
      token: admin,
      body: { domain, paymentMethodId: methodId, customerAgreement },
      headers: { 'idempotency-key': unique('charge') },
    });
    const pending = await itemsWhere('pendingCharge', 'accountId', customer.account.id);
    const orders = (await call('GET', '/v1/orders', { token: admin })).body.items;
    /** The sandbox gateway's own records of this card's charges: reference and status. */
    const charges = async () =>
      (await itemsWhere('gatewayCharge', 'token', gatewayToken)).map((c) => ({ reference: c.reference?.S, status: c.status?.S }));
    return { customer, admin, answer, pending, orders, charges };
  }

  it('leaves no pending charge behind a checkout that went through', async () => {
    const { answer, pending, charges } = await checkoutWith('4242424242424242');
    expect(answer.status).toBe(201);
    expect(pending).toEqual([]);
    expect(await charges()).toEqual([{ reference: answer.body.id, status: 'succeeded' }]);
  });

  it('refunds at once a charge the processor did not confirm, and answers 503 try_again with nothing ordered', async () => {
    const { answer, pending, orders, customer, charges } = await checkoutWith('4000000000000119');
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('try_again');
    expect(answer.body.error.message).toMatch(/payment could not be confirmed/);
    expect(orders).toEqual([]);
    expect(pending).toEqual([]);
    expect(await charges()).toEqual([{ reference: expect.stringMatching(/^ord_/), status: 'refunded' }]);
    expect((await call('GET', `/v1/invoices?accountId=${customer.account.id}`, { token: staff })).body.items).toEqual([]);
  });

  it('refunds, by the job, a charge whose function stopped before the order was written', async () => {
    const { answer, pending, orders, charges } = await checkoutWith('4000000000000127');
    // The function timed out inside the charge: the gateway's own 503 try_again, no order, the charge taken.
    expect([answer.status, answer.body?.error?.code]).toEqual([503, 'try_again']);
    expect(orders).toEqual([]);
    expect(pending).toHaveLength(1);
    const reference = pending[0]!.reference!.S!;
    expect(pending[0]!.gsi4pk?.S).toMatch(/^charge#\d$/);
    expect(await charges()).toEqual([{ reference, status: 'succeeded' }]);

    // Younger than any invocation: left alone.
    await sweep(0);
    expect(await charges()).toEqual([{ reference, status: 'succeeded' }]);
    const settled = await sweep(17);
    expect(settled.refunded).toBeGreaterThanOrEqual(1);
    expect(await charges()).toEqual([{ reference, status: 'refunded' }]);
    expect(await itemsWhere('pendingCharge', 'reference', reference)).toEqual([]);
    expect(await sweep(18)).toMatchObject({ refunded: 0 });
  });

  it('refunds the charge of a card order the vendor refused, and of one the customer cancelled, and keeps nothing owed', async () => {
    const refused = await checkoutWith('4242424242424242', { prefix: unique('fail-card').toLowerCase() });
    expect(refused.answer.status).toBe(201);
    expect((await waitOrder(refused.answer.body.id)).status).toBe('failed');
    expect(await refused.charges()).toEqual([{ reference: refused.answer.body.id, status: 'refunded' }]);
    expect(await itemsWhere('pendingCharge', 'reference', refused.answer.body.id)).toEqual([]);

    const cancelled = await checkoutWith('4242424242424242', { settings: { orderProcessing: 'manual' } });
    expect(cancelled.answer.status).toBe(201);
    expect((await call('POST', `/v1/orders/${cancelled.answer.body.id}/cancel`, { token: cancelled.admin })).status).toBe(200);
    expect(await cancelled.charges()).toEqual([{ reference: cancelled.answer.body.id, status: 'refunded' }]);
    expect(await itemsWhere('pendingCharge', 'reference', cancelled.answer.body.id)).toEqual([]);
  });
});

import { scaled } from './scale.ts';
import { call, login, staffLogin, unique, waitOrder } from './api.ts';
import { addCard, createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';

/** docs/product.md#api-conventions Idempotency-Key on POST /v1/accounts/{id}/orders. */
describe('Idempotency-Key on staff orders', () => {
  let staff: string;
  let offerId: string;
  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });

  const countOrders = async (accountId: string) => (await call('GET', `/v1/orders?accountId=${accountId}&limit=100`, { token: staff })).body.items.length;

  it('answers the same key and body with the first order, another body with 422, and no key with 400', async () => {
    const customer = await createCustomer(staff);
    const key = unique('idem');
    const body = makeOrderBody(offerId);
    const first = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const again = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.number).toBe(first.body.number);

    const other = await call('POST', `/v1/accounts/${customer.account.id}/orders`, {
      token: staff,
      body: { ...body, lines: [{ offerId, quantity: 9 }] },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');

    const none = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: makeOrderBody(offerId) });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('validation_failed');
    expect(await countOrders(customer.account.id)).toBe(1);
    await waitOrder(first.body.id);
  });

  const BURST = scaled(20, 100);
  it(`makes one order from ${BURST} parallel requests with one key`, async () => {
    const customer = await createCustomer(staff);
    const key = unique('burst');
    const body = makeOrderBody(offerId);
    const replies = await Promise.all(
      Array.from({ length: BURST }, () =>
        call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': key } }),
      ),
    );
    const created = replies.filter((r) => r.status === 201);
    const inProgress = replies.filter((r) => r.status === 409);
    expect(created.length + inProgress.length).toBe(BURST);
    for (const r of inProgress) expect(r.body.error.code).toBe('idempotency_in_progress');
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(await countOrders(customer.account.id)).toBe(1);
  });
});

/**
 * docs/product.md#api-conventions, docs/product.md#quality-bars "an idempotency key never makes two orders", when the first attempt's answer is
 * lost: the local Step Functions fault switch makes the function hang right after StartExecution
 * until it times out (as a Lambda timeout after the order's write would), so the client gets no
 * answer of ours while the order stands. The retry with the same key answers that order; with
 * another body, 422. The switch hangs only the lost attempt's own executions (its
 * `x-correlation-id`), so the other files on the shared stack go on being served meanwhile.
 */
describe('Idempotency-Key after a first attempt whose answer was lost', () => {
  let staff: string;
  let offerId: string;
  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });

  const sfnHanging = async (hanging: false | 'after-start', correlationId: string) => {
    const r = await call('PUT', '/_local/faults/sfn', { body: { hanging, correlationId } });
    if (r.status !== 200) throw new Error(`/_local/faults/sfn answered ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { hanging: unknown; hangingFor: Record<string, string>; hung: number };
  };

  /**
   * Sends `send` once (with the headers it is given) while the workflow start hangs for this
   * attempt's correlation id only: the function times out, the gateway answers for it.
   */
  async function lostAnswer(send: (headers: Record<string, string>) => ReturnType<typeof call>, meanwhile?: () => Promise<void>) {
    const correlationId = unique('lost-attempt');
    const set = await sfnHanging('after-start', correlationId);
    expect([set.hanging, set.hangingFor[correlationId]]).toEqual([false, 'after-start']);
    let lost;
    try {
      [lost] = await Promise.all([send({ 'x-correlation-id': correlationId }), meanwhile?.()]);
    } finally {
      await sfnHanging(false, correlationId);
    }
    expect(lost.status).toBeGreaterThanOrEqual(500);
    // It was this attempt's start that hung: the switch counted it.
    expect((await call('GET', '/_local/faults/sfn')).body.hung).toBeGreaterThan(set.hung);
    return lost;
  }

  it('answers the staff order the timed-out attempt made, makes no second order, and refuses another body with 422', async () => {
    const customer = await createCustomer(staff);
    const key = unique('lost');
    const body = makeOrderBody(offerId, { autoProcess: true });
    const place = (b: unknown, headers: Record<string, string> = {}) =>
      call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: b, headers: { 'idempotency-key': key, ...headers } });
    // While this attempt hangs, another client's order (its own correlation id) is placed and completes.
    const bystander = async () => {
      const other = await createCustomer(staff);
      const placed = await call('POST', `/v1/accounts/${other.account.id}/orders`, {
        token: staff,
        body: makeOrderBody(offerId, { autoProcess: true }),
        headers: { 'idempotency-key': unique('k'), 'x-correlation-id': unique('bystander') },
      });
      expect(placed.status).toBe(201);
      expect((await waitOrder(placed.body.id)).status).toBe('completed');
    };
    await lostAnswer((headers) => place(body, headers), bystander);

    const retried = await place(body);
    expect(retried.status).toBe(201);
    const orders = (await call('GET', `/v1/orders?accountId=${customer.account.id}&limit=100`, { token: staff })).body.items;
    expect(orders).toHaveLength(1);
    expect(retried.body.id).toBe(orders[0].id);
    expect(retried.body.number).toBe(orders[0].number);
    const invoices = (await call('GET', `/v1/invoices?accountId=${customer.account.id}`, { token: staff })).body.items;
    expect(invoices).toHaveLength(1);

    const again = await place(body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(orders[0].id);

    const other = await place({ ...body, lines: [{ offerId, quantity: 9 }] });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await call('GET', `/v1/orders?accountId=${customer.account.id}&limit=100`, { token: staff })).body.items).toHaveLength(1);
  });

  it('answers the checkout the timed-out attempt made and charged, without a second order or charge', async () => {
    const customer = await createCustomer(staff);
    const admin = await login(customer.login, customer.password);
    const paymentMethodId = await addCard(admin, customer.account.id);
    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId, quantity: 2 } })).status).toBe(201);
    const { domain, customerAgreement } = makeOrderBody(offerId);
    const key = unique('lost-checkout');
    const body = { domain, paymentMethodId, customerAgreement };
    const checkout = (b: unknown, headers: Record<string, string> = {}) => call('POST', '/v1/cart/checkout', { token: admin, body: b, headers: { 'idempotency-key': key, ...headers } });
    await lostAnswer((headers) => checkout(body, headers));

    const retried = await checkout(body);
    expect(retried.status).toBe(201);
    const orders = (await call('GET', '/v1/orders', { token: admin })).body.items;
    expect(orders).toHaveLength(1);
    expect(retried.body.id).toBe(orders[0].id);
    const invoices = (await call('GET', '/v1/invoices', { token: admin })).body.items;
    expect(invoices).toHaveLength(1);
    expect(invoices[0].status).toBe('paid');

    const other = await checkout({ ...body, domain: makeOrderBody(offerId).domain });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await call('GET', '/v1/orders', { token: admin })).body.items).toHaveLength(1);
  });

  it('answers the quantity change the timed-out attempt made, without a second change order', async () => {
    const customer = await createCustomer(staff);
    const admin = await login(customer.login, customer.password);
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(offerId, { autoProcess: true }),
      headers: { 'idempotency-key': unique('k') },
    });
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    const subId = done.subscriptionIds[0] as string;
    const key = unique('lost-quantity');
    const change = (quantity: number, headers: Record<string, string> = {}) =>
      call('POST', `/v1/subscriptions/${subId}/quantity`, { token: admin, body: { quantity }, headers: { 'idempotency-key': key, ...headers } });
    await lostAnswer((headers) => change(7, headers));

    const retried = await change(7);
    expect(retried.status).toBe(202);
    const changes = (await call('GET', `/v1/orders?accountId=${customer.account.id}&type=change`, { token: admin })).body.items;
    expect(changes).toHaveLength(1);
    expect(retried.body.id).toBe(changes[0].id);
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.quantity).toBe(7);

    const other = await change(8);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await call('GET', `/v1/orders?accountId=${customer.account.id}&type=change`, { token: admin })).body.items).toHaveLength(1);
  });
});

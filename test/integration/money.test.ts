import { call, login, staffLogin, unique, waitOrder } from './api.ts';
import { itemsWhere } from './table.ts';
import { cardToken, createCustomer, createProduct, firstOffer, makeOrderBody, makeProductBody } from '../factories/index.ts';

/**
 * docs/product.md#api-conventions "Money never moves twice": an invoice is charged at most once whatever the keys or
 * the concurrency, and a charge is always either attached to a live order/invoice or refunded
 * (docs/product.md#orders-and-the-fulfillment-workflow: a failed or cancelled order voids its invoice and refunds any charge). Also the bounds
 * on prices and quantities, so no total can overflow.
 */
/** The sandbox gateway's own records of a card token's charges. */
async function gatewayCharges(gatewayToken: string): Promise<Array<{ reference?: string; status?: string }>> {
  const items = await itemsWhere('gatewayCharge', 'token', gatewayToken);
  return items.map((c) => ({ reference: c.reference?.S, status: c.status?.S }));
}

let staff: string;
let offerId: string;
/** Several rounds of parallel requests: generous on a slow, shared machine (nothing is asserted on time). */
const ROUNDS_TIMEOUT = 600_000;

beforeAll(async () => {
  staff = await staffLogin();
  offerId = (await firstOffer(staff)).offer.id;
});

/** A customer with a card and a staff order waiting at gate 1, its invoice unpaid. */
async function unpaidOrder(opts: { prefix?: string } = {}) {
  const customer = await createCustomer(staff);
  const admin = await login(customer.login, customer.password);
  const gatewayToken = await cardToken('4242424242424242');
  const method = await call('POST', `/v1/accounts/${customer.account.id}/payment-methods`, { token: admin, body: { type: 'card', token: gatewayToken, holderName: 'Ada Admin' } });
  expect(method.status).toBe(201);
  const body = makeOrderBody(offerId);
  if (opts.prefix) (body.domain as { prefix: string }).prefix = opts.prefix;
  const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': unique('money') } });
  expect(placed.status).toBe(201);
  const invoiceId = placed.body.invoiceId as string;
  expect((await call('GET', `/v1/invoices/${invoiceId}`, { token: admin })).body.status).toBe('unpaid');
  const pay = (key = unique('pay')) => call('POST', `/v1/invoices/${invoiceId}/pay`, { token: admin, body: { paymentMethodId: method.body.id }, headers: { 'idempotency-key': key } });
  const invoice = async () => (await call('GET', `/v1/invoices/${invoiceId}`, { token: admin })).body;
  return { customer, admin, order: placed.body, invoiceId, gatewayToken, pay, invoice, total: placed.body.total as { amount: number; currency: string } };
}

describe('paying an invoice', () => {
  it('charges an invoice once when parallel pays carry different Idempotency-Keys; the others answer 409 invalid_state', async () => {
    for (let round = 0; round < 3; round++) {
      const { pay, invoice, gatewayToken, total } = await unpaidOrder();
      const replies = await Promise.all(Array.from({ length: 6 }, () => pay()));
      const statuses = replies.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      for (const r of replies.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(409);
        expect(r.body.error.code).toBe('invalid_state');
      }
      // One charge stands at the gateway; any other one made was refunded before its request answered.
      const charges = await gatewayCharges(gatewayToken);
      expect(charges.filter((c) => c.status === 'succeeded')).toHaveLength(1);
      expect(charges.every((c) => c.status === 'succeeded' || c.status === 'refunded')).toBe(true);
      expect(await invoice()).toMatchObject({ status: 'paid', total, refund: null });
    }
  }, ROUNDS_TIMEOUT);

  it('answers a pay retried under the same Idempotency-Key with the first answer, charging once; another body under it is 422', async () => {
    const { pay, invoice, gatewayToken, invoiceId, admin } = await unpaidOrder();
    const key = unique('pay');
    const unpaid = await invoice();
    const first = await pay(key);
    expect(first.status).toBe(200);
    // Paying changed the invoice: its version (the ETag) moved on.
    expect(first.body.version).toBe(unpaid.version + 1);
    expect(first.headers.get('etag')).toBe(`"${first.body.version}"`);
    const again = await pay(key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await call('POST', `/v1/invoices/${invoiceId}/pay`, { token: admin, body: { paymentMethodId: 'pm_01JD0000000000000000000000' }, headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await gatewayCharges(gatewayToken)).map((c) => c.status)).toEqual(['succeeded']);
    expect(await invoice()).toMatchObject({ status: 'paid', version: first.body.version });
  });

  it('refunds a paid invoice when its order is cancelled, and records the refund on the invoice', async () => {
    const { pay, invoice, gatewayToken, order, total } = await unpaidOrder();
    const paid = await pay();
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('paid');
    const cancelled = await call('POST', `/v1/orders/${order.id}/cancel`, { token: staff });
    expect(cancelled.status).toBe(200);
    expect(await invoice()).toMatchObject({ status: 'void', paidAt: expect.any(String), refund: { amount: total, refundedAt: expect.any(String) } });
    const charges = await gatewayCharges(gatewayToken);
    expect(charges).toHaveLength(1);
    expect(charges[0]!.status).toBe('refunded');
    // A void invoice is not paid again.
    const again = await pay();
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invalid_state');
    expect((await gatewayCharges(gatewayToken)).filter((c) => c.status === 'succeeded')).toEqual([]);
  });

  it('never ends with a cancelled order and a kept charge when pay races cancel', async () => {
    for (let round = 0; round < 6; round++) {
      const { pay, invoice, gatewayToken, order } = await unpaidOrder();
      const [paid, cancelled] = await Promise.all([pay(), call('POST', `/v1/orders/${order.id}/cancel`, { token: staff })]);
      expect([200, 409]).toContain(paid.status);
      expect(cancelled.status).toBe(200);
      expect((await call('GET', `/v1/orders/${order.id}`, { token: staff })).body.status).toBe('cancelled');
      const after = await invoice();
      expect(after.status).toBe('void');
      const charges = await gatewayCharges(gatewayToken);
      expect(charges.filter((c) => c.status === 'succeeded')).toEqual([]);
      // The invoice was paid before it was voided: its refund is on it.
      if (paid.status === 200) expect(after.refund).toMatchObject({ amount: after.total, refundedAt: expect.any(String) });
    }
  }, ROUNDS_TIMEOUT);

  it('refunds a paid invoice when the workflow fails its order', async () => {
    const { pay, invoice, gatewayToken, order, total } = await unpaidOrder({ prefix: unique('fail').toLowerCase() });
    expect((await pay()).status).toBe(200);
    await waitOrder(order.id);
    expect((await call('POST', `/v1/orders/${order.id}/open`, { token: staff })).status).toBe(200);
    await waitOrder(order.id);
    expect((await call('POST', `/v1/orders/${order.id}/provision`, { token: staff })).status).toBe(202);
    expect((await waitOrder(order.id)).status).toBe('failed');
    expect(await invoice()).toMatchObject({ status: 'void', refund: { amount: total, refundedAt: expect.any(String) } });
    expect((await gatewayCharges(gatewayToken)).map((c) => c.status)).toEqual(['refunded']);
  });
});

describe('bounded prices and quantities (no total can overflow)', () => {
  it('refuses a price that price × maximum quantity × 36 months cannot hold, creating nothing', async () => {
    const body = makeProductBody({ offers: [{ term: 'P1Y', billingPeriod: 'monthly', price: { amount: Number.MAX_SAFE_INTEGER, currency: 'EUR' } }] });
    const refused = await call('POST', '/v1/catalog/products', { token: staff, body });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    const found = await call('GET', `/v1/catalog/products?q=${encodeURIComponent(body.name)}`, { token: staff });
    expect(found.body.items).toEqual([]);

    const product = await createProduct(staff);
    const edit = await call('PATCH', `/v1/catalog/products/${product.id}`, { token: staff, body: { offers: [{ id: product.offers[0]!.id, price: { amount: 2 ** 40, currency: 'EUR' } }] } });
    expect(edit.status).toBe(400);
    expect(edit.body.error.code).toBe('validation_failed');
    const added = await call('PATCH', `/v1/catalog/products/${product.id}`, { token: staff, body: { addOffers: [{ term: 'P3Y', billingPeriod: 'annual', price: { amount: 2 ** 40, currency: 'EUR' } }] } });
    expect(added.status).toBe(400);
    const tooMany = await call('POST', '/v1/catalog/products', { token: staff, body: makeProductBody({ maxQuantity: 10_000_001 }) });
    expect(tooMany.status).toBe(400);
  });

  it('answers cart and order routes without a 500 at the largest price and quantities', async () => {
    // The largest price the catalog takes, on a product sold in its largest quantities.
    let price = 1;
    let bigOffer = '';
    for (const candidate of [1e12, 1e11, 1e10, 1e9, 5e8, 2.5e8, 1e8, 1e7]) {
      const r = await call('POST', '/v1/catalog/products', { token: staff, body: makeProductBody({ minQuantity: 1, maxQuantity: 1_000_000, offers: [{ term: 'P1Y', billingPeriod: 'monthly', price: { amount: candidate, currency: 'EUR' } }] }) });
      if (r.status === 201) {
        price = candidate;
        bigOffer = r.body.offers[0].id as string;
        break;
      }
      expect(r.status).toBe(400);
    }
    expect(price).toBeGreaterThan(1);
    expect(price * 1_000_000 * 36).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);

    const customer = await createCustomer(staff);
    const admin = await login(customer.login, customer.password);
    const add = await call('POST', '/v1/cart/items', { token: admin, body: { offerId: bigOffer, quantity: 100_000 } });
    expect(add.status).toBe(201);
    const more = await call('POST', '/v1/cart/items', { token: admin, body: { offerId: bigOffer, quantity: 100_000 } });
    expect(more.status).toBeLessThan(500);
    const cart = await call('GET', '/v1/cart', { token: admin });
    expect(cart.status).toBe(200);
    expect(Number.isSafeInteger(cart.body.total.amount)).toBe(true);
    const line = cart.body.items[0];
    const raise = await call('PATCH', `/v1/cart/items/${line.id}`, { token: admin, body: { quantity: 1_000_000 } });
    expect(raise.status).toBeLessThan(500);
    expect((await call('GET', '/v1/cart', { token: admin })).status).toBe(200);

    const order = await call('POST', `/v1/accounts/${customer.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(bigOffer, { lines: [{ offerId: bigOffer, quantity: 100_000 }] }),
      headers: { 'idempotency-key': unique('big') },
    });
    expect(order.status).toBe(201);
    expect(order.body.total.amount).toBe(price * 100_000);
    const huge = await call('POST', `/v1/accounts/${customer.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(bigOffer, { lines: [{ offerId: bigOffer, quantity: Number.MAX_SAFE_INTEGER }] }),
      headers: { 'idempotency-key': unique('big') },
    });
    expect(huge.status).toBe(400);
  });
});

import { call, login, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { addCard, createCustomer, createProduct, makeOrderBody } from '../factories/index.ts';

/**
 * Scheduled changes at renewal (docs/product.md#scheduled-changes-at-renewal) and the suspended
 * subscription that never renews, over HTTP, driven by the local clock and the renewals and
 * dunning jobs (`POST /_local/jobs/{name}` runs a job for the clock's day). Days are in 2030 so
 * the jobs meet few subscriptions of other files.
 */
const setClock = (iso: string) => call('PUT', '/_local/clock', { body: { now: iso } });
const job = async (name: string) => {
  const r = await call('POST', `/_local/jobs/${name}`);
  if (r.status !== 200) throw new Error(`job ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { processed: number; skipped: number };
};

type Offer = { id: string; term: string; billingPeriod: string; price: { amount: number; currency: string } };
type Product = { id: string; name: string; offers: Offer[] };

async function product(token: string, q: string): Promise<Product> {
  const r = await call('GET', `/v1/catalog/products?q=${encodeURIComponent(q)}`, { token });
  return r.body.items.find((p: Product) => p.name.toLowerCase() === `microsoft 365 ${q}`);
}
const offerOf = (p: Product, term: string, billingPeriod: string) => p.offers.find((o) => o.term === term && o.billingPeriod === billingPeriod)!;

describe('scheduled changes at renewal', () => {
  let staff: string;
  let basic: Product;
  let standard: Product;

  beforeAll(async () => {
    staff = await staffLogin();
    basic = await product(staff, 'business basic');
    standard = await product(staff, 'business standard');
  });
  afterEach(() => call('DELETE', '/_local/clock'));

  /** A customer with a card and a monthly Business Basic subscription of `quantity` bought on `day`. */
  async function subscribed(day: string, quantity = 5) {
    await setClock(`${day}T09:00:00Z`);
    // Tokens are issued on the clock's time: a new one for the day.
    staff = await staffLogin();
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const offer = offerOf(basic, 'P1M', 'monthly');
    const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(offer.id, { lines: [{ offerId: offer.id, quantity }], autoProcess: true }),
      headers: { 'idempotency-key': unique('k') },
    });
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    return { c, admin, subId: done.subscriptionIds[0] as string, order: placed.body };
  }

  const put = (token: string, subId: string, body: unknown, headers: Record<string, string> = {}) =>
    call('PUT', `/v1/subscriptions/${subId}/scheduled-change`, { token, body, headers });
  const drop = (token: string, subId: string) => call('DELETE', `/v1/subscriptions/${subId}/scheduled-change`, { token });
  const get = async (token: string, subId: string) => (await call('GET', `/v1/subscriptions/${subId}`, { token })).body;

  it('sets, replaces and drops the change; the quantity part is the one "effective": "renewal" sets', async () => {
    const { admin, subId } = await subscribed('2030-01-10');
    const yearly = offerOf(standard, 'P1Y', 'annual');
    const set = await put(admin, subId, { productId: standard.id, offerId: yearly.id, quantity: 4 });
    expect(set.status).toBe(200);
    expect(set.body.scheduledChange).toEqual({ quantity: 4, productId: standard.id, productName: standard.name, offerId: yearly.id, term: 'P1Y', billingPeriod: 'annual', setAt: expect.any(String) });
    expect(set.body.scheduledQuantity).toBe(4);
    // Nothing changes now.
    expect(set.body).toMatchObject({ productId: basic.id, quantity: 5, term: 'P1M' });
    expect(await get(admin, subId)).toMatchObject({ scheduledChange: set.body.scheduledChange });

    // A PUT replaces the whole change: only the quantity now, the product stays.
    const replaced = await put(admin, subId, { quantity: 3 });
    expect(replaced.body.scheduledChange).toMatchObject({ quantity: 3, productId: basic.id, offerId: offerOf(basic, 'P1M', 'monthly').id, term: 'P1M', billingPeriod: 'monthly' });

    // The same product on its annual offer, with the product named only by the offer; then the quantity through …/quantity.
    const annual = offerOf(basic, 'P1Y', 'annual');
    const offerOnly = await put(admin, subId, { offerId: annual.id });
    expect(offerOnly.body.scheduledChange).toMatchObject({ quantity: 5, productId: basic.id, offerId: annual.id, term: 'P1Y' });
    expect(offerOnly.body.scheduledQuantity).toBeNull();
    const lowered = await call('POST', `/v1/subscriptions/${subId}/quantity`, { token: admin, body: { quantity: 2, effective: 'renewal' }, headers: { 'idempotency-key': unique('q') } });
    expect(lowered.status).toBe(200);
    expect(lowered.body.scheduledChange).toMatchObject({ quantity: 2, offerId: annual.id });
    expect(lowered.body.scheduledQuantity).toBe(2);

    const dropped = await drop(admin, subId);
    expect(dropped.status).toBe(200);
    expect(dropped.body).toMatchObject({ scheduledChange: null, scheduledQuantity: null });
    expect(await get(admin, subId)).toMatchObject({ scheduledChange: null, scheduledQuantity: null });
  });

  it('refuses what cannot be scheduled, and changes nothing', async () => {
    const { c, admin, subId } = await subscribed('2030-01-10');
    // Two licenses assigned: the admin and a user.
    const boLogin = `${unique('bo')}@customer.test`;
    const users = await call('POST', `/v1/accounts/${c.account.id}/users`, {
      token: admin,
      body: { users: [{ firstName: 'Bo', lastName: 'User', login: boLogin, role: 'user', password: 'Long-Enough-Pass-1' }], sendActivationEmail: false },
    });
    expect(users.status).toBe(201);
    // A user of the account who did not buy it (not self-service) may not change it.
    const bo = await login(boLogin, 'Long-Enough-Pass-1');
    expect([(await put(bo, subId, { quantity: 3 })).status, (await drop(bo, subId)).status]).toEqual([403, 403]);
    const me = (await call('GET', '/v1/me', { token: admin })).body;
    const assigned = await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: [me.id, users.body.items[0].id] } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignedCount).toBe(2);
    const before = await get(admin, subId);
    const own = await createProduct(staff);

    const cases: Array<[unknown, number, string]> = [
      [{}, 400, 'validation_failed'],
      [{ quantity: 0 }, 400, 'validation_failed'],
      [{ quantity: 2, colour: 'red' }, 400, 'validation_failed'],
      [{ quantity: 1 }, 409, 'below_assigned'],
      [{ quantity: 301 }, 422, 'quantity_out_of_range'],
      [{ offerId: offerOf(standard, 'P1Y', 'annual').id }, 422, 'offer_not_of_product'],
      [{ productId: own.id }, 422, 'product_not_eligible'],
    ];
    for (const [body, status, code] of cases) {
      const r = await put(admin, subId, body);
      expect([JSON.stringify(body), r.status, r.body.error?.code]).toEqual([JSON.stringify(body), status, code]);
    }
    // A stale If-Match is 412; the current one goes through.
    expect((await put(admin, subId, { quantity: 3 }, { 'if-match': `"${before.version - 1}"` })).status).toBe(412);
    expect(await get(admin, subId)).toMatchObject({ version: before.version, scheduledChange: null });
    expect((await put(admin, subId, { quantity: 3 }, { 'if-match': `"${before.version}"` })).status).toBe(200);

    // Cancelled: nothing to renew any more.
    const cancelled = await call('POST', `/v1/subscriptions/${subId}/cancel`, { token: admin, body: { reason: 'not needed' } });
    expect(cancelled.status).toBe(202);
    await waitOrder(cancelled.body.id);
    expect((await get(admin, subId)).status).toBe('cancelled');
    const refused = await put(admin, subId, { quantity: 3 });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'invalid_state']);
    expect([(await drop(admin, subId)).status]).toEqual([409]);
  });

  it('renews on the scheduled product, offer and quantity, billed at the new price, after a reminder that states it', async () => {
    const { c, subId } = await subscribed('2030-03-10');
    let admin = await login(c.login, c.password);
    await addCard(admin, c.account.id);
    const yearly = offerOf(standard, 'P1Y', 'annual');
    expect((await put(admin, subId, { productId: standard.id, offerId: yearly.id, quantity: 4 })).status).toBe(200);

    // Seven days before the term ends (2030-04-09): the reminder names the next term.
    await setClock('2030-04-03T01:00:00Z');
    await job('renewals');
    const [reminder] = await waitForEmail((e) => e.destination.to.includes(c.login) && /renews on/i.test(e.subject));
    expect(reminder!.body.text).toContain(standard.name);
    expect(reminder!.body.text).toContain('1 year, billed annually');
    expect(reminder!.body.text).toMatch(/Licenses: 4\b/);

    await setClock('2030-04-10T01:00:00Z');
    expect((await job('renewals')).processed).toBeGreaterThanOrEqual(1);
    admin = await login(c.login, c.password);
    const sub = await get(admin, subId);
    expect(sub).toMatchObject({
      status: 'active',
      productId: standard.id,
      offerId: yearly.id,
      name: standard.name,
      term: 'P1Y',
      billingPeriod: 'annual',
      quantity: 4,
      currentTermStart: '2030-04-10',
      currentTermEnd: '2031-04-09',
      scheduledChange: null,
      scheduledQuantity: null,
    });
    expect(sub.unitPrice).toEqual(yearly.price);
    const [listed] = (await call('GET', '/v1/orders?type=renewal', { token: admin })).body.items;
    const renewal = (await call('GET', `/v1/orders/${listed.id}`, { token: admin })).body;
    expect(renewal.lines[0]).toMatchObject({ productId: standard.id, offerId: yearly.id, quantity: 4, unitPrice: yearly.price });
    expect((await waitOrder(renewal.id)).status).toBe('completed');
    const invoices = (await call('GET', `/v1/invoices?accountId=${c.account.id}&limit=100`, { token: admin })).body.items.filter((i: { reason: string }) => i.reason === 'renewal');
    expect(invoices).toHaveLength(1);
    expect(invoices[0].lines[0]).toMatchObject({ quantity: 4, description: expect.stringContaining(standard.name) });
    expect(invoices[0].total).toEqual({ amount: yearly.price.amount * 4, currency: yearly.price.currency });
    expect(invoices[0].status).toBe('paid');
  });

  it('expires a suspended subscription on its renewal day instead of renewing it: no renewal order, no invoice', async () => {
    const { c, subId, order } = await subscribed('2030-05-10');
    // Its invoice unpaid past the 26th: overdue and suspended on the 27th.
    await setClock('2030-05-27T01:00:00Z');
    await job('dunning');
    let admin = await login(c.login, c.password);
    expect((await get(admin, subId)).status).toBe('suspended');
    const invoice = (await call('GET', `/v1/invoices?accountId=${c.account.id}`, { token: admin })).body.items.find((i: { orderId: string }) => i.orderId === order.id);
    expect(invoice.status).toBe('overdue');

    await setClock('2030-06-10T01:00:00Z');
    await job('renewals');
    await job('renewals');
    admin = await login(c.login, c.password);
    expect(await get(admin, subId)).toMatchObject({ status: 'expired', currentTermEnd: '2030-06-09' });
    expect((await call('GET', '/v1/orders?type=renewal', { token: admin })).body.items).toEqual([]);
    const renewals = (await call('GET', `/v1/invoices?accountId=${c.account.id}&limit=100`, { token: admin })).body.items.filter((i: { reason: string }) => i.reason === 'renewal');
    expect(renewals).toEqual([]);
  });
});

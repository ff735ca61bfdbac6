import { scaled } from './scale.ts';
import { call, login, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { addCard, agreement, company, createCustomer, makeOrderBody } from '../factories/index.ts';

/**
 * The marketplace (docs/product.md#billing, docs/product.md#catalog-and-cart, docs/product.md#billing-routes): a customer buys Microsoft 365 licenses with a card and
 * gets them provisioned; money is exact; a decline leaves nothing behind.
 */
async function offerOf(token: string, q: string, term = 'P1Y', billingPeriod = 'monthly') {
  const r = await call('GET', `/v1/catalog/products?q=${encodeURIComponent(q)}`, { token });
  const product = r.body.items[0];
  return { product, offer: product.offers.find((o: { term: string; billingPeriod: string }) => o.term === term && o.billingPeriod === billingPeriod) };
}

const checkoutBody = (paymentMethodId: string, overrides: Record<string, unknown> = {}) => ({
  domain: { mode: 'create', prefix: unique('shop').toLowerCase(), company },
  paymentMethodId,
  customerAgreement: agreement,
  ...overrides,
});

const checkout = (token: string, body: unknown, key = unique('co')) => call('POST', '/v1/cart/checkout', { token, body, headers: { 'idempotency-key': key } });

describe('marketplace checkout', () => {
  let staff: string;
  beforeAll(async () => {
    staff = await staffLogin();
  });

  it('buys two products into a new tenant with a card, provisions them, invoices exactly and empties the cart', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id);
    const basic = await offerOf(admin, 'business basic');
    const teams = await offerOf(admin, 'teams essentials');
    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId: basic.offer.id, quantity: 5 } })).status).toBe(201);
    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId: teams.offer.id, quantity: 3 } })).status).toBe(201);
    const cart = await call('GET', '/v1/cart', { token: admin });
    const expected = basic.offer.price.amount * 5 + teams.offer.price.amount * 3;
    expect(cart.body.total).toEqual({ amount: expected, currency: 'EUR' });
    expect(cart.body.items.map((i: { lineTotal: { amount: number } }) => i.lineTotal.amount).sort()).toEqual([basic.offer.price.amount * 5, teams.offer.price.amount * 3].sort());

    const body = checkoutBody(pm);
    const placed = await checkout(admin, body);
    expect(placed.status).toBe(201);
    expect(placed.body.lines).toHaveLength(2);
    expect(placed.body.total).toEqual({ amount: expected, currency: 'EUR' });
    expect(Number.isInteger(placed.body.total.amount)).toBe(true);

    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    expect(done.workflow.statesEntered).toContain('AutoAdvance');
    for (const id of done.subscriptionIds) {
      const sub = await call('GET', `/v1/subscriptions/${id}`, { token: admin });
      expect(sub.body).toMatchObject({ status: 'active', domain: `${body.domain.prefix}.onmicrosoft.com`, selfService: false });
    }
    expect((await call('GET', '/v1/cart', { token: admin })).body.items).toEqual([]);

    const invoices = await call('GET', '/v1/invoices', { token: admin });
    expect(invoices.body.items).toHaveLength(1);
    const invoice = invoices.body.items[0];
    expect(invoice).toMatchObject({ status: 'paid', orderId: placed.body.id, total: { amount: expected, currency: 'EUR' }, paymentMethodId: pm });
    expect(invoice.lines.reduce((s: number, l: { amount: { amount: number } }) => s + l.amount.amount, 0)).toBe(expected);
    expect(invoice.paidAt).toEqual(expect.any(String));

    const mail = await waitForEmail((e) => e.destination.to.includes(c.login) && e.subject.includes(placed.body.number));
    expect(mail[0]!.body.text).toContain('Microsoft 365 Business Basic');
    expect(mail[0]!.body.text).toContain('Teams Essentials');

    // a second purchase on the domain it now has
    await call('POST', '/v1/cart/items', { token: admin, body: { offerId: basic.offer.id, quantity: 1 } });
    const second = await checkout(admin, { domain: { mode: 'existing', domainId: placed.body.domain.id }, paymentMethodId: pm });
    expect(second.status).toBe(201);
    expect((await waitOrder(second.body.id)).status).toBe('completed');
  });

  it('refuses a declined card with 402 and keeps no order, subscription or invoice', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id, '4000000000000002');
    const basic = await offerOf(admin, 'business basic');
    await call('POST', '/v1/cart/items', { token: admin, body: { offerId: basic.offer.id, quantity: 2 } });
    const body = checkoutBody(pm);
    const declined = await checkout(admin, body);
    expect(declined.status).toBe(402);
    expect(declined.body.error.code).toBe('payment_declined');
    expect((await call('GET', '/v1/orders', { token: admin })).body.items).toEqual([]);
    expect((await call('GET', '/v1/invoices', { token: admin })).body.items).toEqual([]);
    expect((await call('GET', '/v1/cart', { token: admin })).body.items).toHaveLength(1);
    const availability = await call('GET', `/v1/domains/availability?prefix=${body.domain.prefix}`, { token: admin });
    if (availability.status === 200) expect(availability.body.available).toBe(true);
    expect((await call('GET', `/v1/accounts/${c.account.id}`, { token: admin })).body.customerAgreement).toBeNull();
  });

  it('needs the customer agreement for a new tenant and keeps quantities within the product limits', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id);
    const basic = await offerOf(admin, 'business basic');
    const tooMany = await call('POST', '/v1/cart/items', { token: admin, body: { offerId: basic.offer.id, quantity: basic.product.maxQuantity + 1 } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe('quantity_out_of_range');
    const item = await call('POST', '/v1/cart/items', { token: admin, body: { offerId: basic.offer.id, quantity: 1 } });
    const raise = await call('PATCH', `/v1/cart/items/${item.body.id}`, { token: admin, body: { quantity: basic.product.maxQuantity + 1 } });
    expect(raise.status).toBe(422);
    const noAgreement = checkoutBody(pm) as Record<string, unknown>;
    delete noAgreement.customerAgreement;
    const refused = await checkout(admin, noAgreement);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('customer_agreement_required');
    expect((await call('GET', '/v1/orders', { token: admin })).body.items).toEqual([]);
    expect((await call('DELETE', `/v1/cart/items/${item.body.id}`, { token: admin })).status).toBe(204);
    const empty = await checkout(admin, checkoutBody(pm));
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('cart_empty');
  });

  const BURST = scaled(20, 100);
  it(`makes one order and one charge from ${BURST} parallel checkouts with one key`, async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id);
    const basic = await offerOf(admin, 'business basic');
    await call('POST', '/v1/cart/items', { token: admin, body: { offerId: basic.offer.id, quantity: 4 } });
    const key = unique('burst');
    const body = checkoutBody(pm);
    const replies = await Promise.all(Array.from({ length: BURST }, () => checkout(admin, body, key)));
    const created = replies.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(replies.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === 'idempotency_in_progress'))).toBe(true);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    const again = await checkout(admin, body, key);
    expect(again.body.id).toBe(created[0]!.body.id);
    expect((await call('GET', '/v1/orders', { token: admin })).body.items).toHaveLength(1);
    const invoices = (await call('GET', '/v1/invoices', { token: admin })).body.items;
    expect(invoices).toHaveLength(1);
    expect(invoices[0].total.amount).toBe(basic.offer.price.amount * 4);
  });

  it('lets a customer user buy for itself when allowed; the admins see it read-only', async () => {
    const c = await createCustomer(staff, { settings: { allowSelfServicePurchases: true } });
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id);
    const person = { firstName: 'Sam', lastName: 'Self', login: `${unique('self')}@people.test`, role: 'user', password: 'Self-Service-Pass-1' };
    await call('POST', `/v1/accounts/${c.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } });
    const user = await login(person.login, person.password);
    const teams = await offerOf(user, 'teams essentials');
    expect((await call('POST', '/v1/cart/items', { token: user, body: { offerId: teams.offer.id, quantity: 1 } })).status).toBe(201);
    // The buyer pays with a card of its own, not the account's (docs/product.md#self-service-subscriptions).
    expect((await checkout(user, checkoutBody(pm))).status).toBe(404);
    const placed = await checkout(user, checkoutBody(await addCard(user, c.account.id)));
    expect(placed.status).toBe(201);
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    const subId = done.subscriptionIds[0];
    const asUser = await call('GET', `/v1/subscriptions/${subId}`, { token: user });
    expect(asUser.body).toMatchObject({ selfService: true, buyer: { userId: asUser.body.buyer.userId, name: 'Sam Self' }, quantity: 1, status: 'active' });
    const asAdmin = await call('GET', `/v1/subscriptions/${subId}`, { token: admin });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toMatchObject({ selfService: true, buyer: { name: 'Sam Self' }, quantity: 1, unitPrice: teams.offer.price, currentTermEnd: expect.any(String), assignedCount: 0 });
    expect((await call('PATCH', `/v1/subscriptions/${subId}`, { token: admin, body: { autoRenew: false } })).status).toBe(403);
    const byBuyer = await call('PATCH', `/v1/subscriptions/${subId}`, { token: user, body: { autoRenew: false } });
    expect(byBuyer.status).toBe(200);
    expect(byBuyer.body.autoRenew).toBe(false);

    // without the setting, a user cannot buy
    const other = await createCustomer(staff);
    const otherAdmin = await login(other.login, other.password);
    const p2 = { ...person, login: `${unique('self')}@people.test` };
    await call('POST', `/v1/accounts/${other.account.id}/users`, { token: otherAdmin, body: { users: [p2], sendActivationEmail: false } });
    const u2 = await login(p2.login, p2.password);
    expect((await call('POST', '/v1/cart/items', { token: u2, body: { offerId: teams.offer.id, quantity: 1 } })).status).toBe(403);
  });

  it('does not sell a retired product, even from a cart that already holds it', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id);
    const sku = `RT-${unique('x').toUpperCase()}`;
    const created = await call('POST', '/v1/catalog/products', {
      token: staff,
      body: {
        sku, name: `Retiring ${sku}`, description: 'Soon gone.', category: 'security', vendor: 'Contoso', requiresTenant: true,
        minQuantity: 1, maxQuantity: 50, cancellationWindowHours: 168,
        offers: [{ term: 'P1Y', billingPeriod: 'monthly', price: { amount: 333, currency: 'EUR' } }],
      },
    });
    expect(created.status).toBe(201);
    const offerId = created.body.offers[0].id;
    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId, quantity: 2 } })).status).toBe(201);
    expect((await call('PATCH', `/v1/catalog/products/${created.body.id}`, { token: staff, body: { status: 'retired' } })).status).toBe(200);
    const refused = await checkout(admin, checkoutBody(pm));
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('offer_unavailable');
    expect((await call('GET', '/v1/orders', { token: admin })).body.items).toEqual([]);
    const again = await call('POST', '/v1/cart/items', { token: admin, body: { offerId, quantity: 1 } });
    expect(again.status).toBe(422);
    expect((await call('GET', '/v1/cart', { token: admin })).body.items[0].available).toBe(false);
  });

  it('invoices a staff order when it is placed, unpaid and due by the 26th rule', async () => {
    const c = await createCustomer(staff);
    const basic = await offerOf(staff, 'business basic');
    const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, { token: staff, body: makeOrderBody(basic.offer.id), headers: { 'idempotency-key': unique('k') } });
    expect(placed.status).toBe(201);
    const invoices = await call('GET', `/v1/invoices?accountId=${c.account.id}`, { token: staff });
    expect(invoices.body.items).toHaveLength(1);
    const invoice = invoices.body.items[0];
    expect(invoice).toMatchObject({ status: 'unpaid', orderId: placed.body.id, total: placed.body.total, paidAt: null });
    const issued = new Date(invoice.issuedAt);
    const due = new Date(`${invoice.dueAt}T00:00:00Z`);
    expect(due.getUTCDate()).toBe(26);
    expect(due.getTime()).toBeGreaterThan(issued.getTime() - 86400_000);
    await waitOrder(placed.body.id);
    const cancelled = await call('POST', `/v1/orders/${placed.body.id}/cancel`, { token: staff });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await call('GET', `/v1/invoices/${invoice.id}`, { token: staff })).body.status).toBe('void');
  });
});

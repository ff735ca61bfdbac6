import { call, login, staffLogin, unique, waitOrder } from './api.ts';
import { addCard, agreement, cardToken, company, createCustomer } from '../factories/index.ts';

/**
 * Self-service purchases (docs/product.md#self-service-subscriptions) over HTTP: the customer's admins
 * keep the list of products its users may buy; a customer `user` buys from it with a card of its
 * own, sees the orders and invoices of what it bought (and nobody else's) and pays them. And the
 * users search (`GET /v1/accounts/{accountId}/users?q=`) that picks people by name.
 */
const PASSWORD = 'Self-Service-Pass-1';
const DECLINING = '4000000000000002';

async function offerOf(token: string, q: string) {
  const r = await call('GET', `/v1/catalog/products?q=${encodeURIComponent(q)}`, { token });
  const product = r.body.items[0];
  return { product, offer: product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly') };
}

async function addPeople(admin: string, accountId: string, people: Array<{ firstName: string; lastName: string; login?: string; role?: string }>) {
  const users = people.map((p) => ({ role: 'user', login: `${unique('ss')}@people.test`, password: PASSWORD, ...p }));
  const r = await call('POST', `/v1/accounts/${accountId}/users`, { token: admin, body: { users, sendActivationEmail: false } });
  if (r.status !== 201) throw new Error(`add users: ${r.status} ${JSON.stringify(r.body)}`);
  return Promise.all(users.map(async (u, i) => ({ id: r.body.items[i].id as string, login: u.login, token: await login(u.login, PASSWORD) })));
}

const checkout = (token: string, paymentMethodId: string) =>
  call('POST', '/v1/cart/checkout', {
    token,
    body: { domain: { mode: 'create', prefix: unique('self').toLowerCase(), company }, paymentMethodId, customerAgreement: agreement },
    headers: { 'idempotency-key': unique('co') },
  });

async function ownCard(token: string, accountId: string, number = '4242424242424242') {
  return call('POST', `/v1/accounts/${accountId}/payment-methods`, { token, body: { type: 'card', token: await cardToken(number), holderName: 'Sam Self' } });
}

const ids = (r: { body: { items: Array<{ id: string }> } }) => r.body.items.map((i) => i.id);

describe('self-service purchases', () => {
  let staff: string;
  let teams: Awaited<ReturnType<typeof offerOf>>;
  let basic: Awaited<ReturnType<typeof offerOf>>;

  beforeAll(async () => {
    staff = await staffLogin();
    teams = await offerOf(staff, 'teams essentials');
    basic = await offerOf(staff, 'business basic');
  });

  /** A customer that allows self-service, its admin (whose account card declines) and two users. */
  async function shop() {
    const c = await createCustomer(staff, { settings: { allowSelfServicePurchases: true } });
    const admin = await login(c.login, c.password);
    const accountCard = await addCard(admin, c.account.id, DECLINING);
    const [sam, ina] = await addPeople(admin, c.account.id, [
      { firstName: 'Sam', lastName: 'Self' },
      { firstName: 'Ina', lastName: 'Other' },
    ]);
    return { c, admin, accountCard, sam: sam!, ina: ina! };
  }

  it('keeps the product list: its own admins and staff above set it, products must exist, other settings stay the parent\'s', async () => {
    const { c, admin, sam } = await shop();
    const path = `/v1/accounts/${c.account.id}`;
    const set = await call('PATCH', path, { token: admin, body: { settings: { selfServiceProducts: [teams.product.id, teams.product.id] } } });
    expect(set.status).toBe(200);
    expect(set.body.settings).toMatchObject({ selfServiceProducts: [teams.product.id], allowSelfServicePurchases: true });

    const unknown = 'prd_01JD0000000000000000000000';
    const refused = await call('PATCH', path, { token: admin, body: { settings: { selfServiceProducts: [basic.product.id, unknown] } } });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'unknown_product', details: [{ path: 'settings.selfServiceProducts.1', productId: unknown }] });
    expect((await call('PATCH', path, { token: admin, body: { settings: { selfServiceProducts: [basic.product.id], orderProcessing: 'manual' } } })).status).toBe(403);
    expect((await call('PATCH', path, { token: sam.token, body: { settings: { selfServiceProducts: [] } } })).status).toBe(403);
    expect((await call('GET', path, { token: admin })).body.settings).toMatchObject({ selfServiceProducts: [teams.product.id], orderProcessing: 'automatic' });

    // staff above set it too; another customer's admin does not even see the account
    const byStaff = await call('PATCH', path, { token: staff, body: { settings: { selfServiceProducts: [teams.product.id, basic.product.id] } } });
    expect(byStaff.body.settings.selfServiceProducts).toEqual([teams.product.id, basic.product.id]);
    const other = await createCustomer(staff);
    const otherAdmin = await login(other.login, other.password);
    expect((await call('PATCH', path, { token: otherAdmin, body: { settings: { selfServiceProducts: [] } } })).status).toBe(404);
  });

  it('lets a user buy only the listed products; the admins buy anything', async () => {
    const { c, admin, sam } = await shop();
    await call('PATCH', `/v1/accounts/${c.account.id}`, { token: admin, body: { settings: { selfServiceProducts: [teams.product.id] } } });
    expect((await call('POST', '/v1/cart/items', { token: sam.token, body: { offerId: teams.offer.id, quantity: 1 } })).status).toBe(201);
    const unlisted = await call('POST', '/v1/cart/items', { token: sam.token, body: { offerId: basic.offer.id, quantity: 1 } });
    expect(unlisted.status).toBe(422);
    expect(unlisted.body.error).toMatchObject({ code: 'not_self_service_product', details: [{ path: 'offerId', productId: basic.product.id }] });
    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId: basic.offer.id, quantity: 1 } })).status).toBe(201);

    // The list changes while the line waits in the cart: unavailable, and the checkout refuses it.
    await call('PATCH', `/v1/accounts/${c.account.id}`, { token: admin, body: { settings: { selfServiceProducts: [basic.product.id] } } });
    const cart = await call('GET', '/v1/cart', { token: sam.token });
    expect(cart.body.items.map((i: { available: boolean }) => i.available)).toEqual([false]);
    const card = await ownCard(sam.token, c.account.id);
    const refused = await checkout(sam.token, card.body.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'not_self_service_product', details: [{ path: 'lines.0.offerId' }] });
    expect((await call('GET', '/v1/orders', { token: admin })).body.items).toEqual([]);

    // An empty list leaves every product to the switch; without the switch, nothing.
    await call('PATCH', `/v1/accounts/${c.account.id}`, { token: admin, body: { settings: { selfServiceProducts: [] } } });
    expect((await call('POST', '/v1/cart/items', { token: sam.token, body: { offerId: basic.offer.id, quantity: 1 } })).status).toBe(201);
    // The buyer picks its organization's tenant at checkout: the domains, without the account's licenses.
    const domains = await call('GET', `/v1/accounts/${c.account.id}/domains`, { token: sam.token });
    expect({ status: domains.status, items: domains.body.items }).toEqual({ status: 200, items: [] });
    await call('PATCH', `/v1/accounts/${c.account.id}`, { token: staff, body: { settings: { allowSelfServicePurchases: false } } });
    expect((await call('POST', '/v1/cart/items', { token: sam.token, body: { offerId: teams.offer.id, quantity: 2 } })).status).toBe(403);
    expect((await call('GET', `/v1/accounts/${c.account.id}/domains`, { token: sam.token })).status).toBe(403);
  });

  it('keeps a buyer\'s cards its own, charges the buyer\'s card, and shows each user only what it bought', async () => {
    const { c, admin, accountCard, sam, ina } = await shop();
    const base = `/v1/accounts/${c.account.id}/payment-methods`;
    const card = await ownCard(sam.token, c.account.id);
    expect(card.status).toBe(201);
    expect(card.body).toMatchObject({ type: 'card', last4: '4242', isDefault: false });
    expect(ids(await call('GET', base, { token: sam.token }))).toEqual([card.body.id]);
    expect(ids(await call('GET', base, { token: ina.token }))).toEqual([]);
    expect(ids(await call('GET', base, { token: admin }))).toEqual([accountCard]);
    expect(ids(await call('GET', base, { token: staff }))).toEqual([accountCard]);
    expect((await call('PATCH', `/v1/payment-methods/${card.body.id}`, { token: admin, body: { holderName: 'Taken' } })).status).toBe(404);
    expect((await call('DELETE', `/v1/payment-methods/${card.body.id}`, { token: ina.token })).status).toBe(404);
    expect((await call('PATCH', `/v1/payment-methods/${card.body.id}`, { token: sam.token, body: { isDefault: true } })).status).toBe(403);
    expect((await call('POST', base, { token: sam.token, body: { type: 'invoice' } })).status).toBe(403);

    expect((await call('POST', '/v1/cart/items', { token: sam.token, body: { offerId: teams.offer.id, quantity: 2 } })).status).toBe(201);
    // Not with the account's card (which would decline anyway), nor with another's.
    expect((await checkout(sam.token, accountCard)).status).toBe(404);
    const placed = await checkout(sam.token, card.body.id);
    expect(placed.status).toBe(201);
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');

    const samOrders = await call('GET', '/v1/orders', { token: sam.token });
    expect(ids(samOrders)).toEqual([placed.body.id]);
    expect((await call('GET', `/v1/orders/${placed.body.id}`, { token: sam.token })).status).toBe(200);
    expect(ids(await call('GET', '/v1/orders', { token: ina.token }))).toEqual([]);
    expect((await call('GET', `/v1/orders/${placed.body.id}`, { token: ina.token })).status).toBe(404);
    expect(ids(await call('GET', '/v1/orders', { token: admin }))).toContain(placed.body.id);

    const samInvoices = await call('GET', '/v1/invoices', { token: sam.token });
    expect(samInvoices.body.items).toHaveLength(1);
    const invoice = samInvoices.body.items[0];
    expect(invoice).toMatchObject({ orderId: placed.body.id, status: 'paid', paymentMethodId: card.body.id });
    expect((await call('GET', `/v1/invoices/${invoice.id}`, { token: sam.token })).status).toBe(200);
    expect((await call('GET', `/v1/invoices/${invoice.id}`, { token: ina.token })).status).toBe(404);
    expect(ids(await call('GET', '/v1/invoices', { token: ina.token }))).toEqual([]);
    expect((await call('GET', `/v1/invoices/${invoice.id}`, { token: admin })).status).toBe(200);
  });

  it('lets the buyer pay its own unpaid invoice with its own card; nobody else pays it', async () => {
    const { c, admin, accountCard, sam, ina } = await shop();
    const card = await ownCard(sam.token, c.account.id);
    const inaCard = await ownCard(ina.token, c.account.id, '5555555555554444');
    await call('POST', '/v1/cart/items', { token: sam.token, body: { offerId: teams.offer.id, quantity: 1 } });
    const placed = await checkout(sam.token, card.body.id);
    const subId = (await waitOrder(placed.body.id)).subscriptionIds[0];

    // A raise without a card is left to its buyer to pay (never the account's card).
    const raised = await call('POST', `/v1/subscriptions/${subId}/quantity`, { token: sam.token, body: { quantity: 3 }, headers: { 'idempotency-key': unique('q') } });
    expect(raised.status).toBe(202);
    const unpaid = await call('GET', '/v1/invoices?status=unpaid', { token: sam.token });
    expect(unpaid.body.items).toHaveLength(1);
    const invoiceId = unpaid.body.items[0].id as string;

    const pay = (token: string, paymentMethodId: string) =>
      call('POST', `/v1/invoices/${invoiceId}/pay`, { token, body: { paymentMethodId }, headers: { 'idempotency-key': unique('pay') } });
    expect((await pay(ina.token, inaCard.body.id)).status).toBe(404);
    expect((await pay(ina.token, card.body.id)).status).toBe(404);
    expect((await pay(admin, card.body.id)).status).toBe(404);
    expect((await pay(sam.token, accountCard)).status).toBe(404);
    expect((await call('GET', `/v1/invoices/${invoiceId}`, { token: sam.token })).body.status).toBe('unpaid');

    const paid = await pay(sam.token, card.body.id);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ id: invoiceId, status: 'paid', paymentMethodId: card.body.id });
  });
});

describe('users search', () => {
  let staff: string;
  beforeAll(async () => {
    staff = await staffLogin();
  });

  it('finds users by first name, last name or login, without case or accents, in the account only', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const tag = unique('x').slice(2);
    const [jose, zoe] = await addPeople(admin, c.account.id, [
      { firstName: 'José', lastName: 'García', login: `jose.garcia.${tag}@people.test` },
      { firstName: 'Zoë', lastName: 'Müller', login: `z.mueller.${tag}@people.test` },
      { firstName: 'Paul', lastName: 'Plain' },
    ]);
    const other = await createCustomer(staff);
    const otherAdmin = await login(other.login, other.password);
    await addPeople(otherAdmin, other.account.id, [{ firstName: 'José', lastName: 'García' }]);

    const search = (q: string, token = admin, accountId = c.account.id) => call('GET', `/v1/accounts/${accountId}/users?q=${encodeURIComponent(q)}`, { token });
    expect(ids(await search('JOSE'))).toEqual([jose!.id]);
    expect(ids(await search('garcia'))).toEqual([jose!.id]);
    expect(ids(await search('garcía jo'))).toEqual([jose!.id]);
    expect(ids(await search('MULLER'))).toEqual([zoe!.id]);
    expect(ids(await search('zoe'))).toEqual([zoe!.id]);
    expect(ids(await search(`mueller.${tag}`))).toEqual([zoe!.id]);
    expect(ids(await search('nobody-by-that-name'))).toEqual([]);
    expect(ids(await call('GET', `/v1/accounts/${c.account.id}/users?q=jose&role=admin`, { token: admin }))).toEqual([]);
    expect(ids(await call('GET', `/v1/accounts/${c.account.id}/users?q=jose&role=user&limit=1`, { token: admin }))).toEqual([jose!.id]);
    // another account's users never; another account's list is not even there
    const theirs = await search('jose', otherAdmin, other.account.id);
    expect(theirs.body.items.map((u: { accountId: string; firstName: string }) => [u.accountId, u.firstName])).toEqual([[other.account.id, 'José']]);
    expect((await search('jose', otherAdmin, c.account.id)).status).toBe(404);
    expect((await search('   ')).status).toBe(400);

    // a renamed user is found by its new name
    expect((await call('PATCH', `/v1/users/${jose!.id}`, { token: admin, body: { firstName: 'Joaquín' } })).status).toBe(200);
    expect(ids(await search('joaquin'))).toEqual([jose!.id]);
    expect(ids(await search('josé'))).toEqual([jose!.id]); // still in the login
  });
});

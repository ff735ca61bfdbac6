import { call, staffLogin, unique } from './api.ts';
import { createCustomer, firstOffer, makeCustomerBody, makeOrderBody } from '../factories/index.ts';

/**
 * docs/product.md#api-conventions: bad input gets a 4xx with the API error body and changes nothing.
 */
describe('bad input on the foundation routes', () => {
  let staff: string;
  let offerId: string;
  let accountId: string;
  let orderId: string;
  let userId: string;
  let subscriptionId: string;

  // What this file's requests could write, and nothing of the other files that run beside it on
  // the stack: its account's orders and users, and the accounts named with its tag (every account
  // body below carries it; such an account would be among the newest).
  const tag = unique('bad').replace('-', '');
  const accountBody = (overrides: Record<string, unknown> = {}, admin: Record<string, unknown> = {}) => makeCustomerBody({ name: `Bad input ${tag}`, ...overrides }, admin);
  const snapshot = async () => {
    const orders = await call('GET', `/v1/orders?accountId=${accountId}&limit=100`, { token: staff });
    const accounts = await call('GET', '/v1/accounts?limit=100', { token: staff });
    const users = await call('GET', `/v1/accounts/${accountId}/users?limit=100`, { token: staff });
    return JSON.stringify([
      orders.body.items.map((o: { id: string; status: string }) => [o.id, o.status]),
      accounts.body.items.filter((a: { name: string }) => a.name.includes(tag)).map((a: { id: string }) => a.id),
      users.body.items.map((u: { id: string; status: string; login: string }) => [u.id, u.status, u.login]),
    ]);
  };

  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
    const customer = await createCustomer(staff);
    accountId = customer.account.id;
    userId = customer.admin.id;
    const placed = await call('POST', `/v1/accounts/${accountId}/orders`, { token: staff, body: makeOrderBody(offerId), headers: { 'idempotency-key': unique('k') } });
    orderId = placed.body.id;
    subscriptionId = placed.body.subscriptionIds[0];
  });

  const big = 'x'.repeat(70 * 1024);
  const ordersPath = () => `/v1/accounts/${accountId}/orders`;
  const withKey = () => ({ 'idempotency-key': unique('bad') });

  const cases: Array<[string, () => Promise<{ status: number; body: any }>, number, string]> = [
    ['login: unknown field', () => call('POST', '/v1/auth/login', { body: { login: 'a@b.test', password: 'x', admin: true } }), 400, 'validation_failed'],
    ['login: wrong types', () => call('POST', '/v1/auth/login', { body: { login: 42, password: ['x'] } }), 400, 'validation_failed'],
    ['login: malformed JSON', () => call('POST', '/v1/auth/login', { rawBody: '{"login":', headers: { 'content-type': 'application/json' } }), 400, 'validation_failed'],
    ['login: not JSON', () => call('POST', '/v1/auth/login', { rawBody: 'login=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type'],
    ['login: over 64 KiB', () => call('POST', '/v1/auth/login', { body: { login: 'a@b.test', password: big } }), 413, 'payload_too_large'],
    ['refresh: unknown field', () => call('POST', '/v1/auth/refresh', { body: { refreshToken: 'x'.repeat(40), extra: 1 } }), 400, 'validation_failed'],
    ['accounts: unknown field', () => call('POST', '/v1/accounts', { token: staff, body: { ...accountBody(), plan: 'gold' } }), 400, 'validation_failed'],
    ['accounts: unknown admin field', () => call('POST', '/v1/accounts', { token: staff, body: accountBody({}, { isRoot: true }) }), 400, 'validation_failed'],
    ['accounts: wrong type', () => call('POST', '/v1/accounts', { token: staff, body: accountBody({ type: 'distributor' }) }), 400, 'validation_failed'],
    ['accounts: short password', () => call('POST', '/v1/accounts', { token: staff, body: accountBody({}, { password: 'short' }) }), 400, 'validation_failed'],
    ['accounts: no password, no email', () => call('POST', '/v1/accounts', { token: staff, body: accountBody({}, { password: undefined }) }), 400, 'validation_failed'],
    ['accounts: text body', () => call('POST', '/v1/accounts', { token: staff, rawBody: 'hello', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'],
    ['accounts: over 64 KiB', () => call('POST', '/v1/accounts', { token: staff, body: accountBody({ name: `Bad input ${tag} ${big}` }) }), 413, 'payload_too_large'],
    ['accounts list: unknown query', () => call('GET', '/v1/accounts?admin=1', { token: staff }), 400, 'validation_failed'],
    ['accounts list: bad limit', () => call('GET', '/v1/accounts?limit=0', { token: staff }), 400, 'validation_failed'],
    ['accounts list: bad cursor', () => call('GET', '/v1/accounts?cursor=not-a-cursor', { token: staff }), 400, 'validation_failed'],
    // Cursors that decode to a key of the wrong shape (found by the schema-driven fuzzing: they were 500s).
    ['catalog: cursor decoding to a bad key', () => call('GET', '/v1/catalog/products?cursor=M%2F', { token: staff }), 400, 'validation_failed'],
    ['catalog: cursor decoding to JSON of another shape', () => call('GET', '/v1/catalog/products?cursor=eyJ4Ijo1fQ', { token: staff }), 400, 'validation_failed'],
    ['orders list: cursor decoding to a number', () => call('GET', '/v1/orders?cursor=MTIz', { token: staff }), 400, 'validation_failed'],
    ['account: bad id', () => call('GET', '/v1/accounts/acc_nope', { token: staff }), 400, 'validation_failed'],
    ['catalog: bad limit', () => call('GET', '/v1/catalog/products?limit=abc', { token: staff }), 400, 'validation_failed'],
    ['catalog: unknown query', () => call('GET', '/v1/catalog/products?sort=price', { token: staff }), 400, 'validation_failed'],
    ['product: bad id', () => call('GET', '/v1/catalog/products/123', { token: staff }), 400, 'validation_failed'],
    ['product: unknown id', () => call('GET', '/v1/catalog/products/prd_01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: staff }), 404, 'not_found'],
    ['order: unknown field', () => call('POST', ordersPath(), { token: staff, body: { ...makeOrderBody(offerId), discount: 50 }, headers: withKey() }), 400, 'validation_failed'],
    ['order: wrong quantity type', () => call('POST', ordersPath(), { token: staff, body: makeOrderBody(offerId, { lines: [{ offerId, quantity: '5' }] }), headers: withKey() }), 400, 'validation_failed'],
    ['order: zero quantity', () => call('POST', ordersPath(), { token: staff, body: makeOrderBody(offerId, { lines: [{ offerId, quantity: 0 }] }), headers: withKey() }), 400, 'validation_failed'],
    ['order: no lines', () => call('POST', ordersPath(), { token: staff, body: makeOrderBody(offerId, { lines: [] }), headers: withKey() }), 400, 'validation_failed'],
    ['order: quantity over the product limit', () => call('POST', ordersPath(), { token: staff, body: makeOrderBody(offerId, { lines: [{ offerId, quantity: 301 }] }), headers: withKey() }), 422, 'quantity_out_of_range'],
    ['order: unknown offer', () => call('POST', ordersPath(), { token: staff, body: makeOrderBody('ofr_01ARZ3NDEKTSV4RRFFQ69G5FAV'), headers: withKey() }), 422, 'offer_unavailable'],
    ['order: bad domain prefix', () => call('POST', ordersPath(), { token: staff, body: makeOrderBody(offerId, { domain: { mode: 'create', prefix: 'Not Valid!', company: makeOrderBody(offerId).domain.company } }), headers: withKey() }), 400, 'validation_failed'],
    ['order: unknown domain mode', () => call('POST', ordersPath(), { token: staff, body: makeOrderBody(offerId, { domain: { mode: 'steal', prefix: 'abc' } }), headers: withKey() }), 400, 'validation_failed'],
    ['order: over 64 KiB', () => call('POST', ordersPath(), { token: staff, body: makeOrderBody(offerId, { note: big }), headers: withKey() }), 413, 'payload_too_large'],
    ['order: form body', () => call('POST', ordersPath(), { token: staff, rawBody: 'lines=1', headers: { 'content-type': 'application/x-www-form-urlencoded', ...withKey() } }), 415, 'unsupported_media_type'],
    ['order: bad account id', () => call('POST', '/v1/accounts/nope/orders', { token: staff, body: makeOrderBody(offerId), headers: withKey() }), 400, 'validation_failed'],
    ['order: unknown account', () => call('POST', '/v1/accounts/acc_01ARZ3NDEKTSV4RRFFQ69G5FAV/orders', { token: staff, body: makeOrderBody(offerId), headers: withKey() }), 404, 'not_found'],
    ['order: bad idempotency key', () => call('POST', ordersPath(), { token: staff, body: makeOrderBody(offerId), headers: { 'idempotency-key': 'a b' } }), 400, 'validation_failed'],
    ['orders list: bad status', () => call('GET', '/v1/orders?status=shipped', { token: staff }), 400, 'validation_failed'],
    ['orders list: bad date', () => call('GET', '/v1/orders?from=yesterday', { token: staff }), 400, 'validation_failed'],
    ['order: bad id', () => call('GET', '/v1/orders/ord_x', { token: staff }), 400, 'validation_failed'],
    ['open: with a body', () => call('POST', `/v1/orders/${orderId}/open`, { token: staff, body: { force: true } }), 400, 'validation_failed'],
    ['cancel: bad id', () => call('POST', '/v1/orders/123/cancel', { token: staff }), 400, 'validation_failed'],
    ['provision: not open yet', () => call('POST', `/v1/orders/${orderId}/provision`, { token: staff }), 409, 'invalid_state'],
    ['subscription: bad id', () => call('GET', '/v1/subscriptions/sub_1', { token: staff }), 400, 'validation_failed'],
    ['unknown route', () => call('GET', '/v1/nothing-here', { token: staff }), 404, 'not_found'],
    ['users: unknown field', () => call('POST', `/v1/accounts/${accountId}/users`, { token: staff, body: { users: [{ firstName: 'A', lastName: 'B', login: 'a@b.test', role: 'user', password: 'Long-Enough-Pass-1', admin: true }], sendActivationEmail: false } }), 400, 'validation_failed'],
    ['users: none', () => call('POST', `/v1/accounts/${accountId}/users`, { token: staff, body: { users: [], sendActivationEmail: false } }), 400, 'validation_failed'],
    ['users: bad role', () => call('POST', `/v1/accounts/${accountId}/users`, { token: staff, body: { users: [{ firstName: 'A', lastName: 'B', login: 'a@b.test', role: 'root', password: 'Long-Enough-Pass-1' }], sendActivationEmail: false } }), 400, 'validation_failed'],
    ['users: login not an email', () => call('POST', `/v1/accounts/${accountId}/users`, { token: staff, body: { users: [{ firstName: 'A', lastName: 'B', login: 'not-an-email', role: 'user', password: 'Long-Enough-Pass-1' }], sendActivationEmail: false } }), 400, 'validation_failed'],
    ['users: password equals login', () => call('POST', `/v1/accounts/${accountId}/users`, { token: staff, body: { users: [{ firstName: 'A', lastName: 'B', login: 'same.as.password@b.test', role: 'user', password: 'same.as.password@b.test' }], sendActivationEmail: false } }), 400, 'validation_failed'],
    ['users list: bad status', () => call('GET', `/v1/accounts/${accountId}/users?status=asleep`, { token: staff }), 400, 'validation_failed'],
    ['user: bad id', () => call('GET', '/v1/users/usr_1', { token: staff }), 400, 'validation_failed'],
    ['user: unknown id', () => call('GET', '/v1/users/usr_01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: staff }), 404, 'not_found'],
    // An unknown resource answers 404 before its body is looked at; a known one gets the body's 400.
    ['user edit: unknown user, bad body', () => call('PATCH', '/v1/users/usr_01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: staff, body: {} }), 404, 'not_found'],
    ['user edit: empty', () => call('PATCH', `/v1/users/${userId}`, { token: staff, body: {} }), 400, 'validation_failed'],
    ['user edit: unknown field', () => call('PATCH', `/v1/users/${userId}`, { token: staff, body: { status: 'ready' } }), 400, 'validation_failed'],
    ['user password: too short', () => call('POST', `/v1/users/${userId}/password`, { token: staff, body: { password: 'short' } }), 400, 'validation_failed'],
    ['me: unknown field', () => call('PATCH', '/v1/me', { token: staff, body: { passwordHash: 'x' } }), 400, 'validation_failed'],
    ['me password: missing current', () => call('POST', '/v1/me/password', { token: staff, body: { newPassword: 'Long-Enough-Pass-1' } }), 400, 'validation_failed'],
    ['activate: garbage token', () => call('POST', '/v1/auth/activate', { body: { token: 'garbage', password: 'Long-Enough-Pass-1' } }), 410, 'token_expired'],
    ['activate: unknown field', () => call('POST', '/v1/auth/activate', { body: { token: 'garbage', password: 'Long-Enough-Pass-1', status: 'ready' } }), 400, 'validation_failed'],
    ['impersonate: bad id', () => call('POST', '/v1/auth/impersonate', { token: staff, body: { userId: 'root' } }), 400, 'validation_failed'],
    // docs/product.md#api-conventions order of checks: a role that may not use a route at all is refused before its body is read.
    ['cart: staff have no cart, whatever the body', () => call('POST', '/v1/cart/items', { token: staff, body: { offerId, quantity: 1, price: 1 } }), 403, 'forbidden'],
    ['cart: staff have no cart', () => call('POST', '/v1/cart/items', { token: staff, body: { offerId, quantity: 1 } }), 403, 'forbidden'],
    ['cart item: staff have no cart, whatever the id', () => call('PATCH', '/v1/cart/items/itm_x', { token: staff, body: { quantity: 2 } }), 403, 'forbidden'],
    ['checkout: staff have no cart', () => call('POST', '/v1/cart/checkout', { token: staff, body: { domain: { mode: 'existing', domainId: 'dom_01ARZ3NDEKTSV4RRFFQ69G5FAV' }, paymentMethodId: 'pm_01ARZ3NDEKTSV4RRFFQ69G5FAV' } }), 403, 'forbidden'],
    ['checkout: staff have no cart, whatever the body', () => call('POST', '/v1/cart/checkout', { token: staff, body: { domain: { mode: 'existing', domainId: 'dom_01ARZ3NDEKTSV4RRFFQ69G5FAV' }, paymentMethodId: 'pm_01ARZ3NDEKTSV4RRFFQ69G5FAV', coupon: 'x' } }), 403, 'forbidden'],
    ['payment method: raw card number', () => call('POST', `/v1/accounts/${accountId}/payment-methods`, { token: staff, body: { type: 'card', number: '4242424242424242', holderName: 'X' } }), 400, 'validation_failed'],
    ['invoices: bad status', () => call('GET', '/v1/invoices?status=lost', { token: staff }), 400, 'validation_failed'],
    ['invoice: bad id', () => call('GET', '/v1/invoices/inv_1', { token: staff }), 400, 'validation_failed'],
    ['subscriptions: bad selfService', () => call('GET', '/v1/subscriptions?selfService=maybe', { token: staff }), 400, 'validation_failed'],
    ['quantity: not a number', () => call('POST', `/v1/subscriptions/${subscriptionId}/quantity`, { token: staff, body: { quantity: 'ten' }, headers: withKey() }), 400, 'validation_failed'],
    ['quantity: unknown subscription', () => call('POST', '/v1/subscriptions/sub_01ARZ3NDEKTSV4RRFFQ69G5FAV/quantity', { token: staff, body: { quantity: 3 }, headers: withKey() }), 404, 'not_found'],
    ['quantity: bad effective', () => call('POST', `/v1/subscriptions/${subscriptionId}/quantity`, { token: staff, body: { quantity: 3, effective: 'later' }, headers: withKey() }), 400, 'validation_failed'],
    ['cancel: no reason', () => call('POST', `/v1/subscriptions/${subscriptionId}/cancel`, { token: staff, body: {} }), 400, 'validation_failed'],
    ['assign: no users', () => call('POST', `/v1/subscriptions/${subscriptionId}/assignments`, { token: staff, body: { userIds: [] } }), 400, 'validation_failed'],
    ['availability: bad prefix', () => call('GET', '/v1/domains/availability?prefix=Not%20Valid', { token: staff }), 400, 'validation_failed'],
    ['catalog create: float price', () => call('POST', '/v1/catalog/products', { token: staff, body: { sku: 'X-1', name: 'X', description: 'x', category: 'x', vendor: 'x', requiresTenant: true, minQuantity: 1, maxQuantity: 2, cancellationWindowHours: 1, offers: [{ term: 'P1M', billingPeriod: 'monthly', price: { amount: 1.5, currency: 'EUR' } }] } }), 400, 'validation_failed'],
    ['impersonate: unknown user', () => call('POST', '/v1/auth/impersonate', { token: staff, body: { userId: 'usr_01ARZ3NDEKTSV4RRFFQ69G5FAV' } }), 404, 'not_found'],
  ];

  it('answers each with the API error body and writes nothing', async () => {
    const before = await snapshot();
    for (const [name, run, status, code] of cases) {
      const r = await run();
      expect([name, r.status, r.body?.error?.code]).toEqual([name, status, code]);
      expect(typeof r.body.error.message).toBe('string');
      expect(JSON.stringify(r.body)).not.toMatch(/at .+\.(ts|js):\d+/);
    }
    expect(await snapshot()).toBe(before);
  });

  // Found by the schema-driven fuzzing under stress: a range that ends before it starts was a 500
  // (DynamoDB refuses such a BETWEEN). It holds nothing: an empty page.
  it.each([
    ['invoices ending before the default start', `/v1/invoices?to=0008-02-29`],
    ['orders from after to', `/v1/orders?from=2027-01-01&to=2026-01-01`],
    ['audit events from after to', () => `/v1/accounts/${accountId}/audit-events?from=2027-01-01&to=2026-01-01`],
  ] as Array<[string, string | (() => string)]>)('answers %s with an empty page', async (_name, path) => {
    const r = await call('GET', typeof path === 'string' ? path : path(), { token: staff });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ items: [], nextCursor: null });
  });
});

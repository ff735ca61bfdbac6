import { call, login, staffLogin, stack, unique, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeCustomerBody, makeOrderBody } from '../factories/index.ts';

/** docs/product.md#accounts-and-tenancy, docs/product.md#portal-users: sign-in, roles, and "outside your scope is 404". */
describe('sign-in and scope', () => {
  let staff: string;
  let offerId: string;
  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });

  it('answers every failed login with the same 401 body', async () => {
    const customer = await createCustomer(staff);
    const wrong = await call('POST', '/v1/auth/login', { body: { login: customer.login, password: 'not-the-password' } });
    const unknown = await call('POST', '/v1/auth/login', { body: { login: `${unique('nobody')}@x.test`, password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('locks after five failures; then even the right password gets the same 401', async () => {
    const customer = await createCustomer(staff);
    for (let i = 0; i < 5; i++) await call('POST', '/v1/auth/login', { body: { login: customer.login, password: 'wrong-password-x' } });
    const locked = await call('POST', '/v1/auth/login', { body: { login: customer.login, password: customer.password } });
    expect(locked.status).toBe(401);
    expect(locked.body.error.code).toBe('invalid_credentials');
  });

  it('refreshes tokens once: a refresh token is refused the second time', async () => {
    const r = await call('POST', '/v1/auth/login', { body: { login: stack().adminLogin, password: stack().adminPassword } });
    const first = await call('POST', '/v1/auth/refresh', { body: { refreshToken: r.body.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.accessToken).toEqual(expect.any(String));
    expect((await call('GET', '/v1/accounts', { token: first.body.accessToken })).status).toBe(200);
    const reused = await call('POST', '/v1/auth/refresh', { body: { refreshToken: r.body.refreshToken } });
    expect(reused.status).toBe(401);
  });

  it('refuses requests without a valid token with 401 unauthenticated', async () => {
    const none = await call('GET', '/v1/orders');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');
    const forged = await call('GET', '/v1/orders', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWZvcmdlZA' });
    expect(forged.status).toBe(401);
  });

  it('lets a customer admin read its own orders, forbids the gates (403) and hides other customers (404)', async () => {
    const mine = await createCustomer(staff);
    const theirs = await createCustomer(staff);
    const place = (accountId: string) =>
      call('POST', `/v1/accounts/${accountId}/orders`, { token: staff, body: makeOrderBody(offerId), headers: { 'idempotency-key': unique('k') } });
    const myOrder = (await place(mine.account.id)).body;
    const theirOrder = (await place(theirs.account.id)).body;
    await waitOrder(myOrder.id);
    await waitOrder(theirOrder.id);
    const token = await login(mine.login, mine.password);

    const own = await call('GET', `/v1/orders/${myOrder.id}`, { token });
    expect(own.status).toBe(200);
    const list = await call('GET', '/v1/orders', { token });
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([myOrder.id]);

    expect((await call('POST', `/v1/orders/${myOrder.id}/open`, { token })).status).toBe(403);
    expect((await call('POST', `/v1/orders/${myOrder.id}/provision`, { token })).status).toBe(403);
    expect((await call('GET', `/v1/orders/${myOrder.id}/provisioning`, { token })).status).toBe(403);
    // A route the role may not use at all is refused before the id is looked at (docs/product.md#api-conventions order of
    // checks): another tenant's order gets the very same 403, so nothing about it leaks.
    const mineRefused = await call('POST', `/v1/orders/${myOrder.id}/open`, { token });
    const theirsRefused = await call('POST', `/v1/orders/${theirOrder.id}/open`, { token });
    expect([theirsRefused.status, theirsRefused.body]).toEqual([403, mineRefused.body]);

    for (const [method, path] of [
      ['GET', `/v1/orders/${theirOrder.id}`],
      ['POST', `/v1/orders/${theirOrder.id}/cancel`],
      ['GET', `/v1/accounts/${theirs.account.id}`],
      ['GET', `/v1/orders?accountId=${theirs.account.id}`],
    ] as const) {
      const r = await call(method, path, { token });
      expect([path, r.status]).toEqual([path, 404]);
      expect(JSON.stringify(r.body)).not.toContain(theirs.account.id.slice(4));
    }
    const theirDone = await call('GET', `/v1/orders/${theirOrder.id}`, { token: staff });
    const theirInvoice = theirDone.body.invoiceId ?? (await call('GET', `/v1/invoices?accountId=${theirs.account.id}`, { token: staff })).body.items[0].id;
    for (const [method, path, body] of [
      ['GET', `/v1/invoices/${theirInvoice}`, undefined],
      ['GET', `/v1/invoices?accountId=${theirs.account.id}`, undefined],
      ['GET', `/v1/subscriptions/${theirOrder.subscriptionIds[0]}`, undefined],
      ['GET', `/v1/subscriptions?accountId=${theirs.account.id}`, undefined],
      ['GET', `/v1/accounts/${theirs.account.id}/users`, undefined],
      ['GET', `/v1/accounts/${theirs.account.id}/payment-methods`, undefined],
      ['GET', `/v1/users/${theirs.admin.id}`, undefined],
      ['POST', `/v1/users/${theirs.admin.id}/deactivate`, undefined],
      ['POST', '/v1/auth/impersonate', { userId: theirs.admin.id }],
    ] as const) {
      const r = await call(method, path, { token, body });
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.body.error.code).toBe('not_found');
    }
    const accounts = await call('GET', '/v1/accounts', { token });
    expect(accounts.body.items.map((a: { id: string }) => a.id)).toEqual([mine.account.id]);
    const create = await call('POST', '/v1/accounts', { token, body: makeCustomerBody() });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
  });

  it('lets staff see the accounts they created', async () => {
    const customer = await createCustomer(staff);
    const r = await call('GET', '/v1/accounts?type=customer&limit=100', { token: staff });
    expect(r.status).toBe(200);
    expect(r.body.items.map((a: { id: string }) => a.id)).toContain(customer.account.id);
    const one = await call('GET', `/v1/accounts/${customer.account.id}`, { token: staff });
    expect(one.body).toMatchObject({ id: customer.account.id, type: 'customer', settings: { orderProcessing: 'automatic', currency: 'EUR' } });
  });
});

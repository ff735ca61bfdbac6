import { call, login, staffLogin, unique, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeCustomerBody, makeOrderBody } from '../factories/index.ts';

/**
 * Suspending and reactivating a child account (docs/product.md#accounts-and-tenancy): staff admins
 * above it; its users cannot sign in nor refresh, their tokens stop within the minute, its orders
 * wait at the staff gates; every step is in the audit trail.
 */
async function setClock(now?: Date) {
  if (now) await call('PUT', '/_local/clock', { body: { now: now.toISOString() } });
  else await call('DELETE', '/_local/clock');
}

/** A reseller of its own below the distributor, with its admin signed in, and a customer below it. */
async function resellerWithCustomer(staff: string) {
  const body = makeCustomerBody({ type: 'reseller', name: `Reseller ${unique('r')}` });
  const created = await call('POST', '/v1/accounts', { token: staff, body });
  expect(created.status).toBe(201);
  const reseller = created.body.account;
  const resellerToken = await login(body.admin.login as string, body.admin.password as string);
  const customer = await createCustomer(resellerToken);
  return { reseller, resellerLogin: body.admin, resellerToken, customer };
}

describe('suspending and reactivating an account', () => {
  let staff: string;
  beforeAll(async () => {
    staff = await staffLogin();
  });
  afterEach(() => setClock());

  it("suspends a customer: its admin cannot sign in (401, in the login history), refresh, nor use a token it holds; reactivating lets it back", async () => {
    const { resellerToken, customer } = await resellerWithCustomer(staff);
    const signedIn = await call('POST', '/v1/auth/login', { body: { login: customer.login, password: customer.password } });
    expect(signedIn.status).toBe(200);
    const { accessToken, refreshToken } = signedIn.body;
    expect((await call('GET', '/v1/me', { token: accessToken })).status).toBe(200);

    const suspended = await call('POST', `/v1/accounts/${customer.account.id}/suspend`, { token: resellerToken });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ id: customer.account.id, status: 'suspended', version: customer.account.version + 1 });
    expect(suspended.headers.get('etag')).toBe(`"${customer.account.version + 1}"`);
    expect((await call('GET', `/v1/accounts/${customer.account.id}`, { token: resellerToken })).body.status).toBe('suspended');

    // Sign-in: the same 401 as any failure, recorded as a failure.
    const refused = await call('POST', '/v1/auth/login', { body: { login: customer.login, password: customer.password } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_credentials');
    const wrong = await call('POST', '/v1/auth/login', { body: { login: customer.login, password: 'Not-The-Password-1' } });
    expect(wrong.body).toEqual(refused.body);
    const history = await call('GET', `/v1/users/${customer.admin.id}/login-history?limit=10`, { token: resellerToken });
    expect(history.body.items.slice(0, 3).map((e: { outcome: string }) => e.outcome)).toEqual(['failure', 'failure', 'success']);
    // Refresh: refused.
    expect((await call('POST', '/v1/auth/refresh', { body: { refreshToken } })).status).toBe(401);
    // The access token it holds stops within the minute (the authorizer trusts an account seen active for 30 s).
    await setClock(new Date(Date.now() + 61_000));
    const late = await call('GET', '/v1/me', { token: accessToken });
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('unauthenticated');
    await setClock();

    // Staff still reach it, and may not suspend it twice.
    const twice = await call('POST', `/v1/accounts/${customer.account.id}/suspend`, { token: resellerToken });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('invalid_state');

    const reactivated = await call('POST', `/v1/accounts/${customer.account.id}/reactivate`, { token: resellerToken, body: {} });
    expect(reactivated.status).toBe(200);
    expect(reactivated.body).toMatchObject({ status: 'active', version: customer.account.version + 2 });
    expect((await call('POST', `/v1/accounts/${customer.account.id}/reactivate`, { token: resellerToken })).body.error.code).toBe('invalid_state');
    // At once: a new sign-in works and its token is accepted.
    const back = await login(customer.login, customer.password);
    expect((await call('GET', '/v1/me', { token: back })).status).toBe(200);
  });

  it('suspending a reseller stops the users of the customers below it too; the distributor stays untouched', async () => {
    const { reseller, resellerLogin, customer } = await resellerWithCustomer(staff);
    expect((await call('POST', `/v1/accounts/${reseller.id}/suspend`, { token: staff })).status).toBe(200);
    expect((await call('POST', '/v1/auth/login', { body: { login: customer.login, password: customer.password } })).status).toBe(401);
    expect((await call('POST', '/v1/auth/login', { body: { login: resellerLogin.login, password: resellerLogin.password } })).status).toBe(401);
    // the customer itself is still active: only its reseller is suspended
    expect((await call('GET', `/v1/accounts/${customer.account.id}`, { token: staff })).body.status).toBe('active');
    // staff cannot "log in as" a user of a suspended account either
    const actAs = await call('POST', '/v1/auth/impersonate', { token: staff, body: { userId: customer.admin.id } });
    expect(actAs.status).toBe(409);
    expect(actAs.body.error.code).toBe('invalid_state');
    expect((await call('POST', `/v1/accounts/${reseller.id}/reactivate`, { token: staff })).status).toBe(200);
    expect((await call('POST', '/v1/auth/login', { body: { login: customer.login, password: customer.password } })).status).toBe(200);
  });

  it('is for staff admins of an account above: the account itself 403, a customer admin 403, another reseller 404, a stale If-Match 412', async () => {
    const { reseller, resellerToken, customer } = await resellerWithCustomer(staff);
    const other = await resellerWithCustomer(staff);
    const customerToken = await login(customer.login, customer.password);

    const own = await call('POST', `/v1/accounts/${reseller.id}/suspend`, { token: resellerToken });
    expect(own.status).toBe(403);
    expect((await call('POST', `/v1/accounts/${customer.account.id}/suspend`, { token: customerToken })).status).toBe(403);
    expect((await call('POST', `/v1/accounts/${customer.account.id}/suspend`, { token: other.resellerToken })).status).toBe(404);
    expect((await call('POST', `/v1/accounts/acc_01JD6W1K3M5N7P9Q2R4S6T8V0W/suspend`, { token: resellerToken })).status).toBe(404);
    expect((await call('POST', `/v1/accounts/${customer.account.id}/suspend`, { token: resellerToken, body: { reason: 'x' } })).status).toBe(400);

    const stale = await call('POST', `/v1/accounts/${customer.account.id}/suspend`, { token: resellerToken, headers: { 'if-match': `"${customer.account.version + 5}"` } });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('precondition_failed');
    const fresh = await call('POST', `/v1/accounts/${customer.account.id}/suspend`, { token: resellerToken, headers: { 'if-match': `"${customer.account.version}"` } });
    expect(fresh.status).toBe(200);
    expect((await call('GET', `/v1/accounts/${reseller.id}`, { token: staff })).body.status).toBe('active');
  });

  it("keeps a suspended account's staff orders at the gates even when autoProcess is asked, and audits both steps", async () => {
    const { customer } = await resellerWithCustomer(staff);
    const { offer } = await firstOffer(staff);
    expect((await call('POST', `/v1/accounts/${customer.account.id}/suspend`, { token: staff })).status).toBe(200);

    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(offer.id, { autoProcess: true }),
      headers: { 'idempotency-key': unique('k') },
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ automatic: false, accountName: customer.account.name });
    expect(await waitOrder(placed.body.id)).toMatchObject({ status: 'new', waitingAt: 'open' });
    expect((await call('POST', `/v1/orders/${placed.body.id}/open`, { token: staff })).status).toBe(200);

    expect((await call('POST', `/v1/accounts/${customer.account.id}/reactivate`, { token: staff })).status).toBe(200);
    const me = (await call('GET', '/v1/me', { token: staff })).body;
    const events = await call('GET', `/v1/accounts/${customer.account.id}/audit-events?limit=100`, { token: staff });
    const steps = events.body.items.filter((e: { action: string }) => /\/(suspend|reactivate)$/.test(e.action));
    expect(steps).toEqual([
      expect.objectContaining({
        action: 'POST /v1/accounts/{accountId}/reactivate',
        resource: { type: 'account', id: customer.account.id },
        actor: { userId: me.id, name: `${me.firstName} ${me.lastName}`, onBehalfOf: null, onBehalfOfName: null },
        status: 200,
        details: { status: 'active' },
      }),
      expect.objectContaining({ action: 'POST /v1/accounts/{accountId}/suspend', details: { status: 'suspended' } }),
    ]);
  });
});

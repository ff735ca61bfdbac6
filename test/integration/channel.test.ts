import { call, login, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { address, agreement, company, createCustomer, makeCustomerBody, makeOrderBody } from '../factories/index.ts';

/**
 * The reseller tier, Microsoft domains and the audit trail (docs/product.md#accounts-and-tenancy, docs/product.md#microsoft-domains, docs/product.md#audit-trail, docs/product.md#accounts-and-users, docs/product.md#domains).
 */
async function basicOfferId(token: string): Promise<string> {
  const r = await call('GET', '/v1/catalog/products?q=business%20basic', { token });
  return r.body.items[0].offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly').id;
}

describe('resellers, domains and the audit trail', () => {
  let staff: string;
  let offerId: string;
  beforeAll(async () => {
    staff = await staffLogin();
    offerId = await basicOfferId(staff);
  });

  it('lets a reseller run its own customers, and each customer only itself', async () => {
    const resellerBody = makeCustomerBody({ type: 'reseller', name: `Reseller ${unique('r')}` });
    const reseller = await call('POST', '/v1/accounts', { token: staff, body: resellerBody });
    expect(reseller.status).toBe(201);
    expect(reseller.body.account).toMatchObject({ type: 'reseller' });
    const rToken = await login(resellerBody.admin.login as string, resellerBody.admin.password as string);

    const mine = [await createCustomer(rToken), await createCustomer(rToken)];
    const direct = await createCustomer(staff);
    for (const c of mine) expect(c.account.parentId).toBe(reseller.body.account.id);

    const listed = await call('GET', '/v1/accounts?limit=100', { token: rToken });
    expect(listed.body.items.map((a: { id: string }) => a.id).sort()).toEqual(mine.map((c) => c.account.id).sort());
    expect((await call('GET', `/v1/accounts/${direct.account.id}`, { token: rToken })).status).toBe(404);
    expect((await call('POST', '/v1/accounts', { token: rToken, body: makeCustomerBody({ type: 'reseller' }) })).status).toBe(422);

    const cToken = await login(mine[0]!.login, mine[0]!.password);
    expect((await call('GET', `/v1/accounts/${mine[1]!.account.id}`, { token: cToken })).status).toBe(404);
    expect((await call('GET', `/v1/accounts/${reseller.body.account.id}`, { token: cToken })).status).toBe(404);
    expect((await call('GET', '/v1/accounts', { token: cToken })).body.items.map((a: { id: string }) => a.id)).toEqual([mine[0]!.account.id]);

    // the distributor sees everything below it
    const all = await call('GET', '/v1/accounts?type=customer&limit=100', { token: staff });
    expect(all.body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining(mine.map((c) => c.account.id)));

    // settings are the parent's to set; the account edits its own name
    const set = await call('PATCH', `/v1/accounts/${mine[0]!.account.id}`, { token: rToken, body: { settings: { orderProcessing: 'manual', allowSelfServicePurchases: true } } });
    expect(set.status).toBe(200);
    expect(set.body.settings).toMatchObject({ orderProcessing: 'manual', allowSelfServicePurchases: true, currency: 'EUR' });
    expect((await call('PATCH', `/v1/accounts/${mine[0]!.account.id}`, { token: cToken, body: { settings: { orderProcessing: 'automatic' } } })).status).toBe(403);
    expect((await call('PATCH', `/v1/accounts/${mine[0]!.account.id}`, { token: cToken, body: { name: 'Renamed Ltd' } })).body.name).toBe('Renamed Ltd');

    // a reseller's staff operate its customers' orders
    const placed = await call('POST', `/v1/accounts/${mine[1]!.account.id}/orders`, { token: rToken, body: makeOrderBody(offerId, { autoProcess: true }), headers: { 'idempotency-key': unique('k') } });
    expect(placed.status).toBe(201);
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    expect((await call('GET', `/v1/orders/${placed.body.id}`, { token: rToken })).status).toBe(200);
  });

  it('creates a tenant showing its credentials once, refuses a clash, and lists domains with their licenses', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const prefix = unique('tenant').toLowerCase();
    const created = await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: admin, body: { mode: 'create', prefix, company, customerAgreement: agreement } });
    expect(created.status).toBe(201);
    expect(created.body.domain).toMatchObject({ domain: `${prefix}.onmicrosoft.com`, status: 'active', mode: 'create' });
    expect(created.body.credentials).toMatchObject({ login: `admin@${prefix}.onmicrosoft.com`, password: expect.any(String) });
    const password = created.body.credentials.password as string;
    const again = await call('GET', `/v1/domains/${created.body.domain.id}`, { token: admin });
    expect(JSON.stringify(again.body)).not.toContain(password);

    const clash = await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: admin, body: { mode: 'create', prefix, company } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('domain_taken');

    const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
      token: staff,
      body: { lines: [{ offerId, quantity: 6 }], domain: { mode: 'existing', domainId: created.body.domain.id }, autoProcess: true },
      headers: { 'idempotency-key': unique('k') },
    });
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    const view = await call('GET', `/v1/accounts/${c.account.id}/domains`, { token: admin });
    expect(view.body.items).toHaveLength(1);
    expect(view.body.items[0]).toMatchObject({ id: created.body.domain.id, licenseCount: 6, assignedCount: 0, subscriptions: [expect.objectContaining({ id: done.subscriptionIds[0], quantity: 6 })] });

    // the subscription stays on its domain
    const other = await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: admin, body: { mode: 'create', prefix: unique('second').toLowerCase(), company } });
    const move = await call('PATCH', `/v1/subscriptions/${done.subscriptionIds[0]}`, { token: admin, body: { domainId: other.body.domain.id } });
    expect(move.status).toBe(422);
    expect(move.body.error.code).toBe('domain_immutable');
  });

  it('links a tenant of another provider, holds its orders until the customer accepts, then completes them', async () => {
    const c = await createCustomer(staff, {}, { locale: 'de' });
    const admin = await login(c.login, c.password);
    expect((await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: admin, body: { mode: 'link', domain: `${unique('nobody')}.onmicrosoft.com` } })).status).toBe(404);

    const name = `ext-${unique('fab').toLowerCase()}.onmicrosoft.com`;
    const linked = await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: staff, body: { mode: 'link', domain: name } });
    expect(linked.status).toBe(201);
    expect(linked.body.domain).toMatchObject({ domain: name, mode: 'link', status: 'pending_partner_acceptance' });
    const invitation = await waitForEmail((e) => e.destination.to.includes(c.login) && e.body.text.includes(name));
    expect(invitation[0]!.body.html).toContain('lang="de"');

    const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
      token: staff,
      body: { lines: [{ offerId, quantity: 2 }], domain: { mode: 'existing', domainId: linked.body.domain.id }, customerAgreement: agreement, autoProcess: true },
      headers: { 'idempotency-key': unique('k') },
    });
    expect(placed.status).toBe(201);
    const waiting = await waitOrder(placed.body.id);
    expect(waiting).toMatchObject({ status: 'provisioning', waitingAt: 'partner' });
    expect(waiting.workflow.state).toBe('waiting');

    expect((await call('POST', `/v1/domains/${linked.body.domain.id}/accept`, { token: staff })).status).toBe(403);
    const accepted = await call('POST', `/v1/domains/${linked.body.domain.id}/accept`, { token: admin });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('active');
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    expect((await call('POST', `/v1/domains/${linked.body.domain.id}/accept`, { token: admin })).status).toBe(409);
  });

  it('records who did what, with the real person behind a log-in-as', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const staffMe = (await call('GET', '/v1/me', { token: staff })).body;

    await call('PATCH', `/v1/users/${c.admin.id}`, { token: admin, body: { phone: '+49 30 555' } });
    const asAdmin = await call('POST', '/v1/auth/impersonate', { token: staff, body: { userId: c.admin.id } });
    await call('PATCH', `/v1/accounts/${c.account.id}`, { token: asAdmin.body.accessToken, body: { address: { ...address, city: 'Hamburg' } } });
    const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, { token: staff, body: makeOrderBody(offerId), headers: { 'idempotency-key': unique('k') } });
    await waitOrder(placed.body.id);
    await call('POST', `/v1/orders/${placed.body.id}/open`, { token: staff });

    const events = await call('GET', `/v1/accounts/${c.account.id}/audit-events?limit=100`, { token: admin });
    expect(events.status).toBe(200);
    const items = events.body.items as Array<{ at: string; action: string; resource: { type: string; id: string }; actor: { userId?: string; onBehalfOf?: string; system?: string }; ip: string }>;
    const times = items.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const edit = items.find((e) => e.action === 'PATCH /v1/users/{userId}');
    expect(edit).toMatchObject({ resource: { type: 'user', id: c.admin.id }, actor: { userId: c.admin.id, onBehalfOf: null }, ip: expect.any(String) });
    const impersonated = items.find((e) => e.action === 'PATCH /v1/accounts/{accountId}');
    expect(impersonated).toMatchObject({ actor: { userId: staffMe.id, onBehalfOf: c.admin.id } });
    expect(items.find((e) => e.action === 'POST /v1/auth/impersonate')).toMatchObject({ actor: { userId: staffMe.id }, resource: { id: c.admin.id } });
    const opened = items.find((e) => e.action === 'order.open');
    expect(opened).toMatchObject({ resource: { type: 'order', id: placed.body.id }, actor: { userId: staffMe.id } });
    expect(items.find((e) => e.action === 'POST /v1/accounts/{accountId}/orders')).toBeDefined();

    const user = { firstName: 'No', lastName: 'Access', login: `${unique('u')}@people.test`, role: 'user', password: 'Plain-User-Pass-1' };
    await call('POST', `/v1/accounts/${c.account.id}/users`, { token: admin, body: { users: [user], sendActivationEmail: false } });
    const userToken = await login(user.login, user.password);
    expect((await call('GET', `/v1/accounts/${c.account.id}/audit-events`, { token: userToken })).status).toBe(403);
    const other = await createCustomer(staff);
    expect((await call('GET', `/v1/accounts/${other.account.id}/audit-events`, { token: admin })).status).toBe(404);
  });
});

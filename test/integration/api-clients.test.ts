import { call, clientToken, login, newApiClient, pathWithUnknownIds, staffLogin, unique, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';
import { ROUTES, routeKey, type RouteSpec } from '../../functions/registry.ts';
import { ROUTE_SCOPES, SCOPE_NAMES, type Scope } from '../../functions/http/scopes.ts';
import { newId } from '../../functions/platform/ids.ts';

/**
 * API clients over HTTP (docs/api.md "API clients"): created by an admin with scopes and a secret
 * shown once (never again, hashed at rest), OAuth 2.0 client credentials by form, JSON or Basic,
 * one 401 for a wrong id or secret, rotation with an overlap, revocation within 60 s, a client
 * held to its account and its scopes on every route of the table, and the audit trail naming it.
 * No clock moves: the overlap's end is covered by overlapHours 0 here and by the unit tests.
 */
const form = (fields: Record<string, string>) => ({ rawBody: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('API clients', () => {
  let staff: string;
  let rootId: string;
  let customer: Awaited<ReturnType<typeof createCustomer>>;
  let customerAdmin: string;

  beforeAll(async () => {
    staff = await staffLogin();
    rootId = (await call('GET', '/v1/me', { token: staff })).body.accountId;
    customer = await createCustomer(staff);
    customerAdmin = await login(customer.login, customer.password);
  });

  it('creates a client whose secret is answered once and never again; the token works by JSON, by form and by Basic', async () => {
    const name = `ERP ${unique('c')}`;
    const created = await call('POST', `/v1/accounts/${customer.account.id}/api-clients`, { token: customerAdmin, body: { name, scopes: ['orders:read', 'accounts:read'] } });
    expect(created.status).toBe(201);
    const me = (await call('GET', '/v1/me', { token: customerAdmin })).body;
    expect(created.body).toMatchObject({ accountId: customer.account.id, name, scopes: ['orders:read', 'accounts:read'], status: 'active', createdBy: me.id, lastUsedAt: null });
    expect(created.body.id).toMatch(/^cli_/);
    const secret: string = created.body.clientSecret;
    expect(secret).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    expect(created.body.secrets).toEqual([{ id: expect.stringMatching(/^sec_/), createdAt: created.body.createdAt, expiresAt: null, last4: secret.slice(-4) }]);

    // Never again: not on the client, not in the list, not in the audit trail.
    const one = await call('GET', `/v1/api-clients/${created.body.id}`, { token: customerAdmin });
    const list = await call('GET', `/v1/accounts/${customer.account.id}/api-clients`, { token: customerAdmin });
    const audit = await call('GET', `/v1/accounts/${customer.account.id}/audit-events`, { token: customerAdmin });
    expect(one.status).toBe(200);
    expect(one.body.clientSecret).toBeUndefined();
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    for (const answer of [one, list, audit]) {
      expect(JSON.stringify(answer.body)).not.toContain(secret.slice(3, 20));
      expect(JSON.stringify(answer.body)).not.toContain(secret);
    }

    const byJson = await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: created.body.id, client_secret: secret } });
    expect(byJson.status).toBe(200);
    expect(byJson.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: 'orders:read accounts:read' });
    expect(byJson.headers.get('cache-control')).toBe('no-store');
    const byForm = await call('POST', '/v1/oauth/token', form({ grant_type: 'client_credentials', client_id: created.body.id, client_secret: secret, scope: 'orders:read' }));
    expect(byForm.status).toBe(200);
    expect(byForm.body.scope).toBe('orders:read');
    const byBasic = await call('POST', '/v1/oauth/token', { ...form({ grant_type: 'client_credentials' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(created.body.id, secret) } });
    expect(byBasic.status).toBe(200);

    for (const token of [byJson.body.access_token, byForm.body.access_token, byBasic.body.access_token]) {
      const account = await call('GET', `/v1/accounts/${customer.account.id}`, { token });
      expect(account.status).toBe(byForm.body.access_token === token ? 403 : 200);
    }
    const orders = await call('GET', '/v1/orders', { token: byForm.body.access_token });
    expect(orders.status).toBe(200);

    // Last use recorded (to the minute).
    const used = await call('GET', `/v1/api-clients/${created.body.id}`, { token: customerAdmin });
    expect(used.body.lastUsedAt).toEqual(expect.any(String));
  });

  it('answers a wrong secret and an unknown id with the same 401, and refuses other grants, foreign scopes, and credentials sent twice', async () => {
    const c = await newApiClient(customerAdmin, customer.account.id, ['orders:read']);
    const wrongSecret = await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: `${c.secret.slice(0, -1)}x` } });
    const unknownId = await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: newId('apiClient'), client_secret: c.secret } });
    const notAnId = await call('POST', '/v1/oauth/token', form({ grant_type: 'client_credentials', client_id: 'someone', client_secret: c.secret }));
    const noCredentials = await call('POST', '/v1/oauth/token', form({ grant_type: 'client_credentials' }));
    const wrongBasic = await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials' }, headers: { authorization: basic(c.id, 'cs_wrong') } });
    for (const r of [wrongSecret, unknownId, notAnId, noCredentials, wrongBasic]) {
      expect({ status: r.status, body: r.body }).toEqual({ status: 401, body: wrongSecret.body });
    }
    expect(wrongSecret.body.error).toEqual({ code: 'invalid_client', message: expect.any(String) });
    expect(wrongSecret.body.error.message).not.toMatch(/secret is|id is|unknown|not found/i);
    expect(wrongSecret.headers.get('www-authenticate')).toMatch(/^Basic/);

    const password = await call('POST', '/v1/oauth/token', form({ grant_type: 'password', client_id: c.id, client_secret: c.secret }));
    expect({ status: password.status, code: password.body.error.code }).toEqual({ status: 400, code: 'unsupported_grant_type' });
    const foreign = await call('POST', '/v1/oauth/token', form({ grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret, scope: 'orders:read orders:write' }));
    expect({ status: foreign.status, code: foreign.body.error.code }).toEqual({ status: 400, code: 'invalid_scope' });
    const twice = await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret }, headers: { authorization: basic(c.id, c.secret) } });
    expect({ status: twice.status, code: twice.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    const repeated = await call('POST', '/v1/oauth/token', { rawBody: `grant_type=client_credentials&client_id=${c.id}&client_id=${c.id}&client_secret=${c.secret}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect({ status: repeated.status, code: repeated.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    const text = await call('POST', '/v1/oauth/token', { rawBody: 'grant_type=client_credentials', headers: { 'content-type': 'text/plain' } });
    expect({ status: text.status, code: text.body.error.code }).toEqual({ status: 415, code: 'unsupported_media_type' });
    // Only the token route takes a form.
    const formElsewhere = await call('PATCH', `/v1/api-clients/${c.id}`, { token: customerAdmin, ...form({ name: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${customerAdmin}` } });
    expect({ status: formElsewhere.status, code: formElsewhere.body.error.code }).toEqual({ status: 415, code: 'unsupported_media_type' });

    // No lockout: the right secret still works after many wrong ones.
    for (let i = 0; i < 6; i++) await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: 'cs_guess' } });
    expect(await clientToken(c.id, c.secret)).toEqual(expect.any(String));
  });

  it('rotates with an overlap (both secrets work), or at once with overlapHours 0 (only the new one)', async () => {
    const c = await newApiClient(customerAdmin, customer.account.id, ['orders:read']);
    const rotated = await call('POST', `/v1/api-clients/${c.id}/secrets`, { token: customerAdmin, body: { overlapHours: 24 } });
    expect(rotated.status).toBe(201);
    const second: string = rotated.body.clientSecret;
    expect(second).not.toBe(c.secret);
    expect(rotated.body.secrets).toEqual([
      expect.objectContaining({ last4: c.secret.slice(-4), expiresAt: expect.any(String) }),
      expect.objectContaining({ last4: second.slice(-4), expiresAt: null }),
    ]);
    const ends = Date.parse(rotated.body.secrets[0].expiresAt) - Date.parse(rotated.body.secrets[1].createdAt);
    expect(ends).toBe(24 * 3600_000);
    expect(await clientToken(c.id, c.secret)).toEqual(expect.any(String));
    expect(await clientToken(c.id, second)).toEqual(expect.any(String));

    // A rotation at once: the secret in its overlap and the current one both stop now.
    const third = await call('POST', `/v1/api-clients/${c.id}/secrets`, { token: customerAdmin, body: { overlapHours: 0 } });
    expect(third.status).toBe(201);
    expect(third.body.secrets).toEqual([expect.objectContaining({ last4: third.body.clientSecret.slice(-4), expiresAt: null })]);
    for (const old of [c.secret, second]) {
      const r = await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: old } });
      expect({ status: r.status, code: r.body.error?.code }).toEqual({ status: 401, code: 'invalid_client' });
    }
    expect(await clientToken(c.id, third.body.clientSecret)).toEqual(expect.any(String));
    const tooLong = await call('POST', `/v1/api-clients/${c.id}/secrets`, { token: customerAdmin, body: { overlapHours: 169 } });
    expect(tooLong.status).toBe(400);
  });

  it('takes concurrent rotations one after the other (never more than two live secrets) and concurrent token requests', async () => {
    const c = await newApiClient(customerAdmin, customer.account.id, ['orders:read']);
    const rotations = await Promise.all([1, 2, 3].map(() => call('POST', `/v1/api-clients/${c.id}/secrets`, { token: customerAdmin, body: { overlapHours: 24 } })));
    expect(rotations.map((r) => r.status)).toEqual([201, 201, 201]);
    const now = await call('GET', `/v1/api-clients/${c.id}`, { token: customerAdmin });
    expect(now.body.version).toBe(4);
    expect(now.body.secrets).toHaveLength(2);
    const live = new Set(now.body.secrets.map((s: { last4: string }) => s.last4));
    const secrets = [c.secret, ...rotations.map((r) => r.body.clientSecret as string)];
    const answers = await Promise.all(secrets.map((secret) => call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: secret } })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
    secrets.forEach((secret, i) => expect([secret.slice(-4), answers[i]!.status]).toEqual([secret.slice(-4), live.has(secret.slice(-4)) ? 200 : 401]));
    const current = rotations.find((r) => r.body.version === 4)!.body.clientSecret as string;
    const many = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/v1/oauth/token', form({ grant_type: 'client_credentials', client_id: c.id, client_secret: current }))));
    expect(many.map((r) => r.status)).toEqual(Array(10).fill(200));
  });

  it('revokes: no new token at once, a write refused at once, a read within 60 s; never usable again', async () => {
    const c = await newApiClient(customerAdmin, customer.account.id, ['accounts:read', 'accounts:write']);
    expect((await call('GET', `/v1/accounts/${customer.account.id}`, { token: c.token })).status).toBe(200);
    const revoked = await call('POST', `/v1/api-clients/${c.id}/revoke`, { token: customerAdmin });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', secrets: [] });
    const started = Date.now();

    const token = await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret } });
    expect({ status: token.status, code: token.body.error.code }).toEqual({ status: 401, code: 'invalid_client' });
    const write = await call('PATCH', `/v1/accounts/${customer.account.id}`, { token: c.token, body: { name: 'Renamed by a revoked client' } });
    expect({ status: write.status, code: write.body.error.code }).toEqual({ status: 401, code: 'unauthenticated' });

    let read = await call('GET', `/v1/accounts/${customer.account.id}`, { token: c.token });
    while (read.status === 200 && Date.now() - started < 65_000) {
      await new Promise((r) => setTimeout(r, 1000));
      read = await call('GET', `/v1/accounts/${customer.account.id}`, { token: c.token });
    }
    expect(read.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(60_000);

    const again = await call('POST', `/v1/api-clients/${c.id}/revoke`, { token: customerAdmin });
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 409, code: 'invalid_state' });
    const rotate = await call('POST', `/v1/api-clients/${c.id}/secrets`, { token: customerAdmin, body: {} });
    expect({ status: rotate.status, code: rotate.body.error.code }).toEqual({ status: 409, code: 'invalid_state' });

    // Its life is in the account's audit trail: created and revoked, by the admin, never with the secret.
    const audit = await call('GET', `/v1/accounts/${customer.account.id}/audit-events?limit=100`, { token: customerAdmin });
    const ofClient = audit.body.items.filter((e: { resource: { id: string } }) => e.resource.id === c.id);
    expect(ofClient.map((e: { action: string; resource: { type: string } }) => [e.action, e.resource.type]).sort()).toEqual([
      ['POST /v1/accounts/{accountId}/api-clients', 'apiClient'],
      ['POST /v1/api-clients/{clientId}/revoke', 'apiClient'],
    ]);
    expect(JSON.stringify(ofClient)).not.toContain(c.secret);
  }, 90_000);

  it('holds a client to its account and scopes: 403 for a scope it lacks, 404 outside its account, and names it in the audit trail', async () => {
    const { offer } = await firstOffer(staff);
    const other = await createCustomer(staff);
    const place = (token: string, accountId: string) =>
      call('POST', `/v1/accounts/${accountId}/orders`, { token, body: makeOrderBody(offer.id), headers: { 'idempotency-key': unique('k') } });
    const ownOrder = await place(staff, customer.account.id);
    const otherOrder = await place(staff, other.account.id);
    expect([ownOrder.status, otherOrder.status]).toEqual([201, 201]);

    const reader = await newApiClient(customerAdmin, customer.account.id, ['orders:read']);
    expect((await call('GET', `/v1/orders/${ownOrder.body.id}`, { token: reader.token })).status).toBe(200);
    const foreign = await call('GET', `/v1/orders/${otherOrder.body.id}`, { token: reader.token });
    expect({ status: foreign.status, code: foreign.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    const listed = await call('GET', '/v1/orders', { token: reader.token });
    expect(listed.body.items.map((o: { accountId: string }) => o.accountId)).toEqual([customer.account.id]);
    const cancel = await call('POST', `/v1/orders/${ownOrder.body.id}/cancel`, { token: reader.token });
    expect({ status: cancel.status, code: cancel.body.error.code }).toEqual({ status: 403, code: 'forbidden' });

    // The distributor's client: its role may place orders, its scopes decide.
    const name = `ERP ${unique('d')}`;
    const distReader = await newApiClient(staff, rootId, ['orders:read'], `${name} reader`);
    const refused = await place(distReader.token, customer.account.id);
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
    const erp = await newApiClient(staff, rootId, ['orders:read', 'orders:write', 'orders:operate', 'accounts:read'], name);
    const placed = await place(erp.token, customer.account.id);
    expect(placed.status).toBe(201);
    expect(placed.body.statusHistory[0].by).toEqual({ userId: erp.id, name: `${name} (API client)` });
    await waitOrder(placed.body.id);
    const subscription = await call('GET', `/v1/subscriptions/${placed.body.lines[0].subscriptionId}`, { token: staff });
    expect({ status: subscription.status, buyer: subscription.body.buyer }).toEqual({ status: 200, buyer: { userId: erp.id, name: `${name} (API client)` } });
    const opened = await call('POST', `/v1/orders/${placed.body.id}/open`, { token: erp.token });
    expect(opened.status).toBe(200);

    // The audit trail names the client, on the order's account.
    const audit = await call('GET', `/v1/accounts/${customer.account.id}/audit-events?actorId=${erp.id}`, { token: staff });
    expect(audit.status).toBe(200);
    const byClient = audit.body.items as Array<{ action: string; actor: { userId: string | null; name: string | null } }>;
    expect(byClient.map((e) => e.action).sort()).toEqual(['POST /v1/accounts/{accountId}/orders', 'POST /v1/orders/{orderId}/open', 'order.open']);
    for (const e of byClient) expect(e.actor).toMatchObject({ userId: erp.id, name: `${name} (API client)` });
  });

  it('takes a scope away from tokens already issued: a write at once', async () => {
    const c = await newApiClient(customerAdmin, customer.account.id, ['accounts:read', 'accounts:write']);
    const rename = () => call('PATCH', `/v1/accounts/${customer.account.id}`, { token: c.token, body: { name: customer.account.name } });
    expect((await rename()).status).toBe(200);
    const narrowed = await call('PATCH', `/v1/api-clients/${c.id}`, { token: customerAdmin, body: { scopes: ['accounts:read'] } });
    expect(narrowed.body.scopes).toEqual(['accounts:read']);
    const refused = await rename();
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
    expect((await call('GET', `/v1/accounts/${customer.account.id}`, { token: c.token })).status).toBe(200);
    // Given back, the old token has it again (it never lost it; the client did).
    await call('PATCH', `/v1/api-clients/${c.id}`, { token: customerAdmin, body: { scopes: ['accounts:read', 'accounts:write'] } });
    expect((await rename()).status).toBe(200);
  });

  it('lets only admins in scope manage clients, and no client manage any', async () => {
    const c = await newApiClient(customerAdmin, customer.account.id, ['users:read']);
    const outsider = await createCustomer(staff);
    const outsiderAdmin = await login(outsider.login, outsider.password);
    const peek = await call('GET', `/v1/api-clients/${c.id}`, { token: outsiderAdmin });
    expect({ status: peek.status, code: peek.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    const listOther = await call('GET', `/v1/accounts/${customer.account.id}/api-clients`, { token: outsiderAdmin });
    expect(listOther.status).toBe(404);
    // Staff admins above see and manage it.
    const staffSees = await call('PATCH', `/v1/api-clients/${c.id}`, { token: staff, body: { name: 'Renamed by staff', scopes: ['users:read', 'orders:read'] } });
    expect(staffSees.status).toBe(200);
    expect(staffSees.body).toMatchObject({ name: 'Renamed by staff', scopes: ['users:read', 'orders:read'], version: 2 });
    const nothing = await call('PATCH', `/v1/api-clients/${c.id}`, { token: staff, body: {} });
    expect(nothing.status).toBe(400);
    const stale = await call('PATCH', `/v1/api-clients/${c.id}`, { token: customerAdmin, body: { name: 'Late' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    // A client cannot reach the client routes, whatever its scopes.
    const all = await newApiClient(customerAdmin, customer.account.id, [...SCOPE_NAMES]);
    for (const [method, path] of [
      ['GET', `/v1/accounts/${customer.account.id}/api-clients`],
      ['POST', `/v1/api-clients/${c.id}/secrets`],
    ] as const) {
      const r = await call(method, path, { token: all.token, ...(method === 'POST' ? { body: {} } : {}) });
      expect({ status: r.status, code: r.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
    }
    const bad = await call('POST', `/v1/accounts/${customer.account.id}/api-clients`, { token: customerAdmin, body: { name: 'x', scopes: ['orders:everything'] } });
    expect(bad.status).toBe(400);
    const none = await call('POST', `/v1/accounts/${customer.account.id}/api-clients`, { token: customerAdmin, body: { name: 'x', scopes: [] } });
    expect(none.status).toBe(400);
  });
});

/**
 * Every authenticated route of the table refuses a client without the route's scope with 403
 * before it looks for the resource (dummy ids, so a 404 would show the order wrong); a route no
 * client may use (scope null) refuses a client holding every scope. And the scope is all it takes:
 * the client holding it is not refused by the scope check (whatever else it answers).
 */
describe('the route table refuses a client without the route\'s scope', () => {
  const guarded = ROUTES.filter((r) => r.auth);
  const pathOf = (route: RouteSpec) => pathWithUnknownIds(route.path);
  const tokens = {} as Record<Scope | 'all', string>;

  beforeAll(async () => {
    const staff = await staffLogin();
    const rootId = (await call('GET', '/v1/me', { token: staff })).body.accountId;
    tokens.all = (await newApiClient(staff, rootId, [...SCOPE_NAMES])).token;
    for (const scope of SCOPE_NAMES) tokens[scope] = (await newApiClient(staff, rootId, SCOPE_NAMES.filter((s) => s !== scope))).token;
  });

  it('covers every authenticated route', () => {
    expect(guarded.length).toBeGreaterThan(80);
    for (const r of ROUTES) expect(Object.hasOwn(ROUTE_SCOPES, routeKey(r))).toBe(true);
  });

  it.each(guarded.map((r) => [routeKey(r), r] as const))('%s', async (key, route) => {
    const scope = ROUTE_SCOPES[key as keyof typeof ROUTE_SCOPES];
    const body = route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} };
    const refused = await call(route.method, pathOf(route), { token: tokens[scope ?? 'all'], ...body, headers: { 'idempotency-key': unique('key') } });
    expect({ status: refused.status, code: refused.body?.error?.code }).toEqual({ status: 403, code: 'forbidden' });
    if (scope) {
      const allowed = await call(route.method, pathOf(route), { token: tokens.all, ...body, headers: { 'idempotency-key': unique('key') } });
      expect(allowed.status).not.toBe(403);
    }
  });
});

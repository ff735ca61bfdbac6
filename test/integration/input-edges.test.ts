import { call, login, pathWithUnknownIds, staffLogin, unique, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeCustomerBody, makeOrderBody } from '../factories/index.ts';
import { ROUTES, routeKey } from '../../functions/registry.ts';
import { newId } from '../../functions/platform/ids.ts';

/**
 * Input at the edges, through real HTTP: control characters and names (docs/product.md#api-conventions), `{}` on
 * bodiless routes, the local gateway's own errors, and opaque cursors.
 */
let staff: string;
beforeAll(async () => {
  staff = await staffLogin();
});

const expectRefused = (r: { status: number; body: any }, where: string, path: string) => {
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('validation_failed');
  expect(r.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ in: where, path, code: 'invalid_characters' })]));
};

describe('text fields refuse control characters; names are trimmed and NFC-normalized (docs/product.md#api-conventions)', () => {
  const BAD = ['Evil\r\nBcc: victim@example.com', 'nul\u0000byte', 'c1\u0085control', 'rtl\u202Eoverride', 'isolate\u2066x', 'tab\there'];

  it.each(BAD)('POST /v1/accounts refuses %j in the name, the address and the admin, and creates nothing', async (bad) => {
    const body = makeCustomerBody();
    for (const [field, patch] of [
      ['name', { name: bad }],
      ['address.city', { address: { ...body.address, city: bad } }],
      ['admin.lastName', { admin: { ...body.admin, lastName: bad } }],
    ] as const) {
      expectRefused(await call('POST', '/v1/accounts', { token: staff, body: { ...body, ...patch } }), 'body', field);
    }
    // Nothing was created: the admin's login is still free.
    expect((await call('POST', '/v1/accounts', { token: staff, body })).status).toBe(201);
  });

  it('refuses them in a profile edit, a product and a cancellation reason, leaving the data as it was', async () => {
    const customer = await createCustomer(staff);
    const token = await login(customer.login, customer.password);
    expectRefused(await call('PATCH', '/v1/me', { token, body: { firstName: 'Ada\u202E' } }), 'body', 'firstName');
    expect((await call('GET', '/v1/me', { token })).body.firstName).toBe('Ada');
    expectRefused(await call('POST', '/v1/catalog/products', { token: staff, body: { name: 'Bad\nProduct' } }), 'body', 'name');
    expectRefused(await call('PATCH', `/v1/users/${customer.admin.id}`, { token: staff, body: { lastName: 'x\r\ny' } }), 'body', 'lastName');
    expect((await call('GET', `/v1/users/${customer.admin.id}`, { token: staff })).body.lastName).toBe('Admin');
  });

  it('refuses them in query values and path parameters', async () => {
    expectRefused(await call('GET', `/v1/catalog/products?q=${encodeURIComponent('word\r\nX-Injected: 1')}`, { token: staff }), 'query', 'q');
    expectRefused(await call('GET', `/v1/orders/${encodeURIComponent('ord_\u0000')}`, { token: staff }), 'path', 'orderId');
  });

  it('stores names trimmed and in NFC, and keeps any script and emoji', async () => {
    const created = await createCustomer(staff, { name: `  Cafe\u0301 Mu\u0308ller ${unique('n')} 東京 👩‍💻  ` }, { firstName: ' Zoe\u0308 ' });
    expect(created.account.name).toMatch(/^Caf\u00e9 M\u00fcller n-[0-9a-f]{8} 東京 👩‍💻$/);
    expect(created.admin.firstName).toBe('Zo\u00eb');
    const read = await call('GET', `/v1/accounts/${created.account.id}`, { token: staff });
    expect(read.body.name).toBe(created.account.name);
  });
});

describe('action routes that take no body accept none, an empty body or {} (docs/product.md#api-conventions)', () => {
  // Which POST routes take no body: the API document says (no requestBody).
  let bodiless: string[] = [];
  beforeAll(async () => {
    const doc = (await call('GET', '/v1/openapi.json')).body;
    bodiless = ROUTES.filter((r) => r.method === 'POST' && r.auth && r.path.includes('{') && doc.paths[r.path]?.post && !doc.paths[r.path].post.requestBody).map(routeKey);
  });

  it('finds the bodiless action routes', () => {
    expect(bodiless).toEqual(
      expect.arrayContaining(['POST /v1/orders/{orderId}/open', 'POST /v1/users/{userId}/deactivate', 'POST /v1/domains/{domainId}/accept', 'POST /v1/accounts/{accountId}/suspend', 'POST /v1/domains/{domainId}/invitation']),
    );
  });

  it('answers {} on every bodiless action route as it answers no body (here: 404 for an unknown id), never 400', async () => {
    for (const key of bodiless) {
      const path = pathWithUnknownIds(key.split(' ')[1]!);
      for (const opts of [{ body: {} }, { rawBody: '', headers: { 'content-type': 'application/json' } }, {}]) {
        const r = await call('POST', path, { token: staff, ...opts });
        expect({ key, status: r.status, code: r.body?.error?.code }).toEqual({ key, status: 404, code: 'not_found' });
      }
    }
  });

  it('does the action with {}: open, then cancel an order', async () => {
    const customer = await createCustomer(staff);
    const { offer } = await firstOffer(staff);
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: makeOrderBody(offer.id), headers: { 'idempotency-key': unique('k') } });
    expect(placed.status).toBe(201);
    await waitOrder(placed.body.id);
    expect((await call('POST', `/v1/orders/${placed.body.id}/open`, { token: staff, body: {} })).status).toBe(200);
    const cancelled = await call('POST', `/v1/orders/${placed.body.id}/cancel`, { token: staff, body: {} });
    expect({ status: cancelled.status, orderStatus: cancelled.body.status }).toEqual({ status: 200, orderStatus: 'cancelled' });
  });

  it('still refuses a body with fields on a bodiless route', async () => {
    const r = await call('POST', `/v1/orders/${newId('order')}/open`, { token: staff, body: { force: true } });
    // The unknown order answers first (404 before the body); a real one would be 400.
    expect(r.status).toBe(404);
  });
});

describe('the local gateway answers its own errors in the API error shape', () => {
  it('answers malformed percent-encoding in the path with 400 validation_failed', async () => {
    for (const path of ['/v1/orders/%E0%A4%A', '/v1/users/%', '/v1/accounts/%zz']) {
      const r = await call('GET', path, { token: staff });
      expect({ path, status: r.status, code: r.body?.error?.code }).toEqual({ path, status: 400, code: 'validation_failed' });
      expect(r.headers.get('content-type')).toMatch(/application\/json/);
    }
  });

  it('answers a body over its own limit with 413 payload_too_large', async () => {
    const r = await call('POST', '/v1/cart/items', { token: staff, rawBody: `{"x":"${'a'.repeat(11 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 413, code: 'payload_too_large' });
  });

  it('answers an unknown route with 404 not_found', async () => {
    const r = await call('GET', '/v1/nothing-here', { token: staff });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 404, code: 'not_found' });
  });
});

describe('list cursors are opaque, sealed and bound to the route and the caller', () => {
  let first: { body: any };
  let cursor: string;
  beforeAll(async () => {
    await createCustomer(staff);
    await createCustomer(staff);
    first = await call('GET', '/v1/accounts?limit=1', { token: staff });
    cursor = first.body.nextCursor;
  });

  it('carries no id nor key, in plain text or decoded from base64', () => {
    expect(cursor).toEqual(expect.any(String));
    const views = [cursor, Buffer.from(cursor, 'base64').toString('latin1'), Buffer.from(cursor, 'base64url').toString('latin1')];
    for (const view of views) {
      expect(view).not.toMatch(/(acc|usr|sub|ord|inv|prd|dom|pm)_[0-9a-z]{26}/i);
      expect(view).not.toMatch(/\$clp|"pk"|"sk"|account/i);
    }
  });

  it('leads to the next page for the caller it was issued to', async () => {
    const next = await call('GET', `/v1/accounts?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: staff });
    expect(next.status).toBe(200);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  const invalid = (r: { status: number; body: any }) => {
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'cursor', code: 'invalid_cursor' })]);
  };

  it('refuses a tampered cursor', async () => {
    const flipped = `${cursor.slice(0, 10)}${cursor[10] === 'A' ? 'B' : 'A'}${cursor.slice(11)}`;
    invalid(await call('GET', `/v1/accounts?limit=1&cursor=${encodeURIComponent(flipped)}`, { token: staff }));
    invalid(await call('GET', `/v1/accounts?limit=1&cursor=${encodeURIComponent(cursor.slice(0, -2))}`, { token: staff }));
  });

  it('refuses a cursor issued to another user, even one who reads the very same list', async () => {
    // A second distributor staff member lists the same accounts from the same index.
    const me = await call('GET', '/v1/me', { token: staff });
    const colleagueLogin = `${unique('colleague')}@distributor.test`;
    const added = await call('POST', `/v1/accounts/${me.body.accountId}/users`, {
      token: staff,
      body: { users: [{ firstName: 'Col', lastName: 'League', login: colleagueLogin, role: 'admin', password: 'Colleague-Pass-12' }], sendActivationEmail: false },
    });
    expect(added.status).toBe(201);
    const colleague = await login(colleagueLogin, 'Colleague-Pass-12');
    expect((await call('GET', '/v1/accounts?limit=1', { token: colleague })).status).toBe(200);
    invalid(await call('GET', `/v1/accounts?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: colleague }));
  });

  it('refuses a cursor on another route than the one that issued it', async () => {
    invalid(await call('GET', `/v1/orders?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: staff }));
  });

  it('refuses a raw database cursor built by hand', async () => {
    const raw = Buffer.from(JSON.stringify({ pk: '$clp#account', sk: first.body.items[0].id })).toString('base64url');
    invalid(await call('GET', `/v1/accounts?limit=1&cursor=${raw}`, { token: staff }));
  });
});

import { call, login, pathWithUnknownIds, staffLogin, unique } from './api.ts';
import { createCustomer, makeCustomerBody } from '../factories/index.ts';
import { ROUTES, routeKey, type RouteSpec } from '../../functions/registry.ts';

/**
 * docs/product.md#api-conventions order of checks, over the whole route table: authenticate (401) → the caller's role may
 * use this route at all (403) → path and query valid (400) → the resource exists in scope (404) →
 * body valid (400) → the action. Six roles: admin and user of the distributor, of a reseller and
 * of a customer.
 */
type RoleName = 'distributorAdmin' | 'distributorUser' | 'resellerAdmin' | 'resellerUser' | 'customerAdmin' | 'customerUser';
const ROLES: RoleName[] = ['distributorAdmin', 'distributorUser', 'resellerAdmin', 'resellerUser', 'customerAdmin', 'customerUser'];

/** Who may use a route of each permission at all (written out here, not computed by the code under test). */
const MAY_USE: Record<RouteSpec['permission'], RoleName[]> = {
  public: ROLES,
  read: ROLES,
  view: ['distributorAdmin', 'distributorUser', 'resellerAdmin', 'resellerUser', 'customerAdmin'],
  operate: ['distributorAdmin', 'distributorUser', 'resellerAdmin', 'resellerUser'],
  manage: ['distributorAdmin', 'resellerAdmin', 'customerAdmin'],
  staffAdmin: ['distributorAdmin', 'resellerAdmin'],
  distributorAdmin: ['distributorAdmin'],
  customer: ['customerAdmin', 'customerUser'],
  buyer: ['distributorAdmin', 'resellerAdmin', 'customerAdmin', 'customerUser'],
};


const pathWith = (route: RouteSpec, value: (param: string) => string) => route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => value(name));
const takesBody = (route: RouteSpec) => route.method === 'POST' || route.method === 'PATCH' || route.method === 'PUT';
const guarded = ROUTES.filter((r) => r.auth);

describe('order of checks on every route (docs/product.md#api-conventions)', () => {
  const tokens = {} as Record<RoleName, string>;

  beforeAll(async () => {
    tokens.distributorAdmin = await staffLogin();
    const me = await call('GET', '/v1/me', { token: tokens.distributorAdmin });
    const addUser = async (token: string, accountId: string) => {
      const userLogin = `${unique('plain')}@order-checks.test`;
      const r = await call('POST', `/v1/accounts/${accountId}/users`, {
        token,
        body: { users: [{ firstName: 'Pat', lastName: 'Plain', login: userLogin, role: 'user', password: 'Plain-User-Pass-1' }], sendActivationEmail: false },
      });
      if (r.status !== 201) throw new Error(`add user: ${r.status} ${JSON.stringify(r.body)}`);
      return login(userLogin, 'Plain-User-Pass-1');
    };
    tokens.distributorUser = await addUser(tokens.distributorAdmin, me.body.accountId);
    const resellerBody = makeCustomerBody({ type: 'reseller', name: `Reseller ${unique('r')}` });
    const reseller = await call('POST', '/v1/accounts', { token: tokens.distributorAdmin, body: resellerBody });
    if (reseller.status !== 201) throw new Error(`reseller: ${reseller.status} ${JSON.stringify(reseller.body)}`);
    tokens.resellerAdmin = await login(resellerBody.admin.login, resellerBody.admin.password);
    tokens.resellerUser = await addUser(tokens.resellerAdmin, reseller.body.account.id);
    const customer = await createCustomer(tokens.resellerAdmin);
    tokens.customerAdmin = await login(customer.login, customer.password);
    tokens.customerUser = await addUser(tokens.customerAdmin, customer.account.id);
  });

  const refused = guarded.flatMap((route) => ROLES.filter((role) => !MAY_USE[route.permission].includes(role)).map((role) => [routeKey(route), role, route] as const));

  it('has routes and roles to refuse (the table below is not empty)', () => {
    expect(refused.length).toBeGreaterThan(40);
  });

  it.each(refused)('%s: a %s gets 403 before its invalid path, query and body are looked at', async (_key, role, route) => {
    const r = await call(route.method, `${pathWith(route, () => 'not-an-id')}?__bogus=1`, {
      token: tokens[role],
      ...(takesBody(route) ? { body: { __bogus: true } } : {}),
    });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 403, code: 'forbidden' });
  });

  // A role that may use the route, a well-formed id of nothing, an invalid body: 404 before the body's 400.
  const unknownResource = guarded
    .filter((route) => route.path.includes('{') && takesBody(route))
    .map((route) => [routeKey(route), MAY_USE[route.permission].find((r) => r === 'distributorAdmin' || r === 'customerAdmin')!, route] as const);

  it.each(unknownResource)('%s: a %s naming an unknown resource with an invalid body gets 404', async (_key, role, route) => {
    const r = await call(route.method, pathWithUnknownIds(route.path), { token: tokens[role], body: { __bogus: true } });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 404, code: 'not_found' });
  });

  it.each(unknownResource)('%s: a %s naming an unknown resource with malformed JSON gets 404 too', async (_key, role, route) => {
    const r = await call(route.method, pathWithUnknownIds(route.path), {
      token: tokens[role],
      rawBody: '{"half":',
      headers: { 'content-type': 'application/json' },
    });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 404, code: 'not_found' });
  });

  it('still answers 401 first: no token, invalid path, query and body', async () => {
    const r = await call('PATCH', '/v1/catalog/products/not-an-id?__bogus=1', { rawBody: '{"half":', headers: { 'content-type': 'application/json' } });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 401, code: 'unauthenticated' });
  });

  it('answers 400 for an invalid path before looking for the resource, and 400 for the body of a resource in scope', async () => {
    const path = await call('PATCH', '/v1/accounts/not-an-id', { token: tokens.distributorAdmin, body: { name: 'x' } });
    expect({ status: path.status, code: path.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(path.body.error.details[0].in).toBe('path');
    const me = await call('GET', '/v1/me', { token: tokens.customerAdmin });
    const body = await call('PATCH', `/v1/accounts/${me.body.accountId}`, { token: tokens.customerAdmin, body: { __bogus: true } });
    expect({ status: body.status, code: body.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(body.body.error.details[0].in).toBe('body');
  });

  it('hides another tenant\'s resource behind 404 even when the body is invalid', async () => {
    const other = await createCustomer(tokens.distributorAdmin);
    const r = await call('PATCH', `/v1/accounts/${other.account.id}`, { token: tokens.customerAdmin, body: { __bogus: true } });
    expect({ status: r.status, code: r.body.error.code }).toEqual({ status: 404, code: 'not_found' });
  });
});

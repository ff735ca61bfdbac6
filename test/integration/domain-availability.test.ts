import { call, login, staffLogin, unique } from './api.ts';
import { startStack, type RunningStack } from './stack.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';

/**
 * `GET /v1/domains/availability?prefix=` (docs/product.md#domains, docs/product.md#sandboxes-and-their-magic-values): a name is available when the vendor
 * can create it and no domain of this deployment holds it.
 */
describe('domain availability', () => {
  let staff: string;

  const availability = (prefix: string, token = staff) =>
    call('GET', `/v1/domains/availability?prefix=${encodeURIComponent(prefix)}`, { token });

  beforeAll(async () => {
    staff = await staffLogin();
  });

  it('says a fresh prefix is available, to any signed-in user', async () => {
    const prefix = unique('fresh').toLowerCase();
    const customer = await createCustomer(staff);
    for (const token of [staff, await login(customer.login, customer.password)]) {
      const r = await availability(prefix, token);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ prefix, domain: `${prefix}.onmicrosoft.com`, available: true });
    }
  });

  it('says an ext- prefix is not available: the vendor has that tenant for another provider', async () => {
    const r = await availability('ext-contoso');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ prefix: 'ext-contoso', domain: 'ext-contoso.onmicrosoft.com', available: false });
  });

  it('says a name an order of this deployment holds is not available, before the vendor has the tenant', async () => {
    const offerId = (await firstOffer(staff)).offer.id;
    const customer = await createCustomer(staff);
    const body = makeOrderBody(offerId);
    expect((await availability(body.domain.prefix)).body.available).toBe(true);
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': unique('k') } });
    expect(placed.status).toBe(201);
    const r = await availability(body.domain.prefix);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ prefix: body.domain.prefix, domain: `${body.domain.prefix}.onmicrosoft.com`, available: false });
  });

  it.each([['Upper-Case'], ['ab'], ['-starts-with-dash'], ['ends-with-dash-'], ['dots.in.it'], ['x'.repeat(41)], ['']])(
    'refuses the prefix "%s" with 400',
    async (prefix) => {
      const r = await availability(prefix);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    },
  );

  it('refuses a missing prefix and unknown parameters with 400, and a caller without a token with 401', async () => {
    expect((await call('GET', '/v1/domains/availability', { token: staff })).status).toBe(400);
    expect((await call('GET', '/v1/domains/availability?prefix=contoso&force=1', { token: staff })).status).toBe(400);
    expect((await call('GET', '/v1/domains/availability?prefix=contoso')).status).toBe(401);
  });
});

/** A stack of its own whose sandbox vendor always times out (SANDBOX_VENDOR_TRANSIENT_FAILURE_RATE=1). */
describe('domain availability when the vendor times out', () => {
  let flaky: RunningStack;

  beforeAll(async () => {
    flaky = await startStack({ SANDBOX_VENDOR_TRANSIENT_FAILURE_RATE: '1' });
  }, 120_000);

  afterAll(async () => {
    await flaky?.stop();
  });

  it('answers 503 try_again rather than guessing', async () => {
    const signIn = await fetch(`${flaky.baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: flaky.adminLogin, password: flaky.adminPassword }),
    });
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const r = await fetch(`${flaky.baseUrl}/v1/domains/availability?prefix=${unique('fresh').toLowerCase()}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(r.status).toBe(503);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('try_again');
  });
});

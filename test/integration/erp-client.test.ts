import { call, staffLogin, unique } from './api.ts';
import { makeCustomerBody, makeOrderBody } from '../factories/index.ts';
import { signatureValid, startReceiver, type Receiver } from './webhook-receiver.ts';
import { timeoutFor } from './scale.ts';

/**
 * The issue's "done when", as a distributor's ERP would run it: a distributor admin creates an API
 * client once and hands its id and secret to the ERP. From then on the ERP uses nothing else: it
 * takes a token (HTTP Basic, form body, as OAuth libraries send it), registers its webhook
 * endpoint, creates a customer, places an order, opens and provisions it, and receives a signed
 * `order.status_changed` for each step. No person's password, no refresh token.
 */
describe('an ERP with only a client id and secret', () => {
  let receiver: Receiver;
  let clientId: string;
  let clientSecret: string;
  /** The distributor's account: handed to the ERP with the credentials (the console shows it beside them). */
  let accountId: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    const admin = await staffLogin();
    const me = await call('GET', '/v1/me', { token: admin });
    accountId = me.body.accountId as string;
    const created = await call('POST', `/v1/accounts/${me.body.accountId}/api-clients`, {
      token: admin,
      body: { name: unique('ERP connector'), scopes: ['accounts:write', 'accounts:read', 'catalog:read', 'orders:write', 'orders:read', 'orders:operate', 'webhooks:write', 'events:read'] },
    });
    expect(created.status).toBe(201);
    clientId = created.body.id;
    clientSecret = created.body.clientSecret;
  });

  let webhookId: string | undefined;
  afterAll(async () => {
    // The endpoint gets every event of the distributor's tree, other test files' too: it goes with the test.
    if (webhookId) await call('DELETE', `/v1/webhooks/${webhookId}`, { token: await staffLogin() });
    await receiver.close();
  });

  /** What the ERP does to get a token: RFC 6749 client credentials, HTTP Basic, form-encoded body. */
  async function token(): Promise<string> {
    const r = await call('POST', '/v1/oauth/token', {
      rawBody: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(r.headers.get('cache-control')).toBe('no-store');
    return r.body.access_token as string;
  }

  /** The ERP polls the order until the workflow waits at `gate` (a person would see the button). */
  async function waitAt(erp: string, orderId: string, gate: string) {
    const deadline = Date.now() + timeoutFor(20_000, 60_000);
    for (;;) {
      const r = await call('GET', `/v1/orders/${orderId}`, { token: erp });
      expect(r.status).toBe(200);
      if (r.body.waitingAt === gate) return r.body;
      if (Date.now() > deadline) throw new Error(`order ${orderId} never waited at ${gate}: ${JSON.stringify(r.body.status)}`);
      await new Promise((res) => setTimeout(res, 150));
    }
  }

  it('creates a customer, orders, opens and provisions, and is told of every step by signed webhooks', async () => {
    const erp = await token();

    // A client may not manage API clients, its own included (a null scope: no client may use the route).
    expect((await call('GET', `/v1/api-clients/${clientId}`, { token: erp })).status).toBe(403);

    const hook = await call('POST', `/v1/accounts/${accountId}/webhooks`, { token: erp, body: { url: receiver.url, eventTypes: ['order.status_changed'], description: 'ERP order feed' } });
    expect(hook.status).toBe(201);
    webhookId = hook.body.id;
    const secret = hook.body.secret as string;
    expect(secret).toMatch(/^whsec_/);

    const customer = await call('POST', '/v1/accounts', { token: erp, body: makeCustomerBody() });
    expect(customer.status).toBe(201);
    const customerId = customer.body.account.id as string;

    const products = await call('GET', '/v1/catalog/products?q=business%20basic', { token: erp });
    expect(products.status).toBe(200);
    const offerId = products.body.items[0].offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly').id as string;

    const placed = await call('POST', `/v1/accounts/${customerId}/orders`, { token: erp, body: makeOrderBody(offerId, { lines: [{ offerId, quantity: 3 }] }), headers: { 'idempotency-key': unique('erp') } });
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;

    await waitAt(erp, orderId, 'open');
    expect((await call('POST', `/v1/orders/${orderId}/open`, { token: erp })).status).toBe(200);
    await waitAt(erp, orderId, 'provision');
    expect((await call('POST', `/v1/orders/${orderId}/provision`, { token: erp })).status).toBe(202);

    const ofOrder = (all: typeof receiver.all) => all.filter((r) => r.event.data.orderId === orderId);
    const got = ofOrder(await receiver.until((a) => ofOrder(a).some((r) => r.event.data.status === 'completed'), timeoutFor(30_000, 90_000)));
    expect(got.map((r) => r.event.data.status)).toEqual(['new', 'open', 'provisioning', 'completed']);
    expect(got.map((r) => r.event.data.previousStatus)).toEqual([null, 'new', 'open', 'provisioning']);
    for (const r of got) {
      expect(r.event.type).toBe('order.status_changed');
      expect(r.event.id).toBe(r.id);
      expect(r.event.accountId).toBe(customerId);
      expect(signatureValid(r.signature, r.body, secret)).toBe(true);
      // A signature under another secret, or over another body, does not verify: the check can fail.
      expect(signatureValid(r.signature, r.body, `${secret}x`)).toBe(false);
      expect(signatureValid(r.signature, r.body.replace(orderId, 'ord_x'), secret)).toBe(false);
    }

    // The audit trail of the customer names the client as the one who opened and provisioned.
    const admin = await staffLogin();
    const audit = await call('GET', `/v1/accounts/${customerId}/audit-events?limit=50`, { token: admin });
    expect(audit.status).toBe(200);
    const opened = audit.body.items.find((e: { action: string }) => e.action === 'order.open');
    expect(opened.actor.userId).toBe(clientId);
    expect(opened.actor.name).toMatch(/ERP connector.*API client/);
  });
});

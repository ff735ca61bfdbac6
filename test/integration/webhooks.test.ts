import { jest } from '@jest/globals';
import { call, staffLogin, unique, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';
import { signatureValid, startReceiver, type Receiver } from './webhook-receiver.ts';
import { timeoutFor } from './scale.ts';

/**
 * Webhooks over HTTP on the local stack (docs/api.md#webhooks): endpoints registered on a fresh
 * customer (so only its own events arrive), a receiver of the test's own on 127.0.0.1 (the local
 * configuration allows http and private addresses), orders placed and opened by staff.
 */
jest.setTimeout(180_000);

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
}

describe('webhooks', () => {
  let staff: string;
  let offerId: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
    const r = await startReceiver(answer);
    receivers.push(r);
    return r;
  }

  const register = (accountId: string, body: Record<string, unknown>, token = staff) => call('POST', `/v1/accounts/${accountId}/webhooks`, { token, body });

  /** Places an order and opens it; `correlation` names the x-correlation-id each of the two requests sends. */
  async function placeAndOpen(accountId: string, correlation?: { place: string; open: string }): Promise<{ orderId: string; number: string }> {
    const placed = await call('POST', `/v1/accounts/${accountId}/orders`, {
      token: staff,
      body: makeOrderBody(offerId),
      headers: { 'idempotency-key': unique('key'), ...(correlation ? { 'x-correlation-id': correlation.place } : {}) },
    });
    expect(placed.status).toBe(201);
    await waitOrder(placed.body.id);
    const opened = await call('POST', `/v1/orders/${placed.body.id}/open`, { token: staff, ...(correlation ? { headers: { 'x-correlation-id': correlation.open } } : {}) });
    expect(opened.status).toBe(200);
    return { orderId: placed.body.id, number: placed.body.number };
  }

  const statuses = (accepted: Receiver['all']) => accepted.filter((r) => r.event.type === 'order.status_changed').map((r) => r.event.data.status);

  it('delivers signed order.status_changed events for each step, shows the secret once and logs each delivery', async () => {
    const customer = await createCustomer(staff);
    const hook = await receiver();
    const created = await register(customer.account.id, { url: hook.url, eventTypes: ['order.status_changed'], description: 'ERP' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ accountId: customer.account.id, url: hook.url, eventTypes: ['order.status_changed'], status: 'active', description: 'ERP', disabledReason: null });
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const read = await call('GET', `/v1/webhooks/${created.body.id}`, { token: staff });
    expect(read.status).toBe(200);
    expect(read.body.secret).toBeUndefined();
    expect(JSON.stringify(read.body)).not.toContain(secret);
    const audit = await call('GET', `/v1/accounts/${customer.account.id}/audit-events`, { token: staff });
    const registered = (audit.body.items as Array<{ action: string }>).find((e) => e.action === 'POST /v1/accounts/{accountId}/webhooks');
    expect(registered).toMatchObject({ resource: { type: 'webhook', id: created.body.id }, details: { url: hook.url, eventTypes: ['order.status_changed'] } });
    expect(JSON.stringify(audit.body)).not.toContain(secret);

    const { orderId, number } = await placeAndOpen(customer.account.id);
    const accepted = await hook.until((a) => statuses(a).includes('open'));
    expect(statuses(accepted)).toEqual(['new', 'open']);
    for (const r of accepted) {
      expect(signatureValid(r.signature, r.body, secret)).toBe(true);
      expect(signatureValid(r.signature, r.body, `${secret}x`)).toBe(false);
      expect(r.signature).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
      expect(Math.abs(Number(/t=(\d+)/.exec(r.signature)![1]) - Date.now() / 1000)).toBeLessThan(300);
      expect(r.id).toBe(r.event.id);
      expect(r.event).toMatchObject({ type: 'order.status_changed', apiVersion: '2026-12-01', accountId: customer.account.id, data: { orderId, number, accountId: customer.account.id } });
    }
    expect(accepted[0]!.event.data.previousStatus).toBeNull();
    expect(accepted[1]!.event.data.previousStatus).toBe('new');
    // Nothing the endpoint did not ask for (the order's invoice is an `invoice.issued` event).
    expect(hook.all.every((r) => r.event.type === 'order.status_changed')).toBe(true);

    const log = await call('GET', `/v1/webhooks/${created.body.id}/deliveries`, { token: staff });
    expect(log.status).toBe(200);
    const items = log.body.items as Delivery[];
    expect(items.map((d) => d.eventId)).toEqual([accepted[1]!.id, accepted[0]!.id]);
    for (const d of items) expect(d).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, eventType: 'order.status_changed', id: d.eventId.replace(/^ev_/, 'whd_') });
    const paged = await call('GET', `/v1/webhooks/${created.body.id}/deliveries?limit=1`, { token: staff });
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.nextCursor).toEqual(expect.any(String));
    const rest = await call('GET', `/v1/webhooks/${created.body.id}/deliveries?limit=1&cursor=${encodeURIComponent(paged.body.nextCursor)}`, { token: staff });
    expect(rest.body.items.map((d: Delivery) => d.eventId)).toEqual([accepted[0]!.id]);

    // Manual redelivery: the same event, the same Webhook-Id, one more attempt.
    const again = await call('POST', `/v1/webhooks/${created.body.id}/deliveries/${items[1]!.id}/redeliver`, { token: staff });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: items[1]!.id, status: 'delivered', attempts: 2, lastStatusCode: 200 });
    // Redeliveries asked at once: one send per 200 answer, never more; one asked while the first is pending gets 409.
    const asks = await Promise.all([1, 2, 3].map(() => call('POST', `/v1/webhooks/${created.body.id}/deliveries/${items[0]!.id}/redeliver`, { token: staff })));
    const sent = asks.filter((r) => r.status === 200).length;
    expect(sent).toBeGreaterThanOrEqual(1);
    for (const r of asks.filter((a) => a.status !== 200)) expect([r.status, r.body.error.code]).toEqual([409, 'invalid_state']);
    expect(hook.all.filter((r) => r.id === accepted[1]!.id)).toHaveLength(1 + sent);
    const copies = hook.all.filter((r) => r.id === accepted[0]!.id);
    expect(copies).toHaveLength(2);
    expect(copies[1]!.body).toBe(copies[0]!.body);
    expect(signatureValid(copies[1]!.signature, copies[1]!.body, secret)).toBe(true);
  });

  it('retries a delivery the receiver refused and keeps the later event of the same order behind it', async () => {
    const customer = await createCustomer(staff);
    // The first event's first attempt fails with a 500; everything else is taken.
    let firstId: string | undefined;
    const hook = await receiver(({ id, attempt }) => {
      firstId ??= id;
      return id === firstId && attempt === 1 ? 500 : 200;
    });
    const created = await register(customer.account.id, { url: hook.url, eventTypes: ['order.status_changed'] });
    expect(created.status).toBe(201);
    const webhookId = created.body.id as string;
    const { orderId } = await placeAndOpen(customer.account.id);

    // The placement's event failed; the opening's waits behind it (never sent before it).
    const deliveries = async () => (await call('GET', `/v1/webhooks/${webhookId}/deliveries`, { token: staff })).body.items as Delivery[];
    const recorded = Date.now() + timeoutFor(10_000, 45_000);
    while ((await deliveries()).length < 2 && Date.now() < recorded) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    expect(hook.all).toHaveLength(1);
    expect(hook.all[0]).toMatchObject({ status: 500, event: { data: { orderId, status: 'new' } } });
    const waiting = await deliveries();
    expect(waiting.map((d) => [d.status, d.attempts, d.lastStatusCode])).toEqual([
      ['pending', 0, null],
      ['pending', 1, 500],
    ]);

    // Not due yet: a run of the retry job now sends nothing.
    expect((await call('POST', '/_local/jobs/webhookRetries')).status).toBe(200);
    expect(hook.all).toHaveLength(1);

    // The first retry is due 30 s after the failure. Three runs of the job at once send it once (the delivery's lease).
    await new Promise((r) => setTimeout(r, 31_000));
    const runs = await Promise.all([1, 2, 3].map(() => call('POST', '/_local/jobs/webhookRetries')));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);
    const accepted = await hook.until((a) => a.length === 2, 10_000);
    expect(statuses(accepted)).toEqual(['new', 'open']);
    expect(hook.all.map((r) => [r.event.data.status, r.status])).toEqual([
      ['new', 500],
      ['new', 200],
      ['open', 200],
    ]);
    const done = await deliveries();
    expect(done.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 2],
    ]);
  });

  it('keeps at most 10 endpoints per account, also when they are registered at once', async () => {
    const customer = await createCustomer(staff);
    const hook = await receiver();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => register(customer.account.id, { url: `${hook.url}/${i}`, eventTypes: ['user.created'] })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r.body.error.code).toBe('too_many_webhooks');
    expect(refused[0]!.status).toBe(422);
    const eleventh = await register(customer.account.id, { url: hook.url, eventTypes: ['user.created'] });
    expect(eleventh.status).toBe(422);
    expect(eleventh.body.error.code).toBe('too_many_webhooks');
    const list = await call('GET', `/v1/accounts/${customer.account.id}/webhooks?limit=100`, { token: staff });
    expect(list.body.items).toHaveLength(10);

    // Deleting one frees a place.
    const removed = await call('DELETE', `/v1/webhooks/${list.body.items[0].id}`, { token: staff });
    expect(removed.status).toBe(204);
    expect((await call('GET', `/v1/webhooks/${list.body.items[0].id}`, { token: staff })).status).toBe(404);
    expect((await register(customer.account.id, { url: hook.url, eventTypes: ['user.created'] })).status).toBe(201);
  });

  it('refuses unknown event types and bad URLs with 400 and registers nothing; accepts http locally', async () => {
    const customer = await createCustomer(staff);
    const unknown = await register(customer.account.id, { url: 'https://erp.example.com/hooks', eventTypes: ['order.status_changed', 'order.teleported'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_failed');
    expect(JSON.stringify(unknown.body.error.details)).toContain('eventTypes');
    const none = await register(customer.account.id, { url: 'https://erp.example.com/hooks', eventTypes: [] });
    expect(none.status).toBe(400);
    for (const url of ['ftp://erp.example.com/hooks', 'not a url', 'https://user:pass@erp.example.com/hooks']) {
      const bad = await register(customer.account.id, { url, eventTypes: ['user.created'] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].path).toBe('url');
    }
    const list = await call('GET', `/v1/accounts/${customer.account.id}/webhooks`, { token: staff });
    expect(list.body.items).toHaveLength(0);

    // The local stack allows http and this machine's addresses (WEBHOOKS_ALLOW_HTTP, WEBHOOKS_ALLOW_PRIVATE_NETWORKS).
    const http = await register(customer.account.id, { url: 'http://127.0.0.1:9/hooks', eventTypes: ['user.created'] });
    expect(http.status).toBe(201);
  });

  it('edits an endpoint under If-Match, disables and re-enables it, and lets only the account\'s admins and the staff above manage it', async () => {
    const customer = await createCustomer(staff);
    const other = await createCustomer(staff);
    const created = await register(customer.account.id, { url: 'https://erp.example.com/hooks', eventTypes: ['user.created'] });
    const id = created.body.id as string;
    const edited = await call('PATCH', `/v1/webhooks/${id}`, { token: staff, body: { eventTypes: ['user.created', 'invoice.paid'], status: 'disabled' }, headers: { 'if-match': '"1"' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ eventTypes: ['user.created', 'invoice.paid'], status: 'disabled', version: 2 });
    const stale = await call('PATCH', `/v1/webhooks/${id}`, { token: staff, body: { status: 'active' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const enabled = await call('PATCH', `/v1/webhooks/${id}`, { token: staff, body: { status: 'active', description: null } });
    expect(enabled.body).toMatchObject({ status: 'active', disabledReason: null, version: 3 });

    const admin = (await call('POST', '/v1/auth/login', { body: { login: customer.login, password: customer.password } })).body.accessToken as string;
    expect((await call('GET', `/v1/webhooks/${id}`, { token: admin })).status).toBe(200);
    const outsider = (await call('POST', '/v1/auth/login', { body: { login: other.login, password: other.password } })).body.accessToken as string;
    expect((await call('GET', `/v1/webhooks/${id}`, { token: outsider })).status).toBe(404);
    expect((await call('GET', `/v1/accounts/${customer.account.id}/webhooks`, { token: outsider })).status).toBe(404);
    expect((await register(customer.account.id, { url: 'https://erp.example.com/x', eventTypes: ['user.created'] }, outsider)).status).toBe(404);
  });

  it('sends to the local sink, which records what it received, each delivery with the correlation id of the request that caused it', async () => {
    const customer = await createCustomer(staff);
    const { baseUrl } = JSON.parse(process.env.CLP_STACK!) as { baseUrl: string };
    const path = `/_local/webhooks/sink/${unique('t')}`;
    const created = await register(customer.account.id, { url: `${baseUrl}${path}`, eventTypes: ['order.status_changed'] });
    expect(created.status).toBe(201);
    const correlation = { place: `erp-${unique('place')}`, open: `erp-${unique('open')}` };
    const { orderId } = await placeAndOpen(customer.account.id, correlation);
    type Sunk = { path: string; headers: Record<string, string>; json: { data: { orderId: string; status: string } } };
    let mine: Sunk[] = [];
    const sunk = Date.now() + timeoutFor(15_000, 60_000);
    while (mine.length < 2 && Date.now() < sunk) {
      await new Promise((r) => setTimeout(r, 100));
      mine = ((await call('GET', '/_local/webhooks/sink')).body.received as Sunk[]).filter((r) => r.path === path);
    }
    expect(mine.map((r) => r.json.data.status).reverse()).toEqual(['new', 'open']);
    expect(mine[0]!.json.data.orderId).toBe(orderId);
    expect(mine[0]!.headers['webhook-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    // The placement's event comes from its request. The opening's move is written by whichever
    // comes first, the open request or the workflow task it resumes (services/order-lifecycle.ts
    // recordGateMove), and the workflow runs under the placement's id: either is the cause.
    const [placedWith, openedWith] = mine.map((r) => r.headers['x-correlation-id']).reverse();
    expect(placedWith).toBe(correlation.place);
    expect([correlation.open, correlation.place]).toContain(openedWith);
    const page = await call('GET', '/_local/webhooks');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain(created.body.id);
  });
});

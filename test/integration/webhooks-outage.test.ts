import { jest } from '@jest/globals';
import { call, emails, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';
import { timeoutFor } from './scale.ts';

/**
 * A receiver down for longer than the retry window (docs/api.md#webhooks "Retries and disabling"):
 * the clock moves a day on, the retry job's next try fails and gives up: the delivery `failed`, the
 * endpoint `disabled` with the reason, its account's admins emailed once. Re-enabled, a failed
 * delivery can be sent again by hand. ALONE in lanes.js: it moves the shared clock.
 */
jest.setTimeout(180_000);

describe('a webhook endpoint down for more than 24 hours', () => {
  let staff: string;
  let offerId: string;
  let hook: Receiver;
  let up = false;

  beforeAll(async () => {
    await call('DELETE', '/_local/clock');
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
    hook = await startReceiver(() => (up ? 200 : 503));
  });
  afterAll(async () => {
    await call('DELETE', '/_local/clock');
    await hook.close();
  });

  it('is disabled with its reason after the retries of a day, its admins emailed once; re-enabled, a failed delivery is sent again', async () => {
    const customer = await createCustomer(staff, {}, { locale: 'de' });
    const created = await call('POST', `/v1/accounts/${customer.account.id}/webhooks`, { token: staff, body: { url: hook.url, eventTypes: ['order.status_changed'] } });
    expect(created.status).toBe(201);
    const webhookId = created.body.id as string;

    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: makeOrderBody(offerId), headers: { 'idempotency-key': unique('key') } });
    expect(placed.status).toBe(201);
    await waitOrder(placed.body.id);
    expect((await call('POST', `/v1/orders/${placed.body.id}/open`, { token: staff })).status).toBe(200);
    const log = async () => (await call('GET', `/v1/webhooks/${webhookId}/deliveries`, { token: staff })).body.items as Array<{ id: string; status: string; attempts: number; lastStatusCode: number | null; lastError: string | null; eventId: string; createdAt: string; nextAttemptAt: string | null }>;
    // Both deliveries recorded, the opening's still pending and never tried: whether the dispatcher
    // already looked at it (and put it back behind the failing one) or left it to the retry job
    // depends on whether both events came in one stream batch.
    const held = async () => {
      const deliveries = await log();
      const [newest] = deliveries;
      return hook.all.length >= 1 && deliveries.length >= 2 && newest !== undefined && newest.status === 'pending' && newest.attempts === 0;
    };
    const deadline = Date.now() + timeoutFor(15_000, 60_000);
    while (!(await held()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await held()).toBe(true);
    expect(hook.all.map((r) => r.status)).toEqual([503]);

    // A day and an hour later, the retry job's try of the placement's event fails past the window.
    const now = (await call('GET', '/_local/clock')).body.now as string;
    expect((await call('PUT', '/_local/clock', { body: { now: new Date(Date.parse(now) + 25 * 3600_000).toISOString() } })).status).toBe(200);
    // The placement's event gives up; the opening's, held behind it, then fails unsent with the endpoint.
    // (The job's tally counts every endpoint's deliveries, other files' too: this endpoint's log is what is checked.)
    const run = await call('POST', '/_local/jobs/webhookRetries');
    expect(run.status).toBe(200);
    expect(run.body.failed).toBeGreaterThanOrEqual(2);
    expect(hook.all.map((r) => r.status)).toEqual([503, 503]);
    // Tokens signed a day ago have expired on the moved clock.
    staff = await staffLogin();

    const endpoint = await call('GET', `/v1/webhooks/${webhookId}`, { token: staff });
    expect(endpoint.body).toMatchObject({ status: 'disabled', disabledAt: expect.any(String) });
    expect(endpoint.body.disabledReason).toBe('deliveries_failed');
    expect(endpoint.body.lastError).toBe('HTTP 503');

    // A second run finds nothing left to do.
    const before = await log();
    expect((await call('POST', '/_local/jobs/webhookRetries')).status).toBe(200);
    expect(hook.all).toHaveLength(2);
    expect(await log()).toEqual(before);
    const [open, placedEvent] = await log();
    expect(placedEvent).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: 503 });
    expect(open).toMatchObject({ status: 'failed', attempts: 0, lastStatusCode: null });
    expect(open!.lastError).toMatch(/24 hours/);

    const mail = await waitForEmail((e) => e.destination.to.includes(customer.login) && e.subject.includes('Webhook'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Ein Webhook-Endpunkt wurde deaktiviert');
    expect(mail[0]!.body.text).toContain(hook.url);
    expect(mail[0]!.body.html).toContain('<html lang="de"');
    await call('GET', '/_local/emails?wait');
    expect((await emails()).filter((e) => e.destination.to.includes(customer.login) && e.subject.includes('Webhook'))).toHaveLength(1);

    // Disabled: a redelivery waits for it to be enabled again.
    const refused = await call('POST', `/v1/webhooks/${webhookId}/deliveries/${placedEvent!.id}/redeliver`, { token: staff });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'invalid_state']);

    up = true;
    const enabled = await call('PATCH', `/v1/webhooks/${webhookId}`, { token: staff, body: { status: 'active' } });
    expect(enabled.body).toMatchObject({ status: 'active', disabledReason: null, lastError: null, disabledAt: null });
    const again = await call('POST', `/v1/webhooks/${webhookId}/deliveries/${placedEvent!.id}/redeliver`, { token: staff });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, failedAt: null });
    expect(hook.accepted().map((r) => r.event.data.status)).toEqual(['new']);
  });
});

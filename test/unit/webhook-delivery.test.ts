import { jest } from '@jest/globals';
import { createHmac } from 'node:crypto';
import type { DeliveryKey, NewDelivery, Webhook, WebhookDelivery } from '../../functions/data/webhooks.ts';
import { makeDeliveryService, type DeliveryDeps } from '../../functions/services/webhook-delivery.ts';
import { RETRY_WINDOW_MS } from '../../functions/domain/webhooks.ts';
import { logger } from '../../functions/platform/logger.ts';

// The service logs each failed try; the tests read the deliveries, not the log lines.
jest.spyOn(logger, 'info').mockImplementation(() => undefined);
jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

/**
 * The delivery rules of services/webhook-delivery.ts against an in-memory repository that keeps the
 * same conditions as data/webhooks.ts (lease only on a pending delivery nobody holds; neighbours are
 * pending deliveries of the same endpoint and resource): order per resource, holding, the chain
 * after a success or a give-up, the 24-hour give-up with its one disabling, and the lease.
 */
type Sent = { url: string; body: string; headers: Record<string, string> };

function world(answer: (sent: Sent) => Promise<number | undefined> | number | undefined = () => 200) {
  let now = new Date('2027-03-01T10:00:00Z');
  let realMs = 1_000_000;
  const webhooks = new Map<string, Webhook>();
  const rows = new Map<string, WebhookDelivery>();
  const sent: Sent[] = [];
  const emails: string[] = [];
  const id = (k: DeliveryKey) => `${k.webhookId}|${k.resourceId}|${k.eventId}`;
  const row = (k: DeliveryKey) => rows.get(id(k))!;

  const deliveries: DeliveryDeps['deliveries'] = {
    async webhooksOf(accountId) {
      return [...webhooks.values()].filter((w) => w.accountId === accountId);
    },
    async getWebhook(webhookId) {
      const w = webhooks.get(webhookId);
      return w && { ...w };
    },
    async createDelivery(input: NewDelivery) {
      if (rows.has(id(input))) return false;
      rows.set(id(input), { ...input, status: 'pending', attempts: 0, failures: 0, createdAt: now.toISOString(), nextAttemptAt: now.toISOString() });
      return true;
    },
    async takeLease(k) {
      const d = rows.get(id(k));
      if (!d || d.status !== 'pending' || (d.leaseUntil !== undefined && d.leaseUntil >= realMs)) return undefined;
      d.leaseUntil = realMs + 30_000;
      return { ...d };
    },
    async pendingNeighbour(k, side) {
      return [...rows.values()]
        .filter((d) => d.webhookId === k.webhookId && d.resourceId === k.resourceId && d.status === 'pending' && (side === 'before' ? d.eventId < k.eventId : d.eventId > k.eventId))
        .sort((a, b) => (a.eventId < b.eventId ? -1 : 1))[0];
    },
    async postpone(k, at) {
      const d = row(k);
      if (d.status !== 'pending') return;
      d.nextAttemptAt = at.toISOString();
      delete d.leaseUntil;
    },
    async makeDueNow(k) {
      const d = row(k);
      if (d.status === 'pending') d.nextAttemptAt = now.toISOString();
    },
    async recordDelivered(k, outcome) {
      Object.assign(row(k), { status: 'delivered', deliveredAt: outcome.at, lastStatusCode: outcome.statusCode, attempts: row(k).attempts + 1 });
      delete row(k).leaseUntil;
      delete row(k).nextAttemptAt;
    },
    async recordRetry(k, outcome, firstFailedAt, nextAttemptAt) {
      const d = row(k);
      Object.assign(d, { firstFailedAt, nextAttemptAt: nextAttemptAt.toISOString(), lastStatusCode: outcome.statusCode, attempts: d.attempts + 1, failures: d.failures + 1 });
      delete d.leaseUntil;
    },
    async giveUp(k, outcome, disable, unsent = 'Endpoint disabled') {
      const d = row(k);
      Object.assign(d, { status: 'failed', attempts: d.attempts + (outcome ? 1 : 0), lastError: outcome ? (outcome.error ?? `HTTP ${outcome.statusCode}`) : unsent });
      delete d.leaseUntil;
      delete d.nextAttemptAt;
      const w = webhooks.get(k.webhookId);
      if (!disable || !w || w.status !== 'active') return false;
      Object.assign(w, { status: 'disabled', disabledReason: 'deliveries_failed', disabledLastError: disable.lastError });
      emails.push(...disable.emails.map((e) => e.to));
      return true;
    },
  };

  const service = makeDeliveryService({
    deliveries,
    send: async (url, body, headers) => {
      const s = { url, body, headers };
      sent.push(s);
      const status = await answer(s);
      return status === undefined ? { error: 'No answer within 5 s' } : { statusCode: status };
    },
    disabledEmails: async (w) => [{ to: `admin-of-${w.accountId}@example.com` } as never],
    clock: { now: () => now },
  });

  const webhook = (over: Partial<Webhook> = {}): Webhook => {
    const w: Webhook = {
      id: `wh_${webhooks.size + 1}`,
      accountId: 'acc_1',
      rootId: 'acc_root',
      accountPath: ['acc_root', 'acc_1'],
      url: `https://erp.example.com/${webhooks.size + 1}`,
      eventTypes: ['order.status_changed'],
      status: 'active',
      secret: 'whsec_test',
      createdAt: now.toISOString(),
      createdBy: 'usr_1',
      updatedAt: now.toISOString(),
      version: 1,
      ...over,
    };
    webhooks.set(w.id, w);
    return w;
  };

  let seq = 0;
  const event = (orderId: string, status: string) => ({
    id: `ev_01JD6W2V9Q4X8M3N5P7R2T${String(++seq).padStart(4, '0')}`,
    type: 'order.status_changed' as const,
    apiVersion: '2026-12-01' as const,
    occurredAt: now.toISOString(),
    accountId: 'acc_1',
    data: { orderId, number: 'SO-000001', accountId: 'acc_1', type: 'sales' as const, status: status as 'new', previousStatus: null },
  });

  return {
    service,
    webhooks,
    rows,
    sent,
    emails,
    row,
    webhook,
    event,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
      realMs += ms;
    },
    get now() {
      return now;
    },
  };
}

const statusesSent = (sent: Sent[]) => sent.map((s) => `${(JSON.parse(s.body) as { data: { orderId: string; status: string } }).data.orderId}:${(JSON.parse(s.body) as { data: { status: string } }).data.status}`);

describe('webhook delivery', () => {
  it('records one delivery per subscribed active endpoint, once however often the event comes, and signs what it sends', async () => {
    const w = world();
    const on = w.webhook();
    w.webhook({ eventTypes: ['invoice.paid'] });
    w.webhook({ status: 'disabled' });
    w.webhook({ accountId: 'acc_other' });
    const e = w.event('ord_1', 'new');
    const keys = await w.service.recordDeliveries('acc_1', e);
    expect(keys).toEqual([{ webhookId: on.id, resourceId: 'ord_1', eventId: e.id }]);
    await w.service.recordDeliveries('acc_1', e);
    expect(w.rows.size).toBe(1);

    expect(await w.service.deliverAll(keys)).toMatchObject({ delivered: 1 });
    expect(w.sent).toHaveLength(1);
    const [s] = w.sent;
    expect(s!.url).toBe(on.url);
    expect(JSON.parse(s!.body)).toEqual(e);
    expect(s!.headers['webhook-id']).toBe(e.id);
    expect(s!.headers['content-type']).toBe('application/json');
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(s!.headers['webhook-signature']!)!;
    expect(Number(t)).toBe(Math.floor(w.now.getTime() / 1000));
    expect(v1).toBe(createHmac('sha256', on.secret).update(`${t}.${s!.body}`).digest('hex'));
    // The event's cause had no correlation id: no header.
    expect(s!.headers).not.toHaveProperty('x-correlation-id');
  });

  it('sends the correlation id of the event\'s cause as X-Correlation-Id, again on a retry', async () => {
    let fail = true;
    const w = world(() => (fail ? 503 : 200));
    w.webhook();
    const keys = await w.service.recordDeliveries('acc_1', w.event('ord_1', 'new'), 'erp-7f3c2a91-order-4711');
    expect(w.row(keys[0]!).correlationId).toBe('erp-7f3c2a91-order-4711');
    expect(await w.service.deliverAll(keys)).toMatchObject({ retry: 1 });
    fail = false;
    w.advance(60_000);
    expect(await w.service.deliverAll(keys)).toMatchObject({ delivered: 1 });
    expect(w.sent.map((s) => s.headers['x-correlation-id'])).toEqual(['erp-7f3c2a91-order-4711', 'erp-7f3c2a91-order-4711']);
    // The body is the event as before: the id is a header, not a payload field.
    expect(JSON.parse(w.sent[1]!.body)).not.toHaveProperty('correlationId');
  });

  it('keeps each resource\'s events in order: a later one waits while an earlier one is failing, then follows it at once', async () => {
    let down = true;
    const w = world((s) => (down && (JSON.parse(s.body) as { data: { orderId: string } }).data.orderId === 'ord_A' ? 500 : 200));
    w.webhook();
    const a1 = await w.service.recordDeliveries('acc_1', w.event('ord_A', 'new'));
    const a2 = await w.service.recordDeliveries('acc_1', w.event('ord_A', 'open'));
    const b1 = await w.service.recordDeliveries('acc_1', w.event('ord_B', 'new'));
    const tally = await w.service.deliverAll([...a1, ...a2, ...b1]);
    expect(tally).toMatchObject({ delivered: 1, retry: 1 });
    expect(statusesSent(w.sent)).toEqual(['ord_A:new', 'ord_B:new']);

    // The later event of ord_A alone (the job finding it due): held, not sent.
    expect((await w.service.attempt(a2[0]!)).result).toBe('held');
    expect(w.sent).toHaveLength(2);
    expect(w.row(a2[0]!)).toMatchObject({ status: 'pending', attempts: 0 });

    down = false;
    w.advance(30_000);
    expect(await w.service.deliverAll([...a2, ...a1])).toMatchObject({ delivered: 2 });
    expect(statusesSent(w.sent)).toEqual(['ord_A:new', 'ord_B:new', 'ord_A:new', 'ord_A:open']);
    expect(w.row(a1[0]!)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(w.row(a2[0]!)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('retries on the backoff, gives up 24 h after the first failure: the delivery failed, the endpoint disabled once, the held ones failed unsent', async () => {
    const w = world(() => undefined);
    const hook = w.webhook();
    const [first] = await w.service.recordDeliveries('acc_1', w.event('ord_A', 'new'));
    const [held] = await w.service.recordDeliveries('acc_1', w.event('ord_A', 'open'));
    const [other] = await w.service.recordDeliveries('acc_1', w.event('ord_B', 'new'));
    const start = w.now.getTime();
    expect((await w.service.attempt(first!)).result).toBe('retry');
    expect(w.row(first!)).toMatchObject({ failures: 1, firstFailedAt: new Date(start).toISOString(), nextAttemptAt: new Date(start + 30_000).toISOString() });
    w.advance(30_000);
    expect((await w.service.attempt(first!)).result).toBe('retry');
    expect(w.row(first!).nextAttemptAt).toBe(new Date(start + 30_000 + 60_000).toISOString());
    expect((await w.service.attempt(other!)).result).toBe('retry');

    w.advance(RETRY_WINDOW_MS);
    const results = await w.service.deliverInOrder(first!);
    expect(results).toEqual(['failed', 'failed']);
    expect(w.row(first!)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'No answer within 5 s' });
    expect(w.row(held!)).toMatchObject({ status: 'failed', attempts: 0 });
    expect(w.row(held!).lastError).toBe('Endpoint disabled after 24 hours of failed deliveries');
    expect(w.webhooks.get(hook.id)).toMatchObject({ status: 'disabled' });
    expect(w.emails).toEqual(['admin-of-acc_1@example.com']);

    // The other resource's delivery fails unsent when its turn comes; nobody is emailed again.
    const sentBefore = w.sent.length;
    expect((await w.service.attempt(other!)).result).toBe('failed');
    expect(w.sent).toHaveLength(sentBefore);
    expect(w.emails).toHaveLength(1);
  });

  it('never sends one delivery twice at once: the second sender finds it leased', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = world(async () => {
      await gate;
      return 200;
    });
    w.webhook();
    const [key] = await w.service.recordDeliveries('acc_1', w.event('ord_A', 'new'));
    const first = w.service.attempt(key!);
    const second = w.service.attempt(key!);
    const third = w.service.deliverAll([key!]);
    release();
    expect([(await first).result, (await second).result]).toEqual(['delivered', 'busy']);
    expect((await third).busy).toBe(1);
    expect(w.sent).toHaveLength(1);
    // Delivered: not sent again by a later run either.
    expect((await w.service.attempt(key!)).result).toBe('busy');
    expect(w.sent).toHaveLength(1);
  });
});

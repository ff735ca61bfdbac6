import { createHash } from 'node:crypto';
import { call, staffLogin, unique } from '../api.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../../factories/index.ts';
import { startReceiver, type Receiver } from '../webhook-receiver.ts';
import { timeoutFor } from '../scale.ts';

/**
 * Webhooks against a receiver that fails about half of what it is sent (docs/api.md "Webhooks"):
 * every event still reaches it, exactly once once deduplicated by `Webhook-Id`, and each order's
 * events arrive in the order they happened; an event is not even tried while an earlier one of
 * the same order is undelivered. The pull feed (`GET /v1/events`) lists the same events.
 *
 * The receiver decides from the event id how many first attempts of each event it fails: none
 * for half of the events, one for a quarter, two for an eighth, three for the rest (a hash of the
 * id, so no run depends on timing), which fails about 47% of all requests, and bounds how many
 * retry rounds the test needs. Retries are driven by running the `webhookRetries` job at later
 * times (`?time=`: the job treats what is due by then as due); the application clock is not moved.
 */
const ORDERS = 6;
const STATUSES = ['new', 'open', 'provisioning', 'completed'];

/** How many first attempts of this event the receiver fails: 0 (1/2), 1 (1/4), 2 (1/8), 3 (1/8). */
function failuresFor(eventId: string): number {
  const byte = createHash('sha256').update(eventId).digest()[0]!;
  let n = 0;
  while (n < 3 && byte & (1 << n)) n++;
  return n;
}

describe('webhooks to a receiver failing about half of the deliveries', () => {
  let receiver: Receiver;
  afterAll(() => receiver?.close());

  it('delivers every event once, in order per order, and the feed lists the same events', async () => {
    receiver = await startReceiver(({ id, attempt }) => (attempt <= failuresFor(id) ? 503 : 200));
    const staff = await staffLogin();
    const customer = await createCustomer(staff);
    const accountId = customer.account.id as string;
    const hook = await call('POST', `/v1/accounts/${accountId}/webhooks`, { token: staff, body: { url: receiver.url, eventTypes: ['order.status_changed'] } });
    expect(hook.status).toBe(201);

    const { offer } = await firstOffer(staff);
    const orderIds: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const placed = await call('POST', `/v1/accounts/${accountId}/orders`, {
        token: staff,
        body: makeOrderBody(offer.id, { autoProcess: true }),
        headers: { 'idempotency-key': unique('flaky') },
      });
      expect(placed.status).toBe(201);
      orderIds.push(placed.body.id);
    }
    for (const id of orderIds) expect((await call('POST', `/_local/orders/${id}/wait`)).body.status).toBe('completed');

    const ours = (all: Receiver['all']) => all.filter((r) => orderIds.includes(r.event.data.orderId as string));
    const complete = () => ours(receiver.accepted()).length === ORDERS * STATUSES.length;
    // Retry rounds until every event is through: each runs the job an hour (the backoff's cap) later
    // than the one before. The dispatcher sends the first attempts meanwhile, as the orders move.
    let at = Date.parse((await call('GET', '/_local/clock')).body.now);
    const deadline = Date.now() + timeoutFor(60_000, 180_000);
    while (!complete()) {
      if (Date.now() > deadline) throw new Error(`not every event delivered: ${ours(receiver.accepted()).length} of ${ORDERS * STATUSES.length}`);
      at += 61 * 60_000;
      const run = await call('POST', `/_local/jobs/webhookRetries?time=${new Date(at).toISOString()}`);
      expect(run.status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
    }

    const all = ours(receiver.all);
    const failed = all.filter((r) => r.status >= 300).length;
    // The receiver really failed a large share of what it was sent.
    expect(failed / all.length).toBeGreaterThan(0.25);

    const accepted = ours(receiver.accepted());
    // Exactly once after deduplication: as many distinct events as status changes, none missing.
    expect(new Set(accepted.map((r) => r.id)).size).toBe(ORDERS * STATUSES.length);
    for (const orderId of orderIds) {
      const mine = accepted.filter((r) => r.event.data.orderId === orderId);
      expect(mine.map((r) => r.event.data.status)).toEqual(STATUSES);
      // Head of line: no request for an event came before the previous event of the order was accepted.
      for (let k = 1; k < mine.length; k++) {
        const firstTry = all.findIndex((r) => r.id === mine[k]!.id);
        const previousAccepted = all.findIndex((r) => r.id === mine[k - 1]!.id && r.status < 300);
        expect(firstTry).toBeGreaterThan(previousAccepted);
      }
    }

    // The delivery log agrees: every delivery of ours delivered, with its attempts counted.
    const log = await call('GET', `/v1/webhooks/${hook.body.id}/deliveries?limit=100`, { token: staff });
    expect(log.status).toBe(200);
    const logged = log.body.items.filter((d: { eventId: string }) => accepted.some((r) => r.id === d.eventId));
    expect(logged).toHaveLength(ORDERS * STATUSES.length);
    for (const d of logged) {
      expect(d.status).toBe('delivered');
      expect(d.attempts).toBe(failuresFor(d.eventId) + 1);
    }

    // The pull feed: the same events, the order's in the same order (after the settle delay).
    const feed = await pollFeed(staff, accountId, ORDERS * STATUSES.length);
    expect(new Set(feed.map((e) => e.id))).toEqual(new Set(accepted.map((r) => r.id)));
    for (const orderId of orderIds) expect(feed.filter((e) => e.data.orderId === orderId).map((e) => e.data.status)).toEqual(STATUSES);
  });
});

/** Every `order.status_changed` of the account's feed, following `after` from the start, once `count` are there. */
async function pollFeed(token: string, accountId: string, count: number) {
  const deadline = Date.now() + timeoutFor(20_000, 60_000);
  for (;;) {
    const events: Array<{ id: string; data: { orderId: string; status: string } }> = [];
    let after = '';
    for (;;) {
      const page = await call('GET', `/v1/events?accountId=${accountId}&types=order.status_changed&limit=100${after ? `&after=${after}` : ''}`, { token });
      expect(page.status).toBe(200);
      events.push(...page.body.items);
      if (!page.body.hasMore) break;
      after = page.body.lastEventId;
    }
    if (events.length >= count || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

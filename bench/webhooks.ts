import { randomUUID } from 'node:crypto';
import { startReceiver } from '../test/integration/webhook-receiver.ts';
import type { Fixtures } from './fixtures.ts';
import type { Api } from './lib/api.ts';
import { figure, type Figure } from './lib/results.ts';
import { bar } from './lib/progress.ts';

/**
 * Figure 10: how soon a webhook leaves after its cause (docs/product.md#quality-bars: ≤ 2 s p50 on
 * the local stack). A receiver in this process (an HTTP server on 127.0.0.1, as an integrator's
 * would be) is registered for `order.status_changed` on the fixtures' customer; the bench places
 * `runs` orders one after another and, for each, measures from the moment the placing request
 * answered 201 to the moment the receiver got the order's `new` event. The path measured is the
 * whole one: the order's transaction writes the event, the table stream brings it to the
 * dispatcher (the local stream poller polls every 250 ms when idle), which signs and POSTs it.
 */
export const WEBHOOK_P50_TARGET_MS = 2000;

export async function webhookFigure(api: Api, fx: Fixtures, runs: number): Promise<Figure> {
  const receiver = await startReceiver();
  try {
    const hook = await api.expect(201, 'POST', `/v1/accounts/${fx.accountId}/webhooks`, {
      token: fx.staff,
      body: { url: receiver.url, eventTypes: ['order.status_changed'], description: 'bench' },
    });
    const latencies: number[] = [];
    const progress = bar('webhook latency', runs);
    for (let i = 0; i < runs; i++) {
      const placed = await api.expect(201, 'POST', `/v1/accounts/${fx.accountId}/orders`, {
        token: fx.staff,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          lines: [{ offerId: fx.offerId, quantity: 1 }],
          domain: { mode: 'existing', domainId: fx.domainId },
        },
      });
      const answeredAt = Date.now();
      const orderId = placed.body.id as string;
      const [got] = await receiver.until((a) => a.some((r) => r.event.data.orderId === orderId && r.event.data.status === 'new'), 30_000);
      const arrival = receiver.accepted().find((r) => r.event.data.orderId === orderId && r.event.data.status === 'new') ?? got;
      latencies.push(Math.max(0, (arrival?.at ?? answeredAt) - answeredAt));
      progress.tick(1);
    }
    progress.stop();
    await api.call('DELETE', `/v1/webhooks/${hook.body.id}`, { token: fx.staff });
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return figure({
      group: 'Webhooks: from the cause answering to the receiver getting the event',
      name: `p50 of ${runs} order placements`,
      value: at(0.5),
      unit: 'ms',
      floor: WEBHOOK_P50_TARGET_MS,
      floorKind: 'target',
      target: 1,
      note: `p90 ${at(0.9)} ms, max ${sorted.at(-1)} ms, min ${sorted[0]} ms; ${receiver.all.length} requests received`,
    });
  } finally {
    await receiver.close();
  }
}

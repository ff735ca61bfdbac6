import type { Context } from 'aws-lambda';
import { dueRetriesBefore, type DeliveryKey, type WebhookDelivery } from '#data/webhooks.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '#platform/logger.ts';
import { deliveryService, type AttemptResult } from '#services/webhook-delivery.ts';
import { jobHandler } from './continuation.ts';
import { JobRun, type JobEvent, type JobResult } from './shared.ts';

/**
 * Every minute: sends the webhook deliveries whose next attempt is due (docs/api.md#webhooks
 * "Retries"): those the dispatcher did not get to, the failed ones at their backoff time, the held
 * ones whose earlier event of the same resource may be through. "Now" is the event's time (the
 * application clock locally), so moving the clock moves the retries; each attempt takes the
 * delivery's lease first, so the job and the dispatcher never send one delivery at once.
 */
export interface WebhookRetriesResult extends JobResult, Record<AttemptResult, number> {}

export async function runWebhookRetries(event: JobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<WebhookRetriesResult> {
  const run = new JobRun('webhookRetries', event, context);
  const keys: DeliveryKey[] = [];
  const dueSince: string[] = [];
  for await (const item of run.due<WebhookDelivery>(dueRetriesBefore(`${run.now.toISOString()}~`))) {
    keys.push({ webhookId: item.webhookId, resourceId: item.resourceId, eventId: item.eventId });
    dueSince.push(item.nextAttemptAt ?? item.createdAt);
  }
  metrics.singleMetric().addMetric('OldestPendingWebhookAgeSeconds', MetricUnit.Seconds, oldestPendingAgeSeconds(run.now, dueSince));
  const tally = await deliveryService.deliverAll(keys, () => run.canContinue());
  run.processed = tally.delivered + tally.retry + tally.failed;
  run.skipped = tally.held + tally.busy;
  return { ...run.result(), ...tally };
}

/**
 * The `OldestPendingWebhookAgeSeconds` metric (every run; the `WebhookRetriesAge` alarm watches
 * it): how long the longest-waiting due delivery has waited since it fell due, 0 when none is.
 * Measured from the due time rather than the delivery's creation, so a delivery that is backing
 * off on a failing endpoint (due again hours later, by design) does not count as late; a job that
 * does not keep up does (one that does not run at all leaves the metric missing, which the alarm
 * treats as breaching).
 */
export function oldestPendingAgeSeconds(now: Date, dueSince: readonly string[]): number {
  const oldest = dueSince.reduce((min, at) => {
    const ms = Date.parse(at);
    return Number.isNaN(ms) ? min : Math.min(min, ms);
  }, Infinity);
  return Number.isFinite(oldest) ? Math.max(0, Math.floor((now.getTime() - oldest) / 1000)) : 0;
}

export const handler = jobHandler(runWebhookRetries, (result) => {
  if (result.failed > 0) logger.warn('webhook deliveries given up', { ...result });
  else logger.info('webhook retries job', { ...result });
}, 'webhookRetries');

import { getAccount } from '#data/accounts.ts';
import { listActiveAdmins } from '#data/users.ts';
import * as repo from '#data/webhooks.ts';
import type { DeliveryKey, Webhook, WebhookDelivery } from '#data/webhooks.ts';
import { outboxEmail, recipientOf } from '#emails/outbox.ts';
import { clock } from '#platform/clock.ts';
import { CORRELATION_HEADER } from '#platform/correlation.ts';
import { env } from '#platform/env.ts';
import { logger } from '#platform/logger.ts';
import { postWebhook, type SendResult } from '#platform/webhook-sender.ts';
import { resourceIdOf, type DomainEvent } from '#domain/events.ts';
import { addressAllowed, afterFailure, DELIVERY_TIMEOUT_MS, HELD_RECHECK_MS, isDelivered, signatureHeader } from '#domain/webhooks.ts';

/**
 * Webhook delivery (docs/api.md#webhooks, docs/architecture.md "Webhooks"): what the dispatcher (the
 * stream consumer of events) and the retry job share.
 *
 * One attempt of a delivery: take its lease (nobody else sends it meanwhile); an endpoint gone or
 * disabled fails it; an earlier event of the same resource still pending for the endpoint holds it
 * (looked at again shortly; the earlier one's success makes it due at once); otherwise POST the
 * event, signed and with the correlation id of its cause, within 5 s. A 2xx delivers it; anything
 * else schedules the next try by the backoff of domain/webhooks.ts, and once 24 h have passed since
 * its first failure the delivery fails and the endpoint is disabled, its account's admins emailed
 * in the same transaction.
 */
export type AttemptResult = 'delivered' | 'retry' | 'failed' | 'held' | 'busy';

export interface DeliveryDeps {
  deliveries: Pick<
    typeof repo,
    'takeLease' | 'getWebhook' | 'pendingNeighbour' | 'postpone' | 'makeDueNow' | 'recordDelivered' | 'recordRetry' | 'giveUp' | 'createDelivery' | 'webhooksOf'
  >;
  send: (url: string, body: string, headers: Record<string, string>) => Promise<SendResult>;
  disabledEmails: (webhook: Webhook, lastError: string) => Promise<ReturnType<typeof outboxEmail>[]>;
  clock: { now(): Date };
}

/** At most this many deliveries of one resource are sent one after the other in one go (the rest is due for the job). */
const CHAIN_LIMIT = 20;

export function makeDeliveryService(deps: DeliveryDeps) {
  const { deliveries } = deps;

  async function attempt(key: DeliveryKey): Promise<{ result: AttemptResult; next?: DeliveryKey }> {
    const d = await deliveries.takeLease(key);
    if (!d) return { result: 'busy' };
    const webhook = await deliveries.getWebhook(d.webhookId, true);
    if (!webhook || webhook.status !== 'active') {
      await deliveries.giveUp(key, undefined, undefined, !webhook ? 'Endpoint deleted' : webhook.disabledReason ? 'Endpoint disabled after 24 hours of failed deliveries' : 'Endpoint disabled');
      return { result: 'failed', ...(await nextOf(key)) };
    }
    if (await deliveries.pendingNeighbour(key, 'before')) {
      await deliveries.postpone(key, new Date(deps.clock.now().getTime() + HELD_RECHECK_MS));
      return { result: 'held' };
    }
    const now = deps.clock.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'cloud-license-portal-webhooks/1',
      'webhook-id': d.eventId,
      'webhook-signature': signatureHeader(webhook.secret, d.payload, Math.floor(now.getTime() / 1000)),
      ...(d.correlationId ? { [CORRELATION_HEADER]: d.correlationId } : {}),
    };
    const sent = await deps.send(webhook.url, d.payload, headers);
    const outcome = { statusCode: sent.statusCode, error: sent.error, at: deps.clock.now().toISOString() };
    if (isDelivered(sent.statusCode)) {
      await deliveries.recordDelivered(key, outcome);
      return { result: 'delivered', ...(await nextOf(key)) };
    }
    const firstFailedAt = d.firstFailedAt ?? outcome.at;
    const decision = afterFailure(new Date(firstFailedAt), d.failures + 1, deps.clock.now());
    if (!decision.giveUp) {
      await deliveries.recordRetry(key, outcome, firstFailedAt, decision.nextAttemptAt);
      logger.info('webhook delivery failed; retried later', { webhookId: d.webhookId, eventId: d.eventId, statusCode: sent.statusCode, error: sent.error });
      return { result: 'retry' };
    }
    const lastError = sent.statusCode !== undefined ? `HTTP ${sent.statusCode}` : (sent.error ?? 'No answer');
    const emails = await deps.disabledEmails(webhook, lastError);
    const disabled = await deliveries.giveUp(key, outcome, { lastError, emails });
    logger.warn('webhook delivery given up', { webhookId: d.webhookId, eventId: d.eventId, endpointDisabled: disabled });
    return { result: 'failed', ...(await nextOf(key)) };
  }

  /** The next pending delivery of the same resource, made due now: it no longer waits for this one (delivered or given up). */
  async function nextOf(key: DeliveryKey): Promise<{ next?: DeliveryKey }> {
    const next = await deliveries.pendingNeighbour(key, 'after');
    if (!next) return {};
    await deliveries.makeDueNow(next);
    return { next: keyOf(next) };
  }

  /** Attempts a delivery, then the next pending one of its resource as long as each is delivered or given up (not held, not retried). */
  async function deliverInOrder(key: DeliveryKey): Promise<AttemptResult[]> {
    const results: AttemptResult[] = [];
    let current: DeliveryKey | undefined = key;
    for (let i = 0; current && i < CHAIN_LIMIT; i++) {
      const { result, next }: { result: AttemptResult; next?: DeliveryKey } = await attempt(current);
      results.push(result);
      current = next;
    }
    return results;
  }

  /**
   * An event of a feed (the stream consumer): a delivery for each active endpoint of the feed's
   * account subscribed to its type, with the correlation id of the work that caused the event (sent
   * as X-Correlation-Id). Returns their keys; sending is `deliverAll`'s.
   */
  async function recordDeliveries(feedAccountId: string, event: DomainEvent, correlationId?: string): Promise<DeliveryKey[]> {
    const endpoints = (await deliveries.webhooksOf(feedAccountId)).filter((w) => w.status === 'active' && w.eventTypes.includes(event.type));
    const resourceId = resourceIdOf(event);
    const payload = JSON.stringify({ id: event.id, type: event.type, apiVersion: event.apiVersion, occurredAt: event.occurredAt, accountId: event.accountId, data: event.data });
    const keys: DeliveryKey[] = [];
    for (const w of endpoints) {
      await deliveries.createDelivery({ webhookId: w.id, accountId: w.accountId, resourceId, eventId: event.id, eventType: event.type, payload, ...(correlationId ? { correlationId } : {}) });
      keys.push({ webhookId: w.id, resourceId, eventId: event.id });
    }
    return keys;
  }

  /**
   * Sends deliveries: per endpoint and resource the earliest given, then the next pending ones of
   * that resource in order as each is delivered (`deliverInOrder`); the queues side by side, while
   * `hasTime()` holds. What is not sent stays due for the retry job.
   */
  async function deliverAll(keys: readonly DeliveryKey[], hasTime: () => boolean = () => true, concurrency = 8): Promise<Record<AttemptResult, number>> {
    const tally: Record<AttemptResult, number> = { delivered: 0, retry: 0, failed: 0, held: 0, busy: 0 };
    const firsts = new Map<string, DeliveryKey>();
    for (const k of keys) {
      const q = `${k.webhookId}#${k.resourceId}`;
      const seen = firsts.get(q);
      if (!seen || k.eventId < seen.eventId) firsts.set(q, k);
    }
    const queue = [...firsts.values()];
    const worker = async () => {
      for (let k = queue.shift(); k && hasTime(); k = queue.shift()) {
        for (const r of await deliverInOrder(k)) tally[r] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return tally;
  }

  return { attempt, deliverInOrder, recordDeliveries, deliverAll };
}

export const keyOf = (d: Pick<WebhookDelivery, 'webhookId' | 'resourceId' | 'eventId'>): DeliveryKey => ({ webhookId: d.webhookId, resourceId: d.resourceId, eventId: d.eventId });

/** The emails to the account's active admins that say its endpoint was disabled. */
async function disabledEmails(webhook: Webhook, lastError: string) {
  const [account, admins] = await Promise.all([getAccount(webhook.accountId), listActiveAdmins(webhook.accountId)]);
  return admins.map((admin) =>
    outboxEmail('webhook-disabled', recipientOf(admin), { accountName: account?.name ?? webhook.accountId, url: webhook.url, lastError, portalUrl: env.portalUrl() }, { accountId: webhook.accountId }),
  );
}

const send = (url: string, body: string, headers: Record<string, string>) =>
  postWebhook(url, body, headers, { timeoutMs: DELIVERY_TIMEOUT_MS, allowAddress: (a) => addressAllowed(a, { allowPrivateNetworks: env.webhooksAllowPrivateNetworks() }) });

export const deliveryService = makeDeliveryService({ deliveries: repo, send, disabledEmails, clock });

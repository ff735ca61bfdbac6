import type { EntityItem } from 'electrodb';
import { db, type WebhookDeliveryEntity, type WebhookEntity } from './entities.ts';
import type { DueQuery } from './due-keys.ts';
import { shardOf } from './table.ts';
import { retryOnConflict, withCursor, type Page, type TxOutcome } from './tx.ts';
import type { OutboxItem } from '#emails/outbox.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, NotFound, PreconditionFailed } from '#platform/errors.ts';
import { LEASE_MS, MAX_WEBHOOKS } from '#domain/webhooks.ts';

/**
 * Webhook endpoints and their deliveries (docs/api.md#webhooks, docs/data-model.md "Webhooks").
 *
 * - An account's endpoints are counted by a `counter` item moved in the transaction that creates or
 *   deletes one, on the condition that it stays at most MAX_WEBHOOKS: parallel creates cannot pass
 *   the limit together.
 * - A delivery is one event for one endpoint, keyed by endpoint, resource and event: the earlier
 *   undelivered events of a resource are one consistent Query of the endpoint's partition.
 * - A pending delivery waiting for its next try carries the due index keys (gsi4,
 *   `whretry#<shard>` by next attempt time): the retry job reads only what is due.
 * - A sender takes a lease on a delivery (a conditional write of `leaseUntil`, in real time) before
 *   it calls the endpoint, so the stream consumer and the job never send one delivery at once.
 */
export type Webhook = EntityItem<WebhookEntity>;
export type WebhookDelivery = EntityItem<WebhookDeliveryEntity>;

const counterName = (accountId: string) => `webhooks_${accountId}`;

/** Deliveries are kept 30 days, like the events they carry. */
const DELIVERY_TTL_SECONDS = 30 * 24 * 60 * 60;
export const RETRY_PREFIX = 'whretry';

export async function getWebhook(id: string, consistent = false): Promise<Webhook | undefined> {
  const found = await db().entities.webhook.get({ id }).go({ consistent });
  return (found.data as Webhook | null) ?? undefined;
}

/** One page of an account's endpoints, oldest first (Query gsi1). */
export async function listWebhooks(accountId: string, opts: { limit: number; cursor?: string }): Promise<Page<Webhook>> {
  const query = db().entities.webhook.query.byAccount({ accountId });
  const page = await withCursor(opts.cursor, (cursor) => query.go({ cursor, count: opts.limit }));
  return { items: page.data as Webhook[], nextCursor: page.cursor ?? null };
}

/** Every endpoint of an account (at most MAX_WEBHOOKS): what an event of its feed is delivered to. */
export async function webhooksOf(accountId: string): Promise<Webhook[]> {
  const result = await db().entities.webhook.query.byAccount({ accountId }).go({ pages: 'all' });
  return result.data as Webhook[];
}

const tooMany = () => new BusinessRuleRefused('too_many_webhooks', `An account keeps at most ${MAX_WEBHOOKS} webhook endpoints; delete one first.`);

/** Creates an endpoint; refused with 422 `too_many_webhooks` when the account already has MAX_WEBHOOKS. */
export async function createWebhook(item: Webhook): Promise<Webhook> {
  const result = await db()
    .transaction.write((tx) => [
      tx.counter
        .update({ name: counterName(item.accountId) })
        .add({ value: 1 })
        .where((a, op) => `${op.notExists(a.value)} OR ${op.lt(a.value, MAX_WEBHOOKS)}`)
        .commit(),
      tx.webhook.create(item).commit(),
    ])
    .go();
  if (!result.canceled) return item;
  if (result.data[0]?.code === 'ConditionalCheckFailed') throw tooMany();
  throw new Error(`Transaction cancelled: ${result.data.map((d) => d.code ?? 'None').join(',')}`);
}

/** Why an endpoint the portal disabled is disabled (docs/api.md#webhooks): 24 hours of failed deliveries. */
export const DISABLED_BY_FAILURES = 'deliveries_failed';

export type WebhookChanges = Partial<Pick<Webhook, 'url' | 'eventTypes' | 'description' | 'status'>> & { removeDescription?: boolean };

/**
 * Edits an endpoint under optimistic locking on `version`; `change` sees it as it is now. Making it
 * `active` again clears the reason it was disabled.
 */
export async function updateWebhook(id: string, change: (current: Webhook) => WebhookChanges | undefined, opts: { ifMatch?: number } = {}): Promise<Webhook> {
  return retryOnConflict(async () => {
    const current = await getWebhook(id, true);
    if (!current) throw new NotFound();
    if (opts.ifMatch !== undefined && opts.ifMatch !== current.version) throw new PreconditionFailed(current.version);
    const plan = change(current);
    if (!plan) return current;
    const { removeDescription, ...set } = plan;
    const reenabled = set.status === 'active' && current.status !== 'active';
    const remove: Array<'description' | 'disabledReason' | 'disabledLastError' | 'disabledAt'> = [
      ...(removeDescription ? (['description'] as const) : []),
      ...(reenabled ? (['disabledReason', 'disabledLastError', 'disabledAt'] as const) : []),
    ];
    const next = { ...set, updatedAt: clock.nowIso(), version: current.version + 1 };
    const result = await db()
      .entities.webhook.patch({ id })
      .set(next)
      .remove(remove)
      .where((a, op) => op.eq(a.version, current.version))
      .go({ response: 'all_new' });
    return result.data as Webhook;
  });
}

/** Deletes an endpoint (its deliveries stay until they expire) and frees its place in the account's count. */
export async function deleteWebhook(webhook: Webhook): Promise<void> {
  const result = await db()
    .transaction.write((tx) => [
      tx.webhook
        .delete({ id: webhook.id })
        .where((a, op) => op.exists(a.id))
        .commit(),
      tx.counter.update({ name: counterName(webhook.accountId) }).add({ value: -1 }).commit(),
    ])
    .go();
  if (result.canceled) {
    if (result.data[0]?.code === 'ConditionalCheckFailed') throw new NotFound();
    throw new Error(`Transaction cancelled: ${result.data.map((d) => d.code ?? 'None').join(',')}`);
  }
}

// ---- deliveries

export const deliveryIdOf = (eventId: string): string => `whd_${eventId.replace(/^ev_/, '')}`;
export const eventIdOfDelivery = (deliveryId: string): string => `ev_${deliveryId.replace(/^whd_/, '')}`;

function retryKeys(d: Pick<WebhookDelivery, 'webhookId' | 'resourceId' | 'eventId'>, at: string) {
  return { dueKey: `${RETRY_PREFIX}#${shardOf(d.eventId)}`, dueSort: `${at}#${d.webhookId}#${d.eventId}`, nextAttemptAt: at };
}

export interface NewDelivery {
  webhookId: string;
  accountId: string;
  resourceId: string;
  eventId: string;
  eventType: string;
  payload: string;
  /** The correlation id of the work that caused the event, when it had one. */
  correlationId?: string;
}

/**
 * Records a delivery to make (due now, so the retry job sends it should the caller stop before it
 * does). A delivery already there (the stream handed the event again) is left as it is: false.
 */
export async function createDelivery(input: NewDelivery): Promise<boolean> {
  const now = clock.nowIso();
  try {
    await db()
      .entities.webhookDelivery.create({ ...input, status: 'pending', attempts: 0, failures: 0, createdAt: now, ...retryKeys(input, now), ttl: clock.nowSeconds() + DELIVERY_TTL_SECONDS })
      .go();
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw err;
  }
}

export type DeliveryKey = Pick<WebhookDelivery, 'webhookId' | 'resourceId' | 'eventId'>;

export async function getDelivery(key: DeliveryKey, consistent = true): Promise<WebhookDelivery | undefined> {
  const found = await db().entities.webhookDelivery.get(key).go({ consistent });
  return (found.data as WebhookDelivery | null) ?? undefined;
}

/** A delivery of an endpoint by its id (the log's index, then the item itself, read consistently). */
export async function findDelivery(webhookId: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
  const eventId = eventIdOfDelivery(deliveryId);
  const found = await db().entities.webhookDelivery.query.byWebhook({ webhookId, eventId }).go();
  const hit = found.data[0];
  return hit ? getDelivery({ webhookId, resourceId: hit.resourceId, eventId }) : undefined;
}

/** One page of an endpoint's deliveries, newest first (Query gsi1); `status` filters. */
export async function listDeliveries(webhookId: string, opts: { limit: number; cursor?: string; status?: WebhookDelivery['status'] }): Promise<Page<WebhookDelivery>> {
  const query = db()
    .entities.webhookDelivery.query.byWebhook({ webhookId })
    .where((a, op) => (opts.status ? op.eq(a.status, opts.status) : ''));
  const page = await withCursor(opts.cursor, (cursor) => query.go({ cursor, count: opts.limit, order: 'desc' }));
  return { items: page.data as WebhookDelivery[], nextCursor: page.cursor ?? null };
}

/** The first pending delivery of the same resource for the same endpoint before (or after) this one, read consistently. */
export async function pendingNeighbour(d: DeliveryKey, side: 'before' | 'after'): Promise<WebhookDelivery | undefined> {
  const base = db().entities.webhookDelivery.query.byQueue({ webhookId: d.webhookId, resourceId: d.resourceId });
  const ranged = side === 'before' ? base.lt({ eventId: d.eventId }) : base.gt({ eventId: d.eventId });
  const result = await ranged.where((a, op) => op.eq(a.status, 'pending')).go({ consistent: true, pages: 'all', order: side === 'before' ? 'asc' : 'asc' });
  return (result.data as WebhookDelivery[])[0];
}

/**
 * Takes the lease of a pending delivery for one attempt: true when this caller holds it now. Nobody
 * else gets it before `LEASE_MS` has passed (real time: the lease guards concurrent senders, not the
 * application's notion of time).
 */
export async function takeLease(d: DeliveryKey): Promise<WebhookDelivery | undefined> {
  const now = Date.now();
  try {
    const result = await db()
      .entities.webhookDelivery.patch(d)
      .set({ leaseUntil: now + LEASE_MS })
      .where((a, op) => `${op.eq(a.status, 'pending')} AND (${op.notExists(a.leaseUntil)} OR ${op.lt(a.leaseUntil, now)})`)
      .go({ response: 'all_new' });
    return result.data as WebhookDelivery;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return undefined;
    throw err;
  }
}

/** Gives the lease back and looks at it again at `at` (held behind an earlier event of its resource, or its endpoint is busy). */
export async function postpone(d: DeliveryKey, at: Date): Promise<void> {
  await db()
    .entities.webhookDelivery.patch(d)
    .set(retryKeys(d, at.toISOString()))
    .remove(['leaseUntil'])
    .where((a, op) => op.eq(a.status, 'pending'))
    .go()
    .catch(ignoreConditional);
}

/** Makes a pending delivery due now (the one after a delivered event of its resource). */
export async function makeDueNow(d: DeliveryKey): Promise<void> {
  await db()
    .entities.webhookDelivery.patch(d)
    .set(retryKeys(d, clock.nowIso()))
    .where((a, op) => op.eq(a.status, 'pending'))
    .go()
    .catch(ignoreConditional);
}

export interface AttemptOutcome {
  statusCode?: number | undefined;
  error?: string | undefined;
  at: string;
}

/** The endpoint took it (2xx): delivered, out of the due index, lease released. */
export async function recordDelivered(d: DeliveryKey, outcome: AttemptOutcome): Promise<void> {
  await db()
    .entities.webhookDelivery.patch(d)
    .set({ status: 'delivered', deliveredAt: outcome.at, lastAttemptAt: outcome.at, ...(outcome.statusCode !== undefined ? { lastStatusCode: outcome.statusCode } : {}) })
    .add({ attempts: 1 })
    .remove(['leaseUntil', 'dueKey', 'dueSort', 'nextAttemptAt', 'lastError'])
    .go();
}

/** A failed attempt to be tried again at `nextAttemptAt`. */
export async function recordRetry(d: DeliveryKey, outcome: AttemptOutcome, firstFailedAt: string, nextAttemptAt: Date): Promise<void> {
  await db()
    .entities.webhookDelivery.patch(d)
    .set({ lastAttemptAt: outcome.at, firstFailedAt, ...failureFields(outcome), ...retryKeys(d, nextAttemptAt.toISOString()) })
    .add({ attempts: 1, failures: 1 })
    .remove(['leaseUntil', ...(outcome.statusCode === undefined ? (['lastStatusCode'] as const) : [])])
    .go();
}

function failureFields(outcome: AttemptOutcome) {
  return { ...(outcome.statusCode !== undefined ? { lastStatusCode: outcome.statusCode } : {}), lastError: outcome.error ?? `HTTP ${outcome.statusCode}` };
}

/**
 * The retry window is over: the delivery `failed` and, in the same transaction, its endpoint
 * `disabled` with the reason and the emails to the account's admins (outbox). The endpoint's
 * condition (still active) makes this happen once however many deliveries give up together.
 */
export async function giveUp(
  d: DeliveryKey,
  outcome: AttemptOutcome | undefined,
  disable: { lastError: string; emails: OutboxItem[] } | undefined,
  /** Why, when no attempt was made (the endpoint is disabled or gone). */
  unsent = 'Endpoint disabled',
): Promise<boolean> {
  const at = outcome?.at ?? clock.nowIso();
  const result: TxOutcome = await db()
    .transaction.write((tx) => [
      tx.webhookDelivery
        .patch(d)
        .set({ status: 'failed', failedAt: at, ...(outcome ? { lastAttemptAt: at, ...failureFields(outcome) } : { lastError: unsent }) })
        .add({ attempts: outcome ? 1 : 0 })
        .remove(['leaseUntil', 'dueKey', 'dueSort', 'nextAttemptAt'])
        .commit(),
      ...(disable
        ? [
            tx.webhook
              .patch({ id: d.webhookId })
              .set({ status: 'disabled', disabledReason: DISABLED_BY_FAILURES, disabledLastError: disable.lastError, disabledAt: at, updatedAt: at })
              .add({ version: 1 })
              .where((a, op) => op.eq(a.status, 'active'))
              .commit(),
            ...disable.emails.map((e) => tx.outbox.create(e).commit()),
          ]
        : []),
    ])
    .go();
  if (!result.canceled) return true;
  if (disable && result.data[1]?.code === 'ConditionalCheckFailed') {
    // Disabled (or deleted) by another delivery or a person meanwhile: only this delivery fails.
    await giveUp(d, outcome, undefined);
    return false;
  }
  throw new Error(`Transaction cancelled: ${result.data.map((x) => x.code ?? 'None').join(',')}`);
}

/** Manual redelivery: the delivery pending again, due now, with a fresh retry window; false when it is pending already. */
export async function restartDelivery(d: DeliveryKey): Promise<boolean> {
  try {
    await db()
      .entities.webhookDelivery.patch(d)
      .set({ status: 'pending', failures: 0, ...retryKeys(d, clock.nowIso()) })
      .remove(['firstFailedAt', 'failedAt', 'deliveredAt', 'leaseUntil'])
      .where((a, op) => op.ne(a.status, 'pending'))
      .go();
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw err;
  }
}

/** The deliveries whose next attempt is due before `before` (the retry job's due query; data/due-index.ts reads it). */
export const dueRetriesBefore = (before: string): DueQuery => ({ index: 'gsi4', prefix: RETRY_PREFIX, before });

function ignoreConditional(err: unknown): void {
  if (!isConditionalCheckFailed(err)) throw err;
}

/** ElectroDB wraps the SDK's error; the DynamoDB exception is its cause. */
function isConditionalCheckFailed(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return [error, cause].some((e) => e instanceof Error && e.name === 'ConditionalCheckFailedException');
}


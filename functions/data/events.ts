import type { EntityItem } from 'electrodb';
import { db, type EventEntity } from './entities.ts';
import { clock } from '#platform/clock.ts';
import { currentCorrelationId } from '#platform/correlation.ts';
import { newEventId } from '#platform/ids.ts';
import { EVENT_API_VERSION, parseEventData, resourceIdOf, subscriptionChangeOf, type DomainEvent, type EventData, type EventType } from '#domain/events.ts';

/**
 * The domain events' feeds (docs/api.md#events, docs/data-model.md): an event is written in the
 * transaction of its cause, one item per account of the concerned account's path (its own feed,
 * its reseller's, its distributor's), so each feed is one partition read oldest first.
 */
export const EVENT_RETENTION_DAYS = 30;

/**
 * `GET /v1/events` lists only events at least this old on the application clock. An event's id is
 * taken (with the clock's time) just before its transaction commits; a transaction that commits a
 * little after a later one would otherwise land behind a page already read, and be skipped by
 * `after`. Five seconds covers a transaction's SDK retries and the clocks of two Lambdas.
 */
export const EVENT_SETTLE_MS = 5_000;

export type EventItem = EntityItem<EventEntity>;

/** A new event of `type` about `accountId`'s resource, stamped now; its data checked against the catalog. */
export function newEvent<T extends EventType>(type: T, accountId: string, data: EventData<T>): DomainEvent<T> {
  const now = clock.now();
  return { id: newEventId(now.getTime()), type, apiVersion: EVENT_API_VERSION, occurredAt: now.toISOString(), accountId, data: parseEventData(type, data) };
}

/**
 * The items to put in the transaction of the event's cause: one per account of `accountPath` (the
 * concerned account's path, itself included), each carrying the whole event, its feed account and
 * the resource it is about. `db().transaction.write(({ event }) => [...eventItems(e, path).map((i) => event.put(i).commit())])`.
 */
export function eventItems(event: DomainEvent, accountPath: readonly string[]): EventItem[] {
  const ttl = Math.floor(Date.parse(event.occurredAt) / 1000) + EVENT_RETENTION_DAYS * 86_400;
  const resourceId = resourceIdOf(event);
  // The work that caused it (platform/correlation.ts), for the webhook dispatcher's log lines; eventOf() leaves it out.
  const correlationId = currentCorrelationId();
  return [...new Set(accountPath)].map((feedAccountId) => ({ ...event, feedAccountId, resourceId, ttl, ...(correlationId ? { correlationId } : {}) }));
}

/** Several events' items (a transaction that causes more than one). */
export const eventsItems = (events: Array<{ event: DomainEvent; accountPath: readonly string[] }>): EventItem[] =>
  events.flatMap((e) => eventItems(e.event, e.accountPath));

/** The event an item (or a stream image of one, unmarshalled) carries, as delivered and listed. */
export function eventOf(item: Pick<EventItem, 'id' | 'type' | 'apiVersion' | 'occurredAt' | 'accountId' | 'data'>): DomainEvent {
  return { id: item.id, type: item.type as EventType, apiVersion: item.apiVersion as typeof EVENT_API_VERSION, occurredAt: item.occurredAt, accountId: item.accountId, data: item.data as EventData };
}

/** The items of one event about `accountId`, to every feed of `accountPath`. */
export const itemsOf = <T extends EventType>(type: T, accountId: string, data: EventData<T>, accountPath: readonly string[]): EventItem[] =>
  eventItems(newEvent(type, accountId, data), accountPath);

/** `order.status_changed`: an order placed (`previousStatus` null) or moved. */
export function orderStatusItems(
  order: { id: string; number: string; accountId: string; accountPath: readonly string[]; type: EventData<'order.status_changed'>['type'] },
  status: EventData<'order.status_changed'>['status'],
  previousStatus: EventData<'order.status_changed'>['previousStatus'],
): EventItem[] {
  return itemsOf('order.status_changed', order.accountId, { orderId: order.id, number: order.number, accountId: order.accountId, type: order.type, status, previousStatus }, order.accountPath);
}

/** An invoice as the events see it (its status as written by the same transaction). */
export interface InvoiceForEvent {
  id: string;
  number: string;
  accountId: string;
  accountPath: readonly string[];
  total: { amount: number; currency: string };
  status: EventData<'invoice.issued'>['status'];
  dueAt: string;
}

/** `invoice.issued`, `invoice.paid` or `invoice.overdue` of one invoice. */
export function invoiceItems(type: 'invoice.issued' | 'invoice.paid' | 'invoice.overdue', invoice: InvoiceForEvent): EventItem[] {
  const { id: invoiceId, number, accountId, total, status, dueAt } = invoice;
  return itemsOf(type, accountId, { invoiceId, number, accountId, total: { amount: total.amount, currency: total.currency }, status, dueDate: dueAt.slice(0, 10) }, invoice.accountPath);
}

/** An invoice's issue: `invoice.issued`, and `invoice.paid` too when it is settled as it is issued (a card paid first, a credit). */
export const issuedInvoiceItems = (invoice: InvoiceForEvent): EventItem[] => [
  ...invoiceItems('invoice.issued', invoice),
  ...(invoice.status === 'paid' ? invoiceItems('invoice.paid', invoice) : []),
];

/** At most this many items are read for one page of a feed filtered by type (a page may then come back short, with `more`). */
const MAX_SCANNED = 1_000;

export interface FeedPage {
  items: EventItem[];
  /** The id to ask `after` next: the last event read (returned or filtered out), else the `after` given. */
  lastEventId: string | null;
  /** Whether more events may follow (read again with `after: lastEventId`). */
  more: boolean;
}

/**
 * A feed's events strictly after `after` and before `before` (an event id bound: the settle delay),
 * oldest first, at most `limit`, only of `types` when given. One Query of the feed's partition a
 * page; a type filter is applied here, reading on up to MAX_SCANNED items.
 */
export async function readFeed(feedAccountId: string, f: { after?: string; before: string; limit: number; types?: readonly string[] }): Promise<FeedPage> {
  const items: EventItem[] = [];
  let lastEventId = f.after ?? null;
  let cursor: string | null = null;
  let scanned = 0;
  if (f.after !== undefined && f.after >= f.before) return { items, lastEventId, more: false };
  do {
    // between() is inclusive: the `after` event itself comes first and is skipped.
    const want = (f.types ? 100 : f.limit - items.length) + (cursor === null && f.after ? 1 : 0);
    const page: { data: EventItem[]; cursor: string | null } = await db()
      .entities.event.query.byFeed({ feedAccountId })
      .between({ id: f.after ?? 'ev_' }, { id: f.before })
      .go({ cursor, limit: want, pages: 1, order: 'asc' });
    cursor = page.cursor;
    for (const item of page.data) {
      if (item.id === f.after) continue;
      if (items.length === f.limit) return { items, lastEventId, more: true };
      scanned++;
      lastEventId = item.id;
      if (!f.types || f.types.includes(item.type)) items.push(item);
    }
  } while (cursor && items.length < f.limit && scanned < MAX_SCANNED);
  return { items, lastEventId, more: cursor !== null };
}

/** A subscription as the events see it (as written by the same transaction). */
export interface SubscriptionForEvent {
  id: string;
  accountId: string;
  accountPath: readonly string[];
  productId: string;
  quantity: number;
  status: EventData<'subscription.changed'>['status'];
  autoRenew: boolean;
  currentTermEnd?: string | undefined;
}

/** `subscription.changed` of one subscription, `change` saying what changed. */
export function subscriptionItems(sub: SubscriptionForEvent, change: EventData<'subscription.changed'>['change']): EventItem[] {
  const { id: subscriptionId, accountId, productId, quantity, status, autoRenew } = sub;
  return itemsOf('subscription.changed', accountId, { subscriptionId, accountId, productId, quantity, status, autoRenew, termEnd: sub.currentTermEnd?.slice(0, 10) ?? null, change }, sub.accountPath);
}

/**
 * `subscription.changed` for a subscription read as `before` and written with `set` in the same
 * transaction; nothing when no field an integration sees changed (domain/events.ts `subscriptionChangeOf`).
 */
export function subscriptionChangeItems(before: SubscriptionForEvent, set: Partial<Pick<SubscriptionForEvent, 'status' | 'quantity' | 'autoRenew' | 'currentTermEnd'>>): EventItem[] {
  const after = { ...before, ...set };
  const change = subscriptionChangeOf(before, after);
  return change ? subscriptionItems(after, change) : [];
}

/** `domain.status_changed` of a domain written with `status` (`previousStatus` null: just created). */
export function domainStatusItems(
  domain: { id: string; accountId: string; accountPath: readonly string[]; domain: string },
  status: EventData<'domain.status_changed'>['status'],
  previousStatus: EventData<'domain.status_changed'>['previousStatus'],
): EventItem[] {
  if (status === previousStatus) return [];
  return itemsOf('domain.status_changed', domain.accountId, { domainId: domain.id, accountId: domain.accountId, domain: domain.domain, status, previousStatus }, domain.accountPath);
}

/** `user.created` of a user written with it (ids and the role only: no personal data). */
export function userCreatedItems(user: { id: string; accountId: string; accountPath: readonly string[]; role: EventData<'user.created'>['role'] }): EventItem[] {
  return itemsOf('user.created', user.accountId, { userId: user.id, accountId: user.accountId, role: user.role }, user.accountPath);
}

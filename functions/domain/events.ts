import * as z from 'zod/mini';
import { ROLES } from './accounts.ts';
import { INVOICE_STATUSES } from './billing.ts';
import { DOMAIN_STATUSES } from './catalog.ts';
import { ORDER_STATUSES, ORDER_TYPES } from './order-status.ts';
import { SUBSCRIPTION_STATUSES } from './subscription-rules.ts';

/**
 * The catalog of domain events (docs/api.md#events): what webhooks deliver and `GET /v1/events`
 * lists. Each event is written in the transaction of its cause (data/events.ts `eventItems`), one
 * copy per account of the concerned account's path. The payloads are versioned by `apiVersion`:
 * a field is only ever added within a version; a change of meaning or a removal is a new version.
 */
export const EVENT_API_VERSION = '2026-12-01';

const id = z.string().check(z.minLength(1));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const isoTime = z.iso.datetime();
const money = z.object({ amount: z.number().check(z.int()), currency: z.string().check(z.length(3)) });

const invoiceData = z.object({
  invoiceId: id,
  number: z.string(),
  accountId: id,
  total: money,
  status: z.enum(INVOICE_STATUSES),
  dueDate: isoDate,
});

/** What changed in a `subscription.changed` event. */
export const SUBSCRIPTION_CHANGES = ['activated', 'quantity', 'autoRenew', 'renewed', 'cancelled', 'suspended', 'reactivated', 'expired'] as const;
export type SubscriptionChangeKind = (typeof SUBSCRIPTION_CHANGES)[number];

/** Each event type's `data`, in the order docs/api.md lists them. */
export const EVENT_DATA_SCHEMAS = {
  'order.status_changed': z.object({
    orderId: id,
    number: z.string(),
    accountId: id,
    type: z.enum(ORDER_TYPES),
    status: z.enum(ORDER_STATUSES),
    /** null when the order was just placed. */
    previousStatus: z.nullable(z.enum(ORDER_STATUSES)),
  }),
  'subscription.changed': z.object({
    subscriptionId: id,
    accountId: id,
    productId: id,
    quantity: z.number().check(z.int(), z.nonnegative()),
    status: z.enum(SUBSCRIPTION_STATUSES),
    autoRenew: z.boolean(),
    /** The last day of the current term; null while the subscription is pending. */
    termEnd: z.nullable(isoDate),
    change: z.enum(SUBSCRIPTION_CHANGES),
  }),
  'invoice.issued': invoiceData,
  'invoice.paid': invoiceData,
  'invoice.overdue': invoiceData,
  'user.created': z.object({ userId: id, accountId: id, role: z.enum(ROLES) }),
  'domain.status_changed': z.object({
    domainId: id,
    accountId: id,
    domain: z.string(),
    status: z.enum(DOMAIN_STATUSES),
    previousStatus: z.nullable(z.enum(DOMAIN_STATUSES)),
  }),
} as const;

export type EventType = keyof typeof EVENT_DATA_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as EventType[];

export const isEventType = (value: string): value is EventType => Object.hasOwn(EVENT_DATA_SCHEMAS, value);

export type EventData<T extends EventType = EventType> = z.infer<(typeof EVENT_DATA_SCHEMAS)[T]>;

/** One event as delivered and listed. */
export interface DomainEvent<T extends EventType = EventType> {
  /** `ev_<ULID>`: sorts by the time it was made. */
  id: string;
  type: T;
  apiVersion: typeof EVENT_API_VERSION;
  occurredAt: string;
  /** The account the event concerns (the order's, the invoice's…): the feeds of it and its ancestors carry it. */
  accountId: string;
  data: EventData<T>;
}

const envelope = <T extends EventType>(type: T) =>
  z.object({
    id: z.string().check(z.regex(/^ev_[0-9A-HJKMNP-TV-Z]{26}$/)),
    type: z.literal(type),
    apiVersion: z.literal(EVENT_API_VERSION),
    occurredAt: isoTime,
    accountId: id,
    data: EVENT_DATA_SCHEMAS[type],
  });

/** The whole event of each type (envelope and data): for the OpenAPI `webhooks` section and receivers' validation. */
export const EVENT_SCHEMAS = Object.fromEntries(EVENT_TYPES.map((t) => [t, envelope(t)])) as { [T in EventType]: ReturnType<typeof envelope<T>> };

/** The resource an event is about: webhooks keep the events of one resource in order. */
export function resourceIdOf(event: Pick<DomainEvent, 'type' | 'data'>): string {
  const d = event.data as Record<string, unknown>;
  const key = { order: 'orderId', subscription: 'subscriptionId', invoice: 'invoiceId', user: 'userId', domain: 'domainId' }[event.type.split('.')[0] as string];
  const value = key ? d[key] : undefined;
  if (typeof value !== 'string') throw new Error(`Event ${event.type} names no resource.`);
  return value;
}

/** Checks an event's data against its type's schema (a bad event fails the transaction of its cause, not the receiver later). */
export function parseEventData<T extends EventType>(type: T, data: unknown): EventData<T> {
  return EVENT_DATA_SCHEMAS[type].parse(data) as EventData<T>;
}

/** What a `subscription.changed` event says of a subscription. */
export interface SubscriptionState {
  status: (typeof SUBSCRIPTION_STATUSES)[number];
  quantity: number;
  autoRenew: boolean;
  currentTermEnd?: string | undefined;
}

/**
 * What changed between two states of a subscription, as `subscription.changed` names it, the most
 * telling first (a renewal that also changes the quantity is `renewed`); undefined when nothing an
 * integration sees changed (assignments, a scheduled change, internal keys): no event then.
 */
export function subscriptionChangeOf(before: SubscriptionState, after: SubscriptionState): SubscriptionChangeKind | undefined {
  if (after.status !== before.status) {
    if (after.status === 'active') return before.status === 'suspended' ? 'reactivated' : 'activated';
    if (after.status === 'cancelled' || after.status === 'suspended' || after.status === 'expired') return after.status;
    return undefined;
  }
  if (after.status === 'pending') return undefined;
  if ((after.currentTermEnd ?? null) !== (before.currentTermEnd ?? null)) return 'renewed';
  if (after.quantity !== before.quantity) return 'quantity';
  if (after.autoRenew !== before.autoRenew) return 'autoRenew';
  return undefined;
}

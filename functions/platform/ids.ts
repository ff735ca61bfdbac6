import { encodeTime, monotonicFactory } from 'ulid';

const next = monotonicFactory();

export const ID_PREFIXES = {
  account: 'acc',
  user: 'usr',
  product: 'prd',
  offer: 'ofr',
  order: 'ord',
  subscription: 'sub',
  domain: 'dom',
  paymentMethod: 'pm',
  invoice: 'inv',
  outbox: 'evt',
  cartItem: 'itm',
  charge: 'ch',
  cardToken: 'tok',
  priceList: 'prl',
  quote: 'quo',
  /** A domain event (domain/events.ts); `outbox` records keep `evt`. */
  event: 'ev',
  /** A webhook endpoint (data/webhooks.ts). */
  webhook: 'wh',
  /** A webhook delivery: `whd_` and its event's ULID (data/webhooks.ts `deliveryIdOf`), never made by newId but for tests. */
  webhookDelivery: 'whd',
  /** An API client, a machine's identity (data/api-clients.ts); its secrets are `cs_…` (not ids) and have ids of their own. */
  apiClient: 'cli',
  clientSecret: 'sec',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${next()}`;
}

let nextEvent = monotonicFactory();
let lastEventMs = 0;

/**
 * A domain event's id, its time part the application clock's `atMs` (the events feed settles by
 * that clock), increasing within this process. A clock moved back (locally) starts a new sequence
 * rather than stamping every later event with the time it left.
 */
export function newEventId(atMs: number): string {
  if (atMs < lastEventMs) nextEvent = monotonicFactory();
  lastEventMs = atMs;
  return `${ID_PREFIXES.event}_${nextEvent(atMs)}`;
}

/** The lowest event id of the millisecond `atMs`: every event id made before that millisecond sorts below it. */
export function eventIdAt(atMs: number): string {
  return `${ID_PREFIXES.event}_${encodeTime(atMs, 10)}${'0'.repeat(16)}`;
}

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`);
}

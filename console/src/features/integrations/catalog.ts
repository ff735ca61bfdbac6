import type { EventType, Scope } from './queries';

/**
 * The scopes an API client may be granted and the event types an endpoint may receive, in the
 * order the screens list them. Keyed by the API's own enums: a scope or event type added to the
 * API does not compile here until it is listed (and its words are in the catalogs).
 */
const SCOPE_ORDER: Record<Scope, number> = {
  'accounts:read': 1,
  'accounts:write': 2,
  'users:read': 3,
  'users:write': 4,
  'catalog:read': 5,
  'catalog:write': 6,
  'orders:read': 7,
  'orders:write': 8,
  'orders:operate': 9,
  'subscriptions:read': 10,
  'subscriptions:write': 11,
  'billing:read': 12,
  'billing:write': 13,
  'domains:read': 14,
  'domains:write': 15,
  'webhooks:read': 16,
  'webhooks:write': 17,
  'events:read': 18,
};
export const SCOPES = (Object.keys(SCOPE_ORDER) as Scope[]).sort((a, b) => SCOPE_ORDER[a] - SCOPE_ORDER[b]);

/** Scopes that open nothing for an account of this type (staff work, the distributor's catalog): not offered. */
export function scopesFor(accountType: 'distributor' | 'reseller' | 'customer'): Scope[] {
  return SCOPES.filter((s) => !(s === 'orders:operate' && accountType === 'customer') && !(s === 'catalog:write' && accountType !== 'distributor'));
}

const EVENT_ORDER: Record<EventType, number> = {
  'order.status_changed': 1,
  'subscription.changed': 2,
  'invoice.issued': 3,
  'invoice.paid': 4,
  'invoice.overdue': 5,
  'user.created': 6,
  'domain.status_changed': 7,
};
export const EVENT_TYPES = (Object.keys(EVENT_ORDER) as EventType[]).sort((a, b) => EVENT_ORDER[a] - EVENT_ORDER[b]);

type Swap<S extends string, From extends string> = S extends `${infer A}${From}${infer B}` ? `${A}_${B}` : S;
/** The i18n key of a scope or event type (colons and dots are the catalogs' separators). */
export const scopeKey = (s: Scope) => s.replace(':', '_') as Swap<Scope, ':'>;
export const eventKey = (e: EventType) => e.replace('.', '_') as Swap<EventType, '.'>;

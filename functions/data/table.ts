/**
 * The one table of the application. Both the CDK stack (infra/) and the local runtime (local/)
 * create the table from this definition, so keys, indexes, TTL and stream never drift apart.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Items with this epoch-seconds attribute expire (refresh tokens, idempotency records, activation links). */
  ttlAttribute: 'ttl',
  streamView: 'NEW_AND_OLD_IMAGES',
  globalIndexes: [
    /** Owner index: lists of one account's things (users, orders, domains, subscriptions). */
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Parent index: what sits under an account's parent (a reseller's view of its customers' things). */
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Root index: everything under the distributor, and the catalog. */
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /**
     * Due index, sparse and sharded: what falls due on a day (subscriptions by the last day of their
     * term, unpaid invoices by due date), and orders whose workflow start is not yet recorded. Only
     * items with something due carry its keys.
     */
    { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    /** Billing index, sparse and sharded: subscriptions by the start of their next billing period. */
    { name: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
  ],
} as const;

/** Jobs read a day's due items from this many partitions of the due and billing indexes. */
export const DUE_SHARDS = 4;

export function shardOf(id: string): number {
  return id.charCodeAt(id.length - 1) % DUE_SHARDS;
}

export type GlobalIndexName = (typeof TABLE.globalIndexes)[number]['name'];

/** ElectroDB stamps each item with its entity name in this attribute. */
export const ENTITY_ATTRIBUTE = '__edb_e__';
export const OUTBOX_ENTITY = 'outbox';

/**
 * The filter of the notifier's event source: only new outbox records reach it. CDK puts it on the
 * event source mapping; the local stream poller applies the same pattern before invoking.
 */
export const OUTBOX_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { [ENTITY_ATTRIBUTE]: { S: [OUTBOX_ENTITY] } } },
} as const;

export const EVENT_ENTITY = 'event';

/**
 * The filter of the webhook dispatcher's event source: only new domain events (one item per feed
 * account, data/events.ts) reach it. A separate consumer of the stream from the notifier, whose
 * filter lets only outbox records through, so emails never see an event and events never an email.
 */
export const EVENT_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { [ENTITY_ATTRIBUTE]: { S: [EVENT_ENTITY] } } },
} as const;

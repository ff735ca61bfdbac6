import { createHash } from 'node:crypto';
import type { EntityItem } from 'electrodb';
import { db, type RequestKeyEntity } from './entities.ts';
import { isConditionalFailure } from './tx.ts';
import { clock } from '#platform/clock.ts';

/**
 * The Idempotency-Keys that placed orders (docs/product.md#api-conventions, docs/product.md#quality-bars "an idempotency key never makes two
 * orders"). Powertools' idempotency record answers a retry while it holds the first answer; but a
 * first attempt that timed out after writing its order never stored an answer, and its in-progress
 * record expires with the invocation. So the order's own write transaction also creates this item
 * (only if absent) naming the order: a retry reads it first and answers that order, and a retry
 * racing the first attempt loses the conditional create. Scoped to the signed-in user (under "log
 * in as", the user acted as) and the route, like the key; kept 24 hours.
 */
export const REQUEST_KEY_TTL_SECONDS = 24 * 3600;

export interface RequestKey {
  /** The signed-in user (the user acted as). */
  userId: string;
  /** The route with its path parameters, e.g. `POST /v1/accounts/acc_1/orders`. */
  route: string;
  key: string;
  /** SHA-256 of the request body: the same key with another body is refused, not answered. */
  bodyHash: string;
}

/** The stored item: the key, the order it placed, when, and its expiry (epoch seconds). */
export type RequestKeyRecord = EntityItem<RequestKeyEntity>;

export const bodyHashOf = (body: unknown): string => createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');

/** The item an order's transaction creates (conditionally: see `insertOrder`, `insertSubscriptionOrder`). */
export function requestKeyItem(requestKey: RequestKey, orderId: string, createdAt: string): RequestKeyRecord {
  const { userId, route, key, bodyHash } = requestKey;
  return { userId, route, key, bodyHash, orderId, createdAt, ttl: Math.floor(Date.parse(createdAt) / 1000) + REQUEST_KEY_TTL_SECONDS };
}

/** The order a key placed, read consistently (the transaction that wrote it may have just committed); none once expired. */
export async function getRequestKey(requestKey: Pick<RequestKey, 'userId' | 'route' | 'key'>): Promise<RequestKeyRecord | undefined> {
  const { userId, route, key } = requestKey;
  const found = await db().entities.requestKey.get({ userId, route, key }).go({ consistent: true });
  const item = found.data;
  // DynamoDB deletes expired items late: an expired one is gone already.
  if (!item || (item.ttl !== undefined && item.ttl * 1000 <= clock.now().getTime())) return undefined;
  return item;
}

/**
 * Frees a key whose order was failed at once because its workflow would not start (the client got
 * 503 try_again, "not kept"): the same request sent again places a new order. Only if it still
 * names that order.
 */
export async function releaseRequestKey(requestKey: RequestKey, orderId: string): Promise<void> {
  const { userId, route, key } = requestKey;
  try {
    await db()
      .entities.requestKey.delete({ userId, route, key })
      .where((a, op) => op.eq(a.orderId, orderId))
      .go();
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
  }
}

import type { EntityItem } from 'electrodb';
import { db, type CartItemEntity } from './entities.ts';
import { ensureCommittedNamed, isConditionalFailure, retryOnConflict, RETRY } from './tx.ts';
import { clock } from '#platform/clock.ts';
import { ID_PREFIXES } from '#platform/ids.ts';
import { NotFound, PreconditionFailed, TransientError } from '#platform/errors.ts';

/**
 * A user's cart: one partition per user holding its head (the line count) and one line per offer.
 * A line's id is derived from its offer's, so two parallel adds of one offer meet on one item (the
 * second adds to the first's quantity) instead of writing two lines; a new line and the head's
 * count move in one transaction conditioned on the limit, so parallel adds cannot pass it.
 */
export type CartItem = EntityItem<CartItemEntity>;

export const MAX_CART_ITEMS = 20;

/** The id of the caller's line for an offer: `itm_` and the offer id's 26 characters. */
export const cartLineId = (offerId: string): string => `${ID_PREFIXES.cartItem}_${offerId.slice(ID_PREFIXES.offer.length + 1)}`;

export async function cartItems(userId: string): Promise<CartItem[]> {
  const result = await db().entities.cartItem.query.byUser({ userId }).go({ pages: 'all' });
  return result.data;
}

export async function getCartItem(userId: string, id: string): Promise<CartItem | undefined> {
  const found = await db().entities.cartItem.get({ userId, id }).go({ consistent: true });
  return found.data ?? undefined;
}

export type AddOutcome =
  | { kind: 'added'; item: CartItem; created: boolean }
  /** The cart already holds MAX_CART_ITEMS other offers. */
  | { kind: 'full' }
  /** The line would pass the product's maximum. */
  | { kind: 'too_many' };

const tooBusy = () => new TransientError('Too many concurrent changes to this cart; try again.');
const CART_RETRIES = { tries: 20, baseMs: 10, capMs: 200, exhausted: tooBusy };

/**
 * Adds `quantity` of an offer: to its line when the cart has one (an atomic add conditioned on
 * `maxQuantity`), else as a new line with the head's count raised in the same transaction.
 */
export async function addToCart(input: { userId: string; accountId: string; offerId: string; quantity: number; maxQuantity: number }): Promise<AddOutcome> {
  const { userId, accountId, offerId, quantity, maxQuantity } = input;
  const id = cartLineId(offerId);
  return retryOnConflict<AddOutcome>(async () => {
    const now = clock.nowIso();
    const existing = await getCartItem(userId, id);
    if (existing) {
      if (existing.quantity + quantity > maxQuantity) return { kind: 'too_many' };
      // Gone (checked out, removed) or raised by a parallel add since the read: a conditional
      // failure, so read again.
      const updated = await db()
        .entities.cartItem.patch({ userId, id })
        .add({ quantity, version: 1 })
        .set({ updatedAt: now })
        .where((a, op) => op.lte(a.quantity, maxQuantity - quantity))
        .go({ response: 'all_new' });
      return { kind: 'added', item: updated.data, created: false };
    }
    const item: CartItem = { userId, id, accountId, offerId, quantity, createdAt: now, updatedAt: now, version: 1 };
    const result = await db()
      .transaction.write(({ cart, cartItem }) => [
        cart
          .update({ userId })
          .add({ lineCount: 1 })
          .set({ updatedAt: now })
          .where((a, op) => `${op.notExists(a.lineCount)} OR ${op.lt(a.lineCount, MAX_CART_ITEMS)}`)
          .commit(),
        cartItem.create(item).commit(),
      ])
      .go();
    const names = ['head', 'line'] as const;
    const refused = result.canceled ? names[result.data.findIndex((d) => d.code === 'ConditionalCheckFailed')] : undefined;
    // A parallel add of the same offer wrote the line first: add to it.
    if (refused === 'line') return RETRY;
    if (refused === 'head') return { kind: 'full' };
    // Otherwise a TransactionConflict (another add or removal moved the head): tried again.
    ensureCommittedNamed(result, names, tooBusy);
    return { kind: 'added', item, created: true };
  }, CART_RETRIES);
}

/**
 * Sets a line's quantity; a line that is gone (checked out, removed) stays gone: 404. With
 * `ifMatch` (the request's `If-Match`), a line at another version is a 412.
 */
export async function setCartItemQuantity(userId: string, id: string, quantity: number, ifMatch?: number): Promise<CartItem> {
  try {
    const updated = await db()
      .entities.cartItem.patch({ userId, id })
      .set({ quantity, updatedAt: clock.nowIso() })
      .add({ version: 1 })
      .where((a, op) => (ifMatch === undefined ? '' : op.eq(a.version, ifMatch)))
      .go({ response: 'all_new' });
    return updated.data;
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    const current = await getCartItem(userId, id);
    if (current && ifMatch !== undefined && current.version !== ifMatch) throw new PreconditionFailed(current.version);
    throw new NotFound();
  }
}

/** Removes a line and lowers the head's count with it; 404 when the line is already gone. */
export async function removeCartItem(userId: string, id: string): Promise<void> {
  return retryOnConflict(async () => {
    const result = await db()
      .transaction.write(({ cart, cartItem }) => [
        cartItem
          .delete({ userId, id })
          .where((a, op) => op.exists(a.offerId))
          .commit(),
        cart.update({ userId }).subtract({ lineCount: 1 }).set({ updatedAt: clock.nowIso() }).commit(),
      ])
      .go();
    // The line is gone: 404; a parallel change that moved the head is tried again.
    ensureCommittedNamed(result, ['line', 'head'] as const, () => new NotFound());
  }, CART_RETRIES);
}

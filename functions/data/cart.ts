import { db } from './entities.ts';
import { backOff, isConditionalFailure } from './tx.ts';
import { clock } from '#platform/clock.ts';
import { ID_PREFIXES } from '#platform/ids.ts';
import { NotFound, TransientError } from '#platform/errors.ts';

/**
 * A user's cart: one partition per user holding its head (the line count) and one line per offer.
 * A line's id is derived from its offer's, so two parallel adds of one offer meet on one item (the
 * second adds to the first's quantity) instead of writing two lines; a new line and the head's
 * count move in one transaction conditioned on the limit, so parallel adds cannot pass it.
 */
export interface CartItem {
  userId: string;
  id: string;
  accountId: string;
  offerId: string;
  quantity: number;
  createdAt: string;
  updatedAt: string;
}

export const MAX_CART_ITEMS = 20;

/** The id of the caller's line for an offer: `itm_` and the offer id's 26 characters. */
export const cartLineId = (offerId: string): string => `${ID_PREFIXES.cartItem}_${offerId.slice(ID_PREFIXES.offer.length + 1)}`;

export async function cartItems(userId: string): Promise<CartItem[]> {
  const result = await db().entities.cartItem.query.byUser({ userId }).go({ pages: 'all' });
  return result.data as CartItem[];
}

export async function getCartItem(userId: string, id: string): Promise<CartItem | undefined> {
  const found = await db().entities.cartItem.get({ userId, id }).go({ consistent: true });
  return (found.data as CartItem | null) ?? undefined;
}

export type AddOutcome =
  | { kind: 'added'; item: CartItem; created: boolean }
  /** The cart already holds MAX_CART_ITEMS other offers. */
  | { kind: 'full' }
  /** The line would pass the product's maximum. */
  | { kind: 'too_many' };

const MAX_TRIES = 20;
const pause = (attempt: number) => backOff(attempt, { baseMs: 10, capMs: 200 });

/**
 * Adds `quantity` of an offer: to its line when the cart has one (an atomic add conditioned on
 * `maxQuantity`), else as a new line with the head's count raised in the same transaction.
 */
export async function addToCart(input: { userId: string; accountId: string; offerId: string; quantity: number; maxQuantity: number }): Promise<AddOutcome> {
  const { userId, accountId, offerId, quantity, maxQuantity } = input;
  const id = cartLineId(offerId);
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    if (attempt > 0) await pause(attempt);
    const now = clock.nowIso();
    const existing = await getCartItem(userId, id);
    if (existing) {
      if (existing.quantity + quantity > maxQuantity) return { kind: 'too_many' };
      try {
        const updated = await db()
          .entities.cartItem.patch({ userId, id })
          .add({ quantity })
          .set({ updatedAt: now })
          .where((a, op) => op.lte(a.quantity, maxQuantity - quantity))
          .go({ response: 'all_new' });
        return { kind: 'added', item: updated.data as CartItem, created: false };
      } catch (err) {
        // Gone (checked out, removed) or raised by a parallel add since the read: read again.
        if (isConditionalFailure(err)) continue;
        throw err;
      }
    }
    const item: CartItem = { userId, id, accountId, offerId, quantity, createdAt: now, updatedAt: now };
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
    if (!result.canceled) return { kind: 'added', item, created: true };
    const [head, line] = result.data;
    // A parallel add of the same offer wrote the line first: add to it.
    if (line?.code === 'ConditionalCheckFailed') continue;
    if (head?.code === 'ConditionalCheckFailed') return { kind: 'full' };
    // TransactionConflict: another add or removal moved the head at the same moment.
  }
  throw new TransientError('Too many concurrent changes to this cart; try again.');
}

/** Sets a line's quantity; a line that is gone (checked out, removed) stays gone: 404. */
export async function setCartItemQuantity(userId: string, id: string, quantity: number): Promise<CartItem> {
  try {
    const updated = await db()
      .entities.cartItem.patch({ userId, id })
      .set({ quantity, updatedAt: clock.nowIso() })
      .go({ response: 'all_new' });
    return updated.data as CartItem;
  } catch (err) {
    if (isConditionalFailure(err)) throw new NotFound();
    throw err;
  }
}

/** Removes a line and lowers the head's count with it; 404 when the line is already gone. */
export async function removeCartItem(userId: string, id: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    if (attempt > 0) await pause(attempt);
    const result = await db()
      .transaction.write(({ cart, cartItem }) => [
        cartItem
          .delete({ userId, id })
          .where((a, op) => op.exists(a.offerId))
          .commit(),
        cart.update({ userId }).subtract({ lineCount: 1 }).set({ updatedAt: clock.nowIso() }).commit(),
      ])
      .go();
    if (!result.canceled) return;
    // The line is gone; otherwise a parallel change moved the head: try again.
    if (result.data.some((d) => d.code === 'ConditionalCheckFailed')) throw new NotFound();
  }
  throw new TransientError('Too many concurrent changes to this cart; try again.');
}

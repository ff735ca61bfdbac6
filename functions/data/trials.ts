import { db, type TrialMarkerEntity } from './entities.ts';
import type { EntityItem } from 'electrodb';

/**
 * One trial per tenant and product (docs/product.md#trials-and-qualifications): the `trialMarker`
 * item of (domain, product), created with `attribute_not_exists` in the transaction of the order
 * that takes the trial (data/orders.ts `insertOrder`), so of two orders racing for it one is
 * written and the other refused, and kept afterwards: a trial, once ordered, is used.
 */
export type TrialMarker = EntityItem<TrialMarkerEntity>;

/** The order that took the trial of `productId` on `domainId`, if any (a consistent read). */
export async function trialTaken(domainId: string, productId: string): Promise<TrialMarker | undefined> {
  const found = await db().entities.trialMarker.get({ domainId, productId }).go({ consistent: true });
  return found.data ?? undefined;
}

/**
 * Scheduled changes at renewal (docs/product.md#scheduled-changes-at-renewal): what the next term
 * will be — which product, which offer (term and billing period), how many licenses — and which
 * changes a subscription may schedule. No I/O: services/scheduled-changes.ts and
 * services/renewals.ts read what these rules need and write what they decide.
 */

/** What a subscription stores of its scheduled change (the quantity lives in `scheduledQuantity`). */
export interface StoredScheduledChange {
  productId?: string;
  offerId?: string;
  /** The target's name, term and billing period when set, so the subscription shows them without a catalog read. */
  productName?: string;
  term?: string;
  billingPeriod?: string;
  setAt: string;
}

/** What the next term is made of. */
export interface NextTerm {
  productId: string;
  offerId: string;
  quantity: number;
  /** Whether the product or offer differs from the current term's. */
  changesOffer: boolean;
}

/**
 * The next term of a subscription: the scheduled product and offer (or the current ones), the
 * scheduled quantity (or the current one), never below the licenses assigned, at least 1.
 * The one place the renewals job and the reminder decide "what renews".
 */
export function nextTermOf(sub: {
  productId: string;
  offerId: string;
  quantity: number;
  assignedCount: number;
  scheduledQuantity?: number;
  scheduledChange?: Pick<StoredScheduledChange, 'productId' | 'offerId'>;
  /** A trial converts to the paid offer it names (domain/trials.ts), unless another is scheduled. */
  trial?: { convertsToOfferId: string } | null;
}): NextTerm {
  const productId = sub.scheduledChange?.productId ?? sub.productId;
  const offerId = sub.scheduledChange?.offerId ?? sub.trial?.convertsToOfferId ?? sub.offerId;
  return {
    productId,
    offerId,
    quantity: Math.max(sub.scheduledQuantity ?? sub.quantity, sub.assignedCount, 1),
    changesOffer: productId !== sub.productId || offerId !== sub.offerId,
  };
}

/** The part of a product these rules look at; `upgradeTargets` (the products it may be upgraded to) may be absent. */
export interface FamilyProduct {
  id: string;
  upgradeTargets?: readonly string[] | null;
}

/**
 * Whether a subscription of `current` may renew as `target`: the same product; a product that
 * `current` may be upgraded to; or one that may be upgraded to `current` (a downgrade, allowed only
 * at renewal). Products the catalog does not link by `upgradeTargets` are not one family.
 */
export function mayRenewAs(current: FamilyProduct, target: FamilyProduct): boolean {
  if (current.id === target.id) return true;
  const up = current.upgradeTargets;
  const down = target.upgradeTargets;
  return Boolean(up?.includes(target.id) || down?.includes(current.id));
}

/**
 * The offer of `product` the next term renews on: the one named, else the one with the current
 * term and billing period. Never a free trial (domain/trials.ts): a trial is bought, not renewed onto.
 */
export function offerForNextTerm<O extends { id: string; term: string; billingPeriod: string; trial?: unknown }>(
  offers: readonly O[],
  wanted: { offerId?: string; term: string; billingPeriod: string },
): O | undefined {
  const paid = offers.filter((o) => !o.trial);
  if (wanted.offerId !== undefined) return paid.find((o) => o.id === wanted.offerId);
  return paid.find((o) => o.term === wanted.term && o.billingPeriod === wanted.billingPeriod);
}

/** Why a scheduled change is refused, or undefined when it may be scheduled. */
export type ScheduledChangeRefusal =
  | { code: 'below_assigned'; assignedCount: number }
  | { code: 'quantity_out_of_range'; min: number; max: number }
  | { code: 'product_not_eligible' }
  | { code: 'offer_not_of_product' }
  | { code: 'offer_missing' };

/**
 * The rules of a scheduled change (docs/product.md#scheduled-changes-at-renewal), in order: the
 * target product is of the family, the offer is one of its offers (or it has one with the current
 * term and billing period), the quantity for the next term (the one asked, else the current one)
 * is within the target product's range and not below the licenses assigned.
 */
export function refuseScheduledChange(
  sub: { quantity: number; assignedCount: number; term: string; billingPeriod: string },
  current: FamilyProduct,
  target: FamilyProduct & { minQuantity: number; maxQuantity: number; offers: ReadonlyArray<{ id: string; term: string; billingPeriod: string }> },
  input: { quantity?: number; offerId?: string },
): ScheduledChangeRefusal | undefined {
  if (!mayRenewAs(current, target)) return { code: 'product_not_eligible' };
  const offer = offerForNextTerm(target.offers, { offerId: input.offerId, term: sub.term, billingPeriod: sub.billingPeriod });
  if (!offer) return input.offerId !== undefined ? { code: 'offer_not_of_product' } : { code: 'offer_missing' };
  const quantity = input.quantity ?? sub.quantity;
  if (quantity < target.minQuantity || quantity > target.maxQuantity) return { code: 'quantity_out_of_range', min: target.minQuantity, max: target.maxQuantity };
  if (input.quantity !== undefined && input.quantity < sub.assignedCount) return { code: 'below_assigned', assignedCount: sub.assignedCount };
  return undefined;
}

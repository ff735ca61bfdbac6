import * as catalogRepo from '#data/catalog.ts';
import * as subscriptionRepo from '#data/subscriptions.ts';
import type { ScheduledChangeFields, Subscription } from '#data/subscriptions.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict } from '#platform/errors.ts';
import { offerForNextTerm, refuseScheduledChange, type ScheduledChangeRefusal } from '#domain/scheduled-change.ts';

/**
 * Scheduled changes at renewal (docs/product.md#scheduled-changes-at-renewal): the next term's
 * quantity, product and offer (term, billing period), set or dropped by whoever may change the
 * subscription, applied by the renewals job (services/renewals.ts). The rules are
 * domain/scheduled-change.ts; the quantity part is the same `scheduledQuantity` that
 * `POST …/quantity` with `"effective": "renewal"` sets.
 */
export interface ScheduledChangeDeps {
  subscriptions: Pick<typeof subscriptionRepo, 'setScheduledChange'>;
  catalog: Pick<typeof catalogRepo, 'getProduct'>;
  clock: { now(): Date };
}

export interface ScheduledChangeInput {
  quantity?: number;
  offerId?: string;
  productId?: string;
}

/** Only a subscription that can still renew (active, or suspended and perhaps paid before its term ends). */
function requireRenewable(sub: Subscription): void {
  if (sub.status !== 'active' && sub.status !== 'suspended') throw new Conflict('invalid_state', `The subscription is ${sub.status}.`, [{ status: sub.status }]);
}

function refusal(r: ScheduledChangeRefusal, sub: Subscription): Error {
  switch (r.code) {
    case 'below_assigned':
      return new Conflict('below_assigned', `${r.assignedCount} license(s) are assigned; unassign some first.`, [{ assignedCount: r.assignedCount }]);
    case 'quantity_out_of_range':
      return new BusinessRuleRefused('quantity_out_of_range', `The next term's product is sold in quantities of ${r.min} to ${r.max}.`, [{ path: 'quantity', min: r.min, max: r.max }]);
    case 'product_not_eligible':
      return new BusinessRuleRefused('product_not_eligible', `${sub.name} can renew only as itself or as a product it may be upgraded to or from.`, [{ path: 'productId' }]);
    case 'offer_not_of_product':
      return new BusinessRuleRefused('offer_not_of_product', 'The offer is not one of the next term\'s product.', [{ path: 'offerId' }]);
    case 'offer_missing':
      return new BusinessRuleRefused('offer_missing', 'The product has no offer with the current term and billing period; name one with offerId.', [
        { path: 'offerId', term: sub.term, billingPeriod: sub.billingPeriod },
      ]);
  }
}

export function makeScheduledChangeService(deps: ScheduledChangeDeps) {
  /** PUT: replaces the scheduled change whole (what it leaves out stays as it is now at the renewal). */
  async function set(current: Subscription, input: ScheduledChangeInput, opts: { ifMatch?: number } = {}): Promise<Subscription> {
    requireRenewable(current);
    const targetId = input.productId ?? current.productId;
    const [product, other] = await Promise.all([
      deps.catalog.getProduct(current.productId),
      targetId === current.productId ? undefined : deps.catalog.getProduct(targetId),
    ]);
    const target = targetId === current.productId ? product : other;
    // A product that is gone or retired is no renewal target (the subscription's own product still renews as itself).
    if (!target || (target.id !== current.productId && target.status !== 'active')) throw refusal({ code: 'product_not_eligible' }, current);
    const own = product ?? { id: current.productId };
    const refused = refuseScheduledChange(current, own, target, input);
    if (refused) throw refusal(refused, current);
    const offer = offerForNextTerm(target.offers, { offerId: input.offerId, term: current.term, billingPeriod: current.billingPeriod })!;
    const setAt = deps.clock.now().toISOString();
    return deps.subscriptions.setScheduledChange(
      current.id,
      (sub): ScheduledChangeFields => {
        requireRenewable(sub);
        const refusedNow = refuseScheduledChange(sub, own, target, input);
        if (refusedNow) throw refusal(refusedNow, sub);
        const movesOffer = target.id !== sub.productId || offer.id !== sub.offerId;
        return {
          scheduledQuantity: input.quantity,
          scheduledChange: movesOffer
            ? { productId: target.id, offerId: offer.id, productName: target.name, term: offer.term, billingPeriod: offer.billingPeriod, setAt }
            : input.quantity !== undefined
              ? { setAt }
              : undefined,
        };
      },
      opts,
    );
  }

  /** DELETE: the next term renews as the current one (the scheduled quantity goes too). */
  async function drop(current: Subscription, opts: { ifMatch?: number } = {}): Promise<Subscription> {
    requireRenewable(current);
    return deps.subscriptions.setScheduledChange(
      current.id,
      (sub) => {
        requireRenewable(sub);
        return {};
      },
      opts,
    );
  }

  return { set, drop };
}

export type ScheduledChangeService = ReturnType<typeof makeScheduledChangeService>;

export const scheduledChangeService = makeScheduledChangeService({ subscriptions: subscriptionRepo, catalog: catalogRepo, clock });

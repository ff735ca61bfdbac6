import type { Offer, Product } from './queries';

/** The catalog key of an offer's words: its term and billing period (P1Y_monthly: monthly billing, one-year commitment). */
export type OfferKind = 'P1Y_annual' | 'P1M_monthly' | 'P1Y_monthly' | 'P3Y_annual' | 'P3Y_monthly' | 'P1M_annual';
export const offerKind = (o: { term: Offer['term']; billingPeriod: Offer['billingPeriod'] }): OfferKind => `${o.term}_${o.billingPeriod}` as OfferKind;

const ORDER: OfferKind[] = ['P1Y_annual', 'P1M_monthly', 'P1Y_monthly', 'P3Y_annual', 'P3Y_monthly', 'P1M_annual'];
/** The offers in the order the guides explain them: annual, monthly, monthly with a year's commitment, then three-year terms; a free trial last. */
export const sortedOffers = (offers: Offer[]) =>
  [...offers].sort((a, b) => Number(Boolean(a.trial)) - Number(Boolean(b.trial)) || ORDER.indexOf(offerKind(a)) - ORDER.indexOf(offerKind(b)));

/** The lowest price per license and month among a product's offers (an annual price counts as a twelfth per month). */
export function fromPrice(product: Product): Offer['price'] | undefined {
  let best: Offer['price'] | undefined;
  for (const o of product.offers) {
    // A free trial is not what the product costs.
    if (o.trial) continue;
    const amount = o.billingPeriod === 'annual' ? Math.round(o.price.amount / 12) : o.price.amount;
    if (!best || amount < best.amount) best = { amount, currency: o.price.currency };
  }
  return best;
}

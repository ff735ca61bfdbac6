import * as pricingRepo from '#data/pricing.ts';
import type { UnitChain } from '#data/invoices.ts';
import { BusinessRuleRefused } from '#platform/errors.ts';
import { costOn, isCurrency, listPrice, priceChain, type Audience, type ChainGap, type CostEntry, type PriceRule, type Priced } from '#domain/pricing.ts';
import type { Money } from '#domain/money.ts';

/**
 * What a buyer pays for an offer on a day (docs/commerce.md "Which list prices an order"), for
 * orders, the cart, quotes and renewals. A pricer is made per request or per job run and reads
 * each list, and the costs, at most once (the renewals job prices thousands of subscriptions with
 * a handful of reads).
 *
 * - The buyer's seller (its reseller, or the distributor for a direct customer) keeps a `customers`
 *   list in the buyer's currency that prices the offer down the chain of `priceChain`: that price.
 * - Otherwise the catalog's price of the offer, as before price lists existed (an offer the
 *   distributor has not costed yet, a seller that keeps no list): it must be in the buyer's
 *   currency, else 422 `price_unavailable` (the list could not price it: `reason` says why),
 *   `currency_not_offered` (the seller keeps lists, none in that currency) or `currency_mismatch`.
 *   The chain still records the cost and the reseller price where the lists above give them, and
 *   margins show only where the cost is known.
 */
export interface PricedUnit {
  /** What the buyer pays per license and billing period (the sell price). */
  unitPrice: Money;
  chain: UnitChain;
}

/** The buyer as pricing sees it. */
export interface Buyer {
  id: string;
  parentId?: string | null;
  rootId: string;
  settings: { currency: string };
}

/** The offer as pricing sees it: its catalog price, its product and category. */
export interface PricedOffer {
  id: string;
  productId: string;
  price: Money;
}

export interface PricerDeps {
  pricing: Pick<typeof pricingRepo, 'listCosts' | 'priceListIdOf' | 'listRules' | 'listPriceLists'>;
}

const gapMessages: Record<ChainGap, string> = {
  no_cost: 'The distributor has no cost for this offer on that day, so it has no price.',
  no_distributor_price: 'The distributor’s price list does not price this offer on that day.',
  no_reseller_price: 'The reseller’s price list does not price this offer on that day.',
};

export function makePricer(deps: PricerDeps) {
  return function pricer() {
    const rules = new Map<string, Promise<PriceRule[] | undefined>>();
    const sells = new Map<string, Promise<boolean>>();
    let costs: Promise<CostEntry[]> | undefined;

    /** The rules of the list `owner` keeps for an audience and currency; undefined when it keeps none. */
    function rulesOf(owner: string, audience: Audience, currency: string): Promise<PriceRule[] | undefined> {
      const key = `${owner}|${audience}|${currency}`;
      let found = rules.get(key);
      if (!found) {
        found = deps.pricing.priceListIdOf(owner, audience, currency).then((id) => (id ? deps.pricing.listRules(id) : undefined));
        rules.set(key, found);
      }
      return found;
    }

    /** Whether `owner` keeps any price list (in any currency): commerce is set up for it. */
    function keepsLists(owner: string): Promise<boolean> {
      let found = sells.get(owner);
      if (!found) {
        found = deps.pricing.listPriceLists(owner).then((lists) => lists.length > 0);
        sells.set(owner, found);
      }
      return found;
    }

    const allCosts = () => (costs ??= deps.pricing.listCosts());

    /**
     * The unit price of `offer` for `buyer` on `day`; `path` names the field a refusal points at
     * (`lines.0.offerId`).
     */
    async function unit(buyer: Buyer, offer: PricedOffer, category: string, day: string, path = 'offerId'): Promise<PricedUnit> {
      const currency = buyer.settings.currency;
      const sellerId = buyer.parentId ?? buyer.rootId;
      const underReseller = sellerId !== buyer.rootId;
      const item: Priced = { offerId: offer.id, productId: offer.productId, category };
      const known = isCurrency(currency);
      const [sellerRules, distributorRules, costList] = await Promise.all([
        known ? rulesOf(sellerId, 'customers', currency) : Promise.resolve(undefined),
        known && underReseller ? rulesOf(buyer.rootId, 'resellers', currency) : Promise.resolve(undefined),
        allCosts(),
      ]);
      const cost = costOn(costList, offer.id, currency, day);
      let gap: ChainGap | undefined;
      if (sellerRules) {
        const chain = priceChain(cost, underReseller ? { distributor: distributorRules ?? [], reseller: sellerRules } : { distributor: sellerRules }, item, day);
        if (typeof chain !== 'string') return { unitPrice: chain.sell, chain };
        gap = chain;
      }
      if (offer.price.currency !== currency) {
        if (gap) throw new BusinessRuleRefused('price_unavailable', gapMessages[gap], [{ path, reason: gap }]);
        if (await keepsLists(sellerId)) throw new BusinessRuleRefused('currency_not_offered', `The seller keeps no price list in ${currency}.`, [{ path, currency }]);
        throw new BusinessRuleRefused('currency_mismatch', `This offer is priced in ${offer.price.currency}; the account pays in ${currency}.`, [{ path }]);
      }
      // The catalog price; what the seller pays is still recorded where the lists above say it.
      const resellerPrice = underReseller && cost && distributorRules ? listPrice(distributorRules, item, cost, day) : undefined;
      return { unitPrice: offer.price, chain: { sell: offer.price, ...(cost ? { cost } : {}), ...(resellerPrice ? { resellerPrice } : {}) } };
    }

    return { unit };
  };
}

export type Pricer = ReturnType<ReturnType<typeof makePricer>>;

/** A pricer over the table: make one per request or job run. */
export const pricer = makePricer({ pricing: pricingRepo });

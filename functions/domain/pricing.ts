import { MAX_PRICE, money, times, type Money } from './money.ts';
import { roundHalfUp } from './subscription-rules.ts';

/**
 * Channel pricing (docs/commerce.md): what the vendor charges the distributor (`cost`), what the
 * distributor charges its resellers and its direct customers, and what each reseller charges its
 * customers. Pure rules: the data layer loads the rules, these decide the price in effect on a
 * day, the chain of prices down the tree and who may see which part of it.
 */

export const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const isCurrency = (c: string): c is Currency => (CURRENCIES as readonly string[]).includes(c);

/**
 * Who a price list sells to: the distributor keeps one list for its resellers and one for its
 * direct customers (per currency); a reseller keeps one for its customers (per currency).
 */
export type Audience = 'resellers' | 'customers';

/** A markup in basis points: 2500 is +25 %, -1000 is 10 % off. */
export const MIN_MARKUP_BPS = -9_999;
export const MAX_MARKUP_BPS = 100_000;

/**
 * One version of one rule of a price list, in effect from `effectiveFrom` (a date, inclusive, UTC)
 * until a later version of the same rule. `value: null` ends the rule from that day (the next
 * broader rule applies again). The list's own rule (`scope: 'list'`) cannot be ended: a list
 * always prices every offer.
 */
export type PriceRule = { effectiveFrom: string } & (
  | { scope: 'list'; markupBps: number }
  | { scope: 'category'; category: string; markupBps: number | null }
  | { scope: 'product'; productId: string; markupBps: number | null }
  | { scope: 'offer'; offerId: string; amount: number | null }
);

/** What a rule is about: the same rule's versions share this key. */
export function ruleKey(rule: PriceRule): string {
  switch (rule.scope) {
    case 'list':
      return 'list';
    case 'category':
      return `category:${rule.category.toLowerCase()}`;
    case 'product':
      return `product:${rule.productId}`;
    case 'offer':
      return `offer:${rule.offerId}`;
  }
}

/** What is priced: an offer, with its product and the product's category. */
export interface Priced {
  offerId: string;
  productId: string;
  category: string;
}

/** The most specific rule in effect on `day` for `item`: offer, then product, then category, then the list's. */
export function ruleInEffect(rules: readonly PriceRule[], item: Priced, day: string): PriceRule | undefined {
  const latest = new Map<string, PriceRule>();
  for (const rule of rules) {
    if (rule.effectiveFrom > day) continue;
    const key = ruleKey(rule);
    const seen = latest.get(key);
    if (!seen || rule.effectiveFrom >= seen.effectiveFrom) latest.set(key, rule);
  }
  const candidates = [`offer:${item.offerId}`, `product:${item.productId}`, `category:${item.category.toLowerCase()}`, 'list'];
  for (const key of candidates) {
    const rule = latest.get(key);
    if (!rule) continue;
    if (rule.scope === 'offer' ? rule.amount !== null : rule.markupBps !== null) return rule;
  }
  return undefined;
}

/** `base` marked up by `bps` basis points, rounded half-up to the minor unit. */
export function markedUp(base: Money, bps: number): Money {
  return money(roundHalfUp(base.amount * (10_000 + bps), 10_000), base.currency);
}

/** The price `rule` makes of `base` (the price the seller pays). */
export function applyRule(rule: PriceRule, base: Money): Money {
  if (rule.scope === 'offer') return money(rule.amount!, base.currency);
  return markedUp(base, rule.markupBps!);
}

/** The price a list sets on `day` for `item` over `base`, or undefined when the list has no rule for it yet. */
export function listPrice(rules: readonly PriceRule[], item: Priced, base: Money, day: string): Money | undefined {
  const rule = ruleInEffect(rules, item, day);
  return rule && applyRule(rule, base);
}

/** Why a rule version cannot be saved, for the caller to turn into a 4xx; undefined when it can. */
export type RuleRefusal = 'markup_out_of_range' | 'price_out_of_range' | 'list_rule_required' | 'past_effective_date';

export function ruleRefusal(rule: PriceRule, today: string): RuleRefusal | undefined {
  if (rule.effectiveFrom < today) return 'past_effective_date';
  if (rule.scope === 'offer') {
    if (rule.amount !== null && !(Number.isSafeInteger(rule.amount) && rule.amount >= 0 && rule.amount <= MAX_PRICE)) return 'price_out_of_range';
    return undefined;
  }
  if (rule.markupBps === null) return rule.scope === 'list' ? 'list_rule_required' : undefined;
  if (!Number.isInteger(rule.markupBps) || rule.markupBps < MIN_MARKUP_BPS || rule.markupBps > MAX_MARKUP_BPS) return 'markup_out_of_range';
  return undefined;
}

/**
 * The prices of one offer down the tree on one day. A direct customer buys from the distributor at
 * its `customers` list over cost; a reseller's customer buys from the reseller at the reseller's
 * `customers` list over what the reseller pays, the distributor's `resellers` list over cost.
 */
export interface PriceChain {
  cost: Money;
  /** What the reseller pays the distributor (absent for a direct customer). */
  resellerPrice?: Money;
  /** What the customer pays its seller. */
  sell: Money;
}

export interface ChainLists {
  /** The distributor's list for the buyer's branch: `resellers` under a reseller, `customers` for a direct customer. */
  distributor: readonly PriceRule[];
  /** The reseller's `customers` list, for a reseller's customer. */
  reseller?: readonly PriceRule[];
}

/** Why an offer has no price for a buyer on a day. */
export type ChainGap = 'no_cost' | 'no_distributor_price' | 'no_reseller_price';

export function priceChain(cost: Money | undefined, lists: ChainLists, item: Priced, day: string): PriceChain | ChainGap {
  if (!cost) return 'no_cost';
  const fromDistributor = listPrice(lists.distributor, item, cost, day);
  if (!fromDistributor) return 'no_distributor_price';
  if (!lists.reseller) return { cost, sell: fromDistributor };
  const sell = listPrice(lists.reseller, item, fromDistributor, day);
  if (!sell) return 'no_reseller_price';
  return { cost, resellerPrice: fromDistributor, sell };
}

/** A sell price below what the seller pays: the figures for a 422 `below_cost`. */
export interface BelowCost {
  offerId: string;
  cost: Money;
  price: Money;
}

/** Each item a reseller list would sell below what the reseller pays, on `day`. */
export function belowCost(chains: ReadonlyArray<{ item: Priced; chain: PriceChain }>): BelowCost[] {
  return chains.flatMap(({ item, chain }) => {
    const paid = chain.resellerPrice ?? chain.cost;
    return chain.sell.amount < paid.amount ? [{ offerId: item.offerId, cost: paid, price: chain.sell }] : [];
  });
}

/** Who looks at a line's prices, relative to the line's buyer. */
export type Viewer = 'distributor' | 'reseller' | 'customer';

/**
 * What of a chain a viewer may see (docs/commerce.md): the seller and above see cost, sell and
 * margin; below never. The distributor sees the whole chain; the reseller its buying price, its
 * sell price and its margin; the customer only what it pays.
 */
export type LineFigures =
  | { viewer: 'distributor'; cost: Money; resellerPrice?: Money; sell: Money; distributorMargin: Money; resellerMargin?: Money }
  | { viewer: 'reseller'; cost: Money; sell: Money; margin: Money }
  | { viewer: 'customer'; sell: Money };

export function figuresFor(viewer: Viewer, chain: PriceChain, quantity = 1): LineFigures {
  const q = (m: Money) => money(m.amount * quantity, m.currency);
  const minus = (a: Money, b: Money) => money(a.amount * quantity - b.amount * quantity, a.currency);
  switch (viewer) {
    case 'customer':
      return { viewer, sell: q(chain.sell) };
    case 'reseller': {
      if (!chain.resellerPrice) throw new Error('A reseller sees only its own customers’ lines');
      return { viewer, cost: q(chain.resellerPrice), sell: q(chain.sell), margin: minus(chain.sell, chain.resellerPrice) };
    }
    case 'distributor':
      return chain.resellerPrice
        ? {
            viewer,
            cost: q(chain.cost),
            resellerPrice: q(chain.resellerPrice),
            sell: q(chain.sell),
            distributorMargin: minus(chain.resellerPrice, chain.cost),
            resellerMargin: minus(chain.sell, chain.resellerPrice),
          }
        : { viewer, cost: q(chain.cost), sell: q(chain.sell), distributorMargin: minus(chain.sell, chain.cost) };
  }
}

/** One cost version of an offer in a currency, in effect from `effectiveFrom`. */
export interface CostEntry {
  offerId: string;
  currency: string;
  effectiveFrom: string;
  amount: number;
}

/** The cost version in effect on `day` for an offer in a currency. */
export function costOn(costs: readonly CostEntry[], offerId: string, currency: string, day: string): Money | undefined {
  let found: CostEntry | undefined;
  for (const c of costs) {
    if (c.offerId !== offerId || c.currency !== currency || c.effectiveFrom > day) continue;
    if (!found || c.effectiveFrom > found.effectiveFrom) found = c;
  }
  return found && money(found.amount, found.currency);
}

/**
 * How a caller views a line bought by `buyer` (docs/commerce.md "Who sees which figures"): the
 * distributor's people see the whole chain, a reseller's the lines of its own customers, everyone
 * else (the buyer, and anyone below the seller) only what the buyer pays.
 */
export function viewerOf(caller: { accountType: string; accountId: string }, buyer: { accountId: string; parentId?: string | null }): Viewer {
  if (caller.accountType === 'distributor') return 'distributor';
  if (caller.accountType === 'reseller' && buyer.parentId === caller.accountId && buyer.accountId !== caller.accountId) return 'reseller';
  return 'customer';
}

/** A line's figures as shown: `LineFigures` without its `viewer` tag. */
export type ShownFigures = { cost: Money; sell: Money; margin?: Money; resellerPrice?: Money; distributorMargin?: Money; resellerMargin?: Money };

/**
 * The figures of a stored unit chain for `quantity` units, as `viewer` may see them, without the
 * `viewer` tag: undefined for the buyer's side (nothing to show beyond the price), null when the
 * chain lacks a figure the viewer's margin needs (sold at the catalog price with no cost known).
 * Given the line's `amount` (a prorated change or credit bills less than `sell × quantity`), each
 * figure is that amount's share: `round(amount × figure / sell)`, half-up, so a full-price line's
 * figures are exactly `figure × quantity` and a reseller's statement owes the same share
 * (services/statements.ts).
 */
export function lineFigures(
  viewer: Viewer,
  chain: { cost?: Money; resellerPrice?: Money; sell: Money } | undefined,
  quantity: number,
  amount?: Money,
): ShownFigures | null | undefined {
  if (viewer === 'customer') return undefined;
  if (!chain?.cost || (viewer === 'reseller' && !chain.resellerPrice)) return null;
  // The amount's share of a unit figure; without an amount (or a free line), the figure times the quantity.
  const share = (unit: Money): Money =>
    amount && chain.sell.amount > 0 ? money(roundHalfUp(amount.amount * unit.amount, chain.sell.amount), unit.currency) : times(unit, quantity);
  const totals = { cost: share(chain.cost), sell: amount ?? times(chain.sell, quantity), ...(chain.resellerPrice ? { resellerPrice: share(chain.resellerPrice) } : {}) };
  const minus = (a: Money, b: Money) => money(a.amount - b.amount, a.currency);
  if (viewer === 'reseller') return { cost: totals.resellerPrice!, sell: totals.sell, margin: minus(totals.sell, totals.resellerPrice!) };
  return totals.resellerPrice
    ? { cost: totals.cost, resellerPrice: totals.resellerPrice, sell: totals.sell, distributorMargin: minus(totals.resellerPrice, totals.cost), resellerMargin: minus(totals.sell, totals.resellerPrice) }
    : { cost: totals.cost, sell: totals.sell, distributorMargin: minus(totals.sell, totals.cost) };
}

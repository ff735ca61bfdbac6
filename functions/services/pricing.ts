import * as accountsRepo from '#data/accounts.ts';
import { accountScope, type Account } from '#data/accounts.ts';
import * as catalogRepo from '#data/catalog.ts';
import type { Offer, Product } from '#data/catalog.ts';
import * as pricingRepo from '#data/pricing.ts';
import type { CostVersion, PriceList, RuleVersion } from '#data/pricing.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Forbidden, NotFound } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { authorize, requirePermission } from '#platform/scope.ts';
import {
  belowCost,
  costOn,
  figuresFor,
  isCurrency,
  priceChain,
  ruleInEffect,
  ruleRefusal,
  type Audience,
  type ChainGap,
  type ChainLists,
  type Currency,
  type LineFigures,
  type PriceChain,
  type PriceRule,
  type Priced,
  type Viewer,
} from '#domain/pricing.ts';

/**
 * Offer costs, price lists and price sheets (docs/commerce.md "Prices down the tree"): the
 * distributor's admins keep what the vendor charges per offer and currency; the distributor keeps
 * a list for its resellers and one for its direct customers, a reseller one for its customers, per
 * currency; a price sheet answers what an account pays on a day, with the figures the caller may
 * see (domain/pricing.ts). Orders, the cart and renewals are priced from them by services/prices.ts.
 */
export interface PricingDeps {
  accounts: Pick<typeof accountsRepo, 'getAccount'>;
  products: Pick<typeof catalogRepo, 'getProduct' | 'getOffer' | 'searchProducts'>;
  pricing: Pick<
    typeof pricingRepo,
    'listCosts' | 'listOfferCosts' | 'insertCost' | 'getPriceList' | 'listPriceLists' | 'priceListIdOf' | 'listRules' | 'insertPriceList' | 'addRuleVersion'
  >;
  clock: { nowIso(): string };
  newId: (kind: 'priceList') => string;
}

export interface CostInput {
  currency: Currency;
  amount: number;
  effectiveFrom: string;
}

export interface NewListInput {
  audience: Audience;
  currency: Currency;
  markupBps: number;
  effectiveFrom?: string;
  allowBelowCost?: boolean;
}

/** A list with every version of its rules. */
export interface PriceListWithRules {
  list: PriceList;
  rules: RuleVersion[];
}

export interface SheetLine {
  offer: Offer;
  product: Product;
  figures?: LineFigures;
  reason?: ChainGap;
}

export interface PriceSheet {
  account: Account;
  on: string;
  currency: Currency;
  viewer: Viewer;
  lines: SheetLine[];
}

const refusalMessages: Record<NonNullable<ReturnType<typeof ruleRefusal>>, string> = {
  past_effective_date: 'A version may not start in the past.',
  markup_out_of_range: 'The markup is out of range (−9999 to 100000 basis points).',
  price_out_of_range: 'The price is out of range.',
  list_rule_required: 'The list’s own rule cannot be ended: a list prices every offer.',
};

export function makePricingService(deps: PricingDeps) {
  const { accounts, products, pricing } = deps;
  const today = () => deps.clock.nowIso().slice(0, 10);

  function refuse(rule: PriceRule, path: string): void {
    const refusal = ruleRefusal(rule, today());
    if (refusal) throw new BusinessRuleRefused(refusal, refusalMessages[refusal], [{ path: refusal === 'past_effective_date' ? `${path}effectiveFrom` : path || 'markupBps' }]);
  }

  /** Every offer of the active products, with what a rule prices it by. */
  async function catalogItems(): Promise<Array<{ item: Priced; offer: Offer; product: Product }>> {
    const out: Array<{ item: Priced; offer: Offer; product: Product }> = [];
    let cursor: string | undefined;
    do {
      const page = await products.searchProducts({ includeRetired: false, limit: 100, cursor });
      for (const product of page.items)
        for (const offer of product.offers) out.push({ item: { offerId: offer.id, productId: product.id, category: product.category }, offer, product });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  /** The rules of the list an account keeps for an audience and currency; [] when it keeps none (no price from it). */
  async function rulesOf(ownerId: string, audience: Audience, currency: string): Promise<PriceRule[]> {
    const id = await pricing.priceListIdOf(ownerId, audience, currency);
    return id ? pricing.listRules(id) : [];
  }

  async function accountIn(caller: Caller, accountId: string, permission: 'read' | 'operate' | 'staffAdmin'): Promise<Account> {
    return authorize(caller, accountScope(await accounts.getAccount(accountId)), permission);
  }

  async function listIn(caller: Caller, priceListId: string, permission: 'operate' | 'staffAdmin'): Promise<PriceList> {
    return authorize(caller, await pricing.getPriceList(priceListId), permission);
  }

  /**
   * docs/commerce.md "Selling below cost": the offers a reseller's list would sell below what the
   * reseller pays on the version's first day, among those the new version prices (422 `below_cost`
   * with the figures). A list the distributor allowed to sell below cost, and the distributor's own
   * lists, are not checked.
   */
  async function checkBelowCost(list: Pick<PriceList, 'ownerType' | 'allowBelowCost' | 'accountPath' | 'currency'>, rules: readonly PriceRule[], added: PriceRule): Promise<void> {
    if (list.ownerType !== 'reseller' || list.allowBelowCost) return;
    const day = added.effectiveFrom;
    const candidate = [...rules, added];
    const [items, costs, distributor] = await Promise.all([catalogItems(), pricing.listCosts(), rulesOf(list.accountPath[0]!, 'resellers', list.currency)]);
    const chains: Array<{ item: Priced; chain: PriceChain }> = [];
    for (const { item } of items) {
      if (ruleInEffect(candidate, item, day) !== added) continue;
      const chain = priceChain(costOn(costs, item.offerId, list.currency, day), { distributor, reseller: candidate }, item, day);
      if (typeof chain !== 'string') chains.push({ item, chain });
    }
    const below = belowCost(chains);
    if (below.length) throw new BusinessRuleRefused('below_cost', `The rule would sell ${below.length} offer(s) below what the reseller pays on ${day}.`, below);
  }

  /** A rule's product or offer must be in the catalog (422 `unknown_product`/`unknown_offer`). */
  async function checkSubject(rule: PriceRule): Promise<void> {
    if (rule.scope === 'product' && !(await products.getProduct(rule.productId)))
      throw new BusinessRuleRefused('unknown_product', `The catalog has no product ${rule.productId}.`, [{ path: 'productId' }]);
    if (rule.scope === 'offer' && !(await products.getOffer(rule.offerId)))
      throw new BusinessRuleRefused('unknown_offer', `The catalog has no offer ${rule.offerId}.`, [{ path: 'offerId' }]);
  }

  return {
    /** A cost version of an offer (distributor admins); answers every cost version of the offer. */
    async addCost(caller: Caller, offerId: string, input: CostInput): Promise<{ offerId: string; costs: CostVersion[] }> {
      requirePermission(caller, 'distributorAdmin');
      if (!(await products.getOffer(offerId))) throw new NotFound();
      if (input.effectiveFrom < today()) throw new BusinessRuleRefused('past_effective_date', refusalMessages.past_effective_date, [{ path: 'effectiveFrom' }]);
      await pricing.insertCost({ offerId, ...input, createdAt: deps.clock.nowIso(), createdBy: caller.actorUserId ?? caller.userId });
      return { offerId, costs: await pricing.listOfferCosts(offerId) };
    },

    /**
     * A new list of `accountId` (a staff admin of that account or above): the distributor keeps
     * both audiences, a reseller only `customers`, a customer none; only the distributor may let a
     * reseller's list sell below cost. One list per (owner, audience, currency): 409 `price_list_exists`.
     */
    async createList(caller: Caller, accountId: string, input: NewListInput): Promise<PriceListWithRules> {
      requirePermission(caller, 'staffAdmin');
      const owner = await accountIn(caller, accountId, 'staffAdmin');
      if (input.allowBelowCost && caller.accountType !== 'distributor') throw new Forbidden();
      if (owner.type === 'customer') throw new BusinessRuleRefused('not_a_seller', 'A customer account sells nothing, so it keeps no price list.');
      if (owner.type === 'reseller' && input.audience !== 'customers')
        throw new BusinessRuleRefused('audience_not_allowed', 'A reseller keeps price lists for its customers only.', [{ path: 'audience' }]);
      const first: RuleVersion = { scope: 'list', markupBps: input.markupBps, effectiveFrom: input.effectiveFrom ?? today(), createdAt: deps.clock.nowIso() };
      refuse(first, '');
      const list: pricingRepo.NewPriceList = {
        id: deps.newId('priceList'),
        accountId: owner.id,
        accountPath: owner.accountPath,
        ownerType: owner.type,
        audience: input.audience,
        currency: input.currency,
        allowBelowCost: input.allowBelowCost ?? false,
        createdAt: deps.clock.nowIso(),
        createdBy: caller.actorUserId ?? caller.userId,
      };
      const { createdAt: _createdAt, ...firstRule } = first;
      await checkBelowCost(list, [], firstRule);
      return { list: await pricing.insertPriceList(list, first), rules: [first] };
    },

    /** The lists an account keeps (staff of that account or above). */
    async listLists(caller: Caller, accountId: string): Promise<PriceList[]> {
      requirePermission(caller, 'operate');
      const owner = await accountIn(caller, accountId, 'operate');
      return pricing.listPriceLists(owner.id);
    },

    async readList(caller: Caller, priceListId: string): Promise<PriceListWithRules> {
      requirePermission(caller, 'operate');
      const list = await listIn(caller, priceListId, 'operate');
      return { list, rules: await pricing.listRules(list.id) };
    },

    /** Adds one rule version (docs/commerce.md: versions are never edited; a change is a new version). */
    async addRule(caller: Caller, priceListId: string, rule: PriceRule, ifMatch?: number): Promise<PriceListWithRules> {
      requirePermission(caller, 'staffAdmin');
      await listIn(caller, priceListId, 'staffAdmin');
      refuse(rule, '');
      await checkSubject(rule);
      return pricing.addRuleVersion(priceListId, caller.actorUserId ?? caller.userId, async (list, rules) => {
        await checkBelowCost(list, rules, rule);
        return { ...rule, createdAt: deps.clock.nowIso() };
      }, ifMatch);
    },

    /**
     * What `accountId` pays for each offer of the catalog on `on` (default today) in its currency,
     * with the figures the caller may see; an offer without a price says why.
     */
    async priceSheet(caller: Caller, accountId: string, on?: string): Promise<PriceSheet> {
      const account = await accountIn(caller, accountId, 'read');
      if (account.type === 'distributor') throw new BusinessRuleRefused('not_a_buyer', 'The distributor buys from the vendor: it has no price sheet.');
      const currency = account.settings.currency;
      if (!isCurrency(currency)) throw new BusinessRuleRefused('currency_not_offered', `No price list is kept in ${currency}.`);
      const day = on ?? today();
      const root = account.rootId;
      const underReseller = account.type === 'customer' && account.parentId !== null && account.parentId !== root;
      const [items, costs, distributor, reseller] = await Promise.all([
        catalogItems(),
        pricing.listCosts(),
        rulesOf(root, account.type === 'customer' && !underReseller ? 'customers' : 'resellers', currency),
        underReseller ? rulesOf(account.parentId!, 'customers', currency) : Promise.resolve(undefined),
      ]);
      const lists: ChainLists = reseller ? { distributor, reseller } : { distributor };
      const viewer: Viewer = caller.accountType === 'distributor' ? 'distributor' : caller.accountType === 'reseller' && account.id !== caller.accountId ? 'reseller' : 'customer';
      const lines = items.map(({ item, offer, product }): SheetLine => {
        const chain = priceChain(costOn(costs, item.offerId, currency, day), lists, item, day);
        return typeof chain === 'string' ? { offer, product, reason: chain } : { offer, product, figures: figuresFor(viewer, chain) };
      });
      return { account, on: day, currency, viewer, lines };
    },
  };
}

export type PricingService = ReturnType<typeof makePricingService>;

export const pricingService = makePricingService({ accounts: accountsRepo, products: catalogRepo, pricing: pricingRepo, clock, newId });

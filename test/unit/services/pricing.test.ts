import type { Product } from '#data/catalog.ts';
import type { CostVersion, NewPriceList, PriceList, RuleVersion } from '#data/pricing.ts';
import { Conflict, Forbidden, NotFound } from '#platform/errors.ts';
import type { PriceRule } from '#domain/pricing.ts';
import { callerOf, fakeWorld } from './fake-people.ts';

const { makePricingService } = await import('#services/pricing.ts');

const TODAY = '2027-03-01';
const TOMORROW = '2027-03-02';
const clock = { nowIso: () => `${TODAY}T10:00:00.000Z` };

/**
 * The pricing service (docs/commerce.md "Prices down the tree") over in-memory repositories with
 * the real ones' guarantees: one list per (owner, audience, currency), one version per rule and
 * day, one cost version per offer, currency and day.
 */
function setUp() {
  const world = fakeWorld();
  const channel = world.add.channel();
  const direct = world.add.below(channel.distributor, 'customer');
  const otherReseller = world.add.below(channel.distributor, 'reseller');
  const otherResellerAdmin = world.add.user(otherReseller, { role: 'admin' });

  const product: Product = {
    id: 'prd_00000000000000000000000001',
    sku: 'SKU-1',
    name: 'Business Basic',
    description: 'Mail',
    category: 'productivity',
    vendor: 'Microsoft',
    requiresTenant: true,
    minQuantity: 1,
    maxQuantity: 300,
    cancellationWindowHours: 168,
    status: 'active',
    offers: [
      { id: 'ofr_00000000000000000000000001', productId: 'prd_00000000000000000000000001', term: 'P1Y', billingPeriod: 'monthly', price: { amount: 600, currency: 'EUR' } },
      { id: 'ofr_00000000000000000000000002', productId: 'prd_00000000000000000000000001', term: 'P1M', billingPeriod: 'monthly', price: { amount: 720, currency: 'EUR' } },
    ],
    createdAt: clock.nowIso(),
    version: 1,
  };
  const [offer, noCostOffer] = product.offers as [Product['offers'][number], Product['offers'][number]];

  const costs: CostVersion[] = [];
  const lists = new Map<string, PriceList>();
  const claims = new Map<string, string>();
  const rules = new Map<string, RuleVersion[]>();
  let seq = 0;
  const pricing = {
    async listCosts() {
      return structuredClone(costs);
    },
    async listOfferCosts(offerId: string) {
      return costs.filter((c) => c.offerId === offerId);
    },
    async insertCost(c: CostVersion) {
      if (costs.some((x) => x.offerId === c.offerId && x.currency === c.currency && x.effectiveFrom === c.effectiveFrom)) throw new Conflict('cost_version_exists', 'exists');
      costs.push({ offerId: c.offerId, currency: c.currency, effectiveFrom: c.effectiveFrom, amount: c.amount });
    },
    async getPriceList(id: string) {
      return lists.get(id) && structuredClone(lists.get(id));
    },
    async listPriceLists(accountId: string) {
      return [...lists.values()].filter((l) => l.accountId === accountId);
    },
    async priceListIdOf(accountId: string, audience: string, currency: string) {
      return claims.get(`${accountId}|${audience}|${currency}`);
    },
    async listRules(id: string) {
      return structuredClone(rules.get(id) ?? []);
    },
    async insertPriceList(list: NewPriceList, first: RuleVersion) {
      const claim = `${list.accountId}|${list.audience}|${list.currency}`;
      if (claims.has(claim)) throw new Conflict('price_list_exists', 'exists');
      claims.set(claim, list.id);
      const stored = { ...list, version: 1 };
      lists.set(list.id, stored);
      rules.set(list.id, [first]);
      return structuredClone(stored);
    },
    async addRuleVersion(id: string, _by: string, decide: (list: PriceList, rules: RuleVersion[]) => Promise<RuleVersion>) {
      const list = lists.get(id);
      if (!list) throw new NotFound();
      const current = rules.get(id) ?? [];
      const rule = await decide(structuredClone(list), structuredClone(current));
      const key = (r: PriceRule) => JSON.stringify([r.scope, 'category' in r ? r.category : '', 'productId' in r ? r.productId : '', 'offerId' in r ? r.offerId : '', r.effectiveFrom]);
      if (current.some((r) => key(r) === key(rule))) throw new Conflict('rule_version_exists', 'exists');
      current.push(rule);
      rules.set(id, current);
      list.version += 1;
      return { list: structuredClone(list), rules: structuredClone(current) };
    },
  };
  const products = {
    async getProduct(id: string) {
      return id === product.id ? structuredClone(product) : undefined;
    },
    async getOffer(id: string) {
      return product.offers.find((o) => o.id === id);
    },
    async searchProducts() {
      return { items: [structuredClone(product)], nextCursor: null };
    },
  };
  const service = makePricingService({
    accounts: { getAccount: async (id: string) => world.accounts.get(id) },
    products,
    pricing,
    clock,
    newId: () => `prl_${String(++seq).padStart(26, '0')}`,
  });
  return {
    ...channel,
    direct,
    otherResellerAdmin,
    offer,
    noCostOffer,
    product,
    lists,
    rules,
    service,
    distributorCaller: callerOf(channel.distributorAdmin),
    resellerCaller: callerOf(channel.resellerAdmin),
    customerCaller: callerOf(channel.customerAdmin),
  };
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status: number; code: string; details?: unknown };
    return { status: err.status, code: err.code, details: err.details };
  }
  throw new Error('expected a refusal');
}

/** Cost 19.99 €, the distributor's lists (+10 % resellers, +25 % customers) and the reseller's (+20 %). */
async function priced(t: ReturnType<typeof setUp>) {
  await t.service.addCost(t.distributorCaller, t.offer.id, { currency: 'EUR', amount: 1999, effectiveFrom: TODAY });
  const resellers = await t.service.createList(t.distributorCaller, t.distributor.id, { audience: 'resellers', currency: 'EUR', markupBps: 1000 });
  const customers = await t.service.createList(t.distributorCaller, t.distributor.id, { audience: 'customers', currency: 'EUR', markupBps: 2500 });
  const resellerList = await t.service.createList(t.resellerCaller, t.reseller.id, { audience: 'customers', currency: 'EUR', markupBps: 2000 });
  return { resellers, customers, resellerList };
}

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('offer costs', () => {
  it('adds cost versions (distributor admins), answers all of them, refuses a past date and a second version of a day', async () => {
    const t = setUp();
    const first = await t.service.addCost(t.distributorCaller, t.offer.id, { currency: 'EUR', amount: 1999, effectiveFrom: TODAY });
    expect(first.costs).toEqual([{ offerId: t.offer.id, currency: 'EUR', effectiveFrom: TODAY, amount: 1999 }]);
    const second = await t.service.addCost(t.distributorCaller, t.offer.id, { currency: 'EUR', amount: 2099, effectiveFrom: TOMORROW });
    expect(second.costs).toHaveLength(2);
    expect(await refusal(t.service.addCost(t.distributorCaller, t.offer.id, { currency: 'EUR', amount: 1, effectiveFrom: '2027-02-28' }))).toMatchObject({ status: 422, code: 'past_effective_date' });
    expect(await refusal(t.service.addCost(t.distributorCaller, t.offer.id, { currency: 'EUR', amount: 1, effectiveFrom: TODAY }))).toMatchObject({ status: 409, code: 'cost_version_exists' });
    await expect(t.service.addCost(t.resellerCaller, t.offer.id, { currency: 'EUR', amount: 1, effectiveFrom: TODAY })).rejects.toBeInstanceOf(Forbidden);
    await expect(t.service.addCost(t.distributorCaller, 'ofr_00000000000000000000000099', { currency: 'EUR', amount: 1, effectiveFrom: TODAY })).rejects.toBeInstanceOf(NotFound);
  });
});

describe('price lists', () => {
  it('creates the distributor’s two audiences and a reseller’s customers list, one per owner, audience and currency', async () => {
    const t = setUp();
    const { resellers, resellerList } = await priced(t);
    expect(resellers.list).toMatchObject({ accountId: t.distributor.id, audience: 'resellers', currency: 'EUR', allowBelowCost: false, version: 1 });
    expect(resellers.rules).toEqual([{ scope: 'list', markupBps: 1000, effectiveFrom: TODAY, createdAt: clock.nowIso() }]);
    expect(resellerList.list.ownerType).toBe('reseller');
    expect(await refusal(t.service.createList(t.distributorCaller, t.distributor.id, { audience: 'resellers', currency: 'EUR', markupBps: 5 }))).toMatchObject({ status: 409, code: 'price_list_exists' });
    // The same audience in another currency is another list.
    expect((await t.service.createList(t.distributorCaller, t.distributor.id, { audience: 'resellers', currency: 'USD', markupBps: 5 })).list.currency).toBe('USD');
  });

  it('refuses a reseller the resellers audience, a customer any list, and allowBelowCost to anyone but the distributor', async () => {
    const t = setUp();
    expect(await refusal(t.service.createList(t.resellerCaller, t.reseller.id, { audience: 'resellers', currency: 'EUR', markupBps: 0 }))).toMatchObject({ status: 422, code: 'audience_not_allowed' });
    expect(await refusal(t.service.createList(t.resellerCaller, t.customer.id, { audience: 'customers', currency: 'EUR', markupBps: 0 }))).toMatchObject({ status: 422, code: 'not_a_seller' });
    expect(await refusal(t.service.createList(t.resellerCaller, t.reseller.id, { audience: 'customers', currency: 'EUR', markupBps: 0, allowBelowCost: true }))).toMatchObject({ status: 403 });
    expect(await refusal(t.service.createList(t.customerCaller, t.customer.id, { audience: 'customers', currency: 'EUR', markupBps: 0 }))).toMatchObject({ status: 403 });
    // Another reseller's account is out of scope: 404.
    expect(await refusal(t.service.createList(callerOf(t.otherResellerAdmin), t.reseller.id, { audience: 'customers', currency: 'EUR', markupBps: 0 }))).toMatchObject({ status: 404 });
    expect(await refusal(t.service.createList(t.distributorCaller, t.distributor.id, { audience: 'customers', currency: 'EUR', markupBps: 0, effectiveFrom: '2027-02-01' }))).toMatchObject({ status: 422, code: 'past_effective_date' });
    expect(await refusal(t.service.createList(t.distributorCaller, t.distributor.id, { audience: 'customers', currency: 'EUR', markupBps: -10_000 }))).toMatchObject({ status: 422, code: 'markup_out_of_range' });
    const allowed = await t.service.createList(t.distributorCaller, t.reseller.id, { audience: 'customers', currency: 'EUR', markupBps: -5000, allowBelowCost: true });
    expect(allowed.list).toMatchObject({ accountId: t.reseller.id, allowBelowCost: true });
    expect(t.lists.size).toBe(1);
  });

  it('adds rule versions, refused per ruleRefusal, for products and offers of the catalog only', async () => {
    const t = setUp();
    const { customers } = await priced(t);
    const id = customers.list.id;
    const added = await t.service.addRule(t.distributorCaller, id, { scope: 'product', productId: t.product.id, markupBps: 3000, effectiveFrom: TOMORROW });
    expect(added.list.version).toBe(2);
    expect(added.rules).toHaveLength(2);
    const cases: Array<[PriceRule, number, string]> = [
      [{ scope: 'list', markupBps: 100, effectiveFrom: '2027-02-01' }, 422, 'past_effective_date'],
      [{ scope: 'category', category: 'x', markupBps: 100_001, effectiveFrom: TODAY }, 422, 'markup_out_of_range'],
      [{ scope: 'offer', offerId: t.offer.id, amount: -1, effectiveFrom: TODAY }, 422, 'price_out_of_range'],
      [{ scope: 'list', markupBps: null as unknown as number, effectiveFrom: TODAY }, 422, 'list_rule_required'],
      [{ scope: 'product', productId: 'prd_00000000000000000000000099', markupBps: 1, effectiveFrom: TODAY }, 422, 'unknown_product'],
      [{ scope: 'offer', offerId: 'ofr_00000000000000000000000099', amount: 1, effectiveFrom: TODAY }, 422, 'unknown_offer'],
      [{ scope: 'product', productId: t.product.id, markupBps: 1, effectiveFrom: TOMORROW }, 409, 'rule_version_exists'],
    ];
    for (const [rule, status, code] of cases) expect(await refusal(t.service.addRule(t.distributorCaller, id, rule))).toMatchObject({ status, code });
    expect((await t.service.readList(t.distributorCaller, id)).rules).toHaveLength(2);
    // The reseller cannot see the distributor's lists, nor another reseller its lists.
    expect(await refusal(t.service.readList(t.resellerCaller, id))).toMatchObject({ status: 404 });
  });

  it('refuses a reseller’s rule that sells below what the reseller pays, with the figures, unless the distributor allowed it', async () => {
    const t = setUp();
    const { resellerList } = await priced(t);
    // The reseller pays 21.99 €; 10 % off its price is 19.79 €.
    const below = await refusal(t.service.addRule(t.resellerCaller, resellerList.list.id, { scope: 'product', productId: t.product.id, markupBps: -1000, effectiveFrom: TODAY }));
    expect(below).toEqual({ status: 422, code: 'below_cost', details: [{ offerId: t.offer.id, cost: eur(2199), price: eur(1979) }] });
    const fixed = await refusal(t.service.addRule(t.resellerCaller, resellerList.list.id, { scope: 'offer', offerId: t.offer.id, amount: 2198, effectiveFrom: TODAY }));
    expect(fixed).toMatchObject({ code: 'below_cost', details: [{ offerId: t.offer.id, cost: eur(2199), price: eur(2198) }] });
    expect((await t.service.addRule(t.resellerCaller, resellerList.list.id, { scope: 'offer', offerId: t.offer.id, amount: 2199, effectiveFrom: TODAY })).list.version).toBe(2);
  });

  it('refuses a reseller’s list whose own markup sells below cost; the distributor may allow it', async () => {
    const t = setUp();
    await t.service.addCost(t.distributorCaller, t.offer.id, { currency: 'EUR', amount: 1999, effectiveFrom: TODAY });
    await t.service.createList(t.distributorCaller, t.distributor.id, { audience: 'resellers', currency: 'EUR', markupBps: 1000 });
    // −1 % of 21.99 € is 21.77 €.
    const below = await refusal(t.service.createList(t.resellerCaller, t.reseller.id, { audience: 'customers', currency: 'EUR', markupBps: -100 }));
    expect(below).toEqual({ status: 422, code: 'below_cost', details: [{ offerId: t.offer.id, cost: eur(2199), price: eur(2177) }] });
    expect(t.lists.size).toBe(1);
    const allowed = await t.service.createList(t.distributorCaller, t.reseller.id, { audience: 'customers', currency: 'EUR', markupBps: -5000, allowBelowCost: true });
    expect(allowed.list.allowBelowCost).toBe(true);
  });
});

describe('price sheets', () => {
  it('prices a direct customer, a reseller’s customer and a reseller, with each viewer’s figures, and says why an offer has no price', async () => {
    const t = setUp();
    await priced(t);
    const direct = await t.service.priceSheet(t.distributorCaller, t.direct.id);
    expect(direct.lines.map((l) => [l.offer.id, l.figures ?? l.reason])).toEqual([
      [t.offer.id, { viewer: 'distributor', cost: eur(1999), sell: eur(2499), distributorMargin: eur(500) }],
      [t.noCostOffer.id, 'no_cost'],
    ]);
    const underReseller = (viewer: ReturnType<typeof callerOf>) => t.service.priceSheet(viewer, t.customer.id).then((s) => s.lines[0]!.figures);
    expect(await underReseller(t.distributorCaller)).toEqual({ viewer: 'distributor', cost: eur(1999), resellerPrice: eur(2199), sell: eur(2639), distributorMargin: eur(200), resellerMargin: eur(440) });
    expect(await underReseller(t.resellerCaller)).toEqual({ viewer: 'reseller', cost: eur(2199), sell: eur(2639), margin: eur(440) });
    expect(await underReseller(t.customerCaller)).toEqual({ viewer: 'customer', sell: eur(2639) });
    const reseller = await t.service.priceSheet(t.resellerCaller, t.reseller.id);
    expect(reseller.lines[0]!.figures).toEqual({ viewer: 'customer', sell: eur(2199) });
    expect(await refusal(t.service.priceSheet(t.customerCaller, t.direct.id))).toMatchObject({ status: 404 });
    expect(await refusal(t.service.priceSheet(t.distributorCaller, t.distributor.id))).toMatchObject({ status: 422, code: 'not_a_buyer' });
  });

  it('reads the rules in effect on the day asked', async () => {
    const t = setUp();
    const { resellerList } = await priced(t);
    await t.service.addRule(t.resellerCaller, resellerList.list.id, { scope: 'list', markupBps: 3000, effectiveFrom: TOMORROW });
    const sell = (on?: string) => t.service.priceSheet(t.customerCaller, t.customer.id, on).then((s) => s.lines[0]!.figures);
    expect(await sell()).toEqual({ viewer: 'customer', sell: eur(2639) });
    expect(await sell(TOMORROW)).toEqual({ viewer: 'customer', sell: eur(2859) });
  });

  it('says which list is missing', async () => {
    const t = setUp();
    await t.service.addCost(t.distributorCaller, t.offer.id, { currency: 'EUR', amount: 1999, effectiveFrom: TODAY });
    expect((await t.service.priceSheet(t.distributorCaller, t.customer.id)).lines[0]!.reason).toBe('no_distributor_price');
    await t.service.createList(t.distributorCaller, t.distributor.id, { audience: 'resellers', currency: 'EUR', markupBps: 1000 });
    expect((await t.service.priceSheet(t.distributorCaller, t.customer.id)).lines[0]!.reason).toBe('no_reseller_price');
  });
});

import { money } from '#domain/money.ts';
import { belowCost, figuresFor, lineFigures, listPrice, markedUp, priceChain, ruleInEffect, ruleRefusal, viewerOf, type PriceRule, type Priced } from '#domain/pricing.ts';

const EUR = (amount: number) => money(amount, 'EUR');
const E3: Priced = { offerId: 'off_E3_M', productId: 'prd_E3', category: 'Productivity' };
const TEAMS: Priced = { offerId: 'off_TEAMS_M', productId: 'prd_TEAMS', category: 'productivity' };
const DEFENDER: Priced = { offerId: 'off_DEF_Y', productId: 'prd_DEF', category: 'Security' };

describe('markups round half-up to the cent', () => {
  it.each([
    [1000, 2500, 1250],
    [999, 1000, 1099], // 1098.9
    [1005, 500, 1055], // 1055.25
    [1, 5000, 2], // 1.5 → 2
    [3, 5000, 5], // 4.5 → 5
    [3333, -1000, 3000], // 2999.7
    [1000, 0, 1000],
    [0, 3000, 0],
  ])('%i marked up %i bps is %i', (base, bps, expected) => {
    expect(markedUp(EUR(base), bps)).toEqual(EUR(expected));
  });
});

describe('the rule in effect', () => {
  const rules: PriceRule[] = [
    { scope: 'list', markupBps: 1000, effectiveFrom: '2027-01-01' },
    { scope: 'list', markupBps: 1500, effectiveFrom: '2027-03-01' },
    { scope: 'category', category: 'PRODUCTIVITY', markupBps: 2000, effectiveFrom: '2027-01-01' },
    { scope: 'product', productId: 'prd_E3', markupBps: 3000, effectiveFrom: '2027-02-01' },
    { scope: 'product', productId: 'prd_E3', markupBps: null, effectiveFrom: '2027-04-01' },
    { scope: 'offer', offerId: 'off_E3_M', amount: 4200, effectiveFrom: '2027-05-01' },
  ];

  it.each([
    ['2026-12-31', E3, undefined],
    ['2027-01-01', E3, 2000], // category (case does not matter)
    ['2027-01-31', E3, 2000],
    ['2027-02-01', E3, 3000], // the product's rule starts
    ['2027-03-31', E3, 3000],
    ['2027-04-01', E3, 2000], // the product's rule ended: the category's again
    ['2027-05-01', E3, 'fixed 4200'], // a fixed price for the offer beats every markup
    ['2027-01-15', TEAMS, 2000],
    ['2027-01-15', DEFENDER, 1000], // no category rule: the list's
    ['2027-03-01', DEFENDER, 1500], // the list's new version
  ])('on %s, %o is priced by %s', (day, item, expected) => {
    const rule = ruleInEffect(rules, item, day);
    const shown = rule === undefined ? undefined : rule.scope === 'offer' ? `fixed ${rule.amount}` : rule.markupBps;
    expect(shown).toEqual(expected);
  });

  it('takes the versions in any order: the latest effective one wins', () => {
    expect(ruleInEffect([...rules].reverse(), DEFENDER, '2027-06-01')).toMatchObject({ markupBps: 1500 });
    expect(listPrice([...rules].reverse(), E3, EUR(1000), '2027-02-15')).toEqual(EUR(1300));
  });
});

describe('rule versions that cannot be saved', () => {
  const today = '2027-01-10';
  it.each<[PriceRule, string | undefined]>([
    [{ scope: 'list', markupBps: 2500, effectiveFrom: '2027-01-10' }, undefined],
    [{ scope: 'list', markupBps: 2500, effectiveFrom: '2027-01-09' }, 'past_effective_date'],
    [{ scope: 'category', category: 'security', markupBps: null, effectiveFrom: '2027-02-01' }, undefined],
    [{ scope: 'product', productId: 'p', markupBps: -10_000, effectiveFrom: today }, 'markup_out_of_range'],
    [{ scope: 'product', productId: 'p', markupBps: -9_999, effectiveFrom: today }, undefined],
    [{ scope: 'product', productId: 'p', markupBps: 100_001, effectiveFrom: today }, 'markup_out_of_range'],
    [{ scope: 'product', productId: 'p', markupBps: 12.5, effectiveFrom: today }, 'markup_out_of_range'],
    [{ scope: 'offer', offerId: 'o', amount: -1, effectiveFrom: today }, 'price_out_of_range'],
    [{ scope: 'offer', offerId: 'o', amount: 100_000_001, effectiveFrom: today }, 'price_out_of_range'],
    [{ scope: 'offer', offerId: 'o', amount: null, effectiveFrom: today }, undefined],
  ])('%o: %s', (rule, refusal) => {
    expect(ruleRefusal(rule, today)).toBe(refusal);
  });

  it("a list's own rule cannot be ended: the list must price every offer", () => {
    expect(ruleRefusal({ scope: 'list', markupBps: null as unknown as number, effectiveFrom: today }, today)).toBe('list_rule_required');
  });
});

describe('the chain of prices down the tree, to the cent', () => {
  const distributorToResellers: PriceRule[] = [{ scope: 'list', markupBps: 1000, effectiveFrom: '2027-01-01' }];
  const distributorToCustomers: PriceRule[] = [{ scope: 'list', markupBps: 2500, effectiveFrom: '2027-01-01' }];
  const resellerToCustomers: PriceRule[] = [
    { scope: 'list', markupBps: 2000, effectiveFrom: '2027-01-01' },
    { scope: 'offer', offerId: 'off_DEF_Y', amount: 2000, effectiveFrom: '2027-01-01' },
  ];
  const cost = EUR(1999);

  it('a direct customer buys at the distributor’s customer list over cost', () => {
    const chain = priceChain(cost, { distributor: distributorToCustomers }, E3, '2027-01-10');
    expect(chain).toEqual({ cost, sell: EUR(2499) }); // 2498.75
    expect(figuresFor('distributor', chain as never, 3)).toEqual({ viewer: 'distributor', cost: EUR(5997), sell: EUR(7497), distributorMargin: EUR(1500) });
    expect(figuresFor('customer', chain as never, 3)).toEqual({ viewer: 'customer', sell: EUR(7497) });
  });

  it("a reseller's customer buys at the reseller's list over what the reseller pays; each level sees only its part", () => {
    const chain = priceChain(cost, { distributor: distributorToResellers, reseller: resellerToCustomers }, E3, '2027-01-10');
    expect(chain).toEqual({ cost, resellerPrice: EUR(2199), sell: EUR(2639) }); // 2198.9 → 2199; 2638.8 → 2639
    const d = figuresFor('distributor', chain as never, 10);
    const r = figuresFor('reseller', chain as never, 10);
    const c = figuresFor('customer', chain as never, 10);
    expect(d).toEqual({ viewer: 'distributor', cost: EUR(19_990), resellerPrice: EUR(21_990), sell: EUR(26_390), distributorMargin: EUR(2000), resellerMargin: EUR(4400) });
    expect(r).toEqual({ viewer: 'reseller', cost: EUR(21_990), sell: EUR(26_390), margin: EUR(4400) });
    expect(c).toEqual({ viewer: 'customer', sell: EUR(26_390) });
    // The figures add up: cost + both margins = what the customer pays.
    if (d.viewer === 'distributor') expect(d.cost.amount + d.distributorMargin.amount + d.resellerMargin!.amount).toBe(d.sell.amount);
    expect('cost' in c).toBe(false);
    expect('resellerPrice' in r || 'distributorMargin' in r).toBe(false);
  });

  it('names the missing link: no cost, no distributor rule yet, no reseller rule yet', () => {
    expect(priceChain(undefined, { distributor: distributorToResellers }, E3, '2027-01-10')).toBe('no_cost');
    expect(priceChain(cost, { distributor: distributorToResellers }, E3, '2026-12-31')).toBe('no_distributor_price');
    expect(priceChain(cost, { distributor: distributorToResellers, reseller: [] }, E3, '2027-01-10')).toBe('no_reseller_price');
  });

  it('finds every offer a reseller list would sell below what the reseller pays, with the figures', () => {
    const chains = [E3, DEFENDER].map((item) => ({ item, chain: priceChain(EUR(2500), { distributor: distributorToResellers, reseller: resellerToCustomers }, item, '2027-01-10') as never }));
    // Defender: fixed 20.00 against 27.50 paid; E3: 33.00 against 27.50.
    expect(belowCost(chains)).toEqual([{ offerId: 'off_DEF_Y', cost: EUR(2750), price: EUR(2000) }]);
  });

  it('keeps the currency of the cost through the chain', () => {
    const usd = priceChain(money(1000, 'USD'), { distributor: distributorToResellers, reseller: resellerToCustomers }, E3, '2027-01-10');
    expect(usd).toEqual({ cost: money(1000, 'USD'), resellerPrice: money(1100, 'USD'), sell: money(1320, 'USD') });
  });
});

describe('who sees an order line’s figures (viewerOf, lineFigures)', () => {
  const eur = (amount: number) => ({ amount, currency: 'EUR' });
  const chain = { cost: eur(1999), resellerPrice: eur(2199), sell: eur(2639) };
  const line = { accountId: 'acc_c', parentId: 'acc_r' };

  it('names the distributor, the buyer’s own reseller, and everyone else as the buyer’s side', () => {
    expect(viewerOf({ accountType: 'distributor', accountId: 'acc_d' }, line)).toBe('distributor');
    expect(viewerOf({ accountType: 'reseller', accountId: 'acc_r' }, line)).toBe('reseller');
    expect(viewerOf({ accountType: 'reseller', accountId: 'acc_other' }, line)).toBe('customer');
    expect(viewerOf({ accountType: 'customer', accountId: 'acc_c' }, line)).toBe('customer');
  });

  it('shows the seller its margin for the quantity, the distributor both, the buyer nothing', () => {
    expect(lineFigures('reseller', chain, 3)).toEqual({ cost: eur(6597), sell: eur(7917), margin: eur(1320) });
    expect(lineFigures('distributor', chain, 3)).toEqual({ cost: eur(5997), resellerPrice: eur(6597), sell: eur(7917), distributorMargin: eur(600), resellerMargin: eur(1320) });
    expect(lineFigures('customer', chain, 3)).toBeUndefined();
  });

  it('answers null when the chain lacks the figure the margin needs', () => {
    expect(lineFigures('distributor', { sell: eur(2500) }, 1)).toBeNull();
    expect(lineFigures('reseller', { cost: eur(1999), sell: eur(2500) }, 1)).toBeNull();
  });
});

describe('figures of a prorated line (lineFigures with the line’s amount)', () => {
  const eur = (amount: number) => ({ amount, currency: 'EUR' });
  const chain = { cost: eur(1999), resellerPrice: eur(2199), sell: eur(2639) };
  it('shares each figure as the amount is shared, half-up, the same share a reseller statement owes', () => {
    // 2 licenses for 26 of 31 days: 4427 of 5278. 4427 × 4398 / 5278 = 3688.9; 4427 × 3998 / 5278 = 3353.2.
    expect(lineFigures('distributor', chain, 2, eur(4427))).toEqual({ cost: eur(3353), resellerPrice: eur(3689), sell: eur(4427), distributorMargin: eur(336), resellerMargin: eur(738) });
    expect(lineFigures('reseller', chain, -2, eur(-4427))).toEqual({ cost: eur(-3689), sell: eur(-4427), margin: eur(-738) });
    expect(lineFigures('reseller', chain, 2, eur(5278))).toEqual(lineFigures('reseller', chain, 2));
  });
});

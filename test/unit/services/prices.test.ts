import type { RuleVersion } from '#data/pricing.ts';

const { fakePricing } = await import('./fake-pricing.ts');

/** services/prices.ts: which list prices an order line, and what the chain records. */
const AT = '2026-01-01T00:00:00.000Z';
const rule = (markupBps: number, effectiveFrom = '2026-01-01'): RuleVersion => ({ scope: 'list', markupBps, effectiveFrom, createdAt: AT });
const offer = { id: 'ofr_1', productId: 'prd_1', price: { amount: 2500, currency: 'EUR' } };
const direct = { id: 'acc_c1', parentId: 'acc_dist', rootId: 'acc_dist', settings: { currency: 'EUR' } };
const underReseller = { id: 'acc_c2', parentId: 'acc_res', rootId: 'acc_dist', settings: { currency: 'EUR' } };
const costs = [
  { offerId: 'ofr_1', currency: 'EUR', effectiveFrom: '2026-01-01', amount: 1999 },
  { offerId: 'ofr_1', currency: 'EUR', effectiveFrom: '2026-06-01', amount: 2099 },
];

describe('pricing an order line', () => {
  it('sells at the catalog price while the seller keeps no list, recording the cost and the reseller price the lists above give', async () => {
    const t = fakePricing({ costs, lists: [{ owner: 'acc_dist', audience: 'resellers', currency: 'EUR', rules: [rule(1000)] }] });
    const priced = await t.pricer().unit(underReseller, offer, 'productivity', '2026-03-01');
    expect(priced).toEqual({ unitPrice: { amount: 2500, currency: 'EUR' }, chain: { sell: { amount: 2500, currency: 'EUR' }, cost: { amount: 1999, currency: 'EUR' }, resellerPrice: { amount: 2199, currency: 'EUR' } } });
  });

  it('prices a direct customer from the distributor’s customers list over the cost in effect that day', async () => {
    const t = fakePricing({ costs, lists: [{ owner: 'acc_dist', audience: 'customers', currency: 'EUR', rules: [rule(2000)] }] });
    const before = await t.pricer().unit(direct, offer, 'productivity', '2026-05-31');
    const after = await t.pricer().unit(direct, offer, 'productivity', '2026-06-01');
    expect(before.unitPrice.amount).toBe(2399); // 1999 × 1.2 = 2398.8
    expect(after.unitPrice.amount).toBe(2519); // 2099 × 1.2 = 2518.8
    expect(after.chain).toEqual({ cost: { amount: 2099, currency: 'EUR' }, sell: { amount: 2519, currency: 'EUR' } });
  });

  it('prices a reseller’s customer from the reseller’s list over the reseller price', async () => {
    const t = fakePricing({
      costs,
      lists: [
        { owner: 'acc_dist', audience: 'resellers', currency: 'EUR', rules: [rule(1000)] },
        { owner: 'acc_res', audience: 'customers', currency: 'EUR', rules: [rule(2000), rule(3000, '2026-04-01')] },
      ],
    });
    const march = await t.pricer().unit(underReseller, offer, 'productivity', '2026-03-01');
    expect(march.chain).toEqual({ cost: { amount: 1999, currency: 'EUR' }, resellerPrice: { amount: 2199, currency: 'EUR' }, sell: { amount: 2639, currency: 'EUR' } });
    const april = await t.pricer().unit(underReseller, offer, 'productivity', '2026-04-01');
    expect(april.unitPrice).toEqual({ amount: 2859, currency: 'EUR' }); // 2199 × 1.3 = 2858.7
  });

  it('refuses a currency the seller keeps no list in (422 currency_not_offered) and an offer the chain cannot price in another currency (422 price_unavailable)', async () => {
    const t = fakePricing({ lists: [{ owner: 'acc_res', audience: 'customers', currency: 'USD', rules: [rule(2000)] }] });
    const gbp = { ...underReseller, settings: { currency: 'GBP' } };
    await expect(t.pricer().unit(gbp, offer, 'productivity', '2026-03-01', 'lines.0.offerId')).rejects.toMatchObject({
      status: 422,
      code: 'currency_not_offered',
      details: [{ path: 'lines.0.offerId', currency: 'GBP' }],
    });
    const usd = { ...underReseller, settings: { currency: 'USD' } };
    await expect(t.pricer().unit(usd, offer, 'productivity', '2026-03-01')).rejects.toMatchObject({ status: 422, code: 'price_unavailable', details: [{ reason: 'no_cost' }] });
  });

  it('sells at the catalog price what the lists cannot price (not costed yet) when it is in the buyer’s currency', async () => {
    const t = fakePricing({ lists: [{ owner: 'acc_dist', audience: 'customers', currency: 'EUR', rules: [rule(2000)] }] });
    expect(await t.pricer().unit(direct, offer, 'productivity', '2026-03-01')).toEqual({ unitPrice: offer.price, chain: { sell: offer.price } });
  });

  it('refuses the catalog price in another currency when the seller keeps no list (422 currency_mismatch)', async () => {
    const t = fakePricing();
    await expect(t.pricer().unit({ ...direct, settings: { currency: 'GBP' } }, offer, 'x', '2026-03-01')).rejects.toMatchObject({ status: 422, code: 'currency_mismatch' });
  });

  it('reads each list and the costs once per pricer, however many lines it prices', async () => {
    const t = fakePricing({ costs, lists: [{ owner: 'acc_dist', audience: 'resellers', currency: 'EUR', rules: [rule(1000)] }, { owner: 'acc_res', audience: 'customers', currency: 'EUR', rules: [rule(2000)] }] });
    const p = t.pricer();
    for (let i = 0; i < 5; i++) await p.unit(underReseller, offer, 'productivity', '2026-03-01');
    expect(t.reads.sort()).toEqual(['claim:acc_dist:resellers:EUR', 'claim:acc_res:customers:EUR', 'costs', 'rules:pl_0', 'rules:pl_1']);
  });
});

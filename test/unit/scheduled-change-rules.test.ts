import { mayRenewAs, nextTermOf, offerForNextTerm, refuseScheduledChange } from '#domain/scheduled-change.ts';

/** The rules of docs/product.md#scheduled-changes-at-renewal (domain/scheduled-change.ts), as tables of cases. */
const sub = { productId: 'prd_basic', offerId: 'ofr_basic_m', quantity: 10, assignedCount: 4, term: 'P1M', billingPeriod: 'monthly' };
const offers = (p: string) => [
  { id: `ofr_${p}_m`, term: 'P1M', billingPeriod: 'monthly' },
  { id: `ofr_${p}_y`, term: 'P1Y', billingPeriod: 'annual' },
];
const product = (id: string, over: Partial<{ upgradeTargets: string[]; minQuantity: number; maxQuantity: number }> = {}) => ({
  id: `prd_${id}`,
  minQuantity: 1,
  maxQuantity: 300,
  offers: offers(id),
  ...over,
});

describe('nextTermOf: what the renewal renews', () => {
  it.each([
    ['nothing scheduled', {}, { productId: 'prd_basic', offerId: 'ofr_basic_m', quantity: 10, changesOffer: false }],
    ['a lower quantity', { scheduledQuantity: 6 }, { productId: 'prd_basic', offerId: 'ofr_basic_m', quantity: 6, changesOffer: false }],
    ['a quantity below the licenses assigned (assigned since)', { scheduledQuantity: 2 }, { productId: 'prd_basic', offerId: 'ofr_basic_m', quantity: 4, changesOffer: false }],
    ['another offer', { scheduledChange: { offerId: 'ofr_basic_y' } }, { productId: 'prd_basic', offerId: 'ofr_basic_y', quantity: 10, changesOffer: true }],
    [
      'another product, offer and quantity',
      { scheduledQuantity: 12, scheduledChange: { productId: 'prd_std', offerId: 'ofr_std_y' } },
      { productId: 'prd_std', offerId: 'ofr_std_y', quantity: 12, changesOffer: true },
    ],
  ])('%s', (_case, over, expected) => {
    expect(nextTermOf({ ...sub, ...over })).toEqual(expected);
  });

  it('never renews fewer than one license', () => {
    expect(nextTermOf({ ...sub, quantity: 0, assignedCount: 0 }).quantity).toBe(1);
  });
});

describe('mayRenewAs: the product family', () => {
  it.each([
    ['the same product', product('basic'), product('basic'), true],
    ['a product it may be upgraded to', product('basic', { upgradeTargets: ['prd_std'] }), product('std'), true],
    ['a product that may be upgraded to it (a downgrade at renewal)', product('std'), product('basic', { upgradeTargets: ['prd_std'] }), true],
    ['an unrelated product when upgrade targets are kept', product('basic', { upgradeTargets: ['prd_std'] }), product('visio', { upgradeTargets: [] }), false],
    ['a product the catalog does not link either way', product('basic'), product('std'), false],
  ])('%s → %s', (_case, current, target, allowed) => {
    expect(mayRenewAs(current, target)).toBe(allowed);
  });
});

describe('offerForNextTerm', () => {
  it('takes the offer named, else the one with the current term and billing period', () => {
    expect(offerForNextTerm(offers('std'), { offerId: 'ofr_std_y', term: 'P1M', billingPeriod: 'monthly' })?.id).toBe('ofr_std_y');
    expect(offerForNextTerm(offers('std'), { term: 'P1M', billingPeriod: 'monthly' })?.id).toBe('ofr_std_m');
    expect(offerForNextTerm(offers('std'), { offerId: 'ofr_basic_y', term: 'P1M', billingPeriod: 'monthly' })).toBeUndefined();
    expect(offerForNextTerm(offers('std'), { term: 'P3Y', billingPeriod: 'annual' })).toBeUndefined();
  });
});

describe('refuseScheduledChange', () => {
  const basic = product('basic', { upgradeTargets: ['prd_std'] });
  it.each([
    ['a lower quantity', basic, { quantity: 5 }, undefined],
    ['the annual offer of the same product', basic, { offerId: 'ofr_basic_y' }, undefined],
    ['a product it may be upgraded to, on its matching offer', product('std'), {}, undefined],
    ['fewer licenses than assigned', basic, { quantity: 3 }, { code: 'below_assigned', assignedCount: 4 }],
    ['more than the product sells', basic, { quantity: 301 }, { code: 'quantity_out_of_range', min: 1, max: 300 }],
    ["the current quantity outside the new product's range", product('std', { maxQuantity: 5 }), {}, { code: 'quantity_out_of_range', min: 1, max: 5 }],
    ['an offer of another product', basic, { offerId: 'ofr_std_y' }, { code: 'offer_not_of_product' }],
    ['a product with no offer for the current term', { ...product('std'), offers: [offers('std')[1]!] }, {}, { code: 'offer_missing' }],
    ['a product outside the family', product('visio', { upgradeTargets: [] }), {}, { code: 'product_not_eligible' }],
  ])('%s', (_case, target, input, expected) => {
    expect(refuseScheduledChange(sub, basic, target, input)).toEqual(expected);
  });
});

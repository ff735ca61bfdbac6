/**
 * The upgrade rules of docs/product.md#upgrades (functions/domain/upgrades.ts): by-days prices, the
 * eligible targets, the offer a move lands on, which assigned users move, the catalog's check of
 * `upgradeTargets` and what the order-completed email lists. Every expected value is worked out by
 * hand; the arithmetic is in the comments.
 */
import { renderEmail } from '#emails/index.ts';
import { completedEmailLines, isEligibleTarget, targetOffer, upgradePrice, upgradeTargetsRefusal, usersToMove } from '#domain/upgrades.ts';

describe('upgradePrice: a credit for the old licenses and a charge for the new, by days, netted', () => {
  // A monthly term of 31 days (2027-03-10 .. 2027-04-09), billed monthly.
  const term = { term: 'P1M' as const, billingPeriod: 'monthly' as const, start: '2027-03-10', end: '2027-04-09' };
  it.each<[string, { fromUnit: number; toUnit: number; quantity: number; today: string }, { credit: number; charge: number; net: number }]>([
    // 31 of 31 days left: whole periods. 600 × 5 = 3000; 1250 × 5 = 6250.
    ['on the first day of the period, whole-period amounts', { fromUnit: 600, toUnit: 1250, quantity: 5, today: '2027-03-10' }, { credit: -3000, charge: 6250, net: 3250 }],
    // 21 of 31 days left (03-20 .. 04-09): 600 × 2 × 21 / 31 = 812.90 → 813; 1250 × 2 × 21 / 31 = 1693.55 → 1694.
    ['ten days in, the 21 days left', { fromUnit: 600, toUnit: 1250, quantity: 2, today: '2027-03-20' }, { credit: -813, charge: 1694, net: 881 }],
    // 1 of 31 days left: 600 × 1 / 31 = 19.35 → 19; 2200 / 31 = 70.97 → 71.
    ['on the last day, one day', { fromUnit: 600, toUnit: 2200, quantity: 1, today: '2027-04-09' }, { credit: -19, charge: 71, net: 52 }],
    // 3100 × 1 × 16 / 31 = 1600 exactly; 155 × 16 / 31 = 80 exactly.
    ['exact amounts stay exact', { fromUnit: 155, toUnit: 3100, quantity: 1, today: '2027-03-25' }, { credit: -80, charge: 1600, net: 1520 }],
    // 1 × 1 × 31 / 62 ... a free old product credits 0 (never −0).
    ['a free old product credits nothing', { fromUnit: 0, toUnit: 31, quantity: 2, today: '2027-03-10' }, { credit: 0, charge: 62, net: 62 }],
  ])('%s', (_rule, input, expected) => {
    const price = upgradePrice({ ...input, term });
    expect(price).toEqual(expected);
    expect(Object.is(price.credit, -0)).toBe(false);
  });

  it('rounds half up each side on its own (7 days of February at 2 cents: 2 × 7 / 28 = ½ → 1 credited, ½ → 1 charged)', () => {
    const february = { term: 'P1M' as const, billingPeriod: 'monthly' as const, start: '2027-02-01', end: '2027-02-28' };
    expect(upgradePrice({ fromUnit: 2, toUnit: 2, quantity: 1, today: '2027-02-22', term: february })).toEqual({ credit: -1, charge: 1, net: 0 });
  });

  it('counts a whole annual term for annual billing: 100 of 365 days left', () => {
    // 2027-01-01 .. 2027-12-31 is 365 days; from 2027-09-23, 100 days are left.
    // 7200 × 3 × 100 / 365 = 5917.81 → 5918; 15000 × 3 × 100 / 365 = 12328.77 → 12329.
    const annual = { term: 'P1Y' as const, billingPeriod: 'annual' as const, start: '2027-01-01', end: '2027-12-31' };
    expect(upgradePrice({ fromUnit: 7200, toUnit: 15000, quantity: 3, today: '2027-09-23', term: annual })).toEqual({ credit: -5918, charge: 12329, net: 6411 });
  });

  it('in a co-termed first term (paid whole when bought), prices the term by days to its end, as a raise there is', () => {
    // P1Y billed monthly, bought 2027-03-10 to end with another subscription on 2027-06-30. From
    // 2027-05-01: 61 days (05-01 .. 06-30) of a full year from today (2027-05-01 .. 2028-04-30, 366
    // days). 1000 × 12 × 61 / 366 = 2000; 1500 × 12 × 61 / 366 = 3000. Pro rata of the monthly
    // period instead would have credited only May's share.
    const coTermed = { term: 'P1Y' as const, billingPeriod: 'monthly' as const, start: '2027-03-10', end: '2027-06-30' };
    expect(upgradePrice({ fromUnit: 1000, toUnit: 1500, quantity: 1, today: '2027-05-01', term: coTermed })).toEqual({ credit: -2000, charge: 3000, net: 1000 });
  });
});

describe('isEligibleTarget: only the products the product lists (never a downgrade mid-term)', () => {
  const basic = { upgradeTargets: ['prd_standard', 'prd_premium'] };
  it.each<[string, { upgradeTargets?: string[] | null }, string, boolean]>([
    ['a listed target', basic, 'prd_premium', true],
    ['a product not listed', basic, 'prd_exchange', false],
    ['a product that lists none', {}, 'prd_standard', false],
    ['null targets', { upgradeTargets: null }, 'prd_standard', false],
  ])('%s', (_rule, source, target, eligible) => expect(isEligibleTarget(source, target)).toBe(eligible));
});

describe('targetOffer: the target offer with the same term and billing period', () => {
  const offers = [
    { id: 'a', term: 'P1Y', billingPeriod: 'annual' },
    { id: 'm', term: 'P1M', billingPeriod: 'monthly' },
    { id: 'ym', term: 'P1Y', billingPeriod: 'monthly' },
  ];
  it.each<[string, { term: string; billingPeriod: string }, string | undefined]>([
    ['annual term billed monthly', { term: 'P1Y', billingPeriod: 'monthly' }, 'ym'],
    ['annual term billed annually', { term: 'P1Y', billingPeriod: 'annual' }, 'a'],
    ['monthly term', { term: 'P1M', billingPeriod: 'monthly' }, 'm'],
    ['a three-year term the target does not have', { term: 'P3Y', billingPeriod: 'annual' }, undefined],
  ])('%s', (_rule, sub, id) => expect(targetOffer(offers, sub)?.id).toBe(id));
});

describe('usersToMove: assignments follow the licenses', () => {
  const a = (userId: string, assignedAt: string) => ({ userId, assignedAt });
  const held = [a('usr_d', '2027-01-04T00:00:00Z'), a('usr_b', '2027-01-02T00:00:00Z'), a('usr_c', '2027-01-02T00:00:00Z'), a('usr_a', '2027-01-01T00:00:00Z')];
  it('moves everyone when every license moves', () => {
    expect(usersToMove(held, 4, true).map((x) => x.userId)).toEqual(['usr_a', 'usr_b', 'usr_c', 'usr_d']);
  });
  it('moves up to the quantity, those holding a license the longest first (ties by user id)', () => {
    expect(usersToMove(held, 2, false).map((x) => x.userId)).toEqual(['usr_a', 'usr_b']);
    expect(usersToMove(held, 3, false).map((x) => x.userId)).toEqual(['usr_a', 'usr_b', 'usr_c']);
  });
  it('moves all it has when fewer are assigned than move, and nobody when nobody is', () => {
    expect(usersToMove(held.slice(0, 1), 3, false).map((x) => x.userId)).toEqual(['usr_d']);
    expect(usersToMove([], 3, false)).toEqual([]);
  });
  it('leaves the source no more assigned than its new quantity', () => {
    // 10 licenses, 4 assigned: moving q leaves 10 − q licenses and 4 − min(q, 4) assigned.
    for (let q = 1; q <= 10; q++) expect(held.length - usersToMove(held, q, q === 10).length).toBeLessThanOrEqual(10 - q);
  });
});

describe('upgradeTargetsRefusal: targets are other products of the catalog, listed once', () => {
  const exists = new Set(['prd_b', 'prd_c']);
  it('accepts existing other products, and none', () => {
    expect(upgradeTargetsRefusal('prd_a', ['prd_b', 'prd_c'], exists)).toBeUndefined();
    expect(upgradeTargetsRefusal('prd_a', [], exists)).toBeUndefined();
  });
  it('names each bad entry by its path and reason', () => {
    expect(upgradeTargetsRefusal('prd_a', ['prd_a', 'prd_b', 'prd_x', 'prd_b'], new Set([...exists, 'prd_a']))).toEqual({
      code: 'invalid_upgrade_targets',
      message: expect.any(String),
      details: [
        { path: 'upgradeTargets.0', productId: 'prd_a', reason: 'self' },
        { path: 'upgradeTargets.2', productId: 'prd_x', reason: 'unknown' },
        { path: 'upgradeTargets.3', productId: 'prd_b', reason: 'duplicate' },
      ],
    });
  });
});

describe('completedEmailLines: what the order-completed email lists', () => {
  it('lists an upgrade by its target and says what it came from', () => {
    const lines = [
      { name: 'Business Basic', quantity: -5, newQuantity: 0, upgrade: { role: 'from' as const } },
      { name: 'Business Standard', quantity: 5, newQuantity: 8, upgrade: { role: 'to' as const } },
    ];
    expect(completedEmailLines(lines)).toEqual({ lines: [{ name: 'Business Standard', quantity: 8 }], upgradedFrom: { name: 'Business Basic', quantity: 5 } });
  });
  it('lists any other order as before: what the customer now has', () => {
    expect(completedEmailLines([{ name: 'Seats', quantity: 3, newQuantity: 12 }, { name: 'Mail', quantity: 2 }])).toEqual({ lines: [{ name: 'Seats', quantity: 12 }, { name: 'Mail', quantity: 2 }] });
  });
});

describe('the order-completed email of an upgrade, in each language', () => {
  const data = {
    recipientName: 'Ada Admin',
    orderNumber: 'SO-000042',
    accountName: 'Contoso',
    domain: 'contoso.onmicrosoft.com',
    lines: [{ name: 'Microsoft 365 Business Standard', quantity: 12 }],
    upgradedFrom: { name: 'Microsoft 365 Business Basic', quantity: 5 },
    portalUrl: 'https://portal.example.test/orders/ord_1',
  };
  it.each([
    ['en', 'You have upgraded 5 × Microsoft 365 Business Basic to:'],
    ['es', 'Ha actualizado 5 × Microsoft 365 Business Basic a:'],
    ['de', 'Sie haben 5 × Microsoft 365 Business Basic hochgestuft auf:'],
  ] as const)('%s says what was upgraded to what, in text and HTML', (locale, sentence) => {
    const mail = renderEmail('order-completed', locale, data);
    expect(mail.text).toContain(sentence);
    expect(mail.text).toContain('12 × Microsoft 365 Business Standard');
    expect(mail.html).toContain('Microsoft 365 Business Basic');
  });
  it('keeps "You have purchased" for an order that is no upgrade', () => {
    const { upgradedFrom: _u, ...plain } = data;
    expect(renderEmail('order-completed', 'en', plain).text).toContain('You have purchased:');
  });
});

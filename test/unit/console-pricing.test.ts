import {
  belowCostRows,
  bpsOfPercent,
  countryName,
  countryOptions,
  figureColumns,
  formatMarkup,
  formatRate,
  groupRules,
  listMarkup,
  minorOf,
  percentOfBps,
  ruleKey,
  todayUtc,
  type RuleVersion,
  type SheetItem,
} from '../../console/src/features/pricing/format.ts';

/**
 * The pricing screens' pure helpers (console/src/features/pricing/format.ts): markups and amounts
 * as typed and read, the UTC day, a list's versions grouped by rule with the one in effect, the
 * figures of a `below_cost` refusal and the columns of a price sheet. Spaces in formatted numbers
 * are normalized: Intl puts no-break spaces before the percent sign in German and Spanish.
 */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const at = '2027-01-01T09:00:00.000Z';

describe('markups, rates and amounts', () => {
  it.each([
    [25, 2500],
    [-10, -1000],
    [12.34, 1234],
    [0.005, 1],
    [-99.99, -9999],
    [1000, 100_000],
  ])('%s %% is %s basis points', (percent, bps) => {
    expect(bpsOfPercent(percent)).toBe(bps);
  });

  it('reads basis points back as percent', () => {
    expect(percentOfBps(2500)).toBe(25);
    expect(percentOfBps(-1000)).toBe(-10);
    expect(percentOfBps(1234)).toBe(12.34);
  });

  it('turns major units into minor units without float dust', () => {
    expect(minorOf(19.99)).toBe(1999);
    expect(minorOf(0.1 + 0.2)).toBe(30);
    expect(minorOf(95.5)).toBe(9550);
    expect(minorOf(0)).toBe(0);
  });

  it.each([
    ['en', 2500, '+25%'],
    ['en', -1000, '-10%'],
    ['en', 0, '0%'],
    ['de', 2500, '+25 %'],
    ['de', 1250, '+12,5 %'],
    ['es', -1050, '-10,5 %'],
  ])('a markup in %s: %s bps reads %s', (lng, bps, text) => {
    expect(plain(formatMarkup(bps, lng))).toBe(text);
  });

  it('a VAT rate carries no sign', () => {
    expect(plain(formatRate(1900, 'de'))).toBe('19 %');
    expect(plain(formatRate(2550, 'de'))).toBe('25,5 %');
    expect(plain(formatRate(2000, 'en'))).toBe('20%');
    expect(plain(formatRate(0, 'es'))).toBe('0 %');
  });

  it('today is the UTC day, whatever the local time', () => {
    expect(todayUtc(new Date('2027-03-01T23:30:00.000Z'))).toBe('2027-03-01');
    expect(todayUtc(new Date('2027-03-01T23:30:00.000-05:00'))).toBe('2027-03-02');
  });
});

describe('rule versions', () => {
  const rules: RuleVersion[] = [
    { scope: 'list', markupBps: 2000, effectiveFrom: '2027-01-01', createdAt: at },
    { scope: 'offer', offerId: 'ofr_B', amount: 999, effectiveFrom: '2027-02-01', createdAt: at },
    { scope: 'list', markupBps: 2500, effectiveFrom: '2027-03-01', createdAt: at },
    { scope: 'category', category: 'Productivity', markupBps: 1500, effectiveFrom: '2027-01-10', createdAt: at },
    { scope: 'product', productId: 'prd_A', markupBps: 1000, effectiveFrom: '2027-01-05', createdAt: at },
    { scope: 'product', productId: 'prd_A', markupBps: null, effectiveFrom: '2027-01-20', createdAt: at },
    { scope: 'category', category: 'productivity', markupBps: 1800, effectiveFrom: '2027-04-01', createdAt: at },
  ];

  it('a rule is keyed by what it is about, categories without regard to case', () => {
    expect(rules.map(ruleKey)).toEqual(['list', 'offer:ofr_B', 'list', 'category:productivity', 'product:prd_A', 'product:prd_A', 'category:productivity']);
  });

  it('groups versions by rule: the list first, then categories, products, offers; newest first; the one in effect on the day', () => {
    const groups = groupRules(rules, '2027-02-15');
    expect(groups.map((g) => [g.key, g.versions.map((v) => v.effectiveFrom), g.inEffect?.effectiveFrom])).toEqual([
      ['list', ['2027-03-01', '2027-01-01'], '2027-01-01'],
      ['category:productivity', ['2027-04-01', '2027-01-10'], '2027-01-10'],
      ['product:prd_A', ['2027-01-20', '2027-01-05'], '2027-01-20'],
      ['offer:ofr_B', ['2027-02-01'], '2027-02-01'],
    ]);
    // The product's rule in effect is the version that ended it.
    expect(groups[2]!.inEffect).toMatchObject({ markupBps: null });
    expect(groups[3]!.target).toBe('ofr_B');
  });

  it('a rule whose first version starts later has none in effect yet', () => {
    const [, category] = groupRules(rules, '2027-01-05');
    expect(category!.key).toBe('category:productivity');
    expect(category!.inEffect).toBeUndefined();
  });

  it("the list's own markup on a day, and the next version after it", () => {
    expect(listMarkup(rules, '2027-02-15')).toEqual({ current: { markupBps: 2000, effectiveFrom: '2027-01-01' }, next: { markupBps: 2500, effectiveFrom: '2027-03-01' } });
    expect(listMarkup(rules, '2027-03-01')).toEqual({ current: { markupBps: 2500, effectiveFrom: '2027-03-01' }, next: undefined });
    expect(listMarkup(rules, '2026-12-31')).toEqual({ current: undefined, next: { markupBps: 2000, effectiveFrom: '2027-01-01' } });
  });
});

describe('a below_cost refusal', () => {
  it('keeps the offers with both figures, and nothing else the details may hold', () => {
    const details = [
      { offerId: 'ofr_A', cost: { amount: 2199, currency: 'EUR' }, price: { amount: 1100, currency: 'EUR' } },
      { path: 'markupBps' },
      { offerId: 'ofr_B', cost: { amount: 100 } },
      null,
      { offerId: 'ofr_C', cost: { amount: 500, currency: 'EUR' }, price: { amount: 499, currency: 'EUR' }, extra: true },
    ];
    expect(belowCostRows(details)).toEqual([
      { offerId: 'ofr_A', cost: { amount: 2199, currency: 'EUR' }, price: { amount: 1100, currency: 'EUR' } },
      { offerId: 'ofr_C', cost: { amount: 500, currency: 'EUR' }, price: { amount: 499, currency: 'EUR' } },
    ]);
  });
});

describe('a price sheet', () => {
  const item = (figures: SheetItem['figures']): SheetItem => ({ offerId: 'ofr', productId: 'prd', name: 'n', sku: 's', term: 'P1Y', billingPeriod: 'monthly', figures, reason: figures ? null : 'no_cost' });
  const eur = (amount: number) => ({ amount, currency: 'EUR' });

  it('shows the figures the API gave for some offer, in the chain’s order', () => {
    expect(figureColumns([item(null), item({ sell: eur(2639), resellerMargin: eur(440), cost: eur(1999), resellerPrice: eur(2199), distributorMargin: eur(200) })])).toEqual([
      'cost',
      'resellerPrice',
      'sell',
      'distributorMargin',
      'resellerMargin',
    ]);
    expect(figureColumns([item({ sell: eur(2639), cost: eur(2199), margin: eur(440) })])).toEqual(['cost', 'sell', 'margin']);
    expect(figureColumns([item({ sell: eur(2639) })])).toEqual(['sell']);
    expect(figureColumns([item(null)])).toEqual([]);
  });
});

describe('countries', () => {
  it('offers the countries by name in the reader’s language, not groupings such as the EU', () => {
    const de = countryOptions('de');
    expect(de).toContainEqual({ value: 'DE', label: 'Deutschland (DE)' });
    expect(de).toContainEqual({ value: 'ES', label: 'Spanien (ES)' });
    expect(de.some((c) => ['EU', 'UN', 'ZZ', 'EZ'].includes(c.value))).toBe(false);
    expect(de.length).toBeGreaterThan(200);
    const labels = de.map((c) => c.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'de')));
  });

  it('names a country, or gives its code back when it cannot', () => {
    expect(countryName('GB', 'es')).toBe('Reino Unido');
    expect(countryName('DE', 'en')).toBe('Germany');
    expect(countryName('??', 'en')).toBe('??');
  });
});

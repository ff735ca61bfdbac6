/**
 * The by-days first term of a co-termed subscription (functions/domain/coterm.ts, docs/product.md
 * "Co-terming"): the term's price (price per billing period × periods in a term) × the first
 * term's days / a full term's days from today, both inclusive, half-up to the cent. Every expected
 * value is worked out by hand in the comments.
 */
import { changeAmount, coTermPrice, coTermRefusal, daysInclusive, endOfCalendarMonth, isShortenedTerm, periodsPerTerm } from '#domain/coterm.ts';

describe('periodsPerTerm: billing periods in a term', () => {
  it.each<[string, 'P1M' | 'P1Y' | 'P3Y', 'monthly' | 'annual', number]>([
    ['a month billed monthly', 'P1M', 'monthly', 1],
    ['a year billed monthly', 'P1Y', 'monthly', 12],
    ['a year billed annually', 'P1Y', 'annual', 1],
    ['three years billed annually', 'P3Y', 'annual', 3],
    ['three years billed monthly', 'P3Y', 'monthly', 36],
  ])('%s: %s/%s → %i', (_case, term, billing, periods) => {
    expect(periodsPerTerm(term, billing)).toBe(periods);
  });
});

describe('endOfCalendarMonth', () => {
  it.each([
    ['2027-02-10', '2027-02-28'],
    ['2028-02-10', '2028-02-29'], // a leap year
    ['2027-12-31', '2027-12-31'], // the last day is its own month's end
    ['2027-04-01', '2027-04-30'],
  ])('%s → %s', (today, end) => {
    expect(endOfCalendarMonth(today)).toBe(end);
  });
});

describe('daysInclusive', () => {
  it.each([
    ['2027-01-10', '2027-01-10', 1],
    ['2027-01-10', '2027-02-09', 31],
    ['2027-01-10', '2028-01-09', 365],
    ['2027-03-15', '2028-03-14', 366], // spans 2028-02-29
    ['2027-01-10', '2027-01-09', 0],
  ])('%s..%s → %i', (from, to, n) => {
    expect(daysInclusive(from, to)).toBe(n);
  });
});

describe('coTermRefusal: the first term ends today or later, and never after a full term would', () => {
  it.each<[string, string, 'P1M' | 'P1Y', boolean, ReturnType<typeof coTermRefusal>]>([
    ["another subscription's term ending today", '2027-01-10', 'P1M', true, 'term_ended'],
    ['the calendar month ending today (one day)', '2027-01-10', 'P1M', false, undefined],
    ['an end before today', '2027-01-09', 'P1M', false, 'term_ended'],
    ["the last day of a month's term", '2027-02-09', 'P1M', true, undefined],
    ["a day past a month's term", '2027-02-10', 'P1M', true, 'beyond_term'],
    ["a year's term ending within it", '2027-06-30', 'P1Y', true, undefined],
  ])('%s (end %s, %s)', (_case, end, term, strict, refusal) => {
    expect(coTermRefusal('2027-01-10', term, end, strict)).toBe(refusal);
  });
});

describe('coTermPrice: the first term priced by days, half-up to the cent', () => {
  it('an annual-billed year to a month away: 1000 × 3 × 31 / 365 = 254.79 → 255', () => {
    expect(coTermPrice(1000, 3, '2027-01-10', 'P1Y', 'annual', '2027-02-09')).toEqual({ days: 31, fullDays: 365, amount: 255 });
  });

  it('a monthly-billed year to the month end: 600 × 12 × 4 × 17 / 366 = 1337.70 → 1338 (the year holds 2028-02-29)', () => {
    expect(coTermPrice(600, 4, '2027-03-15', 'P1Y', 'monthly', '2027-03-31')).toEqual({ days: 17, fullDays: 366, amount: 1338 });
  });

  it('rounds an exact half up: 101 × 14 / 28 = 50.5 → 51', () => {
    expect(coTermPrice(101, 1, '2027-02-01', 'P1M', 'monthly', '2027-02-14')).toEqual({ days: 14, fullDays: 28, amount: 51 });
  });

  it('a first term as long as a full one costs the full price', () => {
    expect(coTermPrice(7200, 2, '2027-01-10', 'P1Y', 'annual', '2028-01-09').amount).toBe(14400);
  });

  it('one day of a month', () => {
    // A month from 2027-01-31 ends 2027-02-27 (the month clamps): 28 days; 3000 × 1 / 28 = 107.14 → 107
    expect(coTermPrice(3000, 1, '2027-01-31', 'P1M', 'monthly', '2027-01-31')).toEqual({ days: 1, fullDays: 28, amount: 107 });
  });

  it('stays exact beyond safe integers: 1,000,000,000 × 36 × 100,000 × 172 / 1096', () => {
    // 3.6e15 × 172 = 6.19e17 > 2^53: 619200000000000000000 / 1096 = 564963503649635.03 → 564963503649635
    expect(coTermPrice(1_000_000_000, 100_000, '2027-01-10', 'P3Y', 'monthly', '2027-06-30')).toEqual({ days: 172, fullDays: 1096, amount: 564963503649635 });
  });
});

describe('isShortenedTerm: a co-termed first term ends before a full term from its start', () => {
  it.each<[string, string, 'P1M' | 'P1Y', boolean]>([
    ['2027-01-10', '2028-01-09', 'P1Y', false],
    ['2027-01-10', '2027-02-09', 'P1Y', true],
    ['2027-01-10', '2027-02-09', 'P1M', false],
    ['2027-01-10', '2027-01-31', 'P1M', true],
  ])('%s..%s on %s → %s', (start, end, term, shortened) => {
    expect(isShortenedTerm(start, end, term)).toBe(shortened);
  });
});

describe('changeAmount: a raise or a lowering by days', () => {
  it('pro rata of the billing period in a full term: 3100 × 2 × 26 / 31 = 5200', () => {
    // Period 2027-03-10..04-09 (31 days); from 03-15, 26 days are left.
    expect(changeAmount(3100, 2, '2027-03-15', { term: 'P1M', billingPeriod: 'monthly', start: '2027-03-10', end: '2027-04-09' })).toBe(5200);
  });

  it('in a co-termed first term, the term price by days to its end: 1000 × 3 × 21 / 365 = 172.60 → 173', () => {
    // An annual year co-termed to 2027-02-09; on 2027-01-20: 21 days left, a full year from then is 365 days.
    expect(changeAmount(1000, 3, '2027-01-20', { term: 'P1Y', billingPeriod: 'annual', start: '2027-01-10', end: '2027-02-09' })).toBe(173);
  });

  it('a monthly-billed year co-termed to the month end is priced over the year, not the month: 600 × 12 × 1 × 10 / 365 = 197.26 → 197', () => {
    // Bought 2027-03-05 to 2027-03-31; on 2027-03-22: 10 days left; a year from then is 365 days.
    expect(changeAmount(600, 1, '2027-03-22', { term: 'P1Y', billingPeriod: 'monthly', start: '2027-03-05', end: '2027-03-31' })).toBe(197);
  });
});

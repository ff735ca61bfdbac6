/**
 * The NCE subscription rules of docs/product.md#subscriptions-and-licenses and #billing (functions/domain/subscription-rules.ts):
 * billing periods, proration by days rounded half-up to the cent, and the cancellation windows
 * (the product's `cancellationWindowHours`, 168 in the seed catalog). Every expected value below is worked out by hand; the arithmetic is in the comments.
 */
import {
  billingPeriodAt,
  cancellationWindowOf,
  consumeWindows,
  lowerableNow,
  nextWindowOpens,
  openWindows,
  prorate,
  roundHalfUp,
  type Window,
} from '#domain/subscription-rules.ts';
import { termEnd } from '#domain/terms.ts';

type Period = { start: string; end: string };

describe('billingPeriodAt: the billing period (inclusive dates) that contains today', () => {
  describe('monthly billing from a term that starts on the 10th', () => {
    it.each<[string, string, Period]>([
      ['the start day opens the first period', '2027-01-10', { start: '2027-01-10', end: '2027-02-09' }],
      ['the 10th of a later month opens a new period', '2027-03-10', { start: '2027-03-10', end: '2027-04-09' }],
      ['the 9th is the last day of the period that began on the 10th before', '2027-03-09', { start: '2027-02-10', end: '2027-03-09' }],
      ['the last day of a 31-day month sits mid-period', '2027-03-31', { start: '2027-03-10', end: '2027-04-09' }],
      ['the last day of February sits mid-period', '2027-02-28', { start: '2027-02-10', end: '2027-03-09' }],
      ['December rolls into the next year', '2027-12-31', { start: '2027-12-10', end: '2028-01-09' }],
    ])('%s (today %s)', (_rule, today, period) => {
      expect(billingPeriodAt('2027-01-10', 'monthly', today)).toEqual(period);
    });
  });

  describe('monthly billing from a term that starts on the 31st clamps like termEnd (docs/product.md#scheduled-jobs)', () => {
    // terms.ts: bought 2027-01-31 monthly → the term ends 2027-02-27 (the day before the clamped
    // 02-28). The periods agree: 01-31..02-27, then 02-28..03-30 (the day before 03-31).
    // Each period start is clamped from the term start, not from the previous period, so the
    // 31st comes back after a short month (04-30 is followed by 05-31, not 05-30).
    it.each<[string, string, Period]>([
      ['the first period ends the day before the clamped Feb 28', '2027-01-31', { start: '2027-01-31', end: '2027-02-27' }],
      ['Feb 27 is still in the first period', '2027-02-27', { start: '2027-01-31', end: '2027-02-27' }],
      ['the second period starts on the clamped Feb 28 and ends the day before Mar 31', '2027-02-28', { start: '2027-02-28', end: '2027-03-30' }],
      ['Mar 30 is the last day of the second period', '2027-03-30', { start: '2027-02-28', end: '2027-03-30' }],
      ['the 31st comes back in March; April clamps to the 30th', '2027-03-31', { start: '2027-03-31', end: '2027-04-29' }],
      ['after a clamped Apr 30 the next start is May 31 again, not May 30', '2027-04-30', { start: '2027-04-30', end: '2027-05-30' }],
    ])('%s (today %s)', (_rule, today, period) => {
      expect(billingPeriodAt('2027-01-31', 'monthly', today)).toEqual(period);
    });

    it.each([['2027-01-31'], ['2027-03-31'], ['2027-01-10'], ['2028-01-31'], ['2027-12-31']])(
      'the first monthly period from %s ends on termEnd(start, P1M)',
      (start) => {
        expect(billingPeriodAt(start, 'monthly', start).end).toBe(termEnd(start, 'P1M'));
      },
    );
  });

  describe('monthly billing through the leap-year February of 2028', () => {
    it.each<[string, string, string, Period]>([
      ['Jan 31 clamps to Feb 29 in a leap year, so Feb 28 is the first period’s last day', '2028-01-31', '2028-02-28', { start: '2028-01-31', end: '2028-02-28' }],
      ['the leap day itself opens the second period from Jan 31', '2028-01-31', '2028-02-29', { start: '2028-02-29', end: '2028-03-30' }],
      ['from the 10th, the February period holds the leap day (29 days)', '2028-01-10', '2028-02-29', { start: '2028-02-10', end: '2028-03-09' }],
      ['a term started on the leap day bills from the 29th of each month', '2028-02-29', '2028-03-29', { start: '2028-03-29', end: '2028-04-28' }],
    ])('%s (start %s, today %s)', (_rule, termStart, today, period) => {
      expect(billingPeriodAt(termStart, 'monthly', today)).toEqual(period);
    });
  });

  describe('annual billing counts years from the term start', () => {
    it.each<[string, string, string, Period]>([
      ['a P1Y term is one period: its first day', '2027-01-10', '2027-01-10', { start: '2027-01-10', end: '2028-01-09' }],
      ['a P1Y term is one period: its last day', '2027-01-10', '2028-01-09', { start: '2027-01-10', end: '2028-01-09' }],
      ['a P3Y term in its first year', '2027-01-10', '2027-06-01', { start: '2027-01-10', end: '2028-01-09' }],
      ['a P3Y term: year 2 starts on the anniversary', '2027-01-10', '2028-01-10', { start: '2028-01-10', end: '2029-01-09' }],
      ['a P3Y term: mid year 2', '2027-01-10', '2028-07-01', { start: '2028-01-10', end: '2029-01-09' }],
      ['a P3Y term: the last day of year 2', '2027-01-10', '2029-01-09', { start: '2028-01-10', end: '2029-01-09' }],
      ['a P3Y term: year 3 starts on the second anniversary', '2027-01-10', '2029-01-10', { start: '2029-01-10', end: '2030-01-09' }],
      ['a P3Y term: year 3 ends on the term’s last day', '2027-01-10', '2030-01-09', { start: '2029-01-10', end: '2030-01-09' }],
      ['a leap-day start: year 2 starts on the clamped Feb 28', '2028-02-29', '2029-03-01', { start: '2029-02-28', end: '2030-02-27' }],
      ['a leap-day start: year 3 ends on termEnd(2028-02-29, P3Y)', '2028-02-29', '2030-02-28', { start: '2030-02-28', end: '2031-02-27' }],
    ])('%s (start %s, today %s)', (_rule, termStart, today, period) => {
      expect(billingPeriodAt(termStart, 'annual', today)).toEqual(period);
    });
  });
});

describe('prorate: unit price × quantity × remaining days / period days, rounded half-up', () => {
  const JAN_2027 = { start: '2027-01-01', end: '2027-01-31' }; // 31 days
  const FEB_2027 = { start: '2027-02-01', end: '2027-02-28' }; // 28 days
  const FEB_2028 = { start: '2028-02-01', end: '2028-02-29' }; // 29 days
  const APR_2027 = { start: '2027-04-01', end: '2027-04-30' }; // 30 days
  const YEAR_365 = { start: '2027-01-10', end: '2028-01-09' }; // 365 days (no Feb 29 inside)
  const YEAR_366 = { start: '2028-01-10', end: '2029-01-09' }; // 366 days (holds 2028-02-29)

  it.each<[string, number, number, string, Period, number]>([
    // full period and last day
    ['the whole period costs the full price (31 days)', 3100, 1, '2027-01-01', JAN_2027, 3100],
    ['the whole of February costs the full price too (28 days)', 1000, 1, '2027-02-01', FEB_2027, 1000],
    ['the last day costs 1/31 of a 31-day month: 3100/31', 3100, 1, '2027-01-31', JAN_2027, 100],
    ['the last day costs 1/28 of a 28-day February: 2800/28', 2800, 1, '2027-02-28', FEB_2027, 100],
    ['the last day costs 1/29 of a leap February: 2900/29', 2900, 1, '2028-02-29', FEB_2028, 100],
    // the same 10 days left cost more in a shorter month
    ['10 days of a 31-day month: 10000/31 = 322.58 → 323', 1000, 1, '2027-01-22', JAN_2027, 323],
    ['10 days of a 28-day February: 10000/28 = 357.14 → 357', 1000, 1, '2027-02-19', FEB_2027, 357],
    ['10 days of a 29-day February: 10000/29 = 344.83 → 345', 1000, 1, '2028-02-20', FEB_2028, 345],
    // half-up rounding
    ['an exact half rounds up: 1001 × 15/30 = 500.5 → 501', 1001, 1, '2027-04-16', APR_2027, 501],
    ['an exact half rounds up in February: 1001 × 14/28 = 500.5 → 501', 1001, 1, '2027-02-15', FEB_2027, 501],
    ['an exact half rounds up in a 366-day year: 1001 × 183/366 = 500.5 → 501', 1001, 1, '2028-07-11', YEAR_366, 501],
    ['just under a half rounds down: 1000 × 29/31 = 935 + 15/31 (935.484) → 935', 1000, 1, '2027-01-03', JAN_2027, 935],
    ['just over a half rounds up: 1000 × 2/31 = 64 + 16/31 (64.516) → 65', 1000, 1, '2027-01-30', JAN_2027, 65],
    // 182/365 = 0.49863 is the closest a 365-day period gets to a half from below
    ['the closest-below-half of a year rounds down: 36501 × 182/365 = 18200 + 182/365 → 18200', 36501, 1, '2027-07-12', YEAR_365, 18200],
    ['the closest-above-half of a year rounds up: 36501 × 183/365 = 18300 + 183/365 → 18301', 36501, 1, '2027-07-11', YEAR_365, 18301],
    // quantity multiplies before rounding, not per license
    ['3 licenses × 2 days: 6000/31 = 193.55 → 194 (not 3 × 65 = 195)', 1000, 3, '2027-01-30', JAN_2027, 194],
    ['2 licenses × 29 days: 58000/31 = 1870.97 → 1871 (not 2 × 935 = 1870)', 1000, 2, '2027-01-03', JAN_2027, 1871],
    ['no licenses cost nothing', 1000, 0, '2027-01-15', JAN_2027, 0],
    // after the period
    ['the day after the period end costs nothing', 3100, 1, '2027-02-01', JAN_2027, 0],
    ['long after the period end costs nothing (never negative)', 3100, 5, '2027-06-15', JAN_2027, 0],
    // annual periods: 365 vs 366 days
    ['a whole 365-day year costs the full price', 36500, 1, '2027-01-10', YEAR_365, 36500],
    ['a whole 366-day year costs the full price', 36500, 1, '2028-01-10', YEAR_366, 36500],
    ['the last day of a 365-day year: 36500/365', 36500, 1, '2028-01-09', YEAR_365, 100],
    ['the last day of a 366-day year: 36600/366', 36600, 1, '2029-01-09', YEAR_366, 100],
    ['183 days of a 365-day year: 36500 × 183/365 = 18300', 36500, 1, '2027-07-11', YEAR_365, 18300],
    ['183 days of a 366-day year are exactly half: 36500 × 183/366 = 18250', 36500, 1, '2028-07-11', YEAR_366, 18250],
  ])('%s', (_rule, unitAmount, quantity, today, period, expected) => {
    expect(prorate(unitAmount, quantity, today, period)).toBe(expected);
  });

  it.each<[string, string, string, number]>([
    // 2027-02-10..03-09 is 28 days; today 02-24 leaves 5 (24..28) + 9 = 14: 1001 × 14/28 = 500.5 → 501
    ['a month-straddling 28-day period from the 10th', '2027-01-10', '2027-02-24', 501],
    // 2028-02-10..03-09 is 29 days; today 02-24 leaves 6 (24..29) + 9 = 15: 1001 × 15/29 = 517.76 → 518
    ['a month-straddling 29-day period holding the leap day', '2028-01-10', '2028-02-24', 518],
  ])('prorates over the period billingPeriodAt gives: %s', (_rule, termStart, today, expected) => {
    expect(prorate(1001, 1, today, billingPeriodAt(termStart, 'monthly', today))).toBe(expected);
  });
});

describe('roundHalfUp: numerator/denominator to an integer, halves away from zero', () => {
  it.each<[string, number, number, number]>([
    ['zero stays zero', 0, 7, 0],
    ['an exact quotient is unchanged', 10, 5, 2],
    ['below a half rounds down: 13/4 = 3.25', 13, 4, 3],
    ['an exact half rounds up: 14/4 = 3.5', 14, 4, 4],
    ['above a half rounds up: 15/4 = 3.75', 15, 4, 4],
    ['0.5 rounds up to 1 (not to even 0)', 1, 2, 1],
    ['2.5 rounds up to 3 (not to even 2)', 5, 2, 3],
    ['0.49999 rounds down', 49_999, 100_000, 0],
    ['0.50000 rounds up', 50_000, 100_000, 1],
    ['1.49999 rounds down', 149_999, 100_000, 1],
    ['1.50000 rounds up', 150_000, 100_000, 2],
    ['a large invoice total stays exact: 3.66e12/366', 3_660_000_000_000, 366, 10_000_000_000],
    ['a large half rounds up: (2 × 10^12 + 1)/2', 2_000_000_000_001, 2, 1_000_000_000_001],
    // Negatives (credits) are symmetric: the code rounds the magnitude half-up and restores the
    // sign, so halves go away from zero (−2.5 → −3), not towards +∞ (which would give −2).
    ['a negative half goes away from zero: −5/2 = −2.5 → −3', -5, 2, -3],
    ['−1/2 = −0.5 → −1', -1, 2, -1],
    ['a negative below half: −5/4 = −1.25 → −1', -5, 4, -1],
    ['a negative above half: −7/4 = −1.75 → −2', -7, 4, -2],
    ['a negative exact quotient: −10/5 = −2', -10, 5, -2],
  ])('%s', (_rule, numerator, denominator, expected) => {
    expect(roundHalfUp(numerator, denominator)).toBe(expected);
  });

  // A small negative credit that rounds to nothing must be 0, not −0 (which formats as "-€0.00").
  it.each<[string, number, number]>([
    ['−1/3 = −0.33 rounds to plain 0, not −0', -1, 3],
    ['−0.49999 rounds to plain 0, not −0', -49_999, 100_000],
  ])('%s', (_rule, numerator, denominator) => {
    expect(roundHalfUp(numerator, denominator)).toBe(0);
  });

  it.each<[string, number]>([
    ['a zero denominator', 0],
    ['a negative denominator', -3],
  ])('throws on %s', (_rule, denominator) => {
    expect(() => roundHalfUp(10, denominator)).toThrow('denominator must be positive');
  });
});

describe('cancellation windows (168 hours per purchase, raise or renewal)', () => {
  const NOW = new Date('2027-03-01T12:00:00.000Z');
  const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
  const HOUR = 3_600_000;

  const closedBefore: Window = { quantity: 3, until: at(-1) }; // closed 1 ms ago
  const closingNow: Window = { quantity: 2, until: at(0) }; // closes exactly now → closed
  const openOneMs: Window = { quantity: 4, until: at(1) }; // still open for 1 ms
  const openEmpty: Window = { quantity: 0, until: at(100 * HOUR) }; // open but holds no licenses
  const openWeek: Window = { quantity: 5, until: at(167 * HOUR) }; // opened an hour ago

  describe('openWindows: windows whose end is after now and that hold licenses', () => {
    it.each<[string, Window[], Window[]]>([
      ['no windows, none open', [], []],
      ['a window closing 1 ms from now is open', [openOneMs], [openOneMs]],
      ['a window closing exactly now is closed', [closingNow], []],
      ['a window that closed 1 ms ago is closed', [closedBefore], []],
      ['an open window with 0 licenses is not listed', [openEmpty], []],
      ['a mix keeps only the open ones, in input order', [openWeek, closedBefore, closingNow, openEmpty, openOneMs], [openWeek, openOneMs]],
    ])('%s', (_rule, windows, expected) => {
      expect(openWindows(windows, NOW)).toEqual(expected);
    });
  });

  describe('lowerableNow: the licenses sitting in open windows', () => {
    it.each<[string, Window[], number]>([
      ['nothing without windows', [], 0],
      ['nothing from a window that closed exactly now', [closingNow], 0],
      ['nothing from windows that closed before', [closedBefore, closingNow], 0],
      ['all of a window still open for 1 ms', [openOneMs], 4],
      ['the sum of all open windows: 4 + 5', [openOneMs, openWeek], 9],
      ['only the open windows count: 4 + 5 (not 3 + 2 closed)', [closedBefore, closingNow, openOneMs, openEmpty, openWeek], 9],
    ])('%s', (_rule, windows, expected) => {
      expect(lowerableNow(windows, NOW)).toBe(expected);
    });
  });

  describe('consumeWindows: lowering takes licenses from the newest window first', () => {
    const oldest: Window = { quantity: 3, until: at(1 * HOUR) };
    const middle: Window = { quantity: 2, until: at(100 * HOUR) };
    const newest: Window = { quantity: 4, until: at(167 * HOUR) };
    const closed: Window = { quantity: 5, until: at(-HOUR) };
    // Given out of order, with a closed window: 3 + 2 + 4 = 9 lowerable.
    const windows = [newest, closed, oldest, middle];

    it.each<[string, number, Window[]]>([
      ['taking none keeps the open windows, oldest first, without the closed one', 0, [oldest, middle, newest]],
      ['taking 3 leaves 1 in the newest window', 3, [oldest, middle, { quantity: 1, until: newest.until }]],
      ['taking 4 empties the newest window, which is dropped', 4, [oldest, middle]],
      ['taking 5 empties the newest and takes 1 from the middle one', 5, [oldest, { quantity: 1, until: middle.until }]],
      ['taking 6 empties the newest and middle windows', 6, [oldest]],
      ['taking 8 leaves 1 in the oldest window', 8, [{ quantity: 1, until: oldest.until }]],
      ['taking all 9 leaves no windows', 9, []],
    ])('%s', (_rule, count, expected) => {
      expect(consumeWindows(windows, count, NOW)).toEqual(expected);
    });

    it.each<[string, Window[], number, string]>([
      ['asking one more than the open windows hold', windows, 10, 'Only 9 of 10 licenses are inside open windows'],
      ['licenses of a closed window do not count', [closed], 1, 'Only 0 of 1 licenses are inside open windows'],
      ['a window closing exactly now does not count', [closingNow, oldest], 4, 'Only 3 of 4 licenses are inside open windows'],
      ['no windows at all', [], 1, 'Only 0 of 1 licenses are inside open windows'],
    ])('throws when %s', (_rule, given, count, message) => {
      expect(() => consumeWindows(given, count, NOW)).toThrow(message);
    });

    it('leaves the windows it was given untouched', () => {
      const given = windows.map((w) => ({ ...w }));
      consumeWindows(given, 5, NOW);
      expect(given).toEqual(windows);
    });
  });

  describe("cancellationWindowOf: the one rule for the window new licenses open (the product's hours from when they were added)", () => {
    const FROM = '2027-03-01T12:00:00.000Z';
    it.each<[string, { cancellationWindowHours?: number } | undefined, number, string | undefined, Window[]]>([
      ['168 hours close exactly a week later', { cancellationWindowHours: 168 }, 5, undefined, [{ quantity: 5, until: '2027-03-08T12:00:00.000Z' }]],
      ['24 hours close a day later (the product, not a default)', { cancellationWindowHours: 24 }, 3, undefined, [{ quantity: 3, until: '2027-03-02T12:00:00.000Z' }]],
      ['72 hours cross a month end', { cancellationWindowHours: 72 }, 1, undefined, [{ quantity: 1, until: '2027-03-04T12:00:00.000Z' }]],
      ['a year of hours (8760) closes 365 days later', { cancellationWindowHours: 8760 }, 2, undefined, [{ quantity: 2, until: '2028-02-29T12:00:00.000Z' }]],
      ['an order id tags the window', { cancellationWindowHours: 24 }, 4, 'ord_1', [{ quantity: 4, until: '2027-03-02T12:00:00.000Z', orderId: 'ord_1' }]],
      ['a product without a window (0 hours) opens none', { cancellationWindowHours: 0 }, 5, 'ord_1', []],
      ['an unknown product opens none', undefined, 5, undefined, []],
      ['a product without the field opens none', {}, 5, undefined, []],
      ['no licenses added opens none', { cancellationWindowHours: 168 }, 0, undefined, []],
    ])('%s', (_rule, product, quantity, orderId, expected) => {
      expect(cancellationWindowOf(product, FROM, quantity, orderId)).toEqual(expected);
    });

    it('counts from the given moment, not from now', () => {
      expect(cancellationWindowOf({ cancellationWindowHours: 1 }, '2030-01-01T00:00:00.000Z', 1)).toEqual([{ quantity: 1, until: '2030-01-01T01:00:00.000Z' }]);
    });
  });

  describe('nextWindowOpens: the day after currentTermEnd (the renewal)', () => {
    it.each<[string, string, string]>([
      ['a mid-month term end (docs/product.md#scheduled-jobs monthly example)', '2027-02-09', '2027-02-10'],
      ['an annual term end (docs/product.md#scheduled-jobs annual example)', '2028-01-09', '2028-01-10'],
      ['the end of a 31-day month', '2027-01-31', '2027-02-01'],
      ['the end of a 30-day month', '2027-04-30', '2027-05-01'],
      ['the end of the year', '2027-12-31', '2028-01-01'],
      ['Feb 28 of a common year goes to Mar 1', '2027-02-28', '2027-03-01'],
      ['Feb 28 of a leap year goes to the leap day', '2028-02-28', '2028-02-29'],
      ['the leap day goes to Mar 1', '2028-02-29', '2028-03-01'],
      ['the clamped term end of a Jan 31 monthly term (02-27) opens on the second period start', '2027-02-27', '2027-02-28'],
    ])('%s: %s → %s', (_rule, currentTermEnd, opens) => {
      expect(nextWindowOpens(currentTermEnd)).toBe(opens);
    });
  });
});

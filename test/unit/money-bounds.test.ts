import { MAX_PRICE, MAX_QUANTITY, MAX_TERM_MONTHS, sum, times } from '../../functions/domain/money.ts';

/**
 * docs/product.md#api-conventions: "no value can exceed what totals can hold (prices and quantities are bounded so that
 * price × maximum quantity × 36 months stays a safe integer)".
 */
describe('the bounds on prices and quantities', () => {
  it('keep price × maximum quantity × 36 months a safe integer', () => {
    expect(MAX_TERM_MONTHS).toBe(36);
    expect(Number.isSafeInteger(MAX_PRICE * MAX_QUANTITY * MAX_TERM_MONTHS)).toBe(true);
    expect(times({ amount: MAX_PRICE, currency: 'EUR' }, MAX_QUANTITY * MAX_TERM_MONTHS).amount).toBe(MAX_PRICE * MAX_QUANTITY * MAX_TERM_MONTHS);
  });

  it('keep an order of 20 lines at the largest price and quantity a safe integer', () => {
    const line = times({ amount: MAX_PRICE, currency: 'EUR' }, MAX_QUANTITY);
    expect(sum(Array.from({ length: 20 }, () => line), 'EUR').amount).toBe(20 * MAX_PRICE * MAX_QUANTITY);
  });

  it('refuse a total that is not a safe integer instead of rounding it', () => {
    expect(() => times({ amount: Number.MAX_SAFE_INTEGER, currency: 'EUR' }, 2)).toThrow(/integer minor units/);
  });
});

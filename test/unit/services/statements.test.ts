export {};

const { previousMonth, statementLine } = await import('#services/statements.ts');

/** services/statements.ts: the month a statement covers, and a customer line as the reseller owes it. */
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const sold = { number: 'INV-000004', accountId: 'acc_c', buyer: { accountId: 'acc_c', name: 'Contoso' } };

describe('a reseller statement', () => {
  it('covers the whole month before the 1st it is issued on, leap years included', () => {
    expect(previousMonth('2028-03-01')).toEqual({ month: '2028-02', from: '2028-02-01T00:00:00.000Z', to: '2028-03-01T00:00:00.000Z', start: '2028-02-01', end: '2028-02-29' });
    expect(previousMonth('2027-01-01')).toMatchObject({ month: '2026-12', start: '2026-12-01', end: '2026-12-31' });
  });

  it('owes a full-price line at the reseller price, exactly', () => {
    const line = statementLine(sold, { description: 'Backup (P1Y)', quantity: 5, unitPrice: eur(2639), amount: eur(13195), chain: { cost: eur(1999), resellerPrice: eur(2199), sell: eur(2639) } });
    expect(line).toMatchObject({ quantity: 5, unitPrice: eur(2199), amount: eur(10995), chain: { cost: eur(1999), sell: eur(2199) } });
    expect(line.description).toBe('INV-000004 · Contoso · Backup (P1Y)');
  });

  it('prorates a prorated line and a credit alike, rounded half-up', () => {
    // 2 licenses for 26 of 31 days at 2639: 4427 (2 × 2639 × 26/31 = 4426.8); the reseller's share 4427 × 2199/2639 = 3688.8.
    expect(statementLine(sold, { description: 'raise', quantity: 2, unitPrice: eur(2639), amount: eur(4427), chain: { resellerPrice: eur(2199), sell: eur(2639) } }).amount).toEqual(eur(3689));
    expect(statementLine(sold, { description: 'credit', quantity: 2, unitPrice: eur(2639), amount: eur(-4427), chain: { resellerPrice: eur(2199), sell: eur(2639) } }).amount).toEqual(eur(-3689));
  });

  it('owes a line sold without a reseller price at the customer price', () => {
    expect(statementLine(sold, { description: 'x', quantity: 1, unitPrice: eur(2500), amount: eur(2500) }).amount).toEqual(eur(2500));
  });
});

import { DEFAULT_GRACE_DAYS, cancelsNow, graceAction, graceDays, graceDaysOf } from '#domain/grace.ts';

/** The date rules of not paying (domain/grace.ts, docs/product.md#billing "Not paying"). */
describe('grace days', () => {
  it.each([
    [30, '2027-01-27', '2027-02-19', '2027-02-26'],
    [10, '2027-01-27', '2027-01-30', '2027-02-06'],
    [8, '2027-01-27', '2027-01-28', '2027-02-04'],
    [7, '2027-01-27', '2027-01-28', '2027-02-03'],
    [2, '2027-01-27', '2027-01-28', '2027-01-29'],
    [365, '2027-12-30', '2028-12-22', '2028-12-29'],
    [30, '2028-02-10', '2028-03-04', '2028-03-11'],
  ])('a grace of %i days from %s: warned on %s, cancelled on %s', (grace, from, warnOn, cancelOn) => {
    expect(graceDays(from, grace)).toEqual({ warnOn, cancelOn });
  });

  it('has no day left for a warning with a grace of 1 day (the suspension email said it)', () => {
    expect(graceDays('2027-01-31', 1)).toEqual({ cancelOn: '2027-02-01' });
  });

  it('defaults to 30 days for an account without the setting', () => {
    expect(DEFAULT_GRACE_DAYS).toBe(30);
    expect(graceDaysOf({})).toBe(30);
    expect(graceDaysOf({ suspensionGraceDays: 12 })).toBe(12);
  });

  it.each([
    [{ status: 'overdue', graceStep: 'warn', graceOn: '2027-02-19' }, '2027-02-19', 'warn'],
    [{ status: 'overdue', graceStep: 'cancel', graceOn: '2027-02-26' }, '2027-02-26', 'cancel'],
    [{ status: 'paid', graceStep: 'cancel', graceOn: '2027-02-26' }, '2027-02-26', 'drop'],
    [{ status: 'void', graceStep: 'warn', graceOn: '2027-02-19' }, '2027-02-19', 'drop'],
    [{ status: 'overdue', graceStep: 'cancel', graceOn: '2027-02-26' }, '2027-02-25', 'drop'],
  ])('an invoice %j on %s: %s', (invoice, day, action) => {
    expect(graceAction(invoice, day)).toBe(action);
  });

  it('cancels only a subscription still suspended whose day has come', () => {
    expect(cancelsNow({ status: 'suspended', cancelsOn: '2027-02-26' }, '2027-02-26')).toBe(true);
    expect(cancelsNow({ status: 'suspended', cancelsOn: '2027-02-26' }, '2027-02-25')).toBe(false);
    expect(cancelsNow({ status: 'active', cancelsOn: '2027-02-26' }, '2027-02-26')).toBe(false);
    expect(cancelsNow({ status: 'suspended' }, '2027-02-26')).toBe(false);
  });
});

import { dueDate } from '#domain/billing.ts';

/** docs/product.md#billing: due on the 26th of the month of issue, or of the next month from the 26th on. */
describe('dueDate', () => {
  it.each([
    ['2027-01-10T09:00:00Z', '2027-01-26'],
    ['2027-01-01T00:00:00Z', '2027-01-26'],
    ['2027-01-25T23:59:59Z', '2027-01-26'],
    ['2027-01-26T00:00:00Z', '2027-02-26'],
    ['2027-01-31T12:00:00Z', '2027-02-26'],
    ['2027-12-26T08:00:00Z', '2028-01-26'],
    ['2027-12-31T23:59:59Z', '2028-01-26'],
    ['2028-02-29T10:00:00Z', '2028-03-26'],
  ])('an invoice issued %s is due %s', (issued, due) => {
    expect(dueDate(new Date(issued))).toBe(due);
  });
});

import { call, login, staffLogin, unique } from './api.ts';
import { createCustomer, createProduct, makeOrderBody } from '../factories/index.ts';

/**
 * Gapless invoice numbers per seller under concurrency (docs/commerce.md "Invoice numbers are
 * gapless per seller"): orders placed at once for a reseller's customers take its numbers 1…n,
 * each once, none skipped, while another seller's series is untouched by them.
 */
describe('invoice numbers under concurrency', () => {
  it('gives concurrent orders of one seller each its own number, with no gap', async () => {
    const staff = await staffLogin();
    const product = await createProduct(staff);
    const offerId = product.offers[0]!.id;
    const r = await createCustomer(staff, { type: 'reseller' });
    const token = await login(r.login, r.password);
    // One buyer per order: a customer's first orders at once would race on its agreement, which is not what is tested here.
    const N = 8;
    const buyers = await Promise.all(Array.from({ length: N }, () => createCustomer(token)));
    const placed = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        call('POST', `/v1/accounts/${buyers[i]!.account.id}/orders`, {
          token,
          headers: { 'idempotency-key': unique('order') },
          body: makeOrderBody(offerId, { lines: [{ offerId, quantity: 1 }] }),
        }),
      ),
    );
    expect(placed.map((p) => [p.status, p.status === 201 ? '' : JSON.stringify(p.body)])).toEqual(Array(N).fill([201, '']));
    const invoices = await Promise.all(placed.map((p) => call('GET', `/v1/invoices/${p.body.invoiceId}`, { token })));
    expect(invoices.every((i) => i.body.seller.accountId === r.account.id)).toBe(true);
    const numbers = invoices.map((i) => i.body.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: N }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`));
  }, 60_000);
});

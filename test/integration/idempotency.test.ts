import { scaled } from './scale.ts';
import { call, staffLogin, unique, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';

/** SPEC §4.1 Idempotency-Key on POST /v1/accounts/{id}/orders. */
describe('Idempotency-Key on staff orders', () => {
  let staff: string;
  let offerId: string;
  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });

  const countOrders = async (accountId: string) => (await call('GET', `/v1/orders?accountId=${accountId}&limit=100`, { token: staff })).body.items.length;

  it('answers the same key and body with the first order, another body with 422, and no key with 400', async () => {
    const customer = await createCustomer(staff);
    const key = unique('idem');
    const body = makeOrderBody(offerId);
    const first = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const again = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.number).toBe(first.body.number);

    const other = await call('POST', `/v1/accounts/${customer.account.id}/orders`, {
      token: staff,
      body: { ...body, lines: [{ offerId, quantity: 9 }] },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');

    const none = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: makeOrderBody(offerId) });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('validation_failed');
    expect(await countOrders(customer.account.id)).toBe(1);
    await waitOrder(first.body.id);
  });

  const BURST = scaled(20, 100);
  it(`makes one order from ${BURST} parallel requests with one key`, async () => {
    const customer = await createCustomer(staff);
    const key = unique('burst');
    const body = makeOrderBody(offerId);
    const replies = await Promise.all(
      Array.from({ length: BURST }, () =>
        call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': key } }),
      ),
    );
    const created = replies.filter((r) => r.status === 201);
    const inProgress = replies.filter((r) => r.status === 409);
    expect(created.length + inProgress.length).toBe(BURST);
    for (const r of inProgress) expect(r.body.error.code).toBe('idempotency_in_progress');
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(await countOrders(customer.account.id)).toBe(1);
  });
});

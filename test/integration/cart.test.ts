import { scaled } from './scale.ts';
import { call, login, staffLogin, unique } from './api.ts';
import { addCard, agreement, company, createCustomer, createProduct } from '../factories/index.ts';

/**
 * The cart under concurrency (docs/product.md#catalog-and-cart, docs/product.md#quality-bars): parallel adds never write two lines for one offer,
 * never lose a quantity and never pass the 20-line limit; a line that was removed or checked out
 * is not put back by a late change.
 */
const MAX_LINES = 20;

type Reply = Awaited<ReturnType<typeof call>>;
const add = (token: string, offerId: string, quantity = 1) => call('POST', '/v1/cart/items', { token, body: { offerId, quantity } });
const cart = async (token: string) => (await call('GET', '/v1/cart', { token })).body as { items: Array<{ id: string; offerId: string; quantity: number; version: number }> };
const statuses = (replies: Reply[]) => replies.map((r) => r.status).sort((a, b) => a - b);

describe('cart under concurrency', () => {
  let staff: string;
  /** Offers of this file's own products: more than a cart may hold. */
  let offers: string[];
  let maxQuantity: number;

  beforeAll(async () => {
    staff = await staffLogin();
    const products = await Promise.all(Array.from({ length: 9 }, () => createProduct(staff)));
    offers = products.flatMap((p) => p.offers.map((o) => o.id));
    maxQuantity = products[0]!.maxQuantity;
  });

  async function customerAdmin() {
    const c = await createCustomer(staff);
    return { c, admin: await login(c.login, c.password) };
  }

  it('gives a line a version: a change whose If-Match names an older one is refused (412) and the quantity kept', async () => {
    const { admin } = await customerAdmin();
    const line = (await add(admin, offers[0]!, 2)).body;
    expect(line.version).toBe(1);
    const changed = await call('PATCH', `/v1/cart/items/${line.id}`, { token: admin, headers: { 'if-match': '"1"' }, body: { quantity: 3 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ quantity: 3, version: 2 });
    expect(changed.headers.get('etag')).toBe('"2"');
    const stale = await call('PATCH', `/v1/cart/items/${line.id}`, { token: admin, headers: { 'if-match': '"1"' }, body: { quantity: 7 } });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('precondition_failed');
    expect((await cart(admin)).items).toEqual([expect.objectContaining({ id: line.id, quantity: 3, version: 2 })]);
  });

  const PARALLEL = scaled(12, 60);
  it(`makes one line of ${PARALLEL} parallel adds of one offer and keeps every unit`, async () => {
    const { admin } = await customerAdmin();
    const replies = await Promise.all(Array.from({ length: PARALLEL }, () => add(admin, offers[0]!, 2)));
    expect(statuses(replies)).toEqual([...Array<number>(PARALLEL - 1).fill(200), 201]);
    const lines = (await cart(admin)).items;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ offerId: offers[0], quantity: 2 * PARALLEL });
    // Every answer names the same line.
    expect(new Set(replies.map((r) => r.body.id))).toEqual(new Set([lines[0]!.id]));
  });

  it(`never holds more than ${MAX_LINES} offers, however many are added at once; checkout and removal free their places`, async () => {
    expect(offers.length).toBeGreaterThan(MAX_LINES + 5);
    const { c, admin } = await customerAdmin();
    const replies = await Promise.all(offers.map((o) => add(admin, o)));
    const added = replies.filter((r) => r.status === 201);
    const full = replies.filter((r) => r.status === 422);
    expect(added).toHaveLength(MAX_LINES);
    expect(full).toHaveLength(offers.length - MAX_LINES);
    expect(new Set(full.map((r) => r.body.error.code))).toEqual(new Set(['cart_full']));
    const lines = (await cart(admin)).items;
    expect(lines.map((l) => l.id).sort()).toEqual(added.map((r) => r.body.id).sort());

    // A removal frees exactly one place.
    const refusedOffers = offers.filter((o) => !lines.some((l) => l.offerId === o));
    expect((await call('DELETE', `/v1/cart/items/${lines[0]!.id}`, { token: admin })).status).toBe(204);
    expect(statuses(await Promise.all(refusedOffers.slice(0, 2).map((o) => add(admin, o))))).toEqual([201, 422]);

    // Checking the 20 lines out frees all 20 places at once.
    const pm = await addCard(admin, c.account.id);
    const placed = await call('POST', '/v1/cart/checkout', {
      token: admin,
      headers: { 'idempotency-key': unique('co') },
      body: { domain: { mode: 'create', prefix: unique('cart').toLowerCase(), company }, paymentMethodId: pm, customerAgreement: agreement },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.lines).toHaveLength(MAX_LINES);
    expect((await cart(admin)).items).toEqual([]);
    const again = await Promise.all(offers.map((o) => add(admin, o)));
    expect(again.filter((r) => r.status === 201)).toHaveLength(MAX_LINES);
    expect(again.filter((r) => r.status === 422)).toHaveLength(offers.length - MAX_LINES);
  });

  it('refuses an add that would take a line past the product maximum and leaves the line as it was', async () => {
    const { admin } = await customerAdmin();
    expect((await add(admin, offers[1]!, maxQuantity - 1)).status).toBe(201);
    const replies = await Promise.all([add(admin, offers[1]!, 1), add(admin, offers[1]!, 1), add(admin, offers[1]!, 1)]);
    expect(statuses(replies)).toEqual([200, 422, 422]);
    expect(replies.filter((r) => r.status === 422).map((r) => r.body.error.code)).toEqual(['quantity_out_of_range', 'quantity_out_of_range']);
    expect((await cart(admin)).items).toEqual([expect.objectContaining({ offerId: offers[1], quantity: maxQuantity })]);
  });

  it('does not put back a line that was removed or checked out', async () => {
    const { c, admin } = await customerAdmin();
    const line = (await add(admin, offers[2]!, 3)).body;
    expect((await call('DELETE', `/v1/cart/items/${line.id}`, { token: admin })).status).toBe(204);
    expect((await call('DELETE', `/v1/cart/items/${line.id}`, { token: admin })).status).toBe(404);
    expect((await call('PATCH', `/v1/cart/items/${line.id}`, { token: admin, body: { quantity: 5 } })).status).toBe(404);
    expect((await cart(admin)).items).toEqual([]);

    const kept = (await add(admin, offers[3]!, 4)).body;
    const pm = await addCard(admin, c.account.id);
    const [placed, late] = await Promise.all([
      call('POST', '/v1/cart/checkout', {
        token: admin,
        headers: { 'idempotency-key': unique('co') },
        body: { domain: { mode: 'create', prefix: unique('cart').toLowerCase(), company }, paymentMethodId: pm, customerAgreement: agreement },
      }),
      call('PATCH', `/v1/cart/items/${kept.id}`, { token: admin, body: { quantity: 9 } }),
    ]);
    const after = (await cart(admin)).items;
    if (placed.status === 201) {
      // The checkout won: the late change finds no line, or it changed the line before the
      // checkout read it and the order has 9.
      expect(after).toEqual([]);
      expect(late.status === 404 || (late.status === 200 && placed.body.lines[0].quantity === 9)).toBe(true);
      if (late.status === 404) expect(placed.body.lines[0].quantity).toBe(4);
    } else {
      // The change landed between the checkout's read and its transaction: nothing ordered, the
      // line stays with the new quantity.
      expect(placed.status).toBe(409);
      expect(late.status).toBe(200);
      expect(after).toEqual([expect.objectContaining({ id: kept.id, quantity: 9 })]);
    }
  });
});

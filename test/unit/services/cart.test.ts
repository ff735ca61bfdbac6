import type { AddOutcome, CartItem } from '#data/cart.ts';
import type { Offer, Product } from '#data/catalog.ts';
import { NotFound, PreconditionFailed } from '#platform/errors.ts';
import { callerOf, fakeWorld, NOW } from './fake-people.ts';

const { makeCartService } = await import('#services/cart.ts');
const { catalogPricer } = await import('./fake-pricing.ts');

/** The cart service over an in-memory cart (one line per offer, 20 lines at most) and catalog. */
function setUp() {
  const world = fakeWorld();
  const channel = world.add.channel();
  const lines = new Map<string, CartItem>();
  const key = (userId: string, id: string) => `${userId}/${id}`;
  const at = NOW.toISOString();
  const offer = (id: string, productId: string, currency = 'EUR'): Offer => ({ id, productId, term: 'P1Y', billingPeriod: 'annual', price: { amount: 7200, currency } });
  const product = (id: string, status: Product['status'] = 'active'): Product => ({
    id,
    sku: id,
    name: 'Microsoft 365 Business Basic',
    description: 'd',
    category: 'productivity',
    vendor: 'Microsoft',
    requiresTenant: true,
    minQuantity: 1,
    maxQuantity: 10,
    cancellationWindowHours: 168,
    status,
    offers: [],
    createdAt: at,
    version: 1,
  });
  const products = new Map([['prd_A', product('prd_A')], ['prd_R', product('prd_R', 'retired')]]);
  const offers = new Map([
    ['ofr_A', offer('ofr_A', 'prd_A')],
    ['ofr_USD', offer('ofr_USD', 'prd_A', 'USD')],
    ['ofr_R', offer('ofr_R', 'prd_R')],
  ]);
  const cart = {
    async cartItems(userId: string) {
      return [...lines.values()].filter((l) => l.userId === userId);
    },
    async getCartItem(userId: string, id: string) {
      return lines.get(key(userId, id));
    },
    async addToCart(input: { userId: string; accountId: string; offerId: string; quantity: number; maxQuantity: number }): Promise<AddOutcome> {
      const id = `itm_${input.offerId}`;
      const existing = lines.get(key(input.userId, id));
      if (existing) {
        if (existing.quantity + input.quantity > input.maxQuantity) return { kind: 'too_many' };
        existing.quantity += input.quantity;
        existing.version += 1;
        return { kind: 'added', item: { ...existing }, created: false };
      }
      if ((await this.cartItems(input.userId)).length >= 20) return { kind: 'full' };
      const item = { userId: input.userId, id, accountId: input.accountId, offerId: input.offerId, quantity: input.quantity, createdAt: at, updatedAt: at, version: 1 };
      lines.set(key(input.userId, id), item);
      return { kind: 'added', item: { ...item }, created: true };
    },
    async setCartItemQuantity(userId: string, id: string, quantity: number, ifMatch?: number) {
      const l = lines.get(key(userId, id));
      if (!l) throw new NotFound();
      if (ifMatch !== undefined && l.version !== ifMatch) throw new PreconditionFailed(l.version);
      Object.assign(l, { quantity, version: l.version + 1 });
      return { ...l };
    },
    async removeCartItem(userId: string, id: string) {
      if (!lines.delete(key(userId, id))) throw new NotFound();
    },
  };
  const catalog = { getOffer: async (id: string) => offers.get(id), getProduct: async (id: string) => products.get(id) };
  const service = makeCartService({ accounts: world.accountRepo, cart, catalog, pricer: catalogPricer(), clock: { nowIso: () => NOW.toISOString() } });
  return { world, channel, service, lines, products, admin: callerOf(channel.customerAdmin) };
}

describe('the cart', () => {
  it('adds to the line of an offer already in the cart, answering created only the first time', async () => {
    const t = setUp();
    expect((await t.service.add(t.admin, { offerId: 'ofr_A', quantity: 2 })).created).toBe(true);
    const again = await t.service.add(t.admin, { offerId: 'ofr_A', quantity: 3 });
    expect(again).toMatchObject({ created: false, item: { quantity: 5 }, lineTotal: { amount: 36000, currency: 'EUR' } });
    expect(t.lines.size).toBe(1);
  });

  it("refuses a quantity outside the product's limits, alone or with what the line already holds (422 quantity_out_of_range)", async () => {
    const t = setUp();
    await expect(t.service.add(t.admin, { offerId: 'ofr_A', quantity: 11 })).rejects.toMatchObject({ status: 422, code: 'quantity_out_of_range', details: [{ path: 'quantity', min: 1, max: 10 }] });
    await t.service.add(t.admin, { offerId: 'ofr_A', quantity: 8 });
    await expect(t.service.add(t.admin, { offerId: 'ofr_A', quantity: 3 })).rejects.toMatchObject({ status: 422, code: 'quantity_out_of_range' });
  });

  it('refuses a retired product (offer_unavailable) and an offer priced in another currency than the account (currency_mismatch)', async () => {
    const t = setUp();
    await expect(t.service.add(t.admin, { offerId: 'ofr_R', quantity: 1 })).rejects.toMatchObject({ status: 422, code: 'offer_unavailable' });
    await expect(t.service.add(t.admin, { offerId: 'ofr_USD', quantity: 1 })).rejects.toMatchObject({ status: 422, code: 'currency_mismatch' });
    expect(t.lines.size).toBe(0);
  });

  it('reads a line whose product was retired since as unavailable and leaves it out of the total', async () => {
    const t = setUp();
    await t.service.add(t.admin, { offerId: 'ofr_A', quantity: 2 });
    t.products.get('prd_A')!.status = 'retired';
    const read = await t.service.read(t.admin);
    expect(read.lines).toEqual([expect.objectContaining({ available: false, lineTotal: undefined })]);
    expect(read.total).toEqual({ amount: 0, currency: 'EUR' });
  });

  it("answers 404 for another user's line before any role check, and leaves it alone", async () => {
    const t = setUp();
    const line = await t.service.add(t.admin, { offerId: 'ofr_A', quantity: 2 });
    const other = callerOf(t.world.add.user(t.channel.customer, { role: 'user' }));
    await expect(t.service.changeQuantity(other, line.item.id, 5)).rejects.toMatchObject({ status: 404 });
    await expect(t.service.remove(other, line.item.id)).rejects.toMatchObject({ status: 404 });
    expect(t.lines.size).toBe(1);
  });

  it('passes If-Match down to the change: a stale version is a 412', async () => {
    const t = setUp();
    const line = await t.service.add(t.admin, { offerId: 'ofr_A', quantity: 2 });
    await t.service.changeQuantity(t.admin, line.item.id, 3, 1);
    await expect(t.service.changeQuantity(t.admin, line.item.id, 4, 1)).rejects.toMatchObject({ status: 412 });
    expect([...t.lines.values()][0]!.quantity).toBe(3);
  });

  it('keeps staff out of carts (403)', async () => {
    const t = setUp();
    await expect(t.service.read(callerOf(t.channel.resellerAdmin))).rejects.toMatchObject({ status: 403 });
  });
});

import type { Offer, Product } from '#data/catalog.ts';
import { callerOf, fakePasswords, fakeWorld, NOW } from './fake-people.ts';

const { makeAccountService } = await import('#services/accounts.ts');
const { makeCartService } = await import('#services/cart.ts');
const { catalogPricer } = await import('./fake-pricing.ts');

/**
 * Self-service over in-memory repositories (docs/product.md#self-service-subscriptions): who keeps
 * an account's product list and what it may hold (services/accounts.ts), and what a customer
 * `user` may put in its cart (services/cart.ts).
 */
const at = NOW.toISOString();
const product = (id: string, name: string): Product => ({
  id,
  sku: id,
  name,
  description: 'd',
  category: 'productivity',
  vendor: 'Microsoft',
  requiresTenant: true,
  minQuantity: 1,
  maxQuantity: 10,
  cancellationWindowHours: 168,
  status: 'active',
  offers: [],
  createdAt: at,
  version: 1,
});
const offer = (id: string, productId: string): Offer => ({ id, productId, term: 'P1Y', billingPeriod: 'annual', price: { amount: 7200, currency: 'EUR' } });
const products = new Map([
  ['prd_TEAMS', product('prd_TEAMS', 'Teams Essentials')],
  ['prd_BASIC', product('prd_BASIC', 'Business Basic')],
]);
const offers = new Map([
  ['ofr_TEAMS', offer('ofr_TEAMS', 'prd_TEAMS')],
  ['ofr_BASIC', offer('ofr_BASIC', 'prd_BASIC')],
]);
const catalog = { getOffer: async (id: string) => offers.get(id), getProduct: async (id: string) => products.get(id) };

function setUp(settings: { allowSelfServicePurchases: boolean; selfServiceProducts?: string[] } = { allowSelfServicePurchases: true }) {
  const world = fakeWorld();
  const channel = world.add.channel();
  Object.assign(channel.customer.settings, settings);
  const user = world.add.user(channel.customer, { role: 'user' });
  const audit = { listAuditEvents: async () => ({ items: [], nextCursor: null }) };
  const accounts = makeAccountService({ accounts: world.accountRepo, audit, hashPassword: fakePasswords.hash, catalog });
  const added: Array<{ userId: string; offerId: string }> = [];
  const cart = makeCartService({
    accounts: world.accountRepo,
    cart: {
      cartItems: async () => [],
      getCartItem: async () => undefined,
      addToCart: async (input) => {
        added.push({ userId: input.userId, offerId: input.offerId });
        return { kind: 'added', created: true, item: { ...input, id: `itm_${input.offerId}`, createdAt: at, updatedAt: at, version: 1 } };
      },
      setCartItemQuantity: async () => {
        throw new Error('not used');
      },
      removeCartItem: async () => undefined,
    },
    catalog,
    pricer: catalogPricer(),
    clock: { nowIso: () => at },
  });
  return { world, channel, accounts, cart, added, admin: callerOf(channel.customerAdmin), user: callerOf(user) };
}

describe('the self-service product list', () => {
  it('is kept by the customer\'s own admins (each product once), while every other setting stays the parent\'s', async () => {
    const t = setUp();
    const edited = await t.accounts.edit(t.admin, t.channel.customer.id, { settings: { selfServiceProducts: ['prd_TEAMS', 'prd_TEAMS', 'prd_BASIC'] } });
    expect(edited.settings.selfServiceProducts).toEqual(['prd_TEAMS', 'prd_BASIC']);
    await expect(t.accounts.edit(t.admin, t.channel.customer.id, { settings: { selfServiceProducts: [], orderProcessing: 'manual' } })).rejects.toMatchObject({ status: 403 });
    await expect(t.accounts.edit(t.user, t.channel.customer.id, { settings: { selfServiceProducts: [] } })).rejects.toMatchObject({ status: 403 });
    expect(t.world.accounts.get(t.channel.customer.id)!.settings).toMatchObject({ selfServiceProducts: ['prd_TEAMS', 'prd_BASIC'], orderProcessing: 'automatic' });
  });

  it('refuses products not in the catalog (422 unknown_product at their index) and a list on a reseller (not_a_customer)', async () => {
    const t = setUp();
    await expect(t.accounts.edit(t.admin, t.channel.customer.id, { settings: { selfServiceProducts: ['prd_TEAMS', 'prd_GONE'] } })).rejects.toMatchObject({
      status: 422,
      code: 'unknown_product',
      details: [{ path: 'settings.selfServiceProducts.1', productId: 'prd_GONE' }],
    });
    const distributorAdmin = callerOf(t.channel.distributorAdmin);
    await expect(t.accounts.edit(distributorAdmin, t.channel.reseller.id, { settings: { selfServiceProducts: [] } })).rejects.toMatchObject({ status: 422, code: 'not_a_customer' });
    expect(t.world.accounts.get(t.channel.customer.id)!.settings.selfServiceProducts).toBeUndefined();
  });

  it('is set by staff above too', async () => {
    const t = setUp();
    const edited = await t.accounts.edit(callerOf(t.channel.resellerAdmin), t.channel.customer.id, { settings: { selfServiceProducts: ['prd_BASIC'] } });
    expect(edited.settings.selfServiceProducts).toEqual(['prd_BASIC']);
  });
});

describe('a customer user\'s cart', () => {
  it.each([
    ['self-service on, no list', 'added', { allowSelfServicePurchases: true }, 'ofr_BASIC'],
    ['self-service on, the product listed', 'added', { allowSelfServicePurchases: true, selfServiceProducts: ['prd_BASIC'] }, 'ofr_BASIC'],
    ['self-service on, the product not listed', 'not_self_service_product', { allowSelfServicePurchases: true, selfServiceProducts: ['prd_TEAMS'] }, 'ofr_BASIC'],
    ['self-service off', 'forbidden', { allowSelfServicePurchases: false, selfServiceProducts: ['prd_BASIC'] }, 'ofr_BASIC'],
  ])('%s → %s', async (_case, outcome, settings, offerId) => {
    const t = setUp(settings);
    const result = await t.cart.add(t.user, { offerId, quantity: 1 }).then(
      () => 'added',
      (err: { code: string }) => err.code,
    );
    expect(result).toBe(outcome);
    expect(t.added).toHaveLength(outcome === 'added' ? 1 : 0);
  });

  it('leaves the admins\' purchases alone whatever the list', async () => {
    const t = setUp({ allowSelfServicePurchases: true, selfServiceProducts: ['prd_TEAMS'] });
    await t.cart.add(t.admin, { offerId: 'ofr_BASIC', quantity: 1 });
    expect(t.added).toEqual([{ userId: t.admin.userId, offerId: 'ofr_BASIC' }]);
  });
});

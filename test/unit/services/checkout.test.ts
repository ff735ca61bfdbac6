import type { CartItem } from '#data/cart.ts';
import type { Order } from '#data/orders.ts';
import type { PlaceOrderInput } from '#services/orders.ts';
import type { Account } from '#data/accounts.ts';
import type { Caller } from '#platform/caller.ts';
import { AppError } from '#platform/errors.ts';
import { PaymentDeclinedError } from '#platform/payments/port.ts';
import { callerOf, fakeWorld, NOW } from './fake-people.ts';

const { makeCheckoutService } = await import('#services/checkout.ts');
const { makeOrderService } = await import('#services/orders.ts');
const { catalogPricer, fakeInvoicing, fakeNumbers } = await import('./fake-pricing.ts');

/** The checkout over an in-memory cart and a recording `placeOrder` (the orders service's own tests cover pricing and charging). */
function setUp(opts: { decline?: boolean; settings?: Partial<Account['settings']> } = {}) {
  const world = fakeWorld();
  const channel = world.add.channel();
  Object.assign(channel.customer.settings, opts.settings);
  const carts = new Map<string, CartItem[]>();
  const placed: Array<{ caller: Caller; account: Account; input: PlaceOrderInput }> = [];
  const placeOrder = async (caller: Caller, account: Account, input: PlaceOrderInput): Promise<Order> => {
    if (opts.decline) throw new AppError(402, 'payment_declined', 'The card was declined; nothing was ordered.');
    placed.push({ caller, account, input });
    // The order's own transaction empties the lines it took.
    if (input.cart) carts.set(input.cart.userId, (carts.get(input.cart.userId) ?? []).filter((i) => !input.cart!.items.some((l) => l.id === i.id)));
    return { id: 'ord_01', accountId: account.id } as Order;
  };
  const service = makeCheckoutService({ accounts: world.accountRepo, cart: { cartItems: async (userId: string) => structuredClone(carts.get(userId) ?? []) }, placeOrder });
  const put = (userId: string, offerId: string, quantity: number) => {
    const at = NOW.toISOString();
    const item: CartItem = { userId, id: `itm_${offerId.slice(4)}`, accountId: channel.customer.id, offerId, quantity, createdAt: at, updatedAt: at, version: 1 };
    carts.set(userId, [...(carts.get(userId) ?? []), item]);
  };
  return { world, channel, service, carts, placed, put };
}

const body = { domain: { mode: 'existing' as const, domainId: 'dom_01JD7C4R8T2V6X0Z3B5D7F9H1K' }, paymentMethodId: 'pm_01JD7C4R8T2V6X0Z3B5D7F9H1K' };
const requestKey = { userId: 'usr_1', route: 'POST /v1/cart/checkout', key: 'key-00000001', bodyHash: 'h' };

describe('checkout', () => {
  it('refuses an empty cart with 422 cart_empty and places nothing', async () => {
    const t = setUp();
    await expect(t.service.checkout(callerOf(t.channel.customerAdmin), body)).rejects.toMatchObject({ status: 422, code: 'cart_empty' });
    expect(t.placed).toEqual([]);
  });

  it('places one order with one line per cart item, taking those lines, under the request key', async () => {
    const t = setUp();
    const admin = t.channel.customerAdmin;
    t.put(admin.id, 'ofr_01JBAS1C00000000000000Y1AN', 12);
    t.put(admin.id, 'ofr_01JE300000000000000000Y3AN', 3);
    await t.service.checkout(callerOf(admin), body, requestKey);
    expect(t.placed).toHaveLength(1);
    const { input, account } = t.placed[0]!;
    expect(account.id).toBe(t.channel.customer.id);
    expect(input).toMatchObject({
      lines: [
        { offerId: 'ofr_01JBAS1C00000000000000Y1AN', quantity: 12 },
        { offerId: 'ofr_01JE300000000000000000Y3AN', quantity: 3 },
      ],
      domain: body.domain,
      paymentMethodId: body.paymentMethodId,
      automatic: true,
      selfService: false,
      requestKey,
    });
    expect(input.cart).toEqual({ userId: admin.id, items: [expect.objectContaining({ quantity: 12 }), expect.objectContaining({ quantity: 3 })] });
    expect(t.carts.get(admin.id)).toEqual([]);
  });

  it("follows the account's manual order processing", async () => {
    const t = setUp({ settings: { orderProcessing: 'manual' } });
    t.put(t.channel.customerAdmin.id, 'ofr_01JBAS1C00000000000000Y1AN', 1);
    await t.service.checkout(callerOf(t.channel.customerAdmin), body);
    expect(t.placed[0]!.input.automatic).toBe(false);
  });

  it('passes a declined card on as 402 and leaves the cart as it was: nothing is placed', async () => {
    const t = setUp({ decline: true });
    const admin = t.channel.customerAdmin;
    t.put(admin.id, 'ofr_01JBAS1C00000000000000Y1AN', 12);
    await expect(t.service.checkout(callerOf(admin), body)).rejects.toMatchObject({ status: 402, code: 'payment_declined' });
    expect(t.placed).toEqual([]);
    expect(t.carts.get(admin.id)).toHaveLength(1);
  });

  it('lets a customer user buy for itself only when the account allows self-service (403 otherwise)', async () => {
    const refused = setUp();
    const user = refused.world.add.user(refused.channel.customer, { role: 'user' });
    refused.put(user.id, 'ofr_01JBAS1C00000000000000Y1AN', 1);
    await expect(refused.service.checkout(callerOf(user), body)).rejects.toMatchObject({ status: 403 });
    expect(refused.placed).toEqual([]);

    const allowed = setUp({ settings: { allowSelfServicePurchases: true } });
    const buyer = allowed.world.add.user(allowed.channel.customer, { role: 'user' });
    allowed.put(buyer.id, 'ofr_01JBAS1C00000000000000Y1AN', 1);
    await allowed.service.checkout(callerOf(buyer), body);
    expect(allowed.placed[0]!.input.selfService).toBe(true);
  });

  it('refuses staff, who place orders for customers instead (403)', async () => {
    const t = setUp();
    await expect(t.service.checkout(callerOf(t.channel.resellerAdmin), body)).rejects.toMatchObject({ status: 403 });
  });
});

describe('checkout through the orders service', () => {
  /** The real placing (services/orders.ts) over fakes, with a gateway that declines every card. */
  function declining() {
    const t = setUp();
    const customer = t.channel.customer;
    customer.customerAgreement = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@contoso.example', acceptedAt: NOW.toISOString(), recordedAt: NOW.toISOString(), recordedBy: 'usr_1' };
    const written: string[] = [];
    const offer = { id: 'ofr_01JBAS1C00000000000000Y1AN', productId: 'prd_01JBAS1C0000000000000000M1', term: 'P1Y' as const, billingPeriod: 'annual' as const, price: { amount: 7200, currency: 'EUR' } };
    const product = {
      id: offer.productId, sku: 'CFQ7TTC0LH18', name: 'Microsoft 365 Business Basic', description: 'd', category: 'productivity', vendor: 'Microsoft', requiresTenant: true,
      minQuantity: 1, maxQuantity: 300, cancellationWindowHours: 168, status: 'active' as const, offers: [offer], createdAt: NOW.toISOString(), version: 1,
    };
    const orders = makeOrderService({
      accounts: t.world.accountRepo,
      orders: { insertOrder: async () => { written.push('order'); throw new Error('no order may be written'); }, nextOrderNumber: async () => 'ORD-000001' },
      invoices: fakeNumbers(),
      invoicing: fakeInvoicing(),
      catalog: { getOffer: async () => offer, getProduct: async () => product },
      domains: {
        getDomain: async (id: string) => ({ id, accountId: customer.id, parentId: customer.parentId!, rootId: customer.rootId, accountPath: customer.accountPath, domain: 'contoso.onmicrosoft.com', mode: 'create' as const, status: 'active' as const, createdAt: NOW.toISOString(), version: 1 }),
        isDomainNameHeld: async () => false,
        listDomains: async () => [],
      },
      users: { getUser: async () => undefined },
      subscriptions: { getSubscription: async () => undefined },
      linkDomain: async () => {
        throw new Error('no tenant is linked here');
      },
      paymentMethods: {
        getPaymentMethod: async (id: string) => ({ id, accountId: customer.id, parentId: customer.parentId!, rootId: customer.rootId, accountPath: customer.accountPath, type: 'card' as const, gatewayToken: 'tok_decline', brand: 'visa', last4: '0002', expMonth: 12, expYear: 2099, holderName: 'Ada Lovelace', isDefault: true, createdAt: NOW.toISOString(), version: 1 }),
      },
      charges: { recordPendingCharge: async () => void written.push('pending charge'), clearPendingCharge: async () => void written.push('pending charge cleared') },
      requestKeys: { releaseRequestKey: async () => undefined },
      payments: { refundPendingCharge: async () => true },
      gateway: () => ({ charge: async () => { throw new PaymentDeclinedError('insufficient_funds'); } }),
      domainAvailable: async () => true,
      lifecycle: { startOrFail: async () => { written.push('workflow'); return 'arn'; } },
      pricer: catalogPricer(),
      clock: { now: () => NOW, nowIso: () => NOW.toISOString() },
      newId: (kind) => `${kind}_${'0'.repeat(26)}`,
    });
    const service = makeCheckoutService({ accounts: t.world.accountRepo, cart: { cartItems: async (userId: string) => structuredClone(t.carts.get(userId) ?? []) }, placeOrder: orders.placeOrder });
    return { ...t, service, written };
  }

  it('a declined card places nothing: 402, no order written or started, the pending charge cleared and the cart kept', async () => {
    const t = declining();
    const admin = t.channel.customerAdmin;
    t.put(admin.id, 'ofr_01JBAS1C00000000000000Y1AN', 12);
    await expect(t.service.checkout(callerOf(admin), body, requestKey)).rejects.toMatchObject({ status: 402, code: 'payment_declined' });
    expect(t.written).toEqual(['pending charge', 'pending charge cleared']);
    expect(t.carts.get(admin.id)).toHaveLength(1);
  });
});

import type { Account } from '#data/accounts.ts';
import type { CartItem } from '#data/cart.ts';
import type { RuleVersion } from '#data/pricing.ts';
import type { Quote } from '#data/quotes.ts';
import { callerOf, fakeWorld, NOW } from './fake-people.ts';

const { makeOrderService, quoteChanges } = await import('#services/orders.ts');
const { makeQuoteService } = await import('#services/quotes.ts');
const { makeCartQuoteService, makeCheckoutService } = await import('#services/checkout.ts');
const { fakePricing, fakeInvoicing, fakeNumbers } = await import('./fake-pricing.ts');

/**
 * Quotes (services/quotes.ts) and an order given a quote (services/orders.ts placeOrder), over
 * in-memory price lists, tax profiles, quotes, cart, gateway and order writes: a quote prices and
 * taxes as the order would and keeps 30 minutes; an order that no longer costs what its quote said
 * is refused before any card is charged.
 */
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const DAY = NOW.toISOString().slice(0, 10);
const rule = (r: { scope: string } & Record<string, unknown>): RuleVersion => ({ ...r, effectiveFrom: DAY, createdAt: NOW.toISOString() }) as RuleVersion;

function setUp() {
  const world = fakeWorld();
  const ch = world.add.channel();
  const customer = ch.customer;
  customer.customerAgreement = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@contoso.example', acceptedAt: NOW.toISOString(), recordedAt: NOW.toISOString(), recordedBy: 'usr_1' };
  const sibling = world.add.below(ch.reseller, 'customer');
  let at = NOW.getTime();
  const clock = { now: () => new Date(at), nowIso: () => new Date(at).toISOString() };

  // The distributor sells to resellers at cost + 10 %, the reseller to its customers at + 20 %.
  const lists = [
    { owner: ch.distributor.id, audience: 'resellers' as const, currency: 'EUR', rules: [rule({ scope: 'list', markupBps: 1000 })] },
    { owner: ch.reseller.id, audience: 'customers' as const, currency: 'EUR', rules: [rule({ scope: 'list', markupBps: 2000 })] },
  ];
  const pricing = fakePricing({ lists, costs: [{ offerId: 'ofr_basic', currency: 'EUR', effectiveFrom: '2027-01-01', amount: 1999 }] });
  // The reseller is a German business: it charges its customers German VAT (19 %).
  const profiles: Record<string, { legalName: string; country: string; vatId?: string }> = { [ch.reseller.id]: { legalName: 'Reseller GmbH', country: 'DE' } };

  const offers: Record<string, any> = {
    ofr_basic: { id: 'ofr_basic', productId: 'prd_basic', term: 'P1Y', billingPeriod: 'monthly', price: eur(600) },
    // Not costed: sold at the catalog price.
    ofr_teams: { id: 'ofr_teams', productId: 'prd_teams', term: 'P1M', billingPeriod: 'monthly', price: eur(400) },
    ofr_retired: { id: 'ofr_retired', productId: 'prd_retired', term: 'P1Y', billingPeriod: 'annual', price: eur(9000) },
  };
  const products: Record<string, any> = {
    prd_basic: { id: 'prd_basic', sku: 'CFQ7TTC0LH18', name: 'Microsoft 365 Business Basic', category: 'productivity', status: 'active', minQuantity: 1, maxQuantity: 300 },
    prd_teams: { id: 'prd_teams', sku: 'TEAMS-ESS', name: 'Teams Essentials', category: 'collaboration', status: 'active', minQuantity: 1, maxQuantity: 300 },
    prd_retired: { id: 'prd_retired', sku: 'OLD', name: 'Old plan', category: 'productivity', status: 'retired', minQuantity: 1, maxQuantity: 300 },
  };
  const written: Array<Record<string, any>> = [];
  const charges: Array<{ amount: number; reference: string }> = [];
  const pending = new Set<string>();
  const stored = new Map<string, Quote>();
  const carts = new Map<string, CartItem[]>();
  let ids = 0;
  const newId = ((kind: string) => `${kind}_${++ids}`) as never;

  const orders = makeOrderService({
    accounts: world.accountRepo,
    orders: {
      nextOrderNumber: async () => 'SO-000001',
      insertOrder: async (input: any) => {
        written.push(input);
        if (input.cart) carts.set(input.cart.userId, []);
        return { ...input.order, updatedAt: input.order.createdAt, version: 1 };
      },
    },
    invoices: fakeNumbers(),
    invoicing: fakeInvoicing(profiles, { [ch.reseller.id]: ch.reseller }),
    catalog: { getOffer: async (id: string) => offers[id], getProduct: async (id: string) => products[id] } as never,
    domains: {
      getDomain: async (id: string) => (id === 'dom_mine' ? { id, accountId: customer.id, domain: 'contoso.onmicrosoft.com', status: 'active' } : undefined),
      isDomainNameHeld: async () => false,
    } as never,
    users: { getUser: async () => undefined },
    subscriptions: { getSubscription: async () => undefined },
    linkDomain: async () => {
      throw new Error('no tenant is linked here');
    },
    paymentMethods: {
      getPaymentMethod: async (id: string) => (id === 'pm_card' ? { id, accountId: customer.id, type: 'card', gatewayToken: 'tok', expYear: 2099, expMonth: 1 } : undefined),
    } as never,
    charges: { recordPendingCharge: async (c: { reference: string }) => void pending.add(c.reference), clearPendingCharge: async (r: string) => void pending.delete(r) },
    requestKeys: { releaseRequestKey: async () => undefined },
    payments: { refundPendingCharge: async () => true },
    gateway: () => ({
      charge: async (c: { amount: number; reference: string }) => {
        charges.push({ amount: c.amount, reference: c.reference });
        return { chargeId: `ch_${c.reference}` };
      },
    }) as never,
    domainAvailable: async () => true,
    lifecycle: { startOrFail: async (order: { id: string }) => `arn:${order.id}` },
    pricer: pricing.pricer,
    quotes: { getQuote: async (id: string) => structuredClone(stored.get(id)) },
    clock,
    newId,
  });
  const cart = { cartItems: async (userId: string) => structuredClone(carts.get(userId) ?? []) };
  const quotes = makeQuoteService({
    orders,
    quotes: { insertQuote: async (q: Quote) => void stored.set(q.id, structuredClone(q)) },
    clock,
    newId,
  });
  const checkout = makeCheckoutService({ accounts: world.accountRepo, cart, placeOrder: orders.placeOrder });
  const cartQuotes = makeCartQuoteService({ accounts: world.accountRepo, cart, quotes });
  const put = (userId: string, offerId: string, quantity: number) => {
    const item: CartItem = { userId, id: `itm_${offerId}`, accountId: customer.id, offerId, quantity, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), version: 1 };
    carts.set(userId, [...(carts.get(userId) ?? []), item]);
  };
  return {
    world, ch, customer, sibling, lists, profiles, orders, quotes, checkout, cartQuotes, stored, written, charges, pending, carts, put,
    staff: callerOf(ch.resellerAdmin),
    later: (ms: number) => void (at += ms),
  };
}

const LINES = [
  { offerId: 'ofr_basic', quantity: 10 },
  { offerId: 'ofr_teams', quantity: 3 },
];
const existing = { mode: 'existing' as const, domainId: 'dom_mine' };

describe('a quote', () => {
  it('prices the lines down the chain and taxes them as the order would, keeps it 30 minutes and places nothing', async () => {
    const t = setUp();
    const q = await t.quotes.quote(t.staff, t.customer, LINES);
    // 19.99 € + 10 % = 21.99 €, + 20 % = 26.39 €; Teams at its catalog price; 19 % on 275.90 € = 52.421 €.
    expect(q).toEqual({
      id: expect.stringMatching(/^quote_/),
      accountId: t.customer.id,
      createdBy: t.ch.resellerAdmin.id,
      currency: 'EUR',
      lines: [
        {
          offerId: 'ofr_basic', productId: 'prd_basic', sku: 'CFQ7TTC0LH18', name: 'Microsoft 365 Business Basic', term: 'P1Y', billingPeriod: 'monthly', quantity: 10,
          unitPrice: eur(2639), unitChain: { cost: eur(1999), resellerPrice: eur(2199), sell: eur(2639) }, rateBps: 1900, total: eur(26390),
        },
        { offerId: 'ofr_teams', productId: 'prd_teams', sku: 'TEAMS-ESS', name: 'Teams Essentials', term: 'P1M', billingPeriod: 'monthly', quantity: 3, unitPrice: eur(400), unitChain: { sell: eur(400) }, rateBps: 1900, total: eur(1200) },
      ],
      net: eur(27590),
      taxes: [{ rateBps: 1900, net: eur(27590), tax: eur(5242) }],
      total: eur(32832),
      taxTreatment: 'domestic',
      seller: { accountId: t.ch.reseller.id, name: t.ch.reseller.name },
      createdAt: NOW.toISOString(),
      expiresAt: new Date(NOW.getTime() + 30 * 60_000).toISOString(),
    });
    expect([...t.stored.values()]).toEqual([q]);
    expect(t.written).toEqual([]);
    expect(t.charges).toEqual([]);
  });

  it.each([
    ['a repeated offer', [{ offerId: 'ofr_basic', quantity: 1 }, { offerId: 'ofr_basic', quantity: 2 }], 422, 'duplicate_offer', 'lines.1.offerId'],
    ['a retired product', [{ offerId: 'ofr_retired', quantity: 1 }], 422, 'offer_unavailable', 'lines.0.offerId'],
    ['an unknown offer', [{ offerId: 'ofr_nothing', quantity: 1 }], 422, 'offer_unavailable', 'lines.0.offerId'],
    ['a quantity above the product’s maximum', [{ offerId: 'ofr_basic', quantity: 301 }], 422, 'quantity_out_of_range', 'lines.0.quantity'],
  ])('refuses %s as the order would, keeping nothing', async (_name, lines, status, code, path) => {
    const t = setUp();
    await expect(t.quotes.quote(t.staff, t.customer, lines)).rejects.toMatchObject({ status, code, details: [expect.objectContaining({ path })] });
    await expect(t.orders.placeOrder(t.staff, t.customer, { lines, domain: existing, automatic: false })).rejects.toMatchObject({ status, code });
    expect(t.stored.size).toBe(0);
  });

  it('refuses an account that buys nothing (422 not_a_customer) and a currency its seller keeps no list in (422 currency_not_offered)', async () => {
    const t = setUp();
    await expect(t.quotes.quote(t.staff, t.ch.reseller, LINES)).rejects.toMatchObject({ status: 422, code: 'not_a_customer' });
    const usd = { ...t.customer, settings: { ...t.customer.settings, currency: 'USD' } } as Account;
    await expect(t.quotes.quote(t.staff, usd, LINES)).rejects.toMatchObject({ status: 422, code: 'currency_not_offered' });
    expect(t.stored.size).toBe(0);
  });

  it('has no proration: a new order starts its subscriptions’ term, so the lines are whole periods', async () => {
    const t = setUp();
    const q = await t.quotes.quote(t.staff, t.customer, [{ offerId: 'ofr_basic', quantity: 2 }]);
    expect(q.lines[0]!.total).toEqual(eur(2 * 2639));
    expect(q.net).toEqual(eur(2 * 2639));
  });
});

describe('an order given a quote', () => {
  it('is placed when nothing changed: its total is the quote’s net, its invoice the quote’s gross, and the card is charged that gross', async () => {
    const t = setUp();
    const q = await t.quotes.quote(t.staff, t.customer, LINES);
    t.later(29 * 60_000);
    const order = await t.orders.placeOrder(t.staff, t.customer, { lines: LINES, domain: existing, automatic: false, paymentMethodId: 'pm_card', quoteId: q.id });
    expect(order.total).toEqual(q.net);
    expect(order.lines.map((l) => [l.offerId, l.unitPrice, l.total])).toEqual(q.lines.map((l) => [l.offerId, l.unitPrice, l.total]));
    expect(t.written[0]!.invoice).toMatchObject({ net: q.net, taxes: q.taxes, total: q.total, status: 'paid' });
    expect(t.written[0]!.invoice.lines.map((l: { rateBps: number; subscriptionId: string }) => [l.rateBps, l.subscriptionId])).toEqual(order.lines.map((l) => [1900, l.subscriptionId]));
    expect(t.charges).toEqual([{ amount: q.total.amount, reference: order.id }]);
  });

  it('is refused with 409 price_changed when a unit price changed since, with the quoted and the new figures; no card is charged and nothing written', async () => {
    const t = setUp();
    const q = await t.quotes.quote(t.staff, t.customer, LINES);
    // The reseller raises Business Basic to +30 % from today: 21.99 € × 1.3 = 28.587 €.
    t.lists[1]!.rules.push(rule({ scope: 'product', productId: 'prd_basic', markupBps: 3000 }));
    const refused = t.orders.placeOrder(t.staff, t.customer, { lines: LINES, domain: existing, automatic: false, paymentMethodId: 'pm_card', quoteId: q.id });
    await expect(refused).rejects.toMatchObject({
      status: 409,
      code: 'price_changed',
      details: [
        { offerId: 'ofr_basic', quoted: { quantity: 10, unitPrice: eur(2639), total: eur(26390), rateBps: 1900 }, now: { quantity: 10, unitPrice: eur(2859), total: eur(28590), rateBps: 1900 } },
        { path: 'total', quoted: { net: eur(27590), total: eur(32832), taxTreatment: 'domestic' }, now: { net: eur(29790), total: eur(35450), taxTreatment: 'domestic' } },
      ],
    });
    expect(t.charges).toEqual([]);
    expect(t.pending.size).toBe(0);
    expect(t.written).toEqual([]);
    // A new quote prices it as it is now, and the order goes through with it.
    const fresh = await t.quotes.quote(t.staff, t.customer, LINES);
    const order = await t.orders.placeOrder(t.staff, t.customer, { lines: LINES, domain: existing, automatic: false, paymentMethodId: 'pm_card', quoteId: fresh.id });
    expect(order.total).toEqual(eur(29790));
    expect(t.charges).toEqual([{ amount: 35450, reference: order.id }]);
  });

  it('is refused when the tax changed: the buyer now has a VAT ID in another EU state (reverse charge, rate 0)', async () => {
    const t = setUp();
    const q = await t.quotes.quote(t.staff, t.customer, [{ offerId: 'ofr_teams', quantity: 3 }]);
    t.profiles[t.customer.id] = { legalName: 'Contoso SARL', country: 'FR', vatId: 'FR12345678901' };
    await expect(t.orders.placeOrder(t.staff, t.customer, { lines: [{ offerId: 'ofr_teams', quantity: 3 }], domain: existing, automatic: false, quoteId: q.id })).rejects.toMatchObject({
      status: 409,
      code: 'price_changed',
      details: [
        { offerId: 'ofr_teams', quoted: expect.objectContaining({ rateBps: 1900 }), now: expect.objectContaining({ rateBps: 0 }) },
        { path: 'total', quoted: { net: eur(1200), total: eur(1428), taxTreatment: 'domestic' }, now: { net: eur(1200), total: eur(1200), taxTreatment: 'reverse_charge' } },
      ],
    });
    expect(t.written).toEqual([]);
  });

  it('is refused when its lines are not the quote’s: another quantity, an offer more or one less', async () => {
    const t = setUp();
    const q = await t.quotes.quote(t.staff, t.customer, [{ offerId: 'ofr_basic', quantity: 10 }]);
    const place = (lines: typeof LINES) => t.orders.placeOrder(t.staff, t.customer, { lines, domain: existing, automatic: false, quoteId: q.id });
    await expect(place([{ offerId: 'ofr_basic', quantity: 11 }])).rejects.toMatchObject({
      code: 'price_changed',
      details: [{ offerId: 'ofr_basic', quoted: expect.objectContaining({ quantity: 10 }), now: expect.objectContaining({ quantity: 11, total: eur(29029) }) }, expect.objectContaining({ path: 'total' })],
    });
    await expect(place(LINES)).rejects.toMatchObject({ code: 'price_changed', details: [{ offerId: 'ofr_teams', quoted: null, now: expect.objectContaining({ quantity: 3 }) }, expect.objectContaining({ path: 'total' })] });
    const two = await t.quotes.quote(t.staff, t.customer, LINES);
    await expect(t.orders.placeOrder(t.staff, t.customer, { lines: [LINES[0]!], domain: existing, automatic: false, quoteId: two.id })).rejects.toMatchObject({
      code: 'price_changed',
      details: [{ offerId: 'ofr_teams', quoted: expect.objectContaining({ quantity: 3 }), now: null }, expect.objectContaining({ path: 'total' })],
    });
    expect(t.written).toEqual([]);
  });

  it('is refused with 409 quote_expired 30 minutes after the quote, or for a quote it cannot find; no card is charged', async () => {
    const t = setUp();
    const q = await t.quotes.quote(t.staff, t.customer, LINES);
    t.later(30 * 60_000);
    const input = { lines: LINES, domain: existing, automatic: false, paymentMethodId: 'pm_card' };
    await expect(t.orders.placeOrder(t.staff, t.customer, { ...input, quoteId: q.id })).rejects.toMatchObject({ status: 409, code: 'quote_expired', details: [{ path: 'quoteId' }] });
    await expect(t.orders.placeOrder(t.staff, t.customer, { ...input, quoteId: 'quote_unknown' })).rejects.toMatchObject({ status: 409, code: 'quote_expired' });
    expect(t.charges).toEqual([]);
    expect(t.pending.size).toBe(0);
    expect(t.written).toEqual([]);
  });

  it('answers 404 for a quote of another account, like anything out of scope', async () => {
    const t = setUp();
    const theirs = await t.quotes.quote(t.staff, t.sibling, LINES);
    await expect(t.orders.placeOrder(t.staff, t.customer, { lines: LINES, domain: existing, automatic: false, quoteId: theirs.id })).rejects.toMatchObject({ status: 404 });
    // Expired as well: still 404, never a hint that it exists.
    t.later(31 * 60_000);
    await expect(t.orders.placeOrder(t.staff, t.customer, { lines: LINES, domain: existing, automatic: false, quoteId: theirs.id })).rejects.toMatchObject({ status: 404 });
    expect(t.written).toEqual([]);
  });
});

describe('the cart’s quote and its checkout', () => {
  const body = (quoteId?: string) => ({ domain: existing, paymentMethodId: 'pm_card', ...(quoteId ? { quoteId } : {}) });

  it('quotes the caller’s cart; the checkout with that quote charges its gross and empties the cart', async () => {
    const t = setUp();
    const admin = t.ch.customerAdmin;
    t.put(admin.id, 'ofr_basic', 10);
    t.put(admin.id, 'ofr_teams', 3);
    const q = await t.cartQuotes.quote(callerOf(admin));
    expect(q).toMatchObject({ accountId: t.customer.id, createdBy: admin.id, net: eur(27590), total: eur(32832) });
    expect(t.carts.get(admin.id)).toHaveLength(2);
    const order = await t.checkout.checkout(callerOf(admin), body(q.id));
    expect(order.total).toEqual(q.net);
    expect(t.charges).toEqual([{ amount: q.total.amount, reference: order.id }]);
    expect(t.carts.get(admin.id)).toEqual([]);
  });

  it('refuses the checkout after a price change (409, the cart kept, nothing charged) and after the cart changed', async () => {
    const t = setUp();
    const admin = t.ch.customerAdmin;
    t.put(admin.id, 'ofr_basic', 10);
    const q = await t.cartQuotes.quote(callerOf(admin));
    t.lists[1]!.rules.push(rule({ scope: 'list', markupBps: 2500 }));
    await expect(t.checkout.checkout(callerOf(admin), body(q.id))).rejects.toMatchObject({ status: 409, code: 'price_changed' });
    expect(t.carts.get(admin.id)).toHaveLength(1);
    expect(t.charges).toEqual([]);
    const fresh = await t.cartQuotes.quote(callerOf(admin));
    t.put(admin.id, 'ofr_teams', 1);
    await expect(t.checkout.checkout(callerOf(admin), body(fresh.id))).rejects.toMatchObject({ status: 409, code: 'price_changed' });
    expect(t.charges).toEqual([]);
  });

  it('follows the checkout’s caller rules: staff 403, a customer user without self-service 403, an empty cart 422', async () => {
    const t = setUp();
    await expect(t.cartQuotes.quote(t.staff)).rejects.toMatchObject({ status: 403 });
    const user = t.world.add.user(t.customer, { role: 'user' });
    t.put(user.id, 'ofr_basic', 1);
    await expect(t.cartQuotes.quote(callerOf(user))).rejects.toMatchObject({ status: 403 });
    await expect(t.cartQuotes.quote(callerOf(t.ch.customerAdmin))).rejects.toMatchObject({ status: 422, code: 'cart_empty' });
    expect(t.stored.size).toBe(0);
  });
});

describe('quoteChanges', () => {
  const line = { offerId: 'ofr_1', productId: 'prd_1', sku: 's', name: 'n', term: 'P1Y' as const, billingPeriod: 'annual' as const, quantity: 2, unitPrice: eur(100), unitChain: { sell: eur(100) }, rateBps: 1900, total: eur(200) };
  const quoted = { lines: [line], net: eur(200), total: eur(238), taxTreatment: 'domestic' as const };

  it('finds nothing when what the buyer pays is the same, whatever the chain above says', () => {
    expect(quoteChanges(quoted, { ...quoted, lines: [{ ...line, unitChain: { cost: eur(50), sell: eur(100) } }] })).toEqual([]);
  });

  it('names the totals alone when only the treatment changed', () => {
    expect(quoteChanges(quoted, { ...quoted, taxTreatment: 'destination' })).toEqual([
      { path: 'total', quoted: { net: eur(200), total: eur(238), taxTreatment: 'domestic' }, now: { net: eur(200), total: eur(238), taxTreatment: 'destination' } },
    ]);
  });
});

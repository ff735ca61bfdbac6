import type { Account } from '#data/accounts.ts';
import { PaymentDeclinedError } from '#platform/payments/port.ts';

const { makeOrderService } = await import('#services/orders.ts');
const { catalogPricer, fakeInvoicing, fakeNumbers } = await import('./fake-pricing.ts');

/** Placing an order over in-memory repositories, a fake gateway and a fake workflow start. */
function setUp(opts: { heldNames?: string[]; vendorTaken?: string[]; decline?: boolean; suspended?: string } = {}) {
  const written: Array<Record<string, any>> = [];
  const started: Array<{ id: string; automatic: boolean }> = [];
  const charges: Array<{ amount: number; reference: string }> = [];
  const pending = new Set<string>();
  const refunded: string[] = [];
  let ids = 0;
  const offers: Record<string, any> = {
    ofr_basic: { id: 'ofr_basic', productId: 'prd_basic', term: 'P1Y', billingPeriod: 'monthly', price: { amount: 600, currency: 'EUR' } },
    ofr_usd: { id: 'ofr_usd', productId: 'prd_basic', term: 'P1M', billingPeriod: 'monthly', price: { amount: 700, currency: 'USD' } },
    ofr_retired: { id: 'ofr_retired', productId: 'prd_retired', term: 'P1Y', billingPeriod: 'annual', price: { amount: 9000, currency: 'EUR' } },
  };
  const products: Record<string, any> = {
    prd_basic: { id: 'prd_basic', sku: 'CFQ7TTC0LH18', name: 'Microsoft 365 Business Basic', status: 'active', minQuantity: 1, maxQuantity: 300 },
    prd_retired: { id: 'prd_retired', sku: 'OLD', name: 'Old plan', status: 'retired', minQuantity: 1, maxQuantity: 300 },
  };
  const service = makeOrderService({
    accounts: { suspendedAccountOn: async () => opts.suspended },
    orders: {
      nextOrderNumber: async () => 'SO-000007',
      insertOrder: async (input: any) => {
        written.push(input);
        return { ...input.order, updatedAt: input.order.createdAt, version: 1 };
      },
    },
    invoices: fakeNumbers(),
    invoicing: fakeInvoicing(),
    catalog: { getOffer: async (id: string) => offers[id], getProduct: async (id: string) => products[id] } as never,
    domains: {
      getDomain: async (id: string) => (id === 'dom_mine' ? { id, accountId: 'acc_customer', domain: 'contoso.onmicrosoft.com', status: 'active' } : undefined),
      isDomainNameHeld: async (name: string) => (opts.heldNames ?? []).includes(name),
    } as never,
    users: { getUser: async () => ({ firstName: 'Sam', lastName: 'Staff' }) } as never,
    subscriptions: { getSubscription: async () => undefined },
    linkDomain: async () => {
      throw new Error('no tenant is linked here');
    },
    paymentMethods: {
      getPaymentMethod: async (id: string) => (id === 'pm_card' ? { id, accountId: 'acc_customer', type: 'card', gatewayToken: 'tok', expYear: 2099, expMonth: 1 } : undefined),
    } as never,
    charges: { recordPendingCharge: async (c: { reference: string }) => void pending.add(c.reference), clearPendingCharge: async (r: string) => void pending.delete(r) },
    requestKeys: { releaseRequestKey: async () => undefined },
    payments: { refundPendingCharge: async (r: string) => (refunded.push(r), true) },
    gateway: () => ({
      charge: async (c: { amount: number; reference: string }) => {
        if (opts.decline) throw new PaymentDeclinedError('insufficient_funds');
        charges.push({ amount: c.amount, reference: c.reference });
        return { chargeId: `ch_${c.reference}` };
      },
    }) as never,
    domainAvailable: async (prefix: string) => !(opts.vendorTaken ?? []).includes(prefix),
    lifecycle: {
      startOrFail: async (order: { id: string; automatic: boolean }) => {
        started.push(order);
        return `arn:execution:${order.id}`;
      },
    },
    pricer: catalogPricer(),
    clock: { now: () => new Date('2026-11-22T09:00:00.000Z'), nowIso: () => '2026-11-22T09:00:00.000Z' },
    newId: ((kind: string) => `${kind.slice(0, 3)}_${++ids}`) as never,
  });
  return { service, written, started, charges, pending, refunded };
}

const customer = {
  id: 'acc_customer',
  type: 'customer',
  parentId: 'acc_reseller',
  rootId: 'acc_root',
  accountPath: ['acc_root', 'acc_reseller', 'acc_customer'],
  settings: { currency: 'EUR' },
  customerAgreement: { firstName: 'Ada', lastName: 'L', email: 'ada@contoso.example', acceptedAt: '2026-11-01T00:00:00Z' },
} as unknown as Account;
const staff = { userId: 'usr_staff', accountId: 'acc_root', accountPath: ['acc_root'], role: 'admin' } as never;
const company = { name: 'Fabrikam GmbH' } as never;
const create = (prefix = 'fabrikam') => ({ mode: 'create' as const, prefix, company });

describe('placing an order', () => {
  it('prices each line from the catalog, totals them, and writes the order with an unpaid invoice', async () => {
    const { service, written } = setUp();
    const order = await service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 10 }], domain: create(), automatic: false });
    expect(order.lines).toEqual([
      expect.objectContaining({ offerId: 'ofr_basic', sku: 'CFQ7TTC0LH18', quantity: 10, unitPrice: { amount: 600, currency: 'EUR' }, total: { amount: 6000, currency: 'EUR' } }),
    ]);
    expect(order).toMatchObject({ status: 'new', number: 'SO-000007', total: { amount: 6000, currency: 'EUR' }, executionArn: `arn:execution:${order.id}` });
    expect(written[0]!.invoice).toMatchObject({ status: 'unpaid', number: 'INV-000001', taxTreatment: 'untaxed', total: { amount: 6000, currency: 'EUR' } });
    expect(written[0]!.newDomain).toMatchObject({ domain: 'fabrikam.onmicrosoft.com', mode: 'create' });
  });

  it('starts a staff order at the gates, or automatically when asked', async () => {
    const { service, started } = setUp();
    await service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 1 }], domain: create('a'), automatic: false });
    await service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 1 }], domain: create('b'), automatic: true });
    expect(started.map((o) => o.automatic)).toEqual([false, true]);
  });

  it('keeps the orders of a suspended account (or one below a suspended account) at the gates, even when automatic was asked', async () => {
    const { service, started, written } = setUp({ suspended: 'acc_reseller' });
    await service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 1 }], domain: create('c'), automatic: true });
    expect(started.map((o) => o.automatic)).toEqual([false]);
    expect(written[0]!.order).toMatchObject({ automatic: false });
  });

  it("records the customer account's name on the order", async () => {
    const { service, written } = setUp();
    const order = await service.placeOrder(staff, { ...customer, name: 'Contoso Ltd' } as Account, { lines: [{ offerId: 'ofr_basic', quantity: 1 }], domain: create('d'), automatic: false });
    expect(order.accountName).toBe('Contoso Ltd');
    expect(written[0]!.order.accountName).toBe('Contoso Ltd');
  });

  it('refuses a domain name already held here or at the vendor (409), and another account’s domain (404), writing nothing', async () => {
    const held = setUp({ heldNames: ['fabrikam.onmicrosoft.com'] });
    await expect(held.service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 1 }], domain: create(), automatic: false })).rejects.toMatchObject({
      status: 409,
      code: 'domain_taken',
    });
    const vendor = setUp({ vendorTaken: ['fabrikam'] });
    await expect(vendor.service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 1 }], domain: create(), automatic: false })).rejects.toMatchObject({
      status: 409,
    });
    const other = setUp();
    await expect(
      other.service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 1 }], domain: { mode: 'existing', domainId: 'dom_theirs' }, automatic: false }),
    ).rejects.toMatchObject({ status: 404 });
    expect([...held.written, ...vendor.written, ...other.written]).toEqual([]);
  });

  it('orders on an existing domain of the account without creating one', async () => {
    const { service, written } = setUp();
    const order = await service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 2 }], domain: { mode: 'existing', domainId: 'dom_mine' }, automatic: false });
    expect(order.domain).toEqual({ id: 'dom_mine', domain: 'contoso.onmicrosoft.com', mode: 'existing' });
    expect(written[0]!.newDomain).toBeUndefined();
  });

  it.each([
    ['a repeated offer', [{ offerId: 'ofr_basic', quantity: 1 }, { offerId: 'ofr_basic', quantity: 2 }], 'duplicate_offer'],
    ['a retired product', [{ offerId: 'ofr_retired', quantity: 1 }], 'offer_unavailable'],
    ['a quantity out of range', [{ offerId: 'ofr_basic', quantity: 301 }], 'quantity_out_of_range'],
    ['another currency', [{ offerId: 'ofr_usd', quantity: 1 }], 'currency_mismatch'],
  ])('refuses %s (422) before anything is charged or written', async (_what, lines, code) => {
    const { service, written, charges } = setUp();
    await expect(service.placeOrder(staff, customer, { lines, domain: create(), automatic: false, paymentMethodId: 'pm_card' })).rejects.toMatchObject({ status: 422, code });
    expect(written).toEqual([]);
    expect(charges).toEqual([]);
  });

  it('charges a card once, with the order as reference, and writes the invoice paid', async () => {
    const { service, written, charges, pending } = setUp();
    const order = await service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 3 }], domain: create(), automatic: true, paymentMethodId: 'pm_card' });
    expect(charges).toEqual([{ amount: 1800, reference: order.id }]);
    expect(written[0]!.invoice).toMatchObject({ status: 'paid', chargeId: `ch_${order.id}`, chargeReference: order.id });
    expect(written[0]!.pendingCharge).toBe(order.id);
    expect(pending.has(order.id)).toBe(true); // deleted by the order's own transaction (data/orders.ts)
  });

  it('answers 402 for a declined card and writes nothing', async () => {
    const { service, written, pending } = setUp({ decline: true });
    await expect(
      service.placeOrder(staff, customer, { lines: [{ offerId: 'ofr_basic', quantity: 3 }], domain: create(), automatic: true, paymentMethodId: 'pm_card' }),
    ).rejects.toMatchObject({ status: 402, code: 'payment_declined' });
    expect(written).toEqual([]);
    expect(pending.size).toBe(0);
  });
});

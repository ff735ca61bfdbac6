import { aSubscription, fakeWorld, hoursFrom } from './fake-subscriptions.ts';

const { makeRenewalService } = await import('#services/renewals.ts');
const { fakePricing } = await import('./fake-pricing.ts');

/**
 * The renewals of docs/product.md#scheduled-jobs (services/renewals.ts) over in-memory repositories: the job for
 * 2027-04-10 renews or expires terms that ended 2027-04-09 and reminds terms ending 2027-04-16.
 */
const RUN = { day: '2027-04-10', now: new Date('2027-04-10T01:00:00.000Z') };
const ENDED = '2027-04-09';

function setUp(over: Parameters<typeof aSubscription>[0] = {}, product?: { cancellationWindowHours: number; minQuantity: number; maxQuantity: number }) {
  const { w, renewalDeps } = fakeWorld(aSubscription(over), product);
  return { w, service: makeRenewalService(renewalDeps) };
}

describe('renewing at term end', () => {
  it('renews with the scheduled quantity: a renewal order and invoice for the new term, charged, audited, started', async () => {
    const { w, service } = setUp({ scheduledQuantity: 6 });
    expect(await service.renewOrExpire(w.sub, ENDED, RUN)).toBe(true);
    const [{ order }] = w.orders as [(typeof w.orders)[number]];
    expect(order).toMatchObject({ type: 'renewal', total: { amount: 18600, currency: 'EUR' }, placedBy: { system: 'renewals-job' } });
    expect(w.sub).toMatchObject({ quantity: 6, currentTermStart: '2027-04-10', currentTermEnd: '2027-05-09' });
    expect(w.sub.scheduledQuantity).toBeUndefined();
    expect(w.charges).toEqual([{ invoice: expect.objectContaining({ total: { amount: 18600, currency: 'EUR' } }), reference: order.id }]);
    expect(w.audits).toEqual([{ action: 'subscription.renewed', resourceId: 'sub_1' }]);
    expect(w.started).toEqual([order.id]);
  });

  it.each([
    [24, '2027-04-11T01:00:00.000Z'],
    [168, '2027-04-17T01:00:00.000Z'],
    [1, '2027-04-10T02:00:00.000Z'],
  ])("opens the product's window (%i hours) for the renewed licenses, from the renewal", async (hours, until) => {
    const { w, service } = setUp({}, { cancellationWindowHours: hours, minQuantity: 1, maxQuantity: 300 });
    await service.renewOrExpire(w.sub, ENDED, RUN);
    expect(w.sub.cancellationWindows).toEqual([{ quantity: 10, until, orderId: w.orders[0]!.order.id }]);
  });

  it('opens no window for a product without one', async () => {
    const { w, service } = setUp({}, { cancellationWindowHours: 0, minQuantity: 1, maxQuantity: 300 });
    await service.renewOrExpire(w.sub, ENDED, RUN);
    expect(w.sub.cancellationWindows).toEqual([]);
  });

  it('never renews below the licenses assigned', async () => {
    const { w, service } = setUp({ scheduledQuantity: 2, assignedCount: 5 });
    await service.renewOrExpire(w.sub, ENDED, RUN);
    expect(w.sub.quantity).toBe(5);
  });

  it('expires a subscription whose auto-renew is off: no order, no charge', async () => {
    const { w, service } = setUp({ autoRenew: false });
    expect(await service.renewOrExpire(w.sub, ENDED, RUN)).toBe(true);
    expect(w.expired).toEqual([{ id: 'sub_1', ended: ENDED, action: 'subscription.expired' }]);
    expect(w.sub.status).toBe('expired');
    expect(w.orders).toEqual([]);
    expect(w.charges).toEqual([]);
  });

  it('skips what is not due: another term end, a cancelled or expired subscription, one renewed by a run before', async () => {
    for (const over of [{ currentTermEnd: '2027-04-10' }, { status: 'cancelled' as const }, { status: 'expired' as const }]) {
      const { w, service } = setUp(over);
      expect(await service.renewOrExpire(w.sub, ENDED, RUN)).toBe(false);
      expect(w.orders).toEqual([]);
    }
    const { w, service } = setUp();
    const seen = { ...w.sub };
    await service.renewOrExpire(seen, ENDED, RUN);
    // The same due item read again by a second run: its version moved on, so nothing more.
    expect(await service.renewOrExpire(seen, ENDED, RUN)).toBe(false);
    expect(w.orders).toHaveLength(1);
    expect(w.charges).toHaveLength(1);
  });
});

describe('the reminder 7 days before', () => {
  it('emails each active admin once per term, however often the job runs', async () => {
    const { w, service } = setUp({ currentTermEnd: '2027-04-16', cancellationWindows: [{ quantity: 1, until: hoursFrom(RUN.now, -1) }] });
    expect(await service.remind(w.sub, '2027-04-16')).toBe(true);
    expect(await service.remind(w.sub, '2027-04-16')).toBe(false);
    expect(w.reminders).toEqual([{ id: 'sub_1', termEnd: '2027-04-16', emails: [{ template: 'renewal-reminder', to: 'ada@contoso.example' }] }]);
  });

  it('does not remind a suspended subscription or another term', async () => {
    const suspended = setUp({ currentTermEnd: '2027-04-16', status: 'suspended' });
    expect(await suspended.service.remind(suspended.w.sub, '2027-04-16')).toBe(false);
    const other = setUp({ currentTermEnd: '2027-04-17' });
    expect(await other.service.remind(other.w.sub, '2027-04-16')).toBe(false);
    expect([...suspended.w.reminders, ...other.w.reminders]).toEqual([]);
  });
});

describe('the price of a renewal (docs/commerce.md "When the price is taken")', () => {
  const at = '2027-01-01T00:00:00.000Z';
  /** A reseller's customer (parent acc_PARENT) whose reseller raises its markup from 20 % to 30 % on the renewal day. */
  function priced() {
    const pricing = fakePricing({
      costs: [{ offerId: 'ofr_1', currency: 'EUR', effectiveFrom: '2027-01-01', amount: 2000 }],
      lists: [
        { owner: 'acc_ROOT', audience: 'resellers', currency: 'EUR', rules: [{ scope: 'list', markupBps: 1000, effectiveFrom: '2027-01-01', createdAt: at }] },
        {
          owner: 'acc_PARENT',
          audience: 'customers',
          currency: 'EUR',
          rules: [
            { scope: 'list', markupBps: 2000, effectiveFrom: '2027-01-01', createdAt: at },
            { scope: 'list', markupBps: 3000, effectiveFrom: '2027-04-10', createdAt: at },
          ],
        },
      ],
    });
    const { w, renewalDeps } = fakeWorld(aSubscription({ unitPrice: { amount: 2640, currency: 'EUR' } }), { cancellationWindowHours: 0, minQuantity: 1, maxQuantity: 300 });
    const account = { id: w.sub.accountId, name: 'Contoso', type: 'customer', parentId: 'acc_PARENT', rootId: 'acc_ROOT', accountPath: ['acc_ROOT', 'acc_PARENT', w.sub.accountId], settings: { orderProcessing: 'automatic', currency: 'EUR' } };
    const emails: unknown[] = [];
    const service = makeRenewalService({
      ...renewalDeps,
      pricer: pricing.pricer,
      accounts: { getAccount: async (id: string) => (id === account.id ? account : undefined) as never },
      catalog: { getProduct: async () => ({ id: 'prd_1', name: w.sub.name, category: 'productivity', offers: [{ id: 'ofr_1', productId: 'prd_1', price: { amount: 9999, currency: 'EUR' } }], cancellationWindowHours: 0, minQuantity: 1, maxQuantity: 300 }) as never },
      subscriptions: {
        ...renewalDeps.subscriptions,
        recordRenewalReminder: async (_id: string, _termEnd: string, queued: Array<{ data: unknown }>) => (emails.push(...queued.map((e) => e.data)), true),
      } as never,
    });
    return { w, service, emails, reads: pricing.reads };
  }

  it('bills the price in effect on the renewal day, not the purchase price, and keeps it for the new term', async () => {
    const { w, service } = priced();
    expect(await service.renewOrExpire(w.sub, ENDED, RUN)).toBe(true);
    const [{ order }] = w.orders as [(typeof w.orders)[number]];
    // 2000 × 1.1 = 2200 (reseller price); × 1.3 = 2860 per license; 10 licenses.
    expect(order.lines[0]).toMatchObject({ unitPrice: { amount: 2860, currency: 'EUR' }, unitChain: { cost: { amount: 2000 }, resellerPrice: { amount: 2200 }, sell: { amount: 2860 } } });
    expect(order.total).toEqual({ amount: 28600, currency: 'EUR' });
    expect(w.sub).toMatchObject({ unitPrice: { amount: 2860, currency: 'EUR' } });
    expect(w.charges[0]!.invoice.total).toEqual({ amount: 28600, currency: 'EUR' });
  });

  it('states that price in the reminder 7 days before, and reads each list once per run', async () => {
    const { w, service, emails, reads } = priced();
    w.sub = { ...w.sub, currentTermEnd: '2027-04-09' };
    const run = { day: '2027-04-02', now: new Date('2027-04-02T01:00:00.000Z') };
    expect(await service.remind(w.sub, '2027-04-09', run)).toBe(true);
    expect(emails).toEqual([expect.objectContaining({ renewsOn: '2027-04-10', unitPrice: { amount: 2860, currency: 'EUR' }, total: { amount: 28600, currency: 'EUR' } })]);
    w.sub = { ...w.sub, id: 'sub_2', reminderSentFor: undefined };
    await service.remind(w.sub, '2027-04-09', run);
    expect(reads.filter((r) => r.startsWith('rules:'))).toHaveLength(2);
  });
});

describe('a suspended subscription (docs/product.md#subscriptions-and-licenses "Not paying")', () => {
  it('never renews: on its renewal day it expires, with no renewal order, invoice or charge', async () => {
    const { w, service } = setUp({ status: 'suspended', scheduledQuantity: 6 });
    expect(await service.renewOrExpire(w.sub, ENDED, RUN)).toBe(true);
    expect(w.expired).toEqual([{ id: 'sub_1', ended: ENDED, action: 'subscription.expired' }]);
    expect(w.sub.status).toBe('expired');
    expect(w.orders).toEqual([]);
    expect(w.charges).toEqual([]);
    expect(w.started).toEqual([]);
  });
});

describe('a change scheduled for the renewal (docs/product.md#scheduled-changes-at-renewal)', () => {
  const EUR = (amount: number) => ({ amount, currency: 'EUR' });
  const catalog: Record<string, unknown> = {
    prd_1: {
      id: 'prd_1', name: 'Business Basic', sku: 'SKU-1', category: 'productivity', requiresTenant: true, status: 'active', cancellationWindowHours: 168, minQuantity: 1, maxQuantity: 300,
      offers: [{ id: 'ofr_1', productId: 'prd_1', term: 'P1M', billingPeriod: 'monthly', price: EUR(3100) }],
    },
    prd_2: {
      id: 'prd_2', name: 'Business Standard', sku: 'SKU-2', category: 'productivity', requiresTenant: true, status: 'active', cancellationWindowHours: 168, minQuantity: 1, maxQuantity: 300,
      offers: [
        { id: 'ofr_2m', productId: 'prd_2', term: 'P1M', billingPeriod: 'monthly', price: EUR(1250) },
        { id: 'ofr_2y', productId: 'prd_2', term: 'P1Y', billingPeriod: 'annual', price: EUR(15000) },
      ],
    },
  };
  const toStandardYearly = { productId: 'prd_2', offerId: 'ofr_2y', productName: 'Business Standard', term: 'P1Y', billingPeriod: 'annual', setAt: '2027-03-20T09:00:00.000Z' };

  /** The fake world with the two products above, counting each product read. */
  function changed(over: Parameters<typeof aSubscription>[0] = {}) {
    const { w, renewalDeps } = fakeWorld(aSubscription({ scheduledQuantity: 12, scheduledChange: toStandardYearly, ...over }));
    const reads: string[] = [];
    const accountReads: string[] = [];
    const emails: Array<Record<string, unknown>> = [];
    const service = makeRenewalService({
      ...renewalDeps,
      catalog: { getProduct: async (id: string) => (reads.push(id), catalog[id] as never) },
      // An account buying in EUR, so the pricer prices the new offer (at its catalog price: no lists).
      accounts: {
        getAccount: async (id: string) =>
          (accountReads.push(id), { id, name: 'Contoso', type: 'customer', parentId: null, rootId: 'acc_ROOT', accountPath: ['acc_ROOT', id], settings: { orderProcessing: 'automatic', currency: 'EUR' } }) as never,
      },
      subscriptions: {
        ...renewalDeps.subscriptions,
        recordRenewalReminder: async (_id: string, _termEnd: string, queued: Array<{ data: Record<string, unknown> }>) => (emails.push(...queued.map((e) => e.data)), true),
      } as never,
    });
    return { w, service, reads, accountReads, emails };
  }

  it('renews on the scheduled product, offer and quantity, billed at the new offer\'s price, and clears the change', async () => {
    const { w, service } = changed();
    expect(await service.renewOrExpire(w.sub, ENDED, RUN)).toBe(true);
    const [{ order, invoice }] = w.orders as [(typeof w.orders)[number]];
    expect(order.lines[0]).toMatchObject({ productId: 'prd_2', offerId: 'ofr_2y', sku: 'SKU-2', name: 'Business Standard', term: 'P1Y', billingPeriod: 'annual', quantity: 12, unitPrice: EUR(15000) });
    expect(order.total).toEqual(EUR(180000));
    expect(invoice).toMatchObject({ servicePeriod: { start: '2027-04-10', end: '2028-04-09' }, lines: [{ description: 'Renewal: Business Standard (2027-04-10 – 2028-04-09)', quantity: 12 }] });
    expect(w.sub).toMatchObject({ productId: 'prd_2', offerId: 'ofr_2y', sku: 'SKU-2', name: 'Business Standard', term: 'P1Y', billingPeriod: 'annual', quantity: 12, unitPrice: EUR(15000), currentTermEnd: '2028-04-09' });
    expect(w.sub.scheduledChange).toBeUndefined();
    expect(w.sub.scheduledQuantity).toBeUndefined();
    expect(w.charges[0]!.invoice.total).toEqual(EUR(180000));
  });

  it('renews as it is when the scheduled offer is gone from the catalog by then (the quantity still applies)', async () => {
    const { w, service } = changed({ scheduledChange: { ...toStandardYearly, offerId: 'ofr_gone' } });
    await service.renewOrExpire(w.sub, ENDED, RUN);
    expect(w.orders[0]!.order.lines[0]).toMatchObject({ productId: 'prd_1', offerId: 'ofr_1', term: 'P1M', quantity: 12 });
    expect(w.sub).toMatchObject({ productId: 'prd_1', currentTermEnd: '2027-05-09' });
  });

  it('states the change and its price in the reminder 7 days before', async () => {
    const { w, service, emails } = changed({ currentTermEnd: '2027-04-16' });
    expect(await service.remind(w.sub, '2027-04-16', {})).toBe(true);
    expect(emails).toEqual([
      expect.objectContaining({ quantity: 12, change: { productName: 'Business Standard', term: 'P1Y', billingPeriod: 'annual' }, unitPrice: EUR(15000), total: EUR(180000) }),
    ]);
  });

  it('reads each product and account once per job run, not once per subscription: at most 1.2 reads per due subscription', async () => {
    const { w, service, reads, accountReads } = changed();
    const run = { day: RUN.day, now: RUN.now };
    const due = 50;
    for (let i = 0; i < due; i++) {
      // Half move to the yearly offer, half to the monthly one; all were Business Basic.
      w.sub = aSubscription({ id: `sub_${i}`, scheduledQuantity: 5 + (i % 3), scheduledChange: i % 2 ? toStandardYearly : { ...toStandardYearly, offerId: 'ofr_2m', term: 'P1M', billingPeriod: 'monthly' } });
      expect(await service.renewOrExpire(w.sub, ENDED, run)).toBe(true);
    }
    expect(w.orders).toHaveLength(due);
    expect(new Set(w.orders.map((o) => o.order.lines[0]!.offerId))).toEqual(new Set(['ofr_2m', 'ofr_2y']));
    // One read per distinct product (only the target's: the current one is not needed).
    expect(reads).toEqual(['prd_2']);
    // The 50 subscriptions are one account's: it is read once.
    expect(accountReads).toEqual([w.sub.accountId]);
    // The job reads each due item once from the due index, plus these.
    expect((due + reads.length + accountReads.length) / due).toBeLessThanOrEqual(1.2);
    // A second run reads again (the cache is the run's, not the process's).
    w.sub = aSubscription({ id: 'sub_next', scheduledChange: toStandardYearly });
    await service.renewOrExpire(w.sub, ENDED, { day: RUN.day, now: RUN.now });
    expect(reads).toEqual(['prd_2', 'prd_2']);
    expect(accountReads).toHaveLength(2);
  });
});

import { aSubscription } from './fake-subscriptions.ts';
import type { Subscription } from '#data/subscriptions.ts';

const { makeScheduledChangeService } = await import('#services/scheduled-changes.ts');

/**
 * PUT and DELETE …/scheduled-change (services/scheduled-changes.ts) over an in-memory subscription
 * and catalog: what is stored, and what is refused before anything is written.
 */
const NOW = new Date('2027-03-20T09:00:00.000Z');
const offers = (p: string) => [
  { id: `ofr_${p}_m`, productId: `prd_${p}`, term: 'P1M', billingPeriod: 'monthly', price: { amount: 100, currency: 'EUR' } },
  { id: `ofr_${p}_y`, productId: `prd_${p}`, term: 'P1Y', billingPeriod: 'annual', price: { amount: 1000, currency: 'EUR' } },
];
const catalog: Record<string, unknown> = {
  prd_basic: { id: 'prd_basic', name: 'Basic', status: 'active', requiresTenant: true, minQuantity: 1, maxQuantity: 300, upgradeTargets: ['prd_std'], offers: offers('basic') },
  prd_std: { id: 'prd_std', name: 'Standard', status: 'active', requiresTenant: true, minQuantity: 1, maxQuantity: 300, upgradeTargets: [], offers: offers('std') },
  prd_old: { id: 'prd_old', name: 'Old', status: 'retired', requiresTenant: true, minQuantity: 1, maxQuantity: 300, upgradeTargets: ['prd_basic'], offers: offers('old') },
};

function setUp(over: Partial<Subscription> = {}) {
  let sub = aSubscription({ productId: 'prd_basic', offerId: 'ofr_basic_m', assignedCount: 3, ...over });
  const writes: unknown[] = [];
  const service = makeScheduledChangeService({
    catalog: { getProduct: async (id: string) => catalog[id] as never },
    clock: { now: () => NOW },
    subscriptions: {
      setScheduledChange: async (_id: string, decide: (s: Subscription) => Pick<Subscription, 'scheduledQuantity' | 'scheduledChange'>, opts: { ifMatch?: number } = {}) => {
        if (opts.ifMatch !== undefined && opts.ifMatch !== sub.version) throw Object.assign(new Error('precondition'), { status: 412 });
        const next = decide({ ...sub });
        writes.push(next);
        const { scheduledQuantity: _q, scheduledChange: _c, ...rest } = sub;
        sub = { ...rest, ...(next.scheduledQuantity !== undefined ? { scheduledQuantity: next.scheduledQuantity } : {}), ...(next.scheduledChange ? { scheduledChange: next.scheduledChange } : {}), version: sub.version + 1 } as Subscription;
        return sub;
      },
    },
  });
  return { service, writes, sub: () => sub };
}

describe('setting the change', () => {
  it('stores the target product and its offer with the current term when only the product is given, and the quantity', async () => {
    const t = setUp();
    const after = await t.service.set(t.sub(), { productId: 'prd_std', quantity: 4 });
    expect(after.scheduledQuantity).toBe(4);
    expect(after.scheduledChange).toEqual({ productId: 'prd_std', offerId: 'ofr_std_m', productName: 'Standard', term: 'P1M', billingPeriod: 'monthly', setAt: NOW.toISOString() });
  });

  it('replaces the change whole: a PUT of the quantity alone drops the product and offer', async () => {
    const t = setUp({ scheduledChange: { productId: 'prd_std', offerId: 'ofr_std_y', setAt: '2027-03-01T00:00:00.000Z' } });
    const after = await t.service.set(t.sub(), { quantity: 5 });
    expect(after.scheduledChange).toEqual({ setAt: NOW.toISOString() });
    expect(after.scheduledQuantity).toBe(5);
  });

  it('keeps nothing when the change names only what the subscription already has', async () => {
    const t = setUp({ scheduledQuantity: 6 });
    const after = await t.service.set(t.sub(), { offerId: 'ofr_basic_m' });
    expect(after.scheduledChange).toBeUndefined();
    expect(after.scheduledQuantity).toBeUndefined();
  });

  it('allows a downgrade at renewal: a product that lists this one among its upgrade targets', async () => {
    const t = setUp({ productId: 'prd_std', offerId: 'ofr_std_m' });
    expect((await t.service.set(t.sub(), { productId: 'prd_basic', offerId: 'ofr_basic_y' })).scheduledChange).toMatchObject({ productId: 'prd_basic', offerId: 'ofr_basic_y', term: 'P1Y' });
  });

  it.each([
    ['fewer licenses than assigned', {}, { quantity: 2 }, 409, 'below_assigned'],
    ['more than the product sells', {}, { quantity: 301 }, 422, 'quantity_out_of_range'],
    ['an offer of another product', {}, { offerId: 'ofr_std_y' }, 422, 'offer_not_of_product'],
    ['a retired product', { productId: 'prd_std', offerId: 'ofr_std_m' }, { productId: 'prd_old' }, 422, 'product_not_eligible'],
    ['a product that is gone', {}, { productId: 'prd_gone' }, 422, 'product_not_eligible'],
    ['a cancelled subscription', { status: 'cancelled' as const }, { quantity: 4 }, 409, 'invalid_state'],
    ['an expired subscription', { status: 'expired' as const }, { quantity: 4 }, 409, 'invalid_state'],
  ])('refuses %s, writing nothing', async (_case, over, input, status, code) => {
    const t = setUp(over as Partial<Subscription>);
    await expect(t.service.set(t.sub(), input)).rejects.toMatchObject({ status, code });
    expect(t.writes).toEqual([]);
  });

  it('accepts a suspended subscription (it renews if paid before its term ends)', async () => {
    const t = setUp({ status: 'suspended' });
    expect((await t.service.set(t.sub(), { quantity: 4 })).scheduledQuantity).toBe(4);
  });

  it('honours If-Match', async () => {
    const t = setUp();
    await expect(t.service.set(t.sub(), { quantity: 4 }, { ifMatch: t.sub().version - 1 })).rejects.toMatchObject({ status: 412 });
  });
});

describe('dropping the change', () => {
  it('removes the quantity and the product and offer together', async () => {
    const t = setUp({ scheduledQuantity: 4, scheduledChange: { productId: 'prd_std', offerId: 'ofr_std_y', setAt: '2027-03-01T00:00:00.000Z' } });
    const after = await t.service.drop(t.sub());
    expect(t.writes).toEqual([{}]);
    expect(after.scheduledChange).toBeUndefined();
    expect(after.scheduledQuantity).toBeUndefined();
  });

  it('refuses on a cancelled subscription', async () => {
    const t = setUp({ status: 'cancelled' });
    await expect(t.service.drop(t.sub())).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
  });
});

describe('"effective": "renewal" on …/quantity is the quantity of the scheduled change', () => {
  it("is held to the range of the next term's product, and keeps the product and offer scheduled", async () => {
    const { fakeWorld, caller } = await import('./fake-subscriptions.ts');
    const { makeSubscriptionService } = await import('#services/subscriptions.ts');
    const scheduledChange = { productId: 'prd_small', offerId: 'ofr_small_m', productName: 'Small', term: 'P1M', billingPeriod: 'monthly', setAt: NOW.toISOString() };
    const { w, subscriptionDeps } = fakeWorld(aSubscription({ scheduledChange }));
    const products: Record<string, unknown> = { prd_1: { id: 'prd_1', minQuantity: 1, maxQuantity: 300 }, prd_small: { id: 'prd_small', name: 'Small', minQuantity: 1, maxQuantity: 5 } };
    const service = makeSubscriptionService({ ...subscriptionDeps, catalog: { getProduct: async (id: string) => products[id] as never } });
    await expect(service.changeQuantity(caller, w.sub, { quantity: 8, effective: 'renewal' })).rejects.toMatchObject({ status: 422, code: 'quantity_out_of_range', details: [{ path: 'quantity', min: 1, max: 5 }] });
    const outcome = await service.changeQuantity(caller, w.sub, { quantity: 4, effective: 'renewal' });
    expect(outcome.kind === 'subscription' && outcome.subscription).toMatchObject({ scheduledQuantity: 4, scheduledChange });
  });
});

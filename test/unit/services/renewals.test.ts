import { aSubscription, fakeWorld, hoursFrom } from './fake-subscriptions.ts';

const { makeRenewalService } = await import('#services/renewals.ts');

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

import { aSubscription, caller, fakeWorld, hoursFrom, NOW } from './fake-subscriptions.ts';

const { makeSubscriptionService } = await import('#services/subscriptions.ts');

/**
 * The subscription use cases (services/subscriptions.ts) over in-memory repositories: the NCE
 * rules of docs/product.md#subscriptions-and-licenses decide, the order and the subscription change are one write, a raise is
 * charged, the workflow starts. Amounts: a monthly term from 2027-03-10 (period 03-10 … 04-09,
 * 31 days) at 3,100 a license; on 2027-03-15 26 days are left, so a license costs 3100·26/31 = 2,600.
 */
function setUp(sub = aSubscription(), product?: { cancellationWindowHours: number; minQuantity: number; maxQuantity: number }) {
  const { w, subscriptionDeps } = fakeWorld(sub, product);
  return { w, service: makeSubscriptionService(subscriptionDeps) };
}

describe('raising the quantity', () => {
  it('places a change order for the licenses added, charges them prorated to the default card and starts the workflow', async () => {
    const { w, service } = setUp();
    const outcome = await service.changeQuantity(caller, w.sub, { quantity: 12 });
    expect(outcome.kind).toBe('order');
    expect(w.orders).toHaveLength(1);
    const [{ order }] = w.orders as [(typeof w.orders)[number]];
    expect(order).toMatchObject({ type: 'change', total: { amount: 5200, currency: 'EUR' } });
    expect(order.lines[0]).toMatchObject({ action: 'update', quantity: 2, previousQuantity: 10, newQuantity: 12, subscriptionId: 'sub_1' });
    expect(w.charges).toEqual([{ invoice: expect.objectContaining({ accountId: caller.accountId, total: { amount: 5200, currency: 'EUR' } }), reference: order.id }]);
    expect(w.started).toEqual([order.id]);
    expect(w.sub.quantity).toBe(12);
    expect(order.automatic).toBe(true);
  });

  it("waits at the staff gates when the account's orders are processed by hand (orderProcessing: manual)", async () => {
    const { w, service } = setUp();
    w.orderProcessing = 'manual';
    await service.changeQuantity(caller, w.sub, { quantity: 12 });
    const cancelled = setUp(aSubscription({ cancellationWindows: [{ quantity: 10, until: hoursFrom(NOW, 1) }] }));
    cancelled.w.orderProcessing = 'manual';
    await cancelled.service.cancel(caller, cancelled.w.sub, { reason: 'Too many seats' });
    expect([w.orders[0]!.order, cancelled.w.orders[0]!.order]).toEqual([
      expect.objectContaining({ type: 'change', automatic: false }),
      expect.objectContaining({ type: 'cancellation', automatic: false }),
    ]);
  });

  it('waits at the staff gates while the account or one above it is suspended, and names the account on the order', async () => {
    const { w, service } = setUp();
    w.suspended = 'acc_PARENT';
    await service.changeQuantity(caller, w.sub, { quantity: 12 });
    expect(w.orders[0]!.order).toMatchObject({ type: 'change', automatic: false, accountName: 'Contoso' });
  });

  it("opens a window for the added licenses only, as long as the product's cancellationWindowHours, tagged with the order", async () => {
    const { w, service } = setUp(aSubscription({ cancellationWindows: [{ quantity: 10, until: hoursFrom(NOW, 5) }] }), { cancellationWindowHours: 24, minQuantity: 1, maxQuantity: 300 });
    await service.changeQuantity(caller, w.sub, { quantity: 13 });
    const orderId = w.orders[0]!.order.id;
    expect(w.sub.cancellationWindows).toEqual([
      { quantity: 10, until: hoursFrom(NOW, 5) },
      { quantity: 3, until: hoursFrom(NOW, 24), orderId },
    ]);
  });

  it('opens no window when the product has none (0 hours)', async () => {
    const { w, service } = setUp(aSubscription(), { cancellationWindowHours: 0, minQuantity: 1, maxQuantity: 300 });
    await service.changeQuantity(caller, w.sub, { quantity: 11 });
    expect(w.sub.cancellationWindows).toEqual([]);
  });

  it('decides again on the fresh subscription when a concurrent change wins the write', async () => {
    const { w, service } = setUp();
    w.loseRaces = 2;
    await service.changeQuantity(caller, w.sub, { quantity: 11 });
    expect(w.orders).toHaveLength(1);
    expect(w.orders[0]!.subscription.version).toBe(5);
    expect(w.charges).toHaveLength(1);
  });

  it('refuses a quantity outside the product limits and writes nothing', async () => {
    const { w, service } = setUp(aSubscription(), { cancellationWindowHours: 168, minQuantity: 1, maxQuantity: 11 });
    await expect(service.changeQuantity(caller, w.sub, { quantity: 12 })).rejects.toMatchObject({ status: 422, code: 'quantity_out_of_range' });
    expect(w.orders).toEqual([]);
  });

  it('gives the Idempotency-Key back when the workflow does not start (a retry places a new order)', async () => {
    const { w, service } = setUp();
    w.startFails = new Error('no workflow');
    const key = { userId: caller.userId, route: 'POST /v1/subscriptions/sub_1/quantity', key: 'k-12345678', bodyHash: 'h' };
    await expect(service.changeQuantity(caller, w.sub, { quantity: 11 }, key)).rejects.toThrow('no workflow');
    expect(w.released).toEqual([w.orders[0]!.order.id]);
  });
});

describe('lowering the quantity', () => {
  it('lowers now within an open window: a credit prorated, nothing charged, the newest window consumed first', async () => {
    const windows = [
      { quantity: 4, until: hoursFrom(NOW, 10) },
      { quantity: 2, until: hoursFrom(NOW, 100), orderId: 'ord_raise' },
    ];
    const { w, service } = setUp(aSubscription({ cancellationWindows: windows }));
    await service.changeQuantity(caller, w.sub, { quantity: 7 });
    const [{ order }] = w.orders as [(typeof w.orders)[number]];
    expect(order.total).toEqual({ amount: -7800, currency: 'EUR' });
    expect(order.lines[0]).toMatchObject({ quantity: -3, previousQuantity: 10, newQuantity: 7, previousWindows: windows });
    expect(w.charges).toEqual([]);
    expect(w.sub.quantity).toBe(7);
    expect(w.sub.cancellationWindows).toEqual([{ quantity: 3, until: hoursFrom(NOW, 10) }]);
  });

  it('refuses to lower now once the windows have closed, and says when the next one opens', async () => {
    const { w, service } = setUp(aSubscription({ cancellationWindows: [{ quantity: 10, until: hoursFrom(NOW, -1) }] }));
    await expect(service.changeQuantity(caller, w.sub, { quantity: 9 })).rejects.toMatchObject({
      status: 409,
      code: 'cancellation_window_closed',
      details: [expect.objectContaining({ requested: 1, lowerableNow: 0, nextWindowOpens: '2027-04-10' })],
    });
    expect(w.orders).toEqual([]);
  });

  it('refuses to lower more than the open windows hold', async () => {
    const { w, service } = setUp(aSubscription({ cancellationWindows: [{ quantity: 2, until: hoursFrom(NOW, 1) }] }));
    await expect(service.changeQuantity(caller, w.sub, { quantity: 7 })).rejects.toMatchObject({ code: 'cancellation_window_closed' });
  });

  it('refuses to go below the licenses assigned, now or at renewal', async () => {
    const { w, service } = setUp(aSubscription({ assignedCount: 8, cancellationWindows: [{ quantity: 10, until: hoursFrom(NOW, 1) }] }));
    await expect(service.changeQuantity(caller, w.sub, { quantity: 7 })).rejects.toMatchObject({ status: 409, code: 'below_assigned' });
    await expect(service.changeQuantity(caller, w.sub, { quantity: 7, effective: 'renewal' })).rejects.toMatchObject({ code: 'below_assigned' });
    expect(w.orders).toEqual([]);
    expect(w.sub.scheduledQuantity).toBeUndefined();
  });

  it('schedules a lower quantity for the renewal without an order', async () => {
    const { w, service } = setUp();
    const outcome = await service.changeQuantity(caller, w.sub, { quantity: 6, effective: 'renewal' });
    expect(outcome).toMatchObject({ kind: 'subscription', subscription: { scheduledQuantity: 6, quantity: 10 } });
    expect(w.orders).toEqual([]);
  });

  it('changes nothing when the quantity is the one it has', async () => {
    const { w, service } = setUp();
    expect(await service.changeQuantity(caller, w.sub, { quantity: 10 })).toMatchObject({ kind: 'subscription' });
    expect(w.orders).toEqual([]);
  });

  it('refuses a subscription that is not active', async () => {
    const { w, service } = setUp(aSubscription({ status: 'suspended' }));
    await expect(service.changeQuantity(caller, w.sub, { quantity: 12 })).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
  });
});

describe('cancelling', () => {
  it('cancels inside the window: a cancellation order credited prorated, auto-renew off', async () => {
    const { w, service } = setUp(aSubscription({ cancellationWindows: [{ quantity: 10, until: hoursFrom(NOW, 1) }] }));
    const order = await service.cancel(caller, w.sub, { reason: 'Too many seats' });
    expect(order).toMatchObject({ type: 'cancellation', total: { amount: -26000, currency: 'EUR' } });
    expect(w.sub).toMatchObject({ autoRenew: false, cancellation: { reason: 'Too many seats', at: NOW.toISOString(), by: caller.userId } });
    expect(w.charges).toEqual([]);
    expect(w.started).toEqual([order.id]);
  });

  it('refuses once the window has closed, and a second cancellation while one is on its way', async () => {
    const closed = setUp();
    await expect(closed.service.cancel(caller, closed.w.sub, { reason: 'x' })).rejects.toMatchObject({ code: 'cancellation_window_closed' });
    const { w, service } = setUp(aSubscription({ cancellationWindows: [{ quantity: 10, until: hoursFrom(NOW, 1) }] }));
    await service.cancel(caller, w.sub, { reason: 'x' });
    await expect(service.cancel(caller, w.sub, { reason: 'x' })).rejects.toMatchObject({ code: 'invalid_state' });
    expect(w.orders).toHaveLength(1);
  });
});

describe('editing', () => {
  it('turns auto-renew off under the version the client read (If-Match)', async () => {
    const { w, service } = setUp();
    const updated = await service.edit(w.sub, { autoRenew: false }, { ifMatch: 3 });
    expect(updated).toMatchObject({ autoRenew: false, version: 4 });
    await expect(service.edit(w.sub, { autoRenew: true }, { ifMatch: 3 })).rejects.toMatchObject({ status: 412 });
  });

  it('refuses another domain, and an expired subscription', async () => {
    const { w, service } = setUp();
    await expect(service.edit(w.sub, { domainId: 'dom_other' })).rejects.toMatchObject({ code: 'domain_immutable' });
    await expect(service.edit(aSubscription({ status: 'expired' }), { autoRenew: true })).rejects.toMatchObject({ code: 'invalid_state' });
  });
});

describe('credit notes (docs/commerce.md "Credit notes")', () => {
  const windows = [{ quantity: 10, until: hoursFrom(NOW, 1), orderId: 'ord_bought' }];
  const invoice = (over: Record<string, unknown>) => ({ id: 'inv_bought', number: 'INV-000009', status: 'unpaid', total: { amount: 31000, currency: 'EUR' }, version: 3, ...over });

  it('reduces what is still due on the unpaid invoice it corrects, in the same write, and names it', async () => {
    const { w, service } = setUp(aSubscription({ cancellationWindows: windows }));
    w.placed.set('ord_bought', { invoiceId: 'inv_bought' });
    w.invoices.set('inv_bought', invoice({}));
    await service.cancel(caller, w.sub, { reason: 'x' });
    const [written] = w.orders as [(typeof w.orders)[number]];
    expect(written.invoice).toMatchObject({ kind: 'credit_note', correctsInvoiceId: 'inv_bought', total: { amount: -26000, currency: 'EUR' } });
    expect(written.apply).toMatchObject({ invoiceId: 'inv_bought', version: 3, amountDue: { amount: 5000, currency: 'EUR' }, settled: false });
    expect(w.refunds).toEqual([]);
  });

  it('settles the corrected invoice when the credit covers what is left on it', async () => {
    const { w, service } = setUp(aSubscription({ cancellationWindows: windows }));
    w.placed.set('ord_bought', { invoiceId: 'inv_bought' });
    w.invoices.set('inv_bought', invoice({ amountDue: { amount: 20000, currency: 'EUR' } }));
    await service.cancel(caller, w.sub, { reason: 'x' });
    expect(w.orders[0]!.apply).toMatchObject({ amountDue: { amount: 0, currency: 'EUR' }, settled: true });
  });

  it('refunds a paid invoice’s card once, under the credit note’s id, and records it', async () => {
    const { w, service } = setUp(aSubscription({ cancellationWindows: windows }));
    w.placed.set('ord_bought', { invoiceId: 'inv_bought' });
    w.invoices.set('inv_bought', invoice({ status: 'paid', chargeReference: 'ord_bought' }));
    await service.cancel(caller, w.sub, { reason: 'x' });
    const creditNote = w.orders[0]!.invoice!;
    expect(creditNote).toMatchObject({ kind: 'credit_note', correctsInvoiceId: 'inv_bought', refund: { amount: { amount: 26000, currency: 'EUR' }, reference: creditNote.id } });
    expect(w.orders[0]!.apply).toBeUndefined();
    expect(w.refunds).toEqual([{ reference: 'ord_bought', refundReference: creditNote.id, amount: 26000 }]);
    expect(w.refunded).toEqual([creditNote.id]);
  });
});

import { aSubscription, caller, fakeWorld, NOW } from './fake-subscriptions.ts';
import { PaymentDeclinedError } from '#platform/payments/port.ts';

const { makeSubscriptionService } = await import('#services/subscriptions.ts');
const { makeCardCharge } = await import('#services/card-charge.ts');

/**
 * A raise paid with the payment method chosen (services/subscriptions.ts with services/card-charge.ts,
 * docs/product.md#changing-the-license-count): a card is charged before the change is written, so a
 * decline keeps nothing; a write lost to a concurrent change gives the charge back and charges the
 * fresh order; another account's method is 404, an expired card 422; `invoice` charges nothing.
 * Amounts as in subscriptions.test.ts: 2 licenses added on 2027-03-15 cost 2 × 2,600 = 5,200.
 */
const card = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  accountId: caller.accountId,
  type: 'card' as const,
  gatewayToken: `tok_${id}`,
  brand: 'visa',
  last4: '4242',
  expMonth: 12,
  expYear: 2030,
  isDefault: false,
  ...over,
});

function setUp() {
  const { w, subscriptionDeps } = fakeWorld(aSubscription());
  const methods: Record<string, ReturnType<typeof card>> = {
    pm_chosen: card('pm_chosen'),
    pm_declines: card('pm_declines'),
    pm_expired: card('pm_expired', { expYear: 2026 }),
    pm_other: card('pm_other', { accountId: 'acc_OTHER' }),
    pm_invoice: { ...card('pm_invoice'), type: 'invoice' as never, gatewayToken: undefined as never },
  };
  const gateway: { charged: Array<{ reference: string; amount: number; token: string }>; refunded: string[]; pending: string[]; cleared: string[] } = { charged: [], refunded: [], pending: [], cleared: [] };
  const cards = makeCardCharge({
    methods: { getPaymentMethod: async (id: string) => methods[id] as never },
    charges: {
      recordPendingCharge: async (c: { reference: string }) => void gateway.pending.push(c.reference),
      clearPendingCharge: async (reference: string) => void gateway.cleared.push(reference),
    },
    gateway: () => ({
      charge: async (c: { token: string; amount: number; reference: string }) => {
        if (c.token === 'tok_pm_declines') throw new PaymentDeclinedError('card_declined');
        gateway.charged.push({ reference: c.reference, amount: c.amount, token: c.token });
        return { chargeId: `ch_${c.reference}` };
      },
    }),
    refundPendingCharge: async (reference: string) => {
      gateway.refunded.push(reference);
      return true;
    },
    clock: { now: () => NOW },
  });
  return { w, gateway, service: makeSubscriptionService({ ...subscriptionDeps, cards }) };
}

describe('a raise paid with the payment method chosen', () => {
  it('charges the chosen card before the write, writes the invoice paid with it, and never the default card', async () => {
    const { w, gateway, service } = setUp();
    const outcome = await service.changeQuantity(caller, w.sub, { quantity: 12, paymentMethodId: 'pm_chosen' });
    expect(outcome.kind).toBe('order');
    const [{ order, invoice }] = w.orders as [(typeof w.orders)[number]];
    expect(gateway.charged).toEqual([{ reference: order.id, amount: 5200, token: 'tok_pm_chosen' }]);
    expect(invoice).toMatchObject({ status: 'paid', chargeId: `ch_${order.id}`, chargeReference: order.id, paymentMethodId: 'pm_chosen', total: { amount: 5200 } });
    // The pending charge was recorded first and cleared once the order stood behind it.
    expect(gateway.pending).toEqual([order.id]);
    expect(gateway.cleared).toEqual([order.id]);
    expect(w.charges).toEqual([]);
    expect(w.sub.quantity).toBe(12);
  });

  it('answers a decline with 402 payment_declined and writes nothing', async () => {
    const { w, gateway, service } = setUp();
    await expect(service.changeQuantity(caller, w.sub, { quantity: 12, paymentMethodId: 'pm_declines' })).rejects.toMatchObject({ status: 402, code: 'payment_declined' });
    expect(w.orders).toEqual([]);
    expect(w.sub.quantity).toBe(10);
    expect(w.started).toEqual([]);
    expect(gateway.pending).toHaveLength(1);
    expect(gateway.cleared).toEqual(gateway.pending);
  });

  it('gives the charge back when a concurrent change wins the write, and charges the fresh order once', async () => {
    const { w, gateway, service } = setUp();
    w.loseRaces = 1;
    await service.changeQuantity(caller, w.sub, { quantity: 11, paymentMethodId: 'pm_chosen' });
    expect(w.orders).toHaveLength(1);
    const written = w.orders[0]!.order.id;
    expect(gateway.charged.map((c) => c.reference)).toHaveLength(2);
    const [lost, kept] = gateway.charged.map((c) => c.reference) as [string, string];
    expect(kept).toBe(written);
    expect(lost).not.toBe(written);
    expect(gateway.refunded).toEqual([lost]);
  });

  it("refuses another account's payment method (404) and an expired card (422 card_expired), charging nothing", async () => {
    const { w, gateway, service } = setUp();
    await expect(service.changeQuantity(caller, w.sub, { quantity: 12, paymentMethodId: 'pm_other' })).rejects.toMatchObject({ status: 404 });
    await expect(service.changeQuantity(caller, w.sub, { quantity: 12, paymentMethodId: 'pm_missing' })).rejects.toMatchObject({ status: 404 });
    await expect(service.changeQuantity(caller, w.sub, { quantity: 12, paymentMethodId: 'pm_expired' })).rejects.toMatchObject({ status: 422, code: 'card_expired' });
    expect(gateway.pending).toEqual([]);
    expect(w.orders).toEqual([]);
  });

  it('leaves the invoice unpaid with the invoice method: no card, not even the default, is charged', async () => {
    const { w, gateway, service } = setUp();
    await service.changeQuantity(caller, w.sub, { quantity: 12, paymentMethodId: 'pm_invoice' });
    expect(w.orders[0]!.invoice).toMatchObject({ status: 'unpaid' });
    expect(gateway.charged).toEqual([]);
    expect(w.charges).toEqual([]);
  });

  it('charges nothing for a lowering, whatever method is named (it is a credit)', async () => {
    const { w, gateway, service } = setUp();
    w.sub.cancellationWindows = [{ quantity: 10, until: new Date(NOW.getTime() + 3_600_000).toISOString() }];
    await service.changeQuantity(caller, w.sub, { quantity: 8, paymentMethodId: 'pm_chosen' });
    expect(w.orders[0]!.order.total.amount).toBeLessThan(0);
    expect(gateway.pending).toEqual([]);
  });
});

import { jest } from '@jest/globals';
import { cardOf, fakeGateway, fakeStore, invoiceOf, NOW } from './fake-billing.ts';

const { makePaymentService, INVOICE_CHANGED, NOT_PAYABLE, NO_CARD, UNCONFIRMED, REFERENCE_SPENT } = await import('#services/payments.ts');
const { logger } = await import('#platform/logger.ts');
jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
jest.spyOn(logger, 'error').mockImplementation(() => undefined);

/**
 * The card payment of an invoice (services/payments.ts) over in-memory repositories and gateway
 * (fake-billing.ts): claimed once, charged once per reference, paid in one conditional write, and
 * every charge that pays nothing given back.
 */
function setUp(invoice = invoiceOf(), methods = [cardOf()]) {
  const { store, charges, methodRepo, notifyPaymentFailed } = fakeStore([invoice], methods);
  const gw = fakeGateway();
  const service = makePaymentService({ charges, methods: methodRepo, notifyPaymentFailed, gateway: () => gw.gateway });
  return { store, gw, service, invoice: store.invoices.get(invoice.id)! };
}

describe('chargeInvoice', () => {
  it('pays an unpaid invoice with the card: charged once, marked paid with the charge, the pending charge and the claim gone', async () => {
    const { service, invoice, store, gw } = setUp();
    const outcome = await service.chargeInvoice(invoice, 'pm_01JD0000000000000000000001', 'ref-1');
    expect(outcome).toEqual({ paid: true, chargeId: 'ch_ref-1', paymentMethodId: 'pm_01JD0000000000000000000001' });
    expect(store.invoices.get(invoice.id)).toMatchObject({ status: 'paid', chargeReference: 'ref-1', paidAt: NOW.toISOString() });
    expect(store.invoices.get(invoice.id)!.payingReference).toBeUndefined();
    expect(store.pending.size).toBe(0);
    expect(gw.succeeded()).toHaveLength(1);
  });

  it('charges an invoice once when two payments with different references run in parallel; the other is not payable and charges nothing', async () => {
    const { service, invoice, store, gw } = setUp();
    const outcomes = await Promise.all([service.chargeInvoice(invoice, undefined, 'ref-a'), service.chargeInvoice(invoice, undefined, 'ref-b')]);
    expect(outcomes.filter((o) => o.paid)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.paid)).toEqual([{ paid: false, reason: NOT_PAYABLE }]);
    expect(gw.charges.size).toBe(1);
    expect(gw.succeeded()).toHaveLength(1);
    expect(store.invoices.get(invoice.id)!.status).toBe('paid');
  });

  it('does not charge an invoice that is already paid or void', async () => {
    for (const status of ['paid', 'void'] as const) {
      const { service, invoice, gw } = setUp(invoiceOf({ status }));
      expect(await service.chargeInvoice(invoice, undefined, 'ref-1')).toEqual({ paid: false, reason: NOT_PAYABLE });
      expect(gw.charges.size).toBe(0);
    }
  });

  it('leaves the invoice unpaid on a declined card: nothing pending, the claim released, the billing contacts told', async () => {
    const { service, invoice, store, gw } = setUp(invoiceOf(), [cardOf({ gatewayToken: 'tok_decline' })]);
    expect(await service.chargeInvoice(invoice, undefined, 'ref-1')).toEqual({ paid: false, reason: 'card_declined' });
    expect(store.invoices.get(invoice.id)).toMatchObject({ status: 'unpaid' });
    expect(store.invoices.get(invoice.id)!.payingReference).toBeUndefined();
    expect(store.pending.size).toBe(0);
    expect(store.failedNotices).toEqual([{ number: invoice.number, reason: 'card_declined' }]);
    expect(gw.charges.size).toBe(0);
  });

  it('refunds an unconfirmed charge and leaves the invoice unpaid, without a "payment failed" email', async () => {
    const { service, invoice, store, gw } = setUp(invoiceOf(), [cardOf({ gatewayToken: 'tok_unconfirmed' })]);
    expect(await service.chargeInvoice(invoice, undefined, 'ref-1')).toEqual({ paid: false, reason: UNCONFIRMED });
    expect(gw.charges.get('ref-1')?.status).toBe('refunded');
    expect(store.invoices.get(invoice.id)!.status).toBe('unpaid');
    expect(store.pending.size).toBe(0);
    expect(store.failedNotices).toEqual([]);
  });

  it('does not replay a refunded reference as a payment', async () => {
    const { service, invoice, store, gw } = setUp();
    gw.charges.set('ref-1', { token: 'tok_ok', amount: 7200, status: 'refunded' });
    expect(await service.chargeInvoice(invoice, undefined, 'ref-1')).toEqual({ paid: false, reason: REFERENCE_SPENT });
    expect(store.invoices.get(invoice.id)!.status).toBe('unpaid');
    expect(gw.succeeded()).toEqual([]);
  });

  it('refunds the charge when the invoice was voided while its card was charged', async () => {
    const { service, invoice, store, gw } = setUp();
    gw.state.onCharge = () => {
      store.invoices.get(invoice.id)!.status = 'void';
    };
    expect(await service.chargeInvoice(invoice, undefined, 'ref-1')).toEqual({ paid: false, reason: INVOICE_CHANGED });
    expect(gw.charges.get('ref-1')?.status).toBe('refunded');
    expect(store.pending.size).toBe(0);
  });

  it('charges nothing without a card of the invoice\'s account', async () => {
    const { service, invoice, gw, store } = setUp(invoiceOf(), [cardOf({ accountId: 'acc_01JD0000000000000000000009' })]);
    expect(await service.chargeInvoice(invoice, 'pm_01JD0000000000000000000001', 'ref-1')).toEqual({ paid: false, reason: NO_CARD });
    expect(store.invoices.get(invoice.id)!.payingReference).toBeUndefined();
    expect(gw.charges.size).toBe(0);
  });
});

describe('refundPendingCharge (a paid invoice voided with its order)', () => {
  const voided = () => invoiceOf({ status: 'void', chargeReference: 'ref-1', refund: { amount: invoiceOf().total, reference: 'ref-1', requestedAt: NOW.toISOString() } });

  it('refunds the charge at the gateway, shows the refund on the invoice and forgets the pending charge', async () => {
    const { service, store, gw } = setUp(voided());
    gw.charges.set('ref-1', { token: 'tok_ok', amount: 7200, status: 'succeeded' });
    store.pending.set('ref-1', { reference: 'ref-1', accountId: voided().accountId, amount: voided().total, invoiceId: voided().id });
    expect(await service.refundPendingCharge('ref-1')).toBe(true);
    expect(gw.charges.get('ref-1')?.status).toBe('refunded');
    expect(store.invoices.get(voided().id)!.refundedAt).toBe(NOW.toISOString());
    expect(store.pending.size).toBe(0);
  });

  it('keeps the pending charge for the job, and does not throw, when the gateway cannot be reached', async () => {
    const { service, store, gw } = setUp(voided());
    gw.state.unreachable = true;
    store.pending.set('ref-1', { reference: 'ref-1', accountId: voided().accountId, amount: voided().total, invoiceId: voided().id });
    expect(await service.refundPendingCharge('ref-1')).toBe(false);
    expect(store.pending.has('ref-1')).toBe(true);
    expect(store.invoices.get(voided().id)!.refundedAt).toBeUndefined();
  });
});

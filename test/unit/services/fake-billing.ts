import { ChargeRefundedError, PaymentDeclinedError, PaymentUnconfirmedError } from '#platform/payments/port.ts';
import type { Invoice } from '#data/invoices.ts';
import type { PaymentMethod } from '#data/payment-methods.ts';
import type { Money } from '#domain/money.ts';

/**
 * In-memory stand-ins for the billing repositories (data/charges.ts, data/invoices.ts) and the card
 * gateway port. Each write is a conditional write as the table makes it: checked and applied in one
 * step, after a turn of the event loop, so parallel calls interleave the way requests do.
 */
export const NOW = new Date('2027-01-10T09:00:00.000Z');
export const clock = { now: () => NOW, nowIso: () => NOW.toISOString() };

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export const ACCOUNT = { id: 'acc_01JD0000000000000000000001', name: 'Fabrikam', parentId: 'acc_01JD0000000000000000000002', rootId: 'acc_01JD0000000000000000000002', accountPath: ['acc_01JD0000000000000000000002', 'acc_01JD0000000000000000000001'], type: 'customer' as const, settings: { currency: 'EUR', locale: 'de' as const, orderProcessing: 'automatic' as const, allowSelfServicePurchases: false } };
export const ADMIN = { id: 'usr_01JD0000000000000000000001', login: 'frida@fabrikam.example.com', firstName: 'Frida', lastName: 'Fabrikam', locale: 'de' as const, email: 'frida@fabrikam.example.com' };

export const eur = (amount: number): Money => ({ amount, currency: 'EUR' });

export function invoiceOf(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 'inv_01JD0000000000000000000001',
    number: 'INV-000001',
    accountId: ACCOUNT.id,
    parentId: ACCOUNT.parentId,
    rootId: ACCOUNT.rootId,
    accountPath: ACCOUNT.accountPath,
    status: 'unpaid',
    issuedAt: '2027-01-02T09:00:00.000Z',
    dueAt: '2027-01-26',
    lines: [{ description: 'Business Basic', quantity: 10, unitPrice: eur(720), amount: eur(7200), subscriptionId: 'sub_01JD0000000000000000000001' }],
    total: eur(7200),
    reason: 'purchase',
    subscriptionIds: ['sub_01JD0000000000000000000001'],
    createdAt: '2027-01-02T09:00:00.000Z',
    version: 1,
    ...overrides,
  } as Invoice;
}

export function cardOf(overrides: Partial<PaymentMethod> = {}): PaymentMethod {
  return {
    id: 'pm_01JD0000000000000000000001',
    accountId: ACCOUNT.id,
    parentId: ACCOUNT.parentId,
    rootId: ACCOUNT.rootId,
    accountPath: ACCOUNT.accountPath,
    type: 'card',
    gatewayToken: 'tok_ok',
    brand: 'visa',
    last4: '4242',
    expMonth: 12,
    expYear: 2029,
    holderName: 'Frida Fabrikam',
    isDefault: true,
    createdAt: '2027-01-01T09:00:00.000Z',
    version: 1,
    ...overrides,
  } as PaymentMethod;
}

type Pending = { reference: string; accountId: string; amount: Money; invoiceId?: string; claimedAt?: string };

/**
 * The gateway: `tok_decline` is declined, `tok_unconfirmed` is charged but the answer is lost,
 * `tok_down` cannot be reached (charge or refund); anything else is charged. One charge per
 * reference; a refunded reference is refused.
 */
export function fakeGateway() {
  const charges = new Map<string, { token: string; amount: number; status: 'succeeded' | 'refunded' }>();
  const state = { unreachable: false, onCharge: undefined as undefined | ((reference: string) => void | Promise<void>) };
  const gateway = {
    async charge(input: { token: string; amount: number; currency: string; reference: string }) {
      await turn();
      if (input.token === 'tok_down') throw new Error('gateway unreachable');
      if (input.token === 'tok_decline') throw new PaymentDeclinedError('card_declined');
      const earlier = charges.get(input.reference);
      if (earlier?.status === 'refunded') throw new ChargeRefundedError(input.reference);
      if (!earlier) charges.set(input.reference, { token: input.token, amount: input.amount, status: 'succeeded' });
      await state.onCharge?.(input.reference);
      if (input.token === 'tok_unconfirmed') throw new PaymentUnconfirmedError(input.reference);
      return { chargeId: `ch_${input.reference}` };
    },
    async refund(reference: string) {
      await turn();
      if (state.unreachable) throw new Error('gateway unreachable');
      const charge = charges.get(reference);
      if (charge) charge.status = 'refunded';
    },
  };
  const succeeded = () => [...charges.values()].filter((c) => c.status === 'succeeded');
  return { gateway, charges, state, succeeded };
}

/** The invoices and pending charges, with the charge repository's conditional writes. */
export function fakeStore(invoices: Invoice[] = [], methods: PaymentMethod[] = [cardOf()]) {
  const store = {
    invoices: new Map(invoices.map((i) => [i.id, { ...i }])),
    pending: new Map<string, Pending>(),
    methods: new Map(methods.map((m) => [m.id, m])),
    failedNotices: [] as Array<{ number: string; reason: string }>,
  };
  const payable = (i: Invoice | undefined) => i?.status === 'unpaid' || i?.status === 'overdue';
  const charges = {
    async claimInvoice(invoiceId: string, reference: string) {
      await turn();
      const i = store.invoices.get(invoiceId);
      const free = !i?.payingReference || i.payingReference === reference || (i.payingUntil ?? '') < clock.nowIso();
      if (!i || !payable(i) || !free) return false;
      Object.assign(i, { payingReference: reference, payingUntil: new Date(NOW.getTime() + 120_000).toISOString() });
      return true;
    },
    async releaseClaim(invoiceId: string, reference: string) {
      await turn();
      const i = store.invoices.get(invoiceId);
      if (i?.payingReference === reference) {
        delete i.payingReference;
        delete i.payingUntil;
      }
    },
    async recordInvoiceCharge(charge: Pending) {
      await turn();
      if (store.pending.get(charge.reference)?.claimedAt) return false;
      store.pending.set(charge.reference, { ...charge });
      return true;
    },
    async markInvoicePaid(invoiceId: string, paid: { reference: string; chargeId: string; paymentMethodId: string }) {
      await turn();
      const i = store.invoices.get(invoiceId);
      const pending = store.pending.get(paid.reference);
      if (!i || i.payingReference !== paid.reference || !payable(i) || !pending || pending.claimedAt) return false;
      Object.assign(i, { status: 'paid', paidAt: clock.nowIso(), chargeId: paid.chargeId, chargeReference: paid.reference, paymentMethodId: paid.paymentMethodId, version: i.version + 1 });
      delete i.payingReference;
      delete i.payingUntil;
      store.pending.delete(paid.reference);
      return true;
    },
    async restorePendingCharge(charge: Pending) {
      await turn();
      store.pending.set(charge.reference, { ...charge });
    },
    async getPendingCharge(reference: string) {
      await turn();
      return store.pending.get(reference);
    },
    async clearPendingCharge(reference: string) {
      await turn();
      store.pending.delete(reference);
    },
    async markRefunded(invoiceId: string, reference: string) {
      await turn();
      const i = store.invoices.get(invoiceId);
      if (i && i.chargeReference === reference && i.refund && !i.refundedAt) i.refundedAt = clock.nowIso();
    },
  };
  const methodRepo = {
    async getPaymentMethod(id: string) {
      return store.methods.get(id);
    },
    async defaultPaymentMethod(accountId: string) {
      return [...store.methods.values()].find((m) => m.accountId === accountId && m.isDefault);
    },
  };
  const notifyPaymentFailed = async (invoice: { number: string }, reason: string) => {
    store.failedNotices.push({ number: invoice.number, reason });
  };
  return { store, charges, methodRepo, notifyPaymentFailed };
}

import { jest } from '@jest/globals';
import type { Caller } from '#platform/caller.ts';
import type { DueQuery } from '#data/due-keys.ts';
import type { Invoice, NewInvoice } from '#data/invoices.ts';
import type { OutboxItem } from '#emails/index.ts';
import { ACCOUNT, ADMIN, cardOf, eur, fakeGateway, fakeStore, invoiceOf } from './fake-billing.ts';

const { makeBillingService } = await import('#services/billing.ts');
const { makePaymentService } = await import('#services/payments.ts');
const { logger } = await import('#platform/logger.ts');
const { fakeInvoicing } = await import('./fake-pricing.ts');
jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
jest.spyOn(logger, 'error').mockImplementation(() => undefined);

/**
 * The invoice use cases (services/billing.ts) over in-memory repositories (fake-billing.ts): paying
 * by card, the billing job's periodic invoice and the dunning job's decisions by day. The fake
 * writes carry the table's conditions, so a second run of a job is seen to change nothing.
 */
const CUSTOMER_ADMIN: Caller = { userId: ADMIN.id, accountId: ACCOUNT.id, accountType: 'customer', role: 'admin', accountPath: ACCOUNT.accountPath, rootId: ACCOUNT.rootId };

type Sub = {
  id: string;
  accountId: string;
  status: 'active' | 'suspended' | 'cancelled' | 'expired' | 'pending';
  currentTermStart?: string;
  billingPeriod: string;
  term: string;
  unitPrice: { amount: number; currency: string };
  quantity: number;
  name: string;
  domain: string;
  version: number;
  nextBillingDate?: string;
  suspendedAt?: string;
  cancelsOn?: string;
};

const subscriptionOf = (over: Partial<Sub> = {}): Sub => ({
  id: 'sub_01JD0000000000000000000001',
  accountId: ACCOUNT.id,
  status: 'active',
  // A one-year term from 2027-01-10 billed monthly: the period of 2027-02-10 is 02-10 … 03-09.
  currentTermStart: '2027-01-10',
  billingPeriod: 'monthly',
  term: 'P1Y',
  unitPrice: eur(720),
  quantity: 10,
  name: 'Business Basic',
  domain: 'fabrikam.onmicrosoft.com',
  version: 4,
  nextBillingDate: '2027-02-10',
  ...over,
});

function setUp(
  opts: {
    invoices?: Invoice[];
    subs?: Sub[];
    methods?: ReturnType<typeof cardOf>[];
    account?: { billingContact?: { name: string; email: string }; settings?: { suspensionGraceDays?: number } };
  } = {},
) {
  const { store, charges, methodRepo, notifyPaymentFailed } = fakeStore(opts.invoices ?? [], opts.methods ?? [cardOf()]);
  const gw = fakeGateway();
  const payments = makePaymentService({ charges, methods: methodRepo, notifyPaymentFailed, gateway: () => gw.gateway });
  const subs = new Map((opts.subs ?? []).map((s) => [s.id, { ...s }]));
  const emails: OutboxItem[] = [];
  const audit: Array<{ action: string; resourceId?: string }> = [];
  const reactivated: string[] = [];
  let numbers = 0;
  let ids = 0;
  const invoices = {
    async getInvoice(id: string) {
      const found = store.invoices.get(id);
      return found ? { ...found } : undefined;
    },
    async withInvoiceNumber<T>(_sellerId: string, write: (number: string, seat: { sellerId: string; n: number }) => Promise<T>): Promise<T> {
      const n = numbers + 1;
      const written = await write(`INV-${String(n).padStart(6, '0')}`, { sellerId: _sellerId, n });
      numbers = n;
      return written;
    },
    async issuePeriodInvoice(input: { invoice: NewInvoice; seat: { sellerId: string; n: number }; subscription: { id: string; version: number; billedOn: string; nextBillingDate?: string }; audit: { action: string; resourceId?: string } }) {
      const sub = subs.get(input.subscription.id);
      if (!sub || sub.version !== input.subscription.version || sub.nextBillingDate !== input.subscription.billedOn) return false;
      Object.assign(sub, { nextBillingDate: input.subscription.nextBillingDate, version: sub.version + 1 });
      store.invoices.set(input.invoice.id, { ...input.invoice, version: 1 } as Invoice);
      audit.push(input.audit);
      return true;
    },
    async recordReminder(invoiceId: string, mails: OutboxItem[]) {
      const i = store.invoices.get(invoiceId);
      if (!i || i.status !== 'unpaid' || i.reminderSent) return false;
      i.reminderSent = true;
      emails.push(...mails);
      return true;
    },
    async markOverdue(
      invoiceId: string,
      change: { suspend: Array<{ id: string; version: number }>; audit: { action: string; resourceId?: string }; emails: OutboxItem[]; grace?: { step: 'warn' | 'cancel'; on: string; cancelsOn: string; suspendedAt: string } },
    ) {
      const i = store.invoices.get(invoiceId);
      if (!i || i.status !== 'unpaid') return false;
      if (change.suspend.some((s) => subs.get(s.id)?.version !== s.version)) return false;
      i.status = 'overdue';
      if (change.grace) Object.assign(i, { graceStep: change.grace.step, graceOn: change.grace.on, cancelsOn: change.grace.cancelsOn });
      for (const s of change.suspend) {
        Object.assign(subs.get(s.id)!, { status: 'suspended', version: s.version + 1, ...(change.grace ? { suspendedAt: change.grace.suspendedAt, cancelsOn: change.grace.cancelsOn } : {}) });
      }
      audit.push(change.audit);
      emails.push(...change.emails);
      return true;
    },
    async recordGraceWarning(invoiceId: string, day: string, cancelsOn: string, mails: OutboxItem[]) {
      const i = store.invoices.get(invoiceId);
      if (!i || i.status !== 'overdue' || i.graceStep !== 'warn' || i.graceOn !== day) return false;
      Object.assign(i, { graceStep: 'cancel', graceOn: cancelsOn });
      emails.push(...mails);
      return true;
    },
    async cancelUnpaid(invoiceId: string, day: string, change: { cancel: Array<{ id: string; version: number }>; audits: Array<{ action: string; resourceId?: string }>; emails: OutboxItem[] }) {
      const i = store.invoices.get(invoiceId);
      if (!i || i.status !== 'overdue' || i.graceStep !== 'cancel' || i.graceOn !== day) return false;
      if (change.cancel.some((c) => subs.get(c.id)?.version !== c.version || subs.get(c.id)?.status !== 'suspended')) return false;
      Object.assign(i, { graceStep: undefined, graceOn: undefined });
      for (const c of change.cancel) Object.assign(subs.get(c.id)!, { status: 'cancelled', version: c.version + 1, cancelsOn: undefined });
      audit.push(...change.audits);
      emails.push(...change.emails);
      return true;
    },
    async dropGrace(invoiceId: string, day: string) {
      const i = store.invoices.get(invoiceId);
      if (i?.graceOn === day) Object.assign(i, { graceStep: undefined, graceOn: undefined });
    },
    async queueEmails(mails: OutboxItem[]) {
      emails.push(...mails);
    },
    async reactivate(invoice: { subscriptionIds?: string[] | null }) {
      reactivated.push(...(invoice.subscriptionIds ?? []));
    },
  };
  const account = { ...ACCOUNT, ...(opts.account ?? {}), settings: { ...ACCOUNT.settings, ...(opts.account?.settings ?? {}) } };
  const service = makeBillingService({
    invoices,
    accounts: { getAccount: async (id: string) => (id === ACCOUNT.id ? account : undefined) },
    admins: { listActiveAdmins: async () => [ADMIN as never] },
    subscriptions: { getSubscription: async (id: string) => subs.get(id) as never },
    methods: { getPaymentMethod: methodRepo.getPaymentMethod },
    payments,
    invoicing: fakeInvoicing(),
    newInvoiceId: () => `inv_01JD00000000000000000000${String(++ids).padStart(2, '0')}`,
  });
  /** A job run of `day` over the fake due indexes: the billing index by `nextBillingDate`, the invoices' by `dueAt` while unpaid. */
  const runOf = (day: string) => {
    const counts = { processed: 0, skipped: 0, read: [] as string[] };
    const run = {
      day,
      now: new Date(`${day}T05:00:00.000Z`),
      async *due<T>(query: DueQuery): AsyncIterable<T> {
        counts.read.push(query.prefix);
        const [kind, on] = query.prefix.split('#');
        if (kind === 'bill') for (const s of [...subs.values()].filter((x) => x.nextBillingDate === on)) yield { ...s } as T;
        if (kind === 'inv') for (const i of [...store.invoices.values()].filter((x) => x.dueAt === on && x.status === 'unpaid')) yield { ...i } as T;
        if (kind === 'grace') for (const i of [...store.invoices.values()].filter((x) => x.graceOn === on)) yield { ...i } as T;
      },
      tally(processed: boolean) {
        if (processed) counts.processed += 1;
        else counts.skipped += 1;
      },
    };
    return { run, counts };
  };
  return { service, store, gw, subs, emails, audit, reactivated, runOf };
}

describe('payInvoice', () => {
  it('pays an unpaid invoice by card and answers it paid', async () => {
    const { service, gw } = setUp({ invoices: [invoiceOf()] });
    const paid = await service.payInvoice(CUSTOMER_ADMIN, invoiceOf().id, cardOf().id, 'key-1');
    expect(paid).toMatchObject({ status: 'paid', paymentMethodId: cardOf().id });
    expect(gw.succeeded()).toHaveLength(1);
  });

  it('claims the invoice once under two parallel payments: one pays, the other answers 409 invalid_state, one charge', async () => {
    const { service, gw, store } = setUp({ invoices: [invoiceOf()] });
    const answers = await Promise.allSettled([
      service.payInvoice(CUSTOMER_ADMIN, invoiceOf().id, cardOf().id, 'key-1'),
      service.payInvoice(CUSTOMER_ADMIN, invoiceOf().id, cardOf().id, 'key-2'),
    ]);
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refused.map((r) => r.reason)).toEqual([expect.objectContaining({ status: 409, code: 'invalid_state' })]);
    expect(gw.charges.size).toBe(1);
    expect(store.invoices.get(invoiceOf().id)!.status).toBe('paid');
  });

  it('charges what is still due once a credit note reduced it, not the total (docs/commerce.md "Credit notes")', async () => {
    const { service, gw } = setUp({ invoices: [invoiceOf({ amountDue: eur(2500) })] });
    await service.payInvoice(CUSTOMER_ADMIN, invoiceOf().id, cardOf().id, 'key-1');
    expect([...gw.charges.values()].map((c) => c.amount)).toEqual([2500]);
  });

  it('answers 402 on a declined card and leaves the invoice unpaid', async () => {
    const { service, store } = setUp({ invoices: [invoiceOf()], methods: [cardOf({ gatewayToken: 'tok_decline' })] });
    await expect(service.payInvoice(CUSTOMER_ADMIN, invoiceOf().id, cardOf().id, 'key-1')).rejects.toMatchObject({ status: 402, code: 'payment_declined' });
    expect(store.invoices.get(invoiceOf().id)!.status).toBe('unpaid');
  });

  it('refuses a paid invoice with 409 without charging, and an invoice method with 422', async () => {
    const paid = setUp({ invoices: [invoiceOf({ status: 'paid' })] });
    await expect(paid.service.payInvoice(CUSTOMER_ADMIN, invoiceOf().id, cardOf().id, 'key-1')).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
    expect(paid.gw.charges.size).toBe(0);
    const byTransfer = setUp({ invoices: [invoiceOf()], methods: [cardOf({ type: 'invoice', gatewayToken: undefined })] });
    await expect(byTransfer.service.payInvoice(CUSTOMER_ADMIN, invoiceOf().id, cardOf().id, 'key-1')).rejects.toMatchObject({ status: 422, code: 'card_required' });
  });

  it('reactivates what an overdue invoice suspended once it is paid', async () => {
    const { service, reactivated } = setUp({ invoices: [invoiceOf({ status: 'overdue' })] });
    await service.payInvoice(CUSTOMER_ADMIN, invoiceOf().id, cardOf().id, 'key-1');
    expect(reactivated).toEqual(invoiceOf().subscriptionIds);
  });

  it('answers 404 for an invoice of another account', async () => {
    const { service } = setUp({ invoices: [invoiceOf({ accountId: 'acc_01JD0000000000000000000009', accountPath: ['acc_01JD0000000000000000000009'] })] });
    await expect(service.payInvoice(CUSTOMER_ADMIN, invoiceOf().id, cardOf().id, 'key-1')).rejects.toMatchObject({ status: 404 });
  });
});

describe('the billing job', () => {
  it('issues the period\'s invoice once however often the day runs, charges the default card and moves the billing date', async () => {
    const { service, store, subs, emails, gw, runOf } = setUp({ subs: [subscriptionOf()] });
    const first = runOf('2027-02-10');
    await service.runBilling(first.run);
    const second = runOf('2027-02-10');
    await service.runBilling(second.run);
    expect([first.counts.processed, second.counts.processed]).toEqual([1, 0]);
    const issued = [...store.invoices.values()];
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({
      status: 'paid',
      reason: 'billing_period',
      dueAt: '2027-02-26',
      total: eur(7200),
      lines: [{ description: 'Business Basic (2027-02-10 – 2027-03-09)', quantity: 10, subscriptionId: subscriptionOf().id }],
    });
    expect(subs.get(subscriptionOf().id)).toMatchObject({ nextBillingDate: '2027-03-10', version: 5 });
    expect(gw.succeeded()).toHaveLength(1);
    expect(emails.map((e) => [e.template, e.to, (e.data as { paid: boolean }).paid])).toEqual([['invoice-issued', ADMIN.login, true]]);
    // The account's support contact closes it (the notifier reads it by this id).
    expect(emails.map((e) => e.accountId)).toEqual([subscriptionOf().accountId]);
  });

  it('issues an unpaid invoice when the account has no card', async () => {
    const { service, store, runOf } = setUp({ subs: [subscriptionOf()], methods: [] });
    await service.runBilling(runOf('2027-02-10').run);
    expect([...store.invoices.values()].map((i) => i.status)).toEqual(['unpaid']);
  });

  it('skips a cancelled subscription and one billed on another day', async () => {
    const { service, store, runOf } = setUp({ subs: [subscriptionOf({ status: 'cancelled' })] });
    const { run, counts } = runOf('2027-02-10');
    await service.runBilling(run);
    expect(counts).toMatchObject({ processed: 0, skipped: 1 });
    expect(await service.billSubscription(subscriptionOf(), { day: '2027-02-11', now: new Date('2027-02-11T05:00:00Z') })).toBe(false);
    expect(store.invoices.size).toBe(0);
  });
});

describe('the dunning job', () => {
  const DUE = '2027-01-26';
  const dueInvoice = (over: Partial<Invoice> = {}) => invoiceOf({ dueAt: DUE, ...over });

  it.each([
    ['2027-01-22', 'nothing (due in 4 days)', 0, 'unpaid'],
    ['2027-01-23', 'the reminder (due in 3 days)', 1, 'unpaid'],
    ['2027-01-24', 'nothing (due in 2 days)', 0, 'unpaid'],
    ['2027-01-26', 'nothing (due today)', 0, 'unpaid'],
    ['2027-01-27', 'overdue (due yesterday)', 1, 'overdue'],
    ['2027-01-28', 'nothing (the run of 01-27 handles it)', 0, 'unpaid'],
  ])('on %s an unpaid invoice due 2027-01-26 gets %s', async (day, _what, processed, status) => {
    const { service, store, runOf } = setUp({ invoices: [dueInvoice()], subs: [subscriptionOf()] });
    const { run, counts } = runOf(day);
    await service.runDunning(run);
    expect(counts.processed).toBe(processed);
    expect(store.invoices.get(dueInvoice().id)!.status).toBe(status);
  });

  it('reads the due index for D+3 and D−1, and the grace steps of D, only', async () => {
    const { service, runOf } = setUp();
    const { run, counts } = runOf('2027-01-27');
    await service.runDunning(run);
    expect(counts.read).toEqual(['inv#2027-01-30', 'inv#2027-01-26', 'grace#2027-01-27']);
  });

  it('sends the payment reminder once however often the day runs', async () => {
    const { service, emails, runOf } = setUp({ invoices: [dueInvoice()] });
    await service.runDunning(runOf('2027-01-23').run);
    await service.runDunning(runOf('2027-01-23').run);
    expect(emails.map((e) => [e.template, e.to, e.accountId])).toEqual([['payment-reminder', ADMIN.login, dueInvoice().accountId]]);
  });

  it('makes an invoice overdue the day after its due date, suspends the active subscriptions it bills and tells the admins, once', async () => {
    const { service, store, subs, emails, audit, runOf } = setUp({ invoices: [dueInvoice()], subs: [subscriptionOf()] });
    await service.runDunning(runOf('2027-01-27').run);
    await service.runDunning(runOf('2027-01-27').run);
    expect(store.invoices.get(dueInvoice().id)!.status).toBe('overdue');
    expect(subs.get(subscriptionOf().id)).toMatchObject({ status: 'suspended', version: 5 });
    expect(emails.map((e) => [e.template, (e.data as { subscriptions: unknown }).subscriptions])).toEqual([
      ['subscription-suspended', [{ name: 'Business Basic', domain: 'fabrikam.onmicrosoft.com' }]],
    ]);
    expect(audit).toEqual([
      expect.objectContaining({ action: 'invoice.overdue', resourceId: dueInvoice().id, details: { suspended: [subscriptionOf().id], cancelsOn: '2027-02-26' } }),
    ]);
  });

  it('makes an invoice overdue without suspending or emailing when what it bills is no longer active', async () => {
    const { service, store, subs, emails, runOf } = setUp({ invoices: [dueInvoice()], subs: [subscriptionOf({ status: 'cancelled' })] });
    await service.runDunning(runOf('2027-01-27').run);
    expect(store.invoices.get(dueInvoice().id)!.status).toBe('overdue');
    expect(subs.get(subscriptionOf().id)!.status).toBe('cancelled');
    expect(emails).toEqual([]);
  });

  it('leaves a paid invoice alone', async () => {
    const { service, emails } = setUp({ invoices: [dueInvoice({ status: 'paid' })], subs: [subscriptionOf()] });
    expect(await service.markOverdue(dueInvoice({ status: 'paid' }), DUE, { day: '2027-01-27', now: new Date('2027-01-27T05:00:00Z') })).toBe(false);
    expect(await service.remind(dueInvoice({ status: 'paid' }), DUE)).toBe(false);
    expect(emails).toEqual([]);
  });
});

describe('the dunning job: not paying (grace and cancellation)', () => {
  const DUE = '2027-01-26';
  const dueInvoice = (over: Partial<Invoice> = {}) => invoiceOf({ dueAt: DUE, ...over });
  const days = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) out.push(d.toISOString().slice(0, 10));
    return out;
  };

  it('suspends on 01-27, warns 7 days before the 30th day and cancels on it, each once however often every day runs', async () => {
    const { service, subs, emails, audit, runOf } = setUp({ invoices: [dueInvoice()], subs: [subscriptionOf()] });
    for (const day of days('2027-01-27', '2027-03-05')) {
      await service.runDunning(runOf(day).run);
      await service.runDunning(runOf(day).run);
    }
    expect(emails.map((e) => e.template)).toEqual(['subscription-suspended', 'service-at-risk', 'subscriptions-cancelled']);
    expect(emails[1]!.data).toMatchObject({ cancelsOn: '2027-02-26', invoiceNumber: dueInvoice().number, subscriptions: [{ name: 'Business Basic' }] });
    expect(subs.get(subscriptionOf().id)).toMatchObject({ status: 'cancelled', suspendedAt: '2027-01-27T05:00:00.000Z' });
    expect(audit.map((a) => a.action)).toEqual(['invoice.overdue', 'subscription.cancelled_unpaid']);
  });

  it('sends the warning on the 19th of February (30 days, 7 before) and cancels on the 26th, not a day earlier', async () => {
    const { service, subs, emails, runOf } = setUp({ invoices: [dueInvoice()], subs: [subscriptionOf()] });
    await service.runDunning(runOf('2027-01-27').run);
    await service.runDunning(runOf('2027-02-18').run);
    expect(emails.map((e) => e.template)).toEqual(['subscription-suspended']);
    await service.runDunning(runOf('2027-02-19').run);
    expect(emails.map((e) => e.template)).toEqual(['subscription-suspended', 'service-at-risk']);
    await service.runDunning(runOf('2027-02-25').run);
    expect(subs.get(subscriptionOf().id)!.status).toBe('suspended');
    await service.runDunning(runOf('2027-02-26').run);
    expect(subs.get(subscriptionOf().id)!.status).toBe('cancelled');
  });

  it("takes the account's grace: 10 days → warned on 01-30, cancelled on 02-06", async () => {
    const { service, subs, emails, runOf } = setUp({ invoices: [dueInvoice()], subs: [subscriptionOf()], account: { settings: { suspensionGraceDays: 10 } } });
    await service.runDunning(runOf('2027-01-27').run);
    await service.runDunning(runOf('2027-01-30').run);
    expect(emails.at(-1)!.data).toMatchObject({ cancelsOn: '2027-02-06' });
    await service.runDunning(runOf('2027-02-06').run);
    expect(subs.get(subscriptionOf().id)!.status).toBe('cancelled');
  });

  it('cancels nothing and sends no warning once the invoice is paid (the subscription reactivated)', async () => {
    const { service, store, subs, emails, runOf } = setUp({ invoices: [dueInvoice()], subs: [subscriptionOf()] });
    await service.runDunning(runOf('2027-01-27').run);
    const invoice = store.invoices.get(dueInvoice().id)!;
    invoice.status = 'paid';
    Object.assign(subs.get(subscriptionOf().id)!, { status: 'active', cancelsOn: undefined });
    for (const day of days('2027-01-28', '2027-03-05')) await service.runDunning(runOf(day).run);
    expect(emails.map((e) => e.template)).toEqual(['subscription-suspended']);
    expect(subs.get(subscriptionOf().id)!.status).toBe('active');
    expect(invoice.graceOn).toBeUndefined();
  });

  it('sends the invoice and dunning emails to the billing contact, in the account language, instead of the admins', async () => {
    const contact = { name: 'Accounts Payable', email: 'ap@fabrikam.example.com' };
    const { service, emails, runOf } = setUp({ invoices: [dueInvoice()], subs: [subscriptionOf()], account: { billingContact: contact } });
    for (const day of ['2027-01-23', '2027-01-27', '2027-02-19', '2027-02-26']) await service.runDunning(runOf(day).run);
    expect(emails.map((e) => [e.template, e.to, e.locale])).toEqual([
      ['payment-reminder', contact.email, 'de'],
      ['subscription-suspended', contact.email, 'de'],
      ['service-at-risk', contact.email, 'de'],
      ['subscriptions-cancelled', contact.email, 'de'],
    ]);
  });
});

import { getAccount, type Account } from '#data/accounts.ts';
import { billingDueOn, graceDueOn, invoicesDueOn, type DueQuery } from '#data/due-keys.ts';
import * as invoiceRepo from '#data/invoices.ts';
import type { Invoice, InvoiceLine } from '#data/invoices.ts';
import { getPaymentMethod } from '#data/payment-methods.ts';
import { getSubscription, type Subscription } from '#data/subscriptions.ts';
import { listActiveAdmins } from '#data/users.ts';
import { billingRecipients, outboxEmail } from '#emails/index.ts';
import type { Caller } from '#platform/caller.ts';
import { env } from '#platform/env.ts';
import { AppError, BusinessRuleRefused, Conflict, NotFound } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { logger } from '#platform/logger.ts';
import { authorize } from '#platform/scope.ts';
import { becomesOverdue, dueDate, dunningDays, isPayable, needsReminder } from '#domain/billing.ts';
import { cancelsNow, graceAction, graceDays, graceDaysOf } from '#domain/grace.ts';
import { times } from '#domain/money.ts';
import { buyerMaySee, isSelfServiceBuyer, methodPaysFor } from '#domain/self-service.ts';
import { billingPeriodAt, nextBillingDate } from '#domain/subscription-rules.ts';
import type { Term } from '#domain/terms.ts';
import { invoicing, type InvoiceBuyer, type Invoicing } from './invoicing.ts';
import { INVOICE_CHANGED, NOT_PAYABLE, REFERENCE_SPENT, UNCONFIRMED, paymentService } from './payments.ts';

/**
 * Invoices' use cases (docs/product.md#billing, docs/product.md#scheduled-jobs): paying one by card, the billing job's periodic invoices
 * and the dunning job's reminders, overdue moves and suspensions. Every write is one conditional
 * transaction of data/invoices.ts (or data/charges.ts for the payment), so a second run of a job,
 * or a second payment, changes nothing.
 */

/** A subscription as the billing index holds it. */
export type BilledSubscription = Pick<
  Subscription,
  'id' | 'accountId' | 'status' | 'currentTermStart' | 'billingPeriod' | 'term' | 'unitPrice' | 'unitChain' | 'quantity' | 'name' | 'version'
> & { nextBillingDate?: string };

/** What a daily job hands the service: its day and time, the due items it reads, and its count. */
export interface DueRun {
  readonly day: string;
  readonly now: Date;
  due<T>(query: DueQuery): AsyncIterable<T>;
  tally(processed: boolean): void;
}

type Admin = Awaited<ReturnType<typeof listActiveAdmins>>[number];

export interface BillingDeps {
  invoices: Pick<
    typeof invoiceRepo,
    'getInvoice' | 'withInvoiceNumber' | 'issuePeriodInvoice' | 'recordReminder' | 'markOverdue' | 'queueEmails' | 'reactivate' | 'recordGraceWarning' | 'cancelUnpaid' | 'dropGrace'
  >;
  accounts: { getAccount(id: string): Promise<(InvoiceBuyer & Pick<Account, 'accountPath' | 'billingContact'>) | undefined> };
  /** Who issues the invoice and how it is taxed (services/invoicing.ts): one per job run. */
  invoicing: () => Pick<Invoicing, 'taxed'>;
  admins: { listActiveAdmins(accountId: string): Promise<Admin[]> };
  subscriptions: { getSubscription(id: string, consistent?: boolean): Promise<Pick<Subscription, 'id' | 'status' | 'version' | 'name' | 'domain' | 'cancelsOn' | 'accountId' | 'accountPath' | 'productId' | 'quantity' | 'autoRenew' | 'currentTermEnd'> | undefined> };
  methods: { getPaymentMethod: typeof getPaymentMethod };
  payments: Pick<typeof paymentService, 'chargeInvoice'>;
  newInvoiceId: () => string;
}

const BILLING = { system: 'billing-job' };
const DUNNING = { system: 'dunning-job' };

export function makeBillingService(deps: BillingDeps) {
  const { invoices, accounts, admins, subscriptions, methods, payments } = deps;

  /**
   * Pays an invoice by card (docs/product.md#billing): a payment that finds it paid, void or held by another
   * payment answers 409 `invalid_state` without charging; a decline 402 (the billing contacts are
   * emailed); an unconfirmed charge 503 (given back); paying an overdue invoice reactivates what
   * it suspended. `attempt` makes this attempt's charge reference: each attempt charges under its
   * own, so a retry after a refunded, unconfirmed charge does not replay that refunded charge.
   */
  async function payInvoice(caller: Caller, invoiceId: string, paymentMethodId: string, attempt: string): Promise<Invoice> {
    // A customer `user` pays what it bought itself, with its own card; admins with the account's (domain/self-service.ts).
    const buyer = isSelfServiceBuyer(caller);
    const found = authorize(caller, await invoices.getInvoice(invoiceId), buyer ? 'read' : 'manage');
    if (!buyerMaySee(caller, found)) throw new NotFound();
    const current = await invoices.getInvoice(invoiceId, true);
    if (!current || !isPayable(current.status)) {
      throw new Conflict('invalid_state', `The invoice is ${current?.status ?? 'gone'}.`, [{ status: current?.status ?? null }]);
    }
    if (current.total.amount <= 0) throw new Conflict('invalid_state', 'A credit is not paid.');
    const method = await methods.getPaymentMethod(paymentMethodId);
    if (!method || method.accountId !== current.accountId || !methodPaysFor(method, buyer ? caller.userId : undefined)) {
      throw new NotFound('No such payment method on this account.');
    }
    if (method.type !== 'card') throw new BusinessRuleRefused('card_required', 'An invoice is paid here by card; the invoice method means paying by transfer.');
    // Claimed, charged and marked paid at most once, whatever the keys or the concurrency (services/payments.ts).
    const outcome = await payments.chargeInvoice(current, method.id, `${current.id}:${attempt}`);
    if (!outcome.paid) {
      if (outcome.reason === UNCONFIRMED || outcome.reason === REFERENCE_SPENT) {
        throw new AppError(503, 'try_again', 'The card processor did not confirm the payment; the invoice stays unpaid and any amount taken is given back. Try again.');
      }
      if (outcome.reason === NOT_PAYABLE) {
        const now = await invoices.getInvoice(current.id, true);
        throw new Conflict('invalid_state', `The invoice is ${now?.status === 'paid' || now?.status === 'void' ? now.status : 'being paid by another payment'}.`, [{ status: now?.status ?? null }]);
      }
      if (outcome.reason === INVOICE_CHANGED) {
        const now = await invoices.getInvoice(current.id, true);
        throw new Conflict('invalid_state', 'The invoice changed while the card was charged; the charge was given back.', [{ status: now?.status ?? null }]);
      }
      throw new AppError(402, 'payment_declined', 'The card was declined; the invoice stays unpaid.', [{ reason: outcome.reason }]);
    }
    if (current.status === 'overdue') await invoices.reactivate(current);
    return (await invoices.getInvoice(current.id, true))!;
  }

  /**
   * The invoice of the billing period starting on the run's day (docs/product.md#billing, docs/product.md#scheduled-jobs) for one
   * subscription, charged to the account's default card when there is one; the next period's date
   * replaces the day in the billing index in the same transaction, so a second run finds nothing.
   */
  async function billSubscription(sub: BilledSubscription, at: { day: string; now: Date }, taxing = deps.invoicing()): Promise<boolean> {
    if (sub.nextBillingDate !== at.day || sub.status === 'cancelled' || sub.status === 'expired' || !sub.currentTermStart) return false;
    const account = await accounts.getAccount(sub.accountId);
    if (!account) return false;
    const billingPeriod = sub.billingPeriod as 'monthly' | 'annual';
    const period = billingPeriodAt(sub.currentTermStart, billingPeriod, at.day);
    const next = nextBillingDate(sub.currentTermStart, sub.term as Term, billingPeriod, at.day);
    const net = times(sub.unitPrice, sub.quantity);
    const due = dueDate(at.now);
    const contacts = await admins.listActiveAdmins(sub.accountId);
    const chain = sub.unitChain as InvoiceLine['chain'];
    const lines: InvoiceLine[] = [
      { description: `${sub.name} (${period.start} – ${period.end})`, quantity: sub.quantity, unitPrice: sub.unitPrice, amount: net, subscriptionId: sub.id, ...(chain ? { chain } : {}) },
    ];
    const taxed = await taxing.taxed(account, lines, net.currency, at.day);
    const draft = {
      id: deps.newInvoiceId(),
      accountId: sub.accountId,
      parentId: account.parentId ?? account.id,
      rootId: account.rootId,
      accountPath: account.accountPath,
      status: 'unpaid' as const,
      issuedAt: at.now.toISOString(),
      dueAt: due,
      ...taxed,
      servicePeriod: period,
      reason: 'billing_period',
      subscriptionIds: [sub.id],
      createdAt: at.now.toISOString(),
    };
    const total = draft.total;
    // The number is the seller's next, taken in the issuing transaction (gapless, data/invoices.ts).
    const { issued, invoice } = await invoices.withInvoiceNumber(taxed.sellerId, async (number, seat) => {
      const invoice = { ...draft, number };
      const issued = await invoices.issuePeriodInvoice({
        invoice,
        seat,
        subscription: { id: sub.id, version: sub.version, billedOn: at.day, nextBillingDate: next },
        audit: { accountId: sub.accountId, action: 'invoice.issued', resourceType: 'invoice', resourceId: invoice.id, ...BILLING, details: { subscriptionId: sub.id, period } },
      });
      return { issued, invoice };
    });
    if (!issued) return false;
    const paid = await payments.chargeInvoice(invoice, undefined, invoice.id);
    await invoices.queueEmails(
      billingRecipients(account, contacts).map((to) =>
        outboxEmail('invoice-issued', to, {
          accountName: account.name,
          invoiceNumber: invoice.number,
          total,
          dueOn: due,
          lines: invoice.lines.map((l) => ({ description: l.description, amount: l.amount })),
          portalUrl: env.portalUrl(),
          paid: paid.paid,
        }, { accountId: invoice.accountId }),
      ),
    );
    return true;
  }

  /** The payment reminder for an unpaid invoice due on `dueAt`, once, to the billing contact (else the account's admins). */
  async function remind(invoice: Invoice, dueAt: string): Promise<boolean> {
    if (!needsReminder(invoice, dueAt)) return false;
    const [account, contacts] = await Promise.all([accounts.getAccount(invoice.accountId), admins.listActiveAdmins(invoice.accountId)]);
    const emails = billingRecipients(account, contacts).map((to) =>
      outboxEmail('payment-reminder', to, {
        accountName: account?.name ?? invoice.accountId,
        invoiceNumber: invoice.number,
        total: invoice.total,
        dueOn: invoice.dueAt,
        portalUrl: env.portalUrl(),
      }, { accountId: invoice.accountId }),
    );
    return invoices.recordReminder(invoice.id, emails);
  }

  /**
   * An invoice still unpaid after its due date `dueAt` becomes overdue; the active subscriptions it
   * bills are suspended (until the account's grace ends: then cancelled, docs/product.md#billing
   * "Not paying") and the billing contact told. The invoice waits in the grace index for its warning.
   */
  async function markOverdue(invoice: Invoice, dueAt: string, at: { day: string; now: Date }): Promise<boolean> {
    if (!becomesOverdue(invoice, dueAt)) return false;
    const [account, contacts] = await Promise.all([accounts.getAccount(invoice.accountId), admins.listActiveAdmins(invoice.accountId)]);
    const subs = (await Promise.all((invoice.subscriptionIds ?? []).map((id) => subscriptions.getSubscription(id, true)))).filter(
      (s): s is NonNullable<typeof s> => Boolean(s && s.status === 'active'),
    );
    const days = graceDays(at.day, graceDaysOf(account?.settings ?? {}));
    const grace = subs.length
      ? { step: days.warnOn ? ('warn' as const) : ('cancel' as const), on: days.warnOn ?? days.cancelOn, cancelsOn: days.cancelOn, suspendedAt: at.now.toISOString() }
      : undefined;
    const emails = subs.length
      ? billingRecipients(account, contacts).map((to) =>
          outboxEmail('subscription-suspended', to, {
            accountName: account?.name ?? invoice.accountId,
            invoiceNumber: invoice.number,
            subscriptions: subs.map((s) => ({ name: s.name, domain: s.domain })),
            portalUrl: env.portalUrl(),
          }, { accountId: invoice.accountId }),
        )
      : [];
    return invoices.markOverdue(invoice.id, {
      suspend: subs,
      invoice,
      audit: {
        accountId: invoice.accountId,
        action: 'invoice.overdue',
        resourceType: 'invoice',
        resourceId: invoice.id,
        ...DUNNING,
        details: { suspended: subs.map((s) => s.id), ...(grace ? { cancelsOn: grace.cancelsOn } : {}) },
      },
      emails,
      ...(grace ? { grace } : {}),
    });
  }

  /** The subscriptions of an overdue invoice that are still suspended for it (read consistently). */
  async function stillSuspended(invoice: Invoice) {
    const subs = await Promise.all((invoice.subscriptionIds ?? []).map((id) => subscriptions.getSubscription(id, true)));
    return subs.filter((s): s is NonNullable<typeof s> => Boolean(s && s.status === 'suspended'));
  }

  /**
   * The grace step of an overdue invoice on `day` (docs/product.md#billing "Not paying"): the warning
   * 7 days before the cancellation, or the cancellation of the subscriptions still suspended; an
   * invoice paid (or voided) meanwhile only leaves the index. Each is one conditional transaction,
   * so a second run of the day sends and cancels nothing more.
   */
  async function graceStep(invoice: Invoice, day: string, now: Date): Promise<boolean> {
    const action = graceAction(invoice, day);
    if (action === 'drop') {
      await invoices.dropGrace(invoice.id, day);
      return false;
    }
    const [account, contacts, subs] = await Promise.all([accounts.getAccount(invoice.accountId), admins.listActiveAdmins(invoice.accountId), stillSuspended(invoice)]);
    const accountName = account?.name ?? invoice.accountId;
    const portalUrl = env.portalUrl();
    if (action === 'warn') {
      const cancelsOn = invoice.cancelsOn ?? day;
      const emails = subs.length
        ? billingRecipients(account, contacts).map((to) =>
            outboxEmail('service-at-risk', to, {
              accountName,
              invoiceNumber: invoice.number,
              total: invoice.amountDue ?? invoice.total,
              cancelsOn,
              subscriptions: subs.map((s) => ({ name: s.name, domain: s.domain })),
              portalUrl,
            }, { accountId: invoice.accountId }),
          )
        : [];
      return invoices.recordGraceWarning(invoice.id, day, cancelsOn, emails);
    }
    const cancel = subs.filter((s) => cancelsNow(s, day));
    const emails = cancel.length
      ? billingRecipients(account, contacts).map((to) =>
          outboxEmail('subscriptions-cancelled', to, {
            accountName,
            invoiceNumber: invoice.number,
            subscriptions: cancel.map((s) => ({ name: s.name, domain: s.domain })),
            portalUrl,
          }, { accountId: invoice.accountId }),
        )
      : [];
    return invoices.cancelUnpaid(invoice.id, day, {
      cancel,
      at: now.toISOString(),
      by: DUNNING.system,
      audits: cancel.map((s) => ({
        accountId: invoice.accountId,
        action: 'subscription.cancelled_unpaid',
        resourceType: 'subscription',
        resourceId: s.id,
        ...DUNNING,
        details: { invoiceId: invoice.id, invoiceNumber: invoice.number },
      })),
      emails,
    });
  }

  /** The billing job's day: every subscription whose billing period starts on it. */
  async function runBilling(run: DueRun): Promise<void> {
    // One invoicing per run: the rate table and each profile read once.
    const taxing = deps.invoicing();
    for await (const sub of run.due<BilledSubscription>(billingDueOn(run.day))) {
      try {
        run.tally(await billSubscription(sub, run, taxing));
      } catch (err) {
        // A sale the rate table cannot tax (422 tax_rate_missing): left in the index for a later run, once the distributor adds the rate.
        if (!(err instanceof AppError) || err.status !== 422) throw err;
        logger.error('billing: period not invoiced', { subscriptionId: sub.id, code: err.code, details: err.details });
        run.tally(false);
      }
    }
  }

  /**
   * The dunning job's day D: reminders for invoices due on D+3, overdue for those due on D−1, then
   * the grace steps (warnings and cancellations) that fall on D.
   */
  async function runDunning(run: DueRun): Promise<void> {
    const { remindFor, overdueFor } = dunningDays(run.day);
    for await (const invoice of run.due<Invoice>(invoicesDueOn(remindFor))) run.tally(await remind(invoice, remindFor));
    for await (const invoice of run.due<Invoice>(invoicesDueOn(overdueFor))) run.tally(await markOverdue(invoice, overdueFor, run));
    for await (const invoice of run.due<Invoice>(graceDueOn(run.day))) run.tally(await graceStep(invoice, run.day, run.now));
  }

  return { payInvoice, billSubscription, remind, markOverdue, graceStep, runDunning, runBilling };
}

export const billingService = makeBillingService({
  invoices: invoiceRepo,
  accounts: { getAccount },
  admins: { listActiveAdmins },
  subscriptions: { getSubscription },
  methods: { getPaymentMethod },
  payments: paymentService,
  invoicing,
  newInvoiceId: () => newId('invoice'),
});

import * as accountRepo from '#data/accounts.ts';
import * as invoiceRepo from '#data/invoices.ts';
import type { Invoice, InvoiceLine } from '#data/invoices.ts';
import { listActiveAdmins } from '#data/users.ts';
import { billingRecipients, outboxEmail } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { AppError } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { logger } from '#platform/logger.ts';
import { DISTRIBUTOR_ID } from '#domain/accounts.ts';
import { dueDate } from '#domain/billing.ts';
import { money, type Money } from '#domain/money.ts';
import { roundHalfUp } from '#domain/subscription-rules.ts';
import { invoicing, type Invoicing } from './invoicing.ts';
import { paymentService } from './payments.ts';

/**
 * Resellers' monthly statements (docs/commerce.md "Who pays whom"): on the 1st, each reseller gets
 * one invoice from the distributor for the previous month's charges and credits on its customers'
 * invoices, at the reseller price, due by the 26th rule, charged to its default card when it has
 * one, and dunned like any invoice. Each customer line becomes a statement line at the reseller's
 * share: `amount × resellerPrice / unitPrice`, rounded half-up, so a full-price line is exactly
 * `resellerPrice × quantity` and a prorated or credited one is prorated alike. A line whose chain has
 * no reseller price (sold before the distributor priced its resellers) is owed at the customer price.
 */
export interface StatementDeps {
  accounts: Pick<typeof accountRepo, 'resellersOf' | 'getAccount'>;
  invoices: Pick<typeof invoiceRepo, 'invoicesOfSeller' | 'issueStatement' | 'withInvoiceNumber' | 'queueEmails'>;
  admins: { listActiveAdmins: typeof listActiveAdmins };
  payments: Pick<typeof paymentService, 'chargeInvoice'>;
  invoicing: () => Pick<Invoicing, 'taxed'>;
  newInvoiceId: () => string;
  distributorId: string;
}

/** The month before `day` (yyyy-mm-dd): its key (yyyy-mm) and its bounds as ISO times `[from, to)`. */
export function previousMonth(day: string): { month: string; from: string; to: string; start: string; end: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 2, 1));
  const next = new Date(Date.UTC(y, m - 1, 1));
  const iso = (d: Date) => d.toISOString();
  return { month: iso(start).slice(0, 7), from: iso(start), to: iso(next), start: iso(start).slice(0, 10), end: iso(new Date(next.getTime() - 86_400_000)).slice(0, 10) };
}

/** One customer invoice line as the reseller owes it. */
export function statementLine(invoice: Pick<Invoice, 'number' | 'buyer' | 'accountId'>, line: InvoiceLine): InvoiceLine {
  const resellerUnit: Money = line.chain?.resellerPrice ?? line.unitPrice;
  const amount = line.unitPrice.amount === 0 ? 0 : roundHalfUp(line.amount.amount * resellerUnit.amount, line.unitPrice.amount);
  const chain = { sell: resellerUnit, ...(line.chain?.cost ? { cost: line.chain.cost } : {}) };
  return {
    description: `${invoice.number} · ${invoice.buyer?.name ?? invoice.accountId} · ${line.description}`,
    quantity: line.quantity,
    unitPrice: resellerUnit,
    amount: money(amount, line.amount.currency),
    ...(line.subscriptionId ? { subscriptionId: line.subscriptionId } : {}),
    chain,
  };
}

const STATEMENTS = { system: 'billing-job' };

export function makeStatementService(deps: StatementDeps) {
  /** The statement of one reseller for the month before `at.day`; false when there is nothing to bill or it exists. */
  async function issueFor(reseller: accountRepo.Account, at: { day: string; now: Date }, taxing: Pick<Invoicing, 'taxed'>): Promise<boolean> {
    const period = previousMonth(at.day);
    const sold = await deps.invoices.invoicesOfSeller(reseller.id, period.from, period.to);
    const lines = sold.flatMap((i) => i.lines.map((l) => statementLine(i, l)));
    if (!lines.length) return false;
    const currency = reseller.settings.currency;
    // A reseller is billed in its own currency; lines in another are left out and logged (its customers pay in its currency).
    const own = lines.filter((l) => l.amount.currency === currency);
    if (own.length < lines.length) logger.warn('statement: lines in another currency left out', { resellerId: reseller.id, month: period.month, left: lines.length - own.length });
    if (!own.length) return false;
    const taxed = await taxing.taxed(reseller, own, currency, at.day);
    const draft = {
      id: deps.newInvoiceId(),
      accountId: reseller.id,
      parentId: reseller.parentId ?? reseller.id,
      rootId: reseller.rootId,
      accountPath: reseller.accountPath,
      status: taxed.total.amount > 0 ? ('unpaid' as const) : ('paid' as const),
      issuedAt: at.now.toISOString(),
      dueAt: dueDate(at.now),
      ...taxed,
      kind: 'statement' as const,
      servicePeriod: { start: period.start, end: period.end },
      reason: 'statement',
      createdAt: at.now.toISOString(),
      ...(taxed.total.amount > 0 ? {} : { paidAt: at.now.toISOString() }),
    };
    const { issued, invoice } = await deps.invoices.withInvoiceNumber(taxed.sellerId, async (number, seat) => {
      const invoice = { ...draft, number };
      const issued = await deps.invoices.issueStatement({
        invoice,
        month: period.month,
        seat,
        audit: { accountId: reseller.id, action: 'invoice.issued', resourceType: 'invoice', resourceId: invoice.id, ...STATEMENTS, details: { statement: period.month, lines: own.length } },
      });
      return { issued, invoice };
    });
    if (!issued) return false;
    const paid = invoice.status === 'unpaid' ? await deps.payments.chargeInvoice(invoice, undefined, invoice.id) : { paid: true };
    const contacts = await deps.admins.listActiveAdmins(reseller.id);
    await deps.invoices.queueEmails(
      billingRecipients(reseller, contacts).map((to) =>
        outboxEmail('invoice-issued', to, {
          accountName: reseller.name,
          invoiceNumber: invoice.number,
          total: invoice.total,
          dueOn: invoice.dueAt,
          lines: [{ description: `${period.start} – ${period.end}: ${own.length}`, amount: invoice.total }],
          portalUrl: env.portalUrl(),
          paid: paid.paid,
        }, { accountId: reseller.id }),
      ),
    );
    return true;
  }

  /** The billing job's statements: on the 1st of a month, each reseller's for the month before. */
  async function runStatements(run: { day: string; now: Date; tally(processed: boolean): void }): Promise<void> {
    if (!run.day.endsWith('-01')) return;
    const taxing = deps.invoicing();
    for (const reseller of await deps.accounts.resellersOf(deps.distributorId)) {
      try {
        run.tally(await issueFor(reseller, run, taxing));
      } catch (err) {
        // An untaxable statement (422 tax_rate_missing) waits for the rate; the other resellers go on.
        if (!(err instanceof AppError) || err.status !== 422) throw err;
        logger.error('statement not issued', { resellerId: reseller.id, code: err.code });
        run.tally(false);
      }
    }
  }

  return { issueFor, runStatements };
}

export const statementService = makeStatementService({
  accounts: accountRepo,
  invoices: invoiceRepo,
  admins: { listActiveAdmins },
  payments: paymentService,
  invoicing,
  newInvoiceId: () => newId('invoice'),
  distributorId: DISTRIBUTOR_ID,
});


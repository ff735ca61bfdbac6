import type { EntityItem } from 'electrodb';
import { db, type InvoiceEntity } from './entities.ts';
import { isConditionalFailure, EMPTY_PAGE, isEmptyRange, retryOnConflict, RETRY, scopedQuery, withCursor, type Page, type TxOutcome } from './tx.ts';
import { auditItem, recordAudit, type AuditInput } from './audit.ts';
import { getAccount } from './accounts.ts';
import { listActiveAdmins } from './users.ts';
import { billingKeys, invoiceDueKeys } from './due-keys.ts';
import { outboxEmail, recipientOf, type OutboxItem } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { logger } from '#platform/logger.ts';
import { TransientError } from '#platform/errors.ts';
import type { Caller } from '#platform/caller.ts';
import type { InvoiceStatus } from '#domain/billing.ts';
import type { Money } from '#domain/money.ts';

/**
 * Invoices (docs/product.md#billing): reads, the billing job's issue, the dunning job's reminder and overdue
 * moves, each one conditional transaction so a second run of a job changes nothing. The card
 * payment's claim and paid transaction are in data/charges.ts.
 */
export interface InvoiceLine {
  description: string;
  quantity: number;
  /** Net, per unit (tax is added per rate on the whole invoice: domain/tax.ts `invoiceTotals`). */
  unitPrice: Money;
  /** Net. */
  amount: Money;
  subscriptionId?: string;
  /** The VAT rate the line is taxed at, in basis points (0 under reverse charge or outside scope). */
  rateBps?: number;
  /**
   * The line's unit price chain as the order line stored it (docs/commerce.md): shown only through
   * `figuresFor`, never to the buyer.
   */
  chain?: UnitChain;
}

/** A unit's prices down the tree; a figure the lists could not give is absent. */
export interface UnitChain {
  cost?: Money;
  resellerPrice?: Money;
  sell: Money;
}

/** A party to an invoice, as it was when the invoice was issued (its legal fields). */
export interface InvoiceParty {
  accountId: string;
  name: string;
  legalName?: string;
  country?: string;
  vatId?: string;
  address?: { line1: string; line2?: string; city: string; postalCode: string; state?: string; country: string };
}

export interface InvoiceTax {
  rateBps: number;
  net: Money;
  tax: Money;
}

/** How the sale was taxed (domain/tax.ts); `untaxed`: the seller had no tax profile when it issued it. */
export type TaxTreatmentKind = 'domestic' | 'destination' | 'reverse_charge' | 'outside_scope' | 'untaxed';

export type InvoiceKind = 'invoice' | 'credit_note' | 'statement';

export interface InvoiceRefund {
  amount: Money;
  reference: string;
  requestedAt: string;
}

/** The stored invoice: the entity's attributes, with the shape of those it stores as documents (lines, money, refund). */
export type Invoice = Omit<
  EntityItem<InvoiceEntity>,
  'lines' | 'total' | 'refund' | 'seller' | 'buyer' | 'net' | 'taxes' | 'taxTreatment' | 'servicePeriod' | 'locale' | 'amountDue'
> & {
  lines: InvoiceLine[];
  /** The gross: net plus the tax of each rate. */
  total: Money;
  seller?: InvoiceParty;
  buyer?: InvoiceParty;
  net?: Money;
  taxes?: InvoiceTax[];
  taxTreatment?: TaxTreatmentKind;
  servicePeriod?: { start: string; end: string };
  locale?: 'en' | 'es' | 'de';
  /** What is still owed after credit notes reduced it (absent: the total). */
  amountDue?: Money;
  /** The refund owed since a paid invoice was voided (the gateway made it at `refundedAt`). */
  refund?: InvoiceRefund;
};

/** An invoice to issue: its due index keys, version and creation time are added here. */
export type NewInvoice = Omit<Invoice, 'dueKey' | 'dueSort' | 'version'>;

/** Sequential per deployment, like order numbers. */
export async function nextInvoiceNumber(): Promise<string> {
  const result = await db().entities.counter.update({ name: 'invoices' }).add({ value: 1 }).go({ response: 'all_new' });
  return `INV-${String(result.data.value).padStart(6, '0')}`;
}

export async function getInvoice(id: string, consistent = false): Promise<Invoice | undefined> {
  const found = await db().entities.invoice.get({ id }).go({ consistent });
  return (found.data as Invoice | null) ?? undefined;
}

export interface InvoiceFilters {
  accountId?: string;
  status?: InvoiceStatus;
  from: string;
  to: string;
  limit: number;
  cursor?: string;
}

/** Invoices in the caller's scope by issue time, newest first (owner, parent or root index). */
export async function listInvoices(caller: Caller, f: InvoiceFilters): Promise<Page<Invoice>> {
  const invoices = db().entities.invoice;
  const [gte, lte] = [f.from, `${f.to}~`];
  if (isEmptyRange(gte, lte)) return EMPTY_PAGE;
  const query = scopedQuery(invoices.query, caller, f.accountId).between({ issuedAt: gte }, { issuedAt: lte });
  const filtered = query.where((a, op) => (f.status ? op.eq(a.status, f.status) : ''));
  const page = await withCursor(f.cursor, (cursor) => filtered.go({ cursor, limit: f.limit, pages: 1, order: 'desc' }));
  return { items: page.data as Invoice[], nextCursor: page.cursor ?? null };
}

/**
 * An account's invoices still to pay (unpaid or overdue), newest first: one Query of the account's
 * invoices (gsi1), every page, with a status filter, whatever their issue date (the list route's
 * three-month default does not apply: an old overdue invoice is still owed).
 */
export async function invoicesToPay(accountId: string): Promise<Invoice[]> {
  const result = await db()
    .entities.invoice.query.byAccount({ accountId })
    .where((a, op) => `${op.eq(a.status, 'unpaid')} OR ${op.eq(a.status, 'overdue')}`)
    .go({ pages: 'all', order: 'desc' });
  return result.data as Invoice[];
}

/** Paying an overdue invoice brings back the subscriptions it suspended (docs/product.md#billing). */
export async function reactivate(invoice: Pick<Invoice, 'id' | 'accountId' | 'subscriptionIds'>): Promise<void> {
  for (const id of invoice.subscriptionIds ?? []) {
    await db()
      .entities.subscription.patch({ id })
      .set({ status: 'active' })
      .add({ version: 1 })
      .where((a, op) => op.eq(a.status, 'suspended'))
      .go()
      .catch((err: unknown) => {
        if (!isConditionalFailure(err)) throw err;
      });
  }
  await recordAudit([{ accountId: invoice.accountId, action: 'invoice.paid_after_due', resourceType: 'invoice', resourceId: invoice.id, system: 'payments', details: { reactivated: invoice.subscriptionIds ?? [] } }]);
}

/** The billing contacts (the account's admins) hear of a declined payment. */
export async function notifyPaymentFailed(invoice: Pick<Invoice, 'accountId' | 'number' | 'total'>, reason: string): Promise<void> {
  const [account, admins] = await Promise.all([getAccount(invoice.accountId), listActiveAdmins(invoice.accountId)]);
  await queueEmails(
    admins.map((admin) =>
      outboxEmail('payment-failed', recipientOf(admin), {
        accountName: account?.name ?? invoice.accountId,
        invoiceNumber: invoice.number,
        total: invoice.total,
        reason,
        portalUrl: env.portalUrl(),
      }),
    ),
  );
}

/** Emails to send after a change already written (the invoice-issued email after its charge). */
export async function queueEmails(emails: OutboxItem[]): Promise<void> {
  if (!emails.length) return;
  await db().entities.outbox.put(emails).go();
}

/**
 * A job's transaction (its items named in the order written), written once: true when it committed, false when one of its named items'
 * conditions no longer held (another run, or a change, got there first); a collision with
 * another transaction is tried again a few times, then counted as not done (the item stays in
 * the index for the next run).
 */
async function writeOnce<N extends string>(what: string, names: readonly N[], write: () => Promise<TxOutcome>): Promise<boolean> {
  try {
    return await retryOnConflict(
      async () => {
        const result = await write();
        if (!result.canceled) return true;
        const refused = result.data.findIndex((d) => d.code === 'ConditionalCheckFailed');
        if (refused >= 0) {
          logger.debug(`${what}: not written, its condition no longer holds`, { item: names[refused] ?? refused });
          return false;
        }
        if (result.data.some((d) => d.code === 'TransactionConflict')) return RETRY;
        throw new Error(`${what}: transaction cancelled (${result.data.map((d) => d.code ?? 'None').join(',')})`);
      },
      { tries: 3 },
    );
  } catch (err) {
    if (err instanceof TransientError) return false;
    throw err;
  }
}

const ISSUED = ['subscription', 'invoice', 'auditEvent'] as const;

/**
 * The billing job's invoice of one period (docs/product.md#billing): written with the audit event, and the
 * subscription's billing date moved to `nextBillingDate` (or out of the billing index after the
 * term's last period), on the subscription's version and its billing date still being `billedOn`.
 * False when either changed: another run issued it already.
 */
export async function issuePeriodInvoice(input: {
  invoice: NewInvoice;
  subscription: { id: string; version: number; billedOn: string; nextBillingDate?: string };
  audit: AuditInput;
}): Promise<boolean> {
  const { invoice, subscription: sub, audit } = input;
  return writeOnce('invoice issue', ISSUED, () =>
    db()
      .transaction.write(({ subscription, invoice: invoices, auditEvent }) => [
        subscription
          .patch({ id: sub.id })
          .set({ ...(sub.nextBillingDate ? billingKeys(sub.id, sub.nextBillingDate) : {}), version: sub.version + 1 })
          .remove(sub.nextBillingDate ? [] : ['billKey', 'billSort', 'nextBillingDate'])
          .where((a, op) => `${op.eq(a.version, sub.version)} AND ${op.eq(a.nextBillingDate, sub.billedOn)}`)
          .commit(),
        invoices.create({ ...invoice, ...invoiceDueKeys(invoice.id, invoice.dueAt), version: 1 }).commit(),
        auditEvent.create(auditItem(audit)).commit(),
      ])
      .go(),
  );
}


/** The payment reminder, once: the invoice marked and the emails queued in one transaction, while it is unpaid and not reminded. */
export async function recordReminder(invoiceId: string, emails: OutboxItem[]): Promise<boolean> {
  const names = ['invoice', ...emails.map(() => 'outbox' as const)] as const;
  return writeOnce('payment reminder', names, () =>
    db()
      .transaction.write(({ invoice, outbox }) => [
        invoice
          .patch({ id: invoiceId })
          .set({ reminderSent: true })
          .where((a, op) => `${op.eq(a.status, 'unpaid')} AND ${op.notExists(a.reminderSent)}`)
          .commit(),
        ...emails.map((email) => outbox.create(email).commit()),
      ])
      .go(),
  );
}


/**
 * An unpaid invoice past its due date becomes `overdue` and leaves the due index; the given
 * subscriptions (at the versions read) are `suspended`; the audit event and the emails go in the
 * same transaction. False when the invoice is no longer unpaid or a subscription changed.
 */
export async function markOverdue(
  invoiceId: string,
  change: { suspend: Array<{ id: string; version: number }>; audit: AuditInput; emails: OutboxItem[] },
): Promise<boolean> {
  const names = ['invoice', ...change.suspend.map(() => 'subscription' as const), 'auditEvent', ...change.emails.map(() => 'outbox' as const)] as const;
  return writeOnce('overdue invoice', names, () =>
    db()
      .transaction.write(({ invoice, subscription, outbox, auditEvent }) => [
        invoice
          .patch({ id: invoiceId })
          .set({ status: 'overdue' })
          .add({ version: 1 })
          .remove(['dueKey', 'dueSort'])
          .where((a, op) => op.eq(a.status, 'unpaid'))
          .commit(),
        ...change.suspend.map((s) =>
          subscription
            .patch({ id: s.id })
            .set({ status: 'suspended', version: s.version + 1 })
            .where((a, op) => op.eq(a.version, s.version))
            .commit(),
        ),
        auditEvent.create(auditItem(change.audit)).commit(),
        ...change.emails.map((email) => outbox.create(email).commit()),
      ])
      .go(),
  );
}

import type { EntityItem } from 'electrodb';
import { db, type InvoiceEntity } from './entities.ts';
import { backOff, isConditionalFailure, EMPTY_PAGE, isEmptyRange, retryOnConflict, RETRY, scopedQuery, withCursor, type Page, type TxOutcome } from './tx.ts';
import { auditItem, recordAudit, type AuditInput } from './audit.ts';
import { invoiceItems, issuedInvoiceItems, subscriptionItems, type InvoiceForEvent, type SubscriptionForEvent } from './events.ts';
import { getAccount } from './accounts.ts';
import { listActiveAdmins } from './users.ts';
import { billingKeys, graceDueKeys, invoiceDueKeys } from './due-keys.ts';
import { billingRecipients, outboxEmail, type OutboxItem } from '#emails/index.ts';
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

/**
 * Invoice numbers are gapless per seller (docs/commerce.md "Invoice numbers are gapless per
 * seller"): the seller's counter (`invoices#<sellerId>`) moves from n−1 to n in the transaction
 * that writes invoice n, on the condition that it still reads n−1. A transaction refused for any
 * reason consumes no number; one that lost the number to another invoice of the same seller
 * throws InvoiceNumberTaken, and `withInvoiceNumber` tries again with the next.
 */
export interface InvoiceSeat {
  sellerId: string;
  n: number;
}

export class InvoiceNumberTaken extends Error {
  constructor() {
    super('Another invoice of the seller took this number.');
    this.name = 'InvoiceNumberTaken';
  }
}

const seriesOf = (sellerId: string) => `invoices#${sellerId}`;
export const formatInvoiceNumber = (n: number): string => `INV-${String(n).padStart(6, '0')}`;

/** The last number the seller issued (0 before its first invoice): a consistent read. */
export async function lastInvoiceNumber(sellerId: string): Promise<number> {
  const found = await db().entities.counter.get({ name: seriesOf(sellerId) }).go({ consistent: true });
  return found.data?.value ?? 0;
}

/** The counter entity as a transaction's callback receives it. */
type TxCounter = Parameters<Parameters<ReturnType<typeof db>['transaction']['write']>[0]>[0]['counter'];

/**
 * The transaction item that takes number `seat.n` of the seller's series: the counter moves to n
 * on the condition that it still reads n−1 (absent before the seller's first invoice).
 */
export function takeNumber(counter: TxCounter, seat: InvoiceSeat) {
  return counter
    .update({ name: seriesOf(seat.sellerId) })
    .set({ value: seat.n })
    .where((a, op) => (seat.n === 1 ? op.notExists(a.value) : op.eq(a.value, seat.n - 1)))
    .commit();
}

/** The last number this process issued per seller: a guess for the next (never trusted: the counter's condition decides). */
const lastIssued = new Map<string, number>();

/** Tries of a write against other invoices of the same seller taking the number first. */
const NUMBER_TRIES = 40;

/**
 * Runs `write` with the seller's next number until it commits: `write` throws InvoiceNumberTaken
 * when the number went to another invoice meanwhile (its transaction wrote nothing).
 */
export async function withInvoiceNumber<T>(sellerId: string, write: (number: string, seat: InvoiceSeat) => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < NUMBER_TRIES; attempt++) {
    if (attempt > 0) await backOff(Math.min(attempt, 5), { baseMs: 10, capMs: 250 });
    // The first try guesses from the last number this process issued for the seller (a job issues
    // many in a row without reading the counter); a wrong guess only costs a retry.
    const known = attempt === 0 ? lastIssued.get(sellerId) : undefined;
    const n = (known ?? (await lastInvoiceNumber(sellerId))) + 1;
    try {
      const written = await write(formatInvoiceNumber(n), { sellerId, n });
      lastIssued.set(sellerId, n);
      return written;
    } catch (err) {
      if (!(err instanceof InvoiceNumberTaken)) throw err;
      lastIssued.delete(sellerId);
    }
  }
  throw new TransientError('Too many invoices of this seller at once; try again.');
}

/**
 * Whether a cancelled transaction lost its invoice number (the counter's condition, or a collision
 * with another transaction, most often another invoice of the same seller): worth another try.
 */
export function lostNumber(result: TxOutcome, counterIndex: number): boolean {
  if (!result.canceled) return false;
  if (result.data[counterIndex]?.code === 'ConditionalCheckFailed') return true;
  return !result.data.some((d) => d.code === 'ConditionalCheckFailed') && result.data.some((d) => d.code === 'TransactionConflict');
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
  /** Only the invoices of what this user bought itself (a customer `user`'s own, domain/self-service.ts). */
  buyerUserId?: string;
  limit: number;
  cursor?: string;
}

/** Invoices in the caller's scope by issue time, newest first (owner, parent or root index). */
export async function listInvoices(caller: Caller, f: InvoiceFilters): Promise<Page<Invoice>> {
  const invoices = db().entities.invoice;
  const [gte, lte] = [f.from, `${f.to}~`];
  if (isEmptyRange(gte, lte)) return EMPTY_PAGE;
  const query = scopedQuery(invoices.query, caller, f.accountId).between({ issuedAt: gte }, { issuedAt: lte });
  const filtered = query.where((a, op) => [f.status ? op.eq(a.status, f.status) : '', f.buyerUserId ? op.eq(a.buyerUserId, f.buyerUserId) : ''].filter(Boolean).join(' AND '));
  // A buyer's few invoices among its account's many: pages filled (`count`) rather than mostly empty.
  const page = await withCursor(f.cursor, (cursor) => filtered.go({ cursor, order: 'desc', ...(f.buyerUserId ? { count: f.limit } : { limit: f.limit, pages: 1 }) }));
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

/**
 * Paying an overdue invoice brings back the subscriptions it suspended (docs/product.md#billing); their
 * cancellation day goes (the invoice's grace step, if any, leaves the index at its day's run).
 */
export async function reactivate(invoice: Pick<Invoice, 'id' | 'accountId' | 'subscriptionIds'>): Promise<void> {
  for (const id of invoice.subscriptionIds ?? []) {
    const sub = (await db().entities.subscription.get({ id }).go({ consistent: true })).data;
    if (!sub || sub.status !== 'suspended') continue;
    // Active again, with its `subscription.changed` (docs/api.md#events); still suspended when written, or nothing.
    await db()
      .transaction.write(({ subscription, event }) => [
        subscription
          .patch({ id })
          .set({ status: 'active' })
          .remove(['suspendedAt', 'cancelsOn'])
          .add({ version: 1 })
          .where((a, op) => op.eq(a.status, 'suspended'))
          .commit(),
        ...subscriptionItems({ ...sub, status: 'active' }, 'reactivated').map((e) => event.put(e).commit()),
      ])
      .go();
  }
  await recordAudit([{ accountId: invoice.accountId, action: 'invoice.paid_after_due', resourceType: 'invoice', resourceId: invoice.id, system: 'payments', details: { reactivated: invoice.subscriptionIds ?? [] } }]);
}

/** The billing contact (else the account's admins) hears of a declined payment. */
export async function notifyPaymentFailed(invoice: Pick<Invoice, 'accountId' | 'number' | 'total'>, reason: string): Promise<void> {
  const [account, admins] = await Promise.all([getAccount(invoice.accountId), listActiveAdmins(invoice.accountId)]);
  await queueEmails(
    billingRecipients(account, admins).map((to) =>
      outboxEmail('payment-failed', to, {
        accountName: account?.name ?? invoice.accountId,
        invoiceNumber: invoice.number,
        total: invoice.total,
        reason,
        portalUrl: env.portalUrl(),
      }, { accountId: invoice.accountId }),
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

const ISSUED = ['subscription', 'invoice', 'auditEvent', 'counter'] as const;

/**
 * The billing job's invoice of one period (docs/product.md#billing): written with the audit event
 * and its number taken from the seller's series (`seat`), and the subscription's billing date moved
 * to `nextBillingDate` (or out of the billing index after the term's last period), on the
 * subscription's version and its billing date still being `billedOn`. False when either changed:
 * another run issued it already. Throws InvoiceNumberTaken when another invoice of the seller took
 * the number first (the caller tries the next, `withInvoiceNumber`).
 */
export async function issuePeriodInvoice(input: {
  invoice: NewInvoice;
  seat: InvoiceSeat;
  subscription: { id: string; version: number; billedOn: string; nextBillingDate?: string };
  audit: AuditInput;
}): Promise<boolean> {
  const { invoice, seat, subscription: sub, audit } = input;
  return writeOnce('invoice issue', ISSUED, async () => {
    const result = await db()
      .transaction.write(({ subscription, invoice: invoices, auditEvent, counter, event }) => [
        subscription
          .patch({ id: sub.id })
          .set({ ...(sub.nextBillingDate ? billingKeys(sub.id, sub.nextBillingDate) : {}), version: sub.version + 1 })
          .remove(sub.nextBillingDate ? [] : ['billKey', 'billSort', 'nextBillingDate'])
          .where((a, op) => `${op.eq(a.version, sub.version)} AND ${op.eq(a.nextBillingDate, sub.billedOn)}`)
          .commit(),
        invoices.create({ ...invoice, ...invoiceDueKeys(invoice.id, invoice.dueAt), version: 1 }).commit(),
        auditEvent.create(auditItem(audit)).commit(),
        takeNumber(counter, seat),
        // After the items ISSUED names: `invoice.issued` to every feed of the account's path.
        ...issuedInvoiceItems(invoice).map((e) => event.put(e).commit()),
      ])
      .go();
    // The subscription moved on (another run): not the number's fault, nothing to retry.
    if (result.canceled && result.data[0]?.code !== 'ConditionalCheckFailed' && lostNumber(result, ISSUED.indexOf('counter'))) throw new InvoiceNumberTaken();
    return result;
  });
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


/** The first grace step of an overdue invoice that suspended subscriptions (domain/grace.ts `graceDays`). */
export interface GracePlan {
  step: 'warn' | 'cancel';
  on: string;
  cancelsOn: string;
  suspendedAt: string;
}

/**
 * An unpaid invoice past its due date becomes `overdue` and leaves the due index — or, when it
 * suspends subscriptions (`grace`), moves to its first grace step in it; the given subscriptions (at
 * the versions read) are `suspended`, with when and their cancellation day; the audit event and the
 * emails go in the same transaction. False when the invoice is no longer unpaid or a subscription changed.
 */
export async function markOverdue(
  invoiceId: string,
  change: {
    suspend: Array<SubscriptionForEvent & { version: number }>;
    audit: AuditInput;
    emails: OutboxItem[];
    grace?: GracePlan;
    /** The invoice as read, for its `invoice.overdue` event (docs/api.md#events). */
    invoice: Omit<InvoiceForEvent, 'status'>;
  },
): Promise<boolean> {
  const { grace } = change;
  const names = ['invoice', ...change.suspend.map(() => 'subscription' as const), 'auditEvent', ...change.emails.map(() => 'outbox' as const), 'event'] as const;
  return writeOnce('overdue invoice', names, () =>
    db()
      .transaction.write(({ invoice, subscription, outbox, auditEvent, event }) => [
        (grace
          ? invoice
              .patch({ id: invoiceId })
              .set({ status: 'overdue', ...graceDueKeys(invoiceId, grace.on), graceStep: grace.step, graceOn: grace.on, cancelsOn: grace.cancelsOn })
          : invoice.patch({ id: invoiceId }).set({ status: 'overdue' }).remove(['dueKey', 'dueSort'])
        )
          .add({ version: 1 })
          .where((a, op) => op.eq(a.status, 'unpaid'))
          .commit(),
        ...change.suspend.map((s) =>
          subscription
            .patch({ id: s.id })
            .set({ status: 'suspended', version: s.version + 1, ...(grace ? { suspendedAt: grace.suspendedAt, cancelsOn: grace.cancelsOn } : {}) })
            .where((a, op) => op.eq(a.version, s.version))
            .commit(),
        ),
        auditEvent.create(auditItem(change.audit)).commit(),
        ...change.emails.map((email) => outbox.create(email).commit()),
        ...[
          ...invoiceItems('invoice.overdue', { ...change.invoice, status: 'overdue' }),
          ...change.suspend.flatMap((s) => subscriptionItems({ ...s, status: 'suspended' }, 'suspended')),
        ].map((e) => event.put(e).commit()),
      ])
      .go(),
  );
}

/**
 * The grace warning of an overdue invoice, once (docs/product.md#billing "Not paying"): the invoice
 * moves to its cancellation step on `cancelsOn` in the due index, with the emails, in one
 * transaction, while it is still overdue and waiting for the warning on `day`.
 */
export async function recordGraceWarning(invoiceId: string, day: string, cancelsOn: string, emails: OutboxItem[]): Promise<boolean> {
  const names = ['invoice', ...emails.map(() => 'outbox' as const)] as const;
  return writeOnce('grace warning', names, () =>
    db()
      .transaction.write(({ invoice, outbox }) => [
        invoice
          .patch({ id: invoiceId })
          .set({ ...graceDueKeys(invoiceId, cancelsOn), graceStep: 'cancel', graceOn: cancelsOn })
          .add({ version: 1 })
          .where((a, op) => `${op.eq(a.status, 'overdue')} AND ${op.eq(a.graceStep, 'warn')} AND ${op.eq(a.graceOn, day)}`)
          .commit(),
        ...emails.map((email) => outbox.create(email).commit()),
      ])
      .go(),
  );
}

/**
 * The cancellation of an overdue invoice's subscriptions still suspended on `day`, once: each is
 * `cancelled` (at the version read, still suspended) and leaves the due and billing indexes, the
 * invoice leaves the grace index, with the audit events and the emails, in one transaction.
 */
export async function cancelUnpaid(
  invoiceId: string,
  day: string,
  change: { cancel: Array<SubscriptionForEvent & { version: number }>; at: string; by: string; audits: AuditInput[]; emails: OutboxItem[] },
): Promise<boolean> {
  const names = ['invoice', ...change.cancel.map(() => 'subscription' as const), ...change.audits.map(() => 'auditEvent' as const), ...change.emails.map(() => 'outbox' as const), 'event'] as const;
  return writeOnce('unpaid cancellation', names, () =>
    db()
      .transaction.write(({ invoice, subscription, auditEvent, outbox, event }) => [
        invoice
          .patch({ id: invoiceId })
          .remove(['dueKey', 'dueSort', 'graceStep', 'graceOn'])
          .add({ version: 1 })
          .where((a, op) => `${op.eq(a.status, 'overdue')} AND ${op.eq(a.graceStep, 'cancel')} AND ${op.eq(a.graceOn, day)}`)
          .commit(),
        ...change.cancel.map((s) =>
          subscription
            .patch({ id: s.id })
            .set({ status: 'cancelled', autoRenew: false, version: s.version + 1, cancellation: { reason: 'not_paid', at: change.at, by: change.by } })
            .remove(['dueKey', 'dueSort', 'billKey', 'billSort', 'nextBillingDate', 'cancelsOn'])
            .where((a, op) => `${op.eq(a.version, s.version)} AND ${op.eq(a.status, 'suspended')}`)
            .commit(),
        ),
        ...change.audits.map((audit) => auditEvent.create(auditItem(audit)).commit()),
        ...change.emails.map((email) => outbox.create(email).commit()),
        ...change.cancel.flatMap((s) => subscriptionItems({ ...s, status: 'cancelled', autoRenew: false }, 'cancelled')).map((e) => event.put(e).commit()),
      ])
      .go(),
  );
}

/** An invoice whose grace step on `day` has nothing left to do (paid in time, voided) leaves the grace index. */
export async function dropGrace(invoiceId: string, day: string): Promise<void> {
  await db()
    .entities.invoice.patch({ id: invoiceId })
    .remove(['dueKey', 'dueSort', 'graceStep', 'graceOn'])
    .where((a, op) => op.eq(a.graceOn, day))
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

/**
 * The invoices and credit notes a seller issued to its customers in `[from, to)` (ISO times): one
 * Query of the invoices' parent index (gsi2), every page — the lines of a reseller's statement.
 */
export async function invoicesOfSeller(sellerId: string, from: string, to: string): Promise<Invoice[]> {
  const result = await db()
    .entities.invoice.query.byParent({ parentId: sellerId })
    .between({ issuedAt: from }, { issuedAt: to })
    .go({ pages: 'all' });
  return (result.data as Invoice[]).filter((i) => i.issuedAt < to && i.accountId !== sellerId && i.status !== 'void' && i.kind !== 'statement');
}

const STATEMENT = ['invoice', 'claim', 'counter', 'auditEvent'] as const;

/**
 * A reseller's monthly statement (docs/commerce.md "Who pays whom"), once per reseller and month:
 * the invoice, a claim on (reseller, month) that a second run cannot create again, the number taken
 * from the distributor's series and the audit event, in one transaction. False when the month's
 * statement exists already; InvoiceNumberTaken when another invoice took the number first.
 */
export async function issueStatement(input: { invoice: NewInvoice; month: string; seat: InvoiceSeat; audit: AuditInput }): Promise<boolean> {
  const { invoice, month, seat, audit } = input;
  const result = await db()
    .transaction.write(({ invoice: invoices, counter, auditEvent }) => [
      invoices.create({ ...invoice, ...invoiceDueKeys(invoice.id, invoice.dueAt), version: 1 }).commit(),
      // The claim: a counter item per reseller and month, created only once.
      counter
        .create({ name: `statement#${invoice.accountId}#${month}`, value: 1 })
        .commit(),
      takeNumber(counter, seat),
      auditEvent.create(auditItem(audit)).commit(),
    ])
    .go();
  if (!result.canceled) return true;
  if (result.data[STATEMENT.indexOf('claim')]?.code === 'ConditionalCheckFailed') return false;
  if (lostNumber(result, STATEMENT.indexOf('counter'))) throw new InvoiceNumberTaken();
  throw new TransientError(`The statement could not be written (${result.data.map((d) => d.code ?? 'None').join(',')}).`);
}

/** A credit note's refund went through the gateway (its `refund` is owed until then). */
export async function recordRefunded(creditNoteId: string, at: string): Promise<void> {
  await db()
    .entities.invoice.patch({ id: creditNoteId })
    .set({ refundedAt: at })
    .add({ version: 1 })
    .where((a, op) => op.notExists(a.refundedAt))
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

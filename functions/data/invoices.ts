import { db } from './entities.ts';
import { isConditionalFailure, EMPTY_PAGE, isEmptyRange, scopedQuery, withCursor, type Page } from './tx.ts';
import { recordAudit } from './audit.ts';
import { getAccount } from './accounts.ts';
import { listActiveAdmins } from './users.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import type { Caller } from '#platform/caller.ts';
import type { Money } from '#domain/money.ts';

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitPrice: Money;
  amount: Money;
  subscriptionId?: string;
}

export interface InvoiceRefund {
  amount: Money;
  reference: string;
  requestedAt: string;
}

export interface Invoice {
  id: string;
  number: string;
  accountId: string;
  parentId: string;
  rootId: string;
  accountPath: string[];
  status: 'unpaid' | 'paid' | 'overdue' | 'void';
  issuedAt: string;
  dueAt: string;
  lines: InvoiceLine[];
  total: Money;
  paidAt?: string;
  orderId?: string;
  paymentMethodId?: string;
  chargeId?: string;
  /** The gateway reference of the charge that paid it. */
  chargeReference?: string;
  /** A card payment in progress: its reference, and until when its claim holds (data/charges.ts). */
  payingReference?: string;
  payingUntil?: string;
  /** The refund owed since a paid invoice was voided, and when the gateway made it. */
  refund?: InvoiceRefund;
  refundedAt?: string;
  reason: string;
  subscriptionIds?: string[];
  dueKey?: string;
  dueSort?: string;
  reminderSent?: boolean;
  createdAt: string;
}

export function invoiceView(i: Invoice) {
  return {
    id: i.id,
    number: i.number,
    accountId: i.accountId,
    status: i.status,
    issuedAt: i.issuedAt,
    dueAt: i.dueAt,
    lines: i.lines,
    total: i.total,
    paidAt: i.paidAt ?? null,
    orderId: i.orderId ?? null,
    paymentMethodId: i.paymentMethodId ?? null,
    reason: i.reason,
    // A paid invoice voided with its order: the charge owed back, and when it was refunded.
    refund: i.refund ? { amount: i.refund.amount, requestedAt: i.refund.requestedAt, refundedAt: i.refundedAt ?? null } : null,
  };
}

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
  status?: Invoice['status'];
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

/** Paying an overdue invoice brings back the subscriptions it suspended (SPEC §3.7). */
export async function reactivate(invoice: Invoice): Promise<void> {
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
  if (!admins.length) return;
  await db()
    .entities.outbox.put(
      admins.map((admin) =>
        outboxEmail(
          'payment-failed',
          recipientOf(admin),
          { accountName: account?.name ?? invoice.accountId, invoiceNumber: invoice.number, total: invoice.total, reason, portalUrl: env.portalUrl() },
        ) as never,
      ),
    )
    .go();
}

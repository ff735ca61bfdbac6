import type * as z from 'zod/mini';
import type { Invoice } from '#data/invoices.ts';
import type { InvoiceSchema } from './schemas.ts';

/** The invoice as the API shows it (no claim, charge reference or due-index fields). */
export function invoiceView(i: Invoice): z.output<typeof InvoiceSchema> {
  return {
    id: i.id,
    number: i.number,
    accountId: i.accountId,
    status: i.status,
    issuedAt: i.issuedAt,
    dueAt: i.dueAt,
    lines: i.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount, ...(l.subscriptionId ? { subscriptionId: l.subscriptionId } : {}) })),
    total: i.total,
    paidAt: i.paidAt ?? null,
    orderId: i.orderId ?? null,
    paymentMethodId: i.paymentMethodId ?? null,
    reason: i.reason,
    // A paid invoice voided with its order: the charge owed back, and when it was refunded.
    refund: i.refund ? { amount: i.refund.amount, requestedAt: i.refund.requestedAt, refundedAt: i.refundedAt ?? null } : null,
    version: i.version,
  };
}

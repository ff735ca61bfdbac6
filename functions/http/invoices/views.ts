import type * as z from 'zod/mini';
import type { Invoice, InvoiceParty } from '#data/invoices.ts';
import type { Caller } from '#platform/caller.ts';
import { lineFigures, viewerOf } from '#domain/pricing.ts';
import type { InvoiceSchema } from './schemas.ts';

/** The invoice as the API shows it (no claim, charge reference or due-index fields). */
const partyView = (p: InvoiceParty | undefined) =>
  p ? { accountId: p.accountId, name: p.name, legalName: p.legalName ?? null, country: p.country ?? null, vatId: p.vatId ?? null, address: p.address ?? null } : null;

/** `caller` decides whether the lines show their figures (the seller and above, docs/commerce.md); without one, the buyer's view. */
export function invoiceView(i: Invoice, caller?: Pick<Caller, 'accountType' | 'accountId'>): z.output<typeof InvoiceSchema> {
  const viewer = caller ? viewerOf(caller, i) : 'customer';
  return {
    id: i.id,
    number: i.number,
    accountId: i.accountId,
    status: i.status,
    issuedAt: i.issuedAt,
    dueAt: i.dueAt,
    lines: i.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: l.amount,
      ...(l.subscriptionId ? { subscriptionId: l.subscriptionId } : {}),
      ...(l.rateBps !== undefined ? { rateBps: l.rateBps } : {}),
      ...(viewer === 'customer' ? {} : { figures: lineFigures(viewer, l.chain, l.quantity, l.amount) ?? null }),
    })),
    total: i.total,
    paidAt: i.paidAt ?? null,
    orderId: i.orderId ?? null,
    paymentMethodId: i.paymentMethodId ?? null,
    reason: i.reason,
    // A paid invoice voided with its order: the charge owed back, and when it was refunded.
    refund: i.refund ? { amount: i.refund.amount, requestedAt: i.refund.requestedAt, refundedAt: i.refundedAt ?? null } : null,
    kind: i.kind ?? 'invoice',
    seller: partyView(i.seller),
    buyer: partyView(i.buyer),
    net: i.net ?? i.total,
    taxes: i.taxes ?? [],
    taxTreatment: i.taxTreatment ?? 'untaxed',
    servicePeriod: i.servicePeriod ?? null,
    correctsInvoiceId: i.correctsInvoiceId ?? null,
    amountDue: i.amountDue ?? i.total,
    version: i.version,
  };
}

import * as z from 'zod/mini';
import { INVOICE_STATUSES } from '#domain/billing.ts';
import { AccountId, IsoDate, IsoTime, Money, Pagination, id, pageOf } from '../schemas.ts';

/**
 * The contract of invoices (docs/product.md#billing, docs/product.md#billing-routes): the queries and bodies the routes take and the
 * answers they give. Statuses come from domain/billing.ts.
 */
export const ListInvoicesQuery = z
  .strictObject({
    accountId: z.optional(AccountId),
    status: z.optional(z.enum(INVOICE_STATUSES)),
    from: z.optional(z.union([IsoDate, IsoTime])),
    to: z.optional(z.union([IsoDate, IsoTime])),
    ...Pagination,
  });

export const InvoiceParams = z.strictObject({ invoiceId: id('invoice') });

export const PayInvoiceBody = z.strictObject({ paymentMethodId: id('paymentMethod') });

const Timestamp = z.iso.datetime({ offset: true });

export const InvoiceLineSchema = z
  .object({
    description: z.string(),
    quantity: z.number().check(z.int()),
    unitPrice: Money,
    amount: Money,
    subscriptionId: z.optional(z.string()).check(z.describe('The subscription the line bills, when it bills one')),
  })
  .register(z.globalRegistry, {
    id: 'InvoiceLine',
    description: 'One line of an invoice: what was bought or billed, how many, at what unit price',
    examples: [
      {
        description: 'Microsoft 365 Business Basic (P1Y, billed monthly)',
        quantity: 10,
        unitPrice: { amount: 720, currency: 'EUR' },
        amount: { amount: 7200, currency: 'EUR' },
        subscriptionId: 'sub_01JD6W2V9Q4X8M3N5P7R2T4Y6Z',
      },
    ],
  });

export const InvoiceRefundSchema = z
  .object({
    amount: Money,
    requestedAt: Timestamp.check(z.describe('When the paid invoice was voided and its charge became owed back')),
    refundedAt: z.nullable(Timestamp).check(z.describe('When the card processor made the refund; null while it is pending')),
  })
  .register(z.globalRegistry, {
    id: 'InvoiceRefund',
    description: 'The refund of a paid invoice voided with its order',
    examples: [{ amount: { amount: 7200, currency: 'EUR' }, requestedAt: '2027-01-12T10:15:00.000Z', refundedAt: '2027-01-12T10:15:01.000Z' }],
  });

const exampleInvoice = {
  id: 'inv_01JD6W2V9Q4X8M3N5P7R2T4Y6Z',
  number: 'INV-000042',
  accountId: 'acc_01JD6W2V9Q4X8M3N5P7R2T4Y6A',
  status: 'unpaid' as const,
  issuedAt: '2027-01-10T09:00:00.000Z',
  dueAt: '2027-01-26',
  lines: [
    {
      description: 'Microsoft 365 Business Basic (P1Y, billed monthly)',
      quantity: 10,
      unitPrice: { amount: 720, currency: 'EUR' },
      amount: { amount: 7200, currency: 'EUR' },
      subscriptionId: 'sub_01JD6W2V9Q4X8M3N5P7R2T4Y6B',
    },
  ],
  total: { amount: 7200, currency: 'EUR' },
  paidAt: null,
  orderId: 'ord_01JD6W2V9Q4X8M3N5P7R2T4Y6C',
  paymentMethodId: null,
  reason: 'purchase',
  refund: null,
  version: 1,
};

export const InvoiceSchema = z
  .object({
    id: z.string(),
    number: z.string().check(z.describe('Sequential per deployment: INV-000042')),
    accountId: z.string(),
    status: z.enum(INVOICE_STATUSES).check(z.describe('unpaid until paid; overdue from the day after its due date; void with its order')),
    issuedAt: Timestamp,
    dueAt: IsoDate.check(z.describe('The 26th of the month of issue, or of the next month when issued on or after the 26th')),
    lines: z.array(InvoiceLineSchema),
    total: Money,
    paidAt: z.nullable(Timestamp),
    orderId: z.nullable(z.string()).check(z.describe('The order that issued it; null for a billing period')),
    paymentMethodId: z.nullable(z.string()).check(z.describe('The card that paid it')),
    reason: z.string().check(z.describe('What it is for: purchase, change, renewal, billing_period')),
    refund: z.nullable(InvoiceRefundSchema),
    version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag')),
  })
  .register(z.globalRegistry, { id: 'Invoice', description: 'An invoice with its lines (money in minor units)', examples: [exampleInvoice] });

export const InvoicePageSchema = pageOf(InvoiceSchema).register(z.globalRegistry, { id: 'InvoicePage', description: 'A page of invoices, newest first', examples: [{ items: [exampleInvoice], nextCursor: null }] });

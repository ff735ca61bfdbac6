import * as z from 'zod';
import { INVOICE_STATUSES } from '#domain/billing.ts';
import { AccountId, IsoDate, IsoTime, Money, Pagination, id, pageOf } from '../schemas.ts';

/**
 * The contract of invoices (docs/product.md#billing, docs/product.md#billing-routes): the queries and bodies the routes take and the
 * answers they give. Statuses come from domain/billing.ts.
 */
export const ListInvoicesQuery = z
  .object({
    accountId: AccountId.optional(),
    status: z.enum(INVOICE_STATUSES).optional(),
    from: z.union([IsoDate, IsoTime]).optional(),
    to: z.union([IsoDate, IsoTime]).optional(),
    ...Pagination,
  })
  .strict();

export const InvoiceParams = z.object({ invoiceId: id('invoice') }).strict();

export const PayInvoiceBody = z.object({ paymentMethodId: id('paymentMethod') }).strict();

const Timestamp = z.iso.datetime({ offset: true });

export const InvoiceLineSchema = z
  .object({
    description: z.string(),
    quantity: z.number().int(),
    unitPrice: Money,
    amount: Money,
    subscriptionId: z.string().optional().describe('The subscription the line bills, when it bills one'),
  })
  .meta({
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
    requestedAt: Timestamp.describe('When the paid invoice was voided and its charge became owed back'),
    refundedAt: Timestamp.nullable().describe('When the card processor made the refund; null while it is pending'),
  })
  .meta({
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
    number: z.string().describe('Sequential per deployment: INV-000042'),
    accountId: z.string(),
    status: z.enum(INVOICE_STATUSES).describe('unpaid until paid; overdue from the day after its due date; void with its order'),
    issuedAt: Timestamp,
    dueAt: IsoDate.describe('The 26th of the month of issue, or of the next month when issued on or after the 26th'),
    lines: z.array(InvoiceLineSchema),
    total: Money,
    paidAt: Timestamp.nullable(),
    orderId: z.string().nullable().describe('The order that issued it; null for a billing period'),
    paymentMethodId: z.string().nullable().describe('The card that paid it'),
    reason: z.string().describe('What it is for: purchase, change, renewal, billing_period'),
    refund: InvoiceRefundSchema.nullable(),
    version: z.number().int().describe('Increases with every change; answered as the ETag'),
  })
  .meta({ id: 'Invoice', description: 'An invoice with its lines (money in minor units)', examples: [exampleInvoice] });

export const InvoicePageSchema = pageOf(InvoiceSchema).meta({ id: 'InvoicePage', description: 'A page of invoices, newest first', examples: [{ items: [exampleInvoice], nextCursor: null }] });

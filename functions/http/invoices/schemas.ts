import * as z from 'zod/mini';
import { INVOICE_STATUSES } from '#domain/billing.ts';
import { AccountId, Address, IsoDate, IsoTime, Money, Pagination, PriceFigures, id, pageOf } from '../schemas.ts';

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
    rateBps: z.optional(z.number().check(z.int(), z.describe('The VAT rate of the line in basis points (1900 = 19 %); absent on an untaxed invoice'))),
    figures: z.optional(
      z.nullable(PriceFigures).check(z.describe('Cost, sell and margin of the line for the seller and the accounts above it only (absent for the buyer); null when no cost is known')),
    ),
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

export const InvoicePartySchema = z
  .object({
    accountId: z.string(),
    name: z.string(),
    legalName: z.nullable(z.string()),
    country: z.nullable(z.string()),
    vatId: z.nullable(z.string()),
    address: z.nullable(Address),
  })
  .register(z.globalRegistry, { id: 'InvoiceParty', description: 'A party to an invoice as it was when the invoice was issued (its legal fields)' });

export const InvoiceTaxSchema = z
  .object({ rateBps: z.number().check(z.int()), net: Money, tax: Money })
  .register(z.globalRegistry, { id: 'InvoiceTax', description: 'The net taxed at one rate and its tax, rounded half-up once per rate' });

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
  kind: 'invoice' as const,
  seller: { accountId: 'acc_01JD6W2V9Q4X8M3N5P7R2T4Y6D', name: 'Northwind Distribution', legalName: 'Northwind Distribution GmbH', country: 'DE', vatId: 'DE123456789', address: null },
  buyer: { accountId: 'acc_01JD6W2V9Q4X8M3N5P7R2T4Y6A', name: 'Contoso', legalName: null, country: 'DE', vatId: null, address: null },
  net: { amount: 7200, currency: 'EUR' },
  taxes: [],
  taxTreatment: 'untaxed' as const,
  servicePeriod: null,
  correctsInvoiceId: null,
  amountDue: { amount: 7200, currency: 'EUR' },
  version: 1,
};

export const InvoiceSchema = z
  .object({
    id: z.string(),
    number: z.string().check(z.describe("Gapless in the seller's series: INV-000042")),
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
    kind: z.enum(['invoice', 'credit_note', 'statement']).check(z.describe('An invoice, a credit note correcting one, or a reseller’s monthly statement')),
    seller: z.nullable(InvoicePartySchema).check(z.describe('Who issued it: the buyer’s reseller, or the distributor (null on invoices issued before sellers were recorded)')),
    buyer: z.nullable(InvoicePartySchema),
    net: Money.check(z.describe('The sum of the lines, before tax')),
    taxes: z.array(InvoiceTaxSchema).check(z.describe('The tax of each rate on the net of that rate, highest rate first; empty when untaxed')),
    taxTreatment: z
      .enum(['domestic', 'destination', 'reverse_charge', 'outside_scope', 'untaxed'])
      .check(z.describe('How the sale is taxed (docs/commerce.md "Tax"); untaxed while the seller has no tax profile')),
    servicePeriod: z.nullable(z.object({ start: IsoDate, end: IsoDate })),
    correctsInvoiceId: z.nullable(z.string()).check(z.describe('For a credit note: the invoice it corrects')),
    amountDue: Money.check(z.describe('What is still owed on it: the total less the credit notes that reduced it')),
    version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag')),
  })
  .register(z.globalRegistry, { id: 'Invoice', description: 'An invoice with its lines (money in minor units)', examples: [exampleInvoice] });

export const InvoicePageSchema = pageOf(InvoiceSchema).register(z.globalRegistry, { id: 'InvoicePage', description: 'A page of invoices, newest first', examples: [{ items: [exampleInvoice], nextCursor: null }] });

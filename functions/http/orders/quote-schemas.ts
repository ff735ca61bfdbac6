import * as z from 'zod/mini';
import { BILLING_PERIODS, TERMS } from '#domain/catalog.ts';
import { AccountId, IsoDate, Money, OfferId, PriceFigures, ProductId } from '../schemas.ts';
import { QuoteId } from './schemas.ts';

/**
 * The answer of the quote routes (docs/commerce.md "Quotes"): `POST /v1/cart/quote` and
 * `POST /v1/accounts/{accountId}/orders/quote`. Kept apart from orders/schemas.ts, which every area
 * that answers an order imports, so that only the cart and orders bundles carry it.
 */
const Timestamp = z.iso.datetime({ offset: true });

export const QuoteTaxSchema = z
  .object({ rateBps: z.number().check(z.int()), net: Money, tax: Money })
  .register(z.globalRegistry, { id: 'QuoteTax', description: 'The net that would be taxed at one rate and its tax, rounded half-up once per rate (as the invoice will)' });

const exampleQuoteLine = {
  offerId: 'ofr_01JBAS1C00000000000000Y1AN',
  productId: 'prd_01JBAS1C0000000000000000M1',
  sku: 'CFQ7TTC0LH18',
  name: 'Microsoft 365 Business Basic',
  term: 'P1Y' as const,
  billingPeriod: 'monthly' as const,
  quantity: 10,
  unitPrice: { amount: 600, currency: 'EUR' },
  total: { amount: 6000, currency: 'EUR' },
  rateBps: 1900,
};

export const QuoteLineSchema = z
  .strictObject({
    offerId: OfferId,
    productId: ProductId,
    sku: z.string(),
    name: z.string(),
    term: z.enum(TERMS),
    billingPeriod: z.enum(BILLING_PERIODS),
    quantity: z.number().check(z.int()),
    unitPrice: Money.check(z.describe('Net, per license and billing period')),
    total: Money.check(z.describe('Net: unitPrice × quantity; for a co-termed line, the first term priced by days')),
    firstTermEnd: z.optional(IsoDate.check(z.describe('Co-termed (alignEndWith): the first term ends on this day, priced by days'))),
    rateBps: z.number().check(z.int(), z.describe('The VAT rate the line would be taxed at, in basis points (0 when untaxed, reverse charged or outside scope)')),
    figures: z.optional(
      z.nullable(PriceFigures).check(
        z.describe('Cost, sell and margin of the line, for staff of the seller and the accounts above it only (absent for the buyer); null when it sells at the catalog price with no cost known'),
      ),
    ),
  })
  .register(z.globalRegistry, { id: 'QuoteLine', description: 'One offer of a quote, priced as an order placed now would be', examples: [exampleQuoteLine] });

export const QuoteSchema = z
  .strictObject({
    id: QuoteId.check(z.describe('Give it as `quoteId` to the checkout or the staff order within 30 minutes')),
    accountId: AccountId.check(z.describe('The customer account quoted for')),
    currency: z.string().check(z.describe("The account's currency")),
    lines: z.array(QuoteLineSchema),
    net: Money.check(z.describe('The sum of the lines, before tax: what the order’s total will be')),
    taxes: z.array(QuoteTaxSchema).check(z.describe('The tax of each rate on the net of that rate; empty when untaxed')),
    total: Money.check(z.describe('The gross: what the invoice will say and a card will be charged')),
    taxTreatment: z
      .enum(['domestic', 'destination', 'reverse_charge', 'outside_scope', 'untaxed'])
      .check(z.describe('How the sale would be taxed (docs/commerce.md "Tax"); untaxed while the seller has no tax profile')),
    seller: z.strictObject({ accountId: AccountId, name: z.string() }).check(z.describe('Who would invoice it: the account’s reseller, or the distributor')),
    createdAt: Timestamp,
    expiresAt: Timestamp.check(z.describe('30 minutes after it was made; an order naming it later is refused with 409 quote_expired')),
  })
  .register(z.globalRegistry, {
    id: 'Quote',
    description:
      'What an order of these lines would cost if placed now (docs/commerce.md "Quotes"): prices down the chain, tax and totals, nothing placed. A new order has no proration: its subscriptions start a term.',
    examples: [
      {
        id: 'quo_01JD6W1K3M5N7P9Q2R4S6T8V0Y',
        accountId: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0W',
        currency: 'EUR',
        lines: [exampleQuoteLine],
        net: { amount: 6000, currency: 'EUR' },
        taxes: [{ rateBps: 1900, net: { amount: 6000, currency: 'EUR' }, tax: { amount: 1140, currency: 'EUR' } }],
        total: { amount: 7140, currency: 'EUR' },
        taxTreatment: 'domestic' as const,
        seller: { accountId: 'acc_01JD6W2V9Q4X8M3N5P7R2T4Y6D', name: 'Northwind Distribution' },
        createdAt: '2026-11-22T09:30:05.118Z',
        expiresAt: '2026-11-22T10:00:05.118Z',
      },
    ],
  });

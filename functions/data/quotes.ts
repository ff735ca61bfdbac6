import { db } from './entities.ts';
import type { InvoiceTax, TaxTreatmentKind, UnitChain } from './invoices.ts';
import type { BillingPeriod } from '#domain/catalog.ts';
import type { Money } from '#domain/money.ts';
import type { Term } from '#domain/terms.ts';

/**
 * Quotes (docs/commerce.md "Quotes"): what an order of some lines would cost an account, priced
 * and taxed when asked (services/quotes.ts), kept 30 minutes under its id so that a checkout or a
 * staff order given its `quoteId` can compare what it costs now with what was quoted
 * (services/orders.ts). One item per quote, `pk $clp#id_<quoteId>`; the `ttl` lets DynamoDB delete it
 * some time after it expires, so readers go by `expiresAt`, not by the item's presence.
 */
export const QUOTE_TTL_SECONDS = 30 * 60;

/** One line of a quote: the offer, its unit price and chain, the VAT rate and the line's net. */
export interface QuoteLine {
  offerId: string;
  productId: string;
  sku: string;
  name: string;
  term: Term;
  billingPeriod: BillingPeriod;
  quantity: number;
  /** Net, per license and billing period. */
  unitPrice: Money;
  /** The unit's prices down the tree (docs/commerce.md); shown through `lineFigures` only. */
  unitChain: UnitChain;
  /** The VAT rate the line would be taxed at, in basis points. */
  rateBps: number;
  /** Net: unitPrice × quantity, or by days for a co-termed first term (`firstTermEnd`). */
  total: Money;
  /** Co-termed: the first term's last day (domain/coterm.ts). */
  firstTermEnd?: string;
}

export interface Quote {
  id: string;
  accountId: string;
  /** Who asked for it (under "log in as", the user acted as). */
  createdBy: string;
  currency: string;
  lines: QuoteLine[];
  net: Money;
  taxes: InvoiceTax[];
  /** The gross. */
  total: Money;
  taxTreatment: TaxTreatmentKind;
  /** Who would invoice it: the account's reseller, or the distributor. */
  seller: { accountId: string; name: string };
  createdAt: string;
  expiresAt: string;
}

/** Writes a new quote (never over another: ids are unique), to be deleted by DynamoDB after it expires. */
export async function insertQuote(quote: Quote): Promise<void> {
  await db()
    .entities.quote.create({ ...quote, ttl: Math.floor(Date.parse(quote.expiresAt) / 1000) })
    .go();
}

/** The quote as stored (consistent), expired or not; undefined once DynamoDB has deleted it. */
export async function getQuote(id: string): Promise<Quote | undefined> {
  const found = await db().entities.quote.get({ id }).go({ consistent: true });
  if (!found.data) return undefined;
  const { ttl: _ttl, ...quote } = found.data;
  return quote as Quote;
}

import * as z from 'zod/mini';
import { AccountId, IsoDate, id } from '../schemas.ts';

/**
 * The contract of invoices as documents (docs/commerce.md "Documents", docs/product.md#billing-routes):
 * the PDF of one invoice and the CSV export of invoice lines by date range.
 */
export const InvoicePdfParams = z.strictObject({ invoiceId: id('invoice') });

/** The longest range one export covers, in days (both ends included). */
export const MAX_EXPORT_DAYS = 366;

const daysIn = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
const bothDates = (q: { from?: unknown; to?: unknown }): q is { from: string; to: string } => typeof q.from === 'string' && typeof q.to === 'string';

export const BillingExportQuery = z
  .strictObject({
    from: IsoDate.check(z.describe('The first issue day exported (UTC), YYYY-MM-DD')),
    to: IsoDate.check(z.describe(`The last issue day exported (UTC), YYYY-MM-DD: at most ${MAX_EXPORT_DAYS} days after from, both included`)),
    format: z._default(z.enum(['csv']), 'csv').check(z.describe('csv, the only format')),
    accountId: z.optional(AccountId).check(z.describe("Only this account's invoices (one in the caller's scope)")),
  })
  .check(
    z.refine((q) => !bothDates(q) || q.from <= q.to, { message: 'from must not be after to', path: ['to'] }),
    z.refine((q) => !bothDates(q) || q.from > q.to || daysIn(q.from, q.to) <= MAX_EXPORT_DAYS, { message: `a range covers at most ${MAX_EXPORT_DAYS} days`, path: ['to'] }),
  );

export const InvoicePdf = z.string().register(z.globalRegistry, {
  description: "The invoice (credit note, statement) as a PDF in its buyer's language: the parties, the legal fields, the lines, the net, the VAT per rate and the total",
  contentMediaType: 'application/pdf',
});

export const BillingExportCsv = z.string().register(z.globalRegistry, {
  description:
    'UTF-8 CSV with a byte order mark, RFC 4180, CRLF: one row per invoice line (invoice number, kind, issue date, seller id and name, buyer id and name, ' +
    'description, quantity, unit price, net amount, VAT rate %, currency), money in major units with a dot; staff also get the columns Cost, ' +
    'Reseller price, Sell, Margin and Reseller margin (line totals), filled with what they may see of each line',
  contentMediaType: 'text/csv',
});

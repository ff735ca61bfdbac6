import * as accountRepo from '#data/accounts.ts';
import type { Account } from '#data/accounts.ts';
import * as invoiceRepo from '#data/invoices.ts';
import type { Invoice, InvoiceParty } from '#data/invoices.ts';
import { BOM, headerRow, invoiceRows, type ExportInvoice } from '#domain/billing-export.ts';
import { documentLayout, isDocumentLocale, type DocumentLocale, type DocumentParty } from '#domain/documents.ts';
import { viewerOf } from '#domain/pricing.ts';
import type { Caller } from '#platform/caller.ts';
import { BusinessRuleRefused } from '#platform/errors.ts';
import { authorize } from '#platform/scope.ts';
import { renderPdf } from './pdf.ts';

/**
 * Invoices as documents (docs/commerce.md "Documents"): the PDF of one invoice, credit note or
 * statement in its buyer's language, and the CSV export of the invoice lines of a date range.
 * Read-only: nothing is written.
 */
export interface DocumentDeps {
  invoices: Pick<typeof invoiceRepo, 'getInvoice' | 'listInvoices'>;
  accounts: Pick<typeof accountRepo, 'getAccounts'>;
}

/** The largest CSV answered in one response: Lambda answers at most 6 MB (docs/commerce.md "Documents"). */
export const MAX_EXPORT_BYTES = 5_000_000;
/** Invoices read per Query page of the export. */
const EXPORT_PAGE = 100;

export interface PdfFile {
  fileName: string;
  bytes: Uint8Array;
}

export interface ExportRange {
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  accountId?: string;
}

const partyOf = (recorded: InvoiceParty | undefined, account: Account | undefined, fallbackName: string): DocumentParty => {
  if (recorded) return recorded;
  return { name: account?.name ?? fallbackName, ...(account?.address ? { address: account.address } : {}) };
};

/** Who issued an invoice: its `sellerId`, else (invoices before sellers were kept) the buyer's parent, which sold to it. */
const sellerIdOf = (i: Invoice): string | undefined => i.sellerId ?? i.seller?.accountId ?? i.parentId ?? undefined;

export function makeDocumentService(deps: DocumentDeps) {
  return {
    /**
     * The PDF of an invoice in scope (as GET /v1/invoices/{id}: out of scope is 404), in the buyer's
     * language: the invoice's `locale`, else the buyer account's. The parties are the invoice's own
     * record of them, else the accounts' names and addresses; a credit note names the number of the
     * invoice it corrects.
     */
    async invoicePdf(caller: Caller, invoiceId: string): Promise<PdfFile> {
      const invoice = authorize(caller, await deps.invoices.getInvoice(invoiceId), 'view');
      const sellerId = sellerIdOf(invoice);
      const needsBuyer = !invoice.buyer || !isDocumentLocale(invoice.locale);
      const [corrected, accounts] = await Promise.all([
        invoice.correctsInvoiceId ? deps.invoices.getInvoice(invoice.correctsInvoiceId) : Promise.resolve(undefined),
        deps.accounts.getAccounts([...(needsBuyer ? [invoice.accountId] : []), ...(!invoice.seller && sellerId ? [sellerId] : [])]),
      ]);
      const byId = new Map(accounts.filter((a): a is Account => a !== undefined).map((a) => [a.id, a]));
      const buyerAccount = byId.get(invoice.accountId);
      const locale: DocumentLocale = isDocumentLocale(invoice.locale) ? invoice.locale : isDocumentLocale(buyerAccount?.settings.locale) ? buyerAccount.settings.locale : 'en';
      const layout = documentLayout({
        locale,
        kind: invoice.kind ?? 'invoice',
        number: invoice.number,
        issuedAt: invoice.issuedAt,
        dueAt: invoice.dueAt,
        ...(invoice.servicePeriod ? { servicePeriod: invoice.servicePeriod } : {}),
        seller: partyOf(invoice.seller, sellerId ? byId.get(sellerId) : undefined, sellerId ?? ''),
        buyer: partyOf(invoice.buyer, buyerAccount, invoice.accountId),
        // The buyer's document: description, quantity, unit price, amount and rate only, never the line's chain.
        lines: invoice.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount, ...(l.rateBps !== undefined ? { rateBps: l.rateBps } : {}) })),
        total: invoice.total,
        ...(invoice.net ? { net: invoice.net } : {}),
        ...(invoice.taxes ? { taxes: invoice.taxes } : {}),
        ...(invoice.taxTreatment ? { taxTreatment: invoice.taxTreatment } : {}),
        ...(invoice.amountDue ? { amountDue: invoice.amountDue } : {}),
        // The corrected invoice is the same buyer's, so in the caller's scope; its number is all the credit note names.
        ...(corrected ? { correctsNumber: corrected.number } : {}),
      });
      const bytes = await renderPdf(layout, { createdAt: new Date(invoice.issuedAt) });
      return { fileName: layout.fileName, bytes };
    },

    /**
     * The CSV of the lines of the invoices in the caller's scope (or of one account in it) issued
     * from `from` to `to` (inclusive days), oldest first; every page of the invoice list is read.
     * Staff get the margin columns, each row filled with what `figuresFor` lets them see; customers
     * do not get the columns. Over MAX_EXPORT_BYTES: 422 `export_too_large` (a shorter range).
     */
    async exportCsv(caller: Caller, range: ExportRange): Promise<{ csv: string; invoices: number; lines: number }> {
      const invoices: Invoice[] = [];
      let cursor: string | undefined;
      do {
        const page = await deps.invoices.listInvoices(caller, { accountId: range.accountId, from: range.from, to: range.to, limit: EXPORT_PAGE, cursor });
        invoices.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      invoices.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.number.localeCompare(b.number));

      const missing = new Set<string>();
      for (const i of invoices) {
        if (!i.buyer) missing.add(i.accountId);
        const seller = sellerIdOf(i);
        if (!i.seller && seller) missing.add(seller);
      }
      const accounts = missing.size ? await deps.accounts.getAccounts([...missing]) : [];
      const names = new Map(accounts.filter((a): a is Account => a !== undefined).map((a) => [a.id, a.name]));

      const withMargins = caller.accountType !== 'customer';
      const parts = [BOM, headerRow(withMargins)];
      let bytes = 0;
      let lines = 0;
      for (const i of invoices) {
        const sellerId = sellerIdOf(i) ?? '';
        const rates = new Set(i.taxes?.map((t) => t.rateBps));
        const doc: ExportInvoice = {
          number: i.number,
          kind: i.kind ?? 'invoice',
          issuedAt: i.issuedAt,
          seller: { id: sellerId, name: i.seller?.name ?? names.get(sellerId) ?? '' },
          buyer: { id: i.buyer?.accountId ?? i.accountId, name: i.buyer?.name ?? names.get(i.accountId) ?? '' },
          ...(rates.size === 1 ? { rateBps: [...rates][0]! } : {}),
          lines: i.lines,
        };
        // Who looks at the lines, relative to their buyer (domain/pricing.ts): margins only for the seller and above.
        const rows = invoiceRows(doc, viewerOf(caller, { accountId: i.accountId, parentId: i.parentId }), withMargins);
        bytes += Buffer.byteLength(rows, 'utf8');
        if (bytes > MAX_EXPORT_BYTES) {
          throw new BusinessRuleRefused('export_too_large', `The export of this range is larger than ${MAX_EXPORT_BYTES / 1_000_000} MB: export a shorter range.`);
        }
        parts.push(rows);
        lines += i.lines.length;
      }
      return { csv: parts.join(''), invoices: invoices.length, lines };
    },
  };
}

export const documentService = makeDocumentService({ invoices: invoiceRepo, accounts: accountRepo });

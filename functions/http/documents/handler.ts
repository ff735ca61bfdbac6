import { accountScope, getAccount } from '#data/accounts.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { authorize } from '#platform/scope.ts';
import { documentService } from '#services/documents.ts';
import { BillingExportCsv, BillingExportQuery, InvoicePdf, InvoicePdfParams } from './schemas.ts';

/**
 * Invoices as documents (docs/commerce.md "Documents"), in a function of their own so the PDF
 * library stays out of the invoices function's bundle and cold start.
 */
const NOT_CACHED = { 'cache-control': 'private, no-store' };

/** The PDF of an invoice: the same scope and role as GET /v1/invoices/{invoiceId} (out of scope: 404). */
const pdf = httpHandler({ params: InvoicePdfParams, response: InvoicePdf, produces: 'application/pdf' }, async ({ params, caller }) => {
  const file = await documentService.invoicePdf(caller, params.invoiceId);
  return { statusCode: 200, file: { data: file.bytes, fileName: file.fileName }, headers: NOT_CACHED };
});

/** The invoice lines of a date range as CSV: the scope of GET /v1/invoices (an account in scope, or the caller's whole scope). */
const exportLines = httpHandler({ query: BillingExportQuery, response: BillingExportCsv, produces: 'text/csv; charset=utf-8' }, async ({ query, caller }) => {
  if (query.accountId) authorize(caller, accountScope(await getAccount(query.accountId)), 'view');
  else authorize(caller, { accountId: caller.accountId, accountPath: caller.accountPath }, 'view');
  const { csv } = await documentService.exportCsv(caller, { from: query.from, to: query.to, ...(query.accountId ? { accountId: query.accountId } : {}) });
  return { statusCode: 200, file: { data: csv, fileName: `invoice-lines_${query.from}_${query.to}.csv` }, headers: NOT_CACHED };
});

export const handler = routeGroup({
  'GET /v1/invoices/{invoiceId}/pdf': pdf,
  'GET /v1/billing/exports': exportLines,
});

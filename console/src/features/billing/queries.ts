import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { saveFile } from './download';
import { attachmentName, exportFileName, pdfFileName } from './format';

export type PaymentMethod = components['schemas']['PaymentMethod'];
export type Invoice = components['schemas']['Invoice'];
export type InvoiceStatus = Invoice['status'];
export const INVOICE_STATUSES: InvoiceStatus[] = ['unpaid', 'overdue', 'paid', 'void'];

export const paymentMethodsKey = (accountId: string) => ['accounts', accountId, 'payment-methods'] as const;
const invoicesKey = ['invoices'] as const;

/** The account's payment methods (one page holds them all: an account keeps only a few). */
export function usePaymentMethods(accountId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: paymentMethodsKey(accountId ?? ''),
    enabled: !!accountId && enabled,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/payment-methods', { params: { path: { accountId: accountId! }, query: { limit: 100 } } })),
  });
}

/** Saves a card by the gateway's token (never its number). */
export function useAddPaymentMethod(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { token: string; holderName: string; setDefault: boolean }) =>
      unwrap(api.POST('/v1/accounts/{accountId}/payment-methods', { params: { path: { accountId } }, body: { type: 'card', ...body } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: paymentMethodsKey(accountId) }),
  });
}

/** Edits a card (expiry, holder) or makes it the default, against the version shown (If-Match). */
export function useEditPaymentMethod(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ method, changes }: { method: PaymentMethod; changes: { expMonth?: number; expYear?: number; holderName?: string; isDefault?: true } }) =>
      unwrap(api.PATCH('/v1/payment-methods/{paymentMethodId}', { params: { path: { paymentMethodId: method.id } }, headers: ifMatch(method), body: changes })),
    // Success or a stale version (412): what is shown must be what is stored.
    onSettled: () => qc.invalidateQueries({ queryKey: paymentMethodsKey(accountId) }),
  });
}

export function useRemovePaymentMethod(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (method: PaymentMethod) => unwrap(api.DELETE('/v1/payment-methods/{paymentMethodId}', { params: { path: { paymentMethodId: method.id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: paymentMethodsKey(accountId) }),
  });
}

export interface InvoiceFilter {
  /** Staff: one customer's invoices (without it, the caller's account's). */
  accountId?: string;
  from: string;
  to: string;
  status?: InvoiceStatus;
}

/** Invoices of the caller's account (staff: of `accountId`) issued in a date range (newest first), page after page. */
export function useInvoices(filter: InvoiceFilter) {
  return useInfiniteQuery({
    queryKey: [...invoicesKey, 'list', filter] as const,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/invoices', { params: { query: { accountId: filter.accountId, from: filter.from, to: filter.to, status: filter.status, limit: 50, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** One invoice (nothing asked while `invoiceId` is empty: a credit note's corrected invoice, say). */
export function useInvoice(invoiceId: string | null | undefined) {
  return useQuery({
    queryKey: [...invoicesKey, 'one', invoiceId ?? ''] as const,
    enabled: !!invoiceId,
    queryFn: () => unwrap(api.GET('/v1/invoices/{invoiceId}', { params: { path: { invoiceId: invoiceId! } } })),
  });
}

/**
 * Downloads an invoice's PDF through the API client (the bearer token, a renewal on 401) and
 * saves it as `<number>.pdf` (the answer's own file name when it gives one).
 */
export function useInvoicePdf() {
  return useMutation({
    mutationFn: async (invoice: Pick<Invoice, 'id' | 'number'>) => {
      const answer = api.GET('/v1/invoices/{invoiceId}/pdf', { params: { path: { invoiceId: invoice.id } }, parseAs: 'blob' });
      const blob = await unwrap(answer);
      const name = attachmentName((await answer).response.headers.get('content-disposition'), pdfFileName(invoice.number));
      saveFile(blob, name);
      return name;
    },
  });
}

export interface ExportRange {
  from: string;
  to: string;
  /** One account's invoices (staff on a customer's invoices); without it, every invoice in the caller's scope. */
  accountId?: string;
}

/** Downloads the CSV of the invoice lines issued in a range (the API decides the columns the caller gets) and saves it. */
export function useExportInvoiceLines() {
  return useMutation({
    mutationFn: async ({ from, to, accountId }: ExportRange) => {
      const answer = api.GET('/v1/billing/exports', { params: { query: { from, to, format: 'csv', accountId } }, parseAs: 'blob' });
      const blob = await unwrap(answer);
      const name = attachmentName((await answer).response.headers.get('content-disposition'), exportFileName(from, to));
      saveFile(blob, name);
      return name;
    },
  });
}

/** Pays an invoice by card under the pay intent's Idempotency-Key (a retry reuses it: charged once). */
export function usePayInvoice(invoiceId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ invoice, paymentMethodId, key }: { invoice: Invoice; paymentMethodId: string; key: string }) =>
      unwrap(
        api.POST('/v1/invoices/{invoiceId}/pay', {
          params: { path: { invoiceId }, header: { 'Idempotency-Key': key, 'If-Match': ifMatch(invoice)['if-match'] } },
          body: { paymentMethodId },
        }),
      ),
    onSuccess: (invoice) => qc.setQueryData([...invoicesKey, 'one', invoiceId], invoice),
    onSettled: (_data, err) => {
      void qc.invalidateQueries({ queryKey: [...invoicesKey, 'list'] });
      if (err instanceof ApiError && err.status !== 402) void qc.invalidateQueries({ queryKey: [...invoicesKey, 'one', invoiceId] });
      // The dashboard's unpaid-invoice tile, and suspended subscriptions a payment brings back.
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
      void qc.invalidateQueries({ queryKey: ['subscriptions'] });
    },
  });
}

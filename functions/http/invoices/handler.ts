import { randomUUID } from 'node:crypto';
import { accountScope, getAccount } from '#data/accounts.ts';
import { getInvoice, listInvoices } from '#data/invoices.ts';
import { clock } from '#platform/clock.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { authorize } from '#platform/scope.ts';
import { NotFound } from '#platform/errors.ts';
import { buyerMaySee, isSelfServiceBuyer } from '#domain/self-service.ts';
import { billingService } from '#services/billing.ts';
import { page, utcBound } from '../schemas.ts';
import { InvoicePageSchema, InvoiceParams, InvoiceSchema, ListInvoicesQuery, PayInvoiceBody } from './schemas.ts';
import { invoiceView } from './views.ts';

/**
 * Invoices (docs/product.md#billing, docs/product.md#billing-routes): staff and customer admins read those in scope, by date range;
 * a customer `user` those of what it bought itself (docs/product.md#self-service-subscriptions).
 */
const list = httpHandler({ query: ListInvoicesQuery, response: InvoicePageSchema }, async ({ query, caller }) => {
  const buyer = isSelfServiceBuyer(caller);
  if (query.accountId) authorize(caller, accountScope(await getAccount(query.accountId)), buyer ? 'read' : 'view');
  else authorize(caller, { accountId: caller.accountId, accountPath: caller.accountPath }, buyer ? 'read' : 'view');
  // Default range: the last 3 months (docs/product.md#billing).
  const now = clock.now();
  const threeMonthsAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, now.getUTCDate()));
  const result = await listInvoices(caller, {
    ...query,
    from: query.from ? utcBound(query.from) : threeMonthsAgo.toISOString(),
    to: query.to ? utcBound(query.to) : '9999',
    ...(buyer ? { buyerUserId: caller.userId } : {}),
  });
  return { statusCode: 200, body: page(result, (i) => invoiceView(i, caller)) };
});

const getOne = httpHandler({ params: InvoiceParams, response: InvoiceSchema }, async ({ params, caller }) => {
  const invoice = authorize(caller, await getInvoice(params.invoiceId), 'read');
  // Another user's invoice is answered as absent, not forbidden.
  if (!buyerMaySee(caller, invoice)) throw new NotFound();
  return { statusCode: 200, body: invoiceView(invoice, caller) };
});

/**
 * Pay an invoice by card (docs/product.md#billing; services/billing.ts `payInvoice`): charged at most once
 * (docs/product.md#api-conventions). The route's `Idempotency-Key` is applied by the wrapper (the route table); each
 * attempt under it charges under its own reference.
 */
const pay = httpHandler({ params: InvoiceParams, body: PayInvoiceBody, response: InvoiceSchema }, async ({ params, body, caller, request }) => {
  const attempt = `${request.requestKey?.key ?? request.headers['idempotency-key'] ?? ''}:${randomUUID().slice(0, 8)}`;
  const paid = await billingService.payInvoice(caller, params.invoiceId, body.paymentMethodId, attempt);
  return { statusCode: 200, body: invoiceView(paid, caller) };
});

export const handler = routeGroup({
  'POST /v1/invoices/{invoiceId}/pay': pay,
  'GET /v1/invoices': list,
  'GET /v1/invoices/{invoiceId}': getOne,
});

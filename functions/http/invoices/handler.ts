import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { accountScope, getAccount } from '#data/accounts.ts';
import { getInvoice, invoiceView, listInvoices, reactivate } from '#data/invoices.ts';
import { chargeInvoice, INVOICE_CHANGED, NOT_PAYABLE, REFERENCE_SPENT, UNCONFIRMED } from '#services/payments.ts';
import { getPaymentMethod } from '#data/payment-methods.ts';
import { AppError, BusinessRuleRefused, Conflict, NotFound } from '#platform/errors.ts';
import { idempotentRoute } from '#http/idempotency.ts';
import { clock } from '#platform/clock.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { authorize } from '#platform/scope.ts';
import { AccountId, IsoDate, IsoTime, Pagination, id, page, utcBound } from '../schemas.ts';

/** Invoices (SPEC §3.7, §4.8): staff and customer admins read those in scope, by date range. */
const ListQuery = z
  .object({
    accountId: AccountId.optional(),
    status: z.enum(['unpaid', 'paid', 'overdue', 'void']).optional(),
    from: z.union([IsoDate, IsoTime]).optional(),
    to: z.union([IsoDate, IsoTime]).optional(),
    ...Pagination,
  })
  .strict();

const list = httpHandler({ query: ListQuery }, async ({ query, caller }) => {
  if (query.accountId) authorize(caller, accountScope(await getAccount(query.accountId)), 'view');
  else authorize(caller, { accountId: caller.accountId, accountPath: caller.accountPath }, 'view');
  // Default range: the last 3 months (SPEC §3.7).
  const now = clock.now();
  const threeMonthsAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, now.getUTCDate()));
  const result = await listInvoices(caller, {
    ...query,
    from: query.from ? utcBound(query.from) : threeMonthsAgo.toISOString(),
    to: query.to ? utcBound(query.to) : '9999',
  });
  return { statusCode: 200, body: page(result, invoiceView) };
});

const getOne = httpHandler({ params: z.object({ invoiceId: id('invoice') }).strict() }, async ({ params, caller }) => {
  const invoice = authorize(caller, await getInvoice(params.invoiceId), 'view');
  return { statusCode: 200, body: invoiceView(invoice) };
});

/**
 * Pay an invoice by card (SPEC §3.7): the gateway is charged at once; a decline answers 402 and
 * emails the billing contacts; paying an overdue invoice reactivates what it suspended. An invoice
 * is charged at most once (SPEC §4.1): a payment that finds it paid, void or held by another
 * payment answers 409 `invalid_state` without charging; one whose invoice was voided or paid while
 * its card was charged gives the charge back before answering 409.
 */
const pay = httpHandler(
  { params: z.object({ invoiceId: id('invoice') }).strict(), body: z.object({ paymentMethodId: id('paymentMethod') }).strict() },
  async ({ params, body, caller, request }) => {
    const invoice = authorize(caller, await getInvoice(params.invoiceId), 'manage');
    const run = idempotentRoute(`POST /v1/invoices/${invoice.id}/pay`, async () => {
      const current = await getInvoice(invoice.id, true);
      if (!current || current.status === 'paid' || current.status === 'void') {
        throw new Conflict('invalid_state', `The invoice is ${current?.status ?? 'gone'}.`, [{ status: current?.status ?? null }]);
      }
      if (current.total.amount <= 0) throw new Conflict('invalid_state', 'A credit is not paid.');
      const method = await getPaymentMethod(body.paymentMethodId);
      if (!method || method.accountId !== current.accountId) throw new NotFound('No such payment method on this account.');
      if (method.type !== 'card') throw new BusinessRuleRefused('card_required', 'An invoice is paid here by card; the invoice method means paying by transfer.');
      // Claimed, charged and marked paid at most once, whatever the keys or the concurrency (data/charges.ts).
      // Each attempt charges under its own reference: a retry after a refunded, unconfirmed charge must
      // not replay that refunded charge as a payment.
      const outcome = await chargeInvoice(current, method.id, `${current.id}:${request.headers['idempotency-key'] ?? ''}:${randomUUID().slice(0, 8)}`);
      if (!outcome.paid && (outcome.reason === UNCONFIRMED || outcome.reason === REFERENCE_SPENT)) {
        throw new AppError(503, 'try_again', 'The card processor did not confirm the payment; the invoice stays unpaid and any amount taken is given back. Try again.');
      }
      if (!outcome.paid && outcome.reason === NOT_PAYABLE) {
        const now = await getInvoice(current.id, true);
        throw new Conflict('invalid_state', `The invoice is ${now?.status === 'paid' || now?.status === 'void' ? now.status : 'being paid by another payment'}.`, [{ status: now?.status ?? null }]);
      }
      if (!outcome.paid && outcome.reason === INVOICE_CHANGED) {
        const now = await getInvoice(current.id, true);
        throw new Conflict('invalid_state', 'The invoice changed while the card was charged; the charge was given back.', [{ status: now?.status ?? null }]);
      }
      if (!outcome.paid) {
        throw new AppError(402, 'payment_declined', 'The card was declined; the invoice stays unpaid.', [{ reason: outcome.reason }]);
      }
      if (current.status === 'overdue') await reactivate(current);
      const paid = await getInvoice(current.id, true);
      return { statusCode: 200, body: invoiceView(paid!) };
    });
    return run(caller, request);
  },
);

export const handler = routeGroup({
  'POST /v1/invoices/{invoiceId}/pay': pay,
  'GET /v1/invoices': list,
  'GET /v1/invoices/{invoiceId}': getOne,
});

import { accountScope, getAccount } from '#data/accounts.ts';
import { listPaymentMethods } from '#data/payment-methods.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { authorize } from '#platform/scope.ts';
import { isSelfServiceBuyer } from '#domain/self-service.ts';
import { paymentMethodService } from '#services/payment-methods.ts';
import { page } from '../schemas.ts';
import {
  AccountParams,
  AddPaymentMethodBody,
  EditPaymentMethodBody,
  ListPaymentMethodsQuery,
  PaymentMethodPageSchema,
  PaymentMethodParams,
  PaymentMethodSchema,
} from './schemas.ts';
import { paymentMethodView } from './views.ts';

export { rawCardDataPaths } from './schemas.ts';

/**
 * Payment methods of an account (docs/product.md#billing, docs/product.md#billing-routes; services/payment-methods.ts). Customer admins
 * and staff admins in scope manage them, staff users read them; a customer `user` keeps cards of
 * its own for its self-service purchases (docs/product.md#self-service-subscriptions). Cards arrive as a token of the
 * gateway; brand, last 4 digits and expiry come from the gateway, never from the client.
 */
const list = httpHandler({ params: AccountParams, query: ListPaymentMethodsQuery, response: PaymentMethodPageSchema }, async ({ params, query, caller }) => {
  // A customer `user` sees the cards it keeps itself; everyone else the account's, never a user's own (domain/self-service.ts).
  const buyer = isSelfServiceBuyer(caller);
  authorize(caller, accountScope(await getAccount(params.accountId)), buyer ? 'read' : 'view');
  const result = await listPaymentMethods(params.accountId, { ...query, ownerUserId: buyer ? caller.userId : null });
  return { statusCode: 200, body: page(result, paymentMethodView) };
});

const add = httpHandler({ params: AccountParams, body: AddPaymentMethodBody, response: PaymentMethodSchema }, async ({ params, body, caller }) => {
  const method = await paymentMethodService.add(caller, params.accountId, body);
  return { statusCode: 201, body: paymentMethodView(method) };
});

const edit = httpHandler({ params: PaymentMethodParams, body: EditPaymentMethodBody, response: PaymentMethodSchema }, async ({ params, body, caller, request }) => {
  const method = await paymentMethodService.edit(caller, params.paymentMethodId, body, request.ifMatch);
  return { statusCode: 200, body: paymentMethodView(method) };
});

const remove = httpHandler({ params: PaymentMethodParams }, async ({ params, caller }) => {
  await paymentMethodService.remove(caller, params.paymentMethodId);
  return { statusCode: 204 };
});

export const handler = routeGroup({
  'GET /v1/accounts/{accountId}/payment-methods': list,
  'POST /v1/accounts/{accountId}/payment-methods': add,
  'PATCH /v1/payment-methods/{paymentMethodId}': edit,
  'DELETE /v1/payment-methods/{paymentMethodId}': remove,
});

import type { RouteKey } from '../../functions/registry.ts';

/**
 * The error answers a route gives beyond those every route of its kind gives (build.ts derives
 * those: 400 always; 401/403 behind the authorizer; 404 with a path parameter or a token; 412 with
 * `If-Match`; 409 `idempotency_in_progress` and 422 `idempotency_key_reused` with
 * `Idempotency-Key`; 413/415 with a body; 429 and 503 everywhere). Keyed by the table's RouteKey, so
 * a route renamed or removed fails the typecheck here. Codes come from what the route's handler and
 * the services it calls throw (`Conflict`, `BusinessRuleRefused`, `Gone`, a 402) and from SPEC §4.1.
 */
export interface RouteErrors {
  /** 401 codes of a public route (the authorizer's `unauthenticated` is added for the others). */
  401?: readonly string[];
  /** The route charges a card: 402 `payment_declined`. */
  402?: true;
  409?: readonly string[];
  /** The route takes a link's token: 410 `token_expired`. */
  410?: true;
  422?: readonly string[];
}

const ORDER_REFUSALS = ['not_a_customer', 'offer_unavailable', 'currency_mismatch', 'quantity_out_of_range', 'duplicate_offer', 'customer_agreement_required', 'card_expired'] as const;

export const ROUTE_ERRORS = {
  'POST /v1/auth/login': { 401: ['invalid_credentials'] },
  'POST /v1/auth/refresh': { 401: ['unauthenticated'] },
  'POST /v1/auth/activate': { 410: true },
  'POST /v1/auth/password-reset/confirm': { 410: true },
  'POST /v1/auth/confirm-login': { 410: true, 409: ['login_taken'] },
  'POST /v1/auth/impersonate': { 409: ['invalid_state'], 422: ['cannot_act_on_self'] },
  'POST /v1/me/password': { 422: ['current_password_incorrect'] },
  'POST /v1/accounts': { 409: ['login_taken'], 422: ['reseller_under_distributor_only'] },
  'POST /v1/accounts/{accountId}/domains': { 409: ['domain_taken'], 422: ['not_a_customer', 'customer_agreement_required'] },
  'POST /v1/domains/{domainId}/accept': { 409: ['invalid_state'] },
  'POST /v1/accounts/{accountId}/users': { 409: ['login_taken'] },
  'PATCH /v1/users/{userId}': { 409: ['login_taken'] },
  'DELETE /v1/users/{userId}': { 422: ['cannot_act_on_self'] },
  'POST /v1/users/{userId}/password': { 422: ['cannot_act_on_self'] },
  'POST /v1/users/{userId}/activation-email': { 409: ['invalid_state'] },
  'POST /v1/users/{userId}/activate': { 409: ['invalid_state'], 422: ['cannot_act_on_self'] },
  'POST /v1/users/{userId}/deactivate': { 409: ['invalid_state'], 422: ['cannot_act_on_self'] },
  'POST /v1/catalog/products': { 409: ['sku_taken'], 422: ['invalid_quantity_limits', 'duplicate_offer', 'invalid_offer', 'currency_mismatch'] },
  'PATCH /v1/catalog/products/{productId}': { 422: ['unknown_offer', 'duplicate_offer', 'invalid_quantity_limits', 'invalid_offer', 'currency_mismatch'] },
  'POST /v1/cart/items': { 422: ['offer_unavailable', 'currency_mismatch', 'quantity_out_of_range', 'cart_full'] },
  'PATCH /v1/cart/items/{itemId}': { 422: ['quantity_out_of_range'] },
  'POST /v1/cart/checkout': { 402: true, 409: ['invalid_state', 'domain_taken'], 422: ['cart_empty', ...ORDER_REFUSALS] },
  'POST /v1/accounts/{accountId}/payment-methods': { 422: ['not_a_customer', 'card_token_invalid', 'card_expired', 'too_many_payment_methods'] },
  'PATCH /v1/payment-methods/{paymentMethodId}': { 409: ['invalid_state'], 422: ['card_expired'] },
  'DELETE /v1/payment-methods/{paymentMethodId}': { 409: ['invalid_state'] },
  'POST /v1/invoices/{invoiceId}/pay': { 402: true, 409: ['invalid_state'], 422: ['card_required'] },
  'PATCH /v1/subscriptions/{subscriptionId}': { 409: ['invalid_state'], 422: ['domain_immutable'] },
  'POST /v1/subscriptions/{subscriptionId}/quantity': { 402: true, 409: ['invalid_state', 'below_assigned'], 422: ['quantity_out_of_range'] },
  'POST /v1/subscriptions/{subscriptionId}/cancel': { 409: ['invalid_state', 'cancellation_window_closed', 'below_assigned'] },
  'POST /v1/subscriptions/{subscriptionId}/assignments': { 409: ['invalid_state', 'seats_exhausted'], 422: ['user_not_assignable'] },
  'POST /v1/accounts/{accountId}/orders': { 402: true, 409: ['invalid_state', 'domain_taken'], 422: ORDER_REFUSALS },
  'POST /v1/orders/{orderId}/open': { 409: ['invalid_state'] },
  'POST /v1/orders/{orderId}/provision': { 409: ['invalid_state'] },
  'POST /v1/orders/{orderId}/cancel': { 409: ['invalid_state'] },
} as const satisfies Partial<Record<RouteKey, RouteErrors>>;

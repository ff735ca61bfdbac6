import type { TFunction } from 'i18next';

/**
 * The actions an audit event names (the route that changed something, or a workflow or job step)
 * and the catalog key of their words. An action not listed here shows as it is.
 */
const ACTIONS = {
  'POST /v1/accounts': 'accountCreated',
  'PATCH /v1/accounts/{accountId}': 'accountEdited',
  'POST /v1/accounts/{accountId}/suspend': 'accountSuspended',
  'POST /v1/accounts/{accountId}/reactivate': 'accountReactivated',
  'POST /v1/accounts/{accountId}/users': 'usersAdded',
  'PATCH /v1/users/{userId}': 'userEdited',
  'DELETE /v1/users/{userId}': 'userDeleted',
  'POST /v1/users/{userId}/activate': 'userActivated',
  'POST /v1/users/{userId}/deactivate': 'userDeactivated',
  'POST /v1/users/{userId}/activation-email': 'activationSent',
  'POST /v1/users/{userId}/password': 'passwordSet',
  'POST /v1/auth/login': 'signedIn',
  'POST /v1/auth/logout': 'signedOut',
  'POST /v1/auth/impersonate': 'loggedInAs',
  'POST /v1/auth/activate': 'activated',
  'POST /v1/auth/password-reset': 'passwordResetAsked',
  'POST /v1/auth/password-reset/confirm': 'passwordReset',
  'POST /v1/auth/confirm-login': 'loginConfirmed',
  'PATCH /v1/me': 'profileEdited',
  'POST /v1/me/password': 'passwordChanged',
  'POST /v1/cart/items': 'cartAdded',
  'PATCH /v1/cart/items/{itemId}': 'cartChanged',
  'DELETE /v1/cart/items/{itemId}': 'cartRemoved',
  'POST /v1/cart/checkout': 'checkedOut',
  'POST /v1/accounts/{accountId}/orders': 'orderPlaced',
  'POST /v1/orders/{orderId}/open': 'orderOpenedByStaff',
  'POST /v1/orders/{orderId}/provision': 'orderProvisionedByStaff',
  'POST /v1/orders/{orderId}/cancel': 'orderCancelledByStaff',
  'order.open': 'orderOpen',
  'order.provisioning': 'orderProvisioning',
  'order.completed': 'orderCompleted',
  'order.failed': 'orderFailed',
  'order.cancelled': 'orderCancelled',
  'PATCH /v1/subscriptions/{subscriptionId}': 'subscriptionEdited',
  'POST /v1/subscriptions/{subscriptionId}/quantity': 'quantityChanged',
  'POST /v1/subscriptions/{subscriptionId}/cancel': 'subscriptionCancelled',
  'POST /v1/subscriptions/{subscriptionId}/assignments': 'licensesAssigned',
  'POST /v1/subscriptions/{subscriptionId}/assignments/remove': 'licensesUnassigned',
  'subscription.renewed': 'subscriptionRenewed',
  'subscription.expired': 'subscriptionExpired',
  'POST /v1/accounts/{accountId}/domains': 'domainAdded',
  'POST /v1/domains/{domainId}/accept': 'domainAccepted',
  'POST /v1/accounts/{accountId}/payment-methods': 'cardAdded',
  'PATCH /v1/payment-methods/{paymentMethodId}': 'cardChanged',
  'DELETE /v1/payment-methods/{paymentMethodId}': 'cardRemoved',
  'POST /v1/invoices/{invoiceId}/pay': 'invoicePaid',
  'invoice.issued': 'invoiceIssued',
  'invoice.overdue': 'invoiceOverdue',
  'invoice.paid_after_due': 'invoicePaidLate',
  'POST /v1/catalog/products': 'productAdded',
  'PATCH /v1/catalog/products/{productId}': 'productEdited',
} as const;

export type ActionKey = (typeof ACTIONS)[keyof typeof ACTIONS];

/** Every action the screen has words for, to choose from in the filter. */
export const KNOWN_ACTIONS = Object.keys(ACTIONS);

/** An action in words ("Edited a user"), or the action as recorded when it has none. */
export function actionLabel(t: TFunction<'audit'>, action: string): string {
  const key = (ACTIONS as Record<string, ActionKey | undefined>)[action];
  return key ? t(`action.${key}`) : action;
}

const SYSTEMS = ['order-workflow', 'renewals-job', 'billing-job', 'dunning-job', 'payments'] as const;

/** A system actor (a workflow or a job) in words, or its name as recorded. */
export function systemLabel(t: TFunction<'audit'>, system: string): string {
  return (SYSTEMS as readonly string[]).includes(system) ? t(`system.${system as (typeof SYSTEMS)[number]}`) : t('who.systemOther', { system });
}

const RESOURCES = ['account', 'user', 'session', 'order', 'subscription', 'invoice', 'paymentMethod', 'cart', 'product', 'domain'] as const;

/** A resource type in words, or as recorded. */
export function resourceLabel(t: TFunction<'audit'>, type: string): string {
  return (RESOURCES as readonly string[]).includes(type) ? t(`resource.${type as (typeof RESOURCES)[number]}`) : type;
}

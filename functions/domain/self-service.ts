/**
 * Self-service purchases (docs/product.md#self-service-subscriptions), with no I/O: which products
 * a customer `user` may buy, and what of the money side a buyer reaches (its own payment methods,
 * orders and invoices).
 */

/** The most products a customer's self-service list holds. */
export const MAX_SELF_SERVICE_PRODUCTS = 100;

export interface SelfServiceSettings {
  allowSelfServicePurchases: boolean;
  /** Product ids; empty or absent: every product of the catalog. */
  selfServiceProducts?: readonly string[] | undefined;
}

/**
 * May a customer `user` of an account with these settings buy this product? The switch
 * (`allowSelfServicePurchases`, set by the account above) turns self-service on; the list the
 * customer's admins keep narrows it to those products. An empty list narrows nothing.
 */
export function selfServiceAllows(settings: SelfServiceSettings, productId: string): boolean {
  if (!settings.allowSelfServicePurchases) return false;
  const list = settings.selfServiceProducts ?? [];
  return list.length === 0 || list.includes(productId);
}

/**
 * Which settings an edit by the account itself may change: only its self-service list (its own
 * admins keep it); every other setting is set by the account above. Answers the keys refused.
 */
export function settingsTheAccountMayNotSet(settings: Record<string, unknown>): string[] {
  return Object.keys(settings).filter((k) => k !== 'selfServiceProducts' && settings[k] !== undefined);
}

/** The list as stored: each product once, in the order given. */
export const normalizedProductList = (ids: readonly string[]): string[] => [...new Set(ids)];

export interface BuyerCaller {
  userId: string;
  accountType: 'distributor' | 'reseller' | 'customer';
  role: 'admin' | 'user';
}

/** A customer `user`: it reaches only what it bought and paid itself. */
export const isSelfServiceBuyer = (caller: BuyerCaller): boolean => caller.accountType === 'customer' && caller.role === 'user';

/**
 * May the caller see this order or invoice (already in its scope)? Everyone in scope who may see
 * the account's orders does; a customer `user` only what it bought itself (`buyerUserId`).
 */
export function buyerMaySee(caller: BuyerCaller, resource: { buyerUserId?: string | undefined }): boolean {
  return !isSelfServiceBuyer(caller) || resource.buyerUserId === caller.userId;
}

/**
 * May the caller use or see this payment method (already in its scope)? A method a user keeps for
 * itself (`ownerUserId`) is that user's alone: not its account's admins', not staff's. The
 * account's own methods are for everyone but a customer `user`.
 */
export function methodVisibleTo(caller: BuyerCaller, method: { ownerUserId?: string | undefined }): boolean {
  if (method.ownerUserId) return method.ownerUserId === caller.userId;
  return !isSelfServiceBuyer(caller);
}

/**
 * May this method pay what this buyer buys or owes? A self-service purchase (or its invoice) is
 * paid with the buyer's own card; anything else with the account's methods, never a user's own.
 */
export function methodPaysFor(method: { ownerUserId?: string | undefined }, buyerUserId: string | undefined): boolean {
  return buyerUserId ? method.ownerUserId === buyerUserId : !method.ownerUserId;
}

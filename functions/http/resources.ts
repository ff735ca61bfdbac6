import type { Caller } from '#platform/caller.ts';
import { NotFound } from '#platform/errors.ts';
import { inScope, type Scoped } from '#platform/scope.ts';

/**
 * "The resource exists in scope" of docs/product.md#api-conventions's order of checks, by path parameter: the HTTP
 * wrapper asks it when a request's body is refused, so that a resource the caller cannot see
 * answers 404 before its body's 400 (a valid body never pays for it: the handler loads the
 * resource itself). The data modules load on first use, so a bundle pays for them only then.
 */
type Finder = (id: string, caller: Caller) => Promise<Scoped | undefined | false>;

const FINDERS: Record<string, Finder> = {
  accountId: async (id) => {
    const { accountScope, getAccount } = await import('#data/accounts.ts');
    return accountScope(await getAccount(id));
  },
  userId: async (id) => (await import('#data/users.ts')).getUser(id),
  domainId: async (id) => (await import('#data/domains.ts')).getDomain(id),
  orderId: async (id) => (await import('#data/orders.ts')).getOrder(id),
  subscriptionId: async (id) => (await import('#data/subscriptions.ts')).getSubscription(id),
  paymentMethodId: async (id) => (await import('#data/payment-methods.ts')).getPaymentMethod(id),
  invoiceId: async (id) => (await import('#data/invoices.ts')).getInvoice(id),
  clientId: async (id) => (await import('#data/api-clients.ts')).getApiClient(id),
  webhookId: async (id) => (await import('#data/webhooks.ts')).getWebhook(id),
  // The catalog is the whole channel's; a retired product exists only for the distributor.
  productId: async (id, caller) => {
    const product = await (await import('#data/catalog.ts')).getProduct(id);
    return product !== undefined && (product.status !== 'retired' || caller.accountType === 'distributor') && { accountId: caller.accountId, accountPath: caller.accountPath, version: product.version };
  },
  // Offers are the whole channel's, like their products.
  offerId: async (id, caller) => {
    const offer = await (await import('#data/catalog.ts')).getOffer(id);
    return offer !== undefined && { accountId: caller.accountId, accountPath: caller.accountPath };
  },
  // A price list is in the scope of its owner: its staff and the accounts above it.
  priceListId: async (id) => (await import('#data/pricing.ts')).getPriceList(id),
  // A cart line is found in the caller's own cart or not at all.
  itemId: async (id, caller) => {
    const item = await (await import('#data/cart.ts')).getCartItem(caller.userId, id);
    return item !== undefined && { accountId: caller.accountId, accountPath: caller.accountPath, version: item.version };
  },
};

/**
 * The stored version of the resource a route's last path parameter names, for `If-Match`
 * (platform/http-base.ts): 404 when it is not in the caller's scope, undefined when it has none.
 */
export async function versionOf(params: Record<string, string>, caller: Caller): Promise<number | undefined> {
  const last = Object.entries(params).at(-1);
  const find = last && FINDERS[last[0]];
  if (!last || !find) return undefined;
  const found = await find(last[1], caller);
  if (!found || !inScope(caller, found)) throw new NotFound();
  const version = (found as { version?: unknown }).version;
  return typeof version === 'number' ? version : undefined;
}

export async function resourcesInScope(params: Record<string, string>, caller: Caller): Promise<void> {
  for (const [name, id] of Object.entries(params)) {
    const find = FINDERS[name];
    if (!find) continue;
    const found = await find(id, caller);
    if (!found || !inScope(caller, found)) throw new NotFound();
  }
}

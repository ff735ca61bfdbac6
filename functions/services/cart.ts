import * as accountRepo from '#data/accounts.ts';
import * as cartRepo from '#data/cart.ts';
import * as catalogRepo from '#data/catalog.ts';
import type { Account } from '#data/accounts.ts';
import type { CartItem } from '#data/cart.ts';
import type { Offer, Product } from '#data/catalog.ts';
import type { Caller } from '#platform/caller.ts';
import { AppError, BusinessRuleRefused, Forbidden, NotFound } from '#platform/errors.ts';
import { clock } from '#platform/clock.ts';
import { quantityAllowed } from '#domain/catalog.ts';
import { selfServiceAllows } from '#domain/self-service.ts';
import { sum, times, type Money } from '#domain/money.ts';
import { pricer, type Pricer } from './prices.ts';

/**
 * The marketplace cart (docs/product.md#catalog-and-cart): customer admins buy for their account; a customer `user` buys
 * for itself when the account allows self-service purchases (docs/product.md#subscriptions-and-licenses). A line holds an offer
 * that is active and priced in the account's currency, in a quantity the product allows.
 */
export interface CartDeps {
  accounts: Pick<typeof accountRepo, 'getAccount'>;
  cart: Pick<typeof cartRepo, 'cartItems' | 'getCartItem' | 'addToCart' | 'setCartItemQuantity' | 'removeCartItem'>;
  catalog: Pick<typeof catalogRepo, 'getOffer' | 'getProduct'>;
  /** Prices the lines as an order would today (services/prices.ts). */
  pricer: () => Pick<Pricer, 'unit'>;
  clock: { nowIso(): string };
}

export interface Buyer {
  account: Account;
  /** A customer `user` buying for itself (docs/product.md#subscriptions-and-licenses). */
  selfService: boolean;
}

/** A cart line with its offer and product as they are now. */
export interface PricedLine {
  item: CartItem;
  offer: Offer;
  product: Product;
  /** What the account pays per license today (services/prices.ts). */
  unitPrice: Money;
  lineTotal: Money;
}

/** A line of the cart as read: its offer may have been retired or repriced in another currency since. */
export interface CartLine {
  item: CartItem;
  offer?: Offer;
  product?: Product;
  /** Whether it can be bought as it stands; only such lines count in the total. */
  available: boolean;
  unitPrice?: Money;
  lineTotal?: Money;
}

export interface CartContents {
  lines: CartLine[];
  total: Money;
  currency: string;
}

/** A customer `user` buys only the products its admins listed for self-service (domain/self-service.ts). */
export const notForSelfService = (product: Pick<Product, 'id' | 'name'>, path: string) =>
  new BusinessRuleRefused('not_self_service_product', `${product.name} is not among the products your administrators let users buy themselves.`, [{ path, productId: product.id }]);

/** Refuses a product a self-service buyer may not buy; anyone else buys anything on sale. */
export function refuseUnlistedProduct(buyer: Buyer, product: Pick<Product, 'id' | 'name'>, path: string): void {
  if (buyer.selfService && !selfServiceAllows(buyer.account.settings, product.id)) throw notForSelfService(product, path);
}

const quantityOutOfRange = (product: Product, path: string) =>
  new BusinessRuleRefused('quantity_out_of_range', `${product.name} is sold in quantities of ${product.minQuantity} to ${product.maxQuantity}.`, [
    { path, min: product.minQuantity, max: product.maxQuantity },
  ]);

/** Who buys for whom: staff place orders for customers; a customer `user` only with self-service. */
export async function resolveBuyer(accounts: CartDeps['accounts'], caller: Caller): Promise<Buyer> {
  if (caller.accountType !== 'customer') throw new Forbidden('Carts belong to customer users; staff place orders for customers.');
  const account = await accounts.getAccount(caller.accountId);
  if (!account) throw new NotFound();
  if (caller.role === 'admin') return { account, selfService: false };
  if (account.settings.allowSelfServicePurchases) return { account, selfService: true };
  throw new Forbidden('Your account does not allow self-service purchases.');
}

export function makeCartService(deps: CartDeps) {
  const { cart, catalog } = deps;
  const today = () => deps.clock.nowIso().slice(0, 10);

  /** The offer, active and priced for the account today (refused with `path` otherwise). */
  async function offerFor(offerId: string, path: string, account: Account, prices = deps.pricer()): Promise<{ offer: Offer; product: Product; unitPrice: Money }> {
    const offer = await catalog.getOffer(offerId);
    const product = offer && (await catalog.getProduct(offer.productId));
    if (!offer || !product || product.status !== 'active') throw new BusinessRuleRefused('offer_unavailable', 'This offer is not available.', [{ path }]);
    const { unitPrice } = await prices.unit(account, offer, product.category, today(), path);
    return { offer, product, unitPrice };
  }

  async function priced(item: CartItem, account: Account): Promise<PricedLine> {
    const { offer, product, unitPrice } = await offerFor(item.offerId, 'offerId', account);
    return { item, offer, product, unitPrice, lineTotal: times(unitPrice, item.quantity) };
  }

  /** The caller's own line, or 404 before any role check (a line is in the caller's cart or nowhere). */
  async function ownLine(caller: Caller, itemId: string): Promise<CartItem> {
    const item = await cart.getCartItem(caller.userId, itemId);
    if (!item) throw new NotFound();
    return item;
  }

  return {
    buyer: (caller: Caller): Promise<Buyer> => resolveBuyer(deps.accounts, caller),

    /** The cart with line totals and its total in the account's currency. */
    async read(caller: Caller): Promise<CartContents> {
      const buyer = await resolveBuyer(deps.accounts, caller);
      const { account } = buyer;
      const currency = account.settings.currency;
      const lines: CartLine[] = [];
      const prices = deps.pricer();
      for (const item of await cart.cartItems(caller.userId)) {
        const offer = await catalog.getOffer(item.offerId);
        const product = offer && (await catalog.getProduct(offer.productId));
        // A line the account cannot buy as it stands (retired, or no price for it today) stays, unavailable.
        // A self-service buyer's line of a product no longer on its account's list is unavailable too.
        const unitPrice =
          offer && product && product.status === 'active' && (!buyer.selfService || selfServiceAllows(account.settings, product.id))
            ? await prices.unit(account, offer, product.category, today()).then(
                (p) => p.unitPrice,
                (err: unknown) => {
                  if (err instanceof AppError && err.status === 422) return undefined;
                  throw err;
                },
              )
            : undefined;
        lines.push({ item, offer, product, available: unitPrice !== undefined, unitPrice, lineTotal: unitPrice ? times(unitPrice, item.quantity) : undefined });
      }
      return { lines, total: sum(lines.flatMap((l) => (l.lineTotal ? [l.lineTotal] : [])), currency), currency };
    },

    /** Adds to the offer's line (created when the cart has none): `created` says which. */
    async add(caller: Caller, input: { offerId: string; quantity: number }): Promise<PricedLine & { created: boolean }> {
      const buyer = await resolveBuyer(deps.accounts, caller);
      const { account } = buyer;
      const { product } = await offerFor(input.offerId, 'offerId', account);
      refuseUnlistedProduct(buyer, product, 'offerId');
      if (!quantityAllowed(product, input.quantity)) throw quantityOutOfRange(product, 'quantity');
      const outcome = await cart.addToCart({ userId: caller.userId, accountId: account.id, offerId: input.offerId, quantity: input.quantity, maxQuantity: product.maxQuantity });
      if (outcome.kind === 'full') throw new BusinessRuleRefused('cart_full', `A cart holds at most ${cartRepo.MAX_CART_ITEMS} offers.`);
      // The line already holds so many that the sum passes the product's maximum.
      if (outcome.kind === 'too_many') throw quantityOutOfRange(product, 'quantity');
      return { ...(await priced(outcome.item, account)), created: outcome.created };
    },

    /** Sets a line's quantity; `ifMatch` (If-Match) refuses with 412 once the line has changed. */
    async changeQuantity(caller: Caller, itemId: string, quantity: number, ifMatch?: number): Promise<PricedLine> {
      const item = await ownLine(caller, itemId);
      const buyer = await resolveBuyer(deps.accounts, caller);
      const { account } = buyer;
      const { product } = await offerFor(item.offerId, 'offerId', account);
      refuseUnlistedProduct(buyer, product, 'offerId');
      if (!quantityAllowed(product, quantity)) throw quantityOutOfRange(product, 'quantity');
      return priced(await cart.setCartItemQuantity(caller.userId, item.id, quantity, ifMatch), account);
    },

    async remove(caller: Caller, itemId: string): Promise<void> {
      await ownLine(caller, itemId);
      await resolveBuyer(deps.accounts, caller);
      await cart.removeCartItem(caller.userId, itemId);
    },
  };
}

export type CartService = ReturnType<typeof makeCartService>;

export const cartService = makeCartService({ accounts: accountRepo, cart: cartRepo, catalog: catalogRepo, pricer, clock });

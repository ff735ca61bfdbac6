import * as accountRepo from '#data/accounts.ts';
import * as cartRepo from '#data/cart.ts';
import * as catalogRepo from '#data/catalog.ts';
import type { Order } from '#data/orders.ts';
import type { RequestKey } from '#data/request-keys.ts';
import type { Quote } from '#data/quotes.ts';
import type { Caller } from '#platform/caller.ts';
import { BusinessRuleRefused } from '#platform/errors.ts';
import { refuseUnlistedProduct, resolveBuyer, type Buyer } from './cart.ts';
import { placeOrder, type PlaceOrderInput } from './orders.ts';
import { quoteService, type QuoteService } from './quotes.ts';

/**
 * The checkout of the cart (docs/product.md#catalog-and-cart): one order with one line per cart item, processed as the
 * account's `orderProcessing` says, paid by card at once (a decline: 402 and nothing kept) or
 * invoiced. Pricing, the charge and the one transaction that writes the order and empties the
 * cart are the orders service's `placeOrder`, the same as for a staff order.
 */
export interface CheckoutDeps {
  accounts: Pick<typeof accountRepo, 'getAccount'>;
  cart: Pick<typeof cartRepo, 'cartItems'>;
  placeOrder: typeof placeOrder;
  /** The products of the lines, checked against the account's self-service list (needed only when the account keeps one). */
  catalog?: Pick<typeof catalogRepo, 'getOffer' | 'getProduct'>;
}

export interface CheckoutInput {
  domain: PlaceOrderInput['domain'];
  paymentMethodId: string;
  customerAgreement?: PlaceOrderInput['customerAgreement'];
  /** A quote of the cart (services/quotes.ts): the order must cost what it said (409 `price_changed`). */
  quoteId?: string;
  /** Co-terming (docs/product.md "Co-terming"): a subscription of the account on the same domain, or `calendarMonth`. */
  alignEndWith?: string;
}

export function makeCheckoutService(deps: CheckoutDeps) {
  /** The list may have changed since the lines were added: each line's product must still be on it (422 at the line). */
  async function refuseUnlistedLines(buyer: Buyer, offerIds: string[]): Promise<void> {
    if (!deps.catalog) throw new Error('This checkout has no catalog to check the self-service list against');
    for (const [i, offerId] of offerIds.entries()) {
      const offer = await deps.catalog.getOffer(offerId);
      const product = offer && (await deps.catalog.getProduct(offer.productId));
      // A line whose offer or product is gone is refused by the order itself (offer_unavailable).
      if (product) refuseUnlistedProduct(buyer, product, `lines.${i}.offerId`);
    }
  }

  return {
    /** `requestKey` is the request's Idempotency-Key, written with the order (a retry answers that order). */
    async checkout(caller: Caller, input: CheckoutInput, requestKey?: RequestKey): Promise<Order> {
      const buyer = await resolveBuyer(deps.accounts, caller);
      const { account, selfService } = buyer;
      const items = await deps.cart.cartItems(caller.userId);
      if (items.length === 0) throw new BusinessRuleRefused('cart_empty', 'The cart is empty.');
      if (selfService && account.settings.selfServiceProducts?.length) await refuseUnlistedLines(buyer, items.map((i) => i.offerId));
      return deps.placeOrder(caller, account, {
        lines: items.map((i) => ({ offerId: i.offerId, quantity: i.quantity })),
        domain: input.domain,
        customerAgreement: input.customerAgreement,
        automatic: account.settings.orderProcessing === 'automatic',
        paymentMethodId: input.paymentMethodId,
        selfService,
        // The lines as read: the order's transaction removes them only if they are still so.
        cart: { userId: caller.userId, items: items.map((i) => ({ id: i.id, quantity: i.quantity })) },
        requestKey,
        ...(input.quoteId ? { quoteId: input.quoteId } : {}),
        ...(input.alignEndWith ? { alignEndWith: input.alignEndWith } : {}),
      });
    },
  };
}

export type CheckoutService = ReturnType<typeof makeCheckoutService>;

export const checkoutService = makeCheckoutService({ accounts: accountRepo, cart: cartRepo, placeOrder, catalog: catalogRepo });

/**
 * The cart's quote (docs/commerce.md "Quotes"): what its checkout would cost now, under the
 * checkout's caller rules (a customer admin, or a customer `user` with self-service; 422
 * `cart_empty`), through the quotes service (services/quotes.ts). Its id, given to the checkout as
 * `quoteId`, holds the checkout to that price.
 */
export interface CartQuoteDeps {
  accounts: Pick<typeof accountRepo, 'getAccount'>;
  cart: Pick<typeof cartRepo, 'cartItems'>;
  quotes: Pick<QuoteService, 'quote'>;
}

export function makeCartQuoteService(deps: CartQuoteDeps) {
  return {
    async quote(caller: Caller, input: { alignEndWith?: string } = {}): Promise<Quote> {
      const { account } = await resolveBuyer(deps.accounts, caller);
      const items = await deps.cart.cartItems(caller.userId);
      if (items.length === 0) throw new BusinessRuleRefused('cart_empty', 'The cart is empty.');
      return deps.quotes.quote(caller, account, items.map((i) => ({ offerId: i.offerId, quantity: i.quantity })), input.alignEndWith);
    },
  };
}

export const cartQuoteService = makeCartQuoteService({ accounts: accountRepo, cart: cartRepo, quotes: quoteService });

import * as accountRepo from '#data/accounts.ts';
import * as cartRepo from '#data/cart.ts';
import type { Order } from '#data/orders.ts';
import type { RequestKey } from '#data/request-keys.ts';
import type { Quote } from '#data/quotes.ts';
import type { Caller } from '#platform/caller.ts';
import { BusinessRuleRefused } from '#platform/errors.ts';
import { resolveBuyer } from './cart.ts';
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
  return {
    /** `requestKey` is the request's Idempotency-Key, written with the order (a retry answers that order). */
    async checkout(caller: Caller, input: CheckoutInput, requestKey?: RequestKey): Promise<Order> {
      const { account, selfService } = await resolveBuyer(deps.accounts, caller);
      const items = await deps.cart.cartItems(caller.userId);
      if (items.length === 0) throw new BusinessRuleRefused('cart_empty', 'The cart is empty.');
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

export const checkoutService = makeCheckoutService({ accounts: accountRepo, cart: cartRepo, placeOrder });

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

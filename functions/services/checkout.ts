import * as accountRepo from '#data/accounts.ts';
import * as cartRepo from '#data/cart.ts';
import type { Order } from '#data/orders.ts';
import type { RequestKey } from '#data/request-keys.ts';
import type { Caller } from '#platform/caller.ts';
import { BusinessRuleRefused } from '#platform/errors.ts';
import { resolveBuyer } from './cart.ts';
import { placeOrder, type PlaceOrderInput } from './orders.ts';

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
      });
    },
  };
}

export type CheckoutService = ReturnType<typeof makeCheckoutService>;

export const checkoutService = makeCheckoutService({ accounts: accountRepo, cart: cartRepo, placeOrder });

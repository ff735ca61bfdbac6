import * as z from 'zod';
import { getAccount, type Account } from '#data/accounts.ts';
import { addToCart, cartItems, getCartItem, MAX_CART_ITEMS, removeCartItem, setCartItemQuantity, type CartItem } from '#data/cart.ts';
import { getOffer, getProduct, type Offer, type Product } from '#data/catalog.ts';
import { orderView } from '#data/orders.ts';
import type { Caller } from '#platform/caller.ts';
import { BusinessRuleRefused, Forbidden, NotFound } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { answerOrder, idempotentRoute } from '#http/idempotency.ts';
import { sum, times } from '#domain/money.ts';
import { CustomerAgreement, DomainChoice, OfferId, id } from '../schemas.ts';
import { placeOrder } from '#services/orders.ts';

/**
 * The marketplace cart and checkout (SPEC §4.4): customer admins buy for their account; a customer
 * `user` buys for itself when the account allows self-service purchases (SPEC §3.5).
 */
async function buyer(caller: Caller): Promise<{ account: Account; selfService: boolean }> {
  if (caller.accountType !== 'customer') throw new Forbidden('Carts belong to customer users; staff place orders for customers.');
  const account = await getAccount(caller.accountId);
  if (!account) throw new NotFound();
  if (caller.role === 'admin') return { account, selfService: false };
  if (account.settings.allowSelfServicePurchases) return { account, selfService: true };
  throw new Forbidden('Your account does not allow self-service purchases.');
}

async function offerFor(offerId: string, path: string, account: Account): Promise<{ offer: Offer; product: Product }> {
  const offer = await getOffer(offerId);
  const product = offer && (await getProduct(offer.productId));
  if (!offer || !product || product.status !== 'active') throw new BusinessRuleRefused('offer_unavailable', 'This offer is not available.', [{ path }]);
  if (offer.price.currency !== account.settings.currency) {
    throw new BusinessRuleRefused('currency_mismatch', `This offer is priced in ${offer.price.currency}; the account pays in ${account.settings.currency}.`, [{ path }]);
  }
  return { offer, product };
}

const quantityOutOfRange = (product: Product, path: string) =>
  new BusinessRuleRefused('quantity_out_of_range', `${product.name} is sold in quantities of ${product.minQuantity} to ${product.maxQuantity}.`, [
    { path, min: product.minQuantity, max: product.maxQuantity },
  ]);

function checkQuantity(product: Product, quantity: number, path: string): void {
  if (quantity < product.minQuantity || quantity > product.maxQuantity) throw quantityOutOfRange(product, path);
}

/** The cart with line totals and its total in the account's currency. */
async function view(caller: Caller, account: Account) {
  const items = await cartItems(caller.userId);
  const lines = [];
  for (const item of items) {
    const offer = await getOffer(item.offerId);
    const product = offer && (await getProduct(offer.productId));
    const available = Boolean(offer && product && product.status === 'active' && offer.price.currency === account.settings.currency);
    lines.push({
      id: item.id,
      offerId: item.offerId,
      productId: product?.id ?? null,
      name: product?.name ?? null,
      sku: product?.sku ?? null,
      term: offer?.term ?? null,
      billingPeriod: offer?.billingPeriod ?? null,
      quantity: item.quantity,
      unitPrice: offer?.price ?? null,
      lineTotal: offer && available ? times(offer.price, item.quantity) : null,
      available,
    });
  }
  const priced = lines.flatMap((l) => (l.lineTotal ? [l.lineTotal] : []));
  return { items: lines, total: sum(priced, account.settings.currency), currency: account.settings.currency };
}

const read = httpHandler({}, async ({ caller }) => {
  const { account } = await buyer(caller);
  return { statusCode: 200, body: await view(caller, account) };
});

const ItemBody = z.object({ offerId: OfferId, quantity: z.number().int().min(1).max(100000) }).strict();

const addItem = httpHandler({ body: ItemBody }, async ({ body, caller }) => {
  const { account } = await buyer(caller);
  const { product } = await offerFor(body.offerId, 'offerId', account);
  checkQuantity(product, body.quantity, 'quantity');
  const outcome = await addToCart({ userId: caller.userId, accountId: account.id, offerId: body.offerId, quantity: body.quantity, maxQuantity: product.maxQuantity });
  if (outcome.kind === 'full') throw new BusinessRuleRefused('cart_full', `A cart holds at most ${MAX_CART_ITEMS} offers.`);
  // The line already holds so many that the sum passes the product's maximum.
  if (outcome.kind === 'too_many') throw quantityOutOfRange(product, 'quantity');
  return { statusCode: outcome.created ? 201 : 200, body: await itemView(outcome.item, account) };
});

async function itemView(item: CartItem, account: Account) {
  const { offer, product } = await offerFor(item.offerId, 'offerId', account);
  return { id: item.id, offerId: item.offerId, productId: product.id, name: product.name, quantity: item.quantity, unitPrice: offer.price, lineTotal: times(offer.price, item.quantity) };
}

const ItemParams = z.object({ itemId: id('cartItem') }).strict();

const changeItem = httpHandler({ params: ItemParams, body: z.object({ quantity: z.number().int().min(1).max(100000) }).strict() }, async ({ params, body, caller }) => {
  // A cart line is found in the caller's own cart or not at all: 404 before any role check.
  const item = await getCartItem(caller.userId, params.itemId);
  if (!item) throw new NotFound();
  const { account } = await buyer(caller);
  const { product } = await offerFor(item.offerId, 'offerId', account);
  checkQuantity(product, body.quantity, 'quantity');
  const saved = await setCartItemQuantity(caller.userId, item.id, body.quantity);
  return { statusCode: 200, body: await itemView(saved, account) };
});

const removeItem = httpHandler({ params: ItemParams }, async ({ params, caller }) => {
  if (!(await getCartItem(caller.userId, params.itemId))) throw new NotFound();
  await buyer(caller);
  await removeCartItem(caller.userId, params.itemId);
  return { statusCode: 204 };
});

const CheckoutBody = z
  .object({ domain: DomainChoice, paymentMethodId: id('paymentMethod'), customerAgreement: CustomerAgreement.optional() })
  .strict();

/**
 * One order with one line per cart item, processed as the account's `orderProcessing` says; paid by
 * card at once (a decline: 402 and nothing kept) or invoiced; the cart emptied with the order.
 */
const checkout = httpHandler({ body: CheckoutBody }, async ({ body, caller, request }) => {
  const { account, selfService } = await buyer(caller);
  const run = idempotentRoute('POST /v1/cart/checkout', async (requestKey) => {
    const items = await cartItems(caller.userId);
    if (items.length === 0) throw new BusinessRuleRefused('cart_empty', 'The cart is empty.');
    const order = await placeOrder(caller, account, {
      lines: items.map((i) => ({ offerId: i.offerId, quantity: i.quantity })),
      domain: body.domain,
      customerAgreement: body.customerAgreement,
      automatic: account.settings.orderProcessing === 'automatic',
      paymentMethodId: body.paymentMethodId,
      selfService,
      cart: { userId: caller.userId, items: items.map((i) => ({ id: i.id, quantity: i.quantity })) },
      requestKey,
    });
    return { statusCode: 201, body: orderView(order) };
  }, answerOrder(201));
  return run(caller, request);
});

export const handler = routeGroup({
  'GET /v1/cart': read,
  'POST /v1/cart/items': addItem,
  'PATCH /v1/cart/items/{itemId}': changeItem,
  'DELETE /v1/cart/items/{itemId}': removeItem,
  'POST /v1/cart/checkout': checkout,
});

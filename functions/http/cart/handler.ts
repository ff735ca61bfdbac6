import type * as z from 'zod/mini';
import type { CartLine, PricedLine } from '#services/cart.ts';
import { cartService } from '#services/cart.ts';
import { cartQuoteService, checkoutService } from '#services/checkout.ts';
import { answerOrder } from '#http/idempotency.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { OrderSchema } from '../orders/schemas.ts';
import { QuoteSchema } from '../orders/quote-schemas.ts';
import { orderViewOf, quoteView } from '../orders/views.ts';
import type { CartLineSchema } from './schemas.ts';
import { AddItemBody, CartItemSchema, CartQuoteBody, CartSchema, ChangeItemBody, CheckoutBody, ItemParams } from './schemas.ts';

/**
 * The marketplace cart and checkout (docs/product.md#catalog-and-cart): services/cart.ts and services/checkout.ts. The
 * checkout's Idempotency-Key is the route table's; a retry answers the order the key placed.
 */
function itemView({ item, product, unitPrice, lineTotal }: PricedLine): z.output<typeof CartItemSchema> {
  return { id: item.id, offerId: item.offerId, productId: product.id, name: product.name, quantity: item.quantity, unitPrice, lineTotal, version: item.version };
}

function lineView({ item, offer, product, available, unitPrice, lineTotal }: CartLine): z.output<typeof CartLineSchema> {
  return {
    id: item.id,
    offerId: item.offerId,
    productId: product?.id ?? null,
    name: product?.name ?? null,
    sku: product?.sku ?? null,
    term: offer?.term ?? null,
    billingPeriod: offer?.billingPeriod ?? null,
    quantity: item.quantity,
    unitPrice: unitPrice ?? offer?.price ?? null,
    lineTotal: lineTotal ?? null,
    available,
    version: item.version,
  };
}

const read = httpHandler({ response: CartSchema }, async ({ caller }) => {
  const cart = await cartService.read(caller);
  return { statusCode: 200, body: { items: cart.lines.map(lineView), total: cart.total, currency: cart.currency } };
});

const addItem = httpHandler({ body: AddItemBody, response: CartItemSchema }, async ({ body, caller }) => {
  const { created, ...line } = await cartService.add(caller, body);
  return { statusCode: created ? 201 : 200, body: itemView(line) };
});

const changeItem = httpHandler({ params: ItemParams, body: ChangeItemBody, response: CartItemSchema }, async ({ params, body, caller, request }) => ({
  statusCode: 200,
  body: itemView(await cartService.changeQuantity(caller, params.itemId, body.quantity, request.ifMatch)),
}));

const removeItem = httpHandler({ params: ItemParams }, async ({ params, caller }) => {
  await cartService.remove(caller, params.itemId);
  return { statusCode: 204 };
});

/** One order with one line per cart item; a card is charged at once (a decline: 402 and nothing kept). */
const checkout = httpHandler({ body: CheckoutBody, response: OrderSchema, replay: answerOrder(201) }, async ({ body, caller, request }) => ({
  statusCode: 201,
  body: await orderViewOf(await checkoutService.checkout(caller, body, request.requestKey)),
}));

/** What the checkout of the cart would cost now (docs/commerce.md "Quotes"), placing nothing; kept 30 minutes for its `quoteId`. The buyer sees no figures. */
const quote = httpHandler({ body: CartQuoteBody, response: QuoteSchema }, async ({ body, caller }) => ({
  statusCode: 201,
  body: quoteView(await cartQuoteService.quote(caller, body), 'customer'),
  audit: { resourceType: 'quote' },
}));

export const handler = routeGroup({
  'GET /v1/cart': read,
  'POST /v1/cart/items': addItem,
  'PATCH /v1/cart/items/{itemId}': changeItem,
  'DELETE /v1/cart/items/{itemId}': removeItem,
  'POST /v1/cart/quote': quote,
  'POST /v1/cart/checkout': checkout,
});

import * as z from 'zod/mini';
import { BILLING_PERIODS, TERMS } from '#domain/catalog.ts';
import { AlignEndWith, CustomerAgreement, DomainChoice, id, Money, OfferId, ProductId } from '../schemas.ts';

/**
 * The contract of the cart and its checkout (docs/product.md#catalog-and-cart): the bodies the routes take and the answers
 * they give. The checkout answers the order it placed (orders/schemas.ts).
 */
export const CartItemId = id('cartItem');
const CartQuantity = z.number().check(z.int(), z.gte(1), z.lte(100000));

export const AddItemBody = z.strictObject({ offerId: OfferId, quantity: CartQuantity });
export const ChangeItemBody = z.strictObject({ quantity: CartQuantity });
export const ItemParams = z.strictObject({ itemId: CartItemId });

export const CheckoutBody = z.strictObject({
  domain: DomainChoice,
  paymentMethodId: id('paymentMethod'),
  customerAgreement: z.optional(CustomerAgreement),
  quoteId: z.optional(id('quote').check(z.describe('A quote of this cart (POST /v1/cart/quote): the checkout is refused (409 price_changed, nothing charged) unless it costs what the quote said'))),
  alignEndWith: z.optional(AlignEndWith),
});

/** `POST /v1/cart/quote`: nothing, or the co-terming the checkout will ask for (priced by days the same). */
export const CartQuoteBody = z.strictObject({ alignEndWith: z.optional(AlignEndWith) });

const version = z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag, sent back in If-Match'));

const exampleItem = {
  id: 'itm_01JBAS1C00000000000000Y1AN',
  offerId: 'ofr_01JBAS1C00000000000000Y1AN',
  productId: 'prd_01JBAS1C0000000000000000M1',
  name: 'Microsoft 365 Business Basic',
  quantity: 12,
  unitPrice: { amount: 7200, currency: 'EUR' },
  lineTotal: { amount: 86400, currency: 'EUR' },
  version: 2,
};

export const CartItemSchema = z
  .object({
    id: CartItemId.check(z.describe('One line per offer: adding an offer again adds to its line')),
    offerId: OfferId,
    productId: ProductId,
    name: z.string(),
    quantity: z.number().check(z.int()),
    unitPrice: Money.check(z.describe('Per license and billing period')),
    lineTotal: Money,
    version,
  })
  .register(z.globalRegistry, { id: 'CartItem', description: 'A line of the cart, priced now', examples: [exampleItem] });

export const CartLineSchema = z
  .object({
    id: CartItemId,
    offerId: OfferId,
    productId: z.nullable(ProductId),
    name: z.nullable(z.string()),
    sku: z.nullable(z.string()),
    term: z.nullable(z.enum(TERMS)),
    billingPeriod: z.nullable(z.enum(BILLING_PERIODS)),
    quantity: z.number().check(z.int()),
    unitPrice: z.nullable(Money),
    lineTotal: z.nullable(Money).check(z.describe('Null for a line that cannot be bought as it stands')),
    available: z.boolean().check(z.describe('False once its product is retired or its offer priced in another currency than the account')),
    version,
  })
  .register(z.globalRegistry, {
    id: 'CartLine',
    description: 'A line of the cart as read, with its offer as it stands now (null fields: the offer is gone)',
    examples: [{ ...exampleItem, sku: 'CFQ7TTC0LH18', term: 'P1Y', billingPeriod: 'annual', available: true }],
  });

export const CartSchema = z
  .object({
    items: z.array(CartLineSchema),
    total: Money.check(z.describe('Of the lines that can be bought')),
    currency: z.string().check(z.describe("The account's currency")),
  })
  .register(z.globalRegistry, {
    id: 'Cart',
    description: "The caller's cart with its totals",
    examples: [
      {
        items: [{ ...exampleItem, sku: 'CFQ7TTC0LH18', term: 'P1Y', billingPeriod: 'annual', available: true }],
        total: { amount: 86400, currency: 'EUR' },
        currency: 'EUR',
      },
    ],
  });

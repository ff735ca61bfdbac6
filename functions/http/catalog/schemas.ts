import * as z from 'zod';
import { BILLING_PERIODS, PRODUCT_STATUSES, TERMS } from '#domain/catalog.ts';
import { MAX_PRICE, MAX_QUANTITY } from '#domain/money.ts';
import { Currency, Money, Name, nameOf, OfferId, Pagination, pageOf, ProductId } from '../schemas.ts';

/**
 * The contract of the catalog (docs/product.md#catalog-and-offers, docs/product.md#catalog-and-cart): the bodies the routes take and the answers they
 * give. Statuses, terms and billing periods come from domain/catalog.ts.
 */
const Category = z.string().trim().min(1).max(50).toLowerCase();

export const SearchQuery = z.object({ q: z.string().trim().max(100).optional(), category: Category.optional(), ...Pagination }).strict();

const Sku = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/, 'must be 2 to 40 letters, digits, dots, dashes or underscores');
const Quantity = z.number().int().min(1).max(MAX_QUANTITY);
const Price = z
  .object({
    amount: z.number().int('must be an integer amount of minor units').positive().max(MAX_PRICE),
    currency: Currency,
  })
  .strict();
const NewOffer = z.object({ term: z.enum(TERMS), billingPeriod: z.enum(BILLING_PERIODS), price: Price }).strict();

const productFields = {
  name: nameOf(200),
  description: z.string().trim().min(1).max(2000),
  category: Category,
  vendor: Name,
  requiresTenant: z.boolean(),
  minQuantity: Quantity,
  maxQuantity: Quantity,
  cancellationWindowHours: z.number().int().min(0).max(8760),
};

export const CreateProductBody = z.object({ sku: Sku, ...productFields, offers: z.array(NewOffer).min(1).max(6) }).strict();

export const EditProductBody = z
  .object({
    ...productFields,
    status: z.enum(PRODUCT_STATUSES),
    addOffers: z.array(NewOffer).min(1).max(6),
    offers: z.array(z.object({ id: OfferId, price: Price }).strict()).min(1).max(6),
  })
  .partial()
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change.');

export const ProductParams = z.object({ productId: ProductId }).strict();

const exampleOffers = [
  { id: 'ofr_01JBAS1C00000000000000Y1AN', productId: 'prd_01JBAS1C0000000000000000M1', term: 'P1Y' as const, billingPeriod: 'annual' as const, price: { amount: 7200, currency: 'EUR' } },
  { id: 'ofr_01JBAS1C00000000000000M1MN', productId: 'prd_01JBAS1C0000000000000000M1', term: 'P1M' as const, billingPeriod: 'monthly' as const, price: { amount: 720, currency: 'EUR' } },
  { id: 'ofr_01JBAS1C00000000000000Y1MN', productId: 'prd_01JBAS1C0000000000000000M1', term: 'P1Y' as const, billingPeriod: 'monthly' as const, price: { amount: 600, currency: 'EUR' } },
];

export const OfferSchema = z
  .object({
    id: OfferId,
    productId: ProductId,
    term: z.enum(TERMS).describe('ISO 8601 duration of the commitment'),
    billingPeriod: z.enum(BILLING_PERIODS),
    price: Money.describe('Per license and billing period'),
  })
  .meta({ id: 'Offer', description: 'A term and billing period of a product, with its price per license', examples: [exampleOffers[0]!] });

const exampleProduct = {
  id: 'prd_01JBAS1C0000000000000000M1',
  sku: 'CFQ7TTC0LH18',
  name: 'Microsoft 365 Business Basic',
  description: 'Web and mobile Office apps, Teams, Exchange email, 1 TB OneDrive per user.',
  category: 'productivity',
  vendor: 'Microsoft',
  requiresTenant: true,
  minQuantity: 1,
  maxQuantity: 300,
  cancellationWindowHours: 168,
  status: 'active' as const,
  offers: exampleOffers,
  version: 3,
};

export const ProductSchema = z
  .object({
    id: ProductId,
    sku: z.string().describe('Unique in the catalog, compared case-insensitively'),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    vendor: z.string(),
    requiresTenant: z.boolean().describe('Bought for a Microsoft domain (tenant)'),
    minQuantity: z.number().int(),
    maxQuantity: z.number().int(),
    cancellationWindowHours: z.number().int().describe('How long after a purchase or renewal it may be cancelled or lowered'),
    status: z.enum(PRODUCT_STATUSES).describe('A retired product is shown only to the distributor and cannot be bought'),
    offers: z.array(OfferSchema),
    version: z.number().int().describe('Increases with every change; answered as the ETag, sent back in If-Match'),
  })
  .meta({ id: 'Product', description: 'A product of the catalog with its offers', examples: [exampleProduct] });

export const ProductPage = pageOf(ProductSchema).meta({
  id: 'ProductPage',
  description: 'A page of the catalog, by name',
  examples: [{ items: [exampleProduct], nextCursor: null }],
});

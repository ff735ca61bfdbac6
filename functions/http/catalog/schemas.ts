import * as z from 'zod/mini';
import { BILLING_PERIODS, PRODUCT_STATUSES, TERMS } from '#domain/catalog.ts';
import { MAX_PRICE, MAX_QUANTITY } from '#domain/money.ts';
import { MAX_UPGRADE_TARGETS } from '#domain/upgrades.ts';
import { MAX_TRIAL_DAYS, QUALIFICATIONS } from '#domain/trials.ts';
import { Currency, Money, Name, nameOf, OfferId, Pagination, pageOf, ProductId } from '../schemas.ts';

/**
 * The contract of the catalog (docs/product.md#catalog-and-offers, docs/product.md#catalog-and-cart): the bodies the routes take and the answers they
 * give. Statuses, terms and billing periods come from domain/catalog.ts.
 */
const Category = z.string().check(z.trim(), z.minLength(1), z.maxLength(50), z.toLowerCase());

export const SearchQuery = z.strictObject({ q: z.optional(z.string().check(z.trim(), z.maxLength(100))), category: z.optional(Category), ...Pagination });

const Sku = z
  .string()
  .check(z.trim(), z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/, 'must be 2 to 40 letters, digits, dots, dashes or underscores'));
const Quantity = z.number().check(z.int(), z.gte(1), z.lte(MAX_QUANTITY));
const Price = z
  .strictObject({
    amount: z.number().check(z.int('must be an integer amount of minor units'), z.positive(), z.lte(MAX_PRICE)),
    currency: Currency,
  });
const NewOffer = z.strictObject({ term: z.enum(TERMS), billingPeriod: z.enum(BILLING_PERIODS), price: Price });
/** A trial offer (docs/product.md#trials-and-qualifications): free for `days`, then the paid offer it names; its term, billing period and currency are that offer's. */
const NewTrialOffer = z.strictObject({
  trial: z.strictObject({ days: z.number().check(z.int(), z.gte(1), z.lte(MAX_TRIAL_DAYS)), convertsToOfferId: OfferId }),
});
const Qualification = z.enum(QUALIFICATIONS);

const productFields = {
  name: nameOf(200),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
  category: Category,
  vendor: Name,
  requiresTenant: z.boolean(),
  minQuantity: Quantity,
  maxQuantity: Quantity,
  cancellationWindowHours: z.number().check(z.int(), z.gte(0), z.lte(8760)),
  upgradeTargets: z.optional(z.array(ProductId).check(z.maxLength(MAX_UPGRADE_TARGETS))),
  /** null: none (an edit removes it). */
  requiresQualification: z.optional(z.nullable(Qualification)),
};

export const CreateProductBody = z.strictObject({ sku: Sku, ...productFields, offers: z.array(NewOffer).check(z.minLength(1), z.maxLength(6)) });

export const EditProductBody = z
  .partial(
    z.strictObject({
      ...productFields,
      status: z.enum(PRODUCT_STATUSES),
      addOffers: z.array(z.union([NewOffer, NewTrialOffer])).check(z.minLength(1), z.maxLength(6)),
      offers: z.array(z.strictObject({ id: OfferId, price: Price })).check(z.minLength(1), z.maxLength(6)),
    }),
  )
  .check(z.refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change.'));

export const ProductParams = z.strictObject({ productId: ProductId });

const exampleOffers = [
  { id: 'ofr_01JBAS1C00000000000000Y1AN', productId: 'prd_01JBAS1C0000000000000000M1', term: 'P1Y' as const, billingPeriod: 'annual' as const, price: { amount: 7200, currency: 'EUR' } },
  { id: 'ofr_01JBAS1C00000000000000M1MN', productId: 'prd_01JBAS1C0000000000000000M1', term: 'P1M' as const, billingPeriod: 'monthly' as const, price: { amount: 720, currency: 'EUR' } },
  { id: 'ofr_01JBAS1C00000000000000Y1MN', productId: 'prd_01JBAS1C0000000000000000M1', term: 'P1Y' as const, billingPeriod: 'monthly' as const, price: { amount: 600, currency: 'EUR' } },
];

export const OfferSchema = z
  .object({
    id: OfferId,
    productId: ProductId,
    term: z.enum(TERMS).check(z.describe('ISO 8601 duration of the commitment')),
    billingPeriod: z.enum(BILLING_PERIODS),
    price: Money.check(z.describe('Per license and billing period')),
    trial: z.optional(
      z.object({ days: z.number().check(z.int()), convertsToOfferId: OfferId }).check(z.describe('A free trial: its days, then the paid offer of the same product it converts to')),
    ),
  })
  .register(z.globalRegistry, { id: 'Offer', description: 'A term and billing period of a product, with its price per license', examples: [exampleOffers[0]!] });

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
  upgradeTargets: ['prd_01JSTANDARD00000000000000M'],
  requiresQualification: null,
  status: 'active' as const,
  offers: exampleOffers,
  version: 3,
};

export const ProductSchema = z
  .object({
    id: ProductId,
    sku: z.string().check(z.describe('Unique in the catalog, compared case-insensitively')),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    vendor: z.string(),
    requiresTenant: z.boolean().check(z.describe('Bought for a Microsoft domain (tenant)')),
    minQuantity: z.number().check(z.int()),
    maxQuantity: z.number().check(z.int()),
    cancellationWindowHours: z.number().check(z.int(), z.describe('How long after a purchase or renewal it may be cancelled or lowered')),
    upgradeTargets: z.array(ProductId).check(z.describe('The products it may be upgraded to mid-term (POST /v1/subscriptions/{id}/upgrade)')),
    requiresQualification: z.nullable(Qualification).check(z.describe('Bought only for a domain the vendor approved for this qualification; null: anyone')),
    status: z.enum(PRODUCT_STATUSES).check(z.describe('A retired product is shown only to the distributor and cannot be bought')),
    offers: z.array(OfferSchema),
    version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag, sent back in If-Match')),
  })
  .register(z.globalRegistry, { id: 'Product', description: 'A product of the catalog with its offers', examples: [exampleProduct] });

export const ProductPage = pageOf(ProductSchema).register(z.globalRegistry, {
  id: 'ProductPage',
  description: 'A page of the catalog, by name',
  examples: [{ items: [exampleProduct], nextCursor: null }],
});

import * as z from 'zod';
import { getProduct, insertProduct, productView, searchProducts, updateProduct, type Offer, type Product } from '#data/catalog.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, NotFound } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { newId } from '#platform/ids.ts';
import { requirePermission } from '#platform/scope.ts';
import { MAX_PRICE, MAX_QUANTITY } from '#domain/money.ts';
import { Currency, Name, nameOf, OfferId, Pagination, ProductId, page } from '../schemas.ts';

/**
 * The catalog (SPEC §3.3, §4.4): every signed-in user reads it; retired products are shown only
 * to the distributor that manages the catalog. Distributor admins create and edit products.
 */
const Category = z.string().trim().min(1).max(50).toLowerCase();

const SearchQuery = z.object({ q: z.string().trim().max(100).optional(), category: Category.optional(), ...Pagination }).strict();

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
const NewOffer = z
  .object({ term: z.enum(['P1M', 'P1Y', 'P3Y']), billingPeriod: z.enum(['monthly', 'annual']), price: Price })
  .strict();

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

const CreateProductBody = z
  .object({ sku: Sku, ...productFields, offers: z.array(NewOffer).min(1).max(6) })
  .strict();

const EditProductBody = z
  .object({
    ...productFields,
    status: z.enum(['active', 'retired']),
    addOffers: z.array(NewOffer).min(1).max(6),
    offers: z.array(z.object({ id: OfferId, price: Price }).strict()).min(1).max(6),
  })
  .partial()
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change.');

type NewOfferInput = z.output<typeof NewOffer>;

/**
 * The rules a product must keep after any create or edit (SPEC §3.3), with the body path of the
 * field at fault: quantity limits in order, one offer per term and billing period, a monthly term
 * billed monthly (a year's bill for a month's term makes no sense), one currency for all offers.
 */
type CheckedOffer = Pick<Offer, 'term' | 'billingPeriod' | 'price'> & {
  /** Where the offer is in the request body; empty for a stored offer the request leaves alone. */
  path: string;
};

export function checkProduct(p: Pick<Product, 'minQuantity' | 'maxQuantity'> & { offers: CheckedOffer[] }): void {
  if (p.minQuantity > p.maxQuantity) {
    throw new BusinessRuleRefused('invalid_quantity_limits', 'minQuantity cannot be above maxQuantity.', [
      { path: 'minQuantity', minQuantity: p.minQuantity, maxQuantity: p.maxQuantity },
    ]);
  }
  const seen = new Set<string>();
  for (const o of p.offers) {
    const pair = `${o.term}/${o.billingPeriod}`;
    if (seen.has(pair)) {
      throw new BusinessRuleRefused('duplicate_offer', `The product already has a ${o.term} offer billed ${o.billingPeriod}.`, [
        { path: o.path, term: o.term, billingPeriod: o.billingPeriod },
      ]);
    }
    seen.add(pair);
    if (o.term === 'P1M' && o.billingPeriod === 'annual') {
      throw new BusinessRuleRefused('invalid_offer', 'A monthly term is billed monthly.', [{ path: o.path, term: o.term, billingPeriod: o.billingPeriod }]);
    }
  }
  // Compared with an offer the request left alone, if any, so the one at fault is the one named.
  const currency = (p.offers.find((o) => !o.path) ?? p.offers[0])?.price.currency;
  const other = p.offers.find((o) => o.price.currency !== currency);
  if (other) {
    throw new BusinessRuleRefused('currency_mismatch', `All offers of a product are priced in one currency (${currency} and ${other.price.currency} given).`, [
      { path: `${other.path}.price.currency` },
    ]);
  }
}

const offerOf = (productId: string, o: NewOfferInput): Offer => ({
  id: newId('offer'),
  productId,
  term: o.term,
  billingPeriod: o.billingPeriod,
  price: { amount: o.price.amount, currency: o.price.currency },
});

const list = httpHandler({ query: SearchQuery }, async ({ query, caller }) => {
  const result = await searchProducts({
    q: query.q,
    category: query.category,
    includeRetired: caller.accountType === 'distributor',
    limit: query.limit,
    cursor: query.cursor,
  });
  return { statusCode: 200, body: page(result, productView) };
});

const getOne = httpHandler({ params: z.object({ productId: ProductId }).strict() }, async ({ params, caller }) => {
  const product = await getProduct(params.productId);
  if (!product || (product.status === 'retired' && caller.accountType !== 'distributor')) throw new NotFound();
  return { statusCode: 200, body: productView(product) };
});

const create = httpHandler({ body: CreateProductBody }, async ({ body, caller }) => {
  requirePermission(caller, 'distributorAdmin');
  checkProduct({ ...body, offers: body.offers.map((o, i) => ({ ...o, path: `offers.${i}` })) });
  const id = newId('product');
  const { offers, ...fields } = body;
  const product = await insertProduct({
    ...fields,
    id,
    status: 'active',
    offers: offers.map((o) => offerOf(id, o)),
    createdAt: clock.nowIso(),
  });
  return { statusCode: 201, body: productView(product) };
});

/**
 * Applies an edit to the product as stored. Run again on a re-read when another edit got in
 * first, so it must only depend on `current` and the body.
 */
function applyEdit(current: Product, edit: z.output<typeof EditProductBody>): Product {
  const { addOffers, offers: repriced, ...fields } = edit;
  const offers = current.offers.map((o) => ({ ...o, path: '' }));
  const seen = new Set<string>();
  for (const [i, change] of (repriced ?? []).entries()) {
    const offer = offers.find((o) => o.id === change.id);
    if (!offer) {
      throw new BusinessRuleRefused('unknown_offer', `The product has no offer ${change.id}.`, [{ path: `offers.${i}.id` }]);
    }
    if (seen.has(change.id)) {
      throw new BusinessRuleRefused('duplicate_offer', `The offer ${change.id} is given twice.`, [{ path: `offers.${i}.id` }]);
    }
    seen.add(change.id);
    offer.price = { amount: change.price.amount, currency: change.price.currency };
    offer.path = `offers.${i}`;
  }
  for (const [i, o] of (addOffers ?? []).entries()) offers.push({ ...offerOf(current.id, o), path: `addOffers.${i}` });
  const next = { ...current, ...fields, offers };
  checkProduct(next);
  return { ...next, offers: offers.map(({ path: _path, ...o }) => o) };
}

const edit = httpHandler(
  { params: z.object({ productId: ProductId }).strict(), body: EditProductBody },
  async ({ params, body, caller }) => {
    requirePermission(caller, 'distributorAdmin');
    const product = await updateProduct(params.productId, (current) => applyEdit(current, body));
    return { statusCode: 200, body: productView(product) };
  },
);

export const handler = routeGroup({
  'GET /v1/catalog/products': list,
  'GET /v1/catalog/products/{productId}': getOne,
  'POST /v1/catalog/products': create,
  'PATCH /v1/catalog/products/{productId}': edit,
});

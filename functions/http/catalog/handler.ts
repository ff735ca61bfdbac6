import type * as z from 'zod/mini';
import type { Product } from '#data/catalog.ts';
import { catalogService } from '#services/catalog.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { page } from '../schemas.ts';
import { CreateProductBody, EditProductBody, ProductPage, ProductParams, ProductSchema, SearchQuery } from './schemas.ts';

/**
 * The catalog (docs/product.md#catalog-and-offers, docs/product.md#catalog-and-cart): every signed-in user reads it; distributor admins create and edit
 * products (services/catalog.ts).
 */
export function productView(p: Product): z.output<typeof ProductSchema> {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    category: p.category,
    vendor: p.vendor,
    requiresTenant: p.requiresTenant,
    minQuantity: p.minQuantity,
    maxQuantity: p.maxQuantity,
    cancellationWindowHours: p.cancellationWindowHours,
    upgradeTargets: p.upgradeTargets ?? [],
    requiresQualification: p.requiresQualification ?? null,
    status: p.status,
    offers: p.offers.map((o) => ({
      id: o.id,
      productId: o.productId,
      term: o.term,
      billingPeriod: o.billingPeriod,
      price: { amount: o.price.amount, currency: o.price.currency },
      ...(o.trial ? { trial: { days: o.trial.days, convertsToOfferId: o.trial.convertsToOfferId } } : {}),
    })),
    version: p.version,
  };
}

const list = httpHandler({ query: SearchQuery, response: ProductPage }, async ({ query, caller }) => ({
  statusCode: 200,
  body: page(await catalogService.search(caller, query), productView),
}));

const getOne = httpHandler({ params: ProductParams, response: ProductSchema }, async ({ params, caller }) => ({
  statusCode: 200,
  body: productView(await catalogService.read(caller, params.productId)),
}));

const create = httpHandler({ body: CreateProductBody, response: ProductSchema }, async ({ body, caller }) => ({
  statusCode: 201,
  body: productView(await catalogService.create(caller, body)),
}));

const edit = httpHandler({ params: ProductParams, body: EditProductBody, response: ProductSchema }, async ({ params, body, caller, request }) => ({
  statusCode: 200,
  body: productView(await catalogService.edit(caller, params.productId, body, request.ifMatch)),
}));

export const handler = routeGroup({
  'GET /v1/catalog/products': list,
  'GET /v1/catalog/products/{productId}': getOne,
  'POST /v1/catalog/products': create,
  'PATCH /v1/catalog/products/{productId}': edit,
});

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';

export type Product = components['schemas']['Product'];
export type Offer = components['schemas']['Offer'];
export type ProductStatus = Product['status'];
export type Term = Offer['term'];
export type BillingPeriod = Offer['billingPeriod'];
export type NewProduct = operations['createProduct']['requestBody']['content']['application/json'];
export type ProductEdit = operations['updateProduct']['requestBody']['content']['application/json'];

export const PRODUCT_STATUSES: readonly ProductStatus[] = ['active', 'retired'];
export const TERMS: readonly Term[] = ['P1M', 'P1Y', 'P3Y'];
export const BILLING_PERIODS: readonly BillingPeriod[] = ['monthly', 'annual'];
/** The API's limits on a product (functions/http/catalog/schemas.ts). */
export const MAX_OFFERS = 6;
export const MAX_QUANTITY = 1_000_000;
export const MAX_CANCELLATION_HOURS = 8760;
const PAGE = 100;

export interface CatalogFilters {
  q?: string;
  category?: string;
}

/**
 * The shop's queries share these keys (`['catalog', 'products', …]`), so a change made here shows
 * in the marketplace too; a product's own key is the same one its page in the shop reads.
 */
const keys = {
  all: ['catalog', 'products'] as const,
  list: (f: CatalogFilters) => ['catalog', 'products', 'staff', f.q ?? '', f.category ?? ''] as const,
  one: (productId: string) => ['catalog', 'products', 'one', productId] as const,
};

/**
 * The catalog as the distributor sees it (retired products included: the API answers them to the
 * distributor's staff), searched by words and narrowed to a category, 100 a page.
 */
export function useCatalog(filters: CatalogFilters) {
  return useInfiniteQuery({
    queryKey: keys.list(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/catalog/products', { params: { query: { q: filters.q || undefined, category: filters.category || undefined, limit: PAGE, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useCatalogProduct(productId: string) {
  return useQuery({ queryKey: keys.one(productId), queryFn: () => unwrap(api.GET('/v1/catalog/products/{productId}', { params: { path: { productId } } })) });
}

/** A product changed: its page shows the answer at once, every list of the catalog (the shop's too) reads again. */
function changed(queryClient: QueryClient, product: Product) {
  queryClient.setQueryData(keys.one(product.id), product);
  void queryClient.invalidateQueries({ queryKey: keys.all, predicate: (q) => q.queryKey[2] !== 'one' });
}

export function useCreateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewProduct) => unwrap(api.POST('/v1/catalog/products', { body })),
    onSuccess: (created) => changed(queryClient, created),
  });
}

/** Edits, reprices, adds offers, retires or brings back a product, on the version shown (If-Match). */
export function useEditProduct(product: Product | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ProductEdit) =>
      unwrap(api.PATCH('/v1/catalog/products/{productId}', { params: { path: { productId: product!.id } }, headers: ifMatch(product!), body })),
    onSuccess: (next) => changed(queryClient, next),
    // Someone else changed it meanwhile (412): read it again; the message says to check and retry.
    onError: () => queryClient.invalidateQueries({ queryKey: keys.one(product?.id ?? '') }),
  });
}

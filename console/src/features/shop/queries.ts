import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';

export type Product = components['schemas']['Product'];
export type Offer = components['schemas']['Offer'];
export type Cart = components['schemas']['Cart'];
export type CartLine = components['schemas']['CartLine'];
export type Domain = components['schemas']['Domain'];
export type Account = components['schemas']['Account'];
export type Order = components['schemas']['Order'];
export type { CheckoutBody };
type CheckoutBody = operations['checkout']['requestBody']['content']['application/json'];

const cartKey = ['cart'] as const;
export const domainsKey = (accountId: string) => ['accounts', accountId, 'domains'] as const;

/** The catalog, searched by name and narrowed to a category (one page: the catalog is small). */
export function useProducts(filter: { q?: string; category?: string }) {
  return useQuery({
    queryKey: ['catalog', 'products', filter.q ?? '', filter.category ?? ''],
    queryFn: () => unwrap(api.GET('/v1/catalog/products', { params: { query: { q: filter.q || undefined, category: filter.category || undefined, limit: 100 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useProduct(productId: string) {
  return useQuery({
    queryKey: ['catalog', 'products', 'one', productId],
    queryFn: () => unwrap(api.GET('/v1/catalog/products/{productId}', { params: { path: { productId } } })),
  });
}

export function useCart() {
  return useQuery({ queryKey: cartKey, queryFn: () => unwrap(api.GET('/v1/cart')) });
}

export function useAddToCart() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { offerId: string; quantity: number }) => unwrap(api.POST('/v1/cart/items', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: cartKey }),
  });
}

export function useChangeCartItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ line, quantity }: { line: CartLine; quantity: number }) =>
      unwrap(api.PATCH('/v1/cart/items/{itemId}', { params: { path: { itemId: line.id } }, headers: ifMatch(line), body: { quantity } })),
    onSettled: () => qc.invalidateQueries({ queryKey: cartKey }),
  });
}

export function useRemoveCartItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (line: CartLine) => unwrap(api.DELETE('/v1/cart/items/{itemId}', { params: { path: { itemId: line.id } }, headers: ifMatch(line) })),
    onSettled: () => qc.invalidateQueries({ queryKey: cartKey }),
  });
}

/** The account: whether its Microsoft Customer Agreement is already recorded, its address. */
export function useAccount(accountId: string | undefined) {
  return useQuery({
    queryKey: ['accounts', accountId ?? '', 'account'],
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}', { params: { path: { accountId: accountId! } } })),
  });
}

export function useDomains(accountId: string | undefined) {
  return useQuery({
    queryKey: domainsKey(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/domains', { params: { path: { accountId: accountId! } } })),
  });
}

/** Whether a new onmicrosoft.com name is free (asked only for a well-formed prefix). */
export function useDomainAvailability(prefix: string, enabled: boolean) {
  return useQuery({
    queryKey: ['domains', 'availability', prefix],
    enabled,
    staleTime: 5_000,
    queryFn: () => unwrap(api.GET('/v1/domains/availability', { params: { query: { prefix } } })),
  });
}

/** Buys the cart: the Idempotency-Key belongs to one intent and is reused when it is retried. */
export function useCheckout(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: CheckoutBody; key: string }) => unwrap(api.POST('/v1/cart/checkout', { params: { header: { 'Idempotency-Key': key } }, body })),
    // Not awaited: the order's page opens at once, the cart and lists refresh behind it.
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: cartKey });
      void qc.invalidateQueries({ queryKey: ['orders'] });
      void qc.invalidateQueries({ queryKey: ['accounts', accountId] });
    },
  });
}

import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';
import type { PriceList } from './format';

export type PriceListSummary = components['schemas']['PriceLists']['items'][number];
export type NewPriceList = operations['createPriceList']['requestBody']['content']['application/json'];
export type NewRule = operations['addPriceRule']['requestBody']['content']['application/json'];
export type PriceSheet = components['schemas']['PriceSheet'];
export type SheetItem = PriceSheet['items'][number];
export type VatRates = components['schemas']['VatRates'];
export type NewVatRate = operations['addVatRate']['requestBody']['content']['application/json'];
export type NewOfferCost = operations['addOfferCost']['requestBody']['content']['application/json'];
export type OfferCosts = components['schemas']['OfferCosts'];
export type Product = components['schemas']['Product'];

const keys = {
  lists: (accountId: string) => ['accounts', accountId, 'price-lists'] as const,
  list: (priceListId: string) => ['price-lists', priceListId] as const,
  sheet: (accountId: string, on: string | undefined) => ['accounts', accountId, 'prices', on ?? 'today'] as const,
  rates: ['tax', 'rates'] as const,
  costs: (offerId: string) => ['offers', offerId, 'costs'] as const,
};

/** The lists an account keeps (at most one per audience and currency). */
export function usePriceLists(accountId: string | undefined) {
  return useQuery({
    queryKey: keys.lists(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/price-lists', { params: { path: { accountId: accountId! } } })),
  });
}

const listQuery = (priceListId: string) => ({
  queryKey: keys.list(priceListId),
  queryFn: () => unwrap(api.GET('/v1/price-lists/{priceListId}', { params: { path: { priceListId } } })),
});

/** One list with every version of its rules. */
export function usePriceList(priceListId: string) {
  return useQuery(listQuery(priceListId));
}

/**
 * Every list of the account whole (its rules), for the markup each has in effect: the summaries
 * carry no rules, and an account keeps six lists at most.
 */
export function usePriceListsWhole(ids: readonly string[]) {
  return useQueries({ queries: ids.map((id) => listQuery(id)) });
}

export function useCreatePriceList(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewPriceList) => unwrap(api.POST('/v1/accounts/{accountId}/price-lists', { params: { path: { accountId } }, body })),
    onSuccess: (list) => {
      queryClient.setQueryData(keys.list(list.id), list);
      void queryClient.invalidateQueries({ queryKey: keys.lists(accountId) });
      void queryClient.invalidateQueries({ queryKey: ['accounts'], predicate: (q) => q.queryKey[2] === 'prices' });
    },
  });
}

/** A rule version, on the list's version shown (If-Match); a 412 reads the list again. */
export function useAddRule(list: PriceList) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewRule) => unwrap(api.POST('/v1/price-lists/{priceListId}/rules', { params: { path: { priceListId: list.id } }, headers: ifMatch(list), body })),
    onSuccess: (next) => {
      queryClient.setQueryData(keys.list(next.id), next);
      void queryClient.invalidateQueries({ queryKey: keys.lists(next.accountId) });
      void queryClient.invalidateQueries({ queryKey: ['accounts'], predicate: (q) => q.queryKey[2] === 'prices' });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 412) void queryClient.invalidateQueries({ queryKey: keys.list(list.id) });
    },
  });
}

/** What an account pays for each offer on a day (`on` unset: today on the API's clock), with the figures the caller may see. */
export function usePriceSheet(accountId: string, on: string | undefined) {
  return useQuery({
    queryKey: keys.sheet(accountId, on),
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/prices', { params: { path: { accountId }, query: on ? { on } : {} } })),
    placeholderData: keepPreviousData,
  });
}

/**
 * Every active product of the catalog with its offers, page after page: the names a list's rules
 * and a refusal's offers are shown by, and the choices of a new rule. Off unless `enabled`.
 */
export function useCatalogProducts(enabled = true) {
  return useQuery({
    queryKey: ['catalog', 'products', 'pricing'],
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      const items: Product[] = [];
      let cursor: string | undefined;
      do {
        const page = await unwrap(api.GET('/v1/catalog/products', { params: { query: { limit: 100, cursor } } }));
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return items;
    },
  });
}

/** The distributor's VAT rate table (any staff). */
export function useVatRates(enabled = true) {
  return useQuery({ queryKey: keys.rates, enabled, queryFn: () => unwrap(api.GET('/v1/tax/rates')) });
}

/** A rate version of a country (distributor admins): the answer is the whole table. */
export function useAddVatRate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewVatRate) => unwrap(api.POST('/v1/tax/rates', { body })),
    onSuccess: (table) => queryClient.setQueryData(keys.rates, table),
  });
}

/**
 * A cost version of an offer (distributor admins). The API answers every cost version of the
 * offer, and only there: the screen keeps that answer to show it.
 */
export function useAddOfferCost(offerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewOfferCost) => unwrap(api.POST('/v1/catalog/offers/{offerId}/costs', { params: { path: { offerId } }, body })),
    onSuccess: (costs) => {
      queryClient.setQueryData(keys.costs(offerId), costs);
      void queryClient.invalidateQueries({ queryKey: ['accounts'], predicate: (q) => q.queryKey[2] === 'prices' });
    },
  });
}

/** The cost versions answered by the last cost added to this offer in this session (there is no read of them). */
export function useKnownOfferCosts(offerId: string) {
  return useQuery<OfferCosts | null>({ queryKey: keys.costs(offerId), queryFn: () => null, staleTime: Infinity, gcTime: Infinity, initialData: null });
}

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';

export type Account = components['schemas']['Account'];
export type AccountStatus = Account['status'];
/** The kinds of account staff list and create below their own. */
export type ChildType = NonNullable<NonNullable<operations['listAccounts']['parameters']['query']>['type']>;
export type NewAccount = operations['createAccount']['requestBody']['content']['application/json'];
export type AccountEdit = operations['updateAccount']['requestBody']['content']['application/json'];

export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['active', 'suspended'];
const PAGE = 50;

export type AccountFilters = Pick<NonNullable<operations['listAccounts']['parameters']['query']>, 'status' | 'parentId' | 'q'>;

const keys = {
  lists: ['accounts', 'list'] as const,
  list: (type: ChildType, filters: AccountFilters) => ['accounts', 'list', type, filters] as const,
  all: (type: ChildType) => ['accounts', 'all', type] as const,
  // The same key as the domains screen's account: one read serves both.
  one: (accountId: string) => ['accounts', accountId, 'account'] as const,
};

/** Accounts of one type below the caller's, filtered on the server, a page at a time ("load more"). */
export function useAccounts(type: ChildType, filters: AccountFilters) {
  return useInfiniteQuery({
    queryKey: keys.list(type, filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/accounts', { params: { query: { type, ...filters, limit: PAGE, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/**
 * Every account of a type in scope (the distributor's resellers: a filter's choices and the names
 * of the customers' resellers), read page after page. Off unless `enabled`.
 */
export function useAllAccounts(type: ChildType, enabled: boolean) {
  return useQuery({
    queryKey: keys.all(type),
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      const items: Account[] = [];
      let cursor: string | undefined;
      do {
        const page = await unwrap(api.GET('/v1/accounts', { params: { query: { type, limit: 100, cursor } } }));
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return items;
    },
  });
}

export function useAccount(accountId: string | undefined) {
  return useQuery({
    queryKey: keys.one(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}', { params: { path: { accountId: accountId! } } })),
  });
}

/** An account changed: its page shows the answer at once, the lists read again. */
function changed(queryClient: QueryClient, account: Account) {
  queryClient.setQueryData(keys.one(account.id), account);
  void queryClient.invalidateQueries({ queryKey: keys.lists });
  void queryClient.invalidateQueries({ queryKey: keys.all(account.type === 'reseller' ? 'reseller' : 'customer') });
}

/** A new reseller or customer below the caller's account, with its first admin. */
export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewAccount) => unwrap(api.POST('/v1/accounts', { body })),
    onSuccess: ({ account }) => changed(queryClient, account),
  });
}

/** Name, address, settings and support contact, on the version shown (If-Match). */
export function useEditAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ account, body }: { account: Account; body: AccountEdit }) =>
      unwrap(api.PATCH('/v1/accounts/{accountId}', { params: { path: { accountId: account.id } }, headers: ifMatch(account), body })),
    onSuccess: (next) => changed(queryClient, next),
    // Someone else changed it meanwhile (412): read it again; the message says to check and retry.
    onError: (err, { account }) => {
      if (err instanceof ApiError && err.status === 412) void queryClient.invalidateQueries({ queryKey: keys.one(account.id) });
    },
  });
}

export type StateAction = 'suspend' | 'reactivate';

/** Suspends or reactivates a child account on the version shown; 409 invalid_state when it already is. */
export function useAccountState() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ account, action }: { account: Account; action: StateAction }) => {
      const init = { params: { path: { accountId: account.id } }, headers: ifMatch(account) };
      return unwrap(action === 'suspend' ? api.POST('/v1/accounts/{accountId}/suspend', init) : api.POST('/v1/accounts/{accountId}/reactivate', init));
    },
    onSuccess: (next) => changed(queryClient, next),
    onError: (_err, { account }) => queryClient.invalidateQueries({ queryKey: keys.one(account.id) }),
  });
}

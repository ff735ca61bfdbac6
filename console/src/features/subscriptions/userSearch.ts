import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';

/**
 * People of an account whose name or login holds the words typed (the API's `?q=`, without case or
 * accents): the type-ahead of "assign licenses". Nothing is asked until something is typed.
 */
export function useUserSearch(accountId: string | undefined, q: string) {
  return useQuery({
    queryKey: ['users', 'search', accountId ?? '', q],
    enabled: !!accountId && q.length > 0,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/users', { params: { path: { accountId: accountId! }, query: { q, limit: 25 } } })),
  });
}

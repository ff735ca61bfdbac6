import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';

export type AuditEvent = components['schemas']['AuditEvent'];
export type Account = components['schemas']['Account'];
export type User = components['schemas']['User'];

type AuditQuery = NonNullable<operations['listAuditEvents']['parameters']['query']>;

export interface AuditFilters {
  /** Days (YYYY-MM-DD) in the user's time zone, both included. */
  from?: string;
  to?: string;
  action?: string;
  actorId?: string;
}

const PAGE = 50;

/** A day of the user's calendar as the instant it starts or ends (the API compares UTC times). */
const startOf = (day: string) => new Date(`${day}T00:00:00`).toISOString();
const endOf = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

/** The account's audit trail, newest first, a page at a time ("load more" reads the next cursor). */
export function useAuditEvents(accountId: string, filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['accounts', accountId, 'audit', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const query: AuditQuery = {
        from: filters.from ? startOf(filters.from) : undefined,
        to: filters.to ? endOf(filters.to) : undefined,
        action: filters.action || undefined,
        actorId: filters.actorId || undefined,
        limit: PAGE,
        cursor: pageParam,
      };
      return unwrap(api.GET('/v1/accounts/{accountId}/audit-events', { params: { path: { accountId }, query } }));
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** The account the trail belongs to (its name for the heading); the shop reads it under the same key. */
export function useAccount(accountId: string) {
  return useQuery({
    queryKey: ['accounts', accountId, 'account'],
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}', { params: { path: { accountId } } })),
  });
}

/** The first 100 users of an account: the people the actor filter offers. */
export function usePeople(accountId: string | undefined) {
  return useQuery({
    queryKey: ['accounts', accountId ?? '', 'audit-people'],
    enabled: !!accountId,
    staleTime: 60_000,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/users', { params: { path: { accountId: accountId! }, query: { limit: 100 } } })),
  });
}

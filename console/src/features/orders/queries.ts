import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { components } from '../../api/schema';

export type Order = components['schemas']['Order'];
export type OrderStatus = Order['status'];
export const ORDER_STATUSES: OrderStatus[] = ['new', 'open', 'provisioning', 'completed', 'failed', 'cancelled'];
const ENDED: OrderStatus[] = ['completed', 'failed', 'cancelled'];
export const isEnded = (s: OrderStatus) => ENDED.includes(s);

export interface OrderFilter {
  status?: OrderStatus;
  from?: string;
  to?: string;
}

/** The orders in the caller's scope, newest first, a page at a time. */
export function useOrders(filter: OrderFilter) {
  return useInfiniteQuery({
    queryKey: ['orders', 'list', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/orders', { params: { query: { status: filter.status, from: filter.from, to: filter.to, limit: 50, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * One order; while it is under way it is asked again every 2 seconds, so its tracking moves by
 * itself. A refusal (4xx: gone, not yours) stops asking; a network error or a 5xx on a busy moment
 * does not end the tracking: it is asked again more slowly.
 */
export function useOrder(orderId: string) {
  return useQuery({
    queryKey: ['orders', 'one', orderId],
    queryFn: () => unwrap(api.GET('/v1/orders/{orderId}', { params: { path: { orderId } } })),
    staleTime: 0,
    refetchInterval: (q) => {
      if (q.state.data && isEnded(q.state.data.status)) return false;
      const error = q.state.error;
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
      return error ? 10_000 : 2_000;
    },
  });
}

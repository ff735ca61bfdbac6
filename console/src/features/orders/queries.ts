import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';

export type Order = components['schemas']['Order'];
export type Actor = components['schemas']['Actor'];
export type ProvisioningStatus = components['schemas']['ProvisioningStatus'];
export type PlaceOrderBody = operations['placeOrder']['requestBody']['content']['application/json'];
export type Gate = NonNullable<Order['waitingAt']>;
export type OrderStatus = Order['status'];
export const ORDER_STATUSES: OrderStatus[] = ['new', 'open', 'provisioning', 'completed', 'failed', 'cancelled'];
const ENDED: OrderStatus[] = ['completed', 'failed', 'cancelled'];
export const isEnded = (s: OrderStatus) => ENDED.includes(s);

export interface OrderFilter {
  status?: OrderStatus;
  /** Staff: one customer's orders. */
  accountId?: string;
  from?: string;
  to?: string;
}

/** The orders in the caller's scope, newest first, a page at a time. */
export function useOrders(filter: OrderFilter) {
  return useInfiniteQuery({
    queryKey: ['orders', 'list', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/orders', { params: { query: { status: filter.status, accountId: filter.accountId, from: filter.from, to: filter.to, limit: 50, cursor: pageParam } } })),
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

/** The order as a gate action or a cancel answered it goes into the cache at once; the lists refresh behind it. */
function settle(qc: QueryClient, order: Order | undefined, orderId: string) {
  if (order) qc.setQueryData(['orders', 'one', orderId], order);
  void qc.invalidateQueries({ queryKey: ['orders', 'one', orderId] });
  void qc.invalidateQueries({ queryKey: ['orders', 'list'] });
}

/** Staff: gate 1 (new → open) or gate 2 (open → provisioning), for an order waiting at that gate. */
export function useGateAction(orderId: string, gate: 'open' | 'provision') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      gate === 'open'
        ? unwrap(api.POST('/v1/orders/{orderId}/open', { params: { path: { orderId } } }))
        : unwrap(api.POST('/v1/orders/{orderId}/provision', { params: { path: { orderId } } })),
    onSuccess: (order) => settle(qc, order, orderId),
    onError: () => settle(qc, undefined, orderId),
  });
}

/** Cancels an order that is still new or open. */
export function useCancelOrder(orderId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/orders/{orderId}/cancel', { params: { path: { orderId } } })),
    onSuccess: (order) => settle(qc, order, orderId),
    onError: () => settle(qc, undefined, orderId),
  });
}

/** Staff: asks the vendor now how the order's provisioning stands; the order is read again with it. */
export function useCheckProvisioning(orderId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.GET('/v1/orders/{orderId}/provisioning', { params: { path: { orderId } } })),
    onSettled: () => settle(qc, undefined, orderId),
  });
}

/** Staff place an order for a customer: the Idempotency-Key belongs to one intent (the review step as opened). */
export function usePlaceOrder(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: PlaceOrderBody; key: string }) =>
      unwrap(api.POST('/v1/accounts/{accountId}/orders', { params: { path: { accountId }, header: { 'Idempotency-Key': key } }, body })),
    onSuccess: (order) => {
      qc.setQueryData(['orders', 'one', order.id], order);
      void qc.invalidateQueries({ queryKey: ['orders', 'list'] });
      void qc.invalidateQueries({ queryKey: ['accounts', accountId] });
    },
  });
}

/** The customer's first admin: who the new tenant's contact and the agreement's signatory default to. */
export function useCustomerAdmin(accountId: string, enabled = true) {
  return useQuery({
    queryKey: ['accounts', accountId, 'users', 'firstAdmin'],
    enabled,
    queryFn: async () => (await unwrap(api.GET('/v1/accounts/{accountId}/users', { params: { path: { accountId }, query: { role: 'admin', limit: 1 } } }))).items[0] ?? null,
  });
}

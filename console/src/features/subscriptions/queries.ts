import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';

export type Subscription = components['schemas']['Subscription'];
export type SubscriptionStatus = Subscription['status'];
export type Order = components['schemas']['Order'];
export type Assignment = components['schemas']['Assignment'];
export type User = components['schemas']['User'];
export type MyLicense = components['schemas']['MyLicense'];
export type Domain = components['schemas']['Domain'];

export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['pending', 'active', 'suspended', 'expired', 'cancelled'];
/** The reasons offered when cancelling: sent as these stable codes, shown in the user's language. */
export const CANCEL_REASONS = ['no_longer_needed', 'bought_by_mistake', 'too_expensive', 'switching_product', 'not_satisfied', 'other'] as const;
/** At most this many users per assignment request (the API's limit). */
export const MAX_ASSIGN = 20;
/** The API's limits on a cancellation (functions/http/subscriptions/schemas.ts). */
export const MAX_COMMENT = 2000;
const PAGE = 50;

export interface SubscriptionFilters {
  /** Staff: one customer's (without it, everything the caller's account holds or sees). */
  accountId?: string;
  status?: SubscriptionStatus;
  domainId?: string;
}

const keys = {
  lists: ['subscriptions', 'list'] as const,
  list: (filters: SubscriptionFilters) => ['subscriptions', 'list', filters] as const,
  one: (id: string) => ['subscriptions', 'one', id] as const,
  assignments: (id: string) => ['subscriptions', 'assignments', id] as const,
  users: (accountId: string) => ['subscriptions', 'users', accountId] as const,
  domains: (accountId: string) => ['subscriptions', 'domains', accountId] as const,
  mine: ['subscriptions', 'mine'] as const,
};

/** The inventory, a page at a time. */
export function useSubscriptions(filters: SubscriptionFilters) {
  return useInfiniteQuery({
    queryKey: keys.list(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/subscriptions', { params: { query: { ...filters, limit: PAGE, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The account's domains, for the inventory's domain filter (admins only). */
export function useDomains(accountId: string | undefined) {
  return useQuery({
    queryKey: keys.domains(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/domains', { params: { path: { accountId: accountId! } } })),
  });
}

/** True while the subscription waits for its cancellation order to finish. */
export const cancelling = (s: Subscription) => s.status === 'active' && !!s.cancellation && !s.autoRenew;

/** One subscription; while its cancellation is on its way it is read again until it is done. */
export function useSubscription(id: string) {
  return useQuery({
    queryKey: keys.one(id),
    queryFn: () => unwrap(api.GET('/v1/subscriptions/{subscriptionId}', { params: { path: { subscriptionId: id } } })),
    refetchInterval: (q) => (q.state.data && cancelling(q.state.data) ? 3000 : false),
  });
}

/** Who holds a license, a page at a time. */
export function useAssignments(id: string) {
  return useInfiniteQuery({
    queryKey: keys.assignments(id),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/subscriptions/{subscriptionId}/assignments', { params: { path: { subscriptionId: id }, query: { limit: 100, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * All users of the account: the names of the assignments, and the people "assign" offers before
 * anything is typed (typing searches the API, userSearch.ts).
 */
export function useAccountUsers(accountId: string | undefined) {
  return useQuery({
    queryKey: keys.users(accountId ?? ''),
    enabled: !!accountId,
    staleTime: 60_000,
    queryFn: async () => {
      const users: User[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await unwrap(api.GET('/v1/accounts/{accountId}/users', { params: { path: { accountId: accountId! }, query: { limit: 100, cursor } } }));
        users.push(...page.items);
        cursor = page.nextCursor ?? undefined;
        if (!cursor) break;
      }
      return users;
    },
  });
}

export function useMyLicenses() {
  return useQuery({ queryKey: keys.mine, queryFn: () => unwrap(api.GET('/v1/me/licenses')) });
}

/** A subscription changed: its page shows the answer at once, the lists and orders read again. */
function changed(queryClient: QueryClient, sub: Subscription | undefined, id: string) {
  if (sub) queryClient.setQueryData(keys.one(id), sub);
  else void queryClient.invalidateQueries({ queryKey: keys.one(id) });
  void queryClient.invalidateQueries({ queryKey: keys.lists });
  void queryClient.invalidateQueries({ queryKey: ['orders'] });
}

/** A refusal may mean the page is stale (412, 409): read the subscription again. */
const refetch = (queryClient: QueryClient, id: string) => () => void queryClient.invalidateQueries({ queryKey: keys.one(id) });

export const isOrder = (answer: Order | Subscription): answer is Order => 'statusHistory' in answer;

export interface QuantityChange {
  quantity: number;
  effective: 'now' | 'renewal';
  /** A raise paid with this payment method of the account (a card is charged at once; a decline: 402, nothing changed). */
  paymentMethodId?: string;
  /** One key per intent (this quantity, this moment): a retry sends it again. */
  key: string;
}

/** A new total: 202 a change order (now), 200 the subscription (scheduled for the renewal). */
export function useChangeQuantity(sub: Subscription | undefined) {
  const queryClient = useQueryClient();
  const id = sub?.id ?? '';
  return useMutation({
    mutationFn: (change: QuantityChange) =>
      unwrap(
        api.POST('/v1/subscriptions/{subscriptionId}/quantity', {
          params: { path: { subscriptionId: id }, header: { 'Idempotency-Key': change.key } },
          headers: ifMatch(sub!),
          body: { quantity: change.quantity, effective: change.effective, ...(change.paymentMethodId ? { paymentMethodId: change.paymentMethodId } : {}) },
        }),
      ),
    onSuccess: (answer) => changed(queryClient, isOrder(answer) ? undefined : answer, id),
    onError: refetch(queryClient, id),
  });
}

export function useSetAutoRenew(sub: Subscription | undefined) {
  const queryClient = useQueryClient();
  const id = sub?.id ?? '';
  return useMutation({
    mutationFn: (autoRenew: boolean) =>
      unwrap(api.PATCH('/v1/subscriptions/{subscriptionId}', { params: { path: { subscriptionId: id } }, headers: ifMatch(sub!), body: { autoRenew } })),
    onSuccess: (next) => changed(queryClient, next, id),
    onError: refetch(queryClient, id),
  });
}

export function useCancelSubscription(sub: Subscription | undefined) {
  const queryClient = useQueryClient();
  const id = sub?.id ?? '';
  return useMutation({
    mutationFn: (body: { reason: string; comment?: string }) =>
      unwrap(api.POST('/v1/subscriptions/{subscriptionId}/cancel', { params: { path: { subscriptionId: id } }, headers: ifMatch(sub!), body })),
    onSuccess: () => changed(queryClient, undefined, id),
    onError: refetch(queryClient, id),
  });
}

function useAssignmentChange(id: string, path: '/v1/subscriptions/{subscriptionId}/assignments' | '/v1/subscriptions/{subscriptionId}/assignments/remove') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userIds: string[]) => unwrap(api.POST(path, { params: { path: { subscriptionId: id } }, body: { userIds } })),
    onSuccess: (answer) => {
      const { assigned: _a, removed: _r, ...sub } = answer as Subscription & { assigned?: string[]; removed?: string[] };
      changed(queryClient, sub, id);
      void queryClient.invalidateQueries({ queryKey: keys.assignments(id) });
    },
    onError: () => {
      refetch(queryClient, id)();
      void queryClient.invalidateQueries({ queryKey: keys.assignments(id) });
    },
  });
}

export const useAssign = (id: string) => useAssignmentChange(id, '/v1/subscriptions/{subscriptionId}/assignments');
export const useUnassign = (id: string) => useAssignmentChange(id, '/v1/subscriptions/{subscriptionId}/assignments/remove');

/** The day after the term's last day: when a renewal (and its lowering) takes effect. */
export function renewalDate(currentTermEnd: string | null): string | null {
  if (!currentTermEnd) return null;
  return new Date(Date.parse(`${currentTermEnd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** How many licenses may be lowered now: those inside still-open windows. */
export const lowerableNow = (sub: Subscription) => sub.cancellationWindows.reduce((n, w) => n + w.quantity, 0);

import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';

export type User = components['schemas']['User'];
export type UserStatus = User['status'];
export type Role = User['role'];
export type LoginEvent = components['schemas']['LoginEvent'];
export type NewUser = operations['addUsers']['requestBody']['content']['application/json']['users'][number];
export type UserEdit = NonNullable<operations['updateUser']['requestBody']>['content']['application/json'];

export const USER_STATUSES: readonly UserStatus[] = ['ready', 'locked', 'not_activated', 'deactivated'];
export const ROLES: readonly Role[] = ['user', 'admin'];
/** At most this many people per "Add new users" (the API's limit, all or nothing). */
export const MAX_NEW_USERS = 50;
const PAGE = 50;

export interface UserFilters {
  status?: UserStatus;
  role?: Role;
  /** Words of the name or login, found without case or accents (the API's `?q=`). */
  q?: string;
}

const keys = {
  lists: (accountId: string) => ['users', 'list', accountId] as const,
  list: (accountId: string, filters: UserFilters) => ['users', 'list', accountId, filters] as const,
  user: (userId: string) => ['users', 'one', userId] as const,
  history: (userId: string) => ['users', 'history', userId] as const,
};

/** The account's users, a page at a time ("load more" reads the next cursor). */
export function useUsers(accountId: string | undefined, filters: UserFilters) {
  return useInfiniteQuery({
    queryKey: keys.list(accountId ?? '', filters),
    enabled: !!accountId,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/accounts/{accountId}/users', { params: { path: { accountId: accountId! }, query: { ...filters, limit: PAGE, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useUser(userId: string) {
  return useQuery({ queryKey: keys.user(userId), queryFn: () => unwrap(api.GET('/v1/users/{userId}', { params: { path: { userId } } })) });
}

/** Sign-in attempts on a user, newest first, a page at a time. */
export function useLoginHistory(userId: string) {
  return useInfiniteQuery({
    queryKey: keys.history(userId),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/users/{userId}/login-history', { params: { path: { userId }, query: { limit: 25, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** A user changed: its page shows the answer at once, the lists read again. */
function changed(queryClient: QueryClient, user: User) {
  queryClient.setQueryData(keys.user(user.id), user);
  void queryClient.invalidateQueries({ queryKey: keys.lists(user.accountId) });
  void queryClient.invalidateQueries({ queryKey: keys.history(user.id) });
}

/** Adds one or many users at once: all are created, or none. */
export function useAddUsers(accountId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { users: NewUser[]; sendActivationEmail: boolean }) =>
      unwrap(api.POST('/v1/accounts/{accountId}/users', { params: { path: { accountId: accountId! } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.lists(accountId ?? '') }),
  });
}

export function useEditUser(user: User | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserEdit) => unwrap(api.PATCH('/v1/users/{userId}', { params: { path: { userId: user!.id } }, headers: ifMatch(user!), body })),
    onSuccess: (next) => changed(queryClient, next),
    // Someone else changed it meanwhile: read it again, the message says to check and retry.
    onError: () => queryClient.invalidateQueries({ queryKey: keys.user(user?.id ?? '') }),
  });
}

export function useSetPassword(user: User | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => unwrap(api.POST('/v1/users/{userId}/password', { params: { path: { userId: user!.id } }, body: { password } })),
    onSuccess: (next) => changed(queryClient, next),
  });
}

type Action = 'activation-email' | 'activate' | 'deactivate';

/** The state-changing actions on a user (resend activation, activate, deactivate), on the version shown. */
export function useUserAction(user: User | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: Action) => {
      const init = { params: { path: { userId: user!.id } }, headers: ifMatch(user!) };
      if (action === 'activation-email') return unwrap(api.POST('/v1/users/{userId}/activation-email', init));
      if (action === 'activate') return unwrap(api.POST('/v1/users/{userId}/activate', init));
      return unwrap(api.POST('/v1/users/{userId}/deactivate', init));
    },
    onSuccess: (next) => changed(queryClient, next),
    onError: () => queryClient.invalidateQueries({ queryKey: keys.user(user?.id ?? '') }),
  });
}

/** Deletes a user (its license assignments are freed). */
export function useDeleteUser(user: User | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/users/{userId}', { params: { path: { userId: user!.id } }, headers: ifMatch(user!) })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: keys.user(user!.id) });
      queryClient.removeQueries({ queryKey: keys.history(user!.id) });
      return queryClient.invalidateQueries({ queryKey: keys.lists(user!.accountId) });
    },
  });
}

/** "Log in as": the session acting as the user (the caller's own session is kept aside by the page). */
export function useLogInAs() {
  return useMutation({ mutationFn: (userId: string) => unwrap(api.POST('/v1/auth/impersonate', { body: { userId } })) });
}

/** The users of an account already read by the list, to name a login history's actor without asking again. */
export function cachedUser(queryClient: QueryClient, userId: string): User | undefined {
  for (const [, data] of queryClient.getQueriesData<{ pages: Array<{ items: User[] }> }>({ queryKey: ['users', 'list'] })) {
    const found = data?.pages.flatMap((p) => p.items).find((u) => u.id === userId);
    if (found) return found;
  }
  return queryClient.getQueryData<User>(keys.user(userId));
}

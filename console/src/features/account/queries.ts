import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import { meQuery, type Me } from '../../api/me';
import { session } from '../../api/session';
import type { paths } from '../../api/schema';

/*
 * The own profile: its data is the `me` query the layout already reads (GET /v1/me, with the
 * support contact), so the profile and support screens cost no request of their own.
 */

/** What PATCH /v1/me takes (the role aside: an admin changes it). */
export type ProfileEdit = Omit<NonNullable<paths['/v1/me']['patch']['requestBody']>['content']['application/json'], 'role'>;

/** PATCH /v1/me with If-Match: 200 applied, 202 when it asks for a new login (a link goes there). */
export function useEditProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ me, body }: { me: Me; body: ProfileEdit }) => {
      let status = 0;
      const user = await unwrap(
        api.PATCH('/v1/me', { body, headers: ifMatch(me) }).then((r) => {
          status = r.response.status;
          return r;
        }),
      );
      return { user, pending: status === 202 };
    },
    onSuccess: ({ user }) => {
      // The header shows the name from the session: keep it in step.
      const current = session.get();
      if (current && current.user.id === user.id) session.set({ ...current, user });
      // The saved profile (its new version) at once, so the next save sends the right If-Match
      // even before the refetch (for what only GET /v1/me says) has come back.
      queryClient.setQueryData<Me>(meQuery.queryKey, (old) => (old ? { ...old, ...user } : old));
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 412) void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
}

/** POST /v1/me/password: the change ends every older session, so the answer is the new one. */
export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => unwrap(api.POST('/v1/me/password', { body })),
    onSuccess: (signedIn) => session.set({ ...signedIn, returnTo: session.get()?.returnTo }),
  });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { session } from '../../api/session';
import { setLanguage } from '../../i18n';

/**
 * The screens before sign-in: the emailed links (activation, password reset, login change) and
 * the request for a reset link. Activation and reset answer the user, not a session, so the
 * console signs in with the login they answer and the password just chosen.
 */
export function useSignInAs() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async (login: string, password: string) => {
    const signedIn = await unwrap(api.POST('/v1/auth/login', { body: { login, password } }));
    // Whoever was signed in on this browser before is not who follows the link.
    queryClient.clear();
    session.set(signedIn);
    setLanguage(signedIn.user.locale);
    await navigate({ to: '/' });
  };
}

export function useActivate() {
  return useMutation({ mutationFn: (body: { token: string; password: string }) => unwrap(api.POST('/v1/auth/activate', { body })) });
}

export function useAskReset() {
  return useMutation({ mutationFn: (login: string) => unwrap(api.POST('/v1/auth/password-reset', { body: { login } })) });
}

export function useConfirmReset() {
  return useMutation({ mutationFn: (body: { token: string; password: string }) => unwrap(api.POST('/v1/auth/password-reset/confirm', { body })) });
}

export function useConfirmLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => unwrap(api.POST('/v1/auth/confirm-login', { body: { token } })),
    onSuccess: (user) => {
      // Signed in on this browser as that user: the header and the profile show the new login.
      const current = session.get();
      if (current && current.user.id === user.id) session.set({ ...current, user });
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
}

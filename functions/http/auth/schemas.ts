import * as z from 'zod';
import { getUser, updateUser, userView } from '#data/users.ts';
import { activationMatches, parseActivationToken } from '#platform/activation.ts';
import { Gone } from '#platform/errors.ts';
import { httpHandler } from '#http/route.ts';

/**
 * `POST /v1/auth/confirm-login` `{token}` (SPEC §3.2, §4.2): applies the login change a user asked
 * for on PATCH /v1/me, with the link sent to the new address. Single use, 24 hours, and only the
 * latest request's link works; 410 otherwise. The new login is claimed as any login change is
 * (409 `login_taken` if it was taken meanwhile), and the change ends the user's other links.
 */
const ConfirmLoginBody = z.object({ token: z.string().min(1).max(200) }).strict();

const PENDING = ['pendingLogin', 'loginChangeTokenHash', 'loginChangeExpiresAt'] as const;

export const confirmLogin = httpHandler({ auth: false, body: ConfirmLoginBody }, async ({ body }) => {
  const parsed = parseActivationToken(body.token);
  const found = parsed && (await getUser(parsed.userId));
  if (!parsed || !found?.pendingLogin || !activationMatches(parsed.secret, found.loginChangeTokenHash, found.loginChangeExpiresAt)) throw new Gone();
  const user = await updateUser(found.id, (current) => {
    // Re-checked on the version we write over: two uses of one link cannot both succeed.
    if (!current.pendingLogin || !activationMatches(parsed.secret, current.loginChangeTokenHash, current.loginChangeExpiresAt)) throw new Gone();
    return { set: { login: current.pendingLogin }, remove: [...PENDING] };
  });
  return { statusCode: 200, body: userView(user) };
});

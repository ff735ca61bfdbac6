import * as z from 'zod';
import { issueSession, spendRefreshToken } from '#data/sessions.ts';
import { findUserIdByLogin, getUser, recordFailedLogin, recordLoginEvent, recordSuccessfulLogin, updateUser, userView, type User } from '#data/users.ts';
import { actorOf } from '#platform/caller.ts';
import { activationMatches, parseActivationToken } from '#platform/activation.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, Forbidden, Gone, InvalidCredentials, Unauthenticated, ValidationFailed } from '#platform/errors.ts';
import { httpHandler, routeGroup, type RequestInfo } from '#platform/http.ts';
import { dummyHash, hashPassword, verifyPassword } from '#platform/passwords.ts';
import { authorize } from '#platform/scope.ts';
import { Password, id } from '../schemas.ts';
import { confirmLogin } from './confirm-login.ts';

/**
 * Sign-in (SPEC §3.2, §4.2): login, refresh, activation and "log in as". Every failed login
 * answers the same 401 whatever the cause, after the same password work, so logins cannot be
 * enumerated.
 */
const LoginBody = z.object({ login: z.string().min(1).max(254), password: z.string().min(1).max(1024) }).strict();
const RefreshBody = z.object({ refreshToken: z.string().min(20).max(200) }).strict();
const ActivateBody = z.object({ token: z.string().min(1).max(200), password: Password }).strict();
const ImpersonateBody = z.object({ userId: id('user') }).strict();

async function fail(user: User | undefined, request: RequestInfo): Promise<never> {
  if (user) {
    await recordFailedLogin(user);
    await recordLoginEvent(user.id, { outcome: 'failure', ip: request.ip, userAgent: request.userAgent });
  }
  throw new InvalidCredentials();
}

const login = httpHandler({ auth: false, body: LoginBody }, async ({ body, request }) => {
  const userId = await findUserIdByLogin(body.login);
  const user = userId ? await getUser(userId) : undefined;
  const passwordOk = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !passwordOk || user.status !== 'ready') return fail(user, request);
  await recordSuccessfulLogin(user);
  await recordLoginEvent(user.id, { outcome: 'success', ip: request.ip, userAgent: request.userAgent });
  return { statusCode: 200, body: await issueSession(user) };
});

const refresh = httpHandler({ auth: false, body: RefreshBody }, async ({ body }) => {
  const spent = await spendRefreshToken(body.refreshToken);
  if (!spent) throw new Unauthenticated('The refresh token is not valid.');
  const user = await getUser(spent.userId);
  const actor = spent.actorUserId ? await getUser(spent.actorUserId) : undefined;
  const stillAllowed = (u: User | undefined) => u && u.status === 'ready' && spent.issuedAt >= u.tokensValidAfter;
  if (!stillAllowed(user) || (spent.actorUserId && !stillAllowed(actor))) throw new Unauthenticated('The refresh token is not valid.');
  return { statusCode: 200, body: await issueSession(user!, { family: spent.family, actorUserId: spent.actorUserId }) };
});

/** The activation link (SPEC §3.2): sets the first password; single use; 410 once expired or used. */
const activate = httpHandler({ auth: false, body: ActivateBody }, async ({ body }) => {
  const parsed = parseActivationToken(body.token);
  const found = parsed && (await getUser(parsed.userId));
  if (!parsed || !found || !activationMatches(parsed.secret, found.activationTokenHash, found.activationExpiresAt)) throw new Gone();
  if (body.password.toLowerCase() === found.login.toLowerCase()) {
    throw new ValidationFailed('The password must not be the login.', [{ in: 'body', path: 'password', code: 'equals_login' }]);
  }
  const passwordHash = await hashPassword(body.password);
  const user = await updateUser(found.id, (current) => {
    // Re-checked on the version we write over: two uses of one link cannot both succeed.
    if (!activationMatches(parsed.secret, current.activationTokenHash, current.activationExpiresAt)) throw new Gone();
    return {
      set: { passwordHash, status: current.status === 'not_activated' ? 'ready' : current.status, failedLogins: 0, tokensValidAfter: clock.now().getTime() },
      remove: ['activationTokenHash', 'activationExpiresAt'],
    };
  });
  return { statusCode: 200, body: userView(user) };
});

/**
 * Log in as a user (SPEC §3.2): staff admins for users of descendant accounts, customer admins for
 * users of their own account. The token names both people; it cannot be used to do this again.
 */
const impersonate = httpHandler({ body: ImpersonateBody }, async ({ body, caller, request }) => {
  if (caller.actorUserId) throw new Forbidden('You are already logged in as someone else.');
  const target = authorize(caller, await getUser(body.userId), 'manage');
  if (target.id === caller.userId) throw new BusinessRuleRefused('cannot_act_on_self', 'You cannot log in as yourself.');
  if (caller.accountType !== 'customer' && target.accountId === caller.accountId) {
    throw new Forbidden('Staff log in as users of the accounts below theirs, not of their own.');
  }
  if (target.status !== 'ready') throw new Conflict('invalid_state', `The user is ${target.status}.`, [{ status: target.status }]);
  await recordLoginEvent(target.id, { outcome: 'success', ip: request.ip, userAgent: request.userAgent, actor: actorOf(caller).userId });
  return {
    statusCode: 200,
    body: await issueSession(target, { actorUserId: caller.userId }),
    audit: { accountId: target.accountId, resourceType: 'user', resourceId: target.id, details: { loggedInAs: target.id, by: caller.userId } },
  };
});

export const handler = routeGroup({
  'POST /v1/auth/login': login,
  'POST /v1/auth/refresh': refresh,
  'POST /v1/auth/activate': activate,
  'POST /v1/auth/confirm-login': confirmLogin,
  'POST /v1/auth/impersonate': impersonate,
});

import * as z from 'zod';
import { acquireLoginLease, leaseKeyOf, readForLogin, releaseLoginLease, settleLogin, type LockNotice, type LoginOutcome, type LoginUser } from '#data/logins.ts';
import { issueSession, prepareSession, revokeFamily, spendRefreshToken } from '#data/sessions.ts';
import { findUserIdByLogin, getUser, recordLoginEvent, updateUser, userView, type User } from '#data/users.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { actorOf, mayLogInAs } from '#platform/caller.ts';
import { activationMatches, newUserLink, parseActivationToken } from '#platform/activation.ts';
import { clock } from '#platform/clock.ts';
import { env } from '#platform/env.ts';
import { BusinessRuleRefused, Conflict, Forbidden, Gone, InvalidCredentials, NotFound, TransientError, Unauthenticated, ValidationFailed } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '#platform/passwords.ts';
import { authorize } from '#platform/scope.ts';
import { Password, id } from '../schemas.ts';
import { confirmLogin } from './confirm-login.ts';

/**
 * Sign-in (SPEC §3.2, §4.2): login, refresh, logout, activation, password reset and "log in as".
 * Every failed login answers the same 401 whatever the cause, after the same password work and the
 * same DynamoDB calls, so logins cannot be enumerated. Attempts on one user are serialized
 * (functions/data/logins.ts); more password work than the process can take answers 429.
 */
const LoginBody = z.object({ login: z.string().min(1).max(254), password: z.string().min(1).max(1024) }).strict();
const RefreshBody = z.object({ refreshToken: z.string().min(20).max(200) }).strict();
const ActivateBody = z.object({ token: z.string().min(1).max(200), password: Password }).strict();
const ImpersonateBody = z.object({ userId: id('user') }).strict();
const ResetBody = z.object({ login: z.string().min(1).max(254) }).strict();
const ConfirmResetBody = z.object({ token: z.string().min(1).max(200), password: Password }).strict();

/** How long a login waits for a password slot before it is answered 429. */
const LOGIN_PASSWORD_WAIT_MS = 4000;
/** A reset link works once, for an hour (SPEC §3.2). */
const RESET_SECONDS = 3600;
/** Asking again within a minute sends no second email (asking cannot flood a mailbox). */
const RESET_RESEND_SECONDS = 60;

/** Reset links: `${PORTAL_URL}/reset-password?token=<userId>.<secret>`, made and checked like activation links. */
const newResetLink = (userId: string) => newUserLink(userId, RESET_SECONDS / 3600);
const resetMatches = (secret: string, user: Pick<User, 'resetTokenHash' | 'resetExpiresAt'>) => activationMatches(secret, user.resetTokenHash, user.resetExpiresAt);

function resetEmail(template: 'password-reset' | 'account-locked', user: User, link: ReturnType<typeof newResetLink>) {
  return outboxEmail(template, recipientOf(user), {
    link: `${env.portalUrl()}/reset-password?token=${link.token}`,
    expiresAt: new Date(link.expiresAt * 1000).toISOString(),
  });
}

/** What the fifth failure writes with the lock: the unlock-and-reset link and its email. */
function lockNotice(user: LoginUser): LockNotice {
  const link = newResetLink(user.id);
  return { resetTokenHash: link.hash, resetExpiresAt: link.expiresAt, outbox: resetEmail('account-locked', user, link) };
}

const login = httpHandler({ auth: false, body: LoginBody }, async ({ body, request }) => {
  const userId = await findUserIdByLogin(body.login);
  const lease = await acquireLoginLease(leaseKeyOf(body.login, userId));
  const info = { ip: request.ip, userAgent: request.userAgent };
  let settled = false;
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const user = await readForLogin(userId, lease);
      // The same password work whatever the login: an unknown one is checked against a dummy hash.
      const passwordOk = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()), { maxWaitMs: LOGIN_PASSWORD_WAIT_MS });
      const ok = user !== undefined && passwordOk && user.status === 'ready';
      const outcome: LoginOutcome = !user
        ? { kind: 'unknown', login: body.login }
        : ok
          ? {
              kind: 'success',
              session: await prepareSession({ ...user, failedLogins: 0, lastLoginAt: clock.nowIso() }),
              // A hash of an older kind (scrypt, before argon2id) is replaced while the password is at hand.
              ...(needsRehash(user.passwordHash ?? '') ? { rehash: await hashPassword(body.password) } : {}),
            }
          : { kind: 'failure', lock: lockNotice };
      const result = await settleLogin(lease, user, outcome, info);
      if (result === 'stale') continue;
      settled = true;
      if (outcome.kind === 'success') return { statusCode: 200, body: outcome.session.answer };
      throw new InvalidCredentials();
    }
    throw new TransientError('The user kept changing during sign-in; try again.');
  } finally {
    if (!settled) await releaseLoginLease(lease);
  }
});

const refresh = httpHandler({ auth: false, body: RefreshBody }, async ({ body }) => {
  const spent = await spendRefreshToken(body.refreshToken);
  if (!spent) throw new Unauthenticated('The refresh token is not valid.');
  const [user, actor] = await Promise.all([getUser(spent.userId), spent.actorUserId ? getUser(spent.actorUserId) : Promise.resolve(undefined)]);
  const stillAllowed = (u: User | undefined): u is User => u !== undefined && u.status === 'ready' && spent.issuedAt >= u.tokensValidAfter;
  if (!stillAllowed(user)) throw new Unauthenticated('The refresh token is not valid.');
  // Under "log in as", the real person's right as it is now (SPEC §3.2).
  if (spent.actorUserId && !(stillAllowed(actor) && mayLogInAs(actor, user))) throw new Unauthenticated('The refresh token is not valid.');
  return { statusCode: 200, body: await issueSession(user, { family: spent.family, actorUserId: spent.actorUserId }) };
});

/** Ends this session: its refresh token family stops working (the access token expires on its own). */
const logout = httpHandler({}, async ({ caller }) => {
  if (caller.sessionId) await revokeFamily(caller.sessionId);
  return { statusCode: 204, audit: { resourceType: 'session', resourceId: caller.sessionId ?? caller.userId } };
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
 * Asks for a reset link (SPEC §3.2): 202 whatever the login. A ready or locked user gets the
 * email (at most one a minute); anyone else, known or not, nothing.
 */
const askReset = httpHandler({ auth: false, body: ResetBody }, async ({ body }) => {
  const userId = await findUserIdByLogin(body.login);
  if (userId) {
    await updateUser(userId, (current) => {
      if (current.status !== 'ready' && current.status !== 'locked') return undefined;
      if (current.resetExpiresAt && current.resetExpiresAt - RESET_SECONDS + RESET_RESEND_SECONDS > clock.nowSeconds()) return undefined;
      const link = newResetLink(current.id);
      return { set: { resetTokenHash: link.hash, resetExpiresAt: link.expiresAt }, outbox: [resetEmail('password-reset', current, link)] };
    }).catch((err: unknown) => {
      if (!(err instanceof NotFound)) throw err;
    });
  }
  return { statusCode: 202, body: { message: 'If this login exists, a link to reset its password is on its way.' }, audit: false };
});

/** Uses a reset link: sets the password, unlocks, ends every earlier session; single use. */
const confirmReset = httpHandler({ auth: false, body: ConfirmResetBody }, async ({ body }) => {
  const parsed = parseActivationToken(body.token);
  const found = parsed && (await getUser(parsed.userId));
  if (!parsed || !found || !resetMatches(parsed.secret, found)) throw new Gone();
  if (body.password.toLowerCase() === found.login.toLowerCase()) {
    throw new ValidationFailed('The password must not be the login.', [{ in: 'body', path: 'password', code: 'equals_login' }]);
  }
  const passwordHash = await hashPassword(body.password);
  const user = await updateUser(found.id, (current) => {
    // Re-checked on the version we write over: two uses of one link cannot both succeed.
    if (!resetMatches(parsed.secret, current) || (current.status !== 'ready' && current.status !== 'locked')) throw new Gone();
    return {
      set: { passwordHash, status: 'ready', failedLogins: 0, tokensValidAfter: clock.now().getTime() },
      remove: ['resetTokenHash', 'resetExpiresAt'],
      outbox: [outboxEmail('password-changed', recipientOf(current), { at: clock.nowIso() })],
    };
  });
  return { statusCode: 200, body: userView(user), audit: { accountId: user.accountId, resourceType: 'user', resourceId: user.id } };
});

/**
 * Log in as a user (SPEC §3.2): staff admins for users of descendant accounts, customer admins for
 * users of their own account. The token names both people; it cannot be used to do this again;
 * the session ends after an hour (functions/data/sessions.ts).
 */
const impersonate = httpHandler({ body: ImpersonateBody }, async ({ body, caller, request }) => {
  if (caller.actorUserId) throw new Forbidden('You are already logged in as someone else.');
  const target = authorize(caller, await getUser(body.userId), 'manage');
  if (target.id === caller.userId) throw new BusinessRuleRefused('cannot_act_on_self', 'You cannot log in as yourself.');
  if (caller.accountType !== 'customer' && target.accountId === caller.accountId) {
    throw new Forbidden('Staff log in as users of the accounts below theirs, not of their own.');
  }
  if (!mayLogInAs({ id: caller.userId, status: 'ready', role: caller.role, accountType: caller.accountType, accountId: caller.accountId }, target)) {
    throw new Forbidden('Only admins log in as users in their scope.');
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
  'POST /v1/auth/logout': logout,
  'POST /v1/auth/activate': activate,
  'POST /v1/auth/password-reset': askReset,
  'POST /v1/auth/password-reset/confirm': confirmReset,
  'POST /v1/auth/confirm-login': confirmLogin,
  'POST /v1/auth/impersonate': impersonate,
});

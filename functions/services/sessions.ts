import * as accountRepo from '#data/accounts.ts';
import * as loginRepo from '#data/logins.ts';
import * as sessionRepo from '#data/sessions.ts';
import * as userRepo from '#data/users.ts';
import { retryOnConflict, RETRY } from '#data/tx.ts';
import type { LockNotice, LoginOutcome } from '#data/logins.ts';
import type { SessionTokens } from '#data/sessions.ts';
import type { User } from '#data/users.ts';
import { actorOf, mayLogInAs, type Caller } from '#platform/caller.ts';
import { activationMatches, parseActivationToken } from '#platform/activation.ts';
import { clock as realClock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, Forbidden, Gone, InvalidCredentials, NotFound, TransientError, Unauthenticated } from '#platform/errors.ts';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '#platform/passwords.ts';
import { authorize } from '#platform/scope.ts';
import { afterFailedLogin, mayReset, resetSendsLink, tokensStillValid } from '#domain/accounts.ts';
import { newResetLink, resetEmail } from './user-emails.ts';
import { passwordChange, refusePasswordAsLogin } from './users.ts';

/**
 * Sign-in (docs/product.md#portal-users, docs/product.md#auth-and-self): login, refresh, logout, the links (activation, password reset, login
 * change), "log in as" and the own password change. Every failed login answers the same 401
 * whatever the cause, after the same password work and the same DynamoDB calls, so logins cannot
 * be enumerated. Attempts on one user are serialized by a lease (data/logins.ts); more password
 * work than the process can take answers 429.
 */
export interface SessionDeps {
  /** A suspended account (the user's own or one above it) ends its users' sign-ins and refreshes. */
  accounts: Pick<typeof accountRepo, 'suspendedAccountOn'>;
  users: Pick<typeof userRepo, 'getUser' | 'findUserIdByLogin' | 'updateUser' | 'recordLoginEvent'>;
  logins: Pick<typeof loginRepo, 'leaseKeyOf' | 'acquireLoginLease' | 'releaseLoginLease' | 'readForLogin' | 'settleLogin'>;
  sessions: Pick<typeof sessionRepo, 'prepareSession' | 'startSession' | 'revokeFamily' | 'findRefreshToken' | 'markRefreshTokenSpent' | 'getSessionFamily'>;
  passwords: {
    verify(password: string, stored: string, opts?: { maxWaitMs?: number }): Promise<boolean>;
    hash(password: string): Promise<string>;
    dummyHash(): Promise<string>;
    needsRehash(stored: string): boolean;
  };
  clock: { now(): Date; nowIso(): string; nowSeconds(): number };
}

/** A session that starts (or goes on), and whose it is. */
export interface SignedIn {
  tokens: SessionTokens;
  user: User;
}

export interface AttemptInfo {
  ip?: string;
  userAgent?: string;
}

/** How long a login waits for a password slot before it is answered 429. */
const LOGIN_PASSWORD_WAIT_MS = 4000;
/** A login attempt decides again when an admin changed the user meanwhile, this often at most. */
const LOGIN_TRIES = 3;

/** The three links a user may hold, each checked against its own hash and expiry on the user. */
const LINKS = {
  activation: (u: User) => [u.activationTokenHash, u.activationExpiresAt] as const,
  reset: (u: User) => [u.resetTokenHash, u.resetExpiresAt] as const,
  loginChange: (u: User) => (u.pendingLogin ? ([u.loginChangeTokenHash, u.loginChangeExpiresAt] as const) : ([undefined, undefined] as const)),
};

/** What the fifth failure writes with the lock: the unlock-and-reset link and its email. */
function lockNotice(user: User): LockNotice {
  const link = newResetLink(user.id);
  return { resetTokenHash: link.hash, resetExpiresAt: link.expiresAt, outbox: resetEmail('account-locked', user, link) };
}

export function makeSessionService(deps: SessionDeps) {
  const { users, logins, sessions, passwords, clock } = deps;
  const invalidRefresh = () => new Unauthenticated('The refresh token is not valid.');

  /**
   * The user a link names, when the link is still good for it (410 otherwise), and the check to
   * run again on the version the change writes over, so two uses of one link cannot both succeed.
   */
  async function userOfLink(token: string, kind: keyof typeof LINKS): Promise<{ found: User; matches: (u: User) => boolean }> {
    const parsed = parseActivationToken(token);
    const matches = (u: User) => parsed !== undefined && activationMatches(parsed.secret, ...LINKS[kind](u));
    const found = parsed && (await users.getUser(parsed.userId));
    if (!found || !matches(found)) throw new Gone();
    return { found, matches };
  }

  return {
    /** Signs in (docs/product.md#portal-users): the fifth failure in a row locks the user and sends the unlock link. */
    async login(input: { login: string; password: string }, info: AttemptInfo): Promise<SignedIn> {
      const userId = await users.findUserIdByLogin(input.login);
      const lease = await logins.acquireLoginLease(logins.leaseKeyOf(input.login, userId));
      let settled = false;
      try {
        return await retryOnConflict(
          async () => {
            const user = await logins.readForLogin(userId, lease);
            // The same password work whatever the login: an unknown one is checked against a dummy hash.
            const passwordOk = await passwords.verify(input.password, user?.passwordHash ?? (await passwords.dummyHash()), { maxWaitMs: LOGIN_PASSWORD_WAIT_MS });
            let outcome: LoginOutcome;
            let signedIn: User | undefined;
            // A suspended account's users cannot sign in (docs/product.md#accounts-and-tenancy): the same 401, in the
            // login history, without counting towards a lock (the password was right). Asked only
            // once the password is right, so a wrong one costs what it always did.
            const suspended = Boolean(user && passwordOk && user.status === 'ready' && (await deps.accounts.suspendedAccountOn(user.accountPath)));
            if (!user) outcome = { kind: 'unknown', login: input.login };
            else if (suspended) outcome = { kind: 'failure', failedLogins: user.failedLogins };
            else if (passwordOk && user.status === 'ready') {
              signedIn = { ...user, failedLogins: 0, lastLoginAt: clock.nowIso(), version: user.version + 1 };
              outcome = {
                kind: 'success',
                session: await sessions.prepareSession(user),
                // A hash of an older kind (scrypt, before argon2id) is replaced while the password is at hand.
                ...(passwords.needsRehash(user.passwordHash ?? '') ? { rehash: await passwords.hash(input.password) } : {}),
              };
            } else {
              const { failedLogins, locks } = afterFailedLogin(user);
              outcome = { kind: 'failure', failedLogins, ...(locks ? { lock: lockNotice(user) } : {}) };
            }
            if ((await logins.settleLogin(lease, user, outcome, info)) === 'stale') return RETRY;
            settled = true;
            if (outcome.kind === 'success' && signedIn) return { tokens: outcome.session.tokens, user: signedIn };
            throw new InvalidCredentials();
          },
          { tries: LOGIN_TRIES, baseMs: 10, capMs: 50, exhausted: () => new TransientError('The user kept changing during sign-in; try again.') },
        );
      } finally {
        if (!settled) await logins.releaseLoginLease(lease);
      }
    },

    /**
     * Spends a refresh token for a new pair in the same session. A token spent before revokes its
     * whole family (RFC 9700 reuse detection: a stolen token and its rightful holder cannot both go
     * on); an expired, unknown or revoked one, or one whose user may no longer act, is 401.
     */
    async refresh(token: string): Promise<SignedIn> {
      const found = await sessions.findRefreshToken(token);
      if (!found || (found.ttl ?? 0) < clock.nowSeconds()) throw invalidRefresh();
      if (found.used || !(await sessions.markRefreshTokenSpent(found.tokenHash))) {
        await sessions.revokeFamily(found.family);
        throw invalidRefresh();
      }
      const family = await sessions.getSessionFamily(found.family);
      if (!family || family.revoked || (family.endsAt ?? 0) <= clock.now().getTime()) throw invalidRefresh();
      const [user, actor] = await Promise.all([users.getUser(found.userId), found.actorUserId ? users.getUser(found.actorUserId) : Promise.resolve(undefined)]);
      const stillAllowed = (u: User | undefined): u is User => u !== undefined && tokensStillValid(u, found.issuedAt);
      if (!stillAllowed(user)) throw invalidRefresh();
      // Under "log in as", the real person's right as it is now (docs/product.md#portal-users).
      if (found.actorUserId && !(stillAllowed(actor) && mayLogInAs(actor, user))) throw invalidRefresh();
      // Nor while the user's account (or the real person's) is suspended; the session is kept, and refreshes again once reactivated.
      const suspensions = await Promise.all([deps.accounts.suspendedAccountOn(user.accountPath), actor ? deps.accounts.suspendedAccountOn(actor.accountPath) : undefined]);
      if (suspensions.some(Boolean)) throw invalidRefresh();
      const tokens = await sessions.startSession(user, { family, actorUserId: found.actorUserId });
      return { tokens, user };
    },

    /** Ends this session: its refresh token family stops working (the access token expires on its own). */
    async logout(caller: Caller): Promise<void> {
      if (caller.sessionId) await sessions.revokeFamily(caller.sessionId);
    },

    /** The activation link (docs/product.md#portal-users): sets the first password; single use; 410 once expired or used. */
    async activate(token: string, password: string): Promise<User> {
      const { found, matches } = await userOfLink(token, 'activation');
      refusePasswordAsLogin(password, found.login, 'password');
      const passwordHash = await passwords.hash(password);
      return users.updateUser(found.id, (current) => {
        if (!matches(current)) throw new Gone();
        return {
          set: { passwordHash, status: current.status === 'not_activated' ? 'ready' : current.status, failedLogins: 0, tokensValidAfter: clock.now().getTime() },
          remove: ['activationTokenHash', 'activationExpiresAt'],
        };
      });
    },

    /**
     * Asks for a reset link (docs/product.md#portal-users), whatever the login: a ready or locked user gets the email
     * (at most one a minute); anyone else, known or not, nothing.
     */
    async askReset(login: string): Promise<void> {
      const userId = await users.findUserIdByLogin(login);
      if (!userId) return;
      await users
        .updateUser(userId, (current) => {
          if (!resetSendsLink(current, clock.nowSeconds())) return undefined;
          const link = newResetLink(current.id);
          return { set: { resetTokenHash: link.hash, resetExpiresAt: link.expiresAt }, outbox: [resetEmail('password-reset', current, link)] };
        })
        .catch((err: unknown) => {
          if (!(err instanceof NotFound)) throw err;
        });
    },

    /** Uses a reset link: sets the password, unlocks, ends every earlier session; single use. */
    async confirmReset(token: string, password: string): Promise<User> {
      const { found, matches } = await userOfLink(token, 'reset');
      refusePasswordAsLogin(password, found.login, 'password');
      const passwordHash = await passwords.hash(password);
      return users.updateUser(found.id, (current) => {
        if (!matches(current) || !mayReset(current.status)) throw new Gone();
        const change = passwordChange(current, passwordHash, clock.now().getTime());
        return { ...change, set: { ...change.set, status: 'ready', failedLogins: 0 }, remove: ['resetTokenHash', 'resetExpiresAt'] };
      });
    },

    /**
     * Applies the login change a user asked for on PATCH /v1/me, with the link sent to the new
     * address (docs/product.md#portal-users): single use, 24 hours, only the latest request's link; 410 otherwise. The
     * new login is claimed as any login change is (409 `login_taken` if taken meanwhile), and the
     * change ends the user's other links (the repository).
     */
    async confirmLogin(token: string): Promise<User> {
      const { found, matches } = await userOfLink(token, 'loginChange');
      return users.updateUser(found.id, (current) => {
        if (!matches(current) || !current.pendingLogin) throw new Gone();
        return { set: { login: current.pendingLogin }, remove: ['pendingLogin', 'loginChangeTokenHash', 'loginChangeExpiresAt'] };
      });
    },

    /**
     * Log in as a user (docs/product.md#portal-users): staff admins for users of descendant accounts, customer admins
     * for users of their own account. The token names both people; it cannot be used to do this
     * again; the session ends after an hour (data/sessions.ts).
     */
    async impersonate(caller: Caller, userId: string, info: AttemptInfo): Promise<SignedIn> {
      if (caller.actorUserId) throw new Forbidden('You are already logged in as someone else.');
      const target = authorize(caller, await users.getUser(userId), 'manage');
      if (target.id === caller.userId) throw new BusinessRuleRefused('cannot_act_on_self', 'You cannot log in as yourself.');
      if (caller.accountType !== 'customer' && target.accountId === caller.accountId) {
        throw new Forbidden('Staff log in as users of the accounts below theirs, not of their own.');
      }
      if (!mayLogInAs({ id: caller.userId, status: 'ready', role: caller.role, accountType: caller.accountType, accountId: caller.accountId }, target)) {
        throw new Forbidden('Only admins log in as users in their scope.');
      }
      if (target.status !== 'ready') throw new Conflict('invalid_state', `The user is ${target.status}.`, [{ status: target.status }]);
      // Its session would be refused at once (the authorizer): a suspended account's users cannot be acted as either.
      if (await deps.accounts.suspendedAccountOn(target.accountPath)) throw new Conflict('invalid_state', "The user's account is suspended.", [{ accountStatus: 'suspended' }]);
      await users.recordLoginEvent(target.id, { outcome: 'success', ip: info.ip, userAgent: info.userAgent, actor: actorOf(caller).userId });
      return { tokens: await sessions.startSession(target, { actorUserId: caller.userId }), user: target };
    },

    /** Needs the current password; answers a new session, because the change ends every older one. */
    async changePassword(caller: Caller, currentPassword: string, newPassword: string): Promise<SignedIn> {
      if (caller.actorUserId) throw new Forbidden('Passwords cannot be changed while logged in as someone else.');
      const user = await users.getUser(caller.userId);
      if (!user) throw new NotFound();
      if (!user.passwordHash || !(await passwords.verify(currentPassword, user.passwordHash))) {
        throw new BusinessRuleRefused('current_password_incorrect', 'The current password is not correct.');
      }
      refusePasswordAsLogin(newPassword, user.login, 'newPassword');
      const passwordHash = await passwords.hash(newPassword);
      const updated = await users.updateUser(user.id, (current) => passwordChange(current, passwordHash, clock.now().getTime()));
      return { tokens: await sessions.startSession(updated), user: updated };
    },
  };
}

export type SessionService = ReturnType<typeof makeSessionService>;

export const sessionService = makeSessionService({
  accounts: accountRepo,
  users: userRepo,
  logins: loginRepo,
  sessions: sessionRepo,
  passwords: { verify: verifyPassword, hash: (p) => hashPassword(p), dummyHash, needsRehash },
  clock: realClock,
});

import { randomUUID } from 'node:crypto';
import { db } from './entities.ts';
import { isConditionalFailure, retryOnConflict } from './tx.ts';
import { loginEventItem, type User } from './users.ts';
import type { SessionItems } from './sessions.ts';
import type { OutboxItem } from '#emails/outbox.ts';
import { clock } from '#platform/clock.ts';
import { Throttled } from '#platform/passwords.ts';
import { hashToken } from '#platform/tokens.ts';

/**
 * Login attempts (docs/product.md#portal-users, issue 13): serialized per user by a short lease, so that once the
 * fifth failure locks the user no attempt in flight can succeed. The holder of the lease re-reads
 * the user consistently, and the sign-in service (functions/services/sessions.ts) verifies and
 * decides; `settleLogin` writes the outcome, the login event and the lease's release in one
 * transaction. An unknown login takes a lease of its own (keyed by the login's hash) and makes the
 * same DynamoDB calls, so the answer's timing does not tell whether a login exists.
 */
export const LEASE_MS = 15_000;
/** How long an attempt waits for the lease before it is answered 429. */
const LEASE_WAIT_MS = 5_000;
/** Lease items outlive a crashed holder by this much, then TTL removes them. */
const LEASE_TTL_SECONDS = 3600;

export interface LoginLease {
  key: string;
  holder: string;
}

/** The lease key: the user when the login exists, else the login name's hash. */
export const leaseKeyOf = (login: string, userId: string | undefined) => (userId ? `user#${userId}` : `login#${hashToken(login.toLowerCase())}`);

const leaseBusy = () => new Throttled(2, 'Too many sign-in attempts for this login at once; try again in a moment.');

/** Takes the lease, waiting with jittered backoff; 429 `throttled` when it cannot be had in a few seconds. */
export async function acquireLoginLease(key: string): Promise<LoginLease> {
  const holder = randomUUID();
  // Real time, not the application clock: the lease bounds how long a process may hold it.
  const deadline = Date.now() + LEASE_WAIT_MS;
  return retryOnConflict(
    async (n) => {
      if (n > 0 && Date.now() >= deadline) throw leaseBusy();
      const now = Date.now();
      await db()
        .entities.loginLease.put({ key, holder, until: now + LEASE_MS, ttl: Math.floor(now / 1000) + LEASE_TTL_SECONDS })
        .where((a, op) => `${op.notExists(a.until)} OR ${op.lt(a.until, now)}`)
        .go();
      return { key, holder };
    },
    { tries: Number.POSITIVE_INFINITY, baseMs: 50, capMs: 400, exhausted: leaseBusy },
  );
}

/** Frees the lease when the attempt ends without its transaction (an error, a throttled password check). */
export async function releaseLoginLease(lease: LoginLease): Promise<void> {
  await db()
    .entities.loginLease.delete({ key: lease.key })
    .where((a, op) => op.eq(a.holder, lease.holder))
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

/** The user as the lease holder reads it (consistently); for an unknown login, the same read of a key that is no user. */
export async function readForLogin(userId: string | undefined, lease: LoginLease): Promise<User | undefined> {
  const found = await db().entities.user.get({ id: userId ?? lease.key }).go({ consistent: true });
  return userId ? (found.data ?? undefined) : undefined;
}

/** What the fifth failure writes with the lock: the unlock-and-reset link and its email. */
export interface LockNotice {
  resetTokenHash: string;
  resetExpiresAt: number;
  outbox: OutboxItem;
}

/** What the sign-in service decided an attempt means. */
export type LoginOutcome =
  /** `rehash`: the password hashed anew at today's parameters, replacing an older kind of hash. */
  | { kind: 'success'; session: SessionItems; rehash?: string }
  /** `lock`: present when this failure locks the user. */
  | { kind: 'failure'; failedLogins: number; lock?: LockNotice }
  | { kind: 'unknown'; login: string };

export interface AttemptInfo {
  ip?: string;
  userAgent?: string;
}

/**
 * Writes the attempt's outcome and frees the lease, in one transaction: a success resets the
 * failure count and starts the session; a failure counts it, and a lock also revokes the user's
 * tokens and queues the unlock-and-reset email. Conditioned on the version read: when an admin
 * changed the user meanwhile, answers `stale` and the caller reads and decides again. Only a lock
 * moves the version on: the count, the last sign-in and a rehash are bookkeeping, not an edit, so
 * signing in on one device never turns a profile open on another stale (412). Every edit writes
 * only the fields it sets, so none of it is lost either way.
 */
export async function settleLogin(lease: LoginLease, user: User | undefined, outcome: LoginOutcome, info: AttemptInfo): Promise<'done' | 'stale'> {
  const result = await db()
    .transaction.write(({ user: users, loginEvent, loginLease, loginName, refreshToken, sessionFamily, outbox }) => {
      const release = loginLease.delete({ key: lease.key }).where((a, op) => op.eq(a.holder, lease.holder)).commit();
      // The branches write different entities; ElectroDB types a transaction by its first item.
      const items = (list: unknown[]) => list as [typeof release];
      if (!user || outcome.kind === 'unknown') {
        const login = outcome.kind === 'unknown' ? outcome.login : '';
        return items([release, loginName.check({ login: login.toLowerCase() }).where((a, op) => op.notExists(a.userId)).commit()]);
      }
      const sameVersion = users.patch({ id: user.id });
      if (outcome.kind === 'success') {
        return items([
          sameVersion
            .set({ failedLogins: 0, lastLoginAt: clock.nowIso(), ...(outcome.rehash ? { passwordHash: outcome.rehash } : {}) })
            .where((a, op) => `${op.eq(a.version, user.version)} AND ${op.eq(a.status, 'ready')}`)
            .commit(),
          loginEvent.create(loginEventItem(user.id, { outcome: 'success', ...info })).commit(),
          release,
          refreshToken.create(outcome.session.refresh).commit(),
          ...(outcome.session.family ? [sessionFamily.create(outcome.session.family).commit()] : []),
        ]);
      }
      const { lock } = outcome;
      return items([
        sameVersion
          .set({
            failedLogins: outcome.failedLogins,
            ...(lock ? { version: user.version + 1, status: 'locked' as const, tokensValidAfter: clock.now().getTime(), resetTokenHash: lock.resetTokenHash, resetExpiresAt: lock.resetExpiresAt } : {}),
          })
          .where((a, op) => op.eq(a.version, user.version))
          .commit(),
        loginEvent.create(loginEventItem(user.id, { outcome: 'failure', ...info })).commit(),
        release,
        ...(lock ? [outbox.create(lock.outbox).commit()] : []),
      ]);
    })
    .go();
  if (!result.canceled) return 'done';
  // An unknown login that someone registered meanwhile, or a lease lost to expiry: the answer stays a 401.
  if (!user || outcome.kind === 'unknown') return 'done';
  const reasons: ReadonlyArray<{ code?: string }> = result.data;
  const [userItem, , leaseItem] = reasons;
  if (userItem?.code === 'ConditionalCheckFailed' || reasons.some((r) => r.code === 'TransactionConflict')) return 'stale';
  if (leaseItem?.code === 'ConditionalCheckFailed') {
    // The lease expired and another attempt holds it now: this one must not decide anything.
    throw new Throttled(1, 'Sign-in took too long; try again.');
  }
  throw new Error(`The login transaction failed: ${reasons.map((r) => r.code ?? 'None').join(',')}`);
}

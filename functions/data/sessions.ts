import { randomUUID } from 'node:crypto';
import type { EntityItem } from 'electrodb';
import { db, type RefreshTokenEntity, type SessionFamilyEntity } from './entities.ts';
import { ensureCommittedNamed, isConditionalFailure } from './tx.ts';
import type { User } from './users.ts';
import { clock } from '#platform/clock.ts';
import { TransientError } from '#platform/errors.ts';
import { hashToken, issueAccessToken, newRefreshToken, REFRESH_TOKEN_SECONDS } from '#platform/tokens.ts';

/**
 * Sessions (docs/product.md#portal-users): an access token and a rotating refresh token (only its hash is stored).
 * One sign-in starts a family: each refresh spends its token and yields a new pair in the same
 * family. A family ends at a fixed instant whatever its refreshes: 30 days after sign-in, one hour
 * after a "log in as". What a spent or reused token means (reuse revokes the family) is decided by
 * functions/services/sessions.ts; this module keeps the items.
 */
export const IMPERSONATION_SESSION_MS = 60 * 60 * 1000;
const SESSION_MS = REFRESH_TOKEN_SECONDS * 1000;

export type SessionFamily = EntityItem<SessionFamilyEntity>;
export type RefreshToken = EntityItem<RefreshTokenEntity>;

/** What a client gets for a session. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
}

export interface SessionItems {
  tokens: SessionTokens;
  refresh: RefreshToken;
  /** The family record, for a session that starts (a rotation writes only its new token). */
  family?: SessionFamily;
}

export interface SessionOptions {
  /** The family a refresh continues; absent, a new session starts. */
  family?: Pick<SessionFamily, 'family' | 'endsAt'>;
  /** The real person of a "log in as". */
  actorUserId?: string;
}

/** The tokens of a session and the items that make them valid (written by `startSession`, or in the sign-in's own transaction). */
export async function prepareSession(user: Pick<User, 'id'>, opts: SessionOptions = {}): Promise<SessionItems> {
  const now = clock.now().getTime();
  const family = opts.family?.family ?? randomUUID();
  const endsAt = opts.family ? (opts.family.endsAt ?? now + SESSION_MS) : now + (opts.actorUserId ? IMPERSONATION_SESSION_MS : SESSION_MS);
  const access = await issueAccessToken(user.id, opts.actorUserId, { sessionId: family, notAfterMs: endsAt });
  const refresh = newRefreshToken();
  const ttl = Math.ceil(Math.min(now + SESSION_MS, endsAt) / 1000);
  return {
    tokens: { accessToken: access.token, refreshToken: refresh.token, expiresAt: access.expiresAt },
    refresh: { tokenHash: refresh.hash, userId: user.id, family, actorUserId: opts.actorUserId, used: false, issuedAt: now, ttl },
    ...(opts.family
      ? {}
      : { family: { family, userId: user.id, actorUserId: opts.actorUserId, revoked: false, endsAt, createdAt: clock.nowIso(), ttl: Math.ceil(endsAt / 1000) } }),
  };
}

/** Starts a session (or continues a family after a refresh): writes its items and answers its tokens. */
export async function startSession(user: Pick<User, 'id'>, opts: SessionOptions = {}): Promise<SessionTokens> {
  const items = await prepareSession(user, opts);
  const result = await db()
    .transaction.write(({ refreshToken, sessionFamily }) => [
      refreshToken.create(items.refresh).commit(),
      ...(items.family ? [sessionFamily.create(items.family).commit()] : []),
    ])
    .go();
  ensureCommittedNamed(result, ['refreshToken', 'family'], () => new TransientError('The session could not be started.'));
  return items.tokens;
}

/** Marks a family revoked (reuse, logout); a family that is not there is left alone. */
export async function revokeFamily(family: string): Promise<void> {
  await db()
    .entities.sessionFamily.patch({ family })
    .set({ revoked: true })
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

/** The stored refresh token a client presents (by its hash), read consistently. */
export async function findRefreshToken(token: string): Promise<RefreshToken | undefined> {
  const found = await db().entities.refreshToken.get({ tokenHash: hashToken(token) }).go({ consistent: true });
  return found.data ?? undefined;
}

/** Spends a refresh token once: false when it was spent before (by another request, meanwhile). */
export async function markRefreshTokenSpent(tokenHash: string): Promise<boolean> {
  try {
    await db().entities.refreshToken.patch({ tokenHash }).set({ used: true }).where((a, op) => op.eq(a.used, false)).go();
    return true;
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    return false;
  }
}

export async function getSessionFamily(family: string): Promise<SessionFamily | undefined> {
  const found = await db().entities.sessionFamily.get({ family }).go({ consistent: true });
  return found.data ?? undefined;
}

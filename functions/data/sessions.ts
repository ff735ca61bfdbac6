import { randomUUID } from 'node:crypto';
import { db } from './entities.ts';
import { ensureCommitted, isConditionalFailure } from './tx.ts';
import { userView, type User } from './users.ts';
import { clock } from '#platform/clock.ts';
import { TransientError } from '#platform/errors.ts';
import { hashToken, issueAccessToken, newRefreshToken, REFRESH_TOKEN_SECONDS } from '#platform/tokens.ts';

/**
 * Sessions (SPEC §3.2): an access token and a rotating refresh token (only its hash is stored).
 * One sign-in starts a family: each refresh spends its token and yields a new pair in the same
 * family. A token spent twice revokes the whole family (RFC 9700 reuse detection), and so does
 * logout. A family ends at a fixed instant whatever its refreshes: 30 days after sign-in, one hour
 * after a "log in as".
 */
export const IMPERSONATION_SESSION_MS = 60 * 60 * 1000;
const SESSION_MS = REFRESH_TOKEN_SECONDS * 1000;

export interface SessionFamily {
  family: string;
  userId: string;
  actorUserId?: string;
  revoked: boolean;
  endsAt?: number;
  createdAt: string;
  ttl?: number;
}

export interface SessionItems {
  answer: { accessToken: string; refreshToken: string; expiresAt: string; user: ReturnType<typeof userView> };
  refresh: { tokenHash: string; userId: string; family: string; actorUserId?: string; used: boolean; issuedAt: number; ttl: number };
  /** The family record, for a session that starts (a rotation writes only its new token). */
  family?: SessionFamily;
}

/** The tokens of a session and the items that make them valid (written by the caller, in its own transaction). */
export async function prepareSession(user: User, opts: { family?: Pick<SessionFamily, 'family' | 'endsAt'>; actorUserId?: string } = {}): Promise<SessionItems> {
  const now = clock.now().getTime();
  const family = opts.family?.family ?? randomUUID();
  const endsAt = opts.family ? (opts.family.endsAt ?? now + SESSION_MS) : now + (opts.actorUserId ? IMPERSONATION_SESSION_MS : SESSION_MS);
  const access = await issueAccessToken(user.id, opts.actorUserId, { sessionId: family, notAfterMs: endsAt });
  const refresh = newRefreshToken();
  const ttl = Math.ceil(Math.min(now + SESSION_MS, endsAt) / 1000);
  return {
    answer: { accessToken: access.token, refreshToken: refresh.token, expiresAt: access.expiresAt, user: userView(user) },
    refresh: { tokenHash: refresh.hash, userId: user.id, family, actorUserId: opts.actorUserId, used: false, issuedAt: now, ttl },
    ...(opts.family
      ? {}
      : { family: { family, userId: user.id, actorUserId: opts.actorUserId, revoked: false, endsAt, createdAt: clock.nowIso(), ttl: Math.ceil(endsAt / 1000) } }),
  };
}

/** Starts a session (or continues a family after a refresh) and answers its tokens. */
export async function issueSession(user: User, opts: { family?: Pick<SessionFamily, 'family' | 'endsAt'>; actorUserId?: string } = {}) {
  const items = await prepareSession(user, opts);
  const result = await db()
    .transaction.write(({ refreshToken, sessionFamily }) => [
      refreshToken.create(items.refresh).commit(),
      ...(items.family ? [sessionFamily.create(items.family).commit()] : []),
    ])
    .go();
  ensureCommitted(result, () => new TransientError('The session could not be started.'));
  return items.answer;
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

/**
 * Spends a refresh token: undefined when it is unknown or expired, when its family is revoked or
 * over, or when it was spent before, which revokes its family (a stolen token and its rightful
 * holder cannot both go on).
 */
export async function spendRefreshToken(token: string) {
  const tokens = db().entities.refreshToken;
  const tokenHash = hashToken(token);
  const found = (await tokens.get({ tokenHash }).go({ consistent: true })).data;
  if (!found || (found.ttl ?? 0) < clock.nowSeconds()) return undefined;
  if (found.used) {
    await revokeFamily(found.family);
    return undefined;
  }
  try {
    await tokens.patch({ tokenHash }).set({ used: true }).where((a, op) => op.eq(a.used, false)).go();
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    await revokeFamily(found.family);
    return undefined;
  }
  const family = (await db().entities.sessionFamily.get({ family: found.family }).go({ consistent: true })).data as SessionFamily | null;
  if (!family || family.revoked || (family.endsAt ?? 0) <= clock.now().getTime()) return undefined;
  return { ...found, family };
}

import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { createSigningKey, signingSecret } from '#data/token-reads.ts';
import { clock } from './clock.ts';

/**
 * Access tokens are HS256 JWTs valid 15 minutes (docs/product.md#portal-users). The signing key lives in the table
 * (encrypted at rest with the table's key) and is created by the first process that needs it, so
 * AWS and the local stack obtain it the same way and no secret sits in configuration.
 */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;
const KID = 'k1';
const ISSUER = 'cloud-license-portal';

let keyPromise: Promise<Uint8Array> | undefined;

async function readKey(): Promise<Uint8Array | undefined> {
  const secret = await signingSecret(KID);
  return secret ? Buffer.from(secret, 'base64') : undefined;
}

async function loadKey(): Promise<Uint8Array> {
  const existing = await readKey();
  if (existing) return existing;
  // Another process may create it first: then theirs is read back, and used.
  await createSigningKey(KID, randomBytes(32).toString('base64'), clock.nowIso());
  const secret = await signingSecret(KID, { consistent: true });
  if (!secret) throw new Error('Signing key could not be created');
  return Buffer.from(secret, 'base64');
}

/** The key to sign with, created on first use (by sign-in, which may write). */
function signingKey(): Promise<Uint8Array> {
  keyPromise ??= loadKey().catch((err) => {
    keyPromise = undefined;
    throw err;
  });
  return keyPromise;
}

/**
 * The secret other keys are derived from (HKDF, each with its own label: the list cursors of
 * platform/cursors.ts), so the functions share one secret and no other sits in configuration.
 */
export const derivationSecret = (): Promise<Uint8Array> => signingKey();

/** The key to verify with: read only (the authorizer may not write); no key yet means no valid token. */
async function verificationKey(): Promise<Uint8Array | undefined> {
  if (keyPromise) return keyPromise;
  const key = await readKey();
  if (key) keyPromise = Promise.resolve(key);
  return key;
}

export interface AccessClaims {
  sub: string;
  /** docs/product.md#portal-users: the real actor when logged in as someone else. */
  act?: { sub: string };
  iat: number;
  /** Issue time in milliseconds: revocation (`tokensValidAfter`) is compared at this precision. */
  issuedAtMs: number;
  exp: number;
  /** The session (refresh token family) the token belongs to: logout ends it. */
  sid?: string;
  /**
   * A machine client's token (`typ: "client"`, `sub` its `cli_…` id): the scopes it was granted.
   * A person's token never has it, and a client's token is never read as a person's.
   */
  client?: { scopes: string[] };
}

/** The claim that marks a machine client's token. */
export const CLIENT_TOKEN_TYPE = 'client';

/** A machine client's access token (docs/api.md "API clients"): 15 minutes, its granted scopes in `scope`. */
export async function issueClientToken(clientId: string, scopes: readonly string[]): Promise<{ token: string; expiresIn: number }> {
  const issuedAtMs = clock.now().getTime();
  const iat = Math.floor(issuedAtMs / 1000);
  const jwt = new SignJWT({ iatMs: issuedAtMs, typ: CLIENT_TOKEN_TYPE, scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', kid: KID })
    .setSubject(clientId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_SECONDS);
  return { token: await jwt.sign(await signingKey()), expiresIn: ACCESS_TOKEN_SECONDS };
}

export async function issueAccessToken(
  userId: string,
  actorUserId?: string,
  opts: { sessionId?: string; notAfterMs?: number } = {},
): Promise<{ token: string; expiresAt: string }> {
  const issuedAtMs = clock.now().getTime();
  const iat = Math.floor(issuedAtMs / 1000);
  // Never past the end of its session (a "log in as" ends after an hour).
  const exp = Math.min(iat + ACCESS_TOKEN_SECONDS, opts.notAfterMs ? Math.floor(opts.notAfterMs / 1000) : Infinity);
  const jwt = new SignJWT({ iatMs: issuedAtMs, ...(actorUserId ? { act: { sub: actorUserId } } : {}), ...(opts.sessionId ? { sid: opts.sessionId } : {}) })
    .setProtectedHeader({ alg: 'HS256', kid: KID })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(exp);
  return { token: await jwt.sign(await signingKey()), expiresAt: new Date(exp * 1000).toISOString() };
}

export async function verifyAccessToken(token: string): Promise<AccessClaims | undefined> {
  try {
    const key = await verificationKey();
    if (!key) return undefined;
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: clock.now(),
    });
    if (typeof payload.sub !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') return undefined;
    const act = payload.act as { sub?: unknown } | undefined;
    // A client's token names a client and nobody else; a person's token never names a client.
    const isClient = payload.typ === CLIENT_TOKEN_TYPE;
    if (isClient !== payload.sub.startsWith('cli_')) return undefined;
    if (isClient && (act !== undefined || payload.sid !== undefined || typeof payload.scope !== 'string')) return undefined;
    return {
      sub: payload.sub,
      iat: payload.iat,
      issuedAtMs: typeof payload.iatMs === 'number' ? payload.iatMs : payload.iat * 1000,
      exp: payload.exp,
      act: act && typeof act.sub === 'string' ? { sub: act.sub } : undefined,
      sid: typeof payload.sid === 'string' ? payload.sid : undefined,
      ...(isClient ? { client: { scopes: String(payload.scope).split(' ').filter(Boolean) } } : {}),
    };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return undefined;
    throw err;
  }
}

/** Refresh tokens are opaque; only their hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

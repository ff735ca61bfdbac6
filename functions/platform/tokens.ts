import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, importJWK, jwtVerify, decodeProtectedHeader, errors as joseErrors, type CryptoKey } from 'jose';
import { clock } from './clock.ts';
import { keySet, keySetWith, SIGNING_ALG, type KeyEntry, type KeySet } from './keys.ts';

/**
 * Access tokens are ES256 JWTs valid 15 minutes (docs/product.md#portal-users), signed with the
 * current key of the signing key set (platform/keys.ts: a Secrets Manager secret, never the table)
 * and verified with its current or previous key, chosen by the token's `kid`. The public keys are
 * published at `GET /v1/auth/jwks.json`.
 */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;
const ISSUER = 'cloud-license-portal';

/** Imported keys by kid and use: importing a JWK costs more than a verify. */
const imported = new Map<string, Promise<CryptoKey>>();

function importedKey(entry: KeyEntry, use: 'sign' | 'verify'): Promise<CryptoKey> {
  const id = `${use}:${entry.kid}`;
  let key = imported.get(id);
  if (!key) {
    if (imported.size > 16) imported.clear();
    key = importJWK(use === 'sign' ? entry.privateJwk : entry.publicJwk, SIGNING_ALG) as Promise<CryptoKey>;
    key.catch(() => imported.delete(id));
    imported.set(id, key);
  }
  return key;
}

/**
 * The first ES256 verify of a process costs a few ms more than the next ones (WebCrypto's EC set-up).
 * The authorizer's first request does it on a throwaway key and token while the key set's read is
 * in flight, so that cost overlaps the network wait instead of following it.
 */
const WARM_JWK = { kty: 'EC', crv: 'P-256', x: 'evBz704Aljgbj940jZVRJh9e-SNRK6RmPMxm0wBtlFY', y: 'C-TuduWgnwhyOLLp1DFzR9wW9NY9aHM1L5ETcfttcJo' };
const WARM_TOKEN = 'eyJhbGciOiJFUzI1NiJ9.e30.hjEHptIiSbJY-GgfEXyt3Hc0HGol65HFZOlyRwptkXNbjAGg5JVd9B97iuvDZ4pv6I7x03VR2v-2YiNvCuyiiA';
let warm: Promise<void> | undefined;
const warmedUp = (): Promise<void> =>
  (warm ??= importJWK(WARM_JWK, SIGNING_ALG).then((key) => jwtVerify(WARM_TOKEN, key, { algorithms: [SIGNING_ALG] })).then(
    () => undefined,
    () => undefined,
  ));

const currentOf = (set: KeySet): KeyEntry => {
  const current = set.keys.find((k) => k.status === 'current');
  if (!current) throw new Error('The signing key set has no current key');
  return current;
};

async function sign(jwt: SignJWT): Promise<string> {
  const current = currentOf(await keySet());
  return jwt.setProtectedHeader({ alg: SIGNING_ALG, kid: current.kid, typ: 'JWT' }).sign(await importedKey(current, 'sign'));
}

/**
 * The secret other keys are derived from (HKDF, each with its own label: the list cursors of
 * platform/cursors.ts): the key set's `derivationSecret`, which a rotation keeps.
 */
export const derivationSecret = async (): Promise<Uint8Array> => Buffer.from((await keySet()).derivationSecret, 'base64');

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
    .setSubject(clientId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_SECONDS);
  return { token: await sign(jwt), expiresIn: ACCESS_TOKEN_SECONDS };
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
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(exp);
  return { token: await sign(jwt), expiresAt: new Date(exp * 1000).toISOString() };
}

export async function verifyAccessToken(token: string): Promise<AccessClaims | undefined> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return undefined; // not a JWS at all (whatever jose throws on garbage)
  }
  const { kid, alg } = header;
  if (alg !== SIGNING_ALG || typeof kid !== 'string' || kid.length > 64) return undefined;
  try {
    // Only a key of the set, by the token's kid (an unknown kid reads the set again, once).
    const [set] = await Promise.all([keySetWith(kid), warmedUp()]);
    const entry = set.keys.find((k) => k.kid === kid);
    if (!entry) return undefined;
    const { payload } = await jwtVerify(token, await importedKey(entry, 'verify'), {
      issuer: ISSUER,
      algorithms: [SIGNING_ALG],
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

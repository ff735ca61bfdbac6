import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { JWK } from 'jose';
import { tracer } from './tracer.ts';

/**
 * The signing key set (docs/architecture.md "Signing keys"): one Secrets Manager secret, encrypted
 * with the application's customer managed KMS key, never an item of the table. Its JSON:
 *
 *   { "keys": [{ kid, privateJwk, publicJwk, createdAt, status: "current" | "previous" }], "derivationSecret": base64 }
 *
 * ES256 (P-256) keys: the `current` one signs; `current` and `previous` verify (the previous key's
 * tokens live at most 15 minutes after a rotation, and rotations are 30 days apart). The
 * rotation function (functions/keys/rotate.ts) writes it; everything else only reads it, here.
 * `derivationSecret` (32 random bytes) is what the list cursors' key is derived from
 * (platform/cursors.ts); a rotation carries it over unchanged.
 *
 * The secret is read once per process and kept `SIGNING_KEYS_MAX_AGE_SECONDS` (default 300) on the
 * real clock; a token naming a key this copy does not know forces one fresh read (coalesced, at
 * most one every REFETCH_MIN_MS), so a rotation is picked up at once by the verifiers.
 * The SDK client is made on first use and finds the local emulator through
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` (local/secrets.ts), like every other client of platform/clients.ts.
 */
export interface KeyEntry {
  kid: string;
  privateJwk: JsonWebKeyLike;
  publicJwk: JsonWebKeyLike;
  createdAt: string;
  status: 'current' | 'previous';
}

/** A JWK as the key set stores it (EC P-256). */
export type JsonWebKeyLike = JWK;

export interface KeySet {
  keys: KeyEntry[];
  derivationSecret: string;
}

export const SIGNING_ALG = 'ES256';
/** How long the key set is kept before it is read again, unless a token asks for more. */
const maxAgeMs = (): number => Number(process.env.SIGNING_KEYS_MAX_AGE_SECONDS ?? '300') * 1000;
/** A token with an unknown kid refetches at most this often: forged kids cannot flood Secrets Manager. */
export const REFETCH_MIN_MS = 5_000;

let client: SecretsManagerClient | undefined;
const secretsClient = (): SecretsManagerClient => (client ??= tracer.captureAWSv3Client(new SecretsManagerClient({ maxAttempts: 5 })));

interface Cached {
  set: Promise<KeySet>;
  at: number;
}
let cached: Cached | undefined;

function secretId(): string {
  const id = process.env.SIGNING_KEYS_SECRET_ID;
  if (!id) throw new Error('SIGNING_KEYS_SECRET_ID is not set: this function has no access to the signing key set');
  return id;
}

/** Parses and checks a key set; throws on anything else (a secret not yet rotated holds a random string). */
export function parseKeySet(text: string | undefined): KeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    throw new Error('The signing key secret holds no key set (not rotated yet?)');
  }
  const set = parsed as Partial<KeySet>;
  if (!set || !Array.isArray(set.keys) || typeof set.derivationSecret !== 'string') throw new Error('The signing key secret holds no key set (not rotated yet?)');
  if (set.keys.filter((k) => k.status === 'current').length !== 1) throw new Error('The signing key set must have exactly one current key');
  return { keys: set.keys, derivationSecret: set.derivationSecret };
}

async function fetchKeySet(): Promise<KeySet> {
  const answer = await secretsClient().send(new GetSecretValueCommand({ SecretId: secretId() }));
  return parseKeySet(answer.SecretString);
}

function refresh(): Promise<KeySet> {
  const set = fetchKeySet();
  const entry: Cached = { set, at: Date.now() };
  cached = entry;
  // A failed read is not kept: the next caller tries again.
  set.catch(() => {
    if (cached === entry) cached = undefined;
  });
  return set;
}

/** The key set, from this process's copy while it is fresh. */
export function keySet(): Promise<KeySet> {
  if (cached && Date.now() - cached.at < maxAgeMs()) return cached.set;
  return refresh();
}

/**
 * The key set that knows `kid`, if any: the cached copy, or (when it does not know it and the last
 * read is older than REFETCH_MIN_MS) one fresh read shared by every caller waiting for it.
 */
export async function keySetWith(kid: string): Promise<KeySet> {
  const set = await keySet();
  if (set.keys.some((k) => k.kid === kid)) return set;
  if (cached && Date.now() - cached.at < REFETCH_MIN_MS) return cached.set;
  return refresh();
}

/** Forgets this process's copy: the next use reads the secret again (tests; the local rotation). */
export function forgetKeySet(): void {
  cached = undefined;
}

/** The public keys that verify tokens (current first), as a JWKS document lists them. */
export function publicJwks(set: KeySet): { keys: Array<JsonWebKeyLike & { kid: string; alg: string; use: 'sig' }> } {
  const ordered = [...set.keys].sort((a, b) => (a.status === b.status ? 0 : a.status === 'current' ? -1 : 1));
  return {
    keys: ordered.map((k) => {
      const { kty, crv, x, y } = k.publicJwk;
      return { kty, crv, x, y, kid: k.kid, alg: SIGNING_ALG, use: 'sig' as const };
    }),
  };
}

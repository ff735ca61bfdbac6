/**
 * The rules of API clients (docs/api.md "API clients"), without I/O: which secrets still work, what
 * a rotation keeps, which scopes a token request is granted, and when the last use is worth a write.
 */

/** A stored secret: its hash, never the secret. `expiresAt` (epoch ms) only on a replaced one. */
export interface StoredSecret {
  id: string;
  hash: string;
  last4: string;
  createdAt: string;
  expiresAt?: number;
}

export const MAX_OVERLAP_HOURS = 168;
export const DEFAULT_OVERLAP_HOURS = 24;
/** The last use is written at most this often (a token request within it writes nothing). */
export const LAST_USED_GRANULARITY_MS = 60_000;

/** The secrets that still work at `nowMs`: the current one, and a replaced one until its end. */
export function liveSecrets<S extends StoredSecret>(secrets: readonly S[], nowMs: number): S[] {
  return secrets.filter((s) => s.expiresAt === undefined || s.expiresAt > nowMs);
}

/**
 * The secrets after a rotation: the new one current, the one it replaces working `overlapHours`
 * longer (0: not at all). At most two are ever live: a secret still in the overlap of an earlier
 * rotation stops now, and expired ones are dropped.
 */
export function rotatedSecrets<S extends StoredSecret>(secrets: readonly S[], fresh: S, overlapHours: number, nowMs: number): S[] {
  const current = liveSecrets(secrets, nowMs).filter((s) => s.expiresAt === undefined);
  const kept = overlapHours > 0 ? current.map((s) => ({ ...s, expiresAt: nowMs + overlapHours * 3_600_000 })) : [];
  return [...kept, fresh];
}

/**
 * The scopes a token request is granted: all of the client's when it names none, else the ones it
 * names (space-separated, RFC 6749 §3.3), each of which the client must hold; undefined when one
 * is not the client's (400 `invalid_scope`).
 */
export function grantedScopes(requested: string | undefined, held: readonly string[]): string[] | undefined {
  const asked = (requested ?? '').split(' ').filter(Boolean);
  if (!asked.length) return [...held];
  if (asked.some((s) => !held.includes(s))) return undefined;
  return [...new Set(asked)];
}

/** Is the last use old enough (or absent) to be written again? */
export function lastUseDue(lastUsedAt: string | undefined, nowMs: number): boolean {
  return !lastUsedAt || nowMs - Date.parse(lastUsedAt) >= LAST_USED_GRANULARITY_MS || Date.parse(lastUsedAt) > nowMs;
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { clock } from './clock.ts';
import { hashToken } from './tokens.ts';

/**
 * Activation links (docs/product.md#portal-users): `${PORTAL_URL}/activate?token=<userId>.<secret>`, single use, valid
 * 48 hours. Only the secret's hash is kept, on the user; a new link replaces the old one.
 * Login-change links (`${PORTAL_URL}/confirm-login?token=`, 24 hours) are made the same way, with
 * their hash and expiry in attributes of their own on the user.
 */
export const ACTIVATION_HOURS = 48;
export const LOGIN_CHANGE_HOURS = 24;

export interface Activation {
  token: string;
  hash: string;
  expiresAt: number;
}

/** A link naming its user: `<userId>.<secret>`, valid `hours`; only `hash` is stored. */
export function newUserLink(userId: string, hours: number): Activation {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${userId}.${secret}`, hash: hashToken(secret), expiresAt: clock.nowSeconds() + hours * 3600 };
}

export function newActivation(userId: string): Activation {
  return newUserLink(userId, ACTIVATION_HOURS);
}

export function parseActivationToken(token: string): { userId: string; secret: string } | undefined {
  const m = /^(usr_[0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { userId: m[1]!, secret: m[2]! } : undefined;
}

export function activationMatches(secret: string, storedHash: string | undefined, expiresAt: number | undefined): boolean {
  if (!storedHash || !expiresAt || expiresAt < clock.nowSeconds()) return false;
  const a = Buffer.from(hashToken(secret));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

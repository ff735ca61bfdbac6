import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * List cursors are opaque (docs/product.md#api-conventions): the database's own cursor (a key of the last item read,
 * which may belong to something the caller must not see) is sealed with AES-256-GCM under a key
 * derived (HKDF-SHA256) from the derivation secret of the signing key set (platform/keys.ts), with where it was issued (route and caller) as
 * additional data. A cursor shows nothing, cannot be forged or edited, and opens only on the route
 * and for the user it was issued to. Layout: base64url(iv 12 bytes | ciphertext | tag 16 bytes).
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function cursorKeyFrom(secret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'clp list cursor v1', 32));
}

export function sealCursor(key: Uint8Array, plain: string, binding: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The plain cursor, or undefined for anything this key did not seal with this binding. */
export function openCursor(key: Uint8Array, sealed: string, binding: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(sealed)) return undefined;
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { importJWK, type SignJWT } from 'jose';
import { newKeyEntry, rotatedKeySet } from '#platform/key-rotation.ts';
import { forgetKeySet, type KeyEntry, type KeySet } from '#platform/keys.ts';

/**
 * Unit tests' signing key set: what the Secrets Manager secret holds (platform/keys.ts), served by a
 * mocked Secrets Manager client, and a way to sign a token with any key, in the set or not.
 */
export const SIGNING_KEYS_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:test-signing-keys-AbCdEf';
process.env.SIGNING_KEYS_SECRET_ID = SIGNING_KEYS_SECRET_ARN;

export const secretsManager = mockClient(SecretsManagerClient);

/** A key set of one current key (the first rotation's). */
export async function makeKeySet(): Promise<KeySet> {
  return rotatedKeySet(undefined, await newKeyEntry('2027-01-01T00:00:00.000Z'));
}

/** The mocked secret holds `set` (or any string) from now on, and this process forgets its copy. */
export function serveKeySet(set: KeySet | string): void {
  secretsManager.reset();
  secretsManager.on(GetSecretValueCommand).resolves({ SecretString: typeof set === 'string' ? set : JSON.stringify(set) });
  forgetKeySet();
}

export const secretReads = (): number => secretsManager.commandCalls(GetSecretValueCommand).length;

/** Signs `jwt` ES256 with `key`'s private half, its kid in the header (or `kid`). */
export async function signWith(jwt: SignJWT, key: KeyEntry, kid = key.kid): Promise<string> {
  return jwt.setProtectedHeader({ alg: 'ES256', kid }).sign(await importJWK(key.privateJwk, 'ES256'));
}

export const currentKey = (set: KeySet): KeyEntry => set.keys.find((k) => k.status === 'current')!;

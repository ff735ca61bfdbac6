import { randomBytes } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { ulid } from 'ulid';
import { parseKeySet, SIGNING_ALG, type KeyEntry, type KeySet } from './keys.ts';

/**
 * Rotation of the signing key set (docs/operations.md "Key rotation"), the four steps of a Secrets
 * Manager rotation function:
 * - `createSecret`: the new version, staged AWSPENDING under the rotation's token: a new ES256 key
 *   `current`, the one that was current `previous`, the previous one dropped, `derivationSecret` kept
 *   (a fresh one only when there was no key set yet: the first rotation, at creation);
 * - `setSecret`: nothing (no other system holds the keys);
 * - `testSecret`: the pending set parses and its current key signs a token its public key verifies;
 * - `finishSecret`: AWSCURRENT moves to the new version (AWSPREVIOUS to the old one, by Secrets Manager).
 * Each step can run again (Secrets Manager retries a failed one): createSecret does nothing when
 * the pending version exists, finishSecret nothing when it is already current.
 */
export type RotationStep = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';

export interface RotationEvent {
  Step: RotationStep;
  SecretId: string;
  ClientRequestToken: string;
  RotationToken?: string;
}

/** A new P-256 key pair as a key set entry. */
export async function newKeyEntry(createdAt: string): Promise<KeyEntry> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = ulid().toLowerCase();
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid },
    publicJwk: { ...(await exportJWK(publicKey)), kid },
    createdAt,
    status: 'current',
  };
}

/** The set after a rotation: the new key current, the old current previous, older keys gone; the derivation secret kept. */
export function rotatedKeySet(before: KeySet | undefined, fresh: KeyEntry): KeySet {
  const previous = before?.keys.find((k) => k.status === 'current');
  return {
    keys: [{ ...fresh, status: 'current' }, ...(previous ? [{ ...previous, status: 'previous' as const }] : [])],
    derivationSecret: before?.derivationSecret ?? randomBytes(32).toString('base64'),
  };
}

/** The key set of the current version, or undefined when the secret holds none yet (its first value). */
function keySetOrNone(text: string | undefined): KeySet | undefined {
  try {
    return parseKeySet(text);
  } catch {
    return undefined;
  }
}

const isNotFound = (err: unknown): boolean => (err as { name?: string })?.name === 'ResourceNotFoundException';

export async function rotationStep(client: SecretsManagerClient, event: RotationEvent, now: () => string): Promise<void> {
  const { SecretId, ClientRequestToken: token, Step } = event;
  const described = await client.send(new DescribeSecretCommand({ SecretId }));
  const stages = described.VersionIdsToStages ?? {};
  if (!(token in stages)) throw new Error(`Version ${token} of the signing key secret is not staged for rotation`);
  const currentVersion = Object.keys(stages).find((v) => stages[v]?.includes('AWSCURRENT'));

  switch (Step) {
    case 'createSecret': {
      try {
        await client.send(new GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }));
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const current = currentVersion ? await client.send(new GetSecretValueCommand({ SecretId, VersionStage: 'AWSCURRENT' })) : undefined;
      const next = rotatedKeySet(keySetOrNone(current?.SecretString), await newKeyEntry(now()));
      await client.send(new PutSecretValueCommand({ SecretId, ClientRequestToken: token, SecretString: JSON.stringify(next), VersionStages: ['AWSPENDING'] }));
      return;
    }
    case 'setSecret':
      return;
    case 'testSecret': {
      const pending = await client.send(new GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }));
      const set = parseKeySet(pending.SecretString);
      for (const key of set.keys) {
        const jwt = await new SignJWT({ test: true })
          .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid })
          .sign(await importJWK(key.privateJwk, SIGNING_ALG));
        await jwtVerify(jwt, await importJWK(key.publicJwk, SIGNING_ALG), { algorithms: [SIGNING_ALG] });
      }
      if (Buffer.from(set.derivationSecret, 'base64').length < 32) throw new Error('The derivation secret is shorter than 32 bytes');
      return;
    }
    case 'finishSecret': {
      if (currentVersion === token) return;
      await client.send(
        new UpdateSecretVersionStageCommand({ SecretId, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: currentVersion }),
      );
      return;
    }
    default:
      throw new Error(`Unknown rotation step ${String(Step)}`);
  }
}

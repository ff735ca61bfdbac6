import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startLocalSecrets, type LocalSecrets } from '../../local/secrets.ts';

process.env.AWS_REGION ??= 'eu-west-1';
const { rotationStep } = await import('#platform/key-rotation.ts');
const { parseKeySet } = await import('#platform/keys.ts');

/**
 * The rotation function's four steps (platform/key-rotation.ts) against the local Secrets Manager
 * (local/secrets.ts), which speaks the protocol the SDK speaks: the first rotation turns the
 * secret's random first value into a key set; each later one adds a current key, keeps the last as
 * previous and drops the one before; a step run again changes nothing; the stages move as in AWS.
 */
let dir: string;
let secrets: LocalSecrets;
let sm: SecretsManagerClient;
let arn: string;
const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clp-secrets-'));
  secrets = await startLocalSecrets({
    file: join(dir, 'secrets.json'),
    host: '127.0.0.1',
    region: 'eu-west-1',
    rotate: async (SecretId, ClientRequestToken) => {
      // Each step twice: Secrets Manager retries a step that failed, and a step must survive that.
      for (const Step of STEPS) for (let i = 0; i < 2; i++) await rotationStep(sm, { Step, SecretId, ClientRequestToken }, () => '2027-01-01T00:00:00.000Z');
    },
  });
  sm = new SecretsManagerClient({ endpoint: secrets.url, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  arn = secrets.ensure('keys', 'test');
});

afterAll(async () => {
  sm.destroy();
  await secrets.close();
  rmSync(dir, { recursive: true, force: true });
});

const current = async () => parseKeySet((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString);

it('makes the first key set out of the random first value, then rotates with one previous key', async () => {
  expect(() => parseKeySet(secrets.current('keys'))).toThrow(/no key set/);
  await secrets.rotate('keys');
  const first = await current();
  expect(first.keys.map((k) => k.status)).toEqual(['current']);
  expect(first.keys[0]!.privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', d: expect.any(String) });

  await secrets.rotate('keys');
  const second = await current();
  expect(second.keys.map((k) => [k.kid, k.status])).toEqual([
    [expect.any(String), 'current'],
    [first.keys[0]!.kid, 'previous'],
  ]);
  expect(second.keys[0]!.kid).not.toBe(first.keys[0]!.kid);
  expect(second.derivationSecret).toBe(first.derivationSecret);

  await secrets.rotate('keys');
  const third = await current();
  expect(third.keys.map((k) => k.kid)).toEqual([expect.any(String), second.keys[0]!.kid]);
  expect(third.keys.map((k) => k.kid)).not.toContain(first.keys[0]!.kid);

  // AWSCURRENT on the newest version, AWSPREVIOUS on the one before, no AWSPENDING left.
  const stages = Object.values((await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages ?? {});
  expect(stages.map((s) => [...s].sort())).toEqual(expect.arrayContaining([['AWSCURRENT'], ['AWSPREVIOUS']]));
  expect(stages.flat()).not.toContain('AWSPENDING');
});

it('refuses a token that is not staged for rotation, and leaves the secret as it was', async () => {
  const before = await current();
  await expect(rotationStep(sm, { Step: 'createSecret', SecretId: arn, ClientRequestToken: 'not-staged' }, () => 'x')).rejects.toThrow(/not staged/);
  expect(await current()).toEqual(before);
});

import { jest } from '@jest/globals';
import { decodeProtectedHeader, SignJWT } from 'jose';

process.env.AWS_REGION ??= 'eu-west-1';

const { currentKey, makeKeySet, secretReads, serveKeySet, signWith, secretsManager } = await import('./signing-keys-fixture.ts');
const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
const { newKeyEntry, rotatedKeySet } = await import('#platform/key-rotation.ts');
const { keySet, publicJwks, REFETCH_MIN_MS } = await import('#platform/keys.ts');
const { derivationSecret, issueAccessToken, issueClientToken, verifyAccessToken } = await import('#platform/tokens.ts');
const { setClock } = await import('#platform/clock.ts');

/**
 * The signing key set (platform/keys.ts, docs/architecture.md "Signing keys"): ES256 tokens signed
 * by the current key, verified by current or previous; a rotation keeps the previous key's tokens
 * good and a second rotation drops them; an unknown kid reads the secret again, once.
 */
const NOW = new Date('2027-01-10T10:00:00.000Z');
const USER = 'usr_01J0000000000000000000CUSR';
const rotate = async (set: Awaited<ReturnType<typeof makeKeySet>>) => rotatedKeySet(set, await newKeyEntry(NOW.toISOString()));

beforeEach(() => setClock(NOW));
afterAll(() => setClock());

describe('signing and verifying', () => {
  it('signs ES256 with the current key, its kid in the header, and verifies it', async () => {
    const keys = await makeKeySet();
    serveKeySet(keys);
    const { token } = await issueAccessToken(USER, undefined, { sessionId: 'ses_1' });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: currentKey(keys).kid, typ: 'JWT' });
    expect(await verifyAccessToken(token)).toMatchObject({ sub: USER, sid: 'ses_1' });
    const client = await issueClientToken('cli_01J0000000000000000000CLNT', ['orders:read']);
    expect(await verifyAccessToken(client.token)).toMatchObject({ client: { scopes: ['orders:read'] } });
    expect(secretReads()).toBe(1);
  });

  it('refuses a token whose signature is not the key of its kid, and one signed HS256', async () => {
    const keys = await makeKeySet();
    serveKeySet(keys);
    const other = await newKeyEntry(NOW.toISOString());
    const claims = () => new SignJWT({}).setSubject(USER).setIssuer('cloud-license-portal').setIssuedAt(NOW.getTime() / 1000).setExpirationTime(NOW.getTime() / 1000 + 900);
    expect(await verifyAccessToken(await signWith(claims(), currentKey(keys)))).toMatchObject({ sub: USER });
    expect(await verifyAccessToken(await signWith(claims(), other, currentKey(keys).kid))).toBeUndefined();
    const hs = await claims().setProtectedHeader({ alg: 'HS256', kid: currentKey(keys).kid }).sign(Buffer.from(keys.derivationSecret, 'base64'));
    expect(await verifyAccessToken(hs)).toBeUndefined();
  });
});

describe('rotation with overlap', () => {
  it('a token of the previous key still verifies; once that key is dropped, it does not', async () => {
    const first = await makeKeySet();
    serveKeySet(first);
    const old = (await issueAccessToken(USER)).token;

    const second = await rotate(first);
    expect(second.keys.map((k) => [k.kid, k.status])).toEqual([
      [currentKey(second).kid, 'current'],
      [currentKey(first).kid, 'previous'],
    ]);
    serveKeySet(second);
    expect(await verifyAccessToken(old)).toMatchObject({ sub: USER });
    const fresh = (await issueAccessToken(USER)).token;
    expect(decodeProtectedHeader(fresh).kid).toBe(currentKey(second).kid);

    const third = await rotate(second);
    expect(third.keys).toHaveLength(2);
    serveKeySet(third);
    expect(await verifyAccessToken(old)).toBeUndefined();
    expect(await verifyAccessToken(fresh)).toMatchObject({ sub: USER });
  });

  it('keeps the derivation secret (the cursors stay good) and publishes only public keys, current first', async () => {
    const first = await makeKeySet();
    const second = await rotate(first);
    expect(second.derivationSecret).toBe(first.derivationSecret);
    expect(Buffer.from(first.derivationSecret, 'base64')).toHaveLength(32);
    serveKeySet(second);
    expect(Buffer.from(await derivationSecret()).toString('base64')).toBe(first.derivationSecret);
    const jwks = publicJwks(second);
    expect(jwks.keys.map((k) => k.kid)).toEqual([currentKey(second).kid, currentKey(first).kid]);
    for (const k of jwks.keys) {
      expect(k).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: k.kid, alg: 'ES256', use: 'sig' });
      expect(JSON.stringify(k)).not.toContain('"d"');
    }
  });
});

describe('reading the secret', () => {
  it('a verifier that cached the set before a rotation reads it again once for a token of the new key', async () => {
    const first = await makeKeySet();
    serveKeySet(first);
    await keySet();
    expect(secretReads()).toBe(1);
    // The rotation happens elsewhere: the secret changes, this process still holds the old copy.
    const second = await rotate(first);
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(second) });
    const now = Date.now();
    const clockSpy = jest.spyOn(Date, 'now').mockReturnValue(now + REFETCH_MIN_MS + 1);
    try {
      const token = await signWith(
        new SignJWT({}).setSubject(USER).setIssuer('cloud-license-portal').setIssuedAt(NOW.getTime() / 1000).setExpirationTime(NOW.getTime() / 1000 + 900),
        currentKey(second),
      );
      expect(await verifyAccessToken(token)).toMatchObject({ sub: USER });
      expect(secretReads()).toBe(2);
      // Right after, unknown kids (forged) read nothing more: at most one read every REFETCH_MIN_MS.
      const stranger = await newKeyEntry(NOW.toISOString());
      for (let i = 0; i < 5; i++) {
        expect(await verifyAccessToken(await signWith(new SignJWT({}).setSubject(USER).setIssuer('cloud-license-portal').setIssuedAt(NOW.getTime() / 1000).setExpirationTime(NOW.getTime() / 1000 + 900), stranger))).toBeUndefined();
      }
      expect(secretReads()).toBe(2);
    } finally {
      clockSpy.mockRestore();
    }
  });

  it('concurrent first requests share one read', async () => {
    serveKeySet(await makeKeySet());
    const tokens = await Promise.all(Array.from({ length: 3 }, () => issueAccessToken(USER)));
    serveKeySet(JSON.parse(JSON.stringify(await keySet())) as Awaited<ReturnType<typeof keySet>>);
    await Promise.all(tokens.map((t) => verifyAccessToken(t.token)));
    expect(secretReads()).toBe(1);
  });

  it('a secret that holds no key set yet is an error, never a token accepted or signed', async () => {
    serveKeySet('first random value');
    await expect(issueAccessToken(USER)).rejects.toThrow(/no key set/);
    serveKeySet(JSON.stringify({ keys: [], derivationSecret: 'x' }));
    await expect(keySet()).rejects.toThrow(/exactly one current key/);
  });
});

describe('who may read the key set', () => {
  it('SIGNING_KEY_READERS (the functions granted the secret) are exactly those whose bundle reaches platform/keys.ts', async () => {
    const { build } = await import('esbuild');
    const { FUNCTIONS, SIGNING_KEY_READERS } = await import('../../functions/registry.ts');
    const reaching: string[] = [];
    for (const [name, spec] of Object.entries(FUNCTIONS)) {
      if (name === 'keyRotation') continue; // writes the secret: its own grants (infra/constructs/signing-keys.ts)
      const result = await build({
        entryPoints: [spec.entry],
        bundle: true,
        platform: 'node',
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
        external: ['@aws-sdk/*', '@smithy/*'],
      });
      if (Object.keys(result.metafile.inputs).includes('functions/platform/keys.ts')) reaching.push(name);
    }
    expect(reaching.sort()).toEqual([...SIGNING_KEY_READERS].sort());
  }, 120_000);
});

import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { client } from './api.ts';
import { startStack, type RunningStack } from './stack.ts';
import { makeCustomerBody } from '../factories/index.ts';

/**
 * The signing keys through HTTP (docs/api.md "Verifying tokens", docs/operations.md "Key rotation"),
 * on a stack of its own: its rotations would drop the key other files' tokens were signed with.
 * The JWKS verifies a real login's token (and a client's) with jose; after a rotation the old
 * token still works and new ones carry the new kid; after a second rotation the first key is
 * dropped and its tokens are refused; the list cursors and refresh tokens outlive both; and a
 * restart keeps the keys (the local Secrets Manager keeps them in the data dir).
 */
describe('signing keys: JWKS and rotation', () => {
  let stack: RunningStack;
  let call: ReturnType<typeof client>['call'];

  const signIn = async () => {
    const r = await call('POST', '/v1/auth/login', { body: { login: stack.adminLogin, password: stack.adminPassword } });
    if (r.status !== 200) throw new Error(`login: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { accessToken: string; refreshToken: string };
  };
  const jwks = async () => {
    const r = await call('GET', '/v1/auth/jwks.json');
    expect(r.status).toBe(200);
    return r.body as JSONWebKeySet & { keys: Array<{ kid: string; d?: string }> };
  };
  const verifyWith = async (set: JSONWebKeySet, token: string) =>
    (await jwtVerify(token, createLocalJWKSet(set), { issuer: 'cloud-license-portal', algorithms: ['ES256'] })).payload;
  const me = async (token: string) => (await call('GET', '/v1/me', { token })).status;
  const rotate = async () => {
    const r = await call('POST', '/_local/keys/rotate');
    expect(r.status).toBe(200);
    return r.body as JSONWebKeySet & { keys: Array<{ kid: string }> };
  };

  beforeAll(async () => {
    stack = await startStack({ LOCAL_SEED_DEMO: 'false' });
    call = client(stack.baseUrl).call;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('publishes the public key that verifies a login\'s token and a client\'s token, and nothing private', async () => {
    const first = await jwks();
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' });
    expect(JSON.stringify(first)).not.toMatch(/"d"/);
    const cached = await call('GET', '/v1/auth/jwks.json');
    expect(cached.headers.get('cache-control')).toBe('public, max-age=300');

    const { accessToken } = await signIn();
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'ES256', kid: first.keys[0]!.kid });
    const payload = await verifyWith(first, accessToken);
    const profile = await call('GET', '/v1/me', { token: accessToken });
    expect(payload.sub).toBe(profile.body.id);

    const created = await call('POST', `/v1/accounts/${profile.body.accountId}/api-clients`, { token: accessToken, body: { name: 'jwks-check', scopes: ['orders:read'] } });
    expect(created.status).toBe(201);
    const issued = await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: created.body.id, client_secret: created.body.clientSecret } });
    expect(issued.status).toBe(200);
    expect(await verifyWith(first, issued.body.access_token)).toMatchObject({ sub: created.body.id, typ: 'client', scope: 'orders:read' });

    // A token signed with a key the set does not hold is refused.
    const [h, p] = accessToken.split('.');
    const forged = `${h}.${p}.${Buffer.alloc(64, 1).toString('base64url')}`;
    expect(await me(forged)).toBe(401);
  });

  it('rotates with overlap: old tokens keep working, new ones carry the new kid; a second rotation drops the first key', async () => {
    const [before] = (await jwks()).keys;
    const old = await signIn();
    // A list cursor issued before the rotations (its key is derived from the key set's derivation secret).
    for (let i = 0; i < 2; i++) expect((await call('POST', '/v1/accounts', { token: old.accessToken, body: makeCustomerBody() })).status).toBe(201);
    const page = await call('GET', '/v1/accounts?limit=1', { token: old.accessToken });
    expect(page.status).toBe(200);
    expect(page.body.nextCursor ?? page.body.cursor).toEqual(expect.any(String));
    const cursor = String(page.body.nextCursor ?? page.body.cursor);

    const afterFirst = await rotate();
    expect(afterFirst.keys.map((k) => k.kid)).toEqual([expect.any(String), before!.kid]);
    const second = afterFirst.keys[0]!.kid;
    expect(second).not.toBe(before!.kid);
    expect(await me(old.accessToken)).toBe(200);
    await verifyWith(afterFirst, old.accessToken);

    const fresh = await signIn();
    expect(decodeProtectedHeader(fresh.accessToken).kid).toBe(second);
    expect(await me(fresh.accessToken)).toBe(200);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([second, before!.kid]);

    const afterSecond = await rotate();
    expect(afterSecond.keys.map((k) => k.kid)).toEqual([expect.any(String), second]);
    expect(await me(old.accessToken)).toBe(401);
    await expect(verifyWith(afterSecond, old.accessToken)).rejects.toThrow();
    expect(await me(fresh.accessToken)).toBe(200);

    // Refresh tokens are not signed: the first login's still trades for a token of the newest key.
    const refreshed = await call('POST', '/v1/auth/refresh', { body: { refreshToken: old.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(decodeProtectedHeader(refreshed.body.accessToken).kid).toBe(afterSecond.keys[0]!.kid);
    // The derivation secret is not rotated: the cursor still opens.
    const next = await call('GET', `/v1/accounts?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: fresh.accessToken });
    expect(next.status).toBe(200);
  });

  it('keeps the keys across a restart: a token issued before still works', async () => {
    const keys = (await jwks()).keys.map((k) => k.kid);
    const { accessToken } = await signIn();
    await stack.restart();
    expect((await jwks()).keys.map((k) => k.kid)).toEqual(keys);
    expect(await me(accessToken)).toBe(200);
  }, 180_000);
});

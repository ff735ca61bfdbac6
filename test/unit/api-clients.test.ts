import { jest } from '@jest/globals';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { SignJWT } from 'jose';

process.env.TABLE_NAME = 'api-clients-test';
process.env.AWS_REGION ??= 'eu-west-1';

const { currentKey, makeKeySet, serveKeySet, signWith } = await import('./signing-keys-fixture.ts');
const { handler, forgetTrusted, TRUST_TTL_MS } = await import('#http/authorizer.ts');
const { issueAccessToken, issueClientToken, verifyAccessToken, hashToken } = await import('#platform/tokens.ts');
const { setClock } = await import('#platform/clock.ts');
const { db } = await import('#data/entities.ts');
const { logger } = await import('#platform/logger.ts');
const { callerFromContext, clientMayUse, SCOPE_NAMES } = await import('#platform/caller.ts');
const { ROUTE_SCOPES, SCOPES } = await import('#http/scopes.ts');
const { ROUTES, routeKey } = await import('../../functions/registry.ts');
const { liveSecrets, rotatedSecrets, grantedScopes, lastUseDue } = await import('#domain/api-clients.ts');
const { makeApiClientService, InvalidClient } = await import('#services/api-clients.ts');
const { formFields } = await import('#platform/middleware.ts');
const { basicCredentials } = await import('#http/auth/handler.ts');

jest.spyOn(logger, 'info').mockImplementation(() => undefined);

const ddb = mockClient(DynamoDBDocumentClient);
const KEYS = await makeKeySet();
const NOW = new Date('2027-01-10T10:00:00.000Z');
const NOW_MS = NOW.getTime();
const ROOT = 'acc_01J00000000000000000000ROOT';
const CUSTOMER = 'acc_01J00000000000000000000CUST';
const CLIENT_ID = 'cli_01J0000000000000000000CKNT';

describe('the rules of secrets and scopes (domain/api-clients.ts)', () => {
  const s = (id: string, expiresAt?: number) => ({ id, hash: `h-${id}`, last4: id.slice(-4), createdAt: NOW.toISOString(), ...(expiresAt === undefined ? {} : { expiresAt }) });

  it('keeps the current secret and a replaced one until its end, not after', () => {
    const secrets = [s('old', NOW_MS + 1000), s('cur')];
    expect(liveSecrets(secrets, NOW_MS).map((x) => x.id)).toEqual(['old', 'cur']);
    expect(liveSecrets(secrets, NOW_MS + 1000).map((x) => x.id)).toEqual(['cur']);
  });

  it('rotates: the current one works overlapHours longer, an earlier replaced one stops now, at most two live', () => {
    const rotated = rotatedSecrets([s('older', NOW_MS + 5000), s('cur')], s('new'), 24, NOW_MS);
    expect(rotated).toEqual([s('cur', NOW_MS + 24 * 3600_000), s('new')]);
    expect(rotatedSecrets([s('cur')], s('new'), 0, NOW_MS)).toEqual([s('new')]);
    expect(rotatedSecrets([s('gone', NOW_MS - 1), s('cur')], s('new'), 1, NOW_MS).map((x) => x.id)).toEqual(['cur', 'new']);
  });

  it('grants all held scopes when none are asked, a subset when asked, nothing beyond', () => {
    expect(grantedScopes(undefined, ['orders:read', 'orders:write'])).toEqual(['orders:read', 'orders:write']);
    expect(grantedScopes('  orders:read  orders:read ', ['orders:read', 'orders:write'])).toEqual(['orders:read']);
    expect(grantedScopes('orders:read accounts:write', ['orders:read'])).toBeUndefined();
  });

  it('writes the last use at most once a minute (and again after the clock went back)', () => {
    expect(lastUseDue(undefined, NOW_MS)).toBe(true);
    expect(lastUseDue(new Date(NOW_MS - 59_999).toISOString(), NOW_MS)).toBe(false);
    expect(lastUseDue(new Date(NOW_MS - 60_000).toISOString(), NOW_MS)).toBe(true);
    expect(lastUseDue(new Date(NOW_MS + 5000).toISOString(), NOW_MS)).toBe(true);
  });
});

describe('the scope check (platform/caller.ts, http/scopes.ts)', () => {
  const base = { userId: CLIENT_ID, accountId: CUSTOMER, accountType: 'customer' as const, role: 'admin' as const, accountPath: [ROOT, CUSTOMER], rootId: ROOT };

  it('lets people through, and a client only with the route\'s scope; a null scope is closed to clients', () => {
    expect(clientMayUse({ ...base, userId: 'usr_1' }, null)).toBe(true);
    const client = { ...base, clientId: CLIENT_ID, scopes: ['orders:read' as const] };
    expect(clientMayUse(client, 'orders:read')).toBe(true);
    expect(clientMayUse(client, 'orders:write')).toBe(false);
    expect(clientMayUse(client, null)).toBe(false);
    expect(clientMayUse({ ...client, scopes: [...SCOPE_NAMES] }, null)).toBe(false);
  });

  it('reads a client from the authorizer context, and takes a cli_ id for a client even without the flag', () => {
    const ctx = { authenticated: true, userId: CLIENT_ID, accountId: CUSTOMER, accountType: 'customer', role: 'admin', accountPath: `${ROOT},${CUSTOMER}`, rootId: ROOT };
    expect(callerFromContext({ ...ctx, clientId: CLIENT_ID, scopes: 'orders:read,bogus,accounts:write' })).toMatchObject({ clientId: CLIENT_ID, scopes: ['orders:read', 'accounts:write'] });
    expect(callerFromContext(ctx)).toMatchObject({ clientId: CLIENT_ID, scopes: [] });
    expect(callerFromContext({ ...ctx, userId: 'usr_1' })?.clientId).toBeUndefined();
  });

  it('names a scope (or null) for every route, each scope described', () => {
    expect(Object.keys(ROUTE_SCOPES).sort()).toEqual(ROUTES.map(routeKey).sort());
    for (const r of ROUTES.filter((x) => !x.auth)) expect(ROUTE_SCOPES[routeKey(r) as keyof typeof ROUTE_SCOPES]).toBeNull();
    for (const key of Object.keys(ROUTE_SCOPES).filter((k) => /api-clients|\/v1\/me|\/v1\/cart|impersonate|logout/.test(k))) {
      expect([key, ROUTE_SCOPES[key as keyof typeof ROUTE_SCOPES]]).toEqual([key, null]);
    }
    expect(Object.keys(SCOPES).sort()).toEqual([...SCOPE_NAMES].sort());
    // A GET never needs a write scope.
    for (const r of ROUTES.filter((x) => x.method === 'GET')) expect(String(ROUTE_SCOPES[routeKey(r) as keyof typeof ROUTE_SCOPES])).not.toMatch(/:write$|:operate$/);
  });
});

/** The items as the table holds them, learnt from the entities themselves. */
const clientKey = (id: string) => db().entities.apiClient.get({ id }).params().Key as Record<string, string>;
function storeClient(over: { status?: 'active' | 'revoked'; scopes?: string[] } = {}) {
  const item = db()
    .entities.apiClient.put({
      id: CLIENT_ID,
      accountId: CUSTOMER,
      accountType: 'customer',
      accountPath: [ROOT, CUSTOMER],
      name: 'ERP',
      scopes: over.scopes ?? ['orders:read', 'orders:write'],
      status: over.status ?? 'active',
      secrets: [],
      createdAt: '2026-12-01T00:00:00.000Z',
      createdBy: 'usr_1',
      version: 1,
    })
    .params().Item;
  ddb.on(GetCommand, { Key: clientKey(CLIENT_ID) }).resolves({ Item: item });
}
const suspended = new Set<string>();

function event(token: string, method = 'GET'): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeKey: `${method} /v1/orders`,
    rawPath: '/v1/orders',
    headers: { authorization: `Bearer ${token}` },
    requestContext: { http: { method, path: '/v1/orders', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' }, routeKey: `${method} /v1/orders` },
  } as unknown as APIGatewayRequestAuthorizerEventV2;
}

describe('client tokens and the authorizer', () => {
  beforeEach(() => {
    ddb.reset();
    setClock(NOW);
    ddb.on(GetCommand).resolves({});
    serveKeySet(KEYS);
    ddb.on(PutCommand).rejects(new Error('nothing should be written'));
    suspended.clear();
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<Record<string, string>> }> }) => {
      const [table, request] = Object.entries(input.RequestItems)[0]!;
      const items = request.Keys.map((key) => {
        const id = `acc_${String(key.pk).split('#id_acc_')[1]!.toUpperCase()}`;
        return db().entities.account.put({ id, type: 'customer', rootId: ROOT, accountPath: [ROOT, id], name: 'T', status: suspended.has(id) ? 'suspended' : 'active', settings: {}, createdAt: '2026-12-01T00:00:00.000Z', version: 1 }).params().Item;
      });
      return { Responses: { [table]: items }, UnprocessedKeys: {} };
    });
    forgetTrusted();
    storeClient();
  });
  afterAll(() => setClock());

  it('marks a client token: verified as a client with its scopes, never as a person', async () => {
    const { token, expiresIn } = await issueClientToken(CLIENT_ID, ['orders:read']);
    expect(expiresIn).toBe(900);
    expect(await verifyAccessToken(token)).toMatchObject({ sub: CLIENT_ID, client: { scopes: ['orders:read'] } });
    const person = await verifyAccessToken((await issueAccessToken('usr_01J0000000000000000000CUSR')).token);
    expect(person?.client).toBeUndefined();
  });

  it.each([
    ['a client claim on a person', { typ: 'client', scope: 'orders:read' }, 'usr_01J0000000000000000000CUSR'],
    ['a client id without the client claim', {}, CLIENT_ID],
    ['a client token acting for someone', { typ: 'client', scope: 'orders:read', act: { sub: 'usr_1' } }, CLIENT_ID],
    ['a client token without scopes', { typ: 'client' }, CLIENT_ID],
  ])('refuses %s', async (_what, claims, sub) => {
    const token = await signWith(new SignJWT(claims).setSubject(sub).setIssuer('cloud-license-portal').setIssuedAt(NOW_MS / 1000).setExpirationTime(NOW_MS / 1000 + 900), currentKey(KEYS));
    expect(await verifyAccessToken(token)).toBeUndefined();
    expect(await handler(event(token))).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'invalid_token' } });
  });

  it('authorizes an active client as an admin of its account, with the scopes both the token and the client hold', async () => {
    storeClient({ scopes: ['orders:read'] });
    const { token } = await issueClientToken(CLIENT_ID, ['orders:read', 'orders:write']);
    expect(await handler(event(token))).toEqual({
      isAuthorized: true,
      context: { authenticated: true, userId: CLIENT_ID, clientId: CLIENT_ID, accountId: CUSTOMER, accountType: 'customer', role: 'admin', accountPath: `${ROOT},${CUSTOMER}`, rootId: ROOT, scopes: 'orders:read' },
    });
  });

  it('refuses a revoked client: a write at once, a read once the 30 s trust has passed', async () => {
    const { token } = await issueClientToken(CLIENT_ID, ['orders:read']);
    expect((await handler(event(token))).context.authenticated).toBe(true);
    storeClient({ status: 'revoked' });
    expect((await handler(event(token))).context.authenticated).toBe(true);
    expect(await handler(event(token, 'POST'))).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'client_not_allowed' } });
    setClock(new Date(NOW_MS + TRUST_TTL_MS));
    expect(await handler(event(token))).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'client_not_allowed' } });
  });

  it('refuses a client whose account is suspended', async () => {
    suspended.add(CUSTOMER);
    const { token } = await issueClientToken(CLIENT_ID, ['orders:read']);
    expect(await handler(event(token))).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'account_suspended' } });
  });

  it('refuses a client that is gone', async () => {
    const { token } = await issueClientToken('cli_01J0000000000000000000GONE', ['orders:read']);
    expect((await handler(event(token))).context).toEqual({ authenticated: false, reason: 'client_not_allowed' });
  });
});

describe('issuing a token (services/api-clients.ts)', () => {
  const secret = 'cs_' + 'a'.repeat(43);
  type Stored = Parameters<Parameters<typeof makeApiClientService>[0]['clients']['updateApiClient']>[0];
  const stored = (over: Partial<Stored> = {}): Stored => ({
    id: CLIENT_ID,
    accountId: CUSTOMER,
    accountType: 'customer',
    accountPath: [ROOT, CUSTOMER],
    name: 'ERP',
    scopes: ['orders:read', 'orders:write'],
    status: 'active',
    secrets: [{ id: 'sec_1', hash: hashToken(secret), last4: 'aaaa', createdAt: NOW.toISOString() }],
    createdAt: NOW.toISOString(),
    createdBy: 'usr_1',
    version: 1,
    ...over,
  });
  function service(client: Stored | undefined) {
    const uses: string[] = [];
    const svc = makeApiClientService({
      clients: {
        getApiClient: async (id: string) => (client && id === client.id ? client : undefined),
        listApiClients: async () => ({ items: [], nextCursor: null }),
        insertApiClient: async (c) => ({ ...c, version: 1 }) as Stored,
        updateApiClient: async (c, set) => ({ ...c, ...set, version: c.version + 1 }),
        recordUse: async (_id: string, at: string) => void uses.push(at),
      },
      accounts: { getAccount: async () => undefined },
      clock: { now: () => NOW },
      issueToken: async (id, scopes) => ({ token: `token-of-${id}-${scopes.join('+')}`, expiresIn: 900 }),
    });
    return { svc, uses };
  }

  it('issues with the right secret, recording the use only when the last is a minute old', async () => {
    const { svc, uses } = service(stored());
    expect(await svc.issueToken({ grantType: 'client_credentials', clientId: CLIENT_ID, clientSecret: secret, scope: 'orders:read' })).toEqual({ token: `token-of-${CLIENT_ID}-orders:read`, expiresIn: 900, scopes: ['orders:read'] });
    expect(uses).toEqual([NOW.toISOString()]);
    const recent = service(stored({ lastUsedAt: new Date(NOW_MS - 30_000).toISOString() }));
    await recent.svc.issueToken({ grantType: 'client_credentials', clientId: CLIENT_ID, clientSecret: secret });
    expect(recent.uses).toEqual([]);
  });

  it('answers one InvalidClient for a wrong secret, an unknown id, a revoked client and an expired secret', async () => {
    const cases = [
      service(stored()).svc.issueToken({ grantType: 'client_credentials', clientId: CLIENT_ID, clientSecret: 'cs_wrong' }),
      service(stored()).svc.issueToken({ grantType: 'client_credentials', clientId: 'cli_01J0000000000000000000NONE', clientSecret: secret }),
      service(stored()).svc.issueToken({ grantType: 'client_credentials', clientId: 'not-a-client', clientSecret: secret }),
      service(stored({ status: 'revoked' })).svc.issueToken({ grantType: 'client_credentials', clientId: CLIENT_ID, clientSecret: secret }),
      service(stored({ secrets: [{ id: 'sec_1', hash: hashToken(secret), last4: 'aaaa', createdAt: NOW.toISOString(), expiresAt: NOW_MS }] })).svc.issueToken({ grantType: 'client_credentials', clientId: CLIENT_ID, clientSecret: secret }),
    ];
    const errors = await Promise.all(cases.map((p) => p.then(() => undefined, (e: unknown) => e)));
    for (const e of errors) {
      expect(e).toBeInstanceOf(InvalidClient);
      expect([(e as InstanceType<typeof InvalidClient>).status, (e as Error).message]).toEqual([401, (errors[0] as Error).message]);
    }
  });

  it('refuses another grant type (400) before looking at the client, and a scope the client lacks (400)', async () => {
    const { svc } = service(stored());
    await expect(svc.issueToken({ grantType: 'password', clientId: CLIENT_ID, clientSecret: 'wrong' })).rejects.toMatchObject({ status: 400, code: 'unsupported_grant_type' });
    await expect(svc.issueToken({ grantType: 'client_credentials', clientId: CLIENT_ID, clientSecret: secret, scope: 'accounts:write' })).rejects.toMatchObject({ status: 400, code: 'invalid_scope' });
  });
});

describe('the token request\'s encodings', () => {
  it('reads a form body field by field, refusing a field given twice', () => {
    expect(formFields('grant_type=client_credentials&scope=orders%3Aread+orders%3Awrite&client_id=cli_1')).toEqual({ grant_type: 'client_credentials', scope: 'orders:read orders:write', client_id: 'cli_1' });
    expect(formFields('')).toEqual({});
    expect(() => formFields('client_id=a&client_id=b')).toThrow(expect.objectContaining({ status: 400, code: 'validation_failed' }));
  });

  it('reads HTTP Basic credentials, form-decoded (RFC 6749 §2.3.1), whatever the scheme\'s case', () => {
    const header = (id: string, secret: string) => Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
    expect(basicCredentials(`Basic ${header('cli_1', 'cs_a:b+c/d')}`)).toEqual({ clientId: 'cli_1', clientSecret: 'cs_a:b+c/d' });
    expect(basicCredentials(`basic ${header('cli_1', 'cs_x')}`)).toEqual({ clientId: 'cli_1', clientSecret: 'cs_x' });
    expect(basicCredentials(undefined)).toBeUndefined();
    expect(basicCredentials('Bearer abc')).toBeUndefined();
    expect(() => basicCredentials(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toThrow(InvalidClient);
    expect(() => basicCredentials(`Basic ${Buffer.from('cli_1:%E0%A4%A').toString('base64')}`)).toThrow(InvalidClient);
  });
});

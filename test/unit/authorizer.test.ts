import { jest } from '@jest/globals';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { SignJWT } from 'jose';

process.env.TABLE_NAME = 'authorizer-test';
process.env.AWS_REGION ??= 'eu-west-1';

const { currentKey, makeKeySet, secretReads, serveKeySet, signWith } = await import('./signing-keys-fixture.ts');
const { newKeyEntry } = await import('#platform/key-rotation.ts');
const { handler, forgetTrusted, TRUST_TTL_MS } = await import('#http/authorizer.ts');
const { issueAccessToken, ACCESS_TOKEN_SECONDS } = await import('#platform/tokens.ts');
const { setClock } = await import('#platform/clock.ts');
const { db } = await import('#data/entities.ts');
const { logger } = await import('#platform/logger.ts');

jest.spyOn(logger, 'info').mockImplementation(() => undefined);

const ddb = mockClient(DynamoDBDocumentClient);

/** The key set the secret holds, and a key of the same kind that is not in it. */
const KEYS = await makeKeySet();
const KEY = currentKey(KEYS);
const OTHER_KEY = await newKeyEntry('2027-01-01T00:00:00.000Z');
const NOW = new Date('2027-01-10T10:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;

const ROOT = 'acc_01J00000000000000000000ROOT';
const RESELLER = 'acc_01J00000000000000000000RESL';
const CUSTOMER = 'acc_01J00000000000000000000CUST';

type UserStatus = 'ready' | 'locked' | 'not_activated' | 'deactivated';
interface TestUser {
  id: string;
  accountId: string;
  accountType: 'distributor' | 'reseller' | 'customer';
  accountPath: string[];
  role: 'admin' | 'user';
  status: UserStatus;
  tokensValidAfter: number;
}

const CUSTOMER_USER: TestUser = {
  id: 'usr_01J0000000000000000000CUSR',
  accountId: CUSTOMER,
  accountType: 'customer',
  accountPath: [ROOT, RESELLER, CUSTOMER],
  role: 'user',
  status: 'ready',
  tokensValidAfter: 0,
};
const STAFF_ADMIN: TestUser = {
  id: 'usr_01J0000000000000000000STAF',
  accountId: RESELLER,
  accountType: 'reseller',
  accountPath: [ROOT, RESELLER],
  role: 'admin',
  status: 'ready',
  tokensValidAfter: 0,
};

/** The key ElectroDB reads an item by, learnt from the entity itself rather than written out. */
const userKey = (id: string) => db().entities.user.get({ id }).params().Key as Record<string, string>;

/** The user item as the table holds it (keys and ElectroDB's identifiers included). */
function storedUser(u: TestUser): Record<string, unknown> {
  return db()
    .entities.user.put({
      ...u,
      firstName: 'Test',
      lastName: 'User',
      login: `${u.id}@example.test`,
      locale: 'en',
      failedLogins: 0,
      createdAt: '2026-12-01T00:00:00.000Z',
      version: 1,
    })
    .params().Item as Record<string, unknown>;
}

const accountKey = (id: string) => db().entities.account.get({ id }).params().Key as Record<string, string>;

/** Account statuses the table holds (any other account is active), answered to BatchGetItem as DynamoDB does. */
const accountStatus = new Map<string, 'active' | 'suspended'>();
function answerAccountBatches(): void {
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<Record<string, string>> }> }) => {
    const [table, request] = Object.entries(input.RequestItems)[0]!;
    const items = request.Keys.map((key) => {
      const id = `acc_${String(key.pk).split('#id_acc_')[1]!.toUpperCase()}`;
      return db()
        .entities.account.put({ id, type: 'customer', rootId: ROOT, accountPath: [ROOT, id], name: 'Test', status: accountStatus.get(id) ?? 'active', settings: {}, createdAt: '2026-12-01T00:00:00.000Z', version: 1 })
        .params().Item as Record<string, unknown>;
    });
    return { Responses: { [table]: items }, UnprocessedKeys: {} };
  });
}

function storeUsers(...users: TestUser[]): void {
  for (const u of users) ddb.on(GetCommand, { Key: userKey(u.id) }).resolves({ Item: storedUser(u) });
}

function authorizerEvent(headers: Record<string, string> = {}): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:api/$default/GET/v1/me',
    identitySource: headers.authorization ? [headers.authorization] : [],
    routeKey: 'GET /v1/me',
    rawPath: '/v1/me',
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      requestId: 'gw-1',
      routeKey: 'GET /v1/me',
      stage: '$default',
      time: '10/Jan/2027:10:00:00 +0000',
      timeEpoch: NOW.getTime(),
      http: { method: 'GET', path: '/v1/me', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
    },
  } as unknown as APIGatewayRequestAuthorizerEventV2;
}

const bearer = (token: string) => authorizerEvent({ authorization: `Bearer ${token}` });

/** The same request with another method (a request that may change something). */
function bearerWith(token: string, method: string): APIGatewayRequestAuthorizerEventV2 {
  const event = bearer(token);
  return { ...event, routeKey: `${method} /v1/me`, requestContext: { ...event.requestContext, routeKey: `${method} /v1/me`, http: { ...event.requestContext.http, method } } };
}

async function tokenFor(userId: string, actorUserId?: string): Promise<string> {
  return (await issueAccessToken(userId, actorUserId)).token;
}

beforeEach(() => {
  ddb.reset();
  setClock(NOW);
  // Anything not stored answers "no item", as DynamoDB does.
  ddb.on(GetCommand).resolves({});
  serveKeySet(KEYS);
  ddb.on(PutCommand).rejects(new Error('the authorizer writes nothing'));
  accountStatus.clear();
  // What the authorizer trusts for 30 s in its process starts empty in every test.
  forgetTrusted();
  answerAccountBatches();
  storeUsers(CUSTOMER_USER, STAFF_ADMIN);
});

afterAll(() => setClock());

describe('authorizer: before the signing key secret holds a key set', () => {
  it('fails (the gateway answers 5xx, an alarm fires) rather than authorize anything, and reads nothing of the table', async () => {
    const token = await signWith(
      new SignJWT({}).setSubject(CUSTOMER_USER.id).setIssuer('cloud-license-portal').setIssuedAt(NOW_SECONDS).setExpirationTime(NOW_SECONDS + 900),
      KEY,
    );
    serveKeySet('a first random value, not rotated yet');
    await expect(handler(bearer(token))).rejects.toThrow(/no key set/);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

describe('authorizer: a valid token', () => {
  it('authorizes with the caller context the handlers read', async () => {
    const result = await handler(bearer(await tokenFor(CUSTOMER_USER.id)));
    expect(result).toEqual({
      isAuthorized: true,
      context: {
        authenticated: true,
        userId: CUSTOMER_USER.id,
        accountId: CUSTOMER,
        accountType: 'customer',
        role: 'user',
        accountPath: `${ROOT},${RESELLER},${CUSTOMER}`,
        rootId: ROOT,
      },
    });
  });

  it('verifies with the key set of the secret: a token signed elsewhere with its current key passes, read once per process', async () => {
    const token = await signWith(
      new SignJWT({}).setSubject(STAFF_ADMIN.id).setIssuer('cloud-license-portal').setIssuedAt(NOW_SECONDS).setExpirationTime(NOW_SECONDS + 900),
      KEY,
    );
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true, userId: STAFF_ADMIN.id });
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true, userId: STAFF_ADMIN.id });
    expect(secretReads()).toBe(1);
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.Key)).toContainEqual(userKey(STAFF_ADMIN.id));
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('reads the Authorization header whatever its case', async () => {
    const result = await handler(authorizerEvent({ Authorization: `Bearer ${await tokenFor(STAFF_ADMIN.id)}` }));
    expect(result.context).toMatchObject({ authenticated: true, userId: STAFF_ADMIN.id, accountType: 'reseller', role: 'admin', rootId: ROOT });
  });

  it('still accepts a token one second before it expires', async () => {
    const token = await tokenFor(CUSTOMER_USER.id);
    setClock(new Date(NOW.getTime() + (ACCESS_TOKEN_SECONDS - 1) * 1000));
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
  });

  it('names the real actor of a "log in as" token', async () => {
    const result = await handler(bearer(await tokenFor(CUSTOMER_USER.id, STAFF_ADMIN.id)));
    expect(result.context).toMatchObject({ authenticated: true, userId: CUSTOMER_USER.id, accountId: CUSTOMER, actorUserId: STAFF_ADMIN.id });
  });

  it('accepts a token issued after the user’s tokensValidAfter', async () => {
    storeUsers({ ...CUSTOMER_USER, tokensValidAfter: (NOW_SECONDS - 60) * 1000 });
    expect((await handler(bearer(await tokenFor(CUSTOMER_USER.id)))).context).toMatchObject({ authenticated: true });
  });
});

describe('authorizer: refusals are answered "authorized" with an unauthenticated context', () => {
  it.each<[string, Record<string, string>]>([
    ['no Authorization header', {}],
    ['an empty header', { authorization: '' }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNzd29yZA==' }],
    ['the scheme alone', { authorization: 'Bearer' }],
    ['the scheme and a space', { authorization: 'Bearer ' }],
    ['a token too short to be a JWT', { authorization: 'Bearer abc.def' }],
    ['characters no JWT holds', { authorization: 'Bearer eyJhbGciOi$%^&*()!@#.payload.signature' }],
    ['two tokens', { authorization: 'Bearer aaaaaaaaaaaaaaaaaaaa.bbbb.cccc aaaaaaaaaaaaaaaaaaaa.bbbb.cccc' }],
  ])('refuses %s as missing_token', async (_what, headers) => {
    const result = await handler(authorizerEvent(headers));
    expect(result).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'missing_token' } });
  });

  it.each<[string, () => Promise<string>]>([
    ['a string shaped like a token that is not one', async () => 'aaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbb.cccccccccccc'],
    [
      'a token signed with another key under the current kid',
      () =>
        signWith(new SignJWT({}).setSubject(CUSTOMER_USER.id).setIssuer('cloud-license-portal').setIssuedAt(NOW_SECONDS).setExpirationTime(NOW_SECONDS + 900), OTHER_KEY, KEY.kid),
    ],
    [
      'a token signed with a key the set does not hold',
      () =>
        signWith(new SignJWT({}).setSubject(CUSTOMER_USER.id).setIssuer('cloud-license-portal').setIssuedAt(NOW_SECONDS).setExpirationTime(NOW_SECONDS + 900), OTHER_KEY),
    ],
    [
      'an HS256 token keyed with the public key (algorithm confusion)',
      async () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', kid: KEY.kid })
          .setSubject(CUSTOMER_USER.id)
          .setIssuer('cloud-license-portal')
          .setIssuedAt(NOW_SECONDS)
          .setExpirationTime(NOW_SECONDS + 900)
          .sign(Buffer.from(JSON.stringify(KEY.publicJwk))),
    ],
    [
      'a token from another issuer',
      () => signWith(new SignJWT({}).setSubject(CUSTOMER_USER.id).setIssuer('someone-else').setIssuedAt(NOW_SECONDS).setExpirationTime(NOW_SECONDS + 900), KEY),
    ],
    [
      'an unsigned token (alg none)',
      async () => {
        const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: CUSTOMER_USER.id, iss: 'cloud-license-portal', iat: NOW_SECONDS, exp: NOW_SECONDS + 900 })}.`;
      },
    ],
    [
      'a valid token with its payload swapped for another user',
      async () => {
        const [header, , signature] = (await tokenFor(CUSTOMER_USER.id)).split('.');
        const payload = Buffer.from(
          JSON.stringify({ sub: STAFF_ADMIN.id, iss: 'cloud-license-portal', iat: NOW_SECONDS, exp: NOW_SECONDS + 900 }),
        ).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
  ])('refuses %s as invalid_token', async (_what, makeToken) => {
    const result = await handler(bearer(await makeToken()));
    expect(result).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'invalid_token' } });
  });

  it.each([
    ['at the moment it expires', ACCESS_TOKEN_SECONDS],
    ['an hour after it expired', ACCESS_TOKEN_SECONDS + 3600],
  ])('refuses a token %s', async (_when, laterSeconds) => {
    const token = await tokenFor(CUSTOMER_USER.id);
    setClock(new Date(NOW.getTime() + laterSeconds * 1000));
    expect(await handler(bearer(token))).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'invalid_token' } });
  });

  it('refuses a token issued more than 15 minutes ago', async () => {
    setClock(new Date(NOW.getTime() - ACCESS_TOKEN_SECONDS * 1000 - 1000));
    const token = await tokenFor(CUSTOMER_USER.id);
    setClock(NOW);
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'invalid_token' });
  });

  it.each<[string, Partial<TestUser> | 'missing']>([
    ['deactivated', { status: 'deactivated' }],
    ['locked', { status: 'locked' }],
    ['not activated', { status: 'not_activated' }],
    ['deleted (no item)', 'missing'],
    ['revoked (tokensValidAfter later than the token’s iat)', { tokensValidAfter: (NOW_SECONDS + 1) * 1000 }],
  ])('refuses the token of a user who is %s', async (_what, change) => {
    const token = await tokenFor(CUSTOMER_USER.id);
    if (change === 'missing') ddb.on(GetCommand, { Key: userKey(CUSTOMER_USER.id) }).resolves({});
    else storeUsers({ ...CUSTOMER_USER, ...change });
    expect(await handler(bearer(token))).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'user_not_allowed' } });
  });

  it.each<[string, Partial<TestUser> | 'missing']>([
    ['deactivated', { status: 'deactivated' }],
    ['locked', { status: 'locked' }],
    ['deleted', 'missing'],
    ['revoked (tokensValidAfter later than the token’s iat)', { tokensValidAfter: (NOW_SECONDS + 1) * 1000 }],
  ])('refuses a "log in as" token whose real actor is %s, though the user is fine', async (_what, change) => {
    const token = await tokenFor(CUSTOMER_USER.id, STAFF_ADMIN.id);
    if (change === 'missing') ddb.on(GetCommand, { Key: userKey(STAFF_ADMIN.id) }).resolves({});
    else storeUsers({ ...STAFF_ADMIN, ...change });
    expect(await handler(bearer(token))).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'user_not_allowed' } });
  });

  it('refuses a "log in as" token whose user is deactivated, though the actor is fine', async () => {
    const token = await tokenFor(CUSTOMER_USER.id, STAFF_ADMIN.id);
    storeUsers({ ...CUSTOMER_USER, status: 'deactivated' });
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'user_not_allowed' });
  });
});

describe('authorizer: "log in as" is checked against the real person now (issue 13, item 5)', () => {
  const OTHER_CUSTOMER = 'acc_01J00000000000000000000OTHR';
  const CUSTOMER_ADMIN: TestUser = { ...CUSTOMER_USER, id: 'usr_01J0000000000000000000CADM', role: 'admin' };

  it.each<[string, TestUser]>([
    ['a staff admin demoted to user', { ...STAFF_ADMIN, role: 'user' }],
    ['a customer admin demoted to user', { ...CUSTOMER_ADMIN, role: 'user' }],
    ['a staff admin of the user’s own account (not strictly below)', { ...STAFF_ADMIN, accountId: CUSTOMER, accountPath: [ROOT, RESELLER, CUSTOMER], accountType: 'customer', role: 'user' }],
    ['a staff admin of an account the user is not below', { ...STAFF_ADMIN, accountId: 'acc_01J00000000000000000000RES2', accountPath: [ROOT, 'acc_01J00000000000000000000RES2'] }],
    ['a customer admin of another customer', { ...CUSTOMER_ADMIN, accountId: OTHER_CUSTOMER, accountPath: [ROOT, RESELLER, OTHER_CUSTOMER] }],
  ])('refuses the token when the real person is now %s', async (_what, actor) => {
    const token = await tokenFor(CUSTOMER_USER.id, actor.id);
    storeUsers(actor);
    expect(await handler(bearer(token))).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'actor_not_allowed' } });
  });

  it('accepts a customer admin logged in as a user of their own account', async () => {
    storeUsers(CUSTOMER_ADMIN);
    const result = await handler(bearer(await tokenFor(CUSTOMER_USER.id, CUSTOMER_ADMIN.id)));
    expect(result.context).toMatchObject({ authenticated: true, userId: CUSTOMER_USER.id, actorUserId: CUSTOMER_ADMIN.id });
  });

  it('reads only the user for a normal session, and hands on the session id that logout ends', async () => {
    const token = (await issueAccessToken(CUSTOMER_USER.id, undefined, { sessionId: 'family-1' })).token;
    const result = await handler(bearer(token));
    expect(result.context).toMatchObject({ authenticated: true, userId: CUSTOMER_USER.id, sessionId: 'family-1' });
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.Key)).not.toContainEqual(userKey(STAFF_ADMIN.id));
    expect(ddb.commandCalls(GetCommand).filter((c) => JSON.stringify(c.args[0].input.Key) === JSON.stringify(userKey(CUSTOMER_USER.id)))).toHaveLength(1);
  });

  it('never lets an access token outlive its session: a "log in as" token ends with the session', async () => {
    const endsAt = NOW.getTime() + 5 * 60_000;
    const token = (await issueAccessToken(CUSTOMER_USER.id, STAFF_ADMIN.id, { sessionId: 'family-2', notAfterMs: endsAt })).token;
    setClock(new Date(endsAt + 1000));
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'invalid_token' });
  });
});

describe('authorizer: a suspended account stops its users\' tokens (docs/product.md#accounts-and-tenancy)', () => {
  // Each test has accounts of its own: the authorizer keeps "seen active" for 30 s in the process.
  let n = 0;
  function customerBelowReseller() {
    n++;
    const reseller = `acc_01J0000000000000000000RS${String(n).padStart(2, '0')}`;
    const customer = `acc_01J0000000000000000000CU${String(n).padStart(2, '0')}`;
    const user: TestUser = { ...CUSTOMER_USER, id: `usr_01J0000000000000000000US${String(n).padStart(2, '0')}`, accountId: customer, accountPath: [ROOT, reseller, customer] };
    storeUsers(user);
    return { reseller, customer, user };
  }
  const batchReads = () => ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!);

  it('refuses the token of a user whose own account is suspended', async () => {
    const { customer, user } = customerBelowReseller();
    accountStatus.set(customer, 'suspended');
    expect(await handler(bearer(await tokenFor(user.id)))).toEqual({ isAuthorized: true, context: { authenticated: false, reason: 'account_suspended' } });
  });

  it('refuses the token of a user whose reseller is suspended', async () => {
    const { reseller, user } = customerBelowReseller();
    accountStatus.set(reseller, 'suspended');
    expect((await handler(bearer(await tokenFor(user.id)))).context).toEqual({ authenticated: false, reason: 'account_suspended' });
  });

  it('reads the accounts of the path in one BatchGetItem, never the root, and nothing for the distributor\'s own people', async () => {
    const { reseller, customer, user } = customerBelowReseller();
    expect((await handler(bearer(await tokenFor(user.id)))).context).toMatchObject({ authenticated: true });
    const [read] = batchReads();
    expect(batchReads()).toHaveLength(1);
    expect(Object.values(read!)[0]!.Keys).toEqual([accountKey(reseller), accountKey(customer)]);

    ddb.resetHistory();
    const distributorAdmin: TestUser = { ...STAFF_ADMIN, id: 'usr_01J0000000000000000000DIST', accountId: ROOT, accountType: 'distributor', accountPath: [ROOT] };
    storeUsers(distributorAdmin);
    expect((await handler(bearer(await tokenFor(distributorAdmin.id)))).context).toMatchObject({ authenticated: true });
    expect(batchReads()).toHaveLength(0);
  });

  it('trusts an account seen active for 30 seconds, so a suspension reaches a token within the minute', async () => {
    const { customer, user } = customerBelowReseller();
    const token = await tokenFor(user.id);
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    accountStatus.set(customer, 'suspended');
    ddb.resetHistory();
    setClock(new Date(NOW.getTime() + 29_000));
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    expect(batchReads()).toHaveLength(0);
    setClock(new Date(NOW.getTime() + 31_000));
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'account_suspended' });
  });

  it('lets a reactivated account\'s tokens through at once: a suspension is never kept', async () => {
    const { customer, user } = customerBelowReseller();
    const token = await tokenFor(user.id);
    accountStatus.set(customer, 'suspended');
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'account_suspended' });
    accountStatus.set(customer, 'active');
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
  });

  it('refuses a "log in as" token whose real person\'s account is suspended, though the user\'s is not', async () => {
    const { user } = customerBelowReseller();
    const { reseller: staffAccount } = customerBelowReseller();
    const actor: TestUser = { ...STAFF_ADMIN, id: 'usr_01J0000000000000000000ACTR', accountId: staffAccount, accountPath: [ROOT, staffAccount] };
    // The actor's reseller is above the user's customer here only by its path: staff of it may log in as the user.
    const target: TestUser = { ...user, accountPath: [ROOT, staffAccount, user.accountId] };
    storeUsers(actor, target);
    accountStatus.set(staffAccount, 'suspended');
    expect((await handler(bearer(await tokenFor(target.id, actor.id)))).context).toEqual({ authenticated: false, reason: 'account_suspended' });
  });
});

describe('authorizer: a user seen allowed is trusted for 30 seconds (docs/architecture.md#security)', () => {
  const userReads = (id: string) => ddb.commandCalls(GetCommand).filter((c) => JSON.stringify(c.args[0].input.Key) === JSON.stringify(userKey(id)));

  it('verifies only the signature on the next requests: no read within the 30 s', async () => {
    expect(TRUST_TTL_MS).toBe(30_000);
    const token = await tokenFor(CUSTOMER_USER.id);
    for (let i = 0; i < 3; i++) expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true, userId: CUSTOMER_USER.id });
    expect(userReads(CUSTOMER_USER.id)).toHaveLength(1);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
  });

  it('a deactivation reaches a token it trusts within the minute, and a new password the tokens issued before it', async () => {
    const token = await tokenFor(CUSTOMER_USER.id);
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    storeUsers({ ...CUSTOMER_USER, status: 'deactivated' });
    setClock(new Date(NOW.getTime() + 29_000));
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    // The clock runs on from where it is set: a little past 30 s, as "29 s" above is a little before.
    setClock(new Date(NOW.getTime() + 30_500));
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'user_not_allowed' });
    expect(userReads(CUSTOMER_USER.id)).toHaveLength(2);

    storeUsers({ ...CUSTOMER_USER, tokensValidAfter: (NOW_SECONDS + 31) * 1000 });
    setClock(new Date(NOW.getTime() + 31_000));
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'user_not_allowed' });
    // A token issued after the new password is accepted; the earlier one stays refused.
    setClock(new Date(NOW.getTime() + 32_000));
    expect((await handler(bearer(await tokenFor(CUSTOMER_USER.id)))).context).toMatchObject({ authenticated: true });
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'user_not_allowed' });
  });

  it('never keeps a refusal: a reactivated user is let through at once', async () => {
    storeUsers({ ...CUSTOMER_USER, status: 'deactivated' });
    const token = await tokenFor(CUSTOMER_USER.id);
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'user_not_allowed' });
    storeUsers(CUSTOMER_USER);
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    expect(userReads(CUSTOMER_USER.id)).toHaveLength(2);
  });

  it('reads again a user seen "in the future" (the clock moved back)', async () => {
    const token = await tokenFor(CUSTOMER_USER.id);
    setClock(new Date(NOW.getTime() + 10_000));
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    setClock(NOW);
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    expect(userReads(CUSTOMER_USER.id)).toHaveLength(2);
  });

  it('a request that may change something reads the user now: a deactivated user changes nothing, even within the 30 s', async () => {
    const token = await tokenFor(CUSTOMER_USER.id);
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    storeUsers({ ...CUSTOMER_USER, status: 'deactivated' });
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
      expect((await handler(bearerWith(token, method))).context).toEqual({ authenticated: false, reason: 'user_not_allowed' });
    }
    expect(userReads(CUSTOMER_USER.id)).toHaveLength(5);
  });

  it('a request that may change something reads the accounts now: a suspension stops it at once', async () => {
    const token = await tokenFor(CUSTOMER_USER.id);
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    accountStatus.set(CUSTOMER, 'suspended');
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true });
    expect((await handler(bearerWith(token, 'POST'))).context).toEqual({ authenticated: false, reason: 'account_suspended' });
  });

  it('a "log in as" request reads both people every time, reads included', async () => {
    const customerAdmin: TestUser = { ...CUSTOMER_USER, id: 'usr_01J0000000000000000000CAD3', role: 'admin' };
    storeUsers(customerAdmin);
    const token = await tokenFor(CUSTOMER_USER.id, customerAdmin.id);
    expect((await handler(bearer(token))).context).toMatchObject({ authenticated: true, actorUserId: customerAdmin.id });
    storeUsers({ ...customerAdmin, role: 'user' });
    expect((await handler(bearer(token))).context).toEqual({ authenticated: false, reason: 'actor_not_allowed' });
    expect(userReads(customerAdmin.id)).toHaveLength(2);
    expect(userReads(CUSTOMER_USER.id)).toHaveLength(2);
  });
});

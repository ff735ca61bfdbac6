import { jest } from '@jest/globals';
import { callerOf, clock, fakeLogins, fakePasswords, fakeSessions, fakeWorld, NOW } from './fake-people.ts';

const { makeSessionService } = await import('#services/sessions.ts');
const { makeUserService } = await import('#services/users.ts');

/** The sign-in service over in-memory repositories (fake-people.ts): what it decides and what it writes. */
function setUp() {
  const world = fakeWorld();
  const logins = fakeLogins(world);
  const sessions = fakeSessions();
  const service = makeSessionService({ accounts: world.accountRepo, users: world.userRepo, logins: logins.repo, sessions: sessions.repo, passwords: fakePasswords, clock });
  const users = makeUserService({ users: world.userRepo, accounts: world.accountRepo, hashPassword: fakePasswords.hash, clock });
  const channel = world.add.channel();
  return { world, logins, sessions, service, users, channel };
}

const info = { ip: '203.0.113.9', userAgent: 'jest' };
const PASSWORD = 'Correct-Password-1';
const tokenOf = (email: { data: unknown }) => new URL((email.data as { link: string }).link).searchParams.get('token')!;

describe('sign-in', () => {
  it('locks a ready user on the fifth failed login in a row and sends the unlock-and-reset link', async () => {
    const { world, service, logins, channel } = setUp();
    const user = world.add.user(channel.customer);
    for (let i = 1; i <= 4; i++) {
      await expect(service.login({ login: user.login, password: 'wrong' }, info)).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
      expect(world.users.get(user.id)).toMatchObject({ status: 'ready', failedLogins: i });
    }
    expect(world.emails).toEqual([]);
    await expect(service.login({ login: user.login, password: 'wrong' }, info)).rejects.toMatchObject({ status: 401 });
    expect(world.users.get(user.id)).toMatchObject({ status: 'locked', failedLogins: 5, tokensValidAfter: NOW.getTime() });
    expect(logins.settled.at(-1)?.outcome).toMatchObject({ kind: 'failure', failedLogins: 5, lock: { resetTokenHash: expect.any(String) } });
    expect(world.emails.map((e) => [e.template, e.to])).toEqual([['account-locked', user.login]]);
    // Locked: the right password no longer signs in, and answers the same 401.
    await expect(service.login({ login: user.login, password: PASSWORD }, info)).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
  });

  it('does not lock again, nor send a second email, on failures after the lock', async () => {
    const { world, service, channel } = setUp();
    const user = world.add.user(channel.customer, { status: 'locked', failedLogins: 5 });
    await expect(service.login({ login: user.login, password: 'wrong' }, info)).rejects.toMatchObject({ status: 401 });
    expect(world.users.get(user.id)).toMatchObject({ failedLogins: 6, status: 'locked' });
    expect(world.emails).toEqual([]);
  });

  it('signs in with the right password, resets the failure count and answers a session for the user', async () => {
    const { world, service, sessions, logins, channel } = setUp();
    const user = world.add.user(channel.customer, { failedLogins: 3 });
    const signedIn = await service.login({ login: user.login.toUpperCase(), password: PASSWORD }, info);
    expect(signedIn.tokens).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect(signedIn.user).toMatchObject({ id: user.id, failedLogins: 0, version: user.version + 1 });
    expect(world.users.get(user.id)).toMatchObject({ failedLogins: 0 });
    expect(logins.settled).toHaveLength(1);
    expect(sessions.tokens.size).toBe(0); // the session's items go in the sign-in's own transaction (settleLogin)
    expect(logins.counts().released).toBe(0); // the settling transaction freed the lease
  });

  it('answers an unknown login with the same 401, after checking a dummy hash', async () => {
    const { service, logins } = setUp();
    const verify = jest.spyOn(fakePasswords, 'verify');
    await expect(service.login({ login: 'nobody@contoso.example', password: 'whatever' }, info)).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(verify).toHaveBeenCalledWith('whatever', await fakePasswords.dummyHash(), expect.anything());
    expect(logins.settled.map((s) => s.outcome.kind)).toEqual(['unknown']);
    verify.mockRestore();
  });

  it('replaces a hash of an older kind while the password is at hand', async () => {
    const { world, service, logins, channel } = setUp();
    const verify = jest.spyOn(fakePasswords, 'verify').mockResolvedValueOnce(true);
    const user = world.add.user(channel.customer, { passwordHash: 'scrypt$old' });
    await service.login({ login: user.login, password: PASSWORD }, info);
    expect(logins.settled[0]?.outcome).toMatchObject({ kind: 'success', rehash: `hash:${PASSWORD}` });
    verify.mockRestore();
  });

  it('decides again when an admin changed the user between the read and the write', async () => {
    const { world, service, logins, channel } = setUp();
    const user = world.add.user(channel.customer);
    const settle = logins.repo.settleLogin;
    let first = true;
    logins.repo.settleLogin = async (...args: Parameters<typeof settle>) => {
      if (first) {
        first = false;
        // An admin deactivates the user while the password is being checked.
        world.users.set(user.id, { ...world.users.get(user.id)!, status: 'deactivated', version: user.version + 1 });
        return 'stale';
      }
      return settle(...args);
    };
    await expect(service.login({ login: user.login, password: PASSWORD }, info)).rejects.toMatchObject({ status: 401 });
    expect(logins.settled.map((s) => s.outcome.kind)).toEqual(['failure']);
  });

  it('frees the lease when the attempt ends without settling', async () => {
    const { world, service, logins, channel } = setUp();
    const user = world.add.user(channel.customer);
    const verify = jest.spyOn(fakePasswords, 'verify').mockRejectedValueOnce(new Error('no password slot'));
    await expect(service.login({ login: user.login, password: PASSWORD }, info)).rejects.toThrow('no password slot');
    expect(logins.counts()).toEqual({ leases: 1, released: 1 });
    verify.mockRestore();
  });
});

describe('a suspended account (docs/product.md#accounts-and-tenancy)', () => {
  it("refuses its users' sign-in with the same 401, in the login history, without counting towards a lock", async () => {
    const { world, service, logins, channel } = setUp();
    const user = world.add.user(channel.customer, { failedLogins: 2 });
    world.accounts.get(channel.customer.id)!.status = 'suspended';
    for (let i = 0; i < 6; i++) await expect(service.login({ login: user.login, password: PASSWORD }, info)).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(logins.settled.map((s) => s.outcome)).toEqual(Array(6).fill({ kind: 'failure', failedLogins: 2 }));
    expect(world.users.get(user.id)).toMatchObject({ status: 'ready', failedLogins: 2 });
    world.accounts.get(channel.customer.id)!.status = 'active';
    expect((await service.login({ login: user.login, password: PASSWORD }, info)).user.id).toBe(user.id);
  });

  it('refuses the sign-in of the users of the accounts below a suspended reseller, and not its parent\'s', async () => {
    const { world, service, channel } = setUp();
    world.accounts.get(channel.reseller.id)!.status = 'suspended';
    const user = world.add.user(channel.customer);
    await expect(service.login({ login: user.login, password: PASSWORD }, info)).rejects.toMatchObject({ status: 401 });
    await expect(service.login({ login: channel.resellerAdmin.login, password: PASSWORD }, info)).rejects.toMatchObject({ status: 401 });
    expect((await service.login({ login: channel.distributorAdmin.login, password: PASSWORD }, info)).user.id).toBe(channel.distributorAdmin.id);
  });

  it('still counts a wrong password as a failure', async () => {
    const { world, service, channel } = setUp();
    const user = world.add.user(channel.customer);
    world.accounts.get(channel.customer.id)!.status = 'suspended';
    await expect(service.login({ login: user.login, password: 'wrong' }, info)).rejects.toMatchObject({ status: 401 });
    expect(world.users.get(user.id)?.failedLogins).toBe(1);
  });

  it('refuses a refresh while suspended, and lets the same session refresh again once reactivated', async () => {
    const { world, service, sessions, channel } = setUp();
    const user = world.add.user(channel.customer);
    const first = await sessions.repo.startSession(user);
    world.accounts.get(channel.customer.id)!.status = 'suspended';
    await expect(service.refresh(first.refreshToken)).rejects.toMatchObject({ status: 401 });
    expect(sessions.revoked).toEqual([]);
    world.accounts.get(channel.customer.id)!.status = 'active';
    const second = await sessions.repo.startSession(user);
    expect((await service.refresh(second.refreshToken)).user.id).toBe(user.id);
  });

  it('refuses a "log in as" session\'s refresh once the real person\'s account is suspended', async () => {
    const { world, service, channel } = setUp();
    const target = world.add.user(channel.customer);
    const acting = await service.impersonate(callerOf(channel.distributorAdmin), target.id, info);
    const reseller = world.add.user(channel.reseller, { role: 'admin' });
    const byReseller = await service.impersonate(callerOf(reseller), target.id, info);
    world.accounts.get(channel.reseller.id)!.status = 'suspended';
    await expect(service.refresh(byReseller.tokens.refreshToken)).rejects.toMatchObject({ status: 401 });
    // the customer is below the suspended reseller too: its user's sessions stop, whoever holds them
    await expect(service.refresh(acting.tokens.refreshToken)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses logging in as a user of a suspended account (409 invalid_state)', async () => {
    const { world, service, channel } = setUp();
    const target = world.add.user(channel.customer);
    world.accounts.get(channel.customer.id)!.status = 'suspended';
    await expect(service.impersonate(callerOf(channel.resellerAdmin), target.id, info)).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
  });
});

describe('refresh tokens', () => {
  it('rotates: a refresh spends its token and answers a new pair in the same family', async () => {
    const { world, service, sessions, channel } = setUp();
    const user = world.add.user(channel.customer);
    const first = await sessions.repo.startSession(user);
    const next = await service.refresh(first.refreshToken);
    expect(next.tokens.refreshToken).not.toBe(first.refreshToken);
    expect(sessions.tokens.get(next.tokens.refreshToken)?.family).toBe(sessions.tokens.get(first.refreshToken)?.family);
    expect(sessions.revoked).toEqual([]);
  });

  it('revokes the whole family when a refresh token is spent twice, so the newer pair stops working too', async () => {
    const { world, service, sessions, channel } = setUp();
    const user = world.add.user(channel.customer);
    const first = await sessions.repo.startSession(user);
    const next = await service.refresh(first.refreshToken);
    await expect(service.refresh(first.refreshToken)).rejects.toMatchObject({ status: 401 });
    const family = sessions.tokens.get(first.refreshToken)!.family;
    expect(sessions.revoked).toEqual([family]);
    await expect(service.refresh(next.tokens.refreshToken)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a refresh token issued before the password changed', async () => {
    const { world, service, sessions, channel } = setUp();
    const user = world.add.user(channel.customer);
    const first = await sessions.repo.startSession(user);
    world.users.set(user.id, { ...world.users.get(user.id)!, tokensValidAfter: NOW.getTime() + 1 });
    await expect(service.refresh(first.refreshToken)).rejects.toMatchObject({ status: 401 });
  });

  it('ends a "log in as" session once the real person may no longer log in as the user', async () => {
    const { world, service, sessions, channel } = setUp();
    const target = world.add.user(channel.customer);
    const acting = await service.impersonate(callerOf(channel.resellerAdmin), target.id, info);
    world.users.set(channel.resellerAdmin.id, { ...channel.resellerAdmin, role: 'user' });
    await expect(service.refresh(acting.tokens.refreshToken)).rejects.toMatchObject({ status: 401 });
    expect(sessions.tokens.get(acting.tokens.refreshToken)?.actorUserId).toBe(channel.resellerAdmin.id);
  });
});

describe('links', () => {
  it('an activation link sets the first password once; the second use is 410', async () => {
    const { world, service, users, channel } = setUp();
    const [invited] = await users.add(callerOf(channel.customerAdmin), channel.customer.id, {
      users: [{ firstName: 'Bo', lastName: 'Bell', login: 'bo@contoso.example', role: 'user' }],
      sendActivationEmail: true,
    });
    const token = tokenOf(world.emails.at(-1)!);
    const activated = await service.activate(token, 'A-New-Password-1');
    expect(activated).toMatchObject({ id: invited!.id, status: 'ready', passwordHash: 'hash:A-New-Password-1' });
    expect(activated.activationTokenHash).toBeUndefined();
    await expect(service.activate(token, 'A-New-Password-2')).rejects.toMatchObject({ status: 410 });
  });

  it('refuses a password equal to the login when activating', async () => {
    const { world, service, users, channel } = setUp();
    await users.add(callerOf(channel.customerAdmin), channel.customer.id, {
      users: [{ firstName: 'Bo', lastName: 'Bell', login: 'bo@contoso.example', role: 'user' }],
      sendActivationEmail: true,
    });
    await expect(service.activate(tokenOf(world.emails.at(-1)!), 'BO@contoso.example')).rejects.toMatchObject({ status: 400, details: [{ code: 'equals_login' }] });
  });

  it('sends one reset email a minute, and nothing for an unknown or deactivated login', async () => {
    const { world, service, channel } = setUp();
    const user = world.add.user(channel.customer);
    const gone = world.add.user(channel.customer, { status: 'deactivated' });
    await service.askReset(user.login);
    await service.askReset(user.login);
    await service.askReset('nobody@contoso.example');
    await service.askReset(gone.login);
    expect(world.emails.map((e) => [e.template, e.to])).toEqual([['password-reset', user.login]]);
  });

  it('a reset link unlocks a locked user, ends older sessions and tells the user', async () => {
    const { world, service, channel } = setUp();
    const user = world.add.user(channel.customer, { status: 'locked', failedLogins: 5 });
    await service.askReset(user.login);
    const reset = await service.confirmReset(tokenOf(world.emails.at(-1)!), 'Another-Password-1');
    expect(reset).toMatchObject({ status: 'ready', failedLogins: 0, passwordHash: 'hash:Another-Password-1', tokensValidAfter: expect.any(Number) });
    expect(reset.resetTokenHash).toBeUndefined();
    expect(world.emails.map((e) => e.template)).toEqual(['password-reset', 'password-changed']);
  });
});

describe('log in as and the own password', () => {
  it('lets a customer admin log in as a user of its own account, and records who did', async () => {
    const { world, service, channel } = setUp();
    const target = world.add.user(channel.customer);
    const record = jest.spyOn(world.userRepo, 'recordLoginEvent');
    const acting = await service.impersonate(callerOf(channel.customerAdmin), target.id, info);
    expect(acting.user.id).toBe(target.id);
    expect(record).toHaveBeenCalledWith(target.id, expect.objectContaining({ outcome: 'success', actor: channel.customerAdmin.id }));
  });

  it('refuses staff logging in as users of their own account, and a second "log in as" inside one', async () => {
    const { world, service, channel } = setUp();
    const colleague = world.add.user(channel.reseller);
    await expect(service.impersonate(callerOf(channel.resellerAdmin), colleague.id, info)).rejects.toMatchObject({ status: 403 });
    const target = world.add.user(channel.customer);
    await expect(service.impersonate(callerOf(channel.resellerAdmin, { actorUserId: channel.distributorAdmin.id }), target.id, info)).rejects.toMatchObject({ status: 403 });
  });

  it('changes the own password only with the current one, and answers a new session', async () => {
    const { world, service, channel } = setUp();
    const user = world.add.user(channel.customer);
    await expect(service.changePassword(callerOf(user), 'wrong', 'A-New-Password-1')).rejects.toMatchObject({ code: 'current_password_incorrect' });
    expect(world.users.get(user.id)?.passwordHash).toBe(`hash:${PASSWORD}`);
    const signedIn = await service.changePassword(callerOf(user), PASSWORD, 'A-New-Password-1');
    expect(signedIn.tokens.accessToken).toEqual(expect.any(String));
    expect(world.users.get(user.id)).toMatchObject({ passwordHash: 'hash:A-New-Password-1', tokensValidAfter: expect.any(Number) });
    expect(world.emails.map((e) => e.template)).toEqual(['password-changed']);
  });
});

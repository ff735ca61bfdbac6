import { callerOf, clock, fakeLogins, fakePasswords, fakeSessions, fakeWorld } from './fake-people.ts';

const { makeUserService } = await import('#services/users.ts');
const { makeSessionService } = await import('#services/sessions.ts');

/** The users service over in-memory repositories (fake-people.ts). */
function setUp() {
  const world = fakeWorld();
  const users = makeUserService({ users: world.userRepo, accounts: world.accountRepo, hashPassword: fakePasswords.hash, clock });
  const sessions = makeSessionService({ accounts: world.accountRepo, users: world.userRepo, logins: fakeLogins(world).repo, sessions: fakeSessions().repo, passwords: fakePasswords, clock });
  return { world, users, sessions, channel: world.add.channel() };
}

const tokenOf = (email: { data: unknown }) => new URL((email.data as { link: string }).link).searchParams.get('token')!;
const person = (login: string, extra: Record<string, unknown> = {}) => ({ firstName: 'Bo', lastName: 'Bell', login, role: 'user' as const, ...extra });

describe('the own login change', () => {
  it('sends a link to the new address and changes nothing until it is confirmed', async () => {
    const { world, users, sessions, channel } = setUp();
    const me = world.add.user(channel.customer);
    const { user, pending } = await users.editOwn(callerOf(me), { login: 'new@contoso.example', firstName: 'Adah' });
    expect(pending).toBe(true);
    expect(user).toMatchObject({ login: me.login, firstName: 'Adah', pendingLogin: 'new@contoso.example' });
    expect(await world.userRepo.findUserIdByLogin('new@contoso.example')).toBeUndefined();
    const [email] = world.emails;
    expect(world.emails).toHaveLength(1);
    expect(email).toMatchObject({ template: 'login-change', to: 'new@contoso.example' });

    const confirmed = await sessions.confirmLogin(tokenOf(email!));
    expect(confirmed.login).toBe('new@contoso.example');
    expect(confirmed.pendingLogin).toBeUndefined();
    await expect(sessions.confirmLogin(tokenOf(email!))).rejects.toMatchObject({ status: 410 });
  });

  it('answers the same when the new login is taken, and sends a notice instead of the link', async () => {
    const { world, users, channel } = setUp();
    const me = world.add.user(channel.customer);
    const other = world.add.user(channel.reseller);
    const { user, pending } = await users.editOwn(callerOf(me), { login: other.login.toUpperCase() });
    expect(pending).toBe(true);
    expect(user.login).toBe(me.login);
    expect(user.pendingLogin).toBeUndefined();
    expect(world.emails.map((e) => [e.template, e.to])).toEqual([['login-change-taken', other.login.toUpperCase()]]);
  });

  it('is the same on PATCH /v1/users/{own id}: a link, not an applied change', async () => {
    const { world, users, channel } = setUp();
    const admin = channel.customerAdmin;
    const { pending, user } = await users.edit(callerOf(admin), admin.id, { login: 'boss@contoso.example' });
    expect(pending).toBe(true);
    expect(user.login).toBe(admin.login);
    expect(world.emails.map((e) => e.template)).toEqual(['login-change']);
  });

  it('refuses the login and the notification address under "log in as", and writes nothing', async () => {
    const { world, users, channel } = setUp();
    const me = world.add.user(channel.customer);
    const acting = callerOf(me, { actorUserId: channel.customerAdmin.id });
    await expect(users.editOwn(acting, { login: 'hijack@contoso.example' })).rejects.toMatchObject({ status: 403 });
    await expect(users.editOwn(acting, { notificationEmail: null })).rejects.toMatchObject({ status: 403 });
    expect(world.users.get(me.id)).toEqual(me);
    expect(world.emails).toEqual([]);
  });
});

describe('admins editing users', () => {
  it("applies an admin's login change at once and re-invites a user not yet activated at the new address", async () => {
    const { world, users, channel } = setUp();
    const [invited] = await users.add(callerOf(channel.customerAdmin), channel.customer.id, { users: [person('bo@contoso.example')], sendActivationEmail: true });
    const firstLink = tokenOf(world.emails[0]!);
    const { user, pending } = await users.edit(callerOf(channel.customerAdmin), invited!.id, { login: 'bo.bell@contoso.example' });
    expect(pending).toBe(false);
    expect(user.login).toBe('bo.bell@contoso.example');
    expect(world.emails.map((e) => [e.template, e.to])).toEqual([
      ['activation', 'bo@contoso.example'],
      ['activation', 'bo.bell@contoso.example'],
    ]);
    expect(tokenOf(world.emails[1]!)).not.toBe(firstLink);
  });

  it('clears an optional field given as null and leaves the absent ones', async () => {
    const { world, users, channel } = setUp();
    const target = world.add.user(channel.customer, { phone: '+353 1 555 0100', notificationEmail: 'bo.alt@contoso.example' });
    const { user } = await users.edit(callerOf(channel.customerAdmin), target.id, { phone: null, lastName: 'Bellamy' });
    expect(user).toMatchObject({ lastName: 'Bellamy', notificationEmail: 'bo.alt@contoso.example' });
    expect(user.phone).toBeUndefined();
  });

  it('refuses an edit whose If-Match is stale with 412 and changes nothing', async () => {
    const { world, users, channel } = setUp();
    const target = world.add.user(channel.customer, { version: 3 });
    await expect(users.edit(callerOf(channel.customerAdmin), target.id, { firstName: 'Stale' }, 2)).rejects.toMatchObject({ status: 412, code: 'precondition_failed' });
    expect(world.users.get(target.id)).toEqual(target);
    const { user } = await users.edit(callerOf(channel.customerAdmin), target.id, { firstName: 'Fresh' }, 3);
    expect(user).toMatchObject({ firstName: 'Fresh', version: 4 });
  });

  it('refuses a user changing its own role', async () => {
    const { world, users, channel } = setUp();
    const me = world.add.user(channel.customer);
    await expect(users.edit(callerOf(me), me.id, { role: 'admin' })).rejects.toMatchObject({ status: 403 });
    expect(world.users.get(me.id)?.role).toBe('user');
  });

  it('answers 404 for a user of another customer, whatever the role', async () => {
    const { world, users, channel } = setUp();
    const elsewhere = world.add.account({ type: 'customer', parentId: channel.reseller.id, rootId: channel.distributor.id, accountPath: [channel.distributor.id, channel.reseller.id, 'acc_x'] });
    const stranger = world.add.user(elsewhere);
    await expect(users.edit(callerOf(channel.customerAdmin), stranger.id, { firstName: 'X' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('adding users', () => {
  it('adds people with passwords as ready, and with invitations as not activated with one email each', async () => {
    const { world, users, channel } = setUp();
    const ready = await users.add(callerOf(channel.customerAdmin), channel.customer.id, { users: [person('a@contoso.example', { password: 'Password-For-A-1' })], sendActivationEmail: false });
    expect(ready[0]).toMatchObject({ status: 'ready', passwordHash: 'hash:Password-For-A-1', locale: 'en' });
    const invited = await users.add(callerOf(channel.customerAdmin), channel.customer.id, {
      users: [person('b@contoso.example'), person('c@contoso.example', { locale: 'de' })],
      sendActivationEmail: true,
    });
    expect(invited.map((u) => [u.status, u.passwordHash, u.locale])).toEqual([
      ['not_activated', undefined, 'en'],
      ['not_activated', undefined, 'de'],
    ]);
    expect(world.emails.map((e) => [e.template, e.to, e.locale])).toEqual([
      ['activation', 'b@contoso.example', 'en'],
      ['activation', 'c@contoso.example', 'de'],
    ]);
  });

  it('refuses a login given twice in one request, ignoring case, and creates nobody', async () => {
    const { world, users, channel } = setUp();
    const before = world.users.size;
    await expect(
      users.add(callerOf(channel.customerAdmin), channel.customer.id, { users: [person('twice@contoso.example'), person('TWICE@contoso.example')], sendActivationEmail: true }),
    ).rejects.toMatchObject({ status: 409, code: 'login_taken', details: [{ path: 'users.1.login' }] });
    expect(world.users.size).toBe(before);
  });

  it('refuses a password with an invitation, none without, and one equal to the login', async () => {
    const { users, channel } = setUp();
    const add = (u: ReturnType<typeof person>, sendActivationEmail: boolean) => users.add(callerOf(channel.customerAdmin), channel.customer.id, { users: [u], sendActivationEmail });
    await expect(add(person('d@contoso.example', { password: 'Password-For-D-1' }), true)).rejects.toMatchObject({ status: 400, details: [{ code: 'unexpected' }] });
    await expect(add(person('d@contoso.example'), false)).rejects.toMatchObject({ status: 400, details: [{ code: 'required' }] });
    await expect(add(person('d@contoso.example', { password: 'D@contoso.example' }), false)).rejects.toMatchObject({ status: 400, details: [{ code: 'equals_login' }] });
  });

  it('does not let a customer admin add people to a staff account (404: out of its scope)', async () => {
    const { world, users, channel } = setUp();
    const before = world.users.size;
    await expect(users.add(callerOf(channel.customerAdmin), channel.reseller.id, { users: [person('staff@contoso.example', { role: 'admin', password: 'Password-For-S-1' })], sendActivationEmail: false })).rejects.toMatchObject({ status: 404 });
    expect(world.users.size).toBe(before);
  });

  it('does not let a customer user add people (403)', async () => {
    const { world, users, channel } = setUp();
    const plain = world.add.user(channel.customer);
    await expect(users.add(callerOf(plain), channel.customer.id, { users: [person('e@contoso.example')], sendActivationEmail: true })).rejects.toMatchObject({ status: 403 });
  });
});

describe('status changes and passwords', () => {
  it('deactivation ends every session issued so far; the caller cannot deactivate itself', async () => {
    const { world, users, channel } = setUp();
    const target = world.add.user(channel.customer);
    const before = clock.now().getTime();
    const user = await users.deactivate(callerOf(channel.customerAdmin), target.id);
    // Sessions issued up to the deactivation end: tokensValidAfter is its moment (the clock runs on meanwhile).
    expect(user.status).toBe('deactivated');
    expect(user.tokensValidAfter).toBeGreaterThanOrEqual(before);
    expect(user.tokensValidAfter).toBeLessThanOrEqual(clock.now().getTime());
    await expect(users.deactivate(callerOf(channel.customerAdmin), target.id)).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
    await expect(users.deactivate(callerOf(channel.customerAdmin), channel.customerAdmin.id)).rejects.toMatchObject({ code: 'cannot_act_on_self' });
  });

  it('a password an admin sets replaces a pending invitation and tells the user', async () => {
    const { world, users, channel } = setUp();
    const [invited] = await users.add(callerOf(channel.customerAdmin), channel.customer.id, { users: [person('f@contoso.example')], sendActivationEmail: true });
    const user = await users.setPassword(callerOf(channel.customerAdmin), invited!.id, 'Password-For-F-1');
    expect(user).toMatchObject({ status: 'ready', passwordHash: 'hash:Password-For-F-1' });
    expect(user.activationTokenHash).toBeUndefined();
    expect(world.emails.map((e) => e.template)).toEqual(['activation', 'password-changed']);
  });

  it('resends an invitation only to a user not yet activated', async () => {
    const { world, users, channel } = setUp();
    const ready = world.add.user(channel.customer);
    await expect(users.resendActivation(callerOf(channel.customerAdmin), ready.id)).rejects.toMatchObject({ status: 409 });
    const [invited] = await users.add(callerOf(channel.customerAdmin), channel.customer.id, { users: [person('g@contoso.example')], sendActivationEmail: true });
    await users.resendActivation(callerOf(channel.customerAdmin), invited!.id);
    expect(world.emails.map((e) => e.template)).toEqual(['activation', 'activation-resent']);
  });
});

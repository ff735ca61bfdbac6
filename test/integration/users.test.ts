import { readFileSync } from 'node:fs';
import { call, login, stack, staffLogin, unique, waitForEmail } from './api.ts';
import { createCustomer } from '../factories/index.ts';

/**
 * Portal users and sign-in (docs/product.md#portal-users, docs/product.md#auth-and-self, docs/product.md#accounts-and-users), over HTTP through the local gateway, with the
 * activation links taken from the SES store.
 */
const PASSWORD = 'Users-Test-Password-1';
const secrets = new Set<string>([PASSWORD]);
const replies: string[] = [];

async function api(method: string, path: string, opts: Parameters<typeof call>[2] = {}) {
  const r = await call(method, path, opts);
  replies.push(JSON.stringify(r.body ?? ''));
  return r;
}

const newUser = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'Uma',
  lastName: 'User',
  login: `${unique('user')}@people.test`,
  role: 'user',
  locale: 'en',
  ...overrides,
});

function linkOf(email: { body: { text: string } }): string {
  const m = /\/activate\?token=([A-Za-z0-9_.-]+)/.exec(email.body.text);
  if (!m) throw new Error('no activation link in the email');
  secrets.add(m[1]!);
  return m[1]!;
}

async function setClock(now: string | undefined) {
  if (now) await call('PUT', '/_local/clock', { body: { now } });
  else await call('DELETE', '/_local/clock');
}

async function sessionOf(loginName: string, password: string) {
  const r = await api('POST', '/v1/auth/login', { body: { login: loginName, password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status}`);
  secrets.add(r.body.accessToken);
  secrets.add(r.body.refreshToken);
  return r.body as { accessToken: string; refreshToken: string; user: { id: string } };
}

describe('portal users', () => {
  let staff: string;
  let customer: Awaited<ReturnType<typeof createCustomer>>;
  let admin: string;

  beforeAll(async () => {
    staff = await staffLogin();
    customer = await createCustomer(staff);
    secrets.add(customer.password);
    admin = await login(customer.login, customer.password);
  });

  afterEach(() => setClock(undefined));

  it('invites users by email; each sets its password through the link once', async () => {
    const people = [newUser({ locale: 'es' }), newUser({ locale: 'de', role: 'admin' })];
    const added = await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: people, sendActivationEmail: true } });
    expect(added.status).toBe(201);
    expect(added.body.items.map((u: { status: string }) => u.status)).toEqual(['not_activated', 'not_activated']);

    const [es] = await waitForEmail((e) => e.destination.to.includes(people[0]!.login as string));
    const [de] = await waitForEmail((e) => e.destination.to.includes(people[1]!.login as string));
    expect(es!.subject).toMatch(/activ/i);
    expect(de!.body.html).toContain('lang="de"');
    expect(es!.body.html).toContain('lang="es"');

    const token = linkOf(es!);
    const activated = await api('POST', '/v1/auth/activate', { body: { token, password: PASSWORD } });
    expect(activated.status).toBe(200);
    expect(activated.body.status).toBe('ready');
    expect((await sessionOf(people[0]!.login as string, PASSWORD)).user.id).toBe(added.body.items[0].id);

    const again = await api('POST', '/v1/auth/activate', { body: { token, password: PASSWORD } });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('token_expired');
  });

  it('refuses an activation link after 48 hours, and a resent link replaces the old one', async () => {
    const person = newUser();
    await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: true } });
    const [first] = await waitForEmail((e) => e.destination.to.includes(person.login as string));
    const oldToken = linkOf(first!);

    await setClock(new Date(Date.now() + 49 * 3600_000).toISOString());
    const late = await api('POST', '/v1/auth/activate', { body: { token: oldToken, password: PASSWORD } });
    expect(late.status).toBe(410);
    await setClock(undefined);

    const users = await api('GET', `/v1/accounts/${customer.account.id}/users?status=not_activated&limit=100`, { token: admin });
    const target = users.body.items.find((u: { login: string }) => u.login === person.login);
    const resent = await api('POST', `/v1/users/${target.id}/activation-email`, { token: admin });
    expect(resent.status).toBe(202);
    const mails = await waitForEmail((e) => e.destination.to.includes(person.login as string) && linkOf(e) !== oldToken);
    const newToken = linkOf(mails.at(-1)!);
    expect((await api('POST', '/v1/auth/activate', { body: { token: oldToken, password: PASSWORD } })).status).toBe(410);
    expect((await api('POST', '/v1/auth/activate', { body: { token: newToken, password: PASSWORD } })).status).toBe(200);
  });

  it('creates ready users with passwords, lists them by status and role, and edits every field', async () => {
    const person = newUser({ password: PASSWORD });
    const added = await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } });
    expect(added.status).toBe(201);
    const user = added.body.items[0];
    expect(user.status).toBe('ready');

    const listed = await api('GET', `/v1/accounts/${customer.account.id}/users?status=ready&role=user&limit=100`, { token: admin });
    expect(listed.body.items.map((u: { id: string }) => u.id)).toContain(user.id);
    expect(listed.body.items.every((u: { status: string; role: string }) => u.status === 'ready' && u.role === 'user')).toBe(true);

    const newLogin = `${unique('renamed')}@people.test`;
    const edited = await api('PATCH', `/v1/users/${user.id}`, {
      token: admin,
      body: {
        firstName: 'Ulla',
        lastName: 'Updated',
        login: newLogin,
        notificationEmail: 'ulla.notify@people.test',
        role: 'admin',
        locale: 'de',
        phone: '+49 30 1234567',
        address: { line1: 'Neue Straße 2', city: 'Köln', postalCode: '50667', country: 'DE' },
      },
    });
    expect(edited.status).toBe(200);
    const read = await api('GET', `/v1/users/${user.id}`, { token: admin });
    expect(read.body).toMatchObject({ firstName: 'Ulla', lastName: 'Updated', login: newLogin, notificationEmail: 'ulla.notify@people.test', role: 'admin', locale: 'de', phone: '+49 30 1234567', address: { city: 'Köln' } });
    await sessionOf(newLogin, PASSWORD);
    expect((await api('POST', '/v1/auth/login', { body: { login: person.login, password: PASSWORD } })).status).toBe(401);

    const cleared = await api('PATCH', `/v1/users/${user.id}`, { token: admin, body: { phone: null, notificationEmail: null } });
    expect(cleared.body).toMatchObject({ phone: null, notificationEmail: newLogin });
  });

  it('adds fifty users at once with their invitations, and refuses fifty-one', async () => {
    const fresh = await createCustomer(staff);
    const token = await login(fresh.login, fresh.password);
    const people = Array.from({ length: 50 }, () => newUser());
    const added = await api('POST', `/v1/accounts/${fresh.account.id}/users`, { token, body: { users: people, sendActivationEmail: true } });
    expect(added.status).toBe(201);
    expect(added.body.items).toHaveLength(50);
    const listed = await api('GET', `/v1/accounts/${fresh.account.id}/users?status=not_activated&limit=100`, { token });
    expect(listed.body.items).toHaveLength(50);
    await waitForEmail((e) => e.destination.to.includes(people[49]!.login as string));
    const tooMany = await api('POST', `/v1/accounts/${fresh.account.id}/users`, { token, body: { users: [...people, newUser()].map((p) => ({ ...p, login: `x${p.login}` })), sendActivationEmail: true } });
    expect(tooMany.status).toBe(400);
  });

  it('refuses a bulk add with a duplicate login and creates none of it', async () => {
    const before = (await api('GET', `/v1/accounts/${customer.account.id}/users?limit=100`, { token: admin })).body.items.length;
    const dup = newUser({ password: PASSWORD });
    const inRequest = await api('POST', `/v1/accounts/${customer.account.id}/users`, {
      token: admin,
      body: { users: [newUser({ password: PASSWORD }), dup, { ...dup, login: (dup.login as string).toUpperCase() }], sendActivationEmail: false },
    });
    expect(inRequest.status).toBe(409);
    expect(inRequest.body.error.code).toBe('login_taken');
    const existing = await api('POST', `/v1/accounts/${customer.account.id}/users`, {
      token: admin,
      body: { users: [newUser({ password: PASSWORD }), newUser({ password: PASSWORD, login: customer.login.toUpperCase() })], sendActivationEmail: false },
    });
    expect(existing.status).toBe(409);
    expect(existing.body.error.code).toBe('login_taken');
    const after = (await api('GET', `/v1/accounts/${customer.account.id}/users?limit=100`, { token: admin })).body.items.length;
    expect(after).toBe(before);
  });

  it('lets exactly one of two parallel requests create the same login', async () => {
    const person = newUser({ password: PASSWORD });
    const [a, b] = await Promise.all([
      api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } }),
      api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [{ ...person, login: (person.login as string).toUpperCase() }], sendActivationEmail: false } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
  });

  it('locks on the fifth failure with the same body as an unknown login, and an admin unlocks', async () => {
    const person = newUser({ password: PASSWORD });
    const user = (await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } })).body.items[0];
    for (let i = 1; i <= 5; i++) {
      const r = await api('POST', '/v1/auth/login', { body: { login: person.login, password: `wrong-password-${i}` } });
      expect(r.status).toBe(401);
    }
    const locked = await api('POST', '/v1/auth/login', { body: { login: person.login, password: PASSWORD } });
    const unknown = await api('POST', '/v1/auth/login', { body: { login: `${unique('ghost')}@people.test`, password: PASSWORD } });
    expect(locked.status).toBe(401);
    expect(locked.body).toEqual(unknown.body);
    expect((await api('GET', `/v1/users/${user.id}`, { token: admin })).body.status).toBe('locked');

    expect((await api('POST', `/v1/users/${user.id}/activate`, { token: admin })).body.status).toBe('ready');
    for (let i = 0; i < 4; i++) await api('POST', '/v1/auth/login', { body: { login: person.login, password: 'wrong-again-123' } });
    await sessionOf(person.login as string, PASSWORD);

    const history = await api('GET', `/v1/users/${user.id}/login-history?limit=100`, { token: admin });
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ outcome: 'success', ip: expect.any(String), userAgent: expect.any(String), actor: null });
    expect(history.body.items.filter((e: { outcome: string }) => e.outcome === 'failure')).toHaveLength(10);
    const times = history.body.items.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  /**
   * A token of a user who may no longer act: refused at once for anything that may change something,
   * and for reads within the minute (the authorizer trusts a user seen allowed for 30 s on reads).
   */
  async function expectStopped(token: string) {
    expect((await api('PATCH', '/v1/me', { token, body: { firstName: 'Stopped' } })).status).toBe(401);
    try {
      await setClock(new Date(Date.now() + 31_000).toISOString());
      expect((await api('GET', '/v1/me', { token })).status).toBe(401);
    } finally {
      await setClock(undefined);
    }
  }

  it('stops the existing tokens of a user who is deactivated, deleted, or whose password changed', async () => {
    const mk = async () => {
      const person = newUser({ password: PASSWORD });
      const user = (await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } })).body.items[0];
      return { user, session: await sessionOf(person.login as string, PASSWORD), login: person.login as string };
    };
    const a = await mk();
    expect((await api('GET', '/v1/me', { token: a.session.accessToken })).status).toBe(200);
    await api('POST', `/v1/users/${a.user.id}/deactivate`, { token: admin });
    await expectStopped(a.session.accessToken);
    expect((await api('POST', '/v1/auth/refresh', { body: { refreshToken: a.session.refreshToken } })).status).toBe(401);
    expect((await api('POST', '/v1/auth/login', { body: { login: a.login, password: PASSWORD } })).status).toBe(401);
    expect((await api('POST', `/v1/users/${a.user.id}/activate`, { token: admin })).body.status).toBe('ready');
    await sessionOf(a.login, PASSWORD);

    const b = await mk();
    expect((await api('DELETE', `/v1/users/${b.user.id}`, { token: admin })).status).toBe(204);
    await expectStopped(b.session.accessToken);
    expect((await api('GET', `/v1/users/${b.user.id}`, { token: admin })).status).toBe(404);
    const reused = await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [newUser({ login: b.login, password: PASSWORD })], sendActivationEmail: false } });
    expect(reused.status).toBe(201);

    const c = await mk();
    const NEW = 'Changed-By-Admin-77';
    secrets.add(NEW);
    expect((await api('POST', `/v1/users/${c.user.id}/password`, { token: admin, body: { password: NEW } })).status).toBe(200);
    await expectStopped(c.session.accessToken);
    await sessionOf(c.login, NEW);
    await waitForEmail((e) => e.destination.to.includes(c.login) && /password/i.test(e.subject));
  });

  it('lets a user read and edit itself and change its password with the current one', async () => {
    const person = newUser({ password: PASSWORD });
    await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } });
    const s = await sessionOf(person.login as string, PASSWORD);
    const me = await api('GET', '/v1/me', { token: s.accessToken });
    expect(me.body).toMatchObject({ login: person.login, role: 'user' });
    const patched = await api('PATCH', '/v1/me', { token: s.accessToken, body: { firstName: 'Self', locale: 'es' } });
    expect(patched.body).toMatchObject({ firstName: 'Self', locale: 'es' });
    expect((await api('PATCH', '/v1/me', { token: s.accessToken, body: { role: 'admin' } })).status).toBe(400);

    const wrong = await api('POST', '/v1/me/password', { token: s.accessToken, body: { currentPassword: 'not-it-at-all', newPassword: 'Another-Password-9' } });
    expect(wrong.status).toBe(422);
    const NEW = 'Self-Chosen-Password-2';
    secrets.add(NEW);
    const changed = await api('POST', '/v1/me/password', { token: s.accessToken, body: { currentPassword: PASSWORD, newPassword: NEW } });
    expect(changed.status).toBe(200);
    secrets.add(changed.body.accessToken);
    secrets.add(changed.body.refreshToken);
    await expectStopped(s.accessToken);
    expect((await api('GET', '/v1/me', { token: changed.body.accessToken })).status).toBe(200);
    await sessionOf(person.login as string, NEW);
  });

  it('lets a customer user manage only itself', async () => {
    const person = newUser({ password: PASSWORD });
    await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } });
    const s = await sessionOf(person.login as string, PASSWORD);
    const adminId = customer.admin.id;
    expect((await api('GET', `/v1/accounts/${customer.account.id}/users`, { token: s.accessToken })).status).toBe(403);
    expect((await api('GET', `/v1/users/${adminId}`, { token: s.accessToken })).status).toBe(403);
    expect((await api('PATCH', `/v1/users/${adminId}`, { token: s.accessToken, body: { firstName: 'X' } })).status).toBe(403);
    expect((await api('POST', `/v1/users/${adminId}/deactivate`, { token: s.accessToken })).status).toBe(403);
    expect((await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: s.accessToken, body: { users: [newUser({ password: PASSWORD })], sendActivationEmail: false } })).status).toBe(403);
    expect((await api('GET', `/v1/users/${s.user.id}`, { token: s.accessToken })).status).toBe(200);
    expect((await api('PATCH', `/v1/users/${s.user.id}`, { token: s.accessToken, body: { role: 'admin' } })).status).toBe(403);
    expect((await api('GET', `/v1/users/${s.user.id}/login-history`, { token: s.accessToken })).status).toBe(200);
    expect((await api('POST', '/v1/auth/impersonate', { token: s.accessToken, body: { userId: adminId } })).status).toBe(403);
  });

  it('logs in as another user within the limits, naming both people', async () => {
    const other = await createCustomer(staff);
    const person = newUser({ password: PASSWORD });
    const user = (await api('POST', `/v1/accounts/${customer.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } })).body.items[0];

    // staff admin → a customer's user
    const asUser = await api('POST', '/v1/auth/impersonate', { token: staff, body: { userId: user.id } });
    expect(asUser.status).toBe(200);
    secrets.add(asUser.body.accessToken);
    const me = await api('GET', '/v1/me', { token: asUser.body.accessToken });
    expect(me.body).toMatchObject({ id: user.id, actingAs: { actorUserId: expect.any(String) } });
    expect((await api('POST', '/v1/me/password', { token: asUser.body.accessToken, body: { currentPassword: PASSWORD, newPassword: 'Hijacked-Password-1' } })).status).toBe(403);
    expect((await api('POST', '/v1/auth/impersonate', { token: asUser.body.accessToken, body: { userId: customer.admin.id } })).status).toBe(403);
    const history = await api('GET', `/v1/users/${user.id}/login-history`, { token: admin });
    expect(history.body.items[0].actor).toEqual(me.body.actingAs.actorUserId);

    // customer admin → a user of its own account, not of another
    expect((await api('POST', '/v1/auth/impersonate', { token: admin, body: { userId: user.id } })).status).toBe(200);
    expect((await api('POST', '/v1/auth/impersonate', { token: admin, body: { userId: other.admin.id } })).status).toBe(404);
    // staff admin → not the users of its own account
    const staffMe = await api('GET', '/v1/me', { token: staff });
    expect((await api('POST', '/v1/auth/impersonate', { token: staff, body: { userId: staffMe.body.id } })).status).toBe(422);
    const asAdminOfPassword = await api('POST', `/v1/users/${user.id}/password`, { token: asUser.body.accessToken, body: { password: 'Whatever-Pass-11' } });
    expect(asAdminOfPassword.status).toBe(403);
  });

  it('never answers a password, a hash or someone else’s token, and never logs one', async () => {
    const all = replies.join('\n');
    expect(all).not.toMatch(/passwordHash|scrypt\$|activationTokenHash/);
    for (const reply of replies) {
      // Tokens appear only in the login/refresh/impersonate answers made for the caller itself.
      if (/accessToken/.test(reply)) continue;
      expect(reply).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    }
    expect(all).not.toContain(PASSWORD);
    await new Promise((r) => setTimeout(r, 500));
    const logs = readFileSync(stack().logFile, 'utf8');
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).toContain('request handled');
    for (const secret of secrets) expect(logs.includes(secret)).toBe(false);
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    expect(logs).not.toMatch(/scrypt\$/);
  });
});

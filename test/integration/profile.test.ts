import { readFileSync } from 'node:fs';
import { scaled } from './scale.ts';
import { call, emails, login, stack, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { addCard, agreement, company, createCustomer, firstOffer, makeCustomerBody, makeOrderBody } from '../factories/index.ts';

/**
 * The own profile and the limits of "log in as" (docs/product.md#portal-users, docs/product.md#api-conventions, docs/product.md#auth-and-self), over HTTP: what a
 * log-in-as session may not do for the customer, whose Idempotency-Keys are whose, login changes
 * confirmed by a link to the new address, links that die with a login change, and parallel
 * profile edits that all land.
 */
const PASSWORD = 'Profile-Test-Password-1';
const secrets = new Set<string>([PASSWORD]);

const person = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'Pia',
  lastName: 'Profile',
  login: `${unique('pia')}@profile.test`,
  role: 'user',
  locale: 'en',
  password: PASSWORD,
  ...overrides,
});

async function addUsers(token: string, accountId: string, users: Array<Record<string, unknown>>, sendActivationEmail = false) {
  const r = await call('POST', `/v1/accounts/${accountId}/users`, { token, body: { users, sendActivationEmail } });
  if (r.status !== 201) throw new Error(`add users: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.items as Array<{ id: string; login: string }>;
}

async function actAs(token: string, userId: string): Promise<string> {
  const r = await call('POST', '/v1/auth/impersonate', { token, body: { userId } });
  if (r.status !== 200) throw new Error(`impersonate: ${r.status} ${JSON.stringify(r.body)}`);
  secrets.add(r.body.accessToken);
  return r.body.accessToken as string;
}

function tokenIn(email: { body: { text: string } }, page: 'activate' | 'confirm-login'): string | undefined {
  const m = new RegExp(`/${page}\\?token=([A-Za-z0-9_.-]+)`).exec(email.body.text);
  if (m) secrets.add(m[1]!);
  return m?.[1];
}

const signsIn = async (loginName: string, password = PASSWORD) => (await call('POST', '/v1/auth/login', { body: { login: loginName, password } })).status;

describe('the own profile and the limits of log in as', () => {
  let staff: string;
  let offerId: string;
  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });

  it("refuses a log-in-as session changing the target's login or notification address, and changes nothing", async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const [u] = await addUsers(admin, c.account.id, [person()]);
    const asAdmin = await actAs(staff, c.admin.id);
    const asUser = await actAs(admin, u!.id);
    const tries: Array<[string, string, string, Record<string, unknown>]> = [
      [asAdmin, 'PATCH', '/v1/me', { login: `${unique('hijack')}@profile.test` }],
      [asAdmin, 'PATCH', '/v1/me', { notificationEmail: 'hijack@profile.test' }],
      [asAdmin, 'PATCH', '/v1/me', { notificationEmail: null, firstName: 'Acted' }],
      [asAdmin, 'PATCH', `/v1/users/${c.admin.id}`, { login: `${unique('hijack')}@profile.test` }],
      [asAdmin, 'PATCH', `/v1/users/${c.admin.id}`, { notificationEmail: 'hijack@profile.test' }],
      [asUser, 'PATCH', '/v1/me', { login: `${unique('hijack')}@profile.test` }],
      [asUser, 'PATCH', `/v1/users/${u!.id}`, { notificationEmail: 'hijack@profile.test' }],
    ];
    for (const [token, method, path, body] of tries) {
      const r = await call(method, path, { token, body });
      expect([path, body, r.status, r.body.error?.code]).toEqual([path, body, 403, 'forbidden']);
    }
    expect((await call('GET', `/v1/users/${c.admin.id}`, { token: admin })).body).toMatchObject({ login: c.login, notificationEmail: c.login, firstName: 'Ada' });
    expect((await call('GET', `/v1/users/${u!.id}`, { token: admin })).body).toMatchObject({ login: u!.login, notificationEmail: u!.login });
    // the rest of the profile stays editable under log in as
    const named = await call('PATCH', '/v1/me', { token: asAdmin, body: { firstName: 'Acted' } });
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ firstName: 'Acted', login: c.login });
  });

  it('refuses to accept a partner invitation under log in as; the customer admin accepts it', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const name = `ext-${unique('prt').toLowerCase()}.onmicrosoft.com`;
    const linked = await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: staff, body: { mode: 'link', domain: name } });
    expect(linked.body.domain.status).toBe('pending_partner_acceptance');
    const asAdmin = await actAs(staff, c.admin.id);
    const refused = await call('POST', `/v1/domains/${linked.body.domain.id}/accept`, { token: asAdmin });
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'forbidden']);
    expect((await call('GET', `/v1/domains/${linked.body.domain.id}`, { token: admin })).body.status).toBe('pending_partner_acceptance');
    expect((await call('POST', `/v1/domains/${linked.body.domain.id}/accept`, { token: admin })).status).toBe(200);
  });

  it('refuses a customer agreement under log in as: checkout, domain creation and staff orders', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id);
    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId, quantity: 2 } })).status).toBe(201);
    const asAdmin = await actAs(staff, c.admin.id);

    const checkout = await call('POST', '/v1/cart/checkout', {
      token: asAdmin,
      body: { domain: { mode: 'create', prefix: unique('act').toLowerCase(), company }, paymentMethodId: pm, customerAgreement: agreement },
      headers: { 'idempotency-key': unique('act-co') },
    });
    expect([checkout.status, checkout.body.error?.code]).toEqual([403, 'forbidden']);
    const domain = await call('POST', `/v1/accounts/${c.account.id}/domains`, {
      token: asAdmin,
      body: { mode: 'create', prefix: unique('act').toLowerCase(), company, customerAgreement: agreement },
    });
    expect([domain.status, domain.body.error?.code]).toEqual([403, 'forbidden']);

    // a reseller's admin, logged in as by the distributor, places a staff order for its customer
    const reseller = await createCustomer(staff, { type: 'reseller' });
    const resellerAdmin = await login(reseller.login, reseller.password);
    const rc = await createCustomer(resellerAdmin);
    const asReseller = await actAs(staff, reseller.admin.id);
    const staffOrder = await call('POST', `/v1/accounts/${rc.account.id}/orders`, { token: asReseller, body: makeOrderBody(offerId), headers: { 'idempotency-key': unique('act-so') } });
    expect([staffOrder.status, staffOrder.body.error?.code]).toEqual([403, 'forbidden']);

    // nothing was recorded: no order, no domain, still no agreement
    expect((await call('GET', `/v1/orders?accountId=${c.account.id}`, { token: staff })).body.items).toEqual([]);
    expect((await call('GET', `/v1/orders?accountId=${rc.account.id}`, { token: staff })).body.items).toEqual([]);
    expect((await call('GET', `/v1/accounts/${c.account.id}/domains`, { token: staff })).body.items).toEqual([]);
    const without = await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: asAdmin, body: { mode: 'create', prefix: unique('act').toLowerCase(), company } });
    expect([without.status, without.body.error?.code]).toEqual([422, 'customer_agreement_required']);
  });

  it('keeps Idempotency-Keys to the user acted as: two log-in-as sessions with one key make two orders', async () => {
    const c = await createCustomer(staff);
    const admin1 = await login(c.login, c.password);
    const [second] = await addUsers(admin1, c.account.id, [person({ role: 'admin' })]);
    const admin2 = await login(second!.login, PASSWORD);
    const created = await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: staff, body: { mode: 'create', prefix: unique('idem').toLowerCase(), company, customerAgreement: agreement } });
    expect(created.status).toBe(201);
    const pm = await addCard(admin1, c.account.id);
    expect((await call('POST', '/v1/cart/items', { token: admin1, body: { offerId, quantity: 3 } })).status).toBe(201);
    expect((await call('POST', '/v1/cart/items', { token: admin2, body: { offerId, quantity: 7 } })).status).toBe(201);

    const key = unique('shared-key');
    const body = { domain: { mode: 'existing', domainId: created.body.domain.id }, paymentMethodId: pm };
    const checkout = (token: string) => call('POST', '/v1/cart/checkout', { token, body, headers: { 'idempotency-key': key } });
    const first = await checkout(await actAs(staff, c.admin.id));
    expect(first.status).toBe(201);
    const other = await checkout(await actAs(staff, second!.id));
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
    expect(other.body.lines.map((l: { quantity: number }) => l.quantity)).toEqual([7]);
    // the key is the first admin's: its own session gets the first answer again
    const own = await checkout(admin1);
    expect(own.status).toBe(201);
    expect(own.body.id).toBe(first.body.id);
    expect((await call('GET', `/v1/orders?accountId=${c.account.id}`, { token: staff })).body.items).toHaveLength(2);
    await waitOrder(first.body.id);
    await waitOrder(other.body.id);
  });

  it('answers a login change of its own with 202 whatever the address, and applies it through the link sent to the new address', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const [u] = await addUsers(admin, c.account.id, [person({ locale: 'de' })]);
    const session = await login(u!.login, PASSWORD);
    const free1 = `${unique('first')}@profile.test`;
    const free2 = `${unique('second')}@profile.test`;

    const asked1 = await call('PATCH', '/v1/me', { token: session, body: { login: free1 } });
    const taken = await call('PATCH', '/v1/me', { token: session, body: { login: c.login } });
    const asked2 = await call('PATCH', '/v1/me', { token: session, body: { login: free2 } });
    const viaUsers = await call('PATCH', `/v1/users/${c.admin.id}`, { token: admin, body: { login: u!.login } });
    expect([asked1.status, taken.status, asked2.status, viaUsers.status]).toEqual([202, 202, 202, 202]);
    // The same answer whether the address is free or taken: each request writes the user once, so only the version moves, by one.
    const sansVersion = ({ version, ...rest }: Record<string, unknown>) => ({ rest, version });
    expect(sansVersion(taken.body).rest).toEqual(sansVersion(asked1.body).rest);
    expect(sansVersion(asked2.body).rest).toEqual(sansVersion(asked1.body).rest);
    expect([taken.body.version - asked1.body.version, asked2.body.version - taken.body.version]).toEqual([1, 1]);
    expect(asked1.body).toMatchObject({ id: u!.id, login: u!.login });
    expect((await call('GET', '/v1/me', { token: session })).body.login).toBe(u!.login);
    expect((await call('GET', '/v1/me', { token: admin })).body.login).toBe(c.login);

    const [link1] = await waitForEmail((e) => e.destination.to.includes(free1));
    const [link2] = await waitForEmail((e) => e.destination.to.includes(free2));
    for (const mail of [link1!, link2!]) {
      expect(tokenIn(mail, 'confirm-login')).toBeDefined();
      expect(mail.body.html).toContain('lang="de"');
    }
    // the taken address is told so, with no link that would apply anything
    const notices = await waitForEmail((e) => e.destination.to.includes(c.login));
    expect(notices).toHaveLength(1);
    expect(tokenIn(notices[0]!, 'confirm-login')).toBeUndefined();
    expect(notices[0]!.body.text).toContain(c.login);
    const adminNotice = await waitForEmail((e) => e.destination.to.includes(u!.login));
    expect(adminNotice).toHaveLength(1);
    expect(tokenIn(adminNotice[0]!, 'confirm-login')).toBeUndefined();

    // each request replaces the one before: the first link is dead, the last one applies
    const stale = await call('POST', '/v1/auth/confirm-login', { body: { token: tokenIn(link1!, 'confirm-login') } });
    expect([stale.status, stale.body.error?.code]).toEqual([410, 'token_expired']);
    const token2 = tokenIn(link2!, 'confirm-login')!;
    const confirmed = await call('POST', '/v1/auth/confirm-login', { body: { token: token2 } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: u!.id, login: free2 });
    expect((await call('POST', '/v1/auth/confirm-login', { body: { token: token2 } })).status).toBe(410);
    expect(await signsIn(u!.login)).toBe(401);
    expect(await signsIn(free2)).toBe(200);
    expect(await signsIn(c.login, c.password)).toBe(200);
    expect((await call('POST', '/v1/auth/confirm-login', { body: { token: 'not-a-token' } })).status).toBe(410);

    // an admin changing someone else's login is answered at once
    const clash = await call('PATCH', `/v1/users/${u!.id}`, { token: admin, body: { login: c.login } });
    expect([clash.status, clash.body.error?.code]).toEqual([409, 'login_taken']);
  });

  it('ends an activation link when an admin corrects the login, and sends a fresh one to the new address', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const typo = `${unique('typo')}@profile.tset`;
    const right = `${unique('right')}@profile.test`;
    const [u] = await addUsers(admin, c.account.id, [person({ login: typo, password: undefined })], true);
    const [invitation] = await waitForEmail((e) => e.destination.to.includes(typo));
    const oldToken = tokenIn(invitation!, 'activate')!;

    const fixed = await call('PATCH', `/v1/users/${u!.id}`, { token: admin, body: { login: right } });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ login: right, status: 'not_activated' });

    const old = await call('POST', '/v1/auth/activate', { body: { token: oldToken, password: PASSWORD } });
    expect([old.status, old.body.error?.code]).toEqual([410, 'token_expired']);
    const [fresh] = await waitForEmail((e) => e.destination.to.includes(right));
    const activated = await call('POST', '/v1/auth/activate', { body: { token: tokenIn(fresh!, 'activate'), password: PASSWORD } });
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ login: right, status: 'ready' });
    expect(await signsIn(right)).toBe(200);
    expect((await emails()).filter((e) => e.destination.to.includes(typo))).toHaveLength(1);
  });

  it("ends a user's reset link and pending login change when an admin changes its login", async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const [u] = await addUsers(admin, c.account.id, [person()]);
    const session = await login(u!.login, PASSWORD);
    const wanted = `${unique('wanted')}@profile.test`;
    expect((await call('PATCH', '/v1/me', { token: session, body: { login: wanted } })).status).toBe(202);
    expect((await call('POST', '/v1/auth/password-reset', { body: { login: u!.login } })).status).toBe(202);
    const [change] = await waitForEmail((e) => e.destination.to.includes(wanted));
    const [reset] = await waitForEmail((e) => e.destination.to.includes(u!.login) && /\/reset-password\?token=/.test(e.body.text));
    const resetToken = /\/reset-password\?token=([A-Za-z0-9_.-]+)/.exec(reset!.body.text)![1]!;
    secrets.add(resetToken);

    const moved = `${unique('moved')}@profile.test`;
    expect((await call('PATCH', `/v1/users/${u!.id}`, { token: admin, body: { login: moved } })).status).toBe(200);
    const resetAfter = await call('POST', '/v1/auth/password-reset/confirm', { body: { token: resetToken, password: 'Another-Password-42' } });
    expect([resetAfter.status, resetAfter.body.error?.code]).toEqual([410, 'token_expired']);
    const changeAfter = await call('POST', '/v1/auth/confirm-login', { body: { token: tokenIn(change!, 'confirm-login') } });
    expect([changeAfter.status, changeAfter.body.error?.code]).toEqual([410, 'token_expired']);
    expect(await signsIn(moved)).toBe(200);
    expect(await signsIn(wanted)).toBe(401);
  });

  const USERS = scaled(6, 20);
  it(`keeps every field of parallel PATCH /v1/me requests (${USERS} users, six fields each at once)`, async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const sessions: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const [p] = await addUsers(admin, c.account.id, [person()]);
      sessions.push(await login(p!.login, PASSWORD));
    }
    const fields = (i: number): Array<Record<string, unknown>> => [
      { firstName: `First${i}` },
      { lastName: `Last${i}` },
      { notificationEmail: `notify${i}@profile.test` },
      { locale: 'es' },
      { phone: `+49 30 ${1000 + i}` },
      { address: { line1: `${i} Parallel Street`, city: 'Berlin', postalCode: '10115', country: 'DE' } },
    ];
    const replies = await Promise.all(
      sessions.flatMap((token, i) => fields(i).map((body) => call('PATCH', '/v1/me', { token, body }))),
    );
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    for (const [i, token] of sessions.entries()) {
      const me = (await call('GET', '/v1/me', { token })).body;
      expect(me).toMatchObject({
        firstName: `First${i}`,
        lastName: `Last${i}`,
        notificationEmail: `notify${i}@profile.test`,
        locale: 'es',
        phone: `+49 30 ${1000 + i}`,
        address: { line1: `${i} Parallel Street` },
      });
    }
  });

  describe('If-Match on the edits of a user, the own profile and an account (docs/product.md#api-conventions)', () => {
    const etagOf = (r: { headers: Headers }) => r.headers.get('etag');

    it('refuses PATCH /v1/users/{id} with a stale If-Match (412, nothing changed) and applies it with the current ETag', async () => {
      const c = await createCustomer(staff);
      const admin = await login(c.login, c.password);
      const [u] = await addUsers(admin, c.account.id, [person()]);
      const read = await call('GET', `/v1/users/${u!.id}`, { token: admin });
      const etag = etagOf(read);
      expect(etag).toBe(`"${read.body.version}"`);
      const moved = await call('PATCH', `/v1/users/${u!.id}`, { token: admin, body: { firstName: 'First' }, headers: { 'if-match': etag! } });
      expect(moved.status).toBe(200);
      expect(etagOf(moved)).toBe(`"${read.body.version + 1}"`);
      const stale = await call('PATCH', `/v1/users/${u!.id}`, { token: admin, body: { firstName: 'Stale' }, headers: { 'if-match': etag! } });
      expect([stale.status, stale.body.error?.code]).toEqual([412, 'precondition_failed']);
      const after = await call('GET', `/v1/users/${u!.id}`, { token: admin });
      expect(after.body).toMatchObject({ firstName: 'First', version: read.body.version + 1 });
      const current = await call('PATCH', `/v1/users/${u!.id}`, { token: admin, body: { lastName: 'Current' }, headers: { 'if-match': etagOf(after)! } });
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ firstName: 'First', lastName: 'Current', version: read.body.version + 2 });
    });

    it('refuses PATCH /v1/me with a stale If-Match (412, nothing changed) and applies it with the current ETag', async () => {
      const c = await createCustomer(staff);
      const admin = await login(c.login, c.password);
      const me = await call('GET', '/v1/me', { token: admin });
      const etag = etagOf(me);
      expect(etag).toBe(`"${me.body.version}"`);
      const stale = await call('PATCH', '/v1/me', { token: admin, body: { firstName: 'Stale' }, headers: { 'if-match': `"${me.body.version + 7}"` } });
      expect([stale.status, stale.body.error?.code]).toEqual([412, 'precondition_failed']);
      expect((await call('GET', '/v1/me', { token: admin })).body).toMatchObject({ firstName: me.body.firstName, version: me.body.version });
      const current = await call('PATCH', '/v1/me', { token: admin, body: { firstName: 'Current' }, headers: { 'if-match': etag! } });
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ firstName: 'Current', version: me.body.version + 1 });
      expect(etagOf(current)).toBe(`"${me.body.version + 1}"`);
    });

    it('keeps the profile open on one device current while the same person signs in on another (a sign-in is not an edit)', async () => {
      const c = await createCustomer(staff);
      const laptop = await login(c.login, c.password);
      const read = await call('GET', '/v1/me', { token: laptop });
      const phone = await login(c.login, c.password);
      const again = await call('GET', '/v1/me', { token: phone });
      expect(etagOf(again)).toBe(etagOf(read));
      expect(Date.parse(again.body.lastLoginAt)).toBeGreaterThanOrEqual(Date.parse(read.body.lastLoginAt));
      const saved = await call('PATCH', '/v1/me', { token: laptop, body: { firstName: 'Laptop' }, headers: { 'if-match': etagOf(read)! } });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ firstName: 'Laptop', version: read.body.version + 1 });
    });

    it('refuses PATCH /v1/accounts/{id} with a stale If-Match (412, nothing changed) and applies it with the current ETag', async () => {
      const c = await createCustomer(staff);
      const read = await call('GET', `/v1/accounts/${c.account.id}`, { token: staff });
      const etag = etagOf(read);
      expect(etag).toBe(`"${read.body.version}"`);
      const moved = await call('PATCH', `/v1/accounts/${c.account.id}`, { token: staff, body: { name: 'Renamed Ltd' }, headers: { 'if-match': etag! } });
      expect(moved.status).toBe(200);
      const stale = await call('PATCH', `/v1/accounts/${c.account.id}`, { token: staff, body: { name: 'Stale Ltd', settings: { orderProcessing: 'manual' } }, headers: { 'if-match': etag! } });
      expect([stale.status, stale.body.error?.code]).toEqual([412, 'precondition_failed']);
      const after = await call('GET', `/v1/accounts/${c.account.id}`, { token: staff });
      expect(after.body).toMatchObject({ name: 'Renamed Ltd', settings: { orderProcessing: read.body.settings.orderProcessing }, version: read.body.version + 1 });
      const current = await call('PATCH', `/v1/accounts/${c.account.id}`, { token: staff, body: { settings: { orderProcessing: 'manual' } }, headers: { 'if-match': etagOf(after)! } });
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ name: 'Renamed Ltd', settings: { orderProcessing: 'manual' }, version: read.body.version + 2 });
    });
  });

  it('never logs a confirmation or activation link, nor a token', () => {
    const log = readFileSync(stack().logFile, 'utf8');
    expect(secrets.size).toBeGreaterThan(3);
    for (const s of secrets) expect(log).not.toContain(s);
  });
});

describe('the support contact an account shows its users', () => {
  let staff: string;
  let distributorId: string;
  beforeAll(async () => {
    staff = await staffLogin();
    distributorId = (await call('GET', '/v1/me', { token: staff })).body.accountId;
  });

  it("answers on GET /v1/me the account's own contact, else the nearest one above, and an account's admins set and remove their own", async () => {
    const distributor = await call('GET', `/v1/accounts/${distributorId}`, { token: staff });
    const fromTop = distributor.body.support;
    expect((await call('GET', '/v1/me', { token: staff })).body.support).toEqual(fromTop);

    const resellerBody = makeCustomerBody({ type: 'reseller', name: `Reseller ${unique('r')}` });
    const reseller = await call('POST', '/v1/accounts', { token: staff, body: resellerBody });
    expect(reseller.status).toBe(201);
    expect(reseller.body.account.support).toBeNull();
    const resellerAdmin = await login(resellerBody.admin.login as string, resellerBody.admin.password as string);
    const c = await createCustomer(resellerAdmin);
    const customerAdmin = await login(c.login, c.password);
    const [u] = await addUsers(customerAdmin, c.account.id, [person()]);
    const customerUser = await login(u!.login, PASSWORD);
    const supportOf = async (token: string) => (await call('GET', '/v1/me', { token })).body.support;
    expect(await supportOf(customerUser)).toEqual(fromTop);

    // the reseller's own admin sets its contact, with the account's ETag
    const read = await call('GET', `/v1/accounts/${reseller.body.account.id}`, { token: resellerAdmin });
    const desk = { email: 'help@reseller.test', phone: '+34 910 000 000', url: 'https://help.reseller.test/portal' };
    const set = await call('PATCH', `/v1/accounts/${reseller.body.account.id}`, { token: resellerAdmin, body: { support: desk }, headers: { 'if-match': read.headers.get('etag')! } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ support: desk, version: read.body.version + 1 });
    expect(await supportOf(customerUser)).toEqual(desk);
    expect(await supportOf(customerAdmin)).toEqual(desk);
    expect(await supportOf(resellerAdmin)).toEqual(desk);
    expect(await supportOf(staff)).toEqual(fromTop);

    // the customer's admin sets one of its own: only an email; the parts not given are null
    const own = await call('PATCH', `/v1/accounts/${c.account.id}`, { token: customerAdmin, body: { support: { email: 'it@customer.test' } } });
    expect(own.status).toBe(200);
    expect(own.body.support).toEqual({ email: 'it@customer.test', phone: null, url: null });
    expect(await supportOf(customerUser)).toEqual({ email: 'it@customer.test', phone: null, url: null });

    // null removes it: the reseller's applies again
    const cleared = await call('PATCH', `/v1/accounts/${c.account.id}`, { token: resellerAdmin, body: { support: null } });
    expect([cleared.status, cleared.body.support]).toEqual([200, null]);
    expect(await supportOf(customerUser)).toEqual(desk);
    expect((await call('GET', `/v1/accounts/${c.account.id}`, { token: customerAdmin })).body.support).toBeNull();
  });

  it('refuses a contact that is empty, not an address or not a web link, a user who is not an admin, and an account above', async () => {
    const c = await createCustomer(staff);
    const customerAdmin = await login(c.login, c.password);
    const [u] = await addUsers(customerAdmin, c.account.id, [person()]);
    const customerUser = await login(u!.login, PASSWORD);
    const path = `/v1/accounts/${c.account.id}`;
    const bad: Array<[unknown, string]> = [
      [{}, 'support'],
      [{ email: 'not-an-address' }, 'support.email'],
      [{ phone: 'call me' }, 'support.phone'],
      [{ url: 'javascript:alert(1)' }, 'support.url'],
      [{ url: 'ftp://files.customer.test' }, 'support.url'],
      [{ email: 'it@customer.test', fax: '+1 555 0100' }, 'support'],
    ];
    for (const [support, field] of bad) {
      const r = await call('PATCH', path, { token: staff, body: { support } });
      expect([support, r.status, r.body.error?.code]).toEqual([support, 400, 'validation_failed']);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    const byUser = await call('PATCH', path, { token: customerUser, body: { support: { email: 'me@customer.test' } } });
    expect([byUser.status, byUser.body.error?.code]).toEqual([403, 'forbidden']);
    const upwards = await call('PATCH', `/v1/accounts/${distributorId}`, { token: customerAdmin, body: { support: { email: 'me@customer.test' } } });
    expect([upwards.status, upwards.body.error?.code]).toEqual([404, 'not_found']);
    const after = await call('GET', path, { token: staff });
    expect([after.body.support, after.body.version]).toEqual([null, c.account.version]);
  });
});

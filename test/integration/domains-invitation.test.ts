import { call, emails, login, staffLogin, unique, waitForEmail } from './api.ts';
import { createCustomer } from '../factories/index.ts';

/**
 * `POST /v1/domains/{domainId}/invitation` (docs/product.md#microsoft-domains): the partner
 * invitation of a linked domain sent again to the customer's admins, through the outbox, while the
 * domain waits for the acceptance; staff in scope and the customer's admins; once a minute.
 */
async function setClock(now?: Date) {
  if (now) await call('PUT', '/_local/clock', { body: { now: now.toISOString() } });
  else await call('DELETE', '/_local/clock');
}

const invitationsTo = async (to: string, domain: string) => (await emails()).filter((e) => e.destination.to.includes(to) && e.body.text.includes(domain));

describe('sending the partner invitation again', () => {
  let staff: string;
  beforeAll(async () => {
    staff = await staffLogin();
  });
  afterEach(() => setClock());

  it("sends it again to the customer's admins, at most once a minute, and audits it on the customer", async () => {
    const c = await createCustomer(staff);
    const name = `ext-${unique('inv').toLowerCase()}.onmicrosoft.com`;
    const linked = await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: staff, body: { mode: 'link', domain: name } });
    expect(linked.status).toBe(201);
    expect(linked.body.domain).toMatchObject({ status: 'pending_partner_acceptance', invitationSentAt: expect.any(String) });
    await waitForEmail((e) => e.destination.to.includes(c.login) && e.body.text.includes(name));
    const domainId = linked.body.domain.id as string;

    // Just sent with the link: 429 with the seconds to wait.
    const early = await call('POST', `/v1/domains/${domainId}/invitation`, { token: staff });
    expect(early.status).toBe(429);
    expect(early.body.error.code).toBe('throttled');
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);

    await setClock(new Date(Date.now() + 61_000));
    const resent = await call('POST', `/v1/domains/${domainId}/invitation`, { token: staff, body: {} });
    expect(resent.status).toBe(202);
    expect(resent.body).toEqual({ domainId, sentTo: 1 });
    // The notifier sends from the outbox, asynchronously.
    const deadline = Date.now() + 15_000;
    while ((await invitationsTo(c.login, name)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const both = await invitationsTo(c.login, name);
    expect(both).toHaveLength(2);
    expect(both[1]!.body.text).toContain(`/domains/${domainId}/accept`);

    // The customer's admin may send it too, a minute later.
    const admin = await login(c.login, c.password);
    await setClock(new Date(Date.now() + 2 * 61_000));
    expect((await call('POST', `/v1/domains/${domainId}/invitation`, { token: admin })).body).toEqual({ domainId, sentTo: 1 });
    const domain = await call('GET', `/v1/domains/${domainId}`, { token: admin });
    expect(Date.parse(domain.body.invitationSentAt)).toBeGreaterThan(Date.parse(linked.body.domain.invitationSentAt));

    const me = (await call('GET', '/v1/me', { token: staff })).body;
    const events = await call('GET', `/v1/accounts/${c.account.id}/audit-events?action=${encodeURIComponent('POST /v1/domains/{domainId}/invitation')}&limit=100`, { token: staff });
    expect(events.body.items).toEqual([
      expect.objectContaining({ resource: { type: 'domain', id: domainId }, actor: expect.objectContaining({ userId: c.admin.id }), status: 202, details: { sentTo: 1 } }),
      expect.objectContaining({ resource: { type: 'domain', id: domainId }, actor: expect.objectContaining({ userId: me.id }), status: 202 }),
    ]);
  });

  it('refuses a domain not waiting for the acceptance (409), a customer user (403) and another customer (404)', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const created = await call('POST', `/v1/accounts/${c.account.id}/domains`, {
      token: admin,
      body: { mode: 'create', prefix: unique('own').toLowerCase(), company: { name: 'Own Ltd', address: { line1: '1 Road', city: 'Berlin', postalCode: '10115', country: 'DE' }, contact: { firstName: 'A', lastName: 'B', email: 'a@b.test' } }, customerAgreement: { firstName: 'Ada', lastName: 'Admin', email: 'ada@customer.test', acceptedAt: '2026-11-01T10:00:00Z' } },
    });
    expect(created.status).toBe(201);
    const active = await call('POST', `/v1/domains/${created.body.domain.id}/invitation`, { token: staff });
    expect(active.status).toBe(409);
    expect(active.body.error.code).toBe('invalid_state');

    const name = `ext-${unique('inv').toLowerCase()}.onmicrosoft.com`;
    const linked = await call('POST', `/v1/accounts/${c.account.id}/domains`, { token: admin, body: { mode: 'link', domain: name } });
    const user = { firstName: 'Una', lastName: 'User', login: `${unique('u')}@people.test`, role: 'user', password: 'Plain-User-Pass-1' };
    await call('POST', `/v1/accounts/${c.account.id}/users`, { token: admin, body: { users: [user], sendActivationEmail: false } });
    const userToken = await login(user.login, user.password);
    expect((await call('POST', `/v1/domains/${linked.body.domain.id}/invitation`, { token: userToken })).status).toBe(403);
    const other = await createCustomer(staff);
    const otherAdmin = await login(other.login, other.password);
    expect((await call('POST', `/v1/domains/${linked.body.domain.id}/invitation`, { token: otherAdmin })).status).toBe(404);
    expect((await call('POST', `/v1/domains/${linked.body.domain.id}/invitation`, { token: admin, body: { to: 'x' } })).status).toBe(400);
  });
});

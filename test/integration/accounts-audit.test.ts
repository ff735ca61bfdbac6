import { call, login, staffLogin, unique } from './api.ts';
import { address, createCustomer } from '../factories/index.ts';

/**
 * The audit trail's filters and names (docs/product.md#audit-trail): `action` (exactly as stored)
 * and `actorId` (the actor, or the user acted as) on top of `from`/`to`, a page per Query that may
 * be short while `nextCursor` leads on; each user actor named, and the user acted as.
 */
type Event = { at: string; action: string; resource: { type: string; id: string | null }; actor: Record<string, unknown> };

async function all(path: string, token: string): Promise<Event[]> {
  const items: Event[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r: { status: number; body: { items: Event[]; nextCursor: string | null } } = await call('GET', `${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(r.status).toBe(200);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return items;
}

describe('audit events by action and by person', () => {
  let staff: string;
  let me: { id: string; firstName: string; lastName: string };
  let c: Awaited<ReturnType<typeof createCustomer>>;
  let admin: string;
  const adminName = 'Ada Admin';

  beforeAll(async () => {
    staff = await staffLogin();
    me = (await call('GET', '/v1/me', { token: staff })).body;
    c = await createCustomer(staff);
    admin = await login(c.login, c.password);
    // The admin edits itself twice; staff, logged in as the admin, edits the account once; staff edits it once.
    await call('PATCH', `/v1/users/${c.admin.id}`, { token: admin, body: { phone: '+49 30 1' } });
    await call('PATCH', `/v1/users/${c.admin.id}`, { token: admin, body: { phone: '+49 30 2' } });
    const acting = await call('POST', '/v1/auth/impersonate', { token: staff, body: { userId: c.admin.id } });
    await call('PATCH', `/v1/accounts/${c.account.id}`, { token: acting.body.accessToken, body: { address: { ...address, city: 'Hamburg' } } });
    await call('PATCH', `/v1/accounts/${c.account.id}`, { token: staff, body: { name: `Renamed ${unique('n')}` } });
  });

  it('names each user actor and the user acted as', async () => {
    const events = await all(`/v1/accounts/${c.account.id}/audit-events?limit=100`, admin);
    const staffName = `${me.firstName} ${me.lastName}`;
    const byAdmin = events.find((e) => e.action === 'PATCH /v1/users/{userId}')!;
    expect(byAdmin.actor).toEqual({ userId: c.admin.id, name: adminName, onBehalfOf: null, onBehalfOfName: null });
    const actingAs = events.find((e) => e.action === 'PATCH /v1/accounts/{accountId}' && e.actor.onBehalfOf)!;
    expect(actingAs.actor).toEqual({ userId: me.id, name: staffName, onBehalfOf: c.admin.id, onBehalfOfName: adminName });
  });

  it('keeps only one action, exactly as stored, page after short page', async () => {
    const all100 = await all(`/v1/accounts/${c.account.id}/audit-events?limit=100`, admin);
    const edits = await all(`/v1/accounts/${c.account.id}/audit-events?limit=1&action=${encodeURIComponent('PATCH /v1/users/{userId}')}`, admin);
    expect(edits.map((e) => e.at)).toEqual(all100.filter((e) => e.action === 'PATCH /v1/users/{userId}').map((e) => e.at));
    expect(edits).toHaveLength(2);
    // exact, not a prefix, and not a concrete path
    expect(await all(`/v1/accounts/${c.account.id}/audit-events?action=PATCH`, admin)).toEqual([]);
    expect(await all(`/v1/accounts/${c.account.id}/audit-events?action=${encodeURIComponent(`PATCH /v1/users/${c.admin.id}`)}`, admin)).toEqual([]);
  });

  it("keeps one person's events: as the actor or as the user acted as, combined with action and time", async () => {
    const all100 = await all(`/v1/accounts/${c.account.id}/audit-events?limit=100`, admin);
    const byStaff = await all(`/v1/accounts/${c.account.id}/audit-events?limit=2&actorId=${me.id}`, admin);
    expect(byStaff.map((e) => e.at)).toEqual(all100.filter((e) => e.actor.userId === me.id || e.actor.onBehalfOf === me.id).map((e) => e.at));
    expect(byStaff.length).toBeGreaterThanOrEqual(3); // the account's creation, the "log in as", the edit as the admin, the rename

    const asAdmin = await all(`/v1/accounts/${c.account.id}/audit-events?limit=100&actorId=${c.admin.id}`, admin);
    expect(asAdmin.map((e) => e.action)).toEqual(expect.arrayContaining(['PATCH /v1/users/{userId}', 'PATCH /v1/accounts/{accountId}']));
    expect(asAdmin.every((e) => e.actor.userId === c.admin.id || e.actor.onBehalfOf === c.admin.id)).toBe(true);

    const both = await all(`/v1/accounts/${c.account.id}/audit-events?limit=100&actorId=${me.id}&action=${encodeURIComponent('PATCH /v1/accounts/{accountId}')}`, admin);
    expect(both).toHaveLength(2);
    const future = await all(`/v1/accounts/${c.account.id}/audit-events?limit=100&actorId=${me.id}&from=2999-01-01`, admin);
    expect(future).toEqual([]);
  });

  it('refuses a malformed actorId or an empty action with 400, and stays 403/404 as before', async () => {
    expect((await call('GET', `/v1/accounts/${c.account.id}/audit-events?actorId=acc_01JD6W1K3M5N7P9Q2R4S6T8V0W`, { token: admin })).status).toBe(400);
    expect((await call('GET', `/v1/accounts/${c.account.id}/audit-events?action=`, { token: admin })).status).toBe(400);
    const other = await createCustomer(staff);
    expect((await call('GET', `/v1/accounts/${other.account.id}/audit-events?actorId=${me.id}`, { token: admin })).status).toBe(404);
  });
});

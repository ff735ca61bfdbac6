import { call, login, staffLogin, unique } from './api.ts';
import { createCustomer, makeCustomerBody } from '../factories/index.ts';

/**
 * `GET /v1/accounts` and its filters (docs/product.md#accounts-and-users): `status`, `parentId`
 * (the accounts directly below one in scope) and `q` (a part of the name, without case or
 * accents), newest first; a filtered page may be short, and following `nextCursor` reaches every
 * match once.
 */
type Page = { items: Array<{ id: string; name: string; status: string; parentId: string; createdAt: string }>; nextCursor: string | null };

/** Every item of a list, following its cursor; and how many pages it took. */
async function all(path: string, token: string): Promise<{ items: Page['items']; pages: number }> {
  const items: Page['items'] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r: { status: number; body: Page } = await call('GET', `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(r.status).toBe(200);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { items, pages };
}

describe('listing accounts with filters', () => {
  let staff: string;
  let reseller: { id: string };
  let resellerToken: string;
  let tag: string;
  const made: Record<string, { id: string; name: string }> = {};

  beforeAll(async () => {
    staff = await staffLogin();
    tag = unique('zq').replace('-', '');
    const body = makeCustomerBody({ type: 'reseller', name: `Reseller ${tag}` });
    reseller = (await call('POST', '/v1/accounts', { token: staff, body })).body.account;
    resellerToken = await login(body.admin.login as string, body.admin.password as string);
    // Created one after the other: the list is newest first.
    for (const [key, name] of [
      ['cafe', `Café Zürich ${tag}`],
      ['plain', `Plain Trading ${tag}`],
      ['upper', `CAFE BERLIN ${tag}`],
      ['other', `Other Works ${tag}`],
    ] as const) {
      made[key] = (await createCustomer(resellerToken, { name })).account;
    }
  });

  it('lists only the accounts directly below a parent in scope, newest first', async () => {
    const below = await all(`/v1/accounts?parentId=${reseller.id}&limit=100`, staff);
    expect(below.items.map((a) => a.id)).toEqual([made.other!.id, made.upper!.id, made.plain!.id, made.cafe!.id]);
    expect(below.items.every((a) => a.parentId === reseller.id)).toBe(true);
    // the reseller asks for its own children the same way
    expect((await all(`/v1/accounts?parentId=${reseller.id}`, resellerToken)).items).toHaveLength(4);
    // below a customer: nothing
    expect((await all(`/v1/accounts?parentId=${made.cafe!.id}`, staff)).items).toEqual([]);
  });

  it('answers 404 for a parent outside the scope, or unknown, and 400 for a malformed one', async () => {
    const other = await createCustomer(staff);
    const otherToken = await login(other.login, other.password);
    expect((await call('GET', `/v1/accounts?parentId=${reseller.id}`, { token: otherToken })).status).toBe(404);
    const siblingBody = makeCustomerBody({ type: 'reseller', name: `Sibling ${unique('r')}` });
    await call('POST', '/v1/accounts', { token: staff, body: siblingBody });
    const siblingToken = await login(siblingBody.admin.login as string, siblingBody.admin.password as string);
    const refused = await call('GET', `/v1/accounts?parentId=${reseller.id}`, { token: siblingToken });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('not_found');
    expect((await call('GET', '/v1/accounts?parentId=acc_01JD6W1K3M5N7P9Q2R4S6T8V0W', { token: staff })).status).toBe(404);
    expect((await call('GET', '/v1/accounts?parentId=nope', { token: staff })).status).toBe(400);
  });

  it('finds a part of the name whatever its case and accents, trimmed, page by page', async () => {
    for (const q of ['café', 'CAFE', 'cafe ', ' Café']) {
      const found = await all(`/v1/accounts?parentId=${reseller.id}&q=${encodeURIComponent(q)}&limit=1`, staff);
      expect(found.items.map((a) => a.id)).toEqual([made.upper!.id, made.cafe!.id]);
      // pages of one evaluated account: short (empty) pages lead on to the next match
      expect(found.pages).toBeGreaterThanOrEqual(2);
    }
    // across the whole scope, by the tag every name of this test carries
    const everywhere = await all(`/v1/accounts?q=${encodeURIComponent(`zürich ${tag}`)}&limit=100`, staff);
    expect(everywhere.items.map((a) => a.id)).toEqual([made.cafe!.id]);
    expect((await all(`/v1/accounts?q=${tag}&limit=100`, resellerToken)).items).toHaveLength(4);
  });

  it('finds an account by its new name after a rename', async () => {
    const renamed = `Ångström Labs ${tag}`;
    expect((await call('PATCH', `/v1/accounts/${made.other!.id}`, { token: resellerToken, body: { name: renamed } })).status).toBe(200);
    expect((await all(`/v1/accounts?parentId=${reseller.id}&q=angstrom`, staff)).items.map((a) => a.id)).toEqual([made.other!.id]);
    expect((await all(`/v1/accounts?parentId=${reseller.id}&q=other%20works`, staff)).items).toEqual([]);
  });

  it('filters by status, alone and with the other filters', async () => {
    expect((await call('POST', `/v1/accounts/${made.plain!.id}/suspend`, { token: resellerToken })).status).toBe(200);
    expect((await all(`/v1/accounts?parentId=${reseller.id}&status=suspended&limit=1`, staff)).items.map((a) => a.id)).toEqual([made.plain!.id]);
    const active = await all(`/v1/accounts?parentId=${reseller.id}&status=active&type=customer`, staff);
    expect(active.items.map((a) => a.id)).not.toContain(made.plain!.id);
    expect(active.items).toHaveLength(3);
    expect((await all(`/v1/accounts?status=suspended&q=${tag}`, resellerToken)).items.map((a) => a.id)).toEqual([made.plain!.id]);
    expect((await all(`/v1/accounts?parentId=${reseller.id}&status=suspended&q=cafe`, staff)).items).toEqual([]);
  });

  it("filters a customer's own one-account list the same way", async () => {
    const c = await createCustomer(staff, { name: `Müller Einzel ${unique('m')}` });
    const token = await login(c.login, c.password);
    expect((await call('GET', '/v1/accounts?q=MULLER', { token })).body.items.map((a: { id: string }) => a.id)).toEqual([c.account.id]);
    expect((await call('GET', '/v1/accounts?q=nothing-like-it', { token })).body.items).toEqual([]);
    expect((await call('GET', '/v1/accounts?status=suspended', { token })).body.items).toEqual([]);
  });

  it('refuses an empty, blank or too long q, and an unknown status, with 400', async () => {
    for (const query of ['q=', 'q=%20%20', `q=${'x'.repeat(101)}`, 'status=closed']) {
      const r = await call('GET', `/v1/accounts?${query}`, { token: staff });
      expect([query, r.status, r.body.error.code]).toEqual([query, 400, 'validation_failed']);
    }
    expect((await call('GET', `/v1/accounts?q=${'x'.repeat(100)}`, { token: staff })).status).toBe(200);
  });
});

import { call, login, staffLogin, type Reply } from './api.ts';
import { createCustomer } from '../factories/index.ts';
import { SEEDED_VAT_RATES } from '../../functions/domain/tax.ts';

/**
 * VAT over HTTP (docs/commerce.md "Tax"): the rate table the distributor keeps, seeded, versions
 * added by distributor admins only; tax profiles with their VAT id normalized and checked against
 * the country's format. The table is the stack's one item: the test adds versions on days no other
 * run takes (or reads what an earlier run of the day left).
 */
type Body = Record<string, any>;

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const versionsOf = (r: Reply, country: string): Body[] => ((r.body.items as Body[]).find((i) => i.country === country)?.versions ?? []) as Body[];

describe('the VAT rate table and tax profiles', () => {
  let staff: string;
  let reseller: { id: string; token: string };
  let direct: { id: string; token: string };

  const rates = (token: string): Promise<Reply> => call('GET', '/v1/tax/rates', { token });
  const addRate = (body: Body, token = staff): Promise<Reply> => call('POST', '/v1/tax/rates', { token, body });
  const profileOf = (accountId: string, token: string): Promise<Reply> => call('GET', `/v1/accounts/${accountId}/tax-profile`, { token });
  const setProfile = (accountId: string, body: Body, token: string): Promise<Reply> => call('PUT', `/v1/accounts/${accountId}/tax-profile`, { token, body });

  beforeAll(async () => {
    staff = await staffLogin();
    const [r, c] = await Promise.all([createCustomer(staff, { type: 'reseller' }), createCustomer(staff)]);
    reseller = { id: r.account.id, token: await login(r.login, r.password) };
    direct = { id: c.account.id, token: await login(c.login, c.password) };
  }, 30_000);

  it('answers the seeded table: every EU state and GB from 2026-01-01', async () => {
    const r = await rates(reseller.token);
    expect(r.status).toBe(200);
    expect((r.body.items as Body[]).map((i) => i.country)).toEqual(Object.keys(SEEDED_VAT_RATES).sort());
    for (const [country, rateBps] of Object.entries(SEEDED_VAT_RATES)) expect(versionsOf(r, country)[0]).toEqual({ rateBps, effectiveFrom: '2026-01-01' });
    expect((await rates(direct.token)).status).toBe(403);
  });

  it('adds a DE version effective tomorrow for the distributor; refuses a reseller, a past date, an unknown country and a second one that day', async () => {
    const tomorrow = day(1);
    const already = versionsOf(await rates(staff), 'DE').some((v) => v.effectiveFrom === tomorrow);
    const added = await addRate({ country: 'DE', rateBps: 2000, effectiveFrom: tomorrow });
    // An earlier run today took tomorrow already: the second addition is the 409 this test wants anyway.
    expect(added.status).toBe(already ? 409 : 201);
    const seen = versionsOf(await rates(reseller.token), 'DE');
    expect(seen[0]).toEqual({ rateBps: 1900, effectiveFrom: '2026-01-01' });
    expect(seen).toContainEqual({ rateBps: 2000, effectiveFrom: tomorrow });

    const before = (await rates(staff)).body;
    const cases: Array<[string, () => Promise<Reply>, number, string]> = [
      ['a reseller', () => addRate({ country: 'DE', rateBps: 2100, effectiveFrom: day(2) }, reseller.token), 403, 'forbidden'],
      ['a past date', () => addRate({ country: 'DE', rateBps: 2100, effectiveFrom: day(-1) }), 422, 'past_effective_date'],
      ['twice a day', () => addRate({ country: 'DE', rateBps: 2100, effectiveFrom: tomorrow }), 409, 'rate_version_exists'],
      ['unknown country', () => addRate({ country: 'US', rateBps: 800, effectiveFrom: day(2) }), 422, 'unknown_country'],
      ['rate over 100 %', () => addRate({ country: 'DE', rateBps: 10_001, effectiveFrom: day(2) }), 400, 'validation_failed'],
      ['rate not an integer', () => addRate({ country: 'DE', rateBps: 19.5, effectiveFrom: day(2) }), 400, 'validation_failed'],
    ];
    for (const [name, run, status, code] of cases) {
      const r = await run();
      expect({ name, status: r.status, code: r.body?.error?.code }).toEqual({ name, status, code });
    }
    expect((await rates(staff)).body).toEqual(before);
  });

  it('keeps both of two concurrent additions for two countries', async () => {
    const on = day(100 + Math.floor(Math.random() * 20_000));
    const [a, b] = await Promise.all([addRate({ country: 'FR', rateBps: 2050, effectiveFrom: on }), addRate({ country: 'IT', rateBps: 2250, effectiveFrom: on })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const after = await rates(staff);
    expect(versionsOf(after, 'FR')).toContainEqual({ rateBps: 2050, effectiveFrom: on });
    expect(versionsOf(after, 'IT')).toContainEqual({ rateBps: 2250, effectiveFrom: on });
  });

  it('sets a profile with its VAT id normalized; refuses a wrong format at vatId and changes nothing', async () => {
    expect((await profileOf(direct.id, direct.token)).body).toEqual({ accountId: direct.id, profile: null });
    const address = { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' };
    const saved = await setProfile(direct.id, { legalName: 'Contoso Iberia S.L.', country: 'ES', vatId: 'es x-1234567-z', address }, direct.token);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ accountId: direct.id, profile: { legalName: 'Contoso Iberia S.L.', country: 'ES', vatId: 'ESX1234567Z', address } });
    const read = await profileOf(direct.id, staff);
    expect(read.body).toEqual(saved.body);

    const wrong = await setProfile(direct.id, { legalName: 'Contoso GmbH', country: 'DE', vatId: 'DE 1234' }, direct.token);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('validation_failed');
    expect(wrong.body.error.details).toEqual([expect.objectContaining({ path: 'vatId' })]);
    expect((await profileOf(direct.id, direct.token)).body).toEqual(read.body);
  });

  it('hides another branch’s account (404)', async () => {
    expect((await profileOf(direct.id, reseller.token)).status).toBe(404);
    expect((await setProfile(direct.id, { legalName: 'X', country: 'FR' }, reseller.token)).status).toBe(404);
    expect((await profileOf(direct.id, direct.token)).body.profile.legalName).toBe('Contoso Iberia S.L.');
  });
});

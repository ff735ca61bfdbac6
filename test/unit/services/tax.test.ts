import type { RateVersion, TaxProfile, VatTable } from '#data/tax.ts';
import { Conflict } from '#platform/errors.ts';
import { callerOf, fakeWorld } from './fake-people.ts';

const { makeTaxService } = await import('#services/tax.ts');
const { seededVatTable } = await import('#data/tax.ts');

const TODAY = '2027-03-01';
const TOMORROW = '2027-03-02';
const clock = { nowIso: () => `${TODAY}T10:00:00.000Z` };

/** The tax service (docs/commerce.md "Tax") over in-memory repositories with the real ones' guarantees. */
function setUp() {
  const world = fakeWorld();
  const channel = world.add.channel();
  const resellerUser = world.add.user(channel.reseller, { role: 'user' });
  const otherReseller = world.add.below(channel.distributor, 'reseller');
  const otherResellerAdmin = world.add.user(otherReseller, { role: 'admin' });
  let table: VatTable = seededVatTable();
  const profiles = new Map<string, TaxProfile>();
  const tax = {
    async getVatTable() {
      return structuredClone(table);
    },
    async addVatRateVersion(country: string, added: RateVersion) {
      const versions = table.rates[country] ?? [];
      if (versions.some((v) => v.effectiveFrom === added.effectiveFrom)) throw new Conflict('rate_version_exists', 'exists');
      table = { rates: { ...table.rates, [country]: [...versions, added] }, version: table.version + 1 };
      return structuredClone(table);
    },
    async getTaxProfile(accountId: string) {
      return profiles.has(accountId) ? structuredClone(profiles.get(accountId)) : undefined;
    },
    async putTaxProfile(p: TaxProfile) {
      profiles.set(p.accountId, structuredClone(p));
      return p;
    },
  };
  const service = makeTaxService({ accounts: { getAccount: async (id: string) => world.accounts.get(id) }, tax, clock });
  return {
    ...channel,
    profiles,
    service,
    distributorCaller: callerOf(channel.distributorAdmin),
    resellerCaller: callerOf(channel.resellerAdmin),
    resellerUserCaller: callerOf(resellerUser),
    customerCaller: callerOf(channel.customerAdmin),
    otherResellerCaller: callerOf(otherResellerAdmin),
  };
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status: number; code: string; details?: unknown };
    return { status: err.status, code: err.code, details: err.details };
  }
  throw new Error('expected a refusal');
}

describe('the VAT rate table', () => {
  it('answers the seed until changed; staff only', async () => {
    const w = setUp();
    const t = await w.service.rates(w.resellerCaller);
    expect(t.version).toBe(0);
    expect(t.rates.DE).toEqual([{ rateBps: 1900, effectiveFrom: '2026-01-01' }]);
    expect(t.rates.GB).toEqual([{ rateBps: 2000, effectiveFrom: '2026-01-01' }]);
    expect((await refusal(w.service.rates(w.customerCaller))).status).toBe(403);
  });

  it('adds a version for distributor admins; refuses others, unknown countries, past dates and a second version on a day', async () => {
    const w = setUp();
    const t = await w.service.addRate(w.distributorCaller, { country: 'DE', rateBps: 2000, effectiveFrom: TOMORROW });
    expect(t.rates.DE).toEqual([
      { rateBps: 1900, effectiveFrom: '2026-01-01' },
      { rateBps: 2000, effectiveFrom: TOMORROW },
    ]);
    expect(await refusal(w.service.addRate(w.resellerCaller, { country: 'DE', rateBps: 2000, effectiveFrom: '2027-04-01' }))).toMatchObject({ status: 403 });
    expect(await refusal(w.service.addRate(w.distributorCaller, { country: 'US', rateBps: 800, effectiveFrom: TOMORROW }))).toMatchObject({ status: 422, code: 'unknown_country' });
    expect(await refusal(w.service.addRate(w.distributorCaller, { country: 'FR', rateBps: 2100, effectiveFrom: '2027-02-28' }))).toMatchObject({ status: 422, code: 'past_effective_date' });
    expect(await refusal(w.service.addRate(w.distributorCaller, { country: 'DE', rateBps: 2100, effectiveFrom: TOMORROW }))).toMatchObject({ status: 409, code: 'rate_version_exists' });
    expect((await w.service.addRate(w.distributorCaller, { country: 'GB', rateBps: 2000, effectiveFrom: TODAY })).rates.GB).toHaveLength(2);
  });
});

describe('tax profiles', () => {
  it('normalizes a valid VAT id and answers the profile to anyone in scope', async () => {
    const w = setUp();
    const saved = await w.service.setProfile(w.customerCaller, w.customer.id, { legalName: 'Contoso S.L.', country: 'ES', vatId: 'es x-1234567-z' });
    expect(saved).toMatchObject({ accountId: w.customer.id, legalName: 'Contoso S.L.', country: 'ES', vatId: 'ESX1234567Z' });
    expect((await w.service.profile(w.resellerUserCaller, w.customer.id)).profile).toMatchObject({ vatId: 'ESX1234567Z' });
    expect((await refusal(w.service.profile(w.customerCaller, w.reseller.id))).status).toBe(404);
  });

  it('refuses a VAT id of the wrong format with a 400 at vatId and writes nothing', async () => {
    const w = setUp();
    await w.service.setProfile(w.resellerCaller, w.customer.id, { legalName: 'Contoso GmbH', country: 'DE', vatId: 'DE123456789' });
    const r = await refusal(w.service.setProfile(w.resellerCaller, w.customer.id, { legalName: 'Other', country: 'DE', vatId: 'DE12345' }));
    expect(r).toMatchObject({ status: 400, code: 'validation_failed', details: [{ path: 'vatId' }] });
    expect(w.profiles.get(w.customer.id)).toMatchObject({ legalName: 'Contoso GmbH', vatId: 'DE123456789' });
  });

  it('lets an admin of the account or a staff admin above it set it; others get 403 or 404', async () => {
    const w = setUp();
    const body = { legalName: 'Contoso', country: 'FR' };
    await w.service.setProfile(w.distributorCaller, w.customer.id, body);
    expect((await refusal(w.service.setProfile(w.resellerUserCaller, w.customer.id, body))).status).toBe(403);
    expect((await refusal(w.service.setProfile(w.otherResellerCaller, w.customer.id, body))).status).toBe(404);
  });
});

import type { EntityItem } from 'electrodb';
import { db, type TaxProfileEntity } from './entities.ts';
import { retryOnConflict, type RETRY } from './tx.ts';
import { Conflict, TransientError } from '#platform/errors.ts';
import { SEEDED_VAT_RATES } from '#domain/tax.ts';

/**
 * The distributor's VAT rate table and the accounts' tax profiles (docs/commerce.md "Tax",
 * docs/data-model.md "Tax"): the table is one item, absent until its first change (the seed
 * answers meanwhile); a profile is one item per account, written whole.
 */
export interface RateVersion {
  rateBps: number;
  /** A date (YYYY-MM-DD, UTC), inclusive. */
  effectiveFrom: string;
}

/** country → its rate versions. */
export type VatRates = Record<string, RateVersion[]>;

export interface VatTable {
  rates: VatRates;
  /** 0 while the table is the seed (nothing stored yet). */
  version: number;
}

/** The day the seeded rates take effect. */
export const SEED_EFFECTIVE_FROM = '2026-01-01';

export const seededVatTable = (): VatTable => ({
  rates: Object.fromEntries(Object.entries(SEEDED_VAT_RATES).map(([country, rateBps]) => [country, [{ rateBps, effectiveFrom: SEED_EFFECTIVE_FROM }]])),
  version: 0,
});

/** The table (1 GetItem), or the seed when the distributor has changed nothing yet. */
export async function getVatTable(consistent = false): Promise<VatTable> {
  const found = await db().entities.vatTable.get({ vatTable: 'main' }).go({ consistent });
  return found.data ? { rates: found.data.rates as VatRates, version: found.data.version } : seededVatTable();
}

/**
 * Adds one rate version to a country under optimistic locking on the table's `version`: the
 * first change creates the item from the seed (`attribute_not_exists`), later ones are conditioned
 * on the version read; a table that moved meanwhile is read again and the version added to what
 * was re-read, so concurrent additions never lose one another. One version per country and day:
 * a second is a 409 `rate_version_exists`.
 */
export async function addVatRateVersion(country: string, added: RateVersion, updatedBy: string, updatedAt: string): Promise<VatTable> {
  return retryOnConflict(
    async () => {
      const table = await getVatTable(true);
      const versions = table.rates[country] ?? [];
      if (versions.some((v) => v.effectiveFrom === added.effectiveFrom))
        throw new Conflict('rate_version_exists', `${country} already has a rate version from ${added.effectiveFrom}; versions are never edited.`, [{ path: 'effectiveFrom' }]);
      const rates: VatRates = { ...table.rates, [country]: [...versions, { rateBps: added.rateBps, effectiveFrom: added.effectiveFrom }] };
      if (table.version === 0) {
        await db().entities.vatTable.create({ vatTable: 'main', rates, updatedAt, updatedBy, version: 1 }).go();
      } else {
        await db()
          .entities.vatTable.patch({ vatTable: 'main' })
          .set({ rates, updatedAt, updatedBy, version: table.version + 1 })
          .where((a, op) => op.eq(a.version, table.version))
          .go();
      }
      return { rates, version: table.version + 1 } satisfies VatTable as VatTable | typeof RETRY;
    },
    { tries: 8, exhausted: () => new TransientError('The VAT rate table kept changing; try again.') },
  );
}

export type TaxProfile = Omit<EntityItem<TaxProfileEntity>, 'vatId' | 'address'> & {
  vatId?: string;
  address?: { line1: string; line2?: string; city: string; postalCode: string; state?: string; country: string };
};

export async function getTaxProfile(accountId: string): Promise<TaxProfile | undefined> {
  const found = await db().entities.taxProfile.get({ accountId }).go();
  return (found.data as TaxProfile | null) ?? undefined;
}

/** Writes an account's profile whole (a Put: fields left out are removed). */
export async function putTaxProfile(profile: TaxProfile): Promise<TaxProfile> {
  await db().entities.taxProfile.put(profile).go();
  return profile;
}

import type { CostVersion, PriceList, RuleVersion } from '#data/pricing.ts';
import type { Audience } from '#domain/pricing.ts';

const { makePricer } = await import('#services/prices.ts');
const taxSeed = await import('#data/tax.ts');

/**
 * Price lists and costs in memory for services/prices.ts: a list per (owner, audience, currency)
 * with its rule versions, and cost versions; `reads` counts the repository calls (a pricer reads
 * each list once).
 */
export function fakePricing(init: { lists?: Array<{ owner: string; audience: Audience; currency: string; rules: RuleVersion[] }>; costs?: CostVersion[] } = {}) {
  const lists = init.lists ?? [];
  const costs = init.costs ?? [];
  const reads: string[] = [];
  const repo = {
    listCosts: async () => (reads.push('costs'), costs),
    priceListIdOf: async (owner: string, audience: Audience, currency: string) => {
      reads.push(`claim:${owner}:${audience}:${currency}`);
      const i = lists.findIndex((l) => l.owner === owner && l.audience === audience && l.currency === currency);
      return i >= 0 ? `pl_${i}` : undefined;
    },
    listRules: async (id: string) => (reads.push(`rules:${id}`), lists[Number(id.slice(3))]!.rules),
    listPriceLists: async (owner: string) => (reads.push(`lists:${owner}`), lists.filter((l) => l.owner === owner) as unknown as PriceList[]),
  };
  return { repo, reads, pricer: makePricer({ pricing: repo }) };
}

/** A pricer over no lists at all: every offer sells at its catalog price. */
export const catalogPricer = () => fakePricing().pricer;

const { makeInvoicing } = await import('#services/invoicing.ts');

/**
 * Invoicing (services/invoicing.ts) over tax profiles in memory and the seeded rate table; no
 * profile at all (the default) makes every invoice untaxed.
 */
export function fakeInvoicing(profiles: Record<string, { legalName: string; country: string; vatId?: string }> = {}, accounts: Record<string, { id: string; name: string }> = {}) {
  const { seededVatTable } = taxSeed;
  return makeInvoicing({
    tax: {
      getVatTable: async () => seededVatTable(),
      getTaxProfile: async (accountId: string) => (profiles[accountId] ? ({ accountId, ...profiles[accountId] } as never) : undefined),
    },
    accounts: { getAccount: async (id: string) => accounts[id] as never },
  });
}

/** A seller series in memory: `withInvoiceNumber` hands out INV-000001, INV-000002… per seller; `issued` lists them. */
export function fakeNumbers() {
  const last = new Map<string, number>();
  const issued: Array<{ sellerId: string; number: string }> = [];
  return {
    issued,
    async withInvoiceNumber<T>(sellerId: string, write: (number: string, seat: { sellerId: string; n: number }) => Promise<T>): Promise<T> {
      const n = (last.get(sellerId) ?? 0) + 1;
      const number = `INV-${String(n).padStart(6, '0')}`;
      const written = await write(number, { sellerId, n });
      last.set(sellerId, n);
      issued.push({ sellerId, number });
      return written;
    },
  };
}

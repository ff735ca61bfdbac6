import type { CostVersion, PriceList, RuleVersion } from '#data/pricing.ts';
import type { Audience } from '#domain/pricing.ts';

const { makePricer } = await import('#services/prices.ts');

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

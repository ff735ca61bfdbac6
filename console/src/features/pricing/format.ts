import type { components } from '../../api/schema';

/*
 * The pricing screens' pure helpers: markups in basis points as people read and type them, amounts
 * typed in major units, the UTC day, a list's rule versions grouped by rule, and the figures of a
 * `below_cost` refusal. No price is computed here: the screens show the API's figures.
 */

export type PriceList = components['schemas']['PriceList'];
export type RuleVersion = PriceList['rules'][number];
export type Scope = RuleVersion['scope'];
export type Money = components['schemas']['Money'];
export type SheetItem = components['schemas']['PriceSheet']['items'][number];

export const SCOPES: readonly Scope[] = ['list', 'category', 'product', 'offer'];
export const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** The API's bounds (domain/pricing.ts): a markup from −99.99 % to +1,000 %, a price up to 1,000,000.00. */
export const MIN_MARKUP_PERCENT = -99.99;
export const MAX_MARKUP_PERCENT = 1000;
export const MAX_PRICE_MAJOR = 1_000_000;

/** 25 (%) → 2500 basis points, to the nearest basis point. */
export const bpsOfPercent = (percent: number): number => Math.round(percent * 100);
/** 2500 basis points → 25 (%). */
export const percentOfBps = (bps: number): number => bps / 100;
/** 12.5 (major units) → 1250 minor units. */
export const minorOf = (major: number): number => Math.round(major * 100);

/** A markup as people read it in `lng`: "+25 %", "−10 %", "0 %" (two decimals at most). */
export function formatMarkup(bps: number, lng: string): string {
  return new Intl.NumberFormat(lng, { style: 'percent', signDisplay: 'exceptZero', maximumFractionDigits: 2 }).format(bps / 10_000);
}

/** A tax rate in `lng`: "19 %", "5,5 %". */
export function formatRate(bps: number, lng: string): string {
  return new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10_000);
}

/** Today as the API counts days (UTC), YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** What a rule is about: the versions of one rule share it (the API's `ruleKey`). */
export function ruleKey(rule: RuleVersion): string {
  switch (rule.scope) {
    case 'list':
      return 'list';
    case 'category':
      return `category:${rule.category.toLowerCase()}`;
    case 'product':
      return `product:${rule.productId}`;
    case 'offer':
      return `offer:${rule.offerId}`;
  }
}

/** The category, product id or offer id a rule is about (none for the list's own rule). */
export function ruleTarget(rule: RuleVersion): string | undefined {
  return rule.scope === 'category' ? rule.category : rule.scope === 'product' ? rule.productId : rule.scope === 'offer' ? rule.offerId : undefined;
}

/** A version's value: a markup in basis points, a fixed price in minor units, or null (the rule ends). */
export function ruleValue(rule: RuleVersion): { kind: 'markup' | 'price'; value: number | null } {
  return rule.scope === 'offer' ? { kind: 'price', value: rule.amount } : { kind: 'markup', value: rule.markupBps };
}

export interface RuleGroup {
  key: string;
  scope: Scope;
  target: string | undefined;
  /** Newest first. */
  versions: RuleVersion[];
  /** The version in effect on the day asked (possibly one that ends the rule), if one has started. */
  inEffect: RuleVersion | undefined;
}

/**
 * A list's rule versions grouped by rule: the list's own rule first, then categories, products
 * and offers (each by its target), every group's versions newest first, with the one in effect
 * on `day`: the latest that has started.
 */
export function groupRules(rules: readonly RuleVersion[], day: string): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const rule of rules) {
    const key = ruleKey(rule);
    const group = groups.get(key) ?? { key, scope: rule.scope, target: ruleTarget(rule), versions: [], inEffect: undefined };
    group.versions.push(rule);
    groups.set(key, group);
  }
  const order = (s: Scope) => SCOPES.indexOf(s);
  return [...groups.values()]
    .map((g) => {
      const versions = [...g.versions].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
      return { ...g, versions, inEffect: versions.find((v) => v.effectiveFrom <= day) };
    })
    .sort((a, b) => order(a.scope) - order(b.scope) || (a.target ?? '').localeCompare(b.target ?? ''));
}

/**
 * The list's own markup on `day` (the version in effect) and the next version after it, if any:
 * what a list of lists shows. A list always has its own rule, but its first version may start later.
 */
export function listMarkup(rules: readonly RuleVersion[], day: string): { current?: { markupBps: number; effectiveFrom: string }; next?: { markupBps: number; effectiveFrom: string } } {
  const own = rules
    .filter((r): r is Extract<RuleVersion, { scope: 'list' }> => r.scope === 'list')
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const current = [...own].reverse().find((r) => r.effectiveFrom <= day);
  const next = own.find((r) => r.effectiveFrom > day);
  const pick = (r: { markupBps: number; effectiveFrom: string } | undefined) => r && { markupBps: r.markupBps, effectiveFrom: r.effectiveFrom };
  return { current: pick(current), next: pick(next) };
}

export interface BelowCostRow {
  offerId: string;
  /** What the seller pays for the offer. */
  cost: Money;
  /** What the refused rule would have sold it for. */
  price: Money;
}

const isMoney = (m: unknown): m is Money =>
  typeof m === 'object' && m !== null && typeof (m as Money).amount === 'number' && typeof (m as Money).currency === 'string';

/** The offers a `below_cost` refusal names (`details: [{offerId, cost, price}]`); anything else in the details is left out. */
export function belowCostRows(details: readonly unknown[]): BelowCostRow[] {
  return details.flatMap((d) => {
    const row = d as Partial<BelowCostRow> | null;
    return row && typeof row.offerId === 'string' && isMoney(row.cost) && isMoney(row.price) ? [{ offerId: row.offerId, cost: row.cost, price: row.price }] : [];
  });
}

/** Every ISO 3166-1 two-letter region the browser can name in `lng`, by name: a country field's choices. */
export function countryOptions(lng: string): Array<{ value: string; label: string }> {
  const names = new Intl.DisplayNames([lng], { type: 'region' });
  const out: Array<{ value: string; label: string }> = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      let name: string | undefined;
      try {
        name = names.of(code);
      } catch {
        name = undefined;
      }
      // An unknown code comes back as itself; EU and UN (groupings) and ZZ (unknown) are no country.
      if (name && name !== code && !['EU', 'EZ', 'UN', 'ZZ', 'QO', 'XA', 'XB'].includes(code)) out.push({ value: code, label: `${name} (${code})` });
    }
  }
  return out.sort((x, y) => x.label.localeCompare(y.label, lng));
}

/** A country's name in `lng` ("Deutschland"), or its code when the browser cannot name it. */
export function countryName(code: string, lng: string): string {
  try {
    return new Intl.DisplayNames([lng], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The figures a price sheet can carry, in the order they are shown. */
export const FIGURES = ['cost', 'resellerPrice', 'sell', 'margin', 'distributorMargin', 'resellerMargin'] as const;
export type Figure = (typeof FIGURES)[number];

/** A sheet's figure columns: those the API gave for at least one offer (what the caller may see), in order. */
export function figureColumns(items: readonly SheetItem[]): Figure[] {
  return FIGURES.filter((k) => items.some((i) => i.figures?.[k] !== undefined));
}

import { money, type Money } from './money.ts';
import { roundHalfUp } from './subscription-rules.ts';

/**
 * VAT on the portal's invoices (docs/commerce.md): which rate applies to a sale between two
 * parties, EU reverse charge for business buyers across borders, the format of VAT ids, and an
 * invoice's net, tax per rate and gross. Pure rules: the rates come from the table the
 * distributor keeps (seeded from `SEEDED_VAT_RATES`).
 */

/** The EU member states, by ISO 3166-1 alpha-2 code (Greece's VAT prefix is EL). */
export const EU_COUNTRIES = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'] as const;
export const isEu = (country: string): boolean => (EU_COUNTRIES as readonly string[]).includes(country);

/**
 * Standard VAT rates in basis points, as the distributor's table starts (2026): every EU state and
 * the United Kingdom. The distributor edits the table; a change has its own `effectiveFrom`.
 */
export const SEEDED_VAT_RATES: Readonly<Record<string, number>> = {
  AT: 2000, BE: 2100, BG: 2000, CY: 1900, CZ: 2100, DE: 1900, DK: 2500, EE: 2400, ES: 2100, FI: 2550,
  FR: 2000, GR: 2400, HR: 2500, HU: 2700, IE: 2300, IT: 2200, LT: 2100, LU: 1700, LV: 2100, MT: 1800,
  NL: 2100, PL: 2300, PT: 2300, RO: 2100, SE: 2500, SI: 2200, SK: 2300, GB: 2000,
};

/**
 * VAT id formats, the country prefix included (the formats VIES checks; GB as HMRC issues them).
 * A format check only: whether the number is registered is a question for VIES/HMRC, asked by an
 * integration, not here.
 */
const VAT_ID_FORMATS: Readonly<Record<string, RegExp>> = {
  AT: /^ATU\d{8}$/,
  BE: /^BE[01]\d{9}$/,
  BG: /^BG\d{9,10}$/,
  CY: /^CY\d{8}[A-Z]$/,
  CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/,
  EE: /^EE\d{9}$/,
  ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^FI\d{8}$/,
  FR: /^FR[0-9A-HJ-NP-Z]{2}\d{9}$/,
  GR: /^EL\d{9}$/,
  HR: /^HR\d{11}$/,
  HU: /^HU\d{8}$/,
  IE: /^IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/,
  IT: /^IT\d{11}$/,
  LT: /^LT(\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/,
  MT: /^MT\d{8}$/,
  NL: /^NL\d{9}B\d{2}$/,
  PL: /^PL\d{10}$/,
  PT: /^PT\d{9}$/,
  RO: /^RO[1-9]\d{1,9}$/,
  SE: /^SE\d{10}01$/,
  SI: /^SI\d{8}$/,
  SK: /^SK\d{10}$/,
  GB: /^GB(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/,
};

/** A VAT id as written by people: spaces, dots and dashes dropped, upper case. */
export const normalizeVatId = (raw: string): string => raw.replace(/[\s.-]/g, '').toUpperCase();

/** Whether `vatId` (normalized) has the format of `country`'s VAT ids. A country without a format here has none to check against. */
export function vatIdFormatValid(country: string, vatId: string): boolean {
  const format = VAT_ID_FORMATS[country];
  return format ? format.test(normalizeVatId(vatId)) : false;
}

/** The countries whose VAT id format is known. */
export const VAT_ID_COUNTRIES = Object.keys(VAT_ID_FORMATS);

export interface TaxParty {
  country: string;
  /** A VAT id whose format is valid for `country` (the caller checks it when it is saved). */
  vatId?: string;
}

/**
 * How a sale is taxed:
 * - `domestic`: seller and buyer in one country, that country's rate;
 * - `reverse_charge`: seller and buyer in two EU states and the buyer has a VAT id: no VAT on the
 *   invoice, the buyer accounts for it (Art. 196 of Directive 2006/112/EC);
 * - `destination`: an EU seller and an EU buyer in another state without a VAT id (a consumer or
 *   a business not registered): the buyer's country's rate (electronically supplied services);
 * - `outside_scope`: the buyer is outside the seller's VAT area (an EU seller and a buyer outside
 *   the EU, a UK seller and a buyer outside the UK): no VAT on the invoice.
 */
export type TaxTreatment =
  | { kind: 'domestic'; country: string; rateBps: number }
  | { kind: 'destination'; country: string; rateBps: number }
  | { kind: 'reverse_charge' }
  | { kind: 'outside_scope' };

/** Why a sale cannot be taxed: the table has no rate for the country whose rate applies. */
export interface MissingRate {
  kind: 'missing_rate';
  country: string;
}

export function taxTreatment(seller: TaxParty, buyer: TaxParty, rates: Readonly<Record<string, number>>): TaxTreatment | MissingRate {
  const rated = (kind: 'domestic' | 'destination', country: string): TaxTreatment | MissingRate => {
    const rateBps = rates[country];
    return rateBps === undefined ? { kind: 'missing_rate', country } : { kind, country, rateBps };
  };
  if (seller.country === buyer.country) return rated('domestic', buyer.country);
  if (isEu(seller.country) && isEu(buyer.country)) return buyer.vatId ? { kind: 'reverse_charge' } : rated('destination', buyer.country);
  return { kind: 'outside_scope' };
}

/** The rate an invoice line is taxed at under `treatment`, in basis points. */
export const rateOf = (treatment: TaxTreatment): number => (treatment.kind === 'domestic' || treatment.kind === 'destination' ? treatment.rateBps : 0);

/** The legal mention an invoice carries under `treatment`, if any (in English; the PDF translates it). */
export function taxNote(treatment: TaxTreatment): 'reverse_charge' | 'outside_scope' | undefined {
  return treatment.kind === 'reverse_charge' || treatment.kind === 'outside_scope' ? treatment.kind : undefined;
}

export interface TaxedTotals {
  net: Money;
  /** One entry per rate, highest rate first: the net taxed at it and the tax, rounded half-up once per rate. */
  taxes: Array<{ rateBps: number; net: Money; tax: Money }>;
  gross: Money;
}

/**
 * An invoice's totals from its lines' net amounts and rates: tax is computed on each rate's net
 * total (not line by line), rounded half-up to the minor unit, so the invoice adds up exactly:
 * gross = net + Σ tax.
 */
export function invoiceTotals(lines: ReadonlyArray<{ net: Money; rateBps: number }>, currency: string): TaxedTotals {
  const byRate = new Map<number, number>();
  let net = 0;
  for (const line of lines) {
    if (line.net.currency !== currency) throw new Error(`Cannot add ${line.net.currency} to ${currency}`);
    net += line.net.amount;
    byRate.set(line.rateBps, (byRate.get(line.rateBps) ?? 0) + line.net.amount);
  }
  const taxes = [...byRate]
    .sort((a, b) => b[0] - a[0])
    .map(([rateBps, amount]) => ({ rateBps, net: money(amount, currency), tax: money(roundHalfUp(amount * rateBps, 10_000), currency) }));
  const tax = taxes.reduce((s, t) => s + t.tax.amount, 0);
  return { net: money(net, currency), taxes, gross: money(net + tax, currency) };
}

import type { components } from '../../api/schema';

/*
 * The billing screens' pure helpers: an invoice's title, tax rows and mention as a finance team
 * reads them, its parties as address blocks, the figures of lines (order or invoice lines) as
 * columns with their sums, export ranges and file names. Nothing here computes a price, a tax or
 * a margin: the screens show the API's figures, and a total of figures is their sum.
 */

export type Invoice = components['schemas']['Invoice'];
export type InvoiceKind = Invoice['kind'];
export type InvoiceParty = components['schemas']['InvoiceParty'];
export type InvoiceTax = components['schemas']['InvoiceTax'];
export type TaxTreatment = Invoice['taxTreatment'];
export type PriceFigures = components['schemas']['PriceFigures'];
export type Money = components['schemas']['Money'];

const TITLES = { invoice: 'invoice.title', credit_note: 'invoice.titleCreditNote', statement: 'invoice.titleStatement' } as const;

/** The catalog key of a document's title by its kind ("Invoice {{number}}", "Credit note {{number}}"…). */
export function titleKey(kind: InvoiceKind | undefined): (typeof TITLES)[InvoiceKind] {
  return TITLES[kind ?? 'invoice'] ?? TITLES.invoice;
}

/**
 * The VAT rows of the totals, highest rate first; undefined when the invoice says nothing about
 * tax: `untaxed` (its seller had no tax profile), as the PDF does.
 */
export function taxRows(invoice: Pick<Invoice, 'taxTreatment' | 'taxes'>): InvoiceTax[] | undefined {
  if (invoice.taxTreatment === 'untaxed') return undefined;
  return [...(invoice.taxes ?? [])].sort((a, b) => b.rateBps - a.rateBps);
}

/** The mention an invoice must carry when no VAT is charged on it: reverse charge or outside the scope of VAT. */
export function taxMention(treatment: TaxTreatment | undefined): 'reverseCharge' | 'outsideScope' | undefined {
  return treatment === 'reverse_charge' ? 'reverseCharge' : treatment === 'outside_scope' ? 'outsideScope' : undefined;
}

/** What is still owed, when it is not the total (a credit note reduced it); else undefined. */
export function amountDueIfDifferent(invoice: Pick<Invoice, 'amountDue' | 'total'>): Money | undefined {
  const due = invoice.amountDue;
  return due && (due.amount !== invoice.total.amount || due.currency !== invoice.total.currency) ? due : undefined;
}

/** Whether any line carries a VAT rate (a taxed invoice): the lines then show a VAT column. */
export const hasLineRates = (lines: ReadonlyArray<{ rateBps?: number }>): boolean => lines.some((l) => l.rateBps !== undefined);

export interface PartyBlock {
  /** The legal name, else the account's name. */
  name: string;
  /** The account's name when the legal name differs from it. */
  tradingAs?: string;
  /** Street lines, postal code and city, state, country (by name). */
  address: string[];
  vatId?: string;
}

/** A party as its block on the invoice reads: legal name first, the address, the country by name, the VAT id. */
export function partyBlock(party: InvoiceParty, countryName: (code: string) => string): PartyBlock {
  const name = party.legalName?.trim() || party.name;
  const address: string[] = [];
  const a = party.address;
  if (a) {
    address.push(a.line1);
    if (a.line2) address.push(a.line2);
    const city = `${a.postalCode} ${a.city}`.trim();
    if (city) address.push(city);
    if (a.state) address.push(a.state);
  }
  const country = a?.country ?? party.country;
  if (country) address.push(countryName(country));
  return {
    name,
    ...(party.legalName && party.legalName.trim() !== party.name ? { tradingAs: party.name } : {}),
    address,
    ...(party.vatId ? { vatId: party.vatId } : {}),
  };
}

/** The figures a line can carry, in the order they are shown. */
export const FIGURES = ['cost', 'resellerPrice', 'sell', 'margin', 'distributorMargin', 'resellerMargin'] as const;
export type Figure = (typeof FIGURES)[number];

type WithFigures = { figures?: PriceFigures | null };

/** Whether the API gave the lines' figures at all (even null: no cost known): the caller is the seller or above. */
export const showsFigures = (lines: readonly WithFigures[]): boolean => lines.some((l) => l.figures !== undefined);

/** The figure columns: those the API gave on at least one line, in order. */
export function figureColumns(lines: readonly WithFigures[]): Figure[] {
  return FIGURES.filter((k) => lines.some((l) => l.figures?.[k] !== undefined));
}

/**
 * Who the figures are for: a reseller gets `margin` (its cost is what it pays the distributor),
 * the distributor `distributorMargin` (its cost is the vendor's). Undefined without figures.
 */
export function figuresViewer(lines: readonly WithFigures[]): 'reseller' | 'distributor' | undefined {
  if (lines.some((l) => l.figures?.margin !== undefined)) return 'reseller';
  if (lines.some((l) => l.figures?.distributorMargin !== undefined)) return 'distributor';
  return undefined;
}

export interface FigureTotals {
  /** Each column's sum over the lines that carry it; absent when its lines mix currencies. */
  totals: Partial<Record<Figure, Money>>;
  /** Lines without figures (no cost known): not in the totals. */
  missing: number;
}

/** The sum of each figure the API gave over the lines (format only: no figure is derived from another). */
export function figureTotals(lines: readonly WithFigures[]): FigureTotals {
  const totals: Partial<Record<Figure, Money>> = {};
  const mixed = new Set<Figure>();
  for (const line of lines) {
    for (const k of FIGURES) {
      const m = line.figures?.[k];
      if (!m || mixed.has(k)) continue;
      const sum = totals[k];
      if (!sum) totals[k] = { amount: m.amount, currency: m.currency };
      else if (sum.currency !== m.currency) {
        mixed.add(k);
        delete totals[k];
      } else sum.amount += m.amount;
    }
  }
  return { totals, missing: lines.filter((l) => l.figures === null).length };
}

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

/** Today as the API counts days (UTC), YYYY-MM-DD. */
export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

/** The previous calendar month in UTC days, first to last day: the export's default range. */
export function previousMonth(now: Date = new Date()): { from: string; to: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return { from: iso(y, m - 1, 1), to: iso(y, m, 0) };
}

/** The current calendar month in UTC days, from the first to today. */
export function thisMonth(now: Date = new Date()): { from: string; to: string } {
  return { from: iso(now.getUTCFullYear(), now.getUTCMonth(), 1), to: todayUtc(now) };
}

/** A PDF's file name from the invoice number, as the API names it: letters, digits, dot, dash and underscore. */
export const pdfFileName = (number: string): string => `${number.replace(/[^A-Za-z0-9._-]/g, '_') || 'invoice'}.pdf`;

/** The CSV export's file name, as the API names it. */
export const exportFileName = (from: string, to: string): string => `invoice-lines_${from}_${to}.csv`;

/**
 * The file name a `content-disposition: attachment` header gives (`filename*=UTF-8''…` first, then
 * `filename="…"`), reduced to its last path segment; `fallback` when there is none.
 */
export function attachmentName(header: string | null | undefined, fallback: string): string {
  if (!header) return fallback;
  let name: string | undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2]) {
    try {
      name = decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      name = undefined;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
    name = (plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2])?.trim();
  }
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base ? base : fallback;
}

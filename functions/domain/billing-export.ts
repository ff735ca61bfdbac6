import type { Money } from './money.ts';
import { lineFigures, type Viewer } from './pricing.ts';

/**
 * The CSV export of invoice lines (docs/commerce.md "Documents"): one row per line of each invoice,
 * money in major units with a dot and the currency's decimals, RFC 4180 quoting, CRLF, UTF-8 with a
 * byte order mark so Excel reads the accents. The margin columns (cost, reseller price, sell,
 * margins) are there only for staff, and each row fills them only with what `figuresFor` lets its
 * viewer see of the line's stored chain: a buyer never sees them.
 */

/** A line as the export reads it (the stored invoice line: its chain only ever goes through `figuresFor`). */
export interface ExportLine {
  description: string;
  quantity: number;
  unitPrice: Money;
  amount: Money;
  rateBps?: number;
  chain?: { cost?: Money; resellerPrice?: Money; sell: Money };
}

export interface ExportInvoice {
  number: string;
  kind: string;
  /** ISO time of issue (the export writes the day). */
  issuedAt: string;
  seller: { id: string; name: string };
  buyer: { id: string; name: string };
  /** The invoice's single VAT rate, when it has one: the rate of lines that do not carry their own. */
  rateBps?: number;
  lines: readonly ExportLine[];
}

export const BASE_COLUMNS = [
  'Invoice number',
  'Kind',
  'Issue date',
  'Seller id',
  'Seller',
  'Buyer id',
  'Buyer',
  'Description',
  'Quantity',
  'Unit price (net)',
  'Net amount',
  'VAT rate %',
  'Currency',
] as const;
/** Line totals (quantity × unit) of the chain, for staff only. */
export const MARGIN_COLUMNS = ['Cost', 'Reseller price', 'Sell', 'Margin', 'Reseller margin'] as const;

export const BOM = '\uFEFF';
const CRLF = '\r\n';

/** The decimals of a currency's minor unit (ISO 4217, as Intl knows them: 2 for EUR, 0 for JPY, 3 for KWD). */
const decimalsCache = new Map<string, number>();
export function minorDigits(currency: string): number {
  let d = decimalsCache.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    decimalsCache.set(currency, d);
  }
  return d;
}

/** Minor units as major units with a dot, exactly (integer arithmetic, no float rounding): 123456 EUR → "1234.56", -5 → "-0.05". */
export function majorUnits({ amount, currency }: Money): string {
  const digits = minorDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = String(Math.abs(amount)).padStart(digits + 1, '0');
  return digits ? `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}` : `${sign}${abs}`;
}

/** A rate in basis points as a percentage with a dot: 1900 → "19", 550 → "5.5". */
export const ratePercent = (bps: number): string => String(bps / 100);

/**
 * One field, RFC 4180: quoted when it holds a quote, a comma, CR or LF (quotes doubled). A text that
 * a spreadsheet would run as a formula (starting = + - @, tab or CR) gets a leading apostrophe
 * (OWASP "CSV injection"); numbers are written by this module and never start so unless negative.
 */
export function csvField(value: string, text = true): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const row = (fields: ReadonlyArray<{ value: string; text?: boolean }>): string => fields.map((f) => csvField(f.value, f.text ?? false)).join(',') + CRLF;

export function headerRow(withMargins: boolean): string {
  return row([...BASE_COLUMNS, ...(withMargins ? MARGIN_COLUMNS : [])].map((value) => ({ value, text: true })));
}

type Shown = Partial<Record<'cost' | 'resellerPrice' | 'sell' | 'margin' | 'distributorMargin' | 'resellerMargin', Money>>;

/** The margin cells of a line: what `lineFigures` (domain/pricing.ts) lets the viewer see of its chain, empty otherwise. */
function marginCells(viewer: Viewer, line: ExportLine): string[] {
  const shown = lineFigures(viewer, line.chain, line.quantity, line.amount) as Shown | null | undefined;
  const m = (x: Money | undefined) => (x ? majorUnits(x) : '');
  if (!shown) return ['', '', '', '', ''];
  // The reseller sees what it pays as its cost, and its own margin; the distributor the whole chain and both margins.
  if (viewer === 'reseller') return [m(shown.cost), '', m(shown.sell), m(shown.margin), ''];
  return [m(shown.cost), m(shown.resellerPrice), m(shown.sell), m(shown.distributorMargin), m(shown.resellerMargin)];
}

/**
 * The rows of one invoice. `viewer` is who looks at its lines (relative to its buyer, as
 * `figuresFor` takes it); `withMargins` whether the export has the margin columns at all (staff).
 */
export function invoiceRows(invoice: ExportInvoice, viewer: Viewer, withMargins: boolean): string {
  const day = invoice.issuedAt.slice(0, 10);
  return invoice.lines
    .map((line) => {
      const rate = line.rateBps ?? invoice.rateBps;
      const base = [
        { value: invoice.number, text: true },
        { value: invoice.kind },
        { value: day },
        { value: invoice.seller.id, text: true },
        { value: invoice.seller.name, text: true },
        { value: invoice.buyer.id, text: true },
        { value: invoice.buyer.name, text: true },
        { value: line.description, text: true },
        { value: String(line.quantity) },
        { value: majorUnits(line.unitPrice) },
        { value: majorUnits(line.amount) },
        { value: rate === undefined ? '' : ratePercent(rate) },
        { value: line.amount.currency },
      ];
      const margins = withMargins ? marginCells(viewer, line).map((value) => ({ value })) : [];
      return row([...base, ...margins]);
    })
    .join('');
}

import type { Money } from './money.ts';

/**
 * An invoice as a document (docs/commerce.md "Documents"): what its PDF says, in the buyer's
 * language (en, es, de), as text laid out in blocks — the parties, the legal fields, the lines, the
 * totals per VAT rate and the tax mention. Pure: services/pdf.ts draws it, services/documents.ts
 * reads what goes in. Nothing here takes a line's price chain (cost, reseller price): the PDF is the
 * buyer's document, so the input has no place for it.
 */
export const DOCUMENT_LOCALES = ['en', 'es', 'de'] as const;
export type DocumentLocale = (typeof DOCUMENT_LOCALES)[number];
export const isDocumentLocale = (l: unknown): l is DocumentLocale => (DOCUMENT_LOCALES as readonly unknown[]).includes(l);

export type DocumentKind = 'invoice' | 'credit_note' | 'statement';
export type DocumentTaxTreatment = 'domestic' | 'destination' | 'reverse_charge' | 'outside_scope' | 'untaxed';

/** A party as the document names it: the invoice's own record of it, or the account's name and address. */
export interface DocumentParty {
  name: string;
  legalName?: string;
  country?: string;
  vatId?: string;
  address?: { line1: string; line2?: string; city: string; postalCode: string; state?: string; country: string };
}

/** One line as the buyer sees it: no price chain. */
export interface DocumentLine {
  description: string;
  quantity: number;
  unitPrice: Money;
  amount: Money;
  rateBps?: number;
}

export interface DocumentInput {
  locale: DocumentLocale;
  kind: DocumentKind;
  number: string;
  /** ISO time of issue. */
  issuedAt: string;
  /** YYYY-MM-DD. */
  dueAt: string;
  servicePeriod?: { start: string; end: string };
  seller: DocumentParty;
  buyer: DocumentParty;
  lines: readonly DocumentLine[];
  /** The gross. */
  total: Money;
  /** Absent on invoices issued before tax was kept: the net is then the total. */
  net?: Money;
  /** Absent on invoices issued before tax was kept: then (as for `untaxed`) the document says nothing about tax. */
  taxes?: ReadonlyArray<{ rateBps: number; net: Money; tax: Money }>;
  taxTreatment?: DocumentTaxTreatment;
  amountDue?: Money;
  /** A credit note: the number of the invoice it corrects. */
  correctsNumber?: string;
}

export interface LayoutLine {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  /** The line's VAT rate, shown only when the invoice has more than one. */
  rate?: string;
}

/** What the PDF shows, every value already formatted in the buyer's language. */
export interface DocumentLayout {
  locale: DocumentLocale;
  title: string;
  number: string;
  /** `<number>.pdf`, safe in a Content-Disposition header. */
  fileName: string;
  seller: { heading: string; lines: string[] };
  buyer: { heading: string; lines: string[] };
  /** Label and value: number, issue date, service period, due date, the corrected invoice. */
  meta: Array<[string, string]>;
  columns: { description: string; quantity: string; unitPrice: string; amount: string; rate?: string };
  lines: LayoutLine[];
  /** Label, value and whether it is the figure to pay (drawn bold). */
  totals: Array<{ label: string; value: string; strong?: boolean }>;
  /** The tax mention (reverse charge, outside scope), when there is one. */
  notes: string[];
  page: (n: number, of: number) => string;
}

interface Words {
  titles: Record<DocumentKind, string>;
  seller: string;
  buyer: string;
  number: string;
  issued: string;
  servicePeriod: string;
  due: string;
  corrects: string;
  vatId: string;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  rate: string;
  net: string;
  tax: (rate: string, net: string) => string;
  total: string;
  amountDue: string;
  reverseCharge: string;
  outsideScope: string;
  page: (n: number, of: number) => string;
}

/** The words of each language (formal register, as the emails). */
export const DOCUMENT_WORDS: Record<DocumentLocale, Words> = {
  en: {
    titles: { invoice: 'Invoice', credit_note: 'Credit note', statement: 'Statement' },
    seller: 'From',
    buyer: 'Bill to',
    number: 'Number',
    issued: 'Issue date',
    servicePeriod: 'Service period',
    due: 'Due date',
    corrects: 'Corrects invoice',
    vatId: 'VAT ID',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    amount: 'Net amount',
    rate: 'VAT',
    net: 'Net total',
    tax: (rate, net) => `VAT ${rate} on ${net}`,
    total: 'Total',
    amountDue: 'Amount due',
    reverseCharge: 'Reverse charge: the recipient is liable for the VAT (Art. 196 Council Directive 2006/112/EC).',
    outsideScope: 'Outside the scope of VAT: no VAT is charged on this supply.',
    page: (n, of) => `Page ${n} of ${of}`,
  },
  es: {
    titles: { invoice: 'Factura', credit_note: 'Factura rectificativa', statement: 'Factura recapitulativa' },
    seller: 'Emisor',
    buyer: 'Destinatario',
    number: 'Número',
    issued: 'Fecha de emisión',
    servicePeriod: 'Periodo de servicio',
    due: 'Fecha de vencimiento',
    corrects: 'Rectifica la factura',
    vatId: 'NIF-IVA',
    description: 'Descripción',
    quantity: 'Cantidad',
    unitPrice: 'Precio unitario',
    amount: 'Importe neto',
    rate: 'IVA',
    net: 'Base imponible',
    tax: (rate, net) => `IVA ${rate} sobre ${net}`,
    total: 'Total',
    amountDue: 'Importe pendiente',
    reverseCharge: 'Inversión del sujeto pasivo: el destinatario es el deudor del IVA (art. 196 de la Directiva 2006/112/CE del Consejo).',
    outsideScope: 'Operación no sujeta al IVA: no se repercute IVA en esta prestación.',
    page: (n, of) => `Página ${n} de ${of}`,
  },
  de: {
    titles: { invoice: 'Rechnung', credit_note: 'Gutschrift', statement: 'Sammelrechnung' },
    seller: 'Rechnungssteller',
    buyer: 'Rechnungsempfänger',
    number: 'Nummer',
    issued: 'Ausstellungsdatum',
    servicePeriod: 'Leistungszeitraum',
    due: 'Fällig am',
    corrects: 'Korrigiert Rechnung',
    vatId: 'USt-IdNr.',
    description: 'Beschreibung',
    quantity: 'Menge',
    unitPrice: 'Einzelpreis',
    amount: 'Nettobetrag',
    rate: 'USt.',
    net: 'Nettosumme',
    tax: (rate, net) => `USt. ${rate} auf ${net}`,
    total: 'Gesamtbetrag',
    amountDue: 'Offener Betrag',
    reverseCharge: 'Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, Art. 196 Richtlinie 2006/112/EG des Rates).',
    outsideScope: 'Nicht steuerbare Leistung: Es wird keine Umsatzsteuer berechnet.',
    page: (n, of) => `Seite ${n} von ${of}`,
  },
};

/** Formatters of one language: money by the currency's ISO 4217 minor unit, dates in UTC. */
export interface DocumentFormat {
  money(m: Money): string;
  number(n: number): string;
  rate(bps: number): string;
  /** A YYYY-MM-DD date or an ISO time, as a day. */
  day(iso: string): string;
  country(code: string): string;
}

export function documentFormat(locale: DocumentLocale): DocumentFormat {
  const currencies = new Map<string, { format: Intl.NumberFormat; scale: number }>();
  // Always grouped, so 1.234,56 € in Spanish too (Intl leaves a 4-digit amount ungrouped in es) and the columns align.
  const numbers = new Intl.NumberFormat(locale, { useGrouping: 'always', maximumFractionDigits: 3 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  let regions: Intl.DisplayNames | undefined;
  return {
    money({ amount, currency }) {
      let entry = currencies.get(currency);
      if (!entry) {
        const format = new Intl.NumberFormat(locale, { style: 'currency', currency, useGrouping: 'always' });
        entry = { format, scale: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) };
        currencies.set(currency, entry);
      }
      return entry.format.format(amount / entry.scale);
    },
    number: (n) => numbers.format(n),
    rate: (bps) => percent.format(bps / 10_000),
    day: (iso) => days.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)),
    country(code) {
      regions ??= new Intl.DisplayNames([locale], { type: 'region' });
      try {
        return regions.of(code) ?? code;
      } catch {
        return code;
      }
    },
  };
}

function partyLines(party: DocumentParty, words: Words, f: DocumentFormat): string[] {
  const out = [party.legalName ?? party.name];
  if (party.legalName && party.legalName !== party.name) out.push(party.name);
  const a = party.address;
  if (a) {
    out.push(a.line1);
    if (a.line2) out.push(a.line2);
    out.push(`${a.postalCode} ${a.city}`.trim());
    if (a.state) out.push(a.state);
  }
  const country = a?.country ?? party.country;
  if (country) out.push(f.country(country));
  if (party.vatId) out.push(`${words.vatId}: ${party.vatId}`);
  return out;
}

/** A file name from the number: letters, digits, dot, dash and underscore only (a header value, and a name every OS takes). */
export const fileNameOf = (number: string): string => `${number.replace(/[^A-Za-z0-9._-]/g, '_') || 'invoice'}.pdf`;

/**
 * The document of an invoice, credit note or statement in the buyer's language. An invoice issued
 * before tax was kept (no `taxes`), or `untaxed` (its seller had no tax profile), shows its total
 * only and says nothing about tax; one whose `taxTreatment` is `reverse_charge` or `outside_scope`
 * says so.
 */
export function documentLayout(input: DocumentInput): DocumentLayout {
  const words = DOCUMENT_WORDS[input.locale];
  const f = documentFormat(input.locale);
  const meta: Array<[string, string]> = [
    [words.number, input.number],
    [words.issued, f.day(input.issuedAt)],
  ];
  if (input.servicePeriod) meta.push([words.servicePeriod, `${f.day(input.servicePeriod.start)} – ${f.day(input.servicePeriod.end)}`]);
  meta.push([words.due, f.day(input.dueAt)]);
  if (input.correctsNumber) meta.push([words.corrects, input.correctsNumber]);

  // No tax section for an invoice issued before tax was kept (no `taxes`) or by a seller without a tax profile (`untaxed`).
  const taxes = input.taxTreatment === 'untaxed' ? undefined : input.taxes;
  const severalRates = new Set(taxes?.map((t) => t.rateBps)).size > 1;
  const lines = input.lines.map((l) => ({
    description: l.description,
    quantity: f.number(l.quantity),
    unitPrice: f.money(l.unitPrice),
    amount: f.money(l.amount),
    ...(severalRates && l.rateBps !== undefined ? { rate: f.rate(l.rateBps) } : {}),
  }));

  const totals: DocumentLayout['totals'] = [];
  if (taxes) {
    totals.push({ label: words.net, value: f.money(input.net ?? input.total) });
    for (const t of [...taxes].sort((a, b) => b.rateBps - a.rateBps)) totals.push({ label: words.tax(f.rate(t.rateBps), f.money(t.net)), value: f.money(t.tax) });
  }
  const due = input.amountDue && input.amountDue.amount !== input.total.amount ? input.amountDue : undefined;
  totals.push({ label: words.total, value: f.money(input.total), strong: !due });
  if (due) totals.push({ label: words.amountDue, value: f.money(due), strong: true });

  const notes: string[] = [];
  if (input.taxTreatment === 'reverse_charge') notes.push(words.reverseCharge);
  if (input.taxTreatment === 'outside_scope') notes.push(words.outsideScope);

  return {
    locale: input.locale,
    title: words.titles[input.kind],
    number: input.number,
    fileName: fileNameOf(input.number),
    seller: { heading: words.seller, lines: partyLines(input.seller, words, f) },
    buyer: { heading: words.buyer, lines: partyLines(input.buyer, words, f) },
    meta,
    columns: { description: words.description, quantity: words.quantity, unitPrice: words.unitPrice, amount: words.amount, ...(severalRates ? { rate: words.rate } : {}) },
    lines,
    totals,
    notes,
    page: words.page,
  };
}

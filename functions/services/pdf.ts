import type * as PdfLibModule from '@cantoo/pdf-lib';
import type { PDFDocument, PDFFont, PDFPage } from '@cantoo/pdf-lib';
import type { DocumentLayout } from '#domain/documents.ts';

/**
 * Draws a document layout (domain/documents.ts) as an A4 PDF with @cantoo/pdf-lib, the maintained
 * fork of pdf-lib (docs/commerce.md "Documents" says why this library). The fonts are the standard
 * Helvetica and Helvetica-Bold, which every PDF reader has, so nothing is embedded but their
 * metrics; they are encoded in WinAnsi, which holds every letter of en, es and de (á é í ó ú ñ ü ö
 * ä ß ¿ ¡) and "€". A character outside WinAnsi (a name in another script) is written without its
 * accent when it has one (ř → r), else as "?": the PDF never fails on a name.
 *
 * The library is imported on the first render, not with the module: the documents function's
 * cold start (and its CSV export) does not evaluate it.
 */
const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const WIDTH = A4[0] - 2 * MARGIN;
const SIZE = 9;
const LEADING = 12;
type PdfLib = typeof PdfLibModule;
let loading: Promise<PdfLib> | undefined;
const pdfLib = (): Promise<PdfLib> => (loading ??= import('@cantoo/pdf-lib'));

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  /** The text with every character the fonts cannot encode replaced. */
  clean(text: string): string;
}

async function fontsOf(doc: PDFDocument, { StandardFonts }: PdfLib): Promise<Fonts> {
  const [regular, bold] = await Promise.all([doc.embedFont(StandardFonts.Helvetica), doc.embedFont(StandardFonts.HelveticaBold)]);
  const encodable = new Set(regular.getCharacterSet());
  const cleanChar = (c: string): string => {
    const code = c.codePointAt(0)!;
    if (encodable.has(code)) return c;
    if (/\s/.test(c)) return ' '; // the no-break spaces Intl puts in amounts, tabs, new lines
    const bare = c.normalize('NFD').replace(/\p{M}/gu, '');
    return bare && [...bare].every((b) => encodable.has(b.codePointAt(0)!)) ? bare : '?';
  };
  const cache = new Map<string, string>();
  return {
    regular,
    bold,
    clean(text) {
      let out = cache.get(text);
      if (out === undefined) {
        out = [...text.normalize('NFC')].map(cleanChar).join('');
        cache.set(text, out);
      }
      return out;
    },
  };
}

/** Splits text into lines no wider than `width` (words first, a word too long for a line by characters). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    let rest = word;
    while (!fits(rest)) {
      let n = rest.length - 1;
      while (n > 1 && !fits(rest.slice(0, n))) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    current = rest;
  }
  if (current || !lines.length) lines.push(current);
  return lines;
}

interface Column {
  key: 'description' | 'quantity' | 'unitPrice' | 'amount' | 'rate';
  width: number;
  align: 'left' | 'right';
}

function columnsOf(layout: DocumentLayout): Column[] {
  const rate = layout.columns.rate !== undefined;
  const numbers: Column[] = [
    { key: 'quantity', width: 55, align: 'right' },
    ...(rate ? [{ key: 'rate', width: 45, align: 'right' } as const] : []),
    { key: 'unitPrice', width: 90, align: 'right' },
    { key: 'amount', width: 95, align: 'right' },
  ];
  return [{ key: 'description', width: WIDTH - numbers.reduce((n, c) => n + c.width, 0), align: 'left' }, ...numbers];
}

/** Draws the layout; answers the PDF's bytes. */
export async function renderPdf(layout: DocumentLayout, meta: { createdAt: Date }): Promise<Uint8Array> {
  const lib = await pdfLib();
  const GREY = lib.rgb(0.35, 0.35, 0.35);
  const RULE = lib.rgb(0.75, 0.75, 0.75);
  const doc = await lib.PDFDocument.create({ updateMetadata: false });
  const fonts = await fontsOf(doc, lib);
  doc.setTitle(fonts.clean(`${layout.title} ${layout.number}`));
  doc.setLanguage(layout.locale);
  doc.setCreator('Cloud License Portal');
  doc.setProducer('Cloud License Portal');
  doc.setCreationDate(meta.createdAt);
  doc.setModificationDate(meta.createdAt);

  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;
  const newPage = () => {
    page = doc.addPage(A4);
    pages.push(page);
    y = A4[1] - MARGIN;
  };
  const text = (s: string, x: number, at: number, opts: { bold?: boolean; size?: number; align?: 'left' | 'right'; width?: number; grey?: boolean } = {}) => {
    const font = opts.bold ? fonts.bold : fonts.regular;
    const size = opts.size ?? SIZE;
    const clean = fonts.clean(s);
    const dx = opts.align === 'right' ? (opts.width ?? 0) - font.widthOfTextAtSize(clean, size) : 0;
    page.drawText(clean, { x: x + dx, y: at, size, font, ...(opts.grey ? { color: GREY } : {}) });
  };
  const rule = (at: number) => page.drawLine({ start: { x: MARGIN, y: at }, end: { x: A4[0] - MARGIN, y: at }, thickness: 0.5, color: RULE });

  newPage();
  // Header: the seller on the left, the title and number on the right.
  const half = WIDTH / 2;
  text(layout.title, MARGIN + half, y - 14, { bold: true, size: 20, align: 'right', width: half });
  text(layout.number, MARGIN + half, y - 30, { size: 11, align: 'right', width: half });
  let left = y;
  text(layout.seller.heading, MARGIN, left - LEADING, { grey: true });
  left -= LEADING;
  layout.seller.lines.forEach((l, i) => {
    left -= LEADING;
    text(l, MARGIN, left, { bold: i === 0 });
  });
  y = Math.min(left, y - 30) - 2 * LEADING;

  // The buyer on the left, the dates and numbers on the right.
  const top = y;
  text(layout.buyer.heading, MARGIN, y, { grey: true });
  layout.buyer.lines.forEach((l, i) => {
    y -= LEADING;
    text(l, MARGIN, y, { bold: i === 0 });
  });
  let right = top;
  const labelWidth = Math.max(...layout.meta.map(([label]) => fonts.regular.widthOfTextAtSize(fonts.clean(label), SIZE))) + 10;
  for (const [label, value] of layout.meta) {
    text(label, MARGIN + half, right, { grey: true });
    for (const part of wrap(fonts.clean(value), fonts.regular, SIZE, half - labelWidth)) {
      text(part, MARGIN + half + labelWidth, right, { align: 'right', width: half - labelWidth });
      right -= LEADING;
    }
  }
  y = Math.min(y, right) - 2 * LEADING;

  // The lines, the header repeated on every page.
  const columns = columnsOf(layout);
  const header = () => {
    let x = MARGIN;
    for (const c of columns) {
      text(layout.columns[c.key] ?? '', x, y, { bold: true, align: c.align, width: c.width });
      x += c.width;
    }
    y -= 5;
    rule(y);
    y -= LEADING;
  };
  header();
  const bottom = MARGIN + 2 * LEADING;
  for (const line of layout.lines) {
    const description = wrap(fonts.clean(line.description), fonts.regular, SIZE, columns[0]!.width - 8);
    if (y - (description.length - 1) * LEADING < bottom) {
      newPage();
      header();
    }
    let x = MARGIN;
    for (const c of columns) {
      if (c.key === 'description') description.forEach((d, i) => text(d, x, y - i * LEADING));
      else text(line[c.key] ?? '', x, y, { align: 'right', width: c.width });
      x += c.width;
    }
    y -= description.length * LEADING + 3;
  }
  rule(y + LEADING - 5);

  // The totals, right-aligned under the amounts; the tax mention below.
  const totalsNeed = layout.totals.length * (LEADING + 2) + LEADING;
  if (y - totalsNeed < bottom) newPage();
  y -= 4;
  for (const t of layout.totals) {
    text(t.label, MARGIN, y, { bold: t.strong, align: 'right', width: WIDTH - 110 });
    text(t.value, MARGIN + WIDTH - 105, y, { bold: t.strong, align: 'right', width: 105 });
    y -= LEADING + 2;
  }
  y -= LEADING;
  for (const note of layout.notes) {
    for (const l of wrap(fonts.clean(note), fonts.regular, SIZE, WIDTH)) {
      if (y < bottom) newPage();
      text(l, MARGIN, y);
      y -= LEADING;
    }
  }

  pages.forEach((p, i) => {
    page = p;
    text(layout.page(i + 1, pages.length), MARGIN, MARGIN - 20, { grey: true, size: 8, align: 'right', width: WIDTH });
    text(`${layout.title} ${layout.number}`, MARGIN, MARGIN - 20, { grey: true, size: 8 });
  });
  return doc.save({ useObjectStreams: false });
}

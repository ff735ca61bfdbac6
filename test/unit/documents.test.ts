import { extractText, getDocumentProxy } from 'unpdf';
import type { Account } from '#data/accounts.ts';
import type { Invoice } from '#data/invoices.ts';
import { documentLayout, documentFormat, fileNameOf, type DocumentInput } from '#domain/documents.ts';
import type { Caller } from '#platform/caller.ts';
import { renderPdf } from '#services/pdf.ts';
import { makeDocumentService } from '#services/documents.ts';
import { ACCOUNT, eur, invoiceOf } from './services/fake-billing.ts';

/**
 * Invoices as documents (docs/commerce.md "Documents"): the layout and its words per language
 * (domain/documents.ts), the PDF drawn from it read back as text (services/pdf.ts), and the service
 * that picks the language and the parties and never lets a line's price chain into the buyer's PDF.
 */
const textOf = async (bytes: Uint8Array) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;

const base: DocumentInput = {
  locale: 'en',
  kind: 'invoice',
  number: 'INV-000042',
  issuedAt: '2027-01-10T09:00:00.000Z',
  dueAt: '2027-01-26',
  seller: { name: 'Distributor', legalName: 'Distributor Ltd', vatId: 'IE1234567T', address: { line1: '1 Harbour St', city: 'Dublin', postalCode: 'D01', country: 'IE' } },
  buyer: { name: 'Fabrikam GmbH', vatId: 'DE123456789', address: { line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' } },
  lines: [{ description: 'Microsoft 365 Business Basic (P1Y, billed monthly)', quantity: 1000, unitPrice: eur(123456), amount: eur(123456000) }],
  total: eur(146912640),
  net: eur(123456000),
  taxes: [{ rateBps: 1900, net: eur(123456000), tax: eur(23456640) }],
  taxTreatment: 'domestic',
};

describe('money and dates in the buyer’s language', () => {
  it.each([
    ['en', '€1,234.56', '-€5.00', 'January 10, 2027', '19%'],
    ['de', '1.234,56 €', '-5,00 €', '10. Januar 2027', '19 %'],
    ['es', '1.234,56 €', '-5,00 €', '10 de enero de 2027', '19 %'],
  ] as const)('%s: %s, %s, %s, %s', (locale, money, negative, day, rate) => {
    const f = documentFormat(locale);
    // Intl separates the amount and the sign with a no-break space: compared with a plain one.
    const plain = (s: string) => s.replace(/\s/g, ' ');
    expect(plain(f.money(eur(123456)))).toBe(money);
    expect(plain(f.money(eur(-500)))).toBe(negative);
    expect(f.day('2027-01-10T09:00:00.000Z')).toBe(day);
    expect(f.day('2027-01-10')).toBe(day);
    expect(plain(f.rate(1900))).toBe(rate);
  });

  it('uses each currency’s minor unit (JPY has none)', () => {
    expect(documentFormat('en').money({ amount: 1234, currency: 'JPY' })).toBe('¥1,234');
    expect(documentFormat('en').money({ amount: 1234, currency: 'USD' })).toBe('$12.34');
  });
});

describe('the layout of a document', () => {
  it.each([
    ['en', 'invoice', 'Invoice'],
    ['en', 'credit_note', 'Credit note'],
    ['en', 'statement', 'Statement'],
    ['de', 'invoice', 'Rechnung'],
    ['de', 'credit_note', 'Gutschrift'],
    ['es', 'invoice', 'Factura'],
    ['es', 'credit_note', 'Factura rectificativa'],
  ] as const)('%s %s is titled %s', (locale, kind, title) => {
    expect(documentLayout({ ...base, locale, kind }).title).toBe(title);
  });

  it('names both parties with their legal name, address, country and VAT id, in the buyer’s language', () => {
    const layout = documentLayout({ ...base, locale: 'de' });
    expect(layout.seller).toEqual({ heading: 'Rechnungssteller', lines: ['Distributor Ltd', 'Distributor', '1 Harbour St', 'D01 Dublin', 'Irland', 'USt-IdNr.: IE1234567T'] });
    expect(layout.buyer).toEqual({ heading: 'Rechnungsempfänger', lines: ['Fabrikam GmbH', 'Unter den Linden 1', '10117 Berlin', 'Deutschland', 'USt-IdNr.: DE123456789'] });
  });

  it('gives the number, issue date, service period and due date; a credit note the invoice it corrects', () => {
    const layout = documentLayout({ ...base, locale: 'de', kind: 'credit_note', servicePeriod: { start: '2027-01-10', end: '2027-02-09' }, correctsNumber: 'INV-000041' });
    expect(layout.meta).toEqual([
      ['Nummer', 'INV-000042'],
      ['Ausstellungsdatum', '10. Januar 2027'],
      ['Leistungszeitraum', '10. Januar 2027 – 9. Februar 2027'],
      ['Fällig am', '26. Januar 2027'],
      ['Korrigiert Rechnung', 'INV-000041'],
    ]);
  });

  it('lists the lines and the net, the VAT per rate (highest first) and the total', () => {
    const layout = documentLayout({
      ...base,
      locale: 'de',
      lines: [
        { description: 'A', quantity: 2, unitPrice: eur(1000), amount: eur(2000), rateBps: 1900 },
        { description: 'B', quantity: 1, unitPrice: eur(1000), amount: eur(1000), rateBps: 700 },
      ],
      net: eur(3000),
      taxes: [
        { rateBps: 700, net: eur(1000), tax: eur(70) },
        { rateBps: 1900, net: eur(2000), tax: eur(380) },
      ],
      total: eur(3450),
    });
    const plain = (s: string) => s.replace(/\s/g, ' ');
    // Two rates: each line says its own.
    expect(layout.columns.rate).toBe('USt.');
    expect(layout.lines.map((l) => [l.description, l.quantity, plain(l.unitPrice), plain(l.amount), plain(l.rate!)])).toEqual([
      ['A', '2', '10,00 €', '20,00 €', '19 %'],
      ['B', '1', '10,00 €', '10,00 €', '7 %'],
    ]);
    expect(layout.totals.map((t) => [plain(t.label), plain(t.value), Boolean(t.strong)])).toEqual([
      ['Nettosumme', '30,00 €', false],
      ['USt. 19 % auf 20,00 €', '3,80 €', false],
      ['USt. 7 % auf 10,00 €', '0,70 €', false],
      ['Gesamtbetrag', '34,50 €', true],
    ]);
    expect(layout.notes).toEqual([]);
  });

  it.each([
    ['from before tax was kept', { net: undefined, taxes: undefined, taxTreatment: undefined }],
    ['untaxed (its seller had no tax profile)', { net: eur(7200), taxes: [], taxTreatment: 'untaxed' as const }],
  ])('an invoice %s: its total only, nothing about tax', (_what, fields) => {
    const layout = documentLayout({ ...base, ...fields, total: eur(7200) });
    expect(layout.totals).toEqual([{ label: 'Total', value: '€72.00', strong: true }]);
    expect(layout.notes).toEqual([]);
    expect(layout.columns.rate).toBeUndefined();
  });

  it.each([
    ['en', 'reverse_charge', /^Reverse charge: .*Art\. 196 Council Directive 2006\/112\/EC/],
    ['de', 'reverse_charge', /^Steuerschuldnerschaft des Leistungsempfängers .*Art\. 196 Richtlinie 2006\/112\/EG/],
    ['es', 'reverse_charge', /^Inversión del sujeto pasivo.*art\. 196 de la Directiva 2006\/112\/CE/],
    ['en', 'outside_scope', /^Outside the scope of VAT/],
    ['de', 'outside_scope', /^Nicht steuerbare Leistung/],
    ['es', 'outside_scope', /^Operación no sujeta al IVA/],
  ] as const)('%s %s: says so', (locale, taxTreatment, mention) => {
    const layout = documentLayout({ ...base, locale, taxTreatment, taxes: [], net: base.total });
    expect(layout.notes).toEqual([expect.stringMatching(mention)]);
  });

  it('shows the amount due when credit notes reduced it, the total when not', () => {
    expect(documentLayout({ ...base, amountDue: eur(5000) }).totals.slice(-2)).toEqual([
      { label: 'Total', value: '€1,469,126.40', strong: false },
      { label: 'Amount due', value: '€50.00', strong: true },
    ]);
    expect(documentLayout({ ...base, amountDue: base.total }).totals.at(-1)).toEqual({ label: 'Total', value: '€1,469,126.40', strong: true });
  });

  it('makes a file name safe for a header and every OS', () => {
    expect(fileNameOf('INV-000042')).toBe('INV-000042.pdf');
    expect(fileNameOf('R/2027 "7"')).toBe('R_2027__7_.pdf');
  });
});

describe('the PDF', () => {
  it('writes every accent of the three languages and the euro sign in the standard font, and a name in another script without failing', async () => {
    const layout = documentLayout({
      ...base,
      locale: 'es',
      buyer: { name: 'Señora Müller-Ißelbächer Dvořák 北京' },
      lines: [{ description: 'Licencias: á é í ó ú ñ ü ö ä ß ¿¡ Ä Ö Ü É', quantity: 1, unitPrice: eur(123456), amount: eur(123456) }],
      net: eur(123456),
      taxes: [{ rateBps: 2100, net: eur(123456), tax: eur(25926) }],
      total: eur(149382),
    });
    const text = await textOf(await renderPdf(layout, { createdAt: new Date(base.issuedAt) }));
    expect(text).toContain('Factura');
    expect(text).toContain('Licencias: á é í ó ú ñ ü ö ä ß ¿¡ Ä Ö Ü É');
    // Outside WinAnsi: ř loses its accent, the Chinese characters become "?".
    expect(text).toContain('Señora Müller-Ißelbächer Dvorák ??');
    expect(text.replace(/\s/g, ' ')).toContain('1.234,56 €');
    expect(text.replace(/\s/g, ' ')).toContain('1.493,82 €');
    expect(text).toContain('Base imponible');
  });

  it('repeats the table header on every page of a long invoice and numbers the pages', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ description: `Line ${i + 1}`, quantity: 1, unitPrice: eur(100), amount: eur(100) }));
    const bytes = await renderPdf(documentLayout({ ...base, lines }), { createdAt: new Date(base.issuedAt) });
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    expect(pdf.numPages).toBeGreaterThan(1);
    const { text } = await extractText(pdf, { mergePages: false });
    for (const [i, page] of (text as string[]).entries()) {
      expect(page).toContain('Description');
      expect(page).toContain(`Page ${i + 1} of ${pdf.numPages}`);
    }
    expect(text.join('\n')).toContain('Line 60');
  });
});

describe('the PDF of an invoice (services/documents.ts)', () => {
  const seller: Account = { id: ACCOUNT.parentId, type: 'distributor', parentId: null, rootId: ACCOUNT.rootId, accountPath: [ACCOUNT.rootId], name: 'Distributor Inc', status: 'active', settings: { orderProcessing: 'automatic', allowSelfServicePurchases: false, locale: 'en', currency: 'EUR' }, createdAt: '2027-01-01T00:00:00.000Z', version: 1 } as Account;
  const buyer: Account = { ...seller, id: ACCOUNT.id, type: 'customer', parentId: ACCOUNT.parentId, accountPath: ACCOUNT.accountPath, name: 'Fabrikam', address: { line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' }, settings: { ...seller.settings, locale: 'de' } } as Account;
  const staff: Caller = { userId: 'usr_1', accountId: ACCOUNT.rootId, accountType: 'distributor', role: 'admin', accountPath: [ACCOUNT.rootId], rootId: ACCOUNT.rootId };
  const stranger: Caller = { userId: 'usr_2', accountId: 'acc_other', accountType: 'customer', role: 'admin', accountPath: ['acc_root2', 'acc_other'], rootId: 'acc_root2' };

  function serviceWith(invoices: Invoice[]) {
    const asked: string[][] = [];
    const service = makeDocumentService({
      invoices: {
        getInvoice: async (id) => invoices.find((i) => i.id === id),
        listInvoices: async () => ({ items: [], nextCursor: null }),
      },
      accounts: {
        getAccounts: async (ids) => {
          asked.push([...ids]);
          return ids.map((id) => [seller, buyer].find((a) => a.id === id));
        },
      },
    });
    return { service, asked };
  }

  it('an invoice from before the commerce fields: the buyer account’s language (de), the accounts’ names, the total', async () => {
    const { service } = serviceWith([invoiceOf({ lines: [{ description: 'Business Basic', quantity: 10, unitPrice: eur(123456), amount: eur(1234560) }], total: eur(1234560) })]);
    const pdf = await service.invoicePdf(staff, 'inv_01JD0000000000000000000001');
    expect(pdf.fileName).toBe('INV-000001.pdf');
    const text = (await textOf(pdf.bytes)).replace(/\s/g, ' ');
    for (const s of ['Rechnung', 'INV-000001', 'Distributor Inc', 'Fabrikam', 'Unter den Linden 1', '10117 Berlin', 'Deutschland', 'Beschreibung', '1.234,56 €', '12.345,60 €', 'Gesamtbetrag', '2. Januar 2027', '26. Januar 2027']) {
      expect(text).toContain(s);
    }
    expect(text).not.toMatch(/USt\.|Nettosumme|Reverse/);
  });

  it('a credit note in the invoice’s own language, naming the invoice it corrects; the price chain never shows', async () => {
    const { service } = serviceWith([
      invoiceOf({ id: 'inv_orig', number: 'INV-000007' }),
      invoiceOf({
        id: 'inv_credit',
        number: 'INV-000008',
        kind: 'credit_note',
        locale: 'es',
        correctsInvoiceId: 'inv_orig',
        seller: { accountId: seller.id, name: 'Distributor', legalName: 'Distributor Iberia SL', country: 'ES', vatId: 'ESB12345678' },
        buyer: { accountId: buyer.id, name: 'Fabrikam', legalName: 'Fabrikam GmbH', country: 'DE', vatId: 'DE123456789' },
        // Distinctive chain figures: a cost of 4.242,42 € and a reseller price of 3.131,31 € must not reach the buyer's PDF.
        lines: [{ description: 'Business Basic', quantity: -1, unitPrice: eur(720000), amount: eur(-720000), rateBps: 0, chain: { cost: eur(424242), resellerPrice: eur(313131), sell: eur(720000) } }],
        net: eur(-720000),
        taxes: [{ rateBps: 0, net: eur(-720000), tax: eur(0) }],
        taxTreatment: 'reverse_charge',
        total: eur(-720000),
      }),
    ]);
    const text = (await textOf((await service.invoicePdf(staff, 'inv_credit')).bytes)).replace(/\s/g, ' ');
    for (const s of ['Factura rectificativa', 'INV-000008', 'Rectifica la factura', 'INV-000007', 'Distributor Iberia SL', 'NIF-IVA: ESB12345678', 'Fabrikam GmbH', 'NIF-IVA: DE123456789', '-7.200,00 €', 'art. 196']) {
      expect(text).toContain(s);
    }
    expect(text).not.toMatch(/4\.242,42|3\.131,31|4242|3131/);
  });

  it('another tree’s invoice is not found, as GET /v1/invoices/{id} answers it', async () => {
    const { service, asked } = serviceWith([invoiceOf()]);
    await expect(service.invoicePdf(stranger, 'inv_01JD0000000000000000000001')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(service.invoicePdf(staff, 'inv_01JD0000000000000000000009')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(asked).toEqual([]);
  });
});

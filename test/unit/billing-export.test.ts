import type { Account } from '#data/accounts.ts';
import type { Invoice, InvoiceFilters } from '#data/invoices.ts';
import { BOM, csvField, headerRow, invoiceRows, majorUnits, ratePercent, type ExportInvoice } from '#domain/billing-export.ts';
import type { Caller } from '#platform/caller.ts';
import { makeDocumentService, MAX_EXPORT_BYTES } from '#services/documents.ts';
import { eur, invoiceOf } from './services/fake-billing.ts';

/**
 * The CSV export of invoice lines (docs/commerce.md "Documents"): RFC 4180 fields, money in major
 * units, the margin columns only for staff and filled per viewer by figuresFor, every page of the
 * invoice list read (domain/billing-export.ts, services/documents.ts).
 */
/** A CSV text as rows of fields (RFC 4180: quoted fields, doubled quotes, CRLF inside quotes kept). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) field += c;
    else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('CSV fields (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['line\nfeed', '"line\nfeed"'],
    ['Größe ñ €', 'Größe ñ €'],
    ['', ''],
  ])('%j → %j', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('defuses a text a spreadsheet would run as a formula, not a number', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.50', false)).toBe('-12.50');
  });

  it.each([
    [{ amount: 123456, currency: 'EUR' }, '1234.56'],
    [{ amount: 5, currency: 'EUR' }, '0.05'],
    [{ amount: -720, currency: 'EUR' }, '-7.20'],
    [{ amount: 0, currency: 'USD' }, '0.00'],
    [{ amount: 1234, currency: 'JPY' }, '1234'],
    [{ amount: 1234, currency: 'KWD' }, '1.234'],
    [{ amount: 9007199254740991, currency: 'EUR' }, '90071992547409.91'],
  ])('money %j in major units: %s', (m, text) => {
    expect(majorUnits(m)).toBe(text);
  });

  it('rates as percentages with a dot', () => {
    expect([ratePercent(1900), ratePercent(550), ratePercent(0)]).toEqual(['19', '5.5', '0']);
  });
});

describe('rows per viewer', () => {
  const invoice: ExportInvoice = {
    number: 'INV-000042',
    kind: 'invoice',
    issuedAt: '2027-01-10T09:00:00.000Z',
    seller: { id: 'acc_reseller', name: 'Reseller, "the best"' },
    buyer: { id: 'acc_customer', name: 'Fabrikam GmbH' },
    rateBps: 1900,
    lines: [
      { description: 'Business Basic', quantity: 10, unitPrice: eur(720), amount: eur(7200), chain: { cost: eur(500), resellerPrice: eur(600), sell: eur(720) } },
      { description: 'Old line, no chain', quantity: 1, unitPrice: eur(100), amount: eur(100) },
    ],
  };
  const base = ['INV-000042', 'invoice', '2027-01-10', 'acc_reseller', 'Reseller, "the best"', 'acc_customer', 'Fabrikam GmbH'];

  it('the header names the margin columns only with margins', () => {
    expect(parseCsv(headerRow(false))[0]).toEqual(['Invoice number', 'Kind', 'Issue date', 'Seller id', 'Seller', 'Buyer id', 'Buyer', 'Description', 'Quantity', 'Unit price (net)', 'Net amount', 'VAT rate %', 'Currency']);
    expect(parseCsv(headerRow(true))[0]!.slice(13)).toEqual(['Cost', 'Reseller price', 'Sell', 'Margin', 'Reseller margin']);
  });

  it('the distributor: the whole chain as line totals, its margin and the reseller’s', () => {
    expect(parseCsv(invoiceRows(invoice, 'distributor', true))).toEqual([
      [...base, 'Business Basic', '10', '7.20', '72.00', '19', 'EUR', '50.00', '60.00', '72.00', '10.00', '12.00'],
      [...base, 'Old line, no chain', '1', '1.00', '1.00', '19', 'EUR', '', '', '', '', ''],
    ]);
  });

  it('the reseller: what it pays as its cost, its sell and its margin; never the distributor’s cost', () => {
    const rows = parseCsv(invoiceRows(invoice, 'reseller', true));
    expect(rows[0]).toEqual([...base, 'Business Basic', '10', '7.20', '72.00', '19', 'EUR', '60.00', '', '72.00', '12.00', '']);
    expect(rows.flat()).not.toContain('50.00');
  });

  it('a buyer in a staff export (a reseller’s own statement): the columns stay empty', () => {
    expect(parseCsv(invoiceRows(invoice, 'customer', true))[0]!.slice(13)).toEqual(['', '', '', '', '']);
  });

  it('a customer: no margin columns at all', () => {
    const rows = parseCsv(invoiceRows(invoice, 'customer', false));
    expect(rows[0]).toEqual([...base, 'Business Basic', '10', '7.20', '72.00', '19', 'EUR']);
    expect(rows.flat().join()).not.toMatch(/50\.00|60\.00/);
  });
});

describe('the export (services/documents.ts)', () => {
  const staff: Caller = { userId: 'usr_1', accountId: 'acc_01JD0000000000000000000002', accountType: 'distributor', role: 'admin', accountPath: ['acc_01JD0000000000000000000002'], rootId: 'acc_01JD0000000000000000000002' };
  const customer: Caller = { ...staff, accountId: 'acc_01JD0000000000000000000001', accountType: 'customer', accountPath: ['acc_01JD0000000000000000000002', 'acc_01JD0000000000000000000001'] };
  const accounts = [
    { id: 'acc_01JD0000000000000000000001', name: 'Fabrikam' },
    { id: 'acc_01JD0000000000000000000002', name: 'Distributor' },
  ] as Account[];

  function serviceWith(invoices: Invoice[], pageSize = 2) {
    const queries: InvoiceFilters[] = [];
    const service = makeDocumentService({
      invoices: {
        getInvoice: async () => undefined,
        // Newest first, `pageSize` a page, the cursor an offset: as the repository's pages come.
        listInvoices: async (_caller, f) => {
          queries.push(f);
          const sorted = invoices.filter((i) => i.issuedAt >= f.from && i.issuedAt <= `${f.to}~`).sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
          const start = Number(f.cursor ?? 0);
          const items = sorted.slice(start, start + pageSize);
          return { items, nextCursor: start + pageSize < sorted.length ? String(start + pageSize) : null };
        },
      },
      accounts: { getAccounts: async (ids) => ids.map((id) => accounts.find((a) => a.id === id)) },
    });
    return { service, queries };
  }

  const invoices = [1, 2, 3, 4, 5].map((n) =>
    invoiceOf({
      id: `inv_${n}`,
      number: `INV-00000${n}`,
      issuedAt: `2027-01-0${n}T09:00:00.000Z`,
      lines: [
        { description: `Item ${n}`, quantity: n, unitPrice: eur(1000), amount: eur(1000 * n), chain: { cost: eur(800), sell: eur(1000) } },
        { description: 'Setup, "express"', quantity: 1, unitPrice: eur(50), amount: eur(50) },
      ],
      total: eur(1000 * n + 50),
    }),
  );

  it('reads every page, oldest first, one row per line, with a BOM and CRLF; the rows add up to the totals', async () => {
    const { service, queries } = serviceWith(invoices);
    const { csv, invoices: count, lines } = await service.exportCsv(staff, { from: '2027-01-02', to: '2027-01-05' });
    expect(queries.map((q) => [q.from, q.to, q.cursor])).toEqual([
      ['2027-01-02', '2027-01-05', undefined],
      ['2027-01-02', '2027-01-05', '2'],
    ]);
    expect([count, lines]).toEqual([4, 8]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(csv.slice(BOM.length));
    expect(header).toHaveLength(18);
    expect(rows.map((r) => r[0])).toEqual(['INV-000002', 'INV-000002', 'INV-000003', 'INV-000003', 'INV-000004', 'INV-000004', 'INV-000005', 'INV-000005']);
    expect(rows[1]!.slice(4, 8)).toEqual(['Distributor', 'acc_01JD0000000000000000000001', 'Fabrikam', 'Setup, "express"']);
    const sumOf = (n: string) => rows.filter((r) => r[0] === n).reduce((s, r) => s + Math.round(Number(r[10]) * 100), 0);
    for (const i of invoices.slice(1)) expect(sumOf(i.number)).toBe(i.total.amount);
    // The distributor's figures: cost, no reseller price (a direct customer), sell, its margin.
    expect(rows[0]!.slice(13)).toEqual(['16.00', '', '20.00', '4.00', '']);
  });

  it('a customer gets no margin columns', async () => {
    const { service } = serviceWith(invoices);
    const { csv } = await service.exportCsv(customer, { from: '2027-01-01', to: '2027-01-31' });
    const [header, ...rows] = parseCsv(csv.slice(BOM.length));
    expect(header).toHaveLength(13);
    expect(rows.every((r) => r.length === 13)).toBe(true);
    expect(csv).not.toContain('8.00');
  });

  it('an empty range: the header only', async () => {
    const { service } = serviceWith(invoices);
    const { csv } = await service.exportCsv(staff, { from: '2026-01-01', to: '2026-12-31' });
    expect(parseCsv(csv.slice(BOM.length))).toHaveLength(1);
  });

  it(`refuses an export over ${MAX_EXPORT_BYTES / 1e6} MB (422 export_too_large)`, async () => {
    const long = 'x'.repeat(10_000);
    const big = Array.from({ length: 600 }, (_, n) => invoiceOf({ id: `inv_${n}`, number: `INV-${n}`, issuedAt: '2027-01-02T09:00:00.000Z', lines: [{ description: long, quantity: 1, unitPrice: eur(1), amount: eur(1) }] }));
    const { service } = serviceWith(big, 100);
    await expect(service.exportCsv(staff, { from: '2027-01-01', to: '2027-01-31' })).rejects.toMatchObject({ status: 422, code: 'export_too_large' });
  });
});

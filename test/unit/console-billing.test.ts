import {
  amountDueIfDifferent,
  attachmentName,
  exportFileName,
  figureColumns,
  figuresViewer,
  figureTotals,
  hasLineRates,
  partyBlock,
  pdfFileName,
  previousMonth,
  showsFigures,
  taxMention,
  taxRows,
  thisMonth,
  titleKey,
  todayUtc,
  type InvoiceParty,
  type PriceFigures,
} from '../../console/src/features/billing/format.ts';

/**
 * The billing screens' pure helpers (console/src/features/billing/format.ts): an invoice's title,
 * VAT rows, mention and amount due as the screen shows them; a party as its address block; the
 * figures of lines as columns and sums (format only); the export's ranges and the file names.
 */
const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('an invoice as the screen reads it', () => {
  it.each([
    ['invoice', 'invoice.title'],
    ['credit_note', 'invoice.titleCreditNote'],
    ['statement', 'invoice.titleStatement'],
    [undefined, 'invoice.title'],
  ] as const)('the title of a %s is %s', (kind, key) => {
    expect(titleKey(kind)).toBe(key);
  });

  it('lists the VAT per rate, highest rate first, and nothing for an untaxed invoice', () => {
    const taxes = [
      { rateBps: 700, net: eur(1000), tax: eur(70) },
      { rateBps: 1900, net: eur(2000), tax: eur(380) },
    ];
    expect(taxRows({ taxTreatment: 'domestic', taxes })?.map((t) => t.rateBps)).toEqual([1900, 700]);
    expect(taxRows({ taxTreatment: 'reverse_charge', taxes: [{ rateBps: 0, net: eur(1000), tax: eur(0) }] })).toHaveLength(1);
    expect(taxRows({ taxTreatment: 'untaxed', taxes: [] })).toBeUndefined();
    // The invoice's own array is left as the API answered it.
    expect(taxes[0]!.rateBps).toBe(700);
  });

  it.each([
    ['reverse_charge', 'reverseCharge'],
    ['outside_scope', 'outsideScope'],
    ['domestic', undefined],
    ['destination', undefined],
    ['untaxed', undefined],
  ] as const)('%s carries the mention %s', (treatment, mention) => {
    expect(taxMention(treatment)).toBe(mention);
  });

  it('shows the amount due only when a credit note made it differ from the total', () => {
    expect(amountDueIfDifferent({ total: eur(11900), amountDue: eur(11900) })).toBeUndefined();
    expect(amountDueIfDifferent({ total: eur(11900), amountDue: eur(5950) })).toEqual(eur(5950));
    expect(amountDueIfDifferent({ total: eur(11900), amountDue: eur(0) })).toEqual(eur(0));
  });

  it('has a VAT column when any line has a rate (0 % too)', () => {
    expect(hasLineRates([{}, {}])).toBe(false);
    expect(hasLineRates([{}, { rateBps: 0 }])).toBe(true);
  });
});

describe('a party as its block', () => {
  const names: Record<string, string> = { DE: 'Deutschland', ES: 'España' };
  const country = (code: string) => names[code] ?? code;
  const party = (over: Partial<InvoiceParty>): InvoiceParty => ({ accountId: 'acc_1', name: 'Contoso', legalName: null, country: null, vatId: null, address: null, ...over });

  it('names the legal name first, then the trading name, the address, the country and the VAT id', () => {
    const block = partyBlock(
      party({
        legalName: 'Contoso Iberia S.L.',
        country: 'ES',
        vatId: 'ESB12345678',
        address: { line1: 'Calle Mayor 1', line2: 'Planta 3', postalCode: '28013', city: 'Madrid', state: 'Madrid', country: 'ES' },
      }),
      country,
    );
    expect(block).toEqual({ name: 'Contoso Iberia S.L.', tradingAs: 'Contoso', address: ['Calle Mayor 1', 'Planta 3', '28013 Madrid', 'Madrid', 'España'], vatId: 'ESB12345678' });
  });

  it('falls back to the account name and the profile country, and leaves out what is not known', () => {
    expect(partyBlock(party({ country: 'DE' }), country)).toEqual({ name: 'Contoso', address: ['Deutschland'] });
    expect(partyBlock(party({ legalName: 'Contoso' }), country)).toEqual({ name: 'Contoso', address: [] });
    expect(partyBlock(party({ legalName: '  ' }), country).name).toBe('Contoso');
  });
});

describe('figures of lines', () => {
  const reseller = (cost: number, sell: number): PriceFigures => ({ cost: eur(cost), sell: eur(sell), margin: eur(sell - cost) });
  const distributor: PriceFigures = { cost: eur(800), resellerPrice: eur(880), sell: eur(1056), distributorMargin: eur(80), resellerMargin: eur(176) };

  it('are shown when the API gave them at all, null (no cost) included; never for the buyer', () => {
    expect(showsFigures([{}, {}])).toBe(false);
    expect(showsFigures([{ figures: null }])).toBe(true);
    expect(showsFigures([{ figures: reseller(100, 120) }])).toBe(true);
  });

  it('have the columns the API gave, in order, and say whose they are', () => {
    expect(figureColumns([{ figures: reseller(100, 120) }, { figures: null }])).toEqual(['cost', 'sell', 'margin']);
    expect(figureColumns([{ figures: distributor }])).toEqual(['cost', 'resellerPrice', 'sell', 'distributorMargin', 'resellerMargin']);
    // The distributor's direct customer: cost, sell and its own margin.
    expect(figureColumns([{ figures: { cost: eur(800), sell: eur(1000), distributorMargin: eur(200) } }, { figures: distributor }])).toEqual([
      'cost',
      'resellerPrice',
      'sell',
      'distributorMargin',
      'resellerMargin',
    ]);
    expect(figuresViewer([{ figures: reseller(1, 2) }])).toBe('reseller');
    expect(figuresViewer([{ figures: null }, { figures: distributor }])).toBe('distributor');
    expect(figuresViewer([{ figures: null }])).toBeUndefined();
  });

  it('add up per column over the lines that carry them; lines without a cost are counted apart', () => {
    const { totals, missing } = figureTotals([{ figures: reseller(1000, 1200) }, { figures: null }, { figures: reseller(500, 450) }]);
    expect(totals).toEqual({ cost: eur(1500), sell: eur(1650), margin: eur(150) });
    expect(missing).toBe(1);
  });

  it('give no sum for a column whose lines mix currencies, and leave the API figures untouched', () => {
    const first = reseller(1000, 1200);
    const { totals } = figureTotals([{ figures: first }, { figures: { cost: eur(10), sell: { amount: 20, currency: 'USD' }, margin: eur(10) } }, { figures: reseller(1, 1) }]);
    expect(totals).toEqual({ cost: eur(1011), margin: eur(210) });
    expect(first.cost).toEqual(eur(1000));
  });
});

describe('export ranges and file names', () => {
  it.each([
    ['2027-03-15T10:00:00Z', '2027-02-01', '2027-02-28'],
    ['2028-03-01T00:00:00Z', '2028-02-01', '2028-02-29'],
    ['2027-01-31T23:59:59Z', '2026-12-01', '2026-12-31'],
  ])('on %s the previous month runs from %s to %s (UTC)', (now, from, to) => {
    expect(previousMonth(new Date(now))).toEqual({ from, to });
  });

  it('this month runs from its first day to today (UTC)', () => {
    expect(thisMonth(new Date('2027-01-31T23:59:59Z'))).toEqual({ from: '2027-01-01', to: '2027-01-31' });
    expect(todayUtc(new Date('2027-05-02T01:00:00+03:00'))).toBe('2027-05-01');
  });

  it('names files as the API does', () => {
    expect(pdfFileName('INV-000042')).toBe('INV-000042.pdf');
    expect(pdfFileName('R/2027 01')).toBe('R_2027_01.pdf');
    expect(pdfFileName('')).toBe('invoice.pdf');
    expect(exportFileName('2027-01-01', '2027-01-31')).toBe('invoice-lines_2027-01-01_2027-01-31.csv');
  });

  it.each([
    ['attachment; filename="INV-000042.pdf"', 'INV-000042.pdf'],
    ['attachment; filename=INV-000042.pdf', 'INV-000042.pdf'],
    ["attachment; filename=\"x.pdf\"; filename*=UTF-8''Factura%20N%C2%BA1.pdf", 'Factura Nº1.pdf'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="a \\"quoted\\" name.csv"', 'a "quoted" name.csv'],
    ['attachment', 'fallback.pdf'],
    [null, 'fallback.pdf'],
    ["attachment; filename*=UTF-8''%E0%A4%A", 'fallback.pdf'],
  ])('content-disposition %s saves as %s', (header, name) => {
    expect(attachmentName(header, 'fallback.pdf')).toBe(name);
  });
});

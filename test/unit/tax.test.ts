import { money } from '#domain/money.ts';
import { EU_COUNTRIES, invoiceTotals, normalizeVatId, SEEDED_VAT_RATES, taxNote, taxTreatment, vatIdFormatValid, VAT_ID_COUNTRIES } from '#domain/tax.ts';

describe('VAT id formats', () => {
  it.each([
    ['DE', 'DE123456789', true],
    ['DE', 'de 123 456 789', true], // as people write it
    ['DE', 'DE12345678', false],
    ['DE', 'FR12345678901', false], // another country's prefix
    ['AT', 'ATU12345678', true],
    ['AT', 'AT12345678', false],
    ['GR', 'EL123456789', true], // Greece's prefix is EL
    ['GR', 'GR123456789', false],
    ['FR', 'FRXX123456789', true],
    ['FR', 'FRIO123456789', false], // I and O are never used
    ['NL', 'NL123456789B01', true],
    ['NL', 'NL123456789X01', false],
    ['ES', 'ESX1234567Z', true],
    ['IE', 'IE1234567WA', true],
    ['IE', 'IE1A23456W', true],
    ['SE', 'SE123456789001', true],
    ['SE', 'SE123456789002', false],
    ['RO', 'RO0123', false],
    ['RO', 'RO1234', true],
    ['GB', 'GB123456789', true],
    ['GB', 'GB123456789012', true],
    ['GB', 'GBGD001', true],
    ['GB', 'GBHA599', true],
    ['GB', 'GBHA499', false],
    ['US', '12-3456789', false], // no format to check against
  ])('%s %s is %s', (country, id, valid) => {
    expect(vatIdFormatValid(country, id)).toBe(valid);
  });

  it('knows a format for every EU state and the UK, and normalizes spaces, dots and dashes', () => {
    expect([...VAT_ID_COUNTRIES].sort()).toEqual([...EU_COUNTRIES, 'GB'].sort());
    expect(normalizeVatId(' be 0123.456-789 ')).toBe('BE0123456789');
  });

  it('seeds a standard rate for every EU state and the UK', () => {
    expect(Object.keys(SEEDED_VAT_RATES).sort()).toEqual([...EU_COUNTRIES, 'GB'].sort());
    expect(SEEDED_VAT_RATES).toMatchObject({ DE: 1900, ES: 2100, FR: 2000, HU: 2700, LU: 1700, GB: 2000 });
  });
});

describe('how a sale is taxed', () => {
  it.each([
    // seller, buyer, expected
    [{ country: 'ES' }, { country: 'ES', vatId: 'ESX1234567Z' }, { kind: 'domestic', country: 'ES', rateBps: 2100 }],
    [{ country: 'ES' }, { country: 'ES' }, { kind: 'domestic', country: 'ES', rateBps: 2100 }],
    [{ country: 'ES' }, { country: 'DE', vatId: 'DE123456789' }, { kind: 'reverse_charge' }],
    [{ country: 'ES' }, { country: 'DE' }, { kind: 'destination', country: 'DE', rateBps: 1900 }],
    [{ country: 'DE' }, { country: 'GB', vatId: 'GB123456789' }, { kind: 'outside_scope' }],
    [{ country: 'DE' }, { country: 'US' }, { kind: 'outside_scope' }],
    [{ country: 'GB' }, { country: 'GB' }, { kind: 'domestic', country: 'GB', rateBps: 2000 }],
    [{ country: 'GB' }, { country: 'FR', vatId: 'FRXX123456789' }, { kind: 'outside_scope' }],
  ])('%o selling to %o: %o', (seller, buyer, expected) => {
    expect(taxTreatment(seller, buyer, SEEDED_VAT_RATES)).toEqual(expected);
  });

  it('names the country whose rate the table lacks', () => {
    expect(taxTreatment({ country: 'US' }, { country: 'US' }, SEEDED_VAT_RATES)).toEqual({ kind: 'missing_rate', country: 'US' });
    expect(taxTreatment({ country: 'ES' }, { country: 'DE' }, { ES: 2100 })).toEqual({ kind: 'missing_rate', country: 'DE' });
  });

  it('gives the legal mention only where no VAT is charged', () => {
    expect(taxNote({ kind: 'reverse_charge' })).toBe('reverse_charge');
    expect(taxNote({ kind: 'outside_scope' })).toBe('outside_scope');
    expect(taxNote({ kind: 'domestic', country: 'DE', rateBps: 1900 })).toBeUndefined();
  });
});

describe('an invoice adds up: net, tax per rate, gross', () => {
  const EUR = (amount: number) => money(amount, 'EUR');

  it('taxes each rate’s total once, rounded half-up, so gross = net + Σ tax exactly', () => {
    // Three lines of 10.01 at 19 %: line by line 3 × 1.90 (each 1.9019 rounded) = 5.70; once on 30.03: 5.7057 → 5.71.
    const totals = invoiceTotals(
      [
        { net: EUR(1001), rateBps: 1900 },
        { net: EUR(1001), rateBps: 1900 },
        { net: EUR(1001), rateBps: 1900 },
        { net: EUR(2550), rateBps: 0 },
      ],
      'EUR',
    );
    expect(totals).toEqual({
      net: EUR(5553),
      taxes: [
        { rateBps: 1900, net: EUR(3003), tax: EUR(571) }, // 570.57 → 571 (line by line would be 3 × 190 = 570)
        { rateBps: 0, net: EUR(2550), tax: EUR(0) },
      ],
      gross: EUR(6124),
    });
  });

  it('handles a credit (negative net) symmetrically', () => {
    expect(invoiceTotals([{ net: EUR(-1050), rateBps: 2100 }], 'EUR')).toEqual({ net: EUR(-1050), taxes: [{ rateBps: 2100, net: EUR(-1050), tax: EUR(-221) }], gross: EUR(-1271) }); // -220.5 → -221
  });

  it('refuses lines in another currency', () => {
    expect(() => invoiceTotals([{ net: money(100, 'USD'), rateBps: 0 }], 'EUR')).toThrow('USD');
  });
});

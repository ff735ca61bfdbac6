import { renderEmail } from '#emails/index.ts';

/**
 * The renewal reminder states a change scheduled for the renewal (docs/product.md#scheduled-changes-at-renewal):
 * the next term's product, term and billing period, its licenses and the price, in each language,
 * in the text and the HTML part; without a change, or with auto-renew off, it says nothing of one.
 */
const base = {
  recipientName: 'Jane Doe',
  accountName: 'Contoso',
  subscriptionName: 'Microsoft 365 Business Basic',
  domain: 'contoso.onmicrosoft.com',
  quantity: 8,
  renewsOn: '2027-03-10',
  autoRenew: true,
  unitPrice: { amount: 15000, currency: 'EUR' },
  total: { amount: 120000, currency: 'EUR' },
  portalUrl: 'https://portal.example/subscriptions/sub_1',
};
const change = { productName: 'Microsoft 365 Business Standard', term: 'P1Y', billingPeriod: 'annual' } as const;

describe('the renewal reminder with a scheduled change', () => {
  it.each([
    ['en', 'Term from the renewal', '1 year, billed annually', 'The change you scheduled applies'],
    ['es', 'Periodo desde la renovación', '1 año, facturación anual', 'El cambio que programó'],
    ['de', 'Laufzeit ab der Verlängerung', '1 Jahr, jährliche Abrechnung', 'Die von Ihnen geplante Änderung'],
  ] as const)('%s: names the next product, term and billing period beside the licenses and price', (locale, label, term, sentence) => {
    const email = renderEmail('renewal-reminder', locale, { ...base, change });
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Microsoft 365 Business Standard');
      expect(part).toContain(label);
      expect(part).toContain(term);
      expect(part).toContain(sentence);
    }
    // The price of the next term, as each language writes 1,200.00 €.
    expect(email.text).toMatch(/1[.,]?200[.,]00/);
  });

  it('says nothing of a change when none is scheduled, or when auto-renew is off', () => {
    expect(renderEmail('renewal-reminder', 'en', base).text).not.toContain('Term from the renewal');
    const off = renderEmail('renewal-reminder', 'en', { ...base, autoRenew: false, change });
    expect(off.text).not.toContain('Business Standard');
  });
});

import { jest } from '@jest/globals';
import {
  EMAIL_TEMPLATES,
  InvalidEmail,
  LOCALES,
  escapeHtml,
  outboxEmail,
  renderEmail,
  type EmailTemplate,
} from '#emails/index.ts';
import { idPattern } from '#platform/ids.ts';

const TOKEN = 'tok_s3cr3t-value';

const SAMPLES: Record<EmailTemplate, { data: Record<string, unknown>; mustContain: string[] }> = {
  'order-completed': {
    data: {
      recipientName: 'Jane Doe',
      orderNumber: 'SO-000042',
      accountName: 'Contoso Ltd',
      domain: 'contoso.onmicrosoft.com',
      lines: [
        { name: 'Microsoft 365 Business Basic', quantity: 10 },
        { name: 'Exchange Online (Plan 1)', quantity: 3 },
      ],
      portalUrl: 'https://portal.example.com',
    },
    mustContain: [
      'Jane Doe',
      'SO-000042',
      'Contoso Ltd',
      'contoso.onmicrosoft.com',
      'Microsoft 365 Business Basic',
      'Exchange Online (Plan 1)',
      'https://portal.office.com',
      'https://portal.example.com',
    ],
  },
  'order-failed': {
    data: {
      recipientName: 'Max Mustermann',
      orderNumber: 'SO-000043',
      accountName: 'Fabrikam GmbH',
      reason: 'vendor_rejected: tenant quota exceeded',
      portalUrl: 'https://portal.example.com/orders/ord_1',
    },
    mustContain: ['Max Mustermann', 'SO-000043', 'Fabrikam GmbH', 'vendor_rejected: tenant quota exceeded', 'https://portal.example.com/orders/ord_1'],
  },
  activation: {
    data: { recipientName: 'Ana García', link: `https://portal.example.com/activate?token=${TOKEN}`, expiresAt: '2027-01-05T15:04:00.000Z' },
    mustContain: ['Ana García', `https://portal.example.com/activate?token=${TOKEN}`, '48', '2027'],
  },
  'activation-resent': {
    data: { recipientName: 'Ana García', link: `https://portal.example.com/activate?token=${TOKEN}`, expiresAt: '2027-01-05T15:04:00.000Z' },
    mustContain: ['Ana García', `https://portal.example.com/activate?token=${TOKEN}`, '48', '2027'],
  },
  'password-changed': {
    data: { recipientName: 'Jane Doe', at: '2027-03-10T08:30:00.000Z' },
    mustContain: ['Jane Doe', '2027', '8:30'],
  },
  'password-reset': {
    data: { recipientName: 'Jane Doe', link: `https://portal.example.com/reset-password?token=${TOKEN}`, expiresAt: '2027-03-10T09:30:00.000Z' },
    mustContain: ['Jane Doe', `https://portal.example.com/reset-password?token=${TOKEN}`, '2027'],
  },
  'account-locked': {
    data: { recipientName: 'Jane Doe', link: `https://portal.example.com/reset-password?token=${TOKEN}`, expiresAt: '2027-03-10T09:30:00.000Z' },
    mustContain: ['Jane Doe', `https://portal.example.com/reset-password?token=${TOKEN}`, '2027'],
  },
  'login-change': {
    data: { recipientName: 'Jane Doe', newLogin: 'jane.new@example.com', link: `https://portal.example.com/confirm-login?token=${TOKEN}`, expiresAt: '2027-03-11T08:30:00.000Z' },
    mustContain: ['Jane Doe', 'jane.new@example.com', `https://portal.example.com/confirm-login?token=${TOKEN}`, '24', '2027'],
  },
  'login-change-taken': {
    data: { recipientName: 'taken@example.com', newLogin: 'taken@example.com' },
    mustContain: ['taken@example.com'],
  },
  'partner-invitation': {
    data: {
      recipientName: 'Ana García',
      domain: 'contoso.onmicrosoft.com',
      partnerName: 'Northwind Distribution',
      accountName: 'Contoso Ltd',
      acceptUrl: 'https://portal.example.com/domains/dom_1/accept',
    },
    mustContain: ['Ana García', 'contoso.onmicrosoft.com', 'Northwind Distribution', 'Contoso Ltd', 'https://portal.example.com/domains/dom_1/accept'],
  },
  'renewal-reminder': {
    data: {
      recipientName: 'Jane Doe',
      accountName: 'Contoso Ltd',
      subscriptionName: 'Microsoft 365 Business Basic',
      domain: 'contoso.onmicrosoft.com',
      quantity: 25,
      renewsOn: '2027-03-10',
      autoRenew: true,
      portalUrl: 'https://portal.example.com/subscriptions/sub_1',
    },
    mustContain: ['Jane Doe', 'Contoso Ltd', 'Microsoft 365 Business Basic', 'contoso.onmicrosoft.com', '25', '2027', 'https://portal.example.com/subscriptions/sub_1'],
  },
  'invoice-issued': {
    data: {
      recipientName: 'Max Mustermann',
      accountName: 'Fabrikam GmbH',
      invoiceNumber: 'INV-2027-000123',
      total: { amount: 123450, currency: 'EUR' },
      dueOn: '2027-03-26',
      lines: [
        { description: 'Microsoft 365 Business Basic, 10 licenses, March 2027', amount: { amount: 60000, currency: 'EUR' } },
        { description: 'Exchange Online (Plan 1), 5 licenses, prorated', amount: { amount: 63450, currency: 'EUR' } },
      ],
      portalUrl: 'https://portal.example.com/invoices/inv_1',
      paid: false,
    },
    mustContain: [
      'Max Mustermann',
      'Fabrikam GmbH',
      'INV-2027-000123',
      'Microsoft 365 Business Basic, 10 licenses, March 2027',
      'Exchange Online (Plan 1), 5 licenses, prorated',
      '2027',
      'https://portal.example.com/invoices/inv_1',
    ],
  },
  'payment-failed': {
    data: {
      recipientName: 'Ana García',
      accountName: 'Contoso Ltd',
      invoiceNumber: 'INV-2027-000124',
      total: { amount: 4999, currency: 'USD' },
      reason: 'card_declined: insufficient funds',
      portalUrl: 'https://portal.example.com/invoices/inv_2',
    },
    mustContain: ['Ana García', 'Contoso Ltd', 'INV-2027-000124', '49', 'card_declined: insufficient funds', 'https://portal.example.com/invoices/inv_2'],
  },
  'payment-reminder': {
    data: {
      recipientName: 'Ana García',
      accountName: 'Contoso Ltd',
      invoiceNumber: 'INV-2027-000125',
      total: { amount: 123450, currency: 'EUR' },
      dueOn: '2027-03-26',
      portalUrl: 'https://portal.example.com/invoices/inv_3',
    },
    mustContain: ['Ana García', 'Contoso Ltd', 'INV-2027-000125', '2027', 'https://portal.example.com/invoices/inv_3'],
  },
  'subscription-suspended': {
    data: {
      recipientName: 'Jane Doe',
      accountName: 'Contoso Ltd',
      invoiceNumber: 'INV-2027-000126',
      subscriptions: [
        { name: 'Microsoft 365 Business Basic', domain: 'contoso.onmicrosoft.com' },
        { name: 'Exchange Online (Plan 1)', domain: 'contoso-eu.onmicrosoft.com' },
      ],
      portalUrl: 'https://portal.example.com/invoices/inv_4',
    },
    mustContain: [
      'Jane Doe',
      'Contoso Ltd',
      'INV-2027-000126',
      'Microsoft 365 Business Basic',
      'contoso.onmicrosoft.com',
      'Exchange Online (Plan 1)',
      'contoso-eu.onmicrosoft.com',
      'https://portal.example.com/invoices/inv_4',
    ],
  },
  'service-at-risk': {
    data: {
      recipientName: 'Accounts Payable',
      accountName: 'Contoso Ltd',
      invoiceNumber: 'INV-2027-000127',
      total: { amount: 123450, currency: 'EUR' },
      cancelsOn: '2027-02-26',
      subscriptions: [{ name: 'Microsoft 365 Business Basic', domain: 'contoso.onmicrosoft.com' }],
      portalUrl: 'https://portal.example.com/invoices/inv_5',
    },
    mustContain: ['Accounts Payable', 'Contoso Ltd', 'INV-2027-000127', '2027', 'Microsoft 365 Business Basic', 'contoso.onmicrosoft.com', 'https://portal.example.com/invoices/inv_5'],
  },
  'subscriptions-cancelled': {
    data: {
      recipientName: 'Accounts Payable',
      accountName: 'Contoso Ltd',
      invoiceNumber: 'INV-2027-000128',
      subscriptions: [{ name: 'Microsoft 365 Business Basic', domain: 'contoso.onmicrosoft.com' }],
      portalUrl: 'https://portal.example.com/invoices/inv_6',
    },
    mustContain: ['Accounts Payable', 'Contoso Ltd', 'INV-2027-000128', 'Microsoft 365 Business Basic', 'contoso.onmicrosoft.com', 'https://portal.example.com/invoices/inv_6'],
  },
  'webhook-disabled': {
    data: {
      recipientName: 'Integration Admin',
      accountName: 'Contoso Ltd',
      url: 'https://erp.contoso.example/hooks',
      lastError: 'HTTP 503',
      portalUrl: 'https://portal.example.com',
    },
    mustContain: ['Integration Admin', 'Contoso Ltd', 'https://erp.contoso.example/hooks', 'HTTP 503', 'https://portal.example.com'],
  },
};

describe('renderEmail', () => {
  it('knows exactly the templates it has samples for', () => {
    expect([...EMAIL_TEMPLATES].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  describe.each(EMAIL_TEMPLATES.map((t) => [t]))('%s', (template) => {
    const { data, mustContain } = SAMPLES[template];

    it.each(LOCALES.map((l) => [l]))('renders in %s with a subject, a text and an HTML part holding the data', (locale) => {
      const email = renderEmail(template, locale, data);
      expect(email.subject.trim()).not.toBe('');
      expect(email.text.trim()).not.toBe('');
      expect(email.html).toContain(`<html lang="${locale}">`);
      for (const needle of mustContain) {
        expect(email.text).toContain(needle);
        expect(email.html).toContain(escapeHtml(needle));
      }
    });

    it('reads differently in each locale', () => {
      const emails = LOCALES.map((locale) => renderEmail(template, locale, data));
      expect(new Set(emails.map((e) => e.subject)).size).toBe(LOCALES.length);
      expect(new Set(emails.map((e) => e.text)).size).toBe(LOCALES.length);
      expect(new Set(emails.map((e) => e.html)).size).toBe(LOCALES.length);
    });

    it('escapes markup in the values it interpolates', () => {
      const evil = '<script>alert("x")</script>';
      const email = renderEmail(template, 'en', { ...data, recipientName: evil });
      expect(email.html).not.toContain('<script>');
      expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(email.text).toContain(evil);
    });

    it('refuses data without its fields', () => {
      expect(() => renderEmail(template, 'en', {})).toThrow(InvalidEmail);
      expect(() => renderEmail(template, 'en', null)).toThrow(InvalidEmail);
      expect(() => renderEmail(template, 'en', { ...data, recipientName: 42 })).toThrow(/recipientName/);
    });
  });

  it('formats dates in the locale, in UTC', () => {
    const { data } = SAMPLES.activation;
    expect(renderEmail('activation', 'en', data).text).toContain('January 5, 2027 at 3:04 PM UTC');
    expect(renderEmail('activation', 'es', data).text).toContain('5 de enero de 2027 a las 15:04 UTC');
    expect(renderEmail('activation', 'de', data).text).toContain('5. Januar 2027 um 15:04 UTC');
  });

  it('formats quantities in the locale', () => {
    const data = { ...SAMPLES['order-completed'].data, lines: [{ name: 'Seats', quantity: 1200 }] };
    expect(renderEmail('order-completed', 'en', data).text).toContain('1,200 × Seats');
    expect(renderEmail('order-completed', 'de', data).text).toContain('1.200 × Seats');
  });

  it('escapes URLs placed in an href', () => {
    const data = { ...SAMPLES.activation.data, link: 'https://portal.example.com/activate?token=a&x="b"' };
    const { html } = renderEmail('activation', 'en', data);
    expect(html).toContain('href="https://portal.example.com/activate?token=a&amp;x=&quot;b&quot;"');
  });

  it('refuses links that are not http(s)', () => {
    const data = { ...SAMPLES.activation.data, link: 'javascript:alert(1)' };
    expect(() => renderEmail('activation', 'en', data)).toThrow(/link/);
  });

  it('refuses an order without lines, a bad quantity and a bad date', () => {
    const order = SAMPLES['order-completed'].data;
    expect(() => renderEmail('order-completed', 'en', { ...order, lines: [] })).toThrow(InvalidEmail);
    expect(() => renderEmail('order-completed', 'en', { ...order, lines: [{ name: 'x', quantity: 0 }] })).toThrow(/lines\.0\.quantity/);
    expect(() => renderEmail('password-changed', 'en', { recipientName: 'x', at: 'yesterday' })).toThrow(/at/);
  });

  it('links the partner invitation to the page where it is accepted, and only over http(s)', () => {
    const data = SAMPLES['partner-invitation'].data;
    expect(renderEmail('partner-invitation', 'de', data).html).toContain('href="https://portal.example.com/domains/dom_1/accept"');
    expect(() => renderEmail('partner-invitation', 'en', { ...data, acceptUrl: 'javascript:alert(1)' })).toThrow(/acceptUrl/);
    expect(() => renderEmail('partner-invitation', 'en', { ...data, partnerName: '' })).toThrow(/partnerName/);
  });

  it('formats money in the locale, in the currency\'s minor units', () => {
    const { data } = SAMPLES['invoice-issued'];
    expect(renderEmail('invoice-issued', 'en', data).text).toContain('Total: €1,234.50');
    expect(renderEmail('invoice-issued', 'es', data).text).toContain('Importe total: 1234,50\u00a0€');
    expect(renderEmail('invoice-issued', 'de', data).text).toContain('Gesamtbetrag: 1.234,50\u00a0€');
    expect(renderEmail('invoice-issued', 'en', data).text).toContain('- Exchange Online (Plan 1), 5 licenses, prorated: €634.50');
    const credit = { ...data, lines: [{ description: 'Prorated credit', amount: { amount: -1999, currency: 'EUR' } }] };
    expect(renderEmail('invoice-issued', 'en', credit).text).toContain('Prorated credit: -€19.99');
    const failed = SAMPLES['payment-failed'].data;
    expect(renderEmail('payment-failed', 'en', failed).text).toContain('Amount: $49.99');
    expect(renderEmail('payment-failed', 'de', failed).text).toContain('Betrag: 49,99\u00a0$');
    expect(renderEmail('payment-failed', 'en', { ...failed, total: { amount: 1200, currency: 'JPY' } }).text).toContain('Amount: ¥1,200');
  });

  it('formats calendar dates in the locale, whatever the time zone', () => {
    const { data } = SAMPLES['payment-reminder'];
    expect(renderEmail('payment-reminder', 'en', data).subject).toBe('Reminder: invoice INV-2027-000125 is due on March 26, 2027');
    expect(renderEmail('payment-reminder', 'es', data).text).toContain('vence el 26 de marzo de 2027');
    expect(renderEmail('payment-reminder', 'de', data).text).toContain('am 26. März 2027 fällig');
    expect(renderEmail('renewal-reminder', 'de', SAMPLES['renewal-reminder'].data).text).toContain('10. März 2027');
  });

  it('says whether a subscription renews or expires', () => {
    const on = SAMPLES['renewal-reminder'].data;
    const off = { ...on, autoRenew: false };
    expect(renderEmail('renewal-reminder', 'en', on).subject).toBe('Your subscription Microsoft 365 Business Basic renews on March 10, 2027');
    expect(renderEmail('renewal-reminder', 'en', off).subject).toBe('Your subscription Microsoft 365 Business Basic expires on March 10, 2027');
    expect(renderEmail('renewal-reminder', 'en', off).text).toContain('Auto-renew: Off');
    expect(renderEmail('renewal-reminder', 'es', off).subject).toContain('vence el 10 de marzo de 2027');
    expect(renderEmail('renewal-reminder', 'de', off).subject).toContain('läuft am 10. März 2027 ab');
    expect(renderEmail('renewal-reminder', 'de', on).subject).toContain('wird am 10. März 2027 verlängert');
  });

  it('says whether an invoice was already charged or is to be paid by its due date', () => {
    const unpaid = SAMPLES['invoice-issued'].data;
    const paid = { ...unpaid, paid: true };
    expect(renderEmail('invoice-issued', 'en', unpaid).text).toContain('Please pay the total by March 26, 2027.');
    expect(renderEmail('invoice-issued', 'en', paid).text).toContain('already been charged to your card');
    expect(renderEmail('invoice-issued', 'en', paid).text).not.toContain('March 26, 2027');
    expect(renderEmail('invoice-issued', 'de', paid).text).toContain('Status: Bezahlt');
  });

  it('refuses bad money, calendar dates, counts and lists', () => {
    const invoice = SAMPLES['invoice-issued'].data;
    const line = (invoice.lines as unknown[])[0];
    expect(() => renderEmail('invoice-issued', 'en', { ...invoice, total: { amount: 1234.5, currency: 'EUR' } })).toThrow(/total\.amount/);
    expect(() => renderEmail('invoice-issued', 'en', { ...invoice, total: { amount: 123450, currency: 'eur' } })).toThrow(/total\.currency/);
    expect(() => renderEmail('invoice-issued', 'en', { ...invoice, total: 1234.5 })).toThrow(/total/);
    expect(() => renderEmail('invoice-issued', 'en', { ...invoice, dueOn: '2027-02-30' })).toThrow(/dueOn/);
    expect(() => renderEmail('invoice-issued', 'en', { ...invoice, dueOn: '2027-03-26T00:00:00Z' })).toThrow(/dueOn/);
    expect(() => renderEmail('invoice-issued', 'en', { ...invoice, lines: [] })).toThrow(/lines/);
    expect(() => renderEmail('invoice-issued', 'en', { ...invoice, lines: Array(101).fill(line) })).toThrow(/lines/);
    expect(() => renderEmail('invoice-issued', 'en', { ...invoice, paid: 'yes' })).toThrow(/paid/);
    const renewal = SAMPLES['renewal-reminder'].data;
    expect(() => renderEmail('renewal-reminder', 'en', { ...renewal, quantity: 0 })).toThrow(/quantity/);
    expect(() => renderEmail('renewal-reminder', 'en', { ...renewal, quantity: 2.5 })).toThrow(/quantity/);
    expect(() => renderEmail('renewal-reminder', 'en', { ...renewal, autoRenew: undefined })).toThrow(/autoRenew/);
    expect(() => renderEmail('renewal-reminder', 'en', { ...renewal, renewsOn: '10/03/2027' })).toThrow(/renewsOn/);
    const suspended = SAMPLES['subscription-suspended'].data;
    const sub = (suspended.subscriptions as unknown[])[0];
    expect(() => renderEmail('subscription-suspended', 'en', { ...suspended, subscriptions: [] })).toThrow(/subscriptions/);
    expect(() => renderEmail('subscription-suspended', 'en', { ...suspended, subscriptions: Array(101).fill(sub) })).toThrow(/subscriptions/);
    expect(() => renderEmail('subscription-suspended', 'en', { ...suspended, subscriptions: [{ name: 'x' }] })).toThrow(/subscriptions\.0\.domain/);
    expect(() => renderEmail('payment-failed', 'en', { ...SAMPLES['payment-failed'].data, portalUrl: 'javascript:alert(1)' })).toThrow(/portalUrl/);
    const atRisk = SAMPLES['service-at-risk'].data;
    expect(() => renderEmail('service-at-risk', 'en', { ...atRisk, cancelsOn: '26/02/2027' })).toThrow(/cancelsOn/);
    expect(() => renderEmail('service-at-risk', 'en', { ...atRisk, subscriptions: [] })).toThrow(/subscriptions/);
    expect(() => renderEmail('subscriptions-cancelled', 'en', { ...SAMPLES['subscriptions-cancelled'].data, subscriptions: [] })).toThrow(/subscriptions/);
  });

  it('gives the cancellation date of a service at risk in each language', () => {
    const { data } = SAMPLES['service-at-risk'];
    expect(renderEmail('service-at-risk', 'en', data).subject).toBe('Your service is at risk: pay invoice INV-2027-000127 or it is cancelled on February 26, 2027');
    expect(renderEmail('service-at-risk', 'es', data).text).toContain('26 de febrero de 2027');
    expect(renderEmail('service-at-risk', 'de', data).text).toContain('26. Februar 2027');
    expect(renderEmail('subscriptions-cancelled', 'de', SAMPLES['subscriptions-cancelled'].data).subject).toBe('Abonnements gekündigt: Rechnung INV-2027-000128 wurde nicht bezahlt');
  });

  it('never puts the values in its error message', () => {
    const data = { ...SAMPLES.activation.data, link: `ftp://portal.example.com/activate?token=${TOKEN}` };
    const error = (() => {
      try {
        return renderEmail('activation', 'en', data);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidEmail);
    expect((error as InvalidEmail).message).toMatch(/link/);
    expect((error as InvalidEmail).message).not.toContain(TOKEN);
  });

  it('refuses an unknown template and an unknown locale', () => {
    expect(() => renderEmail('credit-note-issued' as EmailTemplate, 'en', {})).toThrow(/Unknown email template "credit-note-issued"/);
    expect(() => renderEmail('activation', 'fr' as 'en', SAMPLES.activation.data)).toThrow(/Unknown email locale "fr"/);
    expect(() => renderEmail('toString' as EmailTemplate, 'en', {})).toThrow(InvalidEmail);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('outboxEmail', () => {
  const now = new Date('2027-01-01T00:00:00.000Z');
  beforeEach(() => jest.useFakeTimers({ now }));
  afterEach(() => jest.useRealTimers());

  const to = { email: 'ana@example.com', locale: 'es', name: 'Ana García' } as const;
  const activationData = { link: `https://portal.example.com/activate?token=${TOKEN}`, expiresAt: '2027-01-03T00:00:00.000Z' };

  it('makes a pending outbox record that expires after 90 days', () => {
    const item = outboxEmail('activation', to, activationData);
    expect(item).toEqual({
      id: expect.stringMatching(idPattern('outbox')),
      template: 'activation',
      to: 'ana@example.com',
      locale: 'es',
      data: { recipientName: 'Ana García', ...activationData },
      status: 'pending',
      createdAt: now.toISOString(),
      attempts: 0,
      ttl: now.getTime() / 1000 + 90 * 24 * 3600,
    });
  });

  it('keeps a recipient name the data gives', () => {
    const item = outboxEmail('activation', to, { ...activationData, recipientName: 'Dra. Ana García' });
    expect(item.data).toMatchObject({ recipientName: 'Dra. Ana García' });
  });

  it('gives each record its own id', () => {
    expect(outboxEmail('activation', to, activationData).id).not.toBe(outboxEmail('activation', to, activationData).id);
  });

  it('refuses bad data at write time', () => {
    expect(() => outboxEmail('activation', to, { ...activationData, expiresAt: 'tomorrow' })).toThrow(InvalidEmail);
    expect(() => outboxEmail('activation', to, { expiresAt: activationData.expiresAt } as never)).toThrow(/link/);
  });

  it('refuses a bad address, locale or template', () => {
    expect(() => outboxEmail('activation', { ...to, email: 'not-an-address' }, activationData)).toThrow(InvalidEmail);
    expect(() => outboxEmail('activation', { ...to, locale: 'fr' as 'en' }, activationData)).toThrow(/locale/);
    expect(() => outboxEmail('nope' as 'activation', to, activationData)).toThrow(/Unknown email template/);
  });
});

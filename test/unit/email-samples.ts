import type { EmailTemplate } from '#emails/index.ts';

/**
 * Data for every template with the long values a phone has to fit: tokens in links, tenant
 * domains and account names without spaces, long German product names. Used by
 * email-layout.test.ts (and by hand, to render them in a browser at 375 px).
 */
const TOKEN = 'tok_01JBAS1C00000000000000Y1MN-Kx9dG3pQvR7sT2uW5yZ8aB1cD4eF6gH0jK3mN6pQ9rS2tU5vW8xY1zA4bC7dE0fG';
const PORTAL = 'https://portal.cloud-license-distribution.example.com';
const DOMAIN = 'fabrikam-international-holdings-europe-2027.onmicrosoft.com';
const ACCOUNT = 'Fabrikam-Internationale-Beteiligungsverwaltungsgesellschaft-mbH';
const PRODUCT = 'Microsoft 365 Business Premium und Microsoft Defender für Unternehmen (Jahresabonnement)';

export const LONG_SAMPLES: Record<EmailTemplate, Record<string, unknown>> = {
  'order-completed': {
    recipientName: 'Maximiliane Mustermann-Schnarrenberger',
    orderNumber: 'SO-000000042',
    accountName: ACCOUNT,
    domain: DOMAIN,
    lines: [
      { name: PRODUCT, quantity: 10000 },
      { name: 'Exchange Online (Plan 1)', quantity: 3 },
    ],
    portalUrl: `${PORTAL}/orders/ord_01JBAS1C00000000000000Y1MN`,
  },
  'order-failed': {
    recipientName: 'Maximiliane Mustermann-Schnarrenberger',
    orderNumber: 'SO-000000043',
    accountName: ACCOUNT,
    reason: 'vendor_rejected:tenant_quota_exceeded_for_the_requested_product_and_region_combination',
    portalUrl: `${PORTAL}/orders/ord_01JBAS1C00000000000000Y1MN`,
  },
  activation: { recipientName: 'Ana García', link: `${PORTAL}/activate?token=${TOKEN}`, expiresAt: '2027-01-05T15:04:00.000Z' },
  'activation-resent': { recipientName: 'Ana García', link: `${PORTAL}/activate?token=${TOKEN}`, expiresAt: '2027-01-05T15:04:00.000Z' },
  'password-changed': { recipientName: 'Jane Doe', at: '2027-03-10T08:30:00.000Z' },
  'password-reset': { recipientName: 'Jane Doe', link: `${PORTAL}/reset-password?token=${TOKEN}`, expiresAt: '2027-03-10T09:30:00.000Z' },
  'account-locked': { recipientName: 'Jane Doe', link: `${PORTAL}/reset-password?token=${TOKEN}`, expiresAt: '2027-03-10T09:30:00.000Z' },
  'login-change': {
    recipientName: 'Jane Doe',
    newLogin: 'jane.doe.with.a.very.long.address@fabrikam-international-holdings.example.com',
    link: `${PORTAL}/confirm-login?token=${TOKEN}`,
    expiresAt: '2027-03-11T08:30:00.000Z',
  },
  'login-change-taken': {
    recipientName: 'jane.doe.with.a.very.long.address@fabrikam-international-holdings.example.com',
    newLogin: 'jane.doe.with.a.very.long.address@fabrikam-international-holdings.example.com',
  },
  'partner-invitation': {
    recipientName: 'Ana García',
    domain: DOMAIN,
    partnerName: 'Northwind-Distribution-Europe-Cloud-Solutions-Provider',
    accountName: ACCOUNT,
    acceptUrl: `${PORTAL}/domains/dom_01JBAS1C00000000000000Y1MN/accept`,
  },
  'renewal-reminder': {
    recipientName: 'Jane Doe',
    accountName: ACCOUNT,
    subscriptionName: PRODUCT,
    domain: DOMAIN,
    quantity: 25000,
    renewsOn: '2027-03-10',
    autoRenew: true,
    portalUrl: `${PORTAL}/subscriptions/sub_01JBAS1C00000000000000Y1MN`,
  },
  'invoice-issued': {
    recipientName: 'Maximiliane Mustermann-Schnarrenberger',
    accountName: ACCOUNT,
    invoiceNumber: 'INV-2027-000000123',
    total: { amount: 123456789, currency: 'EUR' },
    dueOn: '2027-03-26',
    lines: [
      { description: `${PRODUCT}, 10000 licenses, March 2027`, amount: { amount: 60000000, currency: 'EUR' } },
      { description: 'Exchange-Online-Plan-1-anteilig-gutgeschrieben', amount: { amount: -63450, currency: 'EUR' } },
    ],
    portalUrl: `${PORTAL}/invoices/inv_01JBAS1C00000000000000Y1MN`,
    paid: false,
  },
  'payment-failed': {
    recipientName: 'Ana García',
    accountName: ACCOUNT,
    invoiceNumber: 'INV-2027-000000124',
    total: { amount: 4999, currency: 'USD' },
    reason: 'card_declined:insufficient_funds_on_the_account_of_the_card_holder',
    portalUrl: `${PORTAL}/invoices/inv_01JBAS1C00000000000000Y1MN`,
  },
  'payment-reminder': {
    recipientName: 'Ana García',
    accountName: ACCOUNT,
    invoiceNumber: 'INV-2027-000000125',
    total: { amount: 123450, currency: 'EUR' },
    dueOn: '2027-03-26',
    portalUrl: `${PORTAL}/invoices/inv_01JBAS1C00000000000000Y1MN`,
  },
  'subscription-suspended': {
    recipientName: 'Jane Doe',
    accountName: ACCOUNT,
    invoiceNumber: 'INV-2027-000000126',
    subscriptions: [
      { name: PRODUCT, domain: DOMAIN },
      { name: 'Exchange Online (Plan 1)', domain: 'contoso-eu.onmicrosoft.com' },
    ],
    portalUrl: `${PORTAL}/invoices/inv_01JBAS1C00000000000000Y1MN`,
  },
  'service-at-risk': {
    recipientName: 'Jane Doe',
    accountName: ACCOUNT,
    invoiceNumber: 'INV-2027-000000127',
    total: { amount: 123456789, currency: 'EUR' },
    cancelsOn: '2027-12-31',
    subscriptions: [
      { name: PRODUCT, domain: DOMAIN },
      { name: 'Exchange Online (Plan 1)', domain: 'contoso-eu.onmicrosoft.com' },
    ],
    portalUrl: `${PORTAL}/invoices/inv_01JBAS1C00000000000000Y1MN`,
  },
  'subscriptions-cancelled': {
    recipientName: 'Jane Doe',
    accountName: ACCOUNT,
    invoiceNumber: 'INV-2027-000000128',
    subscriptions: [
      { name: PRODUCT, domain: DOMAIN },
      { name: 'Exchange Online (Plan 1)', domain: 'contoso-eu.onmicrosoft.com' },
    ],
    portalUrl: `${PORTAL}/invoices/inv_01JBAS1C00000000000000Y1MN`,
  },
  'webhook-disabled': {
    recipientName: 'Jane Doe',
    accountName: ACCOUNT,
    url: 'https://erp.example.com/hooks/portal',
    lastError: 'HTTP 503',
    portalUrl: PORTAL,
  },
};

import type { Page } from '@playwright/test';
import { ADMIN, expect, expectAccessible, keepScreenshot, signIn, test, tr, type Lng } from './fixtures';

/**
 * Microsoft domains (the reseller guide: create a domain, link an existing one, accept the new
 * partner): the customer admin works in the console; the vendor sandbox answers ext-*.onmicrosoft.com
 * as a tenant of another provider.
 */
test.beforeEach(() => test.slow());
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function openDomains(page: Page, lng: Lng): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // By address rather than through the shared navigation: on the busy shared machine its links were often still settling past the action timeout.
  await page.goto('/domains');
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'domains', 'page.title') })).toBeVisible();
}

test('create a tenant: availability, company, agreement; the admin credentials are shown once (Spanish)', async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const prefix = `t-${unique()}`;
  await signIn(page, 'es', customer.admin.login, customer.admin.password);
  await openDomains(page, 'es');
  await expect(page.getByText(tr('es', 'domains', 'page.empty'))).toBeVisible();
  await expectAccessible(page, 'domains');

  await page.getByRole('button', { name: tr('es', 'domains', 'create.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr('es', 'domains', 'create.title') });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: tr('es', 'domains', 'create.prefix') }).fill(prefix);
  await dialog.getByRole('button', { name: tr('es', 'domains', 'create.check') }).click();
  await expect(dialog.getByText(tr('es', 'domains', 'create.available', { domain: `${prefix}.onmicrosoft.com` }))).toBeVisible();
  // The company comes prefilled from the account; the agreement is still to accept.
  await expect(dialog.getByRole('textbox', { name: tr('es', 'domains', 'create.companyName') })).toHaveValue(customer.name);
  await dialog.getByRole('checkbox', { name: tr('es', 'domains', 'create.agreementAccept', { name: `${customer.admin.firstName} ${customer.admin.lastName}` }) }).check();
  await expectAccessible(page, 'create domain dialog');
  await dialog.getByRole('button', { name: tr('es', 'domains', 'create.submit') }).click();

  const credentials = page.getByRole('dialog', { name: tr('es', 'domains', 'credentials.title') });
  await expect(credentials).toBeVisible();
  await expect(credentials.getByText(tr('es', 'domains', 'credentials.warning'))).toBeVisible();
  await expect(credentials.getByRole('textbox', { name: tr('es', 'domains', 'credentials.login') })).toHaveValue(new RegExp(`@${prefix}\\.onmicrosoft\\.com$`));
  await expect(credentials.getByRole('textbox', { name: tr('es', 'domains', 'credentials.password') })).not.toHaveValue('');
  await expectAccessible(page, 'credentials dialog');
  await keepScreenshot(page, 'domain-credentials');
  await credentials.getByRole('button', { name: tr('es', 'domains', 'credentials.stored') }).click();
  await expect(credentials).toBeHidden();

  const card = page.getByRole('region', { name: `${prefix}.onmicrosoft.com` });
  await expect(card).toBeVisible();
  await expect(card.getByText(tr('es', 'domains', 'mode.create'))).toBeVisible();
  // Once closed, the credentials are nowhere on the screen.
  await expect(page.getByRole('textbox', { name: tr('es', 'domains', 'credentials.password') })).toHaveCount(0);
  await expectAccessible(page, 'domains after create');
});

test('link an existing tenant of another provider: pending partner acceptance, then accepted and active (German)', async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'de' });
  const domain = `ext-${unique()}.onmicrosoft.com`;
  await signIn(page, 'de', customer.admin.login, customer.admin.password);
  await openDomains(page, 'de');

  // An unknown domain does not exist at Microsoft: refused next to the form.
  await page.getByRole('button', { name: tr('de', 'domains', 'link.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr('de', 'domains', 'link.title') });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: tr('de', 'domains', 'link.domain') }).fill(`nobody-${unique()}.onmicrosoft.com`);
  await dialog.getByRole('button', { name: tr('de', 'domains', 'link.submit') }).click();
  await expect(dialog.getByRole('alert')).toHaveText(tr('de', 'domains', 'link.notFound'));
  await expectAccessible(page, 'link domain dialog');

  await dialog.getByRole('textbox', { name: tr('de', 'domains', 'link.domain') }).fill(domain);
  await dialog.getByRole('button', { name: tr('de', 'domains', 'link.submit') }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(tr('de', 'domains', 'link.pendingTitle', { domain }))).toBeVisible();

  const card = page.getByRole('region', { name: domain });
  await expect(card.getByText(tr('de', 'domains', 'status.pending_partner_acceptance'), { exact: true })).toBeVisible();
  await expect(card.getByText(tr('de', 'domains', 'pending.body'))).toBeVisible();
  await expectAccessible(page, 'domains pending');
  await keepScreenshot(page, 'domains-pending');

  await card.getByRole('button', { name: tr('de', 'domains', 'pending.accept') }).click();
  await expect(card.getByText(tr('de', 'domains', 'status.active'), { exact: true })).toBeVisible();
  await expect(card.getByRole('button', { name: tr('de', 'domains', 'pending.accept') })).toHaveCount(0);
  await expectAccessible(page, 'domains accepted');
});

test('staff create a tenant for a customer (its admin as the signatory) and link one of another provider: pending partner acceptance explained, invitation resent (es)', async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const prefix = `st-${unique()}`;
  const linked = `ext-${unique()}.onmicrosoft.com`;
  await signIn(page, 'es', ADMIN.login, ADMIN.password);
  await page.goto(`/domains?accountId=${customer.accountId}`);
  await expect(page.getByRole('heading', { level: 1, name: tr('es', 'domains', 'page.title') })).toBeVisible();
  await expect(page.getByText(tr('es', 'domains', 'staff.of', { name: customer.name }))).toBeVisible();
  await expect(page.getByText(tr('es', 'domains', 'page.emptyStaff'))).toBeVisible();

  // A new tenant: the contact and the agreement's signatory are the customer's admin, not the staff member.
  await page.getByRole('button', { name: tr('es', 'domains', 'create.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr('es', 'domains', 'create.title') });
  await dialog.getByRole('textbox', { name: tr('es', 'domains', 'create.prefix') }).fill(prefix);
  await dialog.getByRole('button', { name: tr('es', 'domains', 'create.check') }).click();
  await expect(dialog.getByText(tr('es', 'domains', 'create.available', { domain: `${prefix}.onmicrosoft.com` }))).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: tr('es', 'domains', 'create.email') }).last()).toHaveValue(customer.admin.login);
  await dialog.getByRole('checkbox', { name: tr('es', 'domains', 'create.agreementAcceptStaff') }).check();
  await expectAccessible(page, 'staff create domain dialog');
  await dialog.getByRole('button', { name: tr('es', 'domains', 'create.submit') }).click();
  const credentials = page.getByRole('dialog', { name: tr('es', 'domains', 'credentials.title') });
  await expect(credentials.getByText(tr('es', 'domains', 'credentials.warning'))).toBeVisible();
  await expect(credentials.getByRole('button', { name: tr('es', 'domains', 'credentials.copyPassword') })).toBeVisible();
  await credentials.getByRole('button', { name: tr('es', 'domains', 'credentials.stored') }).click();
  await expect(page.getByRole('region', { name: `${prefix}.onmicrosoft.com` })).toBeVisible();
  const account = await adminApi.call('GET', `/v1/accounts/${customer.accountId}`);
  expect(account.customerAgreement).toMatchObject({ firstName: customer.admin.firstName, lastName: customer.admin.lastName, email: customer.admin.login });

  // A tenant of another provider: only the customer's admin accepts; staff may send the invitation again.
  await page.getByRole('button', { name: tr('es', 'domains', 'link.open') }).click();
  const link = page.getByRole('dialog', { name: tr('es', 'domains', 'link.title') });
  await link.getByRole('textbox', { name: tr('es', 'domains', 'link.domain') }).fill(linked);
  await link.getByRole('button', { name: tr('es', 'domains', 'link.submit') }).click();
  await expect(page.getByText(tr('es', 'domains', 'link.pendingBodyStaff'))).toBeVisible();
  const card = page.getByRole('region', { name: linked });
  await expect(card.getByText(tr('es', 'domains', 'status.pending_partner_acceptance'), { exact: true })).toBeVisible();
  await expect(card.getByText(tr('es', 'domains', 'pending.staffBody'))).toBeVisible();
  await expect(card.getByRole('button', { name: tr('es', 'domains', 'pending.accept') })).toHaveCount(0);
  await expectAccessible(page, 'staff domains pending');
  await keepScreenshot(page, 'domains-staff-pending');
  // Sent a moment ago with the link: a resend this soon is refused, and the refusal says so.
  await card.getByRole('button', { name: tr('es', 'domains', 'pending.resend') }).click();
  await expect(card.getByText(tr('es', 'errors', 'code.throttled'))).toBeVisible();
});

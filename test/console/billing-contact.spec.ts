import { ADMIN, expect as baseExpect, expectAccessible, keepScreenshot, signIn, test, tr } from './fixtures';

/**
 * Not paying and the billing contact (docs/console.md): a staff admin sets a customer's grace days
 * before an unpaid subscription is cancelled (refused outside 1 to 365) and its billing contact on
 * the customer's page; the customer's own admin sets or removes its billing contact on the page of
 * its account's details.
 */
test.slow();
test.use({ navigationTimeout: 90_000, actionTimeout: 45_000 });
const expect = baseExpect.configure({ timeout: 60_000 });

test('a staff admin sets a customer\'s grace days and billing contact (es)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const lng = 'es';
  const customer = await adminApi.createCustomer({ locale: lng });
  await signIn(page, lng, ADMIN.login, ADMIN.password);
  await page.goto(`/customers/${customer.accountId}`);
  await expect(page.getByRole('heading', { level: 1, name: customer.name })).toBeVisible();

  // Grace days: 0 is refused at the field, nothing is saved; 10 is saved.
  const settings = page.getByRole('region', { name: tr(lng, 'customers', 'settings.title') });
  const grace = settings.getByRole('textbox', { name: tr(lng, 'customers', 'form.graceDays') });
  await expect(grace).toHaveValue('30');
  await grace.fill('0');
  await settings.getByRole('button', { name: tr(lng, 'customers', 'settings.save') }).click();
  await expect(settings.getByText(tr(lng, 'customers', 'form.graceDaysInvalid', { min: 1, max: 365 }))).toBeVisible();
  expect((await adminApi.call('GET', `/v1/accounts/${customer.accountId}`)).settings.suspensionGraceDays).toBe(30);
  await grace.fill('10');
  await settings.getByRole('button', { name: tr(lng, 'customers', 'settings.save') }).click();
  await expect(page.getByText(tr(lng, 'customers', 'settings.saved'))).toBeVisible();
  await expect.poll(async () => (await adminApi.call('GET', `/v1/accounts/${customer.accountId}`)).settings.suspensionGraceDays).toBe(10);

  // The billing contact: the admins until one is given.
  const billing = page.getByRole('region', { name: tr(lng, 'customers', 'billingContact.title') });
  const toAdmins = billing.getByRole('checkbox', { name: tr(lng, 'customers', 'billingContact.toAdmins') });
  await expect(toAdmins).toBeChecked();
  await toAdmins.uncheck();
  await billing.getByRole('textbox', { name: tr(lng, 'customers', 'billingContact.name') }).fill('Cuentas a pagar');
  await billing.getByRole('textbox', { name: tr(lng, 'customers', 'billingContact.email') }).fill('no-es-un-correo');
  await billing.getByRole('button', { name: tr(lng, 'customers', 'billingContact.save') }).click();
  await expect(billing.getByText(tr(lng, 'errors', 'field.email'))).toBeVisible();
  await billing.getByRole('textbox', { name: tr(lng, 'customers', 'billingContact.email') }).fill('pagos@cliente.example.com');
  await billing.getByRole('button', { name: tr(lng, 'customers', 'billingContact.save') }).click();
  await expect(page.getByText(tr(lng, 'customers', 'billingContact.saved'))).toBeVisible();
  await expect
    .poll(async () => (await adminApi.call('GET', `/v1/accounts/${customer.accountId}`)).billingContact)
    .toEqual({ name: 'Cuentas a pagar', email: 'pagos@cliente.example.com' });
  await expect(billing.getByRole('textbox', { name: tr(lng, 'customers', 'billingContact.name') })).toHaveValue('Cuentas a pagar');
  await page.mouse.move(640, 700);
  await expectAccessible(page, 'customer-billing-contact');
  await keepScreenshot(page, 'customer-billing-contact');
});

test('the customer\'s admin sets its own billing contact, then sends the emails to the admins again (de)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const lng = 'de';
  const customer = await adminApi.createCustomer({ locale: lng });
  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await page.goto('/tax-profile');
  const billing = page.getByRole('region', { name: tr(lng, 'customers', 'billingContact.title') });
  await expect(billing).toBeVisible();
  await billing.getByRole('checkbox', { name: tr(lng, 'customers', 'billingContact.toAdmins') }).uncheck();
  await billing.getByRole('textbox', { name: tr(lng, 'customers', 'billingContact.name') }).fill('Buchhaltung');
  await billing.getByRole('textbox', { name: tr(lng, 'customers', 'billingContact.email') }).fill('buchhaltung@kunde.example.com');
  await billing.getByRole('button', { name: tr(lng, 'customers', 'billingContact.save') }).click();
  await expect(page.getByText(tr(lng, 'customers', 'billingContact.saved'))).toBeVisible();
  await expect
    .poll(async () => (await adminApi.call('GET', `/v1/accounts/${customer.accountId}`)).billingContact)
    .toEqual({ name: 'Buchhaltung', email: 'buchhaltung@kunde.example.com' });
  await page.mouse.move(640, 700);
  await expectAccessible(page, 'own-billing-contact');

  await billing.getByRole('checkbox', { name: tr(lng, 'customers', 'billingContact.toAdmins') }).check();
  await billing.getByRole('button', { name: tr(lng, 'customers', 'billingContact.save') }).click();
  await expect.poll(async () => (await adminApi.call('GET', `/v1/accounts/${customer.accountId}`)).billingContact).toBeNull();
});

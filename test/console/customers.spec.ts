import type { Page } from '@playwright/test';
import { ADMIN, Api, expect as baseExpect, expectAccessible, keepScreenshot, signIn, test, tr, type Lng } from './fixtures';

/**
 * Staff's customers (the seed's "Operaciones > Clientes"): the distributor admin creates a customer
 * with its first admin, finds it by name, opens it ("Nombre de la cuenta"), changes a setting,
 * suspends and reactivates it; a reseller admin sees only its own customers; staff log in as a
 * customer's user from the customer's page.
 */
test.slow();
test.use({ navigationTimeout: 90_000, actionTimeout: 45_000 });
const expect = baseExpect.configure({ timeout: 60_000 });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function openCustomers(page: Page, lng: Lng): Promise<void> {
  if (test.info().project.name.startsWith('mobile')) await page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') }).click();
  await page.getByRole('navigation', { name: tr(lng, 'common', 'nav.label') }).getByRole('link', { name: tr(lng, 'common', 'nav.customers'), exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'customers', 'list.customersTitle') })).toBeVisible();
  // The pointer leaves the navigation: the layout's active link, hovered, is below AA contrast (reported on the layout).
  await page.mouse.move(640, 700);
}

const table = (page: Page, lng: Lng) => page.getByRole('table', { name: tr(lng, 'customers', 'list.customersTable') });

test('the distributor admin creates a customer, finds it, changes a setting, suspends and reactivates it (es)', async ({ page, adminApi }) => {
  const lng = 'es';
  const id = unique();
  const name = `Cliente ${id}`;
  await signIn(page, lng, ADMIN.login, ADMIN.password);
  await openCustomers(page, lng);
  await expect(table(page, lng)).toBeVisible();
  await expectAccessible(page, 'customers');

  await page.getByRole('button', { name: tr(lng, 'customers', 'list.newCustomer') }).click();
  const dialog = page.getByRole('dialog', { name: tr(lng, 'customers', 'create.customerTitle') });
  await dialog.getByRole('textbox', { name: tr(lng, 'customers', 'form.name'), exact: true }).fill(name);
  await dialog.getByRole('textbox', { name: tr(lng, 'customers', 'form.line1'), exact: true }).fill('Gran Vía 28');
  await dialog.getByRole('textbox', { name: tr(lng, 'customers', 'form.postalCode'), exact: true }).fill('28013');
  await dialog.getByRole('textbox', { name: tr(lng, 'customers', 'form.city'), exact: true }).fill('Madrid');
  await dialog.getByRole('textbox', { name: tr(lng, 'customers', 'form.country'), exact: true }).fill('es');
  await dialog.getByRole('textbox', { name: tr(lng, 'customers', 'create.firstName'), exact: true }).fill('Lucía');
  await dialog.getByRole('textbox', { name: tr(lng, 'customers', 'create.lastName'), exact: true }).fill('Gómez');
  await dialog.getByRole('textbox', { name: tr(lng, 'customers', 'create.login'), exact: true }).fill(`lucia-${id}@customer.example.com`);
  await expect(dialog.getByRole('checkbox', { name: tr(lng, 'customers', 'create.sendActivation') })).toBeChecked();
  await expectAccessible(page, 'customers-new');
  await dialog.getByRole('button', { name: tr(lng, 'customers', 'create.submitCustomer') }).click();

  // The new account's page opens.
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page).toHaveURL(/\/customers\/acc_/);
  const accountId = page.url().split('/').pop()!;

  // Found again by a part of its name, in the list.
  await page.getByRole('link', { name: tr(lng, 'customers', 'account.back') }).click();
  await page.getByRole('searchbox', { name: tr(lng, 'customers', 'list.search') }).fill(id);
  await expect(page).toHaveURL(new RegExp(`q=${id}`));
  await expect(table(page, lng).getByRole('row')).toHaveCount(2);
  const row = table(page, lng).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(tr(lng, 'customers', 'status.active'));
  await expect(row).toContainText(tr(lng, 'customers', 'list.direct'));
  await row.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('link', { name: tr(lng, 'customers', 'account.newOrder') })).toBeVisible();
  await expectAccessible(page, 'customer');

  // A setting: manual order processing and self-service purchases, saved with the version read.
  const settings = page.getByRole('region', { name: tr(lng, 'customers', 'settings.title') });
  await settings.getByRole('radio', { name: tr(lng, 'customers', 'form.manual') }).check();
  await settings.getByRole('checkbox', { name: tr(lng, 'customers', 'form.selfService') }).check();
  await settings.getByRole('button', { name: tr(lng, 'customers', 'settings.save') }).click();
  await expect(page.getByText(tr(lng, 'customers', 'settings.saved'))).toBeVisible();
  await expect.poll(async () => (await adminApi.call('GET', `/v1/accounts/${accountId}`)).settings).toMatchObject({ orderProcessing: 'manual', allowSelfServicePurchases: true });

  // Suspend, then reactivate, each after a confirmation.
  await page.getByRole('button', { name: tr(lng, 'customers', 'account.suspend'), exact: true }).click();
  const suspend = page.getByRole('dialog', { name: tr(lng, 'customers', 'account.suspendTitle', { name }) });
  await suspend.getByRole('button', { name: tr(lng, 'customers', 'account.suspend'), exact: true }).click();
  await expect(page.getByText(tr(lng, 'customers', 'account.suspendedNote'))).toBeVisible();
  await expect(page.getByText(tr(lng, 'customers', 'status.suspended')).first()).toBeVisible();
  await page.getByRole('button', { name: tr(lng, 'customers', 'account.reactivate'), exact: true }).click();
  const reactivate = page.getByRole('dialog', { name: tr(lng, 'customers', 'account.reactivateTitle', { name }) });
  await reactivate.getByRole('button', { name: tr(lng, 'customers', 'account.reactivate'), exact: true }).click();
  await expect(page.getByText(tr(lng, 'customers', 'account.suspendedNote'))).toBeHidden();
  await expect(page.getByRole('button', { name: tr(lng, 'customers', 'account.suspend'), exact: true })).toBeVisible();
  expect((await adminApi.call('GET', `/v1/accounts/${accountId}`)).status).toBe('active');
});

test('a reseller admin sees only its own customers (en)', async ({ page, adminApi, request }) => {
  const lng = 'en';
  const reseller = await adminApi.createReseller({ locale: lng });
  const direct = await adminApi.createCustomer({ locale: lng });
  const resellerApi = await new Api(request).signIn(reseller.admin.login, reseller.admin.password);
  const own = `Northwind ${unique()}`;
  await resellerApi.call('POST', '/v1/accounts', {
    type: 'customer',
    name: own,
    address: { line1: '1 Main Street', city: 'Dublin', postalCode: 'D02 XY45', country: 'IE' },
    admin: { firstName: 'Ada', lastName: 'Byrne', login: `ada-${unique()}@customer.example.com` },
    sendActivationEmail: true,
  });

  await signIn(page, lng, reseller.admin.login, reseller.admin.password);
  await openCustomers(page, lng);
  await expect(table(page, lng).getByRole('row')).toHaveCount(2);
  await expect(table(page, lng)).toContainText(own);
  await expect(page.getByText(direct.name)).toHaveCount(0);
  // No reseller column nor filter: a reseller's customers are all its own.
  await expect(page.getByRole('columnheader', { name: tr(lng, 'customers', 'list.reseller') })).toHaveCount(0);
  await expectAccessible(page, 'customers-reseller');
  await keepScreenshot(page, 'customers');

  // The distributor's customer is not found by its name either.
  await page.getByRole('searchbox', { name: tr(lng, 'customers', 'list.search') }).fill(direct.name);
  await expect(page.getByText(tr(lng, 'customers', 'list.emptyCustomers'))).toBeVisible();
  await page.getByRole('searchbox', { name: tr(lng, 'customers', 'list.search') }).fill('');
  await table(page, lng).getByRole('link', { name: own }).click();
  await expect(page.getByRole('heading', { level: 1, name: own })).toBeVisible();
  await expect(page.getByText(reseller.name)).toBeVisible();
  await expectAccessible(page, 'customer-reseller');
  await keepScreenshot(page, 'customer');
});

test("staff open a customer's users from its page and log in as its admin (en)", async ({ page, adminApi }) => {
  const lng = 'en';
  const customer = await adminApi.createCustomer({ locale: lng });
  const adminName = `${customer.admin.firstName} ${customer.admin.lastName}`;
  await signIn(page, lng, ADMIN.login, ADMIN.password);
  await page.goto(`/customers/${customer.accountId}`);
  await expect(page.getByRole('heading', { level: 1, name: customer.name })).toBeVisible();
  await page.getByRole('link', { name: new RegExp(`^${tr(lng, 'customers', 'data.users')}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'users', 'list.title') })).toBeVisible();
  await expect(page.getByText(tr(lng, 'customers', 'scope.viewing', { name: customer.name }))).toBeVisible();
  await page.getByRole('link', { name: adminName }).click();
  await page.getByRole('button', { name: tr(lng, 'users', 'actions.logInAs') }).click();
  await expect(page).toHaveURL(/\/$/);
  const signedIn = await adminApi.call('GET', '/v1/me');
  const banner = page.getByText(tr(lng, 'common', 'impersonation.banner', { actor: `${signedIn.firstName} ${signedIn.lastName}`, target: adminName }));
  await expect(banner).toBeVisible();
  await page.getByRole('button', { name: tr(lng, 'common', 'impersonation.back') }).click();
  await expect(banner).toBeHidden();
  // Back on the customer's user, whose way back leads to that customer's users.
  await expect(page.getByRole('heading', { level: 1, name: adminName })).toBeVisible();
  await page.getByRole('link', { name: tr(lng, 'users', 'detail.back') }).click();
  await expect(page).toHaveURL(new RegExp(`/users\\?accountId=${customer.accountId}`));
  await expect(page.getByText(tr(lng, 'customers', 'scope.viewing', { name: customer.name }))).toBeVisible();
});

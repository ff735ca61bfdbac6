import type { Page } from '@playwright/test';
import { Api, expect, expectAccessible, isMobile, signIn, test, tr, type Lng } from './fixtures';

/**
 * The own profile and the support contact, as every signed-in person meets them: editing the
 * profile (the console follows the language chosen), changing the password (a wrong current one
 * is said on its field; the new one is the one that signs in next), and whom to ask for help.
 */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Follows a link of the main navigation (behind the burger at 360 px). */
async function openNav(page: Page, lng: Lng, key: 'profile' | 'support') {
  if (isMobile()) await page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') }).click();
  await page.getByRole('navigation', { name: tr(lng, 'common', 'nav.label') }).getByRole('link', { name: tr(lng, 'common', `nav.${key}`) }).click();
  // the pointer leaves the link it clicked: the screen is checked as it looks at rest, not under the mouse
  await page.getByRole('heading', { level: 1 }).hover();
}

test('a customer admin edits the own profile, and choosing German turns the console German', async ({ page, adminApi, api }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  await signIn(page, 'es', customer.admin.login, customer.admin.password);
  await openNav(page, 'es', 'profile');
  await expect(page.getByRole('heading', { level: 1, name: tr('es', 'account', 'profile.title') })).toBeVisible();
  await expect(page.getByRole('textbox', { name: tr('es', 'account', 'profile.login'), exact: true })).toHaveValue(customer.admin.login);
  await expectAccessible(page, 'profile');

  // a phone that is not one is said on its field, before anything is sent
  await page.getByRole('textbox', { name: tr('es', 'account', 'profile.phone'), exact: true }).fill('llámeme');
  await page.getByRole('button', { name: tr('es', 'account', 'profile.save') }).click();
  await expect(page.getByText(tr('es', 'account', 'profile.phoneInvalid'))).toBeVisible();

  await page.getByRole('textbox', { name: tr('es', 'account', 'profile.firstName'), exact: true }).fill('Carmela');
  await page.getByRole('textbox', { name: tr('es', 'account', 'profile.phone'), exact: true }).fill('+34 910 123 456');
  await page.getByRole('textbox', { name: tr('es', 'account', 'profile.line1'), exact: true }).fill('Calle de Alcalá 42');
  await page.getByRole('textbox', { name: tr('es', 'account', 'profile.postalCode'), exact: true }).fill('28014');
  await page.getByRole('textbox', { name: tr('es', 'account', 'profile.city'), exact: true }).fill('Madrid');
  await page.getByRole('textbox', { name: tr('es', 'account', 'profile.country'), exact: true }).fill('es');
  await page.getByRole('main').getByRole('combobox', { name: tr('es', 'account', 'profile.locale'), exact: true }).selectOption('de');
  await page.getByRole('button', { name: tr('es', 'account', 'profile.save') }).click();

  // saved, and the console now speaks German
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'account', 'profile.title') })).toBeVisible();
  await expect(page.getByRole('textbox', { name: tr('de', 'account', 'profile.firstName'), exact: true })).toHaveValue('Carmela');
  await expect(page.getByRole('button', { name: `Carmela ${customer.admin.lastName}` })).toBeAttached();
  await expectAccessible(page, 'profile in German');
  const admin = await new Api(api.request).signIn(customer.admin.login, customer.admin.password);
  const me = await admin.call('GET', '/v1/me');
  expect(me).toMatchObject({
    firstName: 'Carmela',
    locale: 'de',
    phone: '+34 910 123 456',
    address: { line1: 'Calle de Alcalá 42', postalCode: '28014', city: 'Madrid', country: 'ES' },
  });

  // a new login is not applied at once: the confirmation link goes to the new address
  const newLogin = `carmela-${unique()}@customer.example.com`;
  await page.getByRole('textbox', { name: tr('de', 'account', 'profile.login'), exact: true }).fill(newLogin);
  await page.getByRole('button', { name: tr('de', 'account', 'profile.save') }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText(tr('de', 'account', 'profile.loginPending', { login: newLogin, current: customer.admin.login }));
  expect((await admin.call('GET', '/v1/me')).login).toBe(customer.admin.login);
});

test('changing the own password: a wrong current password is said on its field, the new one signs in next time', async ({ page, adminApi, api }) => {
  const customer = await adminApi.createCustomer({ locale: 'de' });
  await signIn(page, 'de', customer.admin.login, customer.admin.password);
  await openNav(page, 'de', 'profile');
  await expect(page.getByRole('heading', { level: 2, name: tr('de', 'account', 'password.title') })).toBeVisible();
  const current = page.getByRole('textbox', { name: tr('de', 'account', 'password.current'), exact: true });
  const fresh = `Neues-Kennwort-${unique()}`;

  await current.fill('nicht-das-passwort');
  await page.getByRole('textbox', { name: tr('de', 'auth', 'password.new'), exact: true }).fill(fresh);
  await page.getByRole('textbox', { name: tr('de', 'auth', 'password.confirm'), exact: true }).fill(fresh);
  await page.getByRole('button', { name: tr('de', 'account', 'password.submit') }).click();
  await expect(current).toHaveAccessibleDescription(tr('de', 'errors', 'code.current_password_incorrect'));
  await expectAccessible(page, 'password refused');

  // the login itself is no password
  await current.fill(customer.admin.password);
  await page.getByRole('textbox', { name: tr('de', 'auth', 'password.new'), exact: true }).fill(customer.admin.login);
  await page.getByRole('textbox', { name: tr('de', 'auth', 'password.confirm'), exact: true }).fill(customer.admin.login);
  await page.getByRole('button', { name: tr('de', 'account', 'password.submit') }).click();
  await expect(page.getByText(tr('de', 'errors', 'field.passwordIsLogin'))).toBeVisible();

  await page.getByRole('textbox', { name: tr('de', 'auth', 'password.new'), exact: true }).fill(fresh);
  await page.getByRole('textbox', { name: tr('de', 'auth', 'password.confirm'), exact: true }).fill(fresh);
  await page.getByRole('button', { name: tr('de', 'account', 'password.submit') }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText(tr('de', 'account', 'password.changed'));
  // this session goes on with the session the change answered
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'account', 'profile.title') })).toBeVisible();

  await page.getByRole('button', { name: `${customer.admin.firstName} ${customer.admin.lastName}` }).click();
  await page.getByRole('menuitem', { name: tr('de', 'common', 'actions.signOut') }).click();
  await expect(page).toHaveURL(/\/login/);
  await api.call('POST', '/v1/auth/login', { login: customer.admin.login, password: customer.admin.password }, {}, [401]);
  await signIn(page, 'de', customer.admin.login, fresh);
});

test("the support page shows the account's support contact, else the one above it", async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const own = { email: `ayuda-${unique()}@partner.example.com`, phone: '+34 900 123 456', url: `https://ayuda-${unique()}.example.com/soporte` };
  await adminApi.call('PATCH', `/v1/accounts/${customer.accountId}`, { support: own });
  const above = (await adminApi.call('GET', '/v1/me')).support as { email: string | null } | null;

  await signIn(page, 'es', customer.admin.login, customer.admin.password);
  await openNav(page, 'es', 'support');
  await expect(page.getByRole('heading', { level: 1, name: tr('es', 'account', 'support.title') })).toBeVisible();
  await expect(page.getByRole('link', { name: own.email })).toHaveAttribute('href', `mailto:${own.email}`);
  await expect(page.getByRole('link', { name: own.phone })).toHaveAttribute('href', 'tel:+34900123456');
  await expect(page.getByRole('link', { name: own.url })).toHaveAttribute('href', own.url);
  await expectAccessible(page, 'support');

  // without a contact of its own, the account shows the distributor's (or says there is none)
  await adminApi.call('PATCH', `/v1/accounts/${customer.accountId}`, { support: null });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: tr('es', 'account', 'support.title') })).toBeVisible();
  if (above?.email) await expect(page.getByRole('link', { name: above.email })).toBeVisible();
  else await expect(page.getByText(tr('es', 'account', 'support.none'))).toBeVisible();
  await expect(page.getByRole('link', { name: own.email })).toHaveCount(0);
  await expectAccessible(page, 'support inherited');
});

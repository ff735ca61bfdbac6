import type { APIRequestContext, Page } from '@playwright/test';
import { Api, expect, expectAccessible, isMobile, signInWithForm, test, tr, type Customer, type Lng } from './fixtures';

/**
 * The screens before sign-in, as the people of the seeds meet them: the invitation's activation
 * link, the forgotten password (which also unlocks a locked user), and signing out for good.
 * The scene is set through the API; the person acts in the console; the links come from the
 * emails the stack sent.
 */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The text of every email sent so far to `address`, oldest first, once the outbox has been sent (GET /_local/emails answers `{emails}`). */
async function emailTexts(request: APIRequestContext, address: string): Promise<string[]> {
  const res = await request.get('/_local/emails?wait=true');
  expect(res.status()).toBe(200);
  const { emails } = (await res.json()) as { emails: Array<{ destination: { to: string[] }; body: { text: string } }> };
  return emails.filter((e) => e.destination.to.some((to) => to.toLowerCase() === address.toLowerCase())).map((e) => e.body.text);
}

/** The path and query of the newest link to `page` in the emails sent to `address` (the email names the stack's own URL). */
async function linkFromEmail(api: Api, address: string, page: 'activate' | 'reset-password'): Promise<string> {
  const pattern = new RegExp(`https?://\\S+/${page}\\?token=[A-Za-z0-9_.-]+`);
  let link: string | undefined;
  await expect
    .poll(async () => {
      const found = (await emailTexts(api.request, address)).map((text) => pattern.exec(text)?.[0]).filter((l): l is string => !!l);
      link = found.at(-1);
      return link;
    })
    .toBeTruthy();
  const url = new URL(link!);
  return `${url.pathname}${url.search}`;
}

/** The customer's admin, signed in on the API, adds one user: invited by email, or ready with a password. */
async function addUser(api: Api, customer: Customer, lng: Lng, password?: string) {
  const admin = await new Api(api.request).signIn(customer.admin.login, customer.admin.password);
  const login = `user-${unique()}@customer.example.com`;
  const user = { firstName: 'Lucía', lastName: `Gómez ${unique().slice(-4)}`, login, role: 'user', locale: lng, ...(password ? { password } : {}) };
  await admin.call('POST', `/v1/accounts/${customer.accountId}/users`, { users: [user], sendActivationEmail: !password });
  return user;
}

async function expectSignedIn(page: Page, lng: Lng) {
  await expect(page).not.toHaveURL(/\/(login|activate|reset-password)/);
  if (isMobile()) await page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') }).click();
  const nav = page.getByRole('navigation', { name: tr(lng, 'common', 'nav.label') });
  await expect(nav.getByRole('link', { name: tr(lng, 'common', 'nav.profile') })).toBeVisible();
  if (isMobile()) await page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') }).click();
}

async function choosePassword(page: Page, lng: Lng, password: string, submit: string) {
  await page.getByRole('textbox', { name: tr(lng, 'auth', 'password.new'), exact: true }).fill(password);
  await page.getByRole('textbox', { name: tr(lng, 'auth', 'password.confirm'), exact: true }).fill(password);
  await page.getByRole('button', { name: submit }).click();
}

test('an invited user activates the account from the email, is signed in, and the link then says it was used', { tag: '@narrow' }, async ({ page, adminApi, api }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const user = await addUser(api, customer, 'es');
  const link = await linkFromEmail(api, user.login, 'activate');

  await page.addInitScript(() => localStorage.setItem('clp.language', 'es'));
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: tr('es', 'auth', 'activate.title') })).toBeVisible();
  await expectAccessible(page, 'activate');
  // the rule is checked before anything is sent
  await page.getByRole('textbox', { name: tr('es', 'auth', 'password.new'), exact: true }).fill('corta');
  await page.getByRole('button', { name: tr('es', 'auth', 'activate.submit') }).click();
  await expect(page.getByText(tr('es', 'errors', 'field.passwordLength'))).toBeVisible();
  await expect(page.getByText(tr('es', 'errors', 'field.passwordsDiffer'))).toBeVisible();

  const password = `Activada-${unique()}`;
  await choosePassword(page, 'es', password, tr('es', 'auth', 'activate.submit'));
  await expectSignedIn(page, 'es');
  await expectAccessible(page, 'first screen after activation');

  // the same link a second time: used, and the screen says what to do
  await page.goto(link);
  await choosePassword(page, 'es', `Otra-${password}`, tr('es', 'auth', 'activate.submit'));
  await expect(page.getByRole('main').getByRole('alert')).toContainText(tr('es', 'auth', 'activate.expiredTitle'));
  await expect(page.getByRole('main').getByRole('alert')).toContainText(tr('es', 'auth', 'activate.expired'));
  await expectAccessible(page, 'activation link used');
  // the password chosen first is the one that signs in
  await new Api(api.request).signIn(user.login, password);
});

test('a forgotten password: the link from the email sets a new one and signs in', async ({ page, adminApi, api }) => {
  const customer = await adminApi.createCustomer({ locale: 'de' });
  await page.addInitScript(() => localStorage.setItem('clp.language', 'de'));
  await page.goto('/login');
  await page.getByRole('link', { name: tr('de', 'auth', 'login.forgot') }).click();
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'auth', 'forgot.title') })).toBeVisible();
  await expectAccessible(page, 'forgot password');
  await page.getByRole('textbox', { name: tr('de', 'auth', 'login.login') }).fill(customer.admin.login);
  await page.getByRole('button', { name: tr('de', 'auth', 'forgot.submit') }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText(tr('de', 'auth', 'forgot.sent'));
  await expectAccessible(page, 'reset link sent');

  // an unknown login gets the very same answer
  await page.goto('/forgot-password');
  await page.getByRole('textbox', { name: tr('de', 'auth', 'login.login') }).fill(`nobody-${unique()}@nowhere.example.com`);
  await page.getByRole('button', { name: tr('de', 'auth', 'forgot.submit') }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText(tr('de', 'auth', 'forgot.sent'));

  await page.goto(await linkFromEmail(api, customer.admin.login, 'reset-password'));
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'auth', 'reset.title') })).toBeVisible();
  await expectAccessible(page, 'reset password');
  const password = `Neues-Passwort-${unique()}`;
  await choosePassword(page, 'de', password, tr('de', 'auth', 'reset.submit'));
  await expectSignedIn(page, 'de');
  await api.call('POST', '/v1/auth/login', { login: customer.admin.login, password: customer.admin.password }, {}, [401]);
});

test('a user locked by five failed sign-ins is unlocked by resetting the password', { tag: '@narrow' }, async ({ page, adminApi, api }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const password = `Inicial-${unique()}`;
  const user = await addUser(api, customer, 'es', password);
  for (let i = 0; i < 5; i++) await api.call('POST', '/v1/auth/login', { login: user.login, password: `mal-${i}-contraseña` }, {}, [401]);
  // locked: even the right password is refused now
  await api.call('POST', '/v1/auth/login', { login: user.login, password }, {}, [401]);

  // the lock sends its own reset link; asking again in the console gives the same answer either way
  await page.addInitScript(() => localStorage.setItem('clp.language', 'es'));
  await page.goto('/forgot-password');
  await page.getByRole('textbox', { name: tr('es', 'auth', 'login.login') }).fill(user.login);
  await page.getByRole('button', { name: tr('es', 'auth', 'forgot.submit') }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText(tr('es', 'auth', 'forgot.sent'));

  await page.goto(await linkFromEmail(api, user.login, 'reset-password'));
  const fresh = `Desbloqueada-${unique()}`;
  await choosePassword(page, 'es', fresh, tr('es', 'auth', 'reset.submit'));
  await expectSignedIn(page, 'es');
  await expectAccessible(page, 'signed in after unlocking');
  const me = await (await new Api(api.request).signIn(user.login, fresh)).call('GET', '/v1/me');
  expect(me.status).toBe('ready');
});

test('signing out returns to the sign-in page, and going back shows no signed-in screen', async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'de' });
  await signInWithForm(page, 'de', customer.admin.login, customer.admin.password);
  await page.goto('/profile');
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'account', 'profile.title') })).toBeVisible();
  await page.getByRole('button', { name: `${customer.admin.firstName} ${customer.admin.lastName}` }).click();
  await page.getByRole('menuitem', { name: tr('de', 'common', 'actions.signOut') }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'auth', 'login.title') })).toBeVisible();
  await expectAccessible(page, 'signed out');

  await page.goBack();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'auth', 'login.title') })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'account', 'profile.title') })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: tr('de', 'common', 'nav.label') })).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('clp.session'))).toBeNull();
});

import { expect, expectAccessible, signInWithForm, test, tr } from './fixtures';

test('a customer admin signs in in Spanish, sees the navigation in Spanish, and signs out', async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expectAccessible(page, 'login');
  await signInWithForm(page, 'es', customer.admin.login, customer.admin.password);
  const nav = page.getByRole('navigation', { name: tr('es', 'common', 'nav.label') });
  if (test.info().project.name.startsWith('mobile')) await page.getByRole('button', { name: tr('es', 'common', 'nav.openMenu') }).click();
  await expect(nav.getByRole('link', { name: tr('es', 'common', 'nav.users') })).toBeVisible();
  await expectAccessible(page, 'dashboard');
});

test('a wrong password is refused with a translated message next to the form', async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'de' });
  await page.addInitScript(() => localStorage.setItem('clp.language', 'de'));
  await page.goto('/login');
  await page.getByRole('textbox', { name: tr('de', 'auth', 'login.login') }).fill(customer.admin.login);
  await page.getByRole('textbox', { name: tr('de', 'auth', 'login.password'), exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: tr('de', 'auth', 'login.submit') }).click();
  await expect(page.getByRole('alert')).toHaveText(tr('de', 'errors', 'code.invalid_credentials'));
});

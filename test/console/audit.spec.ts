import type { Page } from '@playwright/test';
import { ADMIN, expect as baseExpect, expectAccessible, keepScreenshot, signIn, test, tr } from './fixtures';

/**
 * A customer's audit trail as the distributor's admin reads it: what was done under "log in as"
 * names the real person and the one acted as, and the trail filters by action, person and day.
 */
test.slow();
test.use({ navigationTimeout: 90_000, actionTimeout: 45_000 });
const expect = baseExpect.configure({ timeout: 60_000 });

/** A day as the calendar names its button (dayjs's "D MMMM YYYY" in Spanish), and as the URL carries it. */
const dayLabel = (d: Date) => `${d.getDate()} ${new Intl.DateTimeFormat('es', { month: 'long' }).format(d)} ${d.getFullYear()}`;
const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

async function pickDay(page: Page, label: string, day: Date) {
  await page.getByLabel(label, { exact: true }).click();
  const today = new Date();
  if (day.getMonth() !== today.getMonth()) await page.getByRole('button', { name: tr('es', 'common', 'calendar.nextMonth') }).click();
  await page.getByRole('button', { name: dayLabel(day), exact: true }).click();
}

async function choose(page: Page, label: string, text: string) {
  await page.getByRole('combobox', { name: label, exact: true }).fill(text);
  await page.getByRole('option', { name: text, exact: true }).click();
}

test('the distributor admin reads what was done on a customer under "log in as", filtered by action, person and day (es)', async ({ page, adminApi }) => {
  const me = await adminApi.call('GET', '/v1/me');
  const staff = `${me.firstName} ${me.lastName}`;
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const target = `${customer.admin.firstName} ${customer.admin.lastName}`;
  // Logged in as the customer's admin, the distributor's admin changes the admin's phone.
  const actingAs = await adminApi.call('POST', '/v1/auth/impersonate', { userId: customer.admin.id });
  await adminApi.call('PATCH', `/v1/users/${customer.admin.id}`, { phone: '+34 600 000 000' }, { authorization: `Bearer ${actingAs.accessToken}` });

  await signIn(page, 'es', ADMIN.login, ADMIN.password);
  await page.goto(`/customers/${customer.accountId}/audit`);
  await expect(page.getByRole('heading', { level: 1, name: tr('es', 'audit', 'heading', { name: customer.name }) })).toBeVisible();
  await expect(page.getByRole('link', { name: tr('es', 'audit', 'back', { name: customer.name }) })).toHaveAttribute('href', `/customers/${customer.accountId}`);
  const table = page.getByRole('table', { name: tr('es', 'audit', 'table') });
  const rows = table.locator('tbody tr');
  // Newest first: the edit made as the customer's admin, then the log-in-as itself, then the account's creation.
  await expect(rows.first()).toContainText(tr('es', 'audit', 'action.userEdited'));
  await expect(rows.filter({ hasText: tr('es', 'audit', 'action.loggedInAs') })).toContainText(staff);
  await expect(rows.filter({ hasText: tr('es', 'audit', 'action.accountCreated') })).toHaveCount(1);
  await expectAccessible(page, 'audit');
  await keepScreenshot(page, 'audit');

  await choose(page, tr('es', 'audit', 'filter.action'), tr('es', 'audit', 'action.userEdited'));
  await expect(page).toHaveURL(/action=PATCH/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(tr('es', 'audit', 'who.as', { actor: staff, target }));
  await expect(rows.first()).toContainText(tr('es', 'audit', 'resourceNamed', { name: target, type: tr('es', 'audit', 'resource.user') }));
  await expect(rows.first()).toContainText(tr('es', 'audit', 'result.ok', { status: 200 }));

  // The person: the distributor's admin (the caller's own staff) acted, as Carmen.
  await choose(page, tr('es', 'audit', 'filter.actor'), staff);
  await expect(page).toHaveURL(new RegExp(`actor=${me.id}`));
  await expect(rows).toHaveCount(1);

  // From tomorrow nothing; from today the edit again.
  const today = new Date();
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  await pickDay(page, tr('es', 'audit', 'filter.from'), tomorrow);
  await expect(page).toHaveURL(new RegExp(`from=${isoDay(tomorrow)}`));
  await expect(page.getByText(tr('es', 'audit', 'empty'))).toBeVisible();
  await pickDay(page, tr('es', 'audit', 'filter.from'), today);
  await expect(page).toHaveURL(new RegExp(`from=${isoDay(today)}`));
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(tr('es', 'audit', 'who.as', { actor: staff, target }));
  await expectAccessible(page, 'audit-filtered');
  await keepScreenshot(page, 'audit-filtered');
});

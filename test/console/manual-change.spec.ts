import { ADMIN, createSubscribedCustomer, expect, expectAccessible, FIRST_PAINT, isMobile, keepScreenshot, signIn, test, tr } from './fixtures';

/**
 * Seed 000's "wait for your provider to process the order", for a change: a customer whose orders
 * are processed by hand raises a subscription; the change order waits at the staff gates (the
 * customer is told so), the distributor opens and provisions it from its order page, and the
 * customer's page follows it to completed.
 */
test.describe.configure({ timeout: 300_000 });

const lng = 'es' as const;
const o = (key: string, vars: Record<string, string | number> = {}) => tr(lng, 'orders', key, vars);

test("a manual customer's raise waits for its provider, who opens and provisions it (es)", { tag: '@narrow' }, async ({ page, adminApi, browser }) => {
  const s = await createSubscribedCustomer(adminApi, { locale: lng, quantity: 10 });
  const patched = await adminApi.call('PATCH', `/v1/accounts/${s.customer.accountId}`, { settings: { orderProcessing: 'manual' } });
  expect(patched.settings.orderProcessing).toBe('manual');

  // The customer's admin raises 10 → 12 and follows the order.
  await signIn(page, lng, s.customer.admin.login, s.customer.admin.password);
  await page.goto(`/subscriptions/${s.subscriptionId}`);
  await expect(page.getByRole('heading', { level: 1, name: s.product })).toBeVisible(FIRST_PAINT);
  await page.getByRole('button', { name: tr(lng, 'subscriptions', 'change.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr(lng, 'subscriptions', 'change.title') });
  await dialog.getByRole('textbox', { name: tr(lng, 'subscriptions', 'change.quantity') }).fill('12');
  await expect(dialog.getByText(tr(lng, 'subscriptions', 'change.verdictRaise', { count: 2 }))).toBeVisible();
  await dialog.getByRole('button', { name: tr(lng, 'subscriptions', 'change.submit') }).click();
  const track = dialog.getByRole('link', { name: tr(lng, 'subscriptions', 'change.track') });
  await expect(track).toBeVisible();
  const orderId = (await track.getAttribute('href'))!.split('/').pop()!;
  expect(orderId).toMatch(/^ord_/);
  await track.click();
  await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
  await expect(page.getByText(o('tracking.waiting.new'))).toBeVisible();
  await expectAccessible(page, 'change order waiting for the provider');
  await keepScreenshot(page, 'manual-change-waiting');
  // The change order waits at gate 1 (the 12 licenses are held for it; cancelled there, they go back).
  const waiting = await adminApi.call('GET', `/v1/orders/${orderId}`);
  expect(waiting).toMatchObject({ type: 'change', status: 'new' });

  // The distributor opens and provisions it from the order page.
  const staff = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: page.viewportSize(), isMobile: isMobile(), hasTouch: isMobile(), reducedMotion: 'reduce' });
  const staffPage = await staff.newPage();
  const errors: string[] = [];
  staffPage.on('pageerror', (e) => errors.push(e.message));
  await signIn(staffPage, lng, ADMIN.login, ADMIN.password);
  await staffPage.goto(`/orders/${orderId}`);
  await expect(staffPage.getByText(o('staff.where.open'))).toBeVisible(FIRST_PAINT);
  await staffPage.getByRole('button', { name: o('staff.open') }).click();
  const provision = staffPage.getByRole('button', { name: o('staff.provision') });
  await expect(provision).toBeVisible();
  await provision.click();
  const check = staffPage.getByRole('button', { name: o('staff.check') });
  const done = staffPage.getByText(o('staff.where.completed'));
  await expect(check.or(done).first()).toBeVisible();
  for (let i = 0; i < 20 && !(await done.isVisible()); i++) {
    if (await check.isVisible()) {
      await check.click();
      await expect(staffPage.getByText(new RegExp(o('staff.checkedAt', { at: '.+' }))).or(done).first()).toBeVisible();
    }
    await expect(done).toBeVisible({ timeout: 3_000 }).catch(() => undefined);
  }
  await expect(done).toBeVisible();
  await staff.close();
  expect(errors).toEqual([]);

  // The customer's page follows the order to its end, and the subscription has 12.
  await expect(page.getByText(o('tracking.waiting.completed'))).toBeVisible({ timeout: 60_000 });
  expect((await adminApi.call('GET', `/v1/orders/${orderId}`)).status).toBe('completed');
  expect((await adminApi.call('GET', `/v1/subscriptions/${s.subscriptionId}`)).quantity).toBe(12);
});

import { createSubscribedCustomer, expect, expectAccessible, FIRST_PAINT, type Lng, openNav, signIn, test, tr, waitOrderDone } from './fixtures';

/**
 * Upgrade (docs/console.md "Subscriptions"): a customer admin moves 4 of 10 Business Basic
 * licenses to Business Standard from the subscription page; the dialog offers only the products
 * Basic may be upgraded to, says what moves, and shows the placed order's credit and charge.
 */
test.describe.configure({ timeout: 300_000 });


test('upgrades part of a subscription to an eligible product and shows the order it placed (de)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const lng: Lng = 'de';
  const ns = 'subscriptions';
  const s = await createSubscribedCustomer(adminApi, { locale: lng, quantity: 10 });
  await signIn(page, lng, s.customer.admin.login, s.customer.admin.password);

  await openNav(page, lng, 'nav.subscriptions');
  const table = page.getByRole('table', { name: tr(lng, ns, 'list.tableLabel') });
  await table.getByRole('link', { name: s.product }).click();
  await expect(page.getByRole('heading', { level: 1, name: s.product })).toBeVisible();

  await page.getByRole('button', { name: tr(lng, ns, 'upgrade.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr(lng, ns, 'upgrade.title') });
  // Only the products Business Basic lists: Standard, Premium and E3; no Exchange, no Basic itself.
  await expect(dialog.getByRole('radio')).toHaveCount(3);
  await expect(dialog.getByRole('radio', { name: 'Microsoft 365 Business Standard' })).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /Exchange/ })).toHaveCount(0);
  // Nothing chosen yet: nothing can be sent.
  await expect(dialog.getByRole('button', { name: tr(lng, ns, 'upgrade.submit') })).toBeDisabled();

  await dialog.getByRole('radio', { name: 'Microsoft 365 Business Standard' }).check();
  await dialog.getByRole('textbox', { name: tr(lng, ns, 'upgrade.quantity') }).fill('4');
  await expect(dialog.getByText(tr(lng, ns, 'upgrade.partMove', { count: 4, left: 6, name: s.product }))).toBeVisible();
  await expect(dialog.getByText(tr(lng, ns, 'upgrade.priceRule'))).toBeVisible();
  await expectAccessible(page, 'upgrade dialog');

  await dialog.getByRole('button', { name: tr(lng, ns, 'upgrade.submit') }).click();
  const track = dialog.getByRole('link', { name: tr(lng, ns, 'upgrade.track') });
  await expect(track).toBeVisible();
  // The answer's lines, by days: a credit for the 4 Basic licenses and a charge for the 4 Standard ones.
  const lines = dialog.getByRole('table', { name: tr(lng, ns, 'upgrade.priceTitle') });
  await expect(lines.getByText(tr(lng, ns, 'upgrade.credit', { count: 4, name: s.product }))).toBeVisible();
  await expect(lines.getByText(tr(lng, ns, 'upgrade.charge', { count: 4, name: 'Microsoft 365 Business Standard' }))).toBeVisible();
  await expect(lines.getByRole('rowheader', { name: tr(lng, ns, 'upgrade.net') })).toBeVisible();
  await expectAccessible(page, 'upgrade placed');

  const orderId = (await track.getAttribute('href'))!.split('/').pop()!;
  expect(orderId).toMatch(/^ord_/);
  const done = await waitOrderDone(adminApi, orderId);
  expect(done.status).toBe('completed');
  const order = await adminApi.call('GET', `/v1/orders/${orderId}`);
  expect(order.lines.map((l: { quantity: number }) => l.quantity)).toEqual([-4, 4]);

  await dialog.getByRole('button', { name: tr(lng, 'common', 'actions.close') }).last().click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: s.product })).toBeVisible(FIRST_PAINT);
  const sub = await adminApi.call('GET', `/v1/subscriptions/${s.subscriptionId}`);
  expect(sub.quantity).toBe(6);
});

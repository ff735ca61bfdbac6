import { createSubscribedCustomer, expect, expectAccessible, FIRST_PAINT, type Lng, openNav, signIn, test, tr } from './fixtures';

/**
 * Change at renewal (docs/console.md "Subscriptions"): a customer admin schedules the next term of
 * a Business Basic subscription as Business Standard, billed annually, with fewer licenses; the
 * page states it, the API holds it, and the remove button drops it. Nothing changes now.
 */
test.describe.configure({ timeout: 300_000 });


test('schedules a change of product, term and licenses for the renewal, then removes it (en)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const lng: Lng = 'en';
  const ns = 'subscriptions';
  const s = await createSubscribedCustomer(adminApi, { locale: lng, quantity: 10 });
  await signIn(page, lng, s.customer.admin.login, s.customer.admin.password);

  await openNav(page, lng, 'nav.subscriptions');
  await page.getByRole('table', { name: tr(lng, ns, 'list.tableLabel') }).getByRole('link', { name: s.product }).click();
  await expect(page.getByRole('heading', { level: 1, name: s.product })).toBeVisible();

  const section = page.getByRole('region', { name: tr(lng, ns, 'scheduledChange.title') });
  await expect(section.getByRole('button', { name: tr(lng, ns, 'scheduledChange.open') })).toBeVisible();
  await section.getByRole('button', { name: tr(lng, ns, 'scheduledChange.open') }).click();

  const dialog = page.getByRole('dialog', { name: tr(lng, ns, 'scheduledChange.dialogTitle') });
  const productBox = dialog.getByRole('combobox', { name: tr(lng, ns, 'scheduledChange.product') });
  await expect(productBox).toBeEnabled(FIRST_PAINT);
  await productBox.click();
  // The subscription's own product and those the catalog links to it by upgradeTargets; no Exchange.
  await expect(page.getByRole('option', { name: tr(lng, ns, 'scheduledChange.sameProduct', { name: s.product }) })).toBeVisible();
  await expect(page.getByRole('option', { name: /Exchange/ })).toHaveCount(0);
  await page.getByRole('option', { name: 'Microsoft 365 Business Standard' }).click();

  await dialog.getByRole('combobox', { name: tr(lng, ns, 'scheduledChange.offer') }).click();
  await page.getByRole('option', { name: new RegExp(`${tr(lng, ns, 'term.P1Y')}, ${tr(lng, ns, 'billing.annual')}`) }).click();
  const quantity = dialog.getByRole('textbox', { name: tr(lng, ns, 'scheduledChange.quantity') });
  await quantity.fill('0');
  await expect(dialog.getByRole('button', { name: tr(lng, ns, 'scheduledChange.submit') })).toBeDisabled();
  await quantity.fill('8');
  await expectAccessible(page, 'change at renewal dialog');
  await dialog.getByRole('button', { name: tr(lng, ns, 'scheduledChange.submit') }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The section states the next term; the API holds it, and nothing changed now.
  await expect(section.getByRole('status').filter({ hasText: 'Microsoft 365 Business Standard' })).toContainText(tr(lng, ns, 'billing.annual'));
  await expect(section.getByRole('status')).toContainText('8');
  const sub = await adminApi.call('GET', `/v1/subscriptions/${s.subscriptionId}`);
  expect(sub.scheduledChange).toMatchObject({ productName: 'Microsoft 365 Business Standard', term: 'P1Y', billingPeriod: 'annual', quantity: 8 });
  expect(sub).toMatchObject({ name: s.product, quantity: 10 });
  await expectAccessible(page, 'change at renewal scheduled');

  await section.getByRole('button', { name: tr(lng, ns, 'scheduledChange.remove') }).click();
  await expect(section.getByRole('button', { name: tr(lng, ns, 'scheduledChange.open') })).toBeVisible();
  expect((await adminApi.call('GET', `/v1/subscriptions/${s.subscriptionId}`)).scheduledChange).toBeNull();
});

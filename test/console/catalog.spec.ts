import type { Page } from '@playwright/test';
import { ADMIN, Api, expect as baseExpect, expectAccessible, isMobile, keepScreenshot, signIn, test, tr, type Lng } from './fixtures';

/**
 * The distributor's catalog: its admin adds a product with two offers, finds it, edits it and
 * retires it; a reseller's admin has no catalog in its navigation and cannot change it.
 */
test.slow();
test.use({ navigationTimeout: 90_000, actionTimeout: 45_000 });
const expect = baseExpect.configure({ timeout: 60_000 });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const money = (lng: Lng, amount: number) => new Intl.NumberFormat(lng, { style: 'currency', currency: 'EUR' }).format(amount);

async function openNavigation(page: Page, lng: Lng) {
  if (isMobile()) await page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') }).click();
  return page.getByRole('navigation', { name: tr(lng, 'common', 'nav.label') });
}

test('the distributor admin adds a product with two offers, finds it, edits it and retires it (de)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const sku = `CLP-${unique()}`.toUpperCase();
  const name = `Contoso Backup ${sku.slice(-6)}`;
  await signIn(page, 'de', ADMIN.login, ADMIN.password);
  await (await openNavigation(page, 'de')).getByRole('link', { name: tr('de', 'common', 'nav.catalog') }).click();
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'catalog', 'title') })).toBeVisible();
  await expect(page.getByRole('table', { name: tr('de', 'catalog', 'list.table') }).getByRole('row', { name: /Business Basic/ })).toBeVisible();
  await page.mouse.move(640, 700);
  await expectAccessible(page, 'catalog');
  await keepScreenshot(page, 'catalog');

  // A new product with two offers: annual billing for a year, and monthly for a month.
  await page.getByRole('button', { name: tr('de', 'catalog', 'list.add') }).click();
  const drawer = page.getByRole('dialog', { name: tr('de', 'catalog', 'form.createTitle') });
  await drawer.getByLabel(tr('de', 'catalog', 'field.name')).fill(name);
  await drawer.getByLabel(tr('de', 'catalog', 'field.sku')).fill(sku);
  await drawer.getByLabel(tr('de', 'catalog', 'field.description')).fill('Sicherung für Exchange, OneDrive und SharePoint.');
  await drawer.getByLabel(tr('de', 'catalog', 'field.category')).fill('security');
  await drawer.getByLabel(tr('de', 'catalog', 'field.vendor')).fill('Contoso');
  const first = drawer.getByRole('group', { name: tr('de', 'catalog', 'form.offer', { n: 1 }) });
  await first.getByLabel(tr('de', 'catalog', 'form.price', { currency: 'EUR' })).fill('120,00');
  await drawer.getByRole('button', { name: tr('de', 'catalog', 'form.addOffer') }).click();
  const second = drawer.getByRole('group', { name: tr('de', 'catalog', 'form.offer', { n: 2 }) });
  await expect(second.getByLabel(tr('de', 'catalog', 'field.term'), { exact: true })).toHaveValue('P1M');
  // A one-month term billed annually is refused on its field before anything is sent.
  await second.getByLabel(tr('de', 'catalog', 'field.billingPeriod'), { exact: true }).selectOption(tr('de', 'catalog', 'billing.annual'));
  await second.getByLabel(tr('de', 'catalog', 'form.price', { currency: 'EUR' })).fill('12,50');
  await drawer.getByRole('button', { name: tr('de', 'catalog', 'form.create') }).click();
  await expect(second.getByText(tr('de', 'catalog', 'form.monthlyTermAnnual'))).toBeVisible();
  await second.getByLabel(tr('de', 'catalog', 'field.billingPeriod'), { exact: true }).selectOption(tr('de', 'catalog', 'billing.monthly'));
  await expectAccessible(page, 'catalog-new');
  await keepScreenshot(page, 'catalog-new');
  await drawer.getByRole('button', { name: tr('de', 'catalog', 'form.create') }).click();
  await expect(drawer).toBeHidden();

  // Found by its SKU: active, two offers.
  await page.getByLabel(tr('de', 'catalog', 'list.search')).fill(sku);
  const table = page.getByRole('table', { name: tr('de', 'catalog', 'list.table') });
  await expect(table.getByRole('row')).toHaveCount(2);
  const row = table.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText(tr('de', 'catalog', 'status.active'));
  await expect(row.getByRole('cell').last()).toHaveText('2');
  await row.getByRole('link', { name }).click();

  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const offers = page.getByRole('table', { name: tr('de', 'catalog', 'detail.offersTable', { name }) });
  await expect(offers).toContainText(tr('de', 'catalog', 'detail.pricePer.annual', { price: money('de', 120) }));
  await expect(offers).toContainText(tr('de', 'catalog', 'detail.pricePer.monthly', { price: money('de', 12.5) }));
  await expectAccessible(page, 'catalog-product');
  await keepScreenshot(page, 'catalog-product');

  // Edited: a new name and a new monthly price.
  const renamed = `${name} Plus`;
  await page.getByRole('button', { name: tr('de', 'catalog', 'actions.edit'), exact: true }).click();
  const editor = page.getByRole('dialog', { name: tr('de', 'catalog', 'form.editTitle', { name }) });
  await editor.getByLabel(tr('de', 'catalog', 'field.name')).fill(renamed);
  const monthly = editor.getByRole('group', { name: tr('de', 'catalog', 'form.offer', { n: 2 }) });
  await monthly.getByLabel(tr('de', 'catalog', 'form.price', { currency: 'EUR' })).fill('14,90');
  await editor.getByRole('button', { name: tr('de', 'common', 'actions.save') }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: renamed })).toBeVisible();
  await expect(page.getByRole('table', { name: tr('de', 'catalog', 'detail.offersTable', { name: renamed }) })).toContainText(money('de', 14.9));

  // Retired after a confirmation: still shown to the distributor, marked as retired.
  await page.getByRole('button', { name: tr('de', 'catalog', 'actions.retire'), exact: true }).click();
  const confirm = page.getByRole('dialog', { name: tr('de', 'catalog', 'actions.retireTitle', { name: renamed }) });
  await confirm.getByRole('button', { name: tr('de', 'catalog', 'actions.retire') }).click();
  // The confirmation closes once the product is retired (its overlay would take the next click).
  await expect(confirm).toBeHidden();
  // Its toast says so. At 360 px it lies over the top of the page (the way back): it must close on
  // its own before that link is clicked, or the pointer resting on it would hold it open.
  const toast = page.getByRole('alert').filter({ hasText: tr('de', 'catalog', 'actions.retired', { name: renamed }) });
  await expect(toast).toBeVisible();
  await expect(page.getByText(tr('de', 'catalog', 'detail.retiredHelp'))).toBeVisible();
  await expect(page.getByRole('button', { name: tr('de', 'catalog', 'actions.reactivate'), exact: true })).toBeVisible();

  const stored = await adminApi.call('GET', `/v1/catalog/products?q=${sku}`);
  expect(stored.items.map((p: { name: string; status: string }) => [p.name, p.status])).toEqual([[renamed, 'retired']]);

  await expect(toast).toBeHidden();
  await page.getByRole('link', { name: tr('de', 'catalog', 'detail.back') }).click();
  await page.getByLabel(tr('de', 'catalog', 'list.status')).selectOption(tr('de', 'catalog', 'status.retired'));
  await page.getByLabel(tr('de', 'catalog', 'list.search')).fill(sku);
  await expect(table.getByRole('row', { name: new RegExp(renamed) })).toContainText(tr('de', 'catalog', 'status.retired'));
});

test("a reseller's admin has no catalog in its navigation, and /catalog changes nothing (es)", async ({ page, adminApi, request }) => {
  const reseller = await adminApi.createReseller({ locale: 'es' });
  await signIn(page, 'es', reseller.admin.login, reseller.admin.password);
  const nav = await openNavigation(page, 'es');
  await expect(nav.getByRole('link', { name: tr('es', 'common', 'nav.customers'), exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: tr('es', 'common', 'nav.catalog') })).toHaveCount(0);

  await page.goto('/catalog');
  await expect(page.getByRole('heading', { level: 1, name: tr('es', 'catalog', 'title') })).toBeVisible();
  await expect(page.getByText(tr('es', 'catalog', 'list.notForYou'))).toBeVisible();
  await expect(page.getByRole('button', { name: tr('es', 'catalog', 'list.add') })).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
  await expectAccessible(page, 'catalog-reseller');

  // Nor does the API let it: a product it sends is refused.
  const api = await new Api(request).signIn(reseller.admin.login, reseller.admin.password);
  const product = { sku: `NOPE-${unique()}`, name: 'Nope', description: 'Nope', category: 'security', vendor: 'Nope', requiresTenant: false, minQuantity: 1, maxQuantity: 10, cancellationWindowHours: 0 };
  await api.call('POST', '/v1/catalog/products', { ...product, offers: [{ term: 'P1M', billingPeriod: 'monthly', price: { amount: 100, currency: 'EUR' } }] }, {}, [403]);
});

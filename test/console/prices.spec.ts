import type { Locator, Page } from '@playwright/test';
import { ADMIN, Api, expect as baseExpect, expectAccessible, isMobile, keepScreenshot, signIn, test, tr, type Lng } from './fixtures';

/**
 * Prices and tax (issue 18), as the distributor's admin: a reseller's price list and its rules,
 * a rule refused for selling below what the reseller pays (the offers with both figures), a tax
 * profile refused for its VAT ID (under the field) then saved, and the price sheet of the
 * reseller's customer with cost, reseller price, sell price and both margins as the API gives
 * them. The scene (costs, the distributor's list for resellers, the accounts) is set through the
 * API; the journey runs in German at desktop width and in Spanish at 360 px.
 */
test.slow();
test.use({ navigationTimeout: 90_000, actionTimeout: 45_000 });
const expect = baseExpect.configure({ timeout: 60_000 });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const today = () => new Date().toISOString().slice(0, 10);
const money = (lng: Lng, m: { amount: number; currency: string }) => new Intl.NumberFormat(lng, { style: 'currency', currency: m.currency }).format(m.amount / 100);

interface Offer {
  id: string;
  term: string;
  billingPeriod: string;
  price: { amount: number; currency: string };
}

/**
 * What every journey needs and the UI does not test: each Business Basic offer has a cost in EUR
 * (80 % of its catalog price) from today, and the distributor has its list for resellers in EUR
 * (+10 %). Both are the distributor's and shared by every test of the day: a 409 means another
 * test made them first, which is as good.
 */
async function pricedScene(adminApi: Api): Promise<{ product: { id: string; name: string; offers: Offer[] } }> {
  const product = (await adminApi.call('GET', '/v1/catalog/products?q=business%20basic')).items.find((p: { name: string }) => p.name === 'Microsoft 365 Business Basic');
  for (const offer of product.offers as Offer[]) {
    await adminApi.call('POST', `/v1/catalog/offers/${offer.id}/costs`, { currency: 'EUR', amount: Math.round(offer.price.amount * 0.8), effectiveFrom: today() }, {}, [201, 409]);
  }
  const me = await adminApi.call('GET', '/v1/me');
  const lists = await adminApi.call('GET', `/v1/accounts/${me.accountId}/price-lists`);
  if (!lists.items.some((l: { audience: string; currency: string }) => l.audience === 'resellers' && l.currency === 'EUR')) {
    await adminApi.call('POST', `/v1/accounts/${me.accountId}/price-lists`, { audience: 'resellers', currency: 'EUR', markupBps: 1000 }, {}, [201, 409]);
  }
  return { product };
}

/** A screen as it stands: axe, never wider than the screen (a wide table scrolls in its own box), a screenshot when asked. */
async function check(page: Page, screen: string): Promise<void> {
  await expectAccessible(page, screen);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow, `${screen}: the page is ${overflow} px wider than the screen`).toBeLessThanOrEqual(0);
  await keepScreenshot(page, screen);
}

async function openNavigation(page: Page, lng: Lng): Promise<Locator> {
  if (isMobile()) await page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') }).click();
  return page.getByRole('navigation', { name: tr(lng, 'common', 'nav.label') });
}

test("the distributor prices a reseller's customers: a list and its rules, a refusal below cost, the tax profile, the price sheet with margins", { tag: '@narrow' }, async ({ page, adminApi, request }) => {
  const lng: Lng = isMobile() ? 'es' : 'de';
  const p = (key: string, vars?: Record<string, string | number>) => tr(lng, 'pricing', key, vars);
  const { product } = await pricedScene(adminApi);
  const reseller = await adminApi.createReseller({ locale: lng });
  const resellerApi = await new Api(request).signIn(reseller.admin.login, reseller.admin.password);
  const customer = await resellerApi.createCustomer({ locale: lng });

  // The distributor's own lists, from the navigation: its list for resellers in EUR is there.
  await signIn(page, lng, ADMIN.login, ADMIN.password);
  await (await openNavigation(page, lng)).getByRole('link', { name: tr(lng, 'common', 'nav.priceLists') }).click();
  await expect(page.getByRole('heading', { level: 1, name: p('lists.title') })).toBeVisible();
  await page.mouse.move(640, 700);
  const ownLists = page.getByRole('table', { name: p('lists.table') });
  await expect(ownLists.getByRole('link', { name: p('lists.name', { audience: p('audience.resellers'), currency: 'EUR' }) })).toBeVisible();
  await expect(ownLists.getByText(p('lists.since', { date: '' }).trim()).first()).toBeVisible();
  await check(page, 'price-lists');

  // The reseller's page → its price lists (none yet) → a new list for its customers in EUR, +20 %.
  await page.goto(`/customers/${reseller.accountId}`);
  await expect(page.getByRole('heading', { level: 1, name: reseller.name })).toBeVisible();
  await page.getByRole('navigation', { name: tr(lng, 'customers', 'data.resellerTitle') }).getByRole('link', { name: new RegExp(`^${tr(lng, 'customers', 'data.priceLists')}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: p('lists.titleOf', { name: reseller.name }) })).toBeVisible();
  await expect(page.getByText(p('lists.empty'))).toBeVisible();
  await page.getByRole('button', { name: p('lists.new') }).click();
  const create = page.getByRole('dialog', { name: p('create.title') });
  await expect(create.getByText(p('create.customersOnly'))).toBeVisible();
  // Only the distributor's staff are offered to let a reseller sell below cost; not ticked here.
  await expect(create.getByRole('checkbox', { name: p('create.allowBelowCost') })).not.toBeChecked();
  await create.getByRole('textbox', { name: p('form.markup') }).fill('20');
  await check(page, 'price-list-new');
  await create.getByRole('button', { name: p('create.submit') }).click();
  await expect(create).toBeHidden();
  const listName = p('lists.name', { audience: p('audience.customers'), currency: 'EUR' });
  await expect(page.getByRole('heading', { level: 1, name: p('list.title', { name: listName }) })).toBeVisible();
  const own = page.getByRole('table', { name: p('list.versionsOf', { rule: p('rule.listTitle') }) });
  await expect(own.getByRole('row').nth(1)).toContainText(new Intl.NumberFormat(lng, { style: 'percent', signDisplay: 'exceptZero' }).format(0.2));
  await expect(own.getByRole('row').nth(1)).toContainText(p('version.current'));

  // A product's markup of −50 % would sell every Business Basic offer below what the reseller pays: refused, with the figures.
  await page.getByRole('button', { name: p('list.addRule') }).click();
  const rule = page.getByRole('dialog', { name: p('rule.title') });
  await rule.getByRole('radio', { name: p('scope.product') }).check();
  await rule.getByRole('combobox', { name: p('rule.product') }).fill('Business Basic');
  await page.getByRole('option', { name: /Microsoft 365 Business Basic/ }).click();
  await expect(rule.getByText(p('rule.noneYet'))).toBeVisible();
  await rule.getByRole('textbox', { name: p('form.markup') }).fill('-50');
  await rule.getByRole('button', { name: p('rule.submit') }).click();
  const refusal = rule.getByRole('alert').filter({ hasText: p('belowCost.body') });
  await expect(refusal).toContainText(p('belowCost.title_other', { count: product.offers.length }));
  const refused = refusal.getByRole('table', { name: p('belowCost.table') });
  await expect(refused.getByRole('row')).toHaveCount(product.offers.length + 1);
  // The first refused offer as the API answered it: what the reseller pays, and the price the rule would set.
  const sheetBefore = await adminApi.call('GET', `/v1/accounts/${reseller.accountId}/prices`);
  const paid = sheetBefore.items.find((i: { offerId: string }) => i.offerId === product.offers[0]!.id).figures.sell;
  const row = refused.getByRole('row').filter({ hasText: money(lng, paid) });
  await expect(row.first()).toContainText('Microsoft 365 Business Basic');
  await expect(row.first()).toContainText(money(lng, { amount: Math.round(paid.amount / 2), currency: 'EUR' }));
  await check(page, 'price-rule-below-cost');

  // +30 % instead: saved, and shown as the product's rule in effect.
  await rule.getByRole('textbox', { name: p('form.markup') }).fill('30');
  await rule.getByRole('button', { name: p('rule.submit') }).click();
  await expect(rule).toBeHidden();
  const productRule = page.getByRole('table', { name: p('list.versionsOf', { rule: p('rule.productTitle', { name: 'Microsoft 365 Business Basic' }) }) });
  await expect(productRule).toContainText(new Intl.NumberFormat(lng, { style: 'percent', signDisplay: 'exceptZero' }).format(0.3));
  await check(page, 'price-list');

  // The reseller's tax profile: a VAT ID not of Germany's format is refused under its field; then a right one.
  await page.goto(`/customers/${reseller.accountId}`);
  const a = (key: string) => tr(lng, 'account', key);
  const tax = page.getByRole('region', { name: a('tax.title') });
  await expect(tax.getByText(a('tax.intro'))).toBeVisible();
  const legalName = `${reseller.name} GmbH`;
  await tax.getByRole('textbox', { name: a('tax.legalName') }).fill(legalName);
  await tax.getByRole('combobox', { name: a('tax.country') }).fill(lng === 'de' ? 'Deutschland' : 'Alemania');
  await page.getByRole('option', { name: /\(DE\)/ }).click();
  const vatId = tax.getByRole('textbox', { name: a('tax.vatId') });
  await vatId.fill('DE 1234');
  await tax.getByRole('button', { name: a('tax.save') }).click();
  await expect(vatId).toHaveAccessibleDescription(new RegExp(tr(lng, 'errors', 'code.invalid_vat_id').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect(vatId).toHaveAttribute('aria-invalid', 'true');
  await check(page, 'tax-profile-refused');
  await vatId.fill('DE 123.456.789');
  await tax.getByRole('button', { name: a('tax.save') }).click();
  await expect(page.getByText(a('tax.saved'))).toBeVisible();
  await expect.poll(async () => (await adminApi.call('GET', `/v1/accounts/${reseller.accountId}/tax-profile`)).profile).toMatchObject({ legalName, country: 'DE', vatId: 'DE123456789' });
  await expect(tax.getByRole('textbox', { name: a('tax.vatId') })).toHaveValue('DE123456789');

  // The reseller's customer → Prices: per offer the whole chain and both margins, as the API gives them.
  await page.goto(`/customers/${customer.accountId}`);
  await expect(page.getByRole('heading', { level: 1, name: customer.name })).toBeVisible();
  await page.getByRole('navigation', { name: tr(lng, 'customers', 'data.customerTitle') }).getByRole('link', { name: new RegExp(`^${tr(lng, 'customers', 'data.prices')}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: p('sheet.titleOf', { name: customer.name }) })).toBeVisible();
  await expect(page.getByText(p('sheet.viewer.distributor', { currency: 'EUR' }))).toBeVisible();
  const sheet = await adminApi.call('GET', `/v1/accounts/${customer.accountId}/prices`);
  const table = page.getByRole('table', { name: p('sheet.table', { date: new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(sheet.on)) }) });
  await expect(table).toBeVisible();
  for (const key of ['cost', 'resellerPrice', 'sell', 'distributorMargin', 'resellerMargin']) await expect(table).toContainText(p(`figure.${key}`));
  const priced = sheet.items.find((i: { offerId: string }) => i.offerId === product.offers[0]!.id);
  const pricedRow = table.getByRole('row').filter({ hasText: money(lng, priced.figures.cost) }).filter({ hasText: money(lng, priced.figures.resellerMargin) });
  for (const key of ['cost', 'resellerPrice', 'sell', 'distributorMargin', 'resellerMargin']) await expect(pricedRow.first()).toContainText(money(lng, priced.figures[key]));
  // An offer without a cost says so in words.
  const unpriced = sheet.items.find((i: { figures: unknown; reason: string }) => i.figures === null && i.reason === 'no_cost');
  if (unpriced) await expect(table.getByText(p('reason.no_cost')).first()).toBeVisible();
  await check(page, 'price-sheet');
});

test('VAT rates and an offer cost: the table of countries, the add dialog; a cost version added from the catalog', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const lng: Lng = isMobile() ? 'es' : 'de';
  const p = (key: string, vars?: Record<string, string | number>) => tr(lng, 'pricing', key, vars);
  // A product of its own, so the cost version (one per offer, currency and day) is this test's.
  const sku = `CLP-${unique()}`.toUpperCase();
  const name = `Contoso Archive ${sku.slice(-6)}`;
  await adminApi.call('POST', '/v1/catalog/products', {
    sku,
    name,
    description: 'Archivierung für Exchange.',
    category: 'security',
    vendor: 'Contoso',
    requiresTenant: false,
    minQuantity: 1,
    maxQuantity: 100,
    cancellationWindowHours: 0,
    offers: [{ term: 'P1Y', billingPeriod: 'annual', price: { amount: 12000, currency: 'EUR' } }],
  });
  const created = (await adminApi.call('GET', `/v1/catalog/products?q=${sku}`)).items[0];

  await signIn(page, lng, ADMIN.login, ADMIN.password);
  await (await openNavigation(page, lng)).getByRole('link', { name: tr(lng, 'common', 'nav.vatRates') }).click();
  await expect(page.getByRole('heading', { level: 1, name: p('vat.title') })).toBeVisible();
  await page.mouse.move(640, 700);
  const rates = page.getByRole('table', { name: p('vat.table') });
  const germany = rates.getByRole('row').filter({ hasText: lng === 'de' ? 'Deutschland' : 'Alemania' });
  await expect(germany).toContainText(new Intl.NumberFormat(lng, { style: 'percent' }).format(0.19));
  await expect(germany).toContainText(p('version.current'));
  await check(page, 'vat-rates');
  await page.getByRole('button', { name: p('vat.add') }).click();
  const add = page.getByRole('dialog', { name: p('vat.addTitle') });
  await expect(add.getByRole('combobox', { name: p('vat.country') })).toBeVisible();
  await check(page, 'vat-rate-new');
  await add.getByRole('button', { name: tr(lng, 'common', 'actions.cancel') }).click();
  await expect(add).toBeHidden();

  // The catalog's offer: a cost version in EUR from today; the dialog shows the versions the API answered.
  await page.goto(`/catalog/${created.id}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const terms = p('offer.terms', { term: p('term.P1Y'), billing: p('billing.annual') });
  await page.getByRole('button', { name: p('cost.addFor', { name, terms }) }).click();
  const cost = page.getByRole('dialog', { name: p('cost.title', { name, terms }) });
  await cost.getByRole('textbox', { name: p('cost.amount') }).fill('95,50');
  await cost.getByRole('button', { name: p('cost.submit') }).click();
  await expect(cost.getByText(p('cost.added'))).toBeVisible();
  const versions = cost.getByRole('table', { name: p('cost.versions') });
  await expect(versions).toContainText(money(lng, { amount: 9550, currency: 'EUR' }));
  await expect(versions).toContainText(p('version.current'));
  await check(page, 'offer-cost');
  // Again the same day and currency: the API's refusal in words.
  await cost.getByRole('textbox', { name: p('cost.amount') }).fill('96');
  await cost.getByRole('button', { name: p('cost.submit') }).click();
  await expect(cost.getByRole('alert')).toContainText(tr(lng, 'errors', 'code.cost_version_exists'));
});

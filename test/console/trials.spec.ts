import type { Page } from '@playwright/test';
import { expect, expectAccessible, signIn, test, tr, type Lng } from './fixtures';

/**
 * Trials and qualifications in the console (docs/product.md#trials-and-qualifications): the
 * marketplace shows a product's free trial and a product's qualification requirement; the checkout
 * refuses a product for education tenants on a tenant without the qualification, in words, and
 * buys it once the new tenant asks for the qualification; the domains page creates a qualified
 * tenant and shows the sandbox vendor's refusal (a noqual- prefix) in words.
 */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const lng: Lng = 'en';
const s = (key: string, vars: Record<string, string | number> = {}) => tr(lng, 'shop', key, vars);
const d = (key: string, vars: Record<string, string | number> = {}) => tr(lng, 'domains', key, vars);

test.describe.configure({ timeout: 600_000 });

async function chooseQualification(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('the marketplace shows a free trial and an education-only product; the checkout refuses it on an unqualified tenant and buys it on an education one', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: lng });
  const premium = (await adminApi.call('GET', '/v1/catalog/products?q=business%20premium')).items[0];
  const faculty = (await adminApi.call('GET', '/v1/catalog/products?q=faculty')).items[0];
  const trial = premium.offers.find((o: { trial?: { days: number } }) => o.trial);
  await signIn(page, lng, customer.admin.login, customer.admin.password);

  // The trial offer, in words: free for its days, then the paid offer at its price.
  await page.goto(`/marketplace/${premium.id}`);
  await expect(page.getByRole('heading', { level: 1, name: premium.name })).toBeVisible();
  await expect(page.getByRole('radio', { name: s('offer.trial.title', { days: trial.trial.days }) })).toBeVisible();
  await expect(page.getByText(s('offer.trial.price', { days: trial.trial.days }), { exact: true })).toBeVisible();
  await expectAccessible(page, 'product with a trial');

  // The requirement, in words.
  await page.goto(`/marketplace/${faculty.id}`);
  await expect(page.getByRole('heading', { level: 1, name: faculty.name })).toBeVisible();
  await expect(page.getByText(s('product.qualification', { qualification: s('offer.qualification.education') }))).toBeVisible();
  await expectAccessible(page, 'product for education tenants');
  await page.getByRole('button', { name: s('product.addToCart') }).click();
  await page.getByRole('link', { name: s('product.goToCart') }).click();
  await page.getByRole('link', { name: s('cart.checkout') }).click();

  // A new tenant without the qualification, a card, review, buy: refused in words, nothing bought.
  const prefix = `edu${unique()}`;
  await page.getByRole('textbox', { name: s('checkout.domain.prefix') }).fill(prefix);
  await expect(page.getByText(s('checkout.domain.available', { domain: `${prefix}.onmicrosoft.com` }))).toBeVisible();
  await expect(page.getByRole('combobox', { name: s('checkout.domain.qualification') })).toHaveValue(s('checkout.domain.qualificationNone'));
  await page.getByRole('checkbox', { name: s('checkout.agreement.accept') }).check();
  await expectAccessible(page, 'checkout domain with qualification');
  await page.getByRole('button', { name: s('checkout.next') }).click();
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.number') }).fill('4242 4242 4242 4242');
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.expMonth') }).fill('12');
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.expYear') }).fill(String(new Date().getFullYear() + 3));
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.cvc') }).fill('123');
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.holderName') }).fill(`${customer.admin.firstName} ${customer.admin.lastName}`);
  await page.getByRole('button', { name: tr(lng, 'billing', 'card.submit') }).click();
  await expect(page.getByRole('radio', { name: /4242/ })).toBeChecked();
  await page.getByRole('button', { name: s('checkout.next') }).click();
  await expect(page.getByRole('heading', { level: 2, name: s('checkout.steps.review') })).toBeVisible();
  await page.getByRole('button', { name: s('checkout.review.buy'), exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: tr(lng, 'errors', 'code.qualification_required') })).toBeVisible();
  await expectAccessible(page, 'checkout refused: qualification required');
  expect((await adminApi.call('GET', `/v1/orders?accountId=${customer.accountId}`)).items).toEqual([]);

  // Back to the domain step: the tenant asks for the education qualification, and the order goes through.
  await page.getByRole('button', { name: s('checkout.back') }).click();
  await page.getByRole('button', { name: s('checkout.back') }).click();
  await chooseQualification(page, s('checkout.domain.qualification'), s('offer.qualification.education'));
  await page.getByRole('button', { name: s('checkout.next') }).click();
  await page.getByRole('button', { name: s('checkout.next') }).click();
  await page.getByRole('button', { name: s('checkout.review.buy'), exact: true }).click();
  await expect(page).toHaveURL(/\/orders\/ord_/);
  await expect(page.getByRole('heading', { level: 1, name: /SO-\d+/ })).toBeVisible();
  const domains = await adminApi.call('GET', `/v1/accounts/${customer.accountId}/domains`);
  expect(domains.items.find((x: { domain: string }) => x.domain === `${prefix}.onmicrosoft.com`).qualifications).toEqual(['education']);
});

test('the domains page creates a tenant qualified for nonprofit, and shows the vendor refusing one in words', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: lng });
  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto('/domains');
  await expect(page.getByRole('heading', { level: 1, name: d('page.title') })).toBeVisible();

  await page.getByRole('button', { name: d('create.open') }).click();
  const dialog = page.getByRole('dialog', { name: d('create.title') });
  // The sandbox vendor refuses any qualification for a noqual- prefix.
  await dialog.getByRole('textbox', { name: d('create.prefix') }).fill(`noqual-${unique()}`);
  await chooseQualification(page, d('create.qualification'), d('create.qualificationName.nonprofit'));
  await dialog.getByRole('checkbox', { name: d('create.agreementAccept', { name: `${customer.admin.firstName} ${customer.admin.lastName}` }) }).check();
  await expectAccessible(page, 'create domain with a qualification');
  await dialog.getByRole('button', { name: d('create.submit') }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: tr(lng, 'errors', 'code.qualification_refused') })).toBeVisible();
  await expectAccessible(page, 'create domain refused');

  const prefix = `npo-${unique()}`;
  await dialog.getByRole('textbox', { name: d('create.prefix') }).fill(prefix);
  await dialog.getByRole('button', { name: d('create.submit') }).click();
  const credentials = page.getByRole('dialog', { name: d('credentials.title') });
  await expect(credentials).toBeVisible();
  await credentials.getByRole('button', { name: d('credentials.stored') }).click();
  const card = page.getByRole('region', { name: `${prefix}.onmicrosoft.com` });
  await expect(card.getByText(d('card.qualified', { qualifications: d('create.qualificationName.nonprofit') }))).toBeVisible();
  await expectAccessible(page, 'domains with a qualified tenant');
});

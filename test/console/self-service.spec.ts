import type { Page } from '@playwright/test';
import { Api, expect, expectAccessible, isMobile, signIn, test, tr, type Lng } from './fixtures';

/**
 * The seed of self-service purchases (docs/product.md#self-service-subscriptions): a customer admin
 * chooses the product its users may buy themselves and finds a colleague by typing a name; a user
 * then buys that product, pays with a card of its own, and finds the order and its invoice under
 * "My orders" and "My invoices", the card under "My payment methods".
 */
const lng: Lng = 'en';
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PRODUCT = 'Microsoft 365 Business Basic';

test.describe.configure({ timeout: 600_000 });

async function openNav(page: Page, key: string) {
  if (isMobile()) await page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') }).click();
  await page.getByRole('navigation', { name: tr(lng, 'common', 'nav.label') }).getByRole('link', { name: tr(lng, 'common', key), exact: true }).click();
  await page.mouse.move(640, 700);
}

test('a customer admin allows a product; a user buys it with its own card and sees the order and the invoice; the users search finds people by name', { tag: '@narrow' }, async ({ page, adminApi, request }) => {
  const customer = await adminApi.createCustomer({ locale: lng, allowSelfServicePurchases: true });
  const admin = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  const tag = unique();
  const sam = { firstName: 'Sam', lastName: `Self ${tag.slice(-4)}`, login: `sam-${tag}@customer.example.com`, role: 'user', password: `Pw-${tag}-long` };
  const zoe = { firstName: 'Zoë', lastName: `Müller ${tag.slice(-4)}`, login: `zoe-${tag}@customer.example.com`, role: 'user', password: `Pw-${tag}-long` };
  await admin.call('POST', `/v1/accounts/${customer.accountId}/users`, { users: [sam, zoe], sendActivationEmail: false });

  // The admin lists the product its users may buy.
  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await openNav(page, 'nav.selfService');
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'account', 'selfService.title') })).toBeVisible();
  await expect(page.getByText(tr(lng, 'account', 'selfService.on'))).toBeVisible();
  await expect(page.getByText(tr(lng, 'account', 'selfService.productsAll'))).toBeVisible();
  await expectAccessible(page, 'self-service-settings');
  const products = page.getByRole('combobox', { name: tr(lng, 'account', 'selfService.products') });
  await products.click();
  await products.fill('Business Basic');
  await page.getByRole('option', { name: PRODUCT, exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: tr(lng, 'common', 'actions.save') }).click();
  await expect(page.getByText(tr(lng, 'account', 'selfService.saved'))).toBeVisible();
  await expect(page.getByText(tr(lng, 'account', 'selfService.productsSome', { count: 1 }))).toBeVisible();
  const settings = await admin.call<{ settings: { selfServiceProducts: string[] } }>('GET', `/v1/accounts/${customer.accountId}`);
  expect(settings.settings.selfServiceProducts).toHaveLength(1);

  // Typing a name finds the person, without its accents, on the server.
  await openNav(page, 'nav.users');
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'users', 'list.title') })).toBeVisible();
  await page.getByRole('searchbox', { name: tr(lng, 'users', 'list.search') }).fill('muller');
  const users = page.getByRole('table', { name: tr(lng, 'users', 'list.tableLabel') });
  await expect(users.getByText(`Zoë Müller ${tag.slice(-4)}`)).toBeVisible();
  await expect(users.getByText(`Sam Self ${tag.slice(-4)}`)).toHaveCount(0);
  await expectAccessible(page, 'users-search');

  // The user buys the listed product, paying with a card of its own.
  const user = await new Api(request).signIn(sam.login, sam.password);
  const catalog = await user.call<{ items: Array<{ name: string; offers: Array<{ id: string; term: string; billingPeriod: string }> }> }>('GET', `/v1/catalog/products?q=${encodeURIComponent('business basic')}`);
  const offer = catalog.items.find((p) => p.name === PRODUCT)!.offers.find((o) => o.term === 'P1Y' && o.billingPeriod === 'monthly')!;
  await user.call('POST', '/v1/cart/items', { offerId: offer.id, quantity: 2 });
  await signIn(page, lng, sam.login, sam.password);
  await openNav(page, 'nav.cart');
  await page.getByRole('link', { name: tr(lng, 'shop', 'cart.checkout') }).click();
  const prefix = `self${unique()}`;
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'shop', 'checkout.title') })).toBeVisible();
  await page.getByRole('textbox', { name: tr(lng, 'shop', 'checkout.domain.prefix') }).fill(prefix);
  await expect(page.getByText(tr(lng, 'shop', 'checkout.domain.available', { domain: `${prefix}.onmicrosoft.com` }))).toBeVisible();
  await page.getByRole('checkbox', { name: tr(lng, 'shop', 'checkout.agreement.accept') }).check();
  await page.getByRole('button', { name: tr(lng, 'shop', 'checkout.next') }).click();

  await expect(page.getByRole('heading', { level: 2, name: tr(lng, 'shop', 'checkout.steps.payment') })).toBeVisible();
  await expect(page.getByText(tr(lng, 'shop', 'checkout.payment.none'))).toBeVisible();
  // A user's card is its own: never offered as the account's default.
  await expect(page.getByRole('checkbox', { name: tr(lng, 'billing', 'card.setDefault') })).toHaveCount(0);
  await expectAccessible(page, 'self-service-payment');
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.number') }).fill('4242 4242 4242 4242');
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.expMonth') }).fill('12');
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.expYear') }).fill(String(new Date().getFullYear() + 3));
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.cvc') }).fill('123');
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.holderName') }).fill('Sam Self');
  await page.getByRole('button', { name: tr(lng, 'billing', 'card.submit') }).click();
  await expect(page.getByRole('radio', { name: /4242/ })).toBeChecked();
  await page.getByRole('button', { name: tr(lng, 'shop', 'checkout.next') }).click();
  await expect(page.getByRole('heading', { level: 2, name: tr(lng, 'shop', 'checkout.steps.review') })).toBeVisible();
  await page.getByRole('button', { name: tr(lng, 'shop', 'checkout.review.buy'), exact: true }).click();
  await expect(page).toHaveURL(/\/orders\/ord_/);
  const number = (await page.getByRole('heading', { level: 1, name: /SO-\d+/ }).textContent())!.match(/SO-\d+/)![0];

  // Its own orders, invoices and card, under "My …".
  await openNav(page, 'nav.myOrders');
  const orders = page.getByRole('table', { name: tr(lng, 'orders', 'list.table') });
  await expect(orders.getByRole('link', { name: number })).toBeVisible();
  await expect(orders.getByRole('row')).toHaveCount(2);
  await expectAccessible(page, 'my-orders');

  await openNav(page, 'nav.myInvoices');
  const invoices = page.getByRole('table', { name: tr(lng, 'billing', 'invoices.tableLabel') });
  await expect(invoices.getByRole('row')).toHaveCount(2);
  await expectAccessible(page, 'my-invoices');
  await invoices.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/billing\/invoices\/inv_/);
  await expectAccessible(page, 'my-invoice');

  await openNav(page, 'nav.myPaymentMethods');
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'billing', 'methods.myTitle') })).toBeVisible();
  const cards = page.getByRole('table', { name: tr(lng, 'billing', 'methods.tableLabel') });
  await expect(cards.getByText('•••• 4242')).toBeVisible();
  await expect(cards.getByRole('button', { name: tr(lng, 'billing', 'methods.makeDefault') })).toHaveCount(0);
  await expectAccessible(page, 'my-payment-methods');

  // The admin's own list of the account's cards does not hold the user's.
  const accountCards = await admin.call<{ items: unknown[] }>('GET', `/v1/accounts/${customer.accountId}/payment-methods`);
  expect(accountCards.items).toEqual([]);
});

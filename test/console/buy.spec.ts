import type { Page, Request } from '@playwright/test';
import { expect, expectAccessible, keepScreenshot, openNav, signIn, test, tr, type Lng } from './fixtures';

/**
 * The seeds' "buy a service": a customer admin searches the marketplace, picks an offer by its
 * words (monthly billing with a one-year commitment), adds licenses to the cart and checks out on a
 * new Microsoft tenant (availability checked, the Customer Agreement accepted), pays with a card
 * added through the gateway's form (its number never reaches /v1), reviews, buys and follows the
 * order until it is completed. A declined card brings the buyer back to the payment step.
 */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

// A long journey with an axe check per screen, on a machine shared with other runs.
test.describe.configure({ timeout: 600_000 });

/** Through the domain step on a new tenant with a fresh name, accepting the Customer Agreement. */
async function newTenantStep(page: Page, lng: Lng, prefix: string) {
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'shop', 'checkout.title') })).toBeVisible();
  await expect(page.getByRole('radio', { name: tr(lng, 'shop', 'checkout.domain.create') })).toBeChecked();
  await page.getByRole('textbox', { name: tr(lng, 'shop', 'checkout.domain.prefix') }).fill(prefix);
  await expect(page.getByText(tr(lng, 'shop', 'checkout.domain.available', { domain: `${prefix}.onmicrosoft.com` }))).toBeVisible();
  // The company and contact come from the account and the signed-in admin.
  await expect(page.getByRole('textbox', { name: tr(lng, 'shop', 'checkout.domain.line1') })).toHaveValue('Calle Mayor 1');
  await page.getByRole('checkbox', { name: tr(lng, 'shop', 'checkout.agreement.accept') }).check();
  await expectAccessible(page, 'checkout-domain');
  await page.getByRole('button', { name: tr(lng, 'shop', 'checkout.next') }).click();
}

async function addCard(page: Page, lng: Lng, number: string, holder: string) {
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.number') }).fill(number);
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.expMonth') }).fill('12');
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.expYear') }).fill(String(new Date().getFullYear() + 3));
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.cvc') }).fill('123');
  await page.getByRole('textbox', { name: tr(lng, 'billing', 'card.holderName') }).fill(holder);
  await page.getByRole('button', { name: tr(lng, 'billing', 'card.submit') }).click();
}

test('a customer admin buys 3 Business Basic licenses on a new tenant with a new card and follows the order to completed (de)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'de' });
  const lng: Lng = 'de';
  const card = '4242 4242 4242 4242';
  const leaks: string[] = [];
  const watch = (req: Request) => {
    const body = req.postData() ?? '';
    if (new URL(req.url()).pathname.startsWith('/v1') && (body.includes(card.replace(/ /g, '')) || body.includes(card) || req.url().includes('4242424242424242'))) leaks.push(`${req.method()} ${req.url()}`);
  };
  page.on('request', watch);

  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await openNav(page, lng, 'nav.marketplace');
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'shop', 'marketplace.title') })).toBeVisible();
  await page.getByRole('searchbox', { name: tr(lng, 'shop', 'marketplace.search') }).fill('Business Basic');
  await expect(page).toHaveURL(/q=Business/);
  const product = page.getByRole('link', { name: 'Microsoft 365 Business Basic' });
  await expect(product).toBeVisible();
  await expect(page.getByRole('link', { name: 'Microsoft 365 Business Premium' })).toHaveCount(0);
  await expectAccessible(page, 'marketplace');

  await product.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Microsoft 365 Business Basic' })).toBeVisible();
  // The three NCE offers, in words.
  for (const kind of ['P1Y_annual', 'P1M_monthly', 'P1Y_monthly']) await expect(page.getByRole('radio', { name: tr(lng, 'shop', `offer.${kind}.title`) })).toBeVisible();
  await expectAccessible(page, 'product');
  await page.getByRole('radio', { name: tr(lng, 'shop', 'offer.P1Y_monthly.title') }).check();
  await page.getByRole('textbox', { name: tr(lng, 'shop', 'product.quantity') }).fill('3');
  await page.getByRole('button', { name: tr(lng, 'shop', 'product.addToCart') }).click();
  await expect(page.getByRole('status').filter({ hasText: tr(lng, 'shop', 'product.added', { quantity: 3, name: 'Microsoft 365 Business Basic' }) })).toBeVisible();
  await page.getByRole('link', { name: tr(lng, 'shop', 'product.goToCart') }).click();

  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'shop', 'cart.title') })).toBeVisible();
  const cart = page.getByRole('table', { name: tr(lng, 'shop', 'cart.table') });
  await expect(cart.getByRole('row')).toHaveCount(2);
  await expect(cart.getByText(tr(lng, 'shop', 'offer.P1Y_monthly.title'))).toBeVisible();
  await expect(cart.getByRole('textbox', { name: tr(lng, 'shop', 'cart.quantityOf', { name: 'Microsoft 365 Business Basic' }) })).toHaveValue('3');
  await expectAccessible(page, 'cart');
  await page.getByRole('link', { name: tr(lng, 'shop', 'cart.checkout') }).click();

  const prefix = `buy${unique()}`;
  await newTenantStep(page, lng, prefix);

  await expect(page.getByRole('heading', { level: 2, name: tr(lng, 'shop', 'checkout.steps.payment') })).toBeVisible();
  await expect(page.getByText(tr(lng, 'shop', 'checkout.payment.none'))).toBeVisible();
  await expectAccessible(page, 'checkout-payment');
  await addCard(page, lng, card, `${customer.admin.firstName} ${customer.admin.lastName}`);
  const saved = page.getByRole('radio', { name: /4242/ });
  await expect(saved).toBeChecked();
  await page.getByRole('button', { name: tr(lng, 'shop', 'checkout.next') }).click();

  await expect(page.getByRole('heading', { level: 2, name: tr(lng, 'shop', 'checkout.steps.review') })).toBeVisible();
  await expect(page.getByText(tr(lng, 'shop', 'checkout.review.newDomain', { domain: `${prefix}.onmicrosoft.com` }))).toBeVisible();
  await expect(page.getByRole('table', { name: tr(lng, 'shop', 'checkout.review.lines') }).getByRole('cell', { name: 'Microsoft 365 Business Basic' })).toBeVisible();
  await expectAccessible(page, 'checkout-review');
  await keepScreenshot(page, 'checkout');
  await page.getByRole('button', { name: tr(lng, 'shop', 'checkout.review.buy'), exact: true }).click();

  await expect(page).toHaveURL(/\/orders\/ord_/);
  await expect(page.getByRole('heading', { level: 1, name: /SO-\d+/ })).toBeVisible();
  await expectAccessible(page, 'order-tracking');
  // The demo stack processes the orders of an account with automatic processing by itself: the page follows it.
  await expect(page.getByText(tr(lng, 'orders', 'tracking.waiting.completed'))).toBeVisible({ timeout: 90_000 });
  const history = page.getByRole('table', { name: tr(lng, 'orders', 'tracking.historyTable') });
  await expect(history.getByText(tr(lng, 'orders', 'status.completed'))).toBeVisible();
  await expect(page.getByText(tr(lng, 'orders', 'tracking.domainNew', { domain: `${prefix}.onmicrosoft.com` }))).toBeVisible();
  await expect(page.getByRole('listitem').getByRole('link', { name: 'Microsoft 365 Business Basic' })).toBeVisible();
  await expectAccessible(page, 'order-tracking');
  await keepScreenshot(page, 'order-tracking');

  expect(leaks, 'requests to /v1 carrying the card number').toEqual([]);
  page.off('request', watch);
});

test('a declined card is refused at the payment step, in Spanish, and nothing is ordered', async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const lng: Lng = 'es';
  const products = await adminApi.call('GET', '/v1/catalog/products?q=business%20basic');
  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await page.goto(`/marketplace/${products.items[0].id}`);
  await page.getByRole('button', { name: tr(lng, 'shop', 'product.addToCart') }).click();
  await page.getByRole('link', { name: tr(lng, 'shop', 'product.goToCart') }).click();
  await page.getByRole('link', { name: tr(lng, 'shop', 'cart.checkout') }).click();
  await newTenantStep(page, lng, `dec${unique()}`);
  await addCard(page, lng, '4000 0000 0000 0002', `${customer.admin.firstName} ${customer.admin.lastName}`);
  await expect(page.getByRole('radio', { name: /0002/ })).toBeChecked();
  await page.getByRole('button', { name: tr(lng, 'shop', 'checkout.next') }).click();
  await page.getByRole('button', { name: tr(lng, 'shop', 'checkout.review.buy'), exact: true }).click();

  // Back at the payment step, with the decline in the buyer's language next to the cards.
  await expect(page.getByRole('heading', { level: 2, name: tr(lng, 'shop', 'checkout.steps.payment') })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: tr(lng, 'errors', 'code.payment_declined') })).toBeVisible();
  await expect(page).toHaveURL(/\/checkout/);
  await expectAccessible(page, 'checkout-declined');
  const orders = await adminApi.call('GET', `/v1/orders?accountId=${customer.accountId}`);
  expect(orders.items).toEqual([]);
});

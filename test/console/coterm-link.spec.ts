import type { Page, Response } from '@playwright/test';
import { Api, createSubscribedCustomer, expect, expectAccessible, isMobile, keepScreenshot, signIn, test, tr, waitOrderDone, type Lng } from './fixtures';

/**
 * Co-terming, linking a tenant inline and the card of a raise (issue 19; docs/product.md
 * "Co-terming", #microsoft-domains): the checkout's domain step offers "together with" a
 * subscription of the domain or the month's end, and the review shows the first term priced by
 * days; a tenant is linked by typing its name, with the order; the change-quantity dialog pays a
 * raise with the payment method chosen (the default preselected).
 */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test.describe.configure({ timeout: 300_000 });

interface Money {
  amount: number;
  currency: string;
}
interface Quote {
  id: string;
  lines: Array<{ offerId: string; name: string; quantity: number; unitPrice: Money; total: Money; firstTermEnd?: string }>;
  net: Money;
}

const money = (lng: Lng, m: Money) => new Intl.NumberFormat(lng, { style: 'currency', currency: m.currency }).format(m.amount / 100);
const posted = (path: string) => (r: Response) => r.request().method() === 'POST' && new URL(r.url()).pathname === path;

/** A screen as it stands: axe, never wider than the screen, a screenshot when asked. */
async function check(page: Page, screen: string): Promise<void> {
  await expectAccessible(page, screen);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow, `${screen}: the page is ${overflow} px wider than the screen`).toBeLessThanOrEqual(0);
  await keepScreenshot(page, screen);
}

/** A card of the account, from the sandbox gateway; answers its id. */
async function addCard(api: Api, accountId: string, number: string, holderName: string): Promise<string> {
  const token = await api.call('POST', '/_local/payment-gateway/tokens', { number, expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: '123' });
  return (await api.call('POST', `/v1/accounts/${accountId}/payment-methods`, { type: 'card', token: token.token, holderName })).id;
}

/** A customer with an active Business Basic subscription on a monthly term (it ends in about a month), bought through a staff order. */
async function monthlySubscriber(adminApi: Api, lng: Lng, quantity: number) {
  const customer = await adminApi.createCustomer({ locale: lng });
  const product = (await adminApi.call('GET', '/v1/catalog/products?q=business%20basic')).items[0];
  const offer = product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1M' && o.billingPeriod === 'monthly');
  const contact = { firstName: customer.admin.firstName, lastName: customer.admin.lastName, email: customer.admin.login };
  const placed = await adminApi.call(
    'POST',
    `/v1/accounts/${customer.accountId}/orders`,
    {
      lines: [{ offerId: offer.id, quantity }],
      domain: { mode: 'create', prefix: `ct${unique()}`, company: { name: customer.name, address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' }, contact } },
      customerAgreement: { ...contact, acceptedAt: new Date().toISOString() },
      autoProcess: true,
    },
    { 'idempotency-key': `spec-${unique()}` },
  );
  const done = await waitOrderDone(adminApi, placed.id);
  expect(done.status).toBe('completed');
  return { customer, subscriptionId: done.subscriptionIds[0]!, product: product.name as string };
}

async function teamsOffer(api: Api): Promise<{ id: string; name: string }> {
  const product = (await api.call('GET', '/v1/catalog/products?q=teams%20essentials')).items[0];
  return { id: product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'annual').id, name: product.name };
}

test('checkout co-termed with a subscription of the domain: the review shows the first term priced by days, and the order costs that', { tag: '@narrow' }, async ({ page, adminApi, request }) => {
  const lng: Lng = isMobile() ? 'es' : 'de';
  const s = (key: string, vars?: Record<string, string | number>) => tr(lng, 'shop', key, vars);
  const { customer, subscriptionId, product } = await monthlySubscriber(adminApi, lng, 5);
  const customerApi = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  await addCard(customerApi, customer.accountId, '4242424242424242', `${customer.admin.firstName} ${customer.admin.lastName}`);
  const teams = await teamsOffer(customerApi);
  await customerApi.call('POST', '/v1/cart/items', { offerId: teams.id, quantity: 3 });
  const sub = await customerApi.call('GET', `/v1/subscriptions/${subscriptionId}`);

  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await page.goto('/checkout');
  await expect(page.getByRole('heading', { level: 1, name: s('checkout.title') })).toBeVisible();
  // The account's domain is chosen; "together with" its subscription.
  // By keyboard, as at any width the list opens: a full term, the month's end, then the subscription.
  const coTerm = page.getByRole('combobox', { name: s('checkout.coterm.legend') });
  await expect(coTerm).toHaveValue(s('checkout.coterm.none'));
  const together = s('checkout.coterm.with', { name: product, quantity: '5' });
  // One option further down each time (the list opens on the one chosen), until it is chosen.
  for (let i = 0; i < 4 && (await coTerm.inputValue()) !== together; i++) {
    await coTerm.focus();
    await page.keyboard.press('ArrowDown');
    await expect(coTerm).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(coTerm).toHaveAttribute('aria-expanded', 'false');
  }
  await expect(coTerm).toHaveValue(together);
  await check(page, 'checkout-coterm');
  await page.getByRole('button', { name: s('checkout.next') }).click();
  await expect(page.getByRole('heading', { level: 2, name: s('checkout.steps.payment') })).toBeVisible();
  const quoted = page.waitForResponse(posted('/v1/cart/quote'));
  await page.getByRole('button', { name: s('checkout.next') }).click();
  const quote = (await (await quoted).json()) as Quote;
  expect(quote.lines[0]).toMatchObject({ offerId: teams.id, firstTermEnd: sub.currentTermEnd });
  // A first term of about a month: less than the year's price.
  expect(quote.lines[0]!.total.amount).toBeLessThan(quote.lines[0]!.unitPrice.amount * 3);

  await expect(page.getByRole('heading', { level: 2, name: s('checkout.steps.review') })).toBeVisible();
  const date = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${sub.currentTermEnd}T00:00:00Z`));
  const row = page.getByRole('table', { name: s('checkout.review.lines') }).getByRole('row').filter({ hasText: teams.name });
  await expect(row).toContainText(s('quote.firstTerm', { date }).split(date)[0]!.trim());
  await expect(row).toContainText(money(lng, quote.lines[0]!.total));
  await check(page, 'checkout-coterm-review');

  const placed = page.waitForResponse(posted('/v1/cart/checkout'));
  await page.getByRole('button', { name: s('checkout.review.buy'), exact: true }).click();
  expect((await placed).status()).toBe(201);
  await expect(page).toHaveURL(/\/orders\/ord_/);
  const orders = (await customerApi.call('GET', `/v1/orders?accountId=${customer.accountId}&type=sales`)).items as Array<{ total: Money; lines: Array<{ firstTermEnd?: string }> }>;
  expect(orders[0]).toMatchObject({ total: quote.net, lines: [{ firstTermEnd: sub.currentTermEnd }] });
});

test('checkout links an existing tenant by typing its name: the order waits for the partner acceptance', { tag: '@narrow' }, async ({ page, adminApi, request }) => {
  const lng: Lng = isMobile() ? 'de' : 'en';
  const s = (key: string, vars?: Record<string, string | number>) => tr(lng, 'shop', key, vars);
  const customer = await adminApi.createCustomer({ locale: lng });
  const customerApi = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  await addCard(customerApi, customer.accountId, '4242424242424242', `${customer.admin.firstName} ${customer.admin.lastName}`);
  const teams = await teamsOffer(customerApi);
  await customerApi.call('POST', '/v1/cart/items', { offerId: teams.id, quantity: 2 });
  const name = `ext-${unique()}.onmicrosoft.com`;

  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await page.goto('/checkout');
  await page.getByRole('radio', { name: s('checkout.domain.link') }).check();
  const field = page.getByRole('textbox', { name: s('checkout.domain.linkDomain') });
  await field.fill('not a domain');
  await page.getByRole('checkbox', { name: s('checkout.agreement.accept') }).check();
  await page.getByRole('button', { name: s('checkout.next') }).click();
  await expect(page.getByText(s('checkout.domain.linkInvalid'))).toBeVisible();
  await field.fill(name);
  await check(page, 'checkout-link');
  await page.getByRole('button', { name: s('checkout.next') }).click();
  await expect(page.getByRole('heading', { level: 2, name: s('checkout.steps.payment') })).toBeVisible();
  await page.getByRole('button', { name: s('checkout.next') }).click();
  await expect(page.getByRole('heading', { level: 2, name: s('checkout.steps.review') })).toBeVisible();
  await expect(page.getByText(name)).toBeVisible();

  const placed = page.waitForResponse(posted('/v1/cart/checkout'));
  await page.getByRole('button', { name: s('checkout.review.buy'), exact: true }).click();
  const order = await (await placed).json();
  expect(order.domain).toMatchObject({ domain: name, mode: 'link' });
  const domains = (await customerApi.call('GET', `/v1/accounts/${customer.accountId}/domains`)).items;
  expect(domains).toEqual([expect.objectContaining({ domain: name, status: 'pending_partner_acceptance' })]);
  const waiting = await customerApi.call('POST', `/_local/orders/${order.id}/wait`);
  expect(waiting).toMatchObject({ status: 'provisioning', waitingAt: 'partner' });
});

test('the change-quantity dialog pays a raise with the card chosen, the default preselected', { tag: '@narrow' }, async ({ page, adminApi, request }) => {
  const lng: Lng = isMobile() ? 'es' : 'en';
  const ns = 'subscriptions';
  const { customer, subscriptionId } = await createSubscribedCustomer(adminApi, { locale: lng, quantity: 3 });
  const customerApi = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  const holder = `${customer.admin.firstName} ${customer.admin.lastName}`;
  await addCard(customerApi, customer.accountId, '4242424242424242', holder);
  const chosen = await addCard(customerApi, customer.accountId, '5555555555554444', holder);

  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await page.goto(`/subscriptions/${subscriptionId}`);
  await page.getByRole('button', { name: tr(lng, ns, 'change.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr(lng, ns, 'change.title') });
  await dialog.getByRole('textbox', { name: tr(lng, ns, 'change.quantity') }).fill('5');
  const payWith = dialog.getByRole('combobox', { name: tr(lng, ns, 'change.payment') });
  await expect(payWith).toHaveValue(/4242/);
  await payWith.click();
  await page.getByRole('option', { name: /4444/ }).click();
  await check(page, 'change-quantity-payment');
  const placed = page.waitForResponse(posted(`/v1/subscriptions/${subscriptionId}/quantity`));
  await dialog.getByRole('button', { name: tr(lng, ns, 'change.submit') }).click();
  const order = await (await placed).json();
  expect(order.type).toBe('change');
  const invoice = await customerApi.call('GET', `/v1/invoices/${order.invoiceId}`);
  expect(invoice).toMatchObject({ status: 'paid', paymentMethodId: chosen });
  await waitOrderDone(customerApi, order.id);
});

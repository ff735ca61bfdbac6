import type { Page } from '@playwright/test';
import { expect, expectAccessible, isMobile, keepScreenshot, signIn, test, tr, type Lng } from './fixtures';

/**
 * Seed 004 (a reseller running many customers and their Microsoft domains, in Spanish): the
 * reseller's admin creates two customers in the console, orders for the first on a new tenant
 * (processed at once), and for the second on its existing tenant, which had another provider: the
 * order waits until the customer's admin, from the invitation email, accepts the new partner; then
 * it goes on by itself to "Completado". The vendor sandbox answers ext-*.onmicrosoft.com as a
 * tenant of another provider.
 */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const lng: Lng = 'es';
const c = (key: string, vars?: Record<string, string | number>) => tr(lng, 'customers', key, vars);
const o = (key: string, vars?: Record<string, string | number>) => tr(lng, 'orders', key, vars);
const s = (key: string, vars?: Record<string, string | number>) => tr(lng, 'shop', key, vars);

test.describe.configure({ timeout: 600_000 });

async function openCustomers(page: Page) {
  if (isMobile()) await page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') }).click();
  await page.getByRole('navigation', { name: tr(lng, 'common', 'nav.label') }).getByRole('link', { name: tr(lng, 'common', 'nav.customers'), exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: c('list.customersTitle') })).toBeVisible();
  await page.mouse.move(10, 700);
}

/** Clientes → Nuevo cliente: the account and its first admin, who can sign in at once (password set now). */
async function createCustomer(page: Page, name: string, admin: { firstName: string; lastName: string; login: string; password: string }) {
  await openCustomers(page);
  await page.getByRole('button', { name: c('list.newCustomer') }).click();
  const dialog = page.getByRole('dialog', { name: c('create.customerTitle') });
  const box = (key: string) => dialog.getByRole('textbox', { name: c(key), exact: true });
  await box('form.name').fill(name);
  await box('form.line1').fill('Av. Insurgentes Sur 1602');
  await box('form.postalCode').fill('03940');
  await box('form.city').fill('Ciudad de México');
  await box('form.country').fill('MX');
  await box('create.firstName').fill(admin.firstName);
  await box('create.lastName').fill(admin.lastName);
  await box('create.login').fill(admin.login);
  await dialog.getByRole('checkbox', { name: c('create.sendActivation') }).uncheck();
  await dialog.getByLabel(c('create.password')).fill(admin.password);
  await dialog.getByRole('button', { name: c('create.submitCustomer') }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Agregar pedido nuevo, step 1: Business Basic, one year billed monthly, `quantity` licenses. */
async function orderLines(page: Page, quantity: number) {
  await page.getByRole('link', { name: c('account.newOrder') }).click();
  await expect(page.getByRole('heading', { level: 1, name: o('place.title') })).toBeVisible();
  const plan = page.getByRole('combobox', { name: o('place.lines.product') });
  await plan.fill('Business Basic');
  await page.getByRole('option', { name: 'Microsoft 365 Business Basic' }).click();
  await page.getByRole('radio', { name: o('offer.P1Y_monthly') }).check();
  await page.getByRole('textbox', { name: o('place.lines.quantity') }).fill(String(quantity));
  await page.getByRole('button', { name: o('place.next') }).click();
  await expect(page.getByRole('heading', { level: 2, name: o('place.steps.domain') })).toBeVisible();
}

/** Step 3: processed without the staff gates, confirmed; answers the order's number from its page. */
async function confirmAutomatic(page: Page): Promise<string> {
  await page.getByRole('button', { name: o('place.next') }).click();
  await expect(page.getByRole('heading', { level: 2, name: o('place.steps.review') })).toBeVisible();
  const auto = page.getByRole('switch', { name: o('place.review.autoProcess') });
  await expect(auto).not.toBeChecked();
  await auto.check();
  await expect(page.getByText(o('place.review.autoProcessOn'))).toBeVisible();
  await page.getByRole('button', { name: o('place.confirm') }).click();
  const heading = page.getByRole('heading', { level: 1, name: new RegExp(o('tracking.heading', { number: 'SO-\\d+' })) });
  await expect(heading).toBeVisible();
  return (await heading.textContent())!.match(/SO-\d+/)![0];
}

test('seed 004: a reseller creates two customers, orders on a new and on a linked tenant; the partner acceptance releases the order (es)', { tag: '@narrow' }, async ({ page, adminApi, api, browser }) => {
  const reseller = await adminApi.createReseller({ locale: lng });
  const id = unique();
  await signIn(page, lng, reseller.admin.login, reseller.admin.password);

  // The first customer has no Microsoft tenant: one is created with its order, which is processed at once.
  const first = { name: `Papelería Norte ${id}`, admin: { firstName: 'Rosa', lastName: 'Méndez', login: `rosa-${id}@customer.example.com`, password: `Cliente-${id}-Uno` } };
  await createCustomer(page, first.name, first.admin);
  await expectAccessible(page, 'customer page (reseller)');
  await orderLines(page, 3);
  const prefix = `s4-${id}`;
  await page.getByRole('textbox', { name: s('checkout.domain.prefix') }).fill(prefix);
  await expect(page.getByText(s('checkout.domain.available', { domain: `${prefix}.onmicrosoft.com` }))).toBeVisible();
  await page.getByRole('checkbox', { name: o('place.domain.agreementAccept') }).check();
  const firstNumber = await confirmAutomatic(page);
  await expect(page.getByText(o('staff.where.completed'))).toBeVisible({ timeout: 90_000 });

  // The second customer already works with Microsoft through another provider: its tenant is linked.
  const second = { name: `Ferretería Sur ${id}`, admin: { firstName: 'Tomás', lastName: 'Aguilar', login: `tomas-${id}@customer.example.com`, password: `Cliente-${id}-Dos` } };
  const tenant = `ext-${id}.onmicrosoft.com`;
  await createCustomer(page, second.name, second.admin);
  const secondId = page.url().split('/').pop()!;
  await orderLines(page, 2);
  await page.getByRole('radio', { name: s('checkout.domain.link') }).check();
  await page.getByRole('textbox', { name: s('checkout.domain.linkDomain') }).fill(tenant);
  // The tenant is linked with the order (no separate step): the form says what happens then.
  await expect(page.getByText(o('place.domain.linkInline'))).toBeVisible();
  await page.getByRole('checkbox', { name: o('place.domain.agreementAccept') }).check();
  await expectAccessible(page, 'place order: linked domain');
  await keepScreenshot(page, 'seed004-linked-domain');
  const secondNumber = await confirmAutomatic(page);

  // The order waits for the customer's acceptance, whatever "process automatically" asked.
  await expect(page.getByText(o('staff.partnerTitle'))).toBeVisible({ timeout: 60_000 });
  await expectAccessible(page, 'order waiting for the partner');
  await keepScreenshot(page, 'seed004-order-partner');
  const orderUrl = page.url();

  // The reseller's queue: both orders, the second waiting at the partner gate.
  await page.goto(`/orders?accountId=${secondId}`);
  const queue = page.getByRole('table', { name: o('queue.table') });
  await expect(queue.getByRole('row').filter({ hasText: secondNumber })).toContainText(o('queue.gate.partner'));
  await page.goto('/orders');
  await expect(queue.getByRole('row').filter({ hasText: firstNumber })).toContainText(o('status.completed'));

  // The customer's admin has the invitation; its link opens the page where they accept.
  const invitation = (await api.emailsTo(second.admin.login)).find((e) => /\/domains\/dom_[0-9A-Za-z]+\/accept/.test(e.text));
  expect(invitation, 'the partner invitation email').toBeDefined();
  const acceptPath = invitation!.text.match(/\/domains\/dom_[0-9A-Za-z]+\/accept/)![0];
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: page.viewportSize(), isMobile: isMobile(), hasTouch: isMobile(), reducedMotion: 'reduce' });
  const customerPage = await other.newPage();
  const errors: string[] = [];
  customerPage.on('pageerror', (e) => errors.push(e.message));
  await signIn(customerPage, lng, second.admin.login, second.admin.password);
  await customerPage.goto(acceptPath);
  await expect(customerPage.getByText(tenant).first()).toBeVisible();
  await customerPage.getByRole('button', { name: tr(lng, 'domains', 'pending.accept') }).click();
  // Accepted: back on the customer's domains, the tenant active.
  await expect(customerPage).toHaveURL(/\/domains$/);
  await expect(customerPage.getByRole('region', { name: tenant }).getByText(tr(lng, 'domains', 'status.active'), { exact: true })).toBeVisible();
  await other.close();
  expect(errors).toEqual([]);

  // Accepted: the reseller's order goes on by itself to Completado.
  await page.goto(orderUrl);
  await expect(page.getByText(o('staff.where.completed'))).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText(o('status.completed'), { exact: true }).first()).toBeVisible();
});

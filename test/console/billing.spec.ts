import type { Page } from '@playwright/test';
import { expect, expectAccessible, keepScreenshot, signIn, test, tr, type Api, type Customer, type Lng } from './fixtures';

/**
 * Billing journeys (the self-service guide: invoices by date range, paying one, payment methods):
 * the scene is set through the API (a staff order billed by invoice), the customer admin acts in
 * the console. Card numbers only ever go to the gateway's tokenizer: no /v1 body carries one.
 */
const VISA = '4242 4242 4242 4242';
const MASTERCARD = '5555 5555 5555 4444';
const DECLINED = '4000 0000 0000 0002';
// Each journey makes its customer, order and cards through a shared, busy stack: three times the default time.
test.beforeEach(() => test.slow());
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A staff order for the customer, billed by invoice (no card), run to its end: its invoice is unpaid. */
async function unpaidInvoice(adminApi: Api, customer: Customer): Promise<{ id: string; number: string }> {
  const products = await adminApi.call<{ items: Array<{ offers: Array<{ id: string; term: string; billingPeriod: string }> }> }>('GET', '/v1/catalog/products?q=business%20basic');
  const offer = products.items[0]!.offers.find((o) => o.term === 'P1Y' && o.billingPeriod === 'monthly')!;
  const order = await adminApi.call<{ id: string }>(
    'POST',
    `/v1/accounts/${customer.accountId}/orders`,
    {
      lines: [{ offerId: offer.id, quantity: 3 }],
      domain: {
        mode: 'create',
        prefix: `bill-${unique()}`,
        company: { name: customer.name, address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' }, contact: { firstName: 'Carmen', lastName: 'Ruiz', email: customer.admin.login } },
      },
      customerAgreement: { firstName: 'Carmen', lastName: 'Ruiz', email: customer.admin.login, acceptedAt: new Date().toISOString() },
      autoProcess: true,
    },
    { 'idempotency-key': `k-${unique()}` },
  );
  await adminApi.call('POST', `/_local/orders/${order.id}/wait`);
  const invoices = await adminApi.call<{ items: Array<{ id: string; number: string; status: string }> }>('GET', `/v1/invoices?accountId=${customer.accountId}`);
  const invoice = invoices.items.find((i) => i.status === 'unpaid');
  expect(invoice, JSON.stringify(invoices)).toBeTruthy();
  return invoice!;
}

const PATHS: Record<string, string> = { invoices: '/billing/invoices', paymentMethods: '/billing/payment-methods' };

/**
 * Opens an area's screen. By address rather than through the shared navigation: on the busy shared
 * machine its links were often still settling (not "stable") past the action timeout.
 */
async function openNav(page: Page, _lng: Lng, key: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto(PATHS[key]!);
}

/** Fails the test if any request to /v1 carries a card number (with or without spaces). */
function watchCardNumbers(page: Page, numbers: string[]): string[] {
  const leaks: string[] = [];
  const digits = numbers.map((n) => n.replace(/\s/g, ''));
  page.on('request', (r) => {
    if (!new URL(r.url()).pathname.startsWith('/v1')) return;
    const body = (r.postData() ?? '').replace(/[\s-]/g, '');
    if (digits.some((d) => body.includes(d) || r.url().replace(/%20|[\s-]/g, '').includes(d))) leaks.push(`${r.method()} ${r.url()}`);
  });
  return leaks;
}

/** Fills the add-card form in the open dialog and saves it. */
async function addCard(page: Page, lng: Lng, number: string, holder: string, makeDefault = false): Promise<void> {
  const dialog = page.getByRole('dialog', { name: tr(lng, 'billing', 'card.title') });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: tr(lng, 'billing', 'card.number') }).fill(number);
  await dialog.getByRole('textbox', { name: tr(lng, 'billing', 'card.expMonth') }).fill('12');
  await dialog.getByRole('textbox', { name: tr(lng, 'billing', 'card.expYear') }).fill(String(new Date().getFullYear() + 3));
  await dialog.getByRole('textbox', { name: tr(lng, 'billing', 'card.cvc') }).fill('123');
  await dialog.getByRole('textbox', { name: tr(lng, 'billing', 'card.holderName') }).fill(holder);
  if (makeDefault) await dialog.getByRole('checkbox', { name: tr(lng, 'billing', 'card.setDefault') }).check();
  await expectAccessible(page, 'add card dialog');
  await dialog.getByRole('button', { name: tr(lng, 'billing', 'card.submit') }).click();
  await expect(dialog).toBeHidden();
}

/** Opens the unpaid invoice from the list (filtered by status, in the default last-3-months range). */
async function openInvoice(page: Page, lng: Lng, number: string): Promise<void> {
  await openNav(page, lng, 'invoices');
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'billing', 'invoices.title') })).toBeVisible();
  await expect(page.getByRole('button', { name: tr(lng, 'billing', 'invoices.range') })).toBeVisible();
  await page.getByRole('combobox', { name: tr(lng, 'billing', 'invoices.status') }).click();
  await page.getByRole('option', { name: tr(lng, 'billing', 'status.unpaid') }).click();
  const table = page.getByRole('table', { name: tr(lng, 'billing', 'invoices.tableLabel') });
  const row = table.getByRole('row').filter({ hasText: number });
  await expect(row.getByText(tr(lng, 'billing', 'status.unpaid'))).toBeVisible();
  await expectAccessible(page, 'invoices');
  await keepScreenshot(page, 'invoices');
  await row.getByRole('link', { name: number }).click();
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'billing', 'invoice.title', { number }) })).toBeVisible();
}

test('pay an invoice: the customer admin finds the unpaid invoice, adds a card and pays it (Spanish)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const invoice = await unpaidInvoice(adminApi, customer);
  const leaks = watchCardNumbers(page, [VISA]);
  await signIn(page, 'es', customer.admin.login, customer.admin.password);
  await openInvoice(page, 'es', invoice.number);
  const status = page.getByText(tr('es', 'billing', 'status.unpaid'), { exact: true });
  await expect(status).toBeVisible();
  await expect(page.getByText(tr('es', 'billing', 'pay.noCards'))).toBeVisible();
  await expectAccessible(page, 'invoice');
  await keepScreenshot(page, 'invoice');

  await page.getByRole('button', { name: tr('es', 'billing', 'pay.addCard') }).click();
  await addCard(page, 'es', VISA, 'Carmen Ruiz');
  await expect(page.getByRole('radio', { name: /4242/ })).toBeChecked();
  await page.getByRole('button', { name: new RegExp(`^${tr('es', 'billing', 'pay.submit', { amount: '' }).trim()}`) }).click();
  await expect(page.getByText(tr('es', 'billing', 'status.paid'), { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: new RegExp(`^${tr('es', 'billing', 'pay.submit', { amount: '' }).trim()}`) })).toBeHidden();
  await expectAccessible(page, 'invoice paid');
  await keepScreenshot(page, 'invoice-paid');
  expect(leaks, 'requests to /v1 carrying the card number').toEqual([]);
});

test('a declined card leaves the invoice unpaid, with the message next to the button (Spanish)', async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'es' });
  const invoice = await unpaidInvoice(adminApi, customer);
  const leaks = watchCardNumbers(page, [DECLINED]);
  await signIn(page, 'es', customer.admin.login, customer.admin.password);
  await openInvoice(page, 'es', invoice.number);
  await page.getByRole('button', { name: tr('es', 'billing', 'pay.addCard') }).click();
  await addCard(page, 'es', DECLINED, 'Carmen Ruiz');
  await page.getByRole('button', { name: new RegExp(`^${tr('es', 'billing', 'pay.submit', { amount: '' }).trim()}`) }).click();
  await expect(page.getByRole('alert')).toHaveText(tr('es', 'errors', 'code.payment_declined'));
  await expect(page.getByText(tr('es', 'billing', 'status.unpaid'), { exact: true })).toBeVisible();
  await expectAccessible(page, 'invoice declined');
  const after = await adminApi.call<{ status: string }>('GET', `/v1/invoices/${invoice.id}`);
  expect(after.status).toBe('unpaid');
  expect(leaks, 'requests to /v1 carrying the card number').toEqual([]);
});

test('payment methods: add two cards, make the second the default, remove the first (German)', async ({ page, adminApi }) => {
  const customer = await adminApi.createCustomer({ locale: 'de' });
  const leaks = watchCardNumbers(page, [VISA, MASTERCARD]);
  await signIn(page, 'de', customer.admin.login, customer.admin.password);
  await openNav(page, 'de', 'paymentMethods');
  await expect(page.getByRole('heading', { level: 1, name: tr('de', 'billing', 'methods.title') })).toBeVisible();
  await expect(page.getByText(tr('de', 'billing', 'methods.empty'))).toBeVisible();
  await expectAccessible(page, 'payment methods');

  const table = page.getByRole('table', { name: tr('de', 'billing', 'methods.tableLabel') });
  await page.getByRole('button', { name: tr('de', 'billing', 'methods.add') }).click();
  await addCard(page, 'de', VISA, 'Frida Fabrikam');
  const visa = table.getByRole('row').filter({ hasText: '4242' });
  await expect(visa.getByText(tr('de', 'billing', 'methods.defaultBadge'), { exact: true })).toBeVisible();

  await page.getByRole('button', { name: tr('de', 'billing', 'methods.add') }).click();
  await addCard(page, 'de', MASTERCARD, 'Frida Fabrikam');
  const mastercard = table.getByRole('row').filter({ hasText: '4444' });
  await expect(mastercard).toContainText('Mastercard');
  await expect(mastercard.getByText(tr('de', 'billing', 'methods.defaultBadge'), { exact: true })).toBeHidden();

  await mastercard.getByRole('button', { name: tr('de', 'billing', 'methods.makeDefault') }).click();
  await expect(mastercard.getByText(tr('de', 'billing', 'methods.defaultBadge'), { exact: true })).toBeVisible();
  await expect(visa.getByText(tr('de', 'billing', 'methods.defaultBadge'), { exact: true })).toBeHidden();

  await visa.getByRole('button', { name: tr('de', 'billing', 'methods.remove') }).click();
  const confirm = page.getByRole('dialog', { name: tr('de', 'billing', 'methods.removeTitle') });
  await expect(confirm).toBeVisible();
  await expectAccessible(page, 'remove payment method dialog');
  await confirm.getByRole('button', { name: tr('de', 'billing', 'methods.remove') }).click();
  await expect(visa).toHaveCount(0);
  await expect(table.getByRole('row').filter({ hasText: '4444' })).toHaveCount(1);
  await expectAccessible(page, 'payment methods after');
  await keepScreenshot(page, 'payment-methods');
  expect(leaks, 'requests to /v1 carrying a card number').toEqual([]);
});

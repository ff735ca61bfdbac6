import { readFileSync } from 'node:fs';
import type { APIRequestContext, Download, Page } from '@playwright/test';
import { Api, expect as baseExpect, expectAccessible, isMobile, keepScreenshot, signIn, test, tr, waitOrderDone, type Customer, type Lng } from './fixtures';

/**
 * Invoices as documents and margins (issue 18): a reseller (tax profile in Germany) sells to its
 * customer (tax profile in Spain, with a VAT ID: reverse charge) through its own price list over
 * the distributor's, and takes two licenses back. The reseller's admin goes from the credit note
 * to the invoice it corrects and reads it with its legal fields, totals and the amount still due,
 * downloads its PDF (the API's, with the session's token) from the invoice and from the list,
 * exports the CSV of today's lines (and sees an export refused as too large in words), and sees
 * the margins of the order's lines; the customer's own admin sees the order without them. The
 * scene is set through the API; German at desktop width, Spanish at 360 px.
 */
test.slow();
test.use({ navigationTimeout: 90_000, actionTimeout: 45_000 });
const expect = baseExpect.configure({ timeout: 60_000 });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const today = () => new Date().toISOString().slice(0, 10);
const money = (lng: Lng, m: { amount: number; currency: string }) => new Intl.NumberFormat(lng, { style: 'currency', currency: m.currency }).format(m.amount / 100);
const percent = (lng: Lng, bps: number) => new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10_000);
/** A day as the calendar names its button (dayjs's "D MMMM YYYY" in the page's language). */
const dayLabel = (lng: Lng, d: Date) => `${d.getDate()} ${new Intl.DateTimeFormat(lng, { month: 'long' }).format(d)} ${d.getFullYear()}`;

type Money = { amount: number; currency: string };

interface Scene {
  reseller: Customer;
  customer: Customer;
  resellerLegalName: string;
  customerLegalName: string;
  order: { id: string; number: string; invoiceId: string };
  creditNote: { id: string; number: string };
  invoice: { id: string; number: string; net: Money; total: Money; amountDue: Money; taxes: Array<{ rateBps: number; net: Money; tax: Money }> };
}

/**
 * What the journey reads, set through the API: Business Basic's costs and the distributor's list
 * for resellers in EUR (shared by every test of the day: a 409 means another made them first),
 * a reseller with its tax profile and its list for customers (+20 %), its customer with a Spanish
 * VAT ID, a staff order of the reseller for that customer, processed automatically, and two of its
 * three licenses given back (a credit note correcting the order's invoice).
 */
async function scene(adminApi: Api, request: APIRequestContext, lng: Lng): Promise<Scene> {
  const product = (await adminApi.call('GET', '/v1/catalog/products?q=business%20basic')).items.find((p: { name: string }) => p.name === 'Microsoft 365 Business Basic');
  for (const offer of product.offers as Array<{ id: string; price: { amount: number } }>) {
    await adminApi.call('POST', `/v1/catalog/offers/${offer.id}/costs`, { currency: 'EUR', amount: Math.round(offer.price.amount * 0.8), effectiveFrom: today() }, {}, [201, 409]);
  }
  const me = await adminApi.call('GET', '/v1/me');
  const lists = await adminApi.call('GET', `/v1/accounts/${me.accountId}/price-lists`);
  if (!lists.items.some((l: { audience: string; currency: string }) => l.audience === 'resellers' && l.currency === 'EUR')) {
    await adminApi.call('POST', `/v1/accounts/${me.accountId}/price-lists`, { audience: 'resellers', currency: 'EUR', markupBps: 1000 }, {}, [201, 409]);
  }

  const reseller = await adminApi.createReseller({ locale: lng });
  const resellerApi = await new Api(request).signIn(reseller.admin.login, reseller.admin.password);
  await resellerApi.call('POST', `/v1/accounts/${reseller.accountId}/price-lists`, { audience: 'customers', currency: 'EUR', markupBps: 2000 });
  const resellerLegalName = `${reseller.name} GmbH`;
  await resellerApi.call('PUT', `/v1/accounts/${reseller.accountId}/tax-profile`, {
    legalName: resellerLegalName,
    country: 'DE',
    vatId: 'DE123456789',
    address: { line1: 'Friedrichstraße 10', city: 'Berlin', postalCode: '10117', country: 'DE' },
  });
  const customer = await resellerApi.createCustomer({ locale: lng });
  const customerLegalName = `${customer.name} S.L.`;
  await resellerApi.call('PUT', `/v1/accounts/${customer.accountId}/tax-profile`, {
    legalName: customerLegalName,
    country: 'ES',
    vatId: 'ESB12345678',
    address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' },
  });

  const offer = product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly');
  const id = unique();
  const contact = { firstName: customer.admin.firstName, lastName: customer.admin.lastName, email: customer.admin.login };
  const placed = await resellerApi.call(
    'POST',
    `/v1/accounts/${customer.accountId}/orders`,
    {
      lines: [{ offerId: offer.id, quantity: 3 }],
      domain: { mode: 'create', prefix: `inv${id}`, company: { name: customer.name, address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' }, contact } },
      customerAgreement: { ...contact, acceptedAt: new Date().toISOString() },
      autoProcess: true,
    },
    { 'idempotency-key': `inv-${id}` },
  );
  expect((await waitOrderDone(resellerApi, placed.id)).status).toBe('completed');
  const order = await resellerApi.call('GET', `/v1/orders/${placed.id}`);
  expect(order.invoiceId, JSON.stringify(order)).toBeTruthy();
  // Two of the three licenses given back inside the cancellation window: a credit note corrects the unpaid invoice and lowers what is due on it.
  const lowered = await resellerApi.call('POST', `/v1/subscriptions/${order.lines[0].subscriptionId}/quantity`, { quantity: 1 }, { 'idempotency-key': `inv-lower-${id}` });
  expect((await waitOrderDone(resellerApi, lowered.id)).status).toBe('completed');
  const invoices = await resellerApi.call('GET', `/v1/invoices?accountId=${customer.accountId}`);
  const creditNote = invoices.items.find((i: { kind: string; correctsInvoiceId: string | null }) => i.kind === 'credit_note' && i.correctsInvoiceId === order.invoiceId);
  expect(creditNote, JSON.stringify(invoices)).toBeTruthy();
  const invoice = await resellerApi.call('GET', `/v1/invoices/${order.invoiceId}`);
  expect(invoice.taxTreatment).toBe('reverse_charge');
  expect(invoice.amountDue.amount).toBeLessThan(invoice.total.amount);
  return { reseller, customer, resellerLegalName, customerLegalName, order, invoice, creditNote };
}

/** A screen as it stands: axe, never wider than the screen (a wide table scrolls in its own box), a screenshot when asked. */
async function check(page: Page, screen: string): Promise<void> {
  await expectAccessible(page, screen);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow, `${screen}: the page is ${overflow} px wider than the screen`).toBeLessThanOrEqual(0);
  await keepScreenshot(page, screen);
}

/** The saved file's bytes. */
async function saved(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path);
}

test('a reseller follows a credit note to its invoice (legal fields, totals, amount due, reverse charge), downloads its PDF, exports the CSV and sees the margins its customer never sees', { tag: '@narrow' }, async ({ page, adminApi, request }) => {
  const lng: Lng = isMobile() ? 'es' : 'de';
  const b = (key: string, vars?: Record<string, string | number>) => tr(lng, 'billing', key, vars);
  const { reseller, customer, resellerLegalName, customerLegalName, order, invoice, creditNote } = await scene(adminApi, request, lng);

  // The credit note, as the seller's admin reads it, leads to the invoice it corrects.
  await signIn(page, lng, reseller.admin.login, reseller.admin.password);
  await page.goto(`/billing/invoices/${creditNote.id}`);
  await expect(page.getByRole('heading', { level: 1, name: b('invoice.titleCreditNote', { number: creditNote.number }) })).toBeVisible();
  await expect(page.getByText(b('invoice.corrects'), { exact: true })).toBeVisible();
  await page.getByRole('link', { name: invoice.number, exact: true }).click();

  // The invoice: parties, lines, net, VAT per rate, gross, what is still due, the reverse-charge mention.
  await expect(page.getByRole('heading', { level: 1, name: b('invoice.title', { number: invoice.number }) })).toBeVisible();
  const seller = page.getByRole('region', { name: b('invoice.seller') });
  await expect(seller).toContainText(resellerLegalName);
  await expect(seller).toContainText(b('invoice.vatId', { vatId: 'DE123456789' }));
  await expect(seller).toContainText('10117 Berlin');
  const buyer = page.getByRole('region', { name: b('invoice.buyer') });
  await expect(buyer).toContainText(customerLegalName);
  await expect(buyer).toContainText(b('invoice.vatId', { vatId: 'ESB12345678' }));
  await expect(page.getByText(b('invoice.reverseCharge'))).toBeVisible();
  const lines = page.getByRole('table', { name: b('invoice.linesLabel') });
  await expect(lines).toContainText('Microsoft 365 Business Basic');
  await expect(lines).toContainText(percent(lng, 0));
  const totals = page.getByLabel(b('invoice.totalsLabel'));
  await expect(totals).toContainText(`${b('invoice.netTotal')}${money(lng, invoice.net)}`);
  await expect(totals).toContainText(`${b('invoice.total')}${money(lng, invoice.total)}`);
  await expect(totals).toContainText(`${b('invoice.amountDue')}${money(lng, invoice.amountDue)}`);
  const tax = invoice.taxes[0]!;
  await expect(totals).toContainText(`${b('invoice.taxLine', { rate: percent(lng, tax.rateBps), net: money(lng, tax.net) })}${money(lng, tax.tax)}`);
  // The reseller is the seller: the lines' margins, apart from the document.
  const margins = page.getByRole('region', { name: b('figures.title') });
  await expect(margins.getByRole('table', { name: b('figures.table') })).toContainText(b('figures.margin'));
  await check(page, 'invoice-document');

  // The PDF through the API client: saved as <number>.pdf, a PDF indeed.
  const fromInvoice = page.waitForEvent('download');
  await page.getByRole('button', { name: b('invoice.downloadPdf') }).click();
  const pdf = await fromInvoice;
  expect(pdf.suggestedFilename()).toBe(`${invoice.number}.pdf`);
  expect((await saved(pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Every invoice of the reseller's customers, each naming its customer: the PDF from its row, and the CSV of today's lines.
  await page.goto('/billing/invoices');
  const list = page.getByRole('table', { name: b('invoices.tableLabel') });
  await expect(list.getByRole('columnheader', { name: b('invoices.customer') })).toBeVisible();
  const row = list.getByRole('row').filter({ hasText: invoice.number });
  await expect(row).toContainText(customer.name);
  await check(page, 'invoices-staff');
  const fromRow = page.waitForEvent('download');
  await row.getByRole('button', { name: b('invoices.pdfOf', { number: invoice.number }) }).click();
  expect((await fromRow).suggestedFilename()).toBe(`${invoice.number}.pdf`);

  await page.getByRole('button', { name: b('export.open') }).click();
  const dialog = page.getByRole('dialog', { name: b('export.title') });
  await expect(dialog.getByText(b('export.intro.all'))).toBeVisible();
  await dialog.getByRole('button', { name: b('export.range') }).click();
  // The calendar opens on last month (the default range): today is in the next one.
  await page.getByRole('button', { name: tr(lng, 'common', 'calendar.nextMonth') }).click();
  const now = new Date();
  await page.getByRole('button', { name: dayLabel(lng, now), exact: true }).click();
  await page.getByRole('button', { name: dayLabel(lng, now), exact: true }).click();
  await expect(dialog.getByRole('button', { name: b('export.range') })).toContainText(String(now.getFullYear()));
  await check(page, 'invoices-export');

  // An export the API refuses as too large (the route answered here as the API would) is said in words next to the button.
  await page.route('**/v1/billing/exports?**', (route) => route.fulfill({ status: 422, json: { error: { code: 'export_too_large', message: 'Refused: export too large.' } } }), { times: 1 });
  await dialog.getByRole('button', { name: b('export.download') }).click();
  await expect(dialog.getByRole('alert')).toContainText(tr(lng, 'errors', 'code.export_too_large'));

  const csvDownload = page.waitForEvent('download');
  await dialog.getByRole('button', { name: b('export.download') }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toBe(`invoice-lines_${today()}_${today()}.csv`);
  const text = (await saved(csv)).toString('utf8');
  expect(text).toContain(invoice.number);
  expect(text).toContain('Margin');
  await expect(dialog.getByRole('status')).toContainText(csv.suggestedFilename());
  await dialog.getByRole('button', { name: tr(lng, 'common', 'actions.close') }).click();

  // The order: cost, sell price and margin per line and their sums, for the seller.
  await page.goto(`/orders/${order.id}`);
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'orders', 'tracking.heading', { number: order.number }) })).toBeVisible();
  const orderMargins = page.getByRole('table', { name: b('figures.table') });
  await expect(orderMargins).toContainText(b('figures.margin'));
  await expect(orderMargins).toContainText(b('figures.costReseller'));
  await expect(orderMargins).toContainText(b('figures.total'));
  await check(page, 'order-margins');

  // The customer's own admin: the same order and invoice, never a margin.
  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await page.goto(`/orders/${order.id}`);
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'orders', 'tracking.heading', { number: order.number }) })).toBeVisible();
  await expect(page.getByRole('table', { name: tr(lng, 'orders', 'tracking.linesTable') })).toContainText('Microsoft 365 Business Basic');
  await expect(page.getByRole('table', { name: b('figures.table') })).toHaveCount(0);
  await expect(page.getByText(b('figures.margin'))).toHaveCount(0);
  await page.getByRole('link', { name: tr(lng, 'orders', 'tracking.invoice') }).click();
  await expect(page.getByRole('heading', { level: 1, name: b('invoice.title', { number: invoice.number }) })).toBeVisible();
  await expect(page.getByRole('region', { name: b('invoice.buyer') })).toContainText(customerLegalName);
  await expect(page.getByRole('region', { name: b('figures.title') })).toHaveCount(0);
  await check(page, 'invoice-customer');
});

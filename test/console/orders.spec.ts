import { ADMIN, expect, expectAccessible, keepScreenshot, openNav, signIn, test, tr, type Api, type Lng } from './fixtures';

/**
 * The seeds' "orders": a customer admin finds the order placed for the account in the orders list,
 * filters by status, and opens it: its lines, domain, the subscription it made and its status
 * history from new to completed.
 */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test.describe.configure({ timeout: 600_000 });

test('the orders list shows a completed order, and its page shows the status history (es)', async ({ page, adminApi }) => {
  const lng: Lng = 'es';
  const customer = await adminApi.createCustomer({ locale: lng });
  const products = await adminApi.call('GET', '/v1/catalog/products?q=business%20basic');
  const product = products.items[0];
  const offer = product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'annual');
  const id = unique();
  const prefix = `ord${id}`;
  const placed = await adminApi.call(
    'POST',
    `/v1/accounts/${customer.accountId}/orders`,
    {
      lines: [{ offerId: offer.id, quantity: 4 }],
      domain: {
        mode: 'create',
        prefix,
        company: { name: customer.name, address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' }, contact: { firstName: 'Carmen', lastName: 'Ruiz', email: customer.admin.login } },
      },
      customerAgreement: { firstName: 'Carmen', lastName: 'Ruiz', email: customer.admin.login, acceptedAt: new Date().toISOString() },
      autoProcess: true,
    },
    { 'idempotency-key': `spec-${id}` },
  );
  let order = await adminApi.call('POST', `/_local/orders/${placed.id}/wait`);
  for (let i = 0; i < 10 && !['completed', 'failed', 'cancelled'].includes(order.status); i++) order = await adminApi.call('POST', `/_local/orders/${placed.id}/wait`);
  expect(order.status).toBe('completed');

  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await openNav(page, lng, 'nav.orders');
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'orders', 'list.title') })).toBeVisible();
  const table = page.getByRole('table', { name: tr(lng, 'orders', 'list.table') });
  const row = table.getByRole('row').filter({ hasText: placed.number });
  await expect(row).toBeVisible();
  await expect(row.getByText(tr(lng, 'orders', 'type.sales'))).toBeVisible();
  await expect(row.getByText(tr(lng, 'orders', 'status.completed'))).toBeVisible();
  await expectAccessible(page, 'orders');

  // Filtered to orders still open, it is not there; back to completed, it is.
  await page.getByRole('combobox', { name: tr(lng, 'orders', 'list.statusFilter') }).click();
  await page.getByRole('option', { name: tr(lng, 'orders', 'status.open') }).click();
  await expect(page.getByText(tr(lng, 'orders', 'list.empty'))).toBeVisible();
  await page.getByRole('combobox', { name: tr(lng, 'orders', 'list.statusFilter') }).click();
  await page.getByRole('option', { name: tr(lng, 'orders', 'status.completed') }).click();
  await expect(page).toHaveURL(/status=completed/);
  await row.getByRole('link', { name: placed.number }).click();

  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'orders', 'tracking.heading', { number: placed.number }) })).toBeVisible();
  await expect(page.getByText(tr(lng, 'orders', 'tracking.waiting.completed'))).toBeVisible();
  await expect(page.getByRole('table', { name: tr(lng, 'orders', 'tracking.linesTable') }).getByRole('cell', { name: tr(lng, 'orders', 'offer.P1Y_annual') })).toBeVisible();
  const history = page.getByRole('table', { name: tr(lng, 'orders', 'tracking.historyTable') });
  for (const status of ['new', 'open', 'provisioning', 'completed']) await expect(history.getByText(tr(lng, 'orders', `status.${status}`), { exact: true })).toBeVisible();
  await expect(page.getByText(tr(lng, 'orders', 'tracking.domainNew', { domain: `${prefix}.onmicrosoft.com` }))).toBeVisible();
  await expect(page.getByRole('listitem').getByRole('link', { name: product.name })).toBeVisible();
  await expectAccessible(page, 'order');
});

/** A staff order for a new customer placed through the API: a fresh tenant, the agreement, processed by hand unless `autoProcess`. */
async function placeStaffOrder(adminApi: Api, prefix: string, autoProcess: boolean, orderProcessing: 'manual' | 'automatic' = 'manual') {
  const customer = await adminApi.createCustomer({ locale: 'es', orderProcessing });
  const product = (await adminApi.call('GET', '/v1/catalog/products?q=business%20basic')).items[0];
  const offer = product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly');
  const contact = { firstName: 'Carmen', lastName: 'Ruiz', email: customer.admin.login };
  const placed = await adminApi.call(
    'POST',
    `/v1/accounts/${customer.accountId}/orders`,
    {
      lines: [{ offerId: offer.id, quantity: 2 }],
      domain: { mode: 'create', prefix, company: { name: customer.name, address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' }, contact } },
      customerAgreement: { ...contact, acceptedAt: new Date().toISOString() },
      autoProcess,
    },
    { 'idempotency-key': `spec-${unique()}` },
  );
  return { customer, placed };
}

test('staff: a failed order shows its reason first; a new order of a manual customer is cancelled after a confirmation (es)', async ({ page, adminApi }) => {
  const lng: Lng = 'es';
  const failed = await placeStaffOrder(adminApi, `fail-${unique()}`, true);
  let order = await adminApi.call('POST', `/_local/orders/${failed.placed.id}/wait`);
  for (let i = 0; i < 10 && !['completed', 'failed', 'cancelled'].includes(order.status); i++) order = await adminApi.call('POST', `/_local/orders/${failed.placed.id}/wait`);
  expect(order.status).toBe('failed');
  const { failureReason } = await adminApi.call('GET', `/v1/orders/${failed.placed.id}`);
  expect(failureReason).toBeTruthy();
  const manual = await placeStaffOrder(adminApi, `cx-${unique()}`, false);
  await adminApi.call('POST', `/_local/orders/${manual.placed.id}/wait`);

  await signIn(page, lng, ADMIN.login, ADMIN.password);
  // The queue filtered to failed orders, for one customer (?accountId=).
  await page.goto(`/orders?status=failed&accountId=${failed.customer.accountId}`);
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'orders', 'queue.title') })).toBeVisible();
  await expect(page.getByText(tr(lng, 'orders', 'queue.oneCustomer', { name: failed.customer.name }))).toBeVisible();
  const row = page.getByRole('table', { name: tr(lng, 'orders', 'queue.table') }).getByRole('row').filter({ hasText: failed.placed.number });
  await expect(row).toContainText(tr(lng, 'orders', 'status.failed'));
  await expect(row).toContainText(failed.customer.name);
  await row.getByRole('link', { name: failed.placed.number }).click();
  const alert = page.getByRole('alert').filter({ hasText: tr(lng, 'orders', 'staff.failedTitle') });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(failureReason);
  await expect(page.getByRole('button', { name: tr(lng, 'orders', 'staff.cancel') })).toHaveCount(0);
  await expectAccessible(page, 'failed order');
  await keepScreenshot(page, 'order-staff-failed');

  // The manual customer's new order: open or cancel; cancelled after the confirmation, it offers nothing more.
  await page.goto(`/orders/${manual.placed.id}`);
  await expect(page.getByRole('button', { name: tr(lng, 'orders', 'staff.open') })).toBeVisible();
  await page.getByRole('button', { name: tr(lng, 'orders', 'staff.cancel') }).click();
  const dialog = page.getByRole('dialog', { name: tr(lng, 'orders', 'staff.cancelTitle', { number: manual.placed.number }) });
  await expectAccessible(page, 'cancel order dialog');
  await dialog.getByRole('button', { name: tr(lng, 'orders', 'staff.cancelConfirm') }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(tr(lng, 'orders', 'staff.where.cancelled'))).toBeVisible();
  await expect(page.getByRole('button', { name: tr(lng, 'orders', 'staff.open') })).toHaveCount(0);
  const history = page.getByRole('table', { name: tr(lng, 'orders', 'tracking.historyTable') });
  await expect(history.getByRole('row').filter({ hasText: tr(lng, 'orders', 'status.cancelled') })).toContainText('Dana Distributor');
});

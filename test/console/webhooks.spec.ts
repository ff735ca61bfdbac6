import { Api, type Customer, expect, expectAccessible, FIRST_PAINT, isMobile, keepScreenshot, openNav, signIn, test, tr, type Lng } from './fixtures';

/**
 * Webhooks (docs/console.md#webhooks): a customer admin registers the local sink as an endpoint
 * for `order.status_changed`, keeps the signing secret shown once; its provider places an order for
 * it, and the admin finds the delivery in the endpoint's log, redelivers it (the sink receives the
 * same event again) and deletes the endpoint after a confirmation. A disabled endpoint says so and
 * is enabled again.
 */
test.describe.configure({ timeout: 300_000 });
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface SinkRequest {
  headers: Record<string, string>;
  body: string;
}

/** The distributor places an order for the customer, left at its first gate: one `order.status_changed` (placed, new). */
async function placeOrder(staff: Api, customer: Customer): Promise<{ id: string; number: string }> {
  const id = unique();
  const product = (await staff.call('GET', '/v1/catalog/products?q=business%20basic')).items[0];
  const offer = product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly');
  const address = { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' };
  const contact = { firstName: customer.admin.firstName, lastName: customer.admin.lastName, email: customer.admin.login };
  return staff.call(
    'POST',
    `/v1/accounts/${customer.accountId}/orders`,
    {
      lines: [{ offerId: offer.id, quantity: 5 }],
      domain: { mode: 'create', prefix: `hook${id}`, company: { name: customer.name, address, contact } },
      customerAgreement: { ...contact, acceptedAt: new Date().toISOString() },
      autoProcess: false,
    },
    { 'idempotency-key': `spec-${id}` },
  );
}

test('a customer admin adds an endpoint, sees an order.status_changed delivery in its log, redelivers it and deletes the endpoint', { tag: '@narrow' }, async ({ page, adminApi, request, baseURL }) => {
  const lng: Lng = 'en';
  const customer = await adminApi.createCustomer({ locale: lng });
  const admin = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  const sink = `${baseURL}/_local/webhooks/sink`;
  const tag = unique();

  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await openNav(page, lng, 'nav.webhooks');
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'integrations', 'webhooks.title') })).toBeVisible(FIRST_PAINT);
  await expect(page.getByText(tr(lng, 'integrations', 'webhooks.empty'))).toBeVisible();
  await expectAccessible(page, 'webhooks-empty');

  // The dialog: a URL, the event types with what each means, a description; a bad URL is refused before sending.
  await page.getByRole('button', { name: tr(lng, 'integrations', 'webhooks.create.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr(lng, 'integrations', 'webhooks.create.title'), exact: true });
  await expect(dialog).toBeVisible();
  const url = dialog.getByRole('textbox', { name: tr(lng, 'integrations', 'webhooks.create.url') });
  await url.fill('erp.example.com');
  await dialog.getByRole('button', { name: tr(lng, 'integrations', 'webhooks.create.submit') }).click();
  await expect(dialog.getByText(tr(lng, 'integrations', 'webhooks.create.urlInvalid'))).toBeVisible();
  await expect(dialog.getByText(tr(lng, 'integrations', 'webhooks.create.eventTypesRequired'))).toBeVisible();
  await url.fill(sink);
  await dialog.getByRole('textbox', { name: tr(lng, 'integrations', 'webhooks.create.description') }).fill(`ERP ${tag}`);
  await expect(dialog.getByText(tr(lng, 'integrations', 'event.order_status_changed'))).toBeVisible();
  await dialog.getByRole('checkbox', { name: /^order\.status_changed/ }).check();
  await expectAccessible(page, 'webhook-create');
  await keepScreenshot(page, 'webhook-create');
  await dialog.getByRole('button', { name: tr(lng, 'integrations', 'webhooks.create.submit') }).click();

  // The signing secret, this once.
  const secretDialog = page.getByRole('dialog', { name: tr(lng, 'integrations', 'secret.title.webhook'), exact: true });
  await expect(secretDialog.getByText(tr(lng, 'integrations', 'secret.onceWebhook'))).toBeVisible();
  const secret = await secretDialog.getByRole('textbox', { name: tr(lng, 'integrations', 'secret.signingSecret') }).inputValue();
  expect(secret).toMatch(/^whsec_/);
  await expectAccessible(page, 'webhook-secret');
  await keepScreenshot(page, 'webhook-secret');
  await secretDialog.getByRole('button', { name: tr(lng, 'integrations', 'secret.stored') }).click();
  await expect(secretDialog).toBeHidden();
  expect(await page.content()).not.toContain(secret);

  const table = page.getByRole('table', { name: tr(lng, 'integrations', 'webhooks.table') });
  const row = table.getByRole('row').filter({ hasText: `ERP ${tag}` });
  await expect(row.getByRole('link', { name: sink })).toBeVisible();
  await expect(row.getByText('order.status_changed')).toBeVisible();
  await expect(row.getByText(tr(lng, 'integrations', 'webhooks.status.active'), { exact: true })).toBeVisible();
  await expectAccessible(page, 'webhooks');
  await keepScreenshot(page, 'webhooks');

  // An order placed for the customer: the event is delivered to the sink and shows in the endpoint's log.
  const order = await placeOrder(adminApi, customer);
  await row.getByRole('link', { name: sink }).click();
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'integrations', 'endpoint.title') })).toBeVisible();
  const deliveries = page.getByRole('table', { name: tr(lng, 'integrations', 'delivery.table') });
  const delivery = deliveries.getByRole('row').filter({ hasText: 'order.status_changed' });
  // The page asks again every few seconds: the delivery appears and is delivered without a reload.
  await expect(delivery.getByText(tr(lng, 'integrations', 'delivery.status.delivered'))).toBeVisible({ timeout: 60_000 });
  await expect(delivery).toHaveCount(1);
  const eventId = (await delivery.getByText(/^ev_/).textContent())!.trim();
  await expect(delivery.getByText(isMobile() ? /response: 2\d\d/ : /^2\d\d$/)).toBeVisible();
  await expectAccessible(page, 'webhook-endpoint');
  await keepScreenshot(page, 'webhook-endpoint');

  const received = async () => {
    const res = await request.get('/_local/webhooks/sink');
    expect(res.status()).toBe(200);
    const { received } = (await res.json()) as { received: SinkRequest[] };
    return received.filter((r) => r.headers['webhook-id'] === eventId);
  };
  const first = await received();
  expect(first.length).toBeGreaterThanOrEqual(1);
  expect(first[0]!.body).toContain(order.id);
  expect(first[0]!.headers['webhook-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

  // Redeliver: the sink receives the same event (same Webhook-Id) once more.
  await delivery.getByRole('button', { name: tr(lng, 'integrations', 'delivery.redeliverFor', { event: eventId }) }).click();
  await expect(page.getByText(tr(lng, 'integrations', 'delivery.redelivered', { event: eventId }))).toBeVisible();
  await expect(async () => expect((await received()).length).toBeGreaterThan(first.length)).toPass({ timeout: 60_000 });

  // Delete, after a confirmation: back on the list, which is empty again.
  await page.getByRole('button', { name: tr(lng, 'integrations', 'endpoint.delete.open') }).click();
  const confirm = page.getByRole('dialog', { name: tr(lng, 'integrations', 'endpoint.delete.title'), exact: true });
  await expect(confirm.getByText(tr(lng, 'integrations', 'endpoint.delete.body'))).toBeVisible();
  await expectAccessible(page, 'webhook-delete');
  await confirm.getByRole('button', { name: tr(lng, 'integrations', 'endpoint.delete.confirm') }).click();
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'integrations', 'webhooks.title') })).toBeVisible();
  await expect(page.getByText(tr(lng, 'integrations', 'webhooks.empty'))).toBeVisible();
  const left = await admin.call<{ items: unknown[] }>('GET', `/v1/accounts/${customer.accountId}/webhooks`);
  expect(left.items).toEqual([]);
});

test('a disabled endpoint says so on the list and its page, and is enabled again; an eleventh endpoint is refused in the dialog (German)', async ({ page, adminApi, request, baseURL }) => {
  const lng: Lng = 'de';
  const customer = await adminApi.createCustomer({ locale: lng });
  const admin = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  const created = await admin.call<{ id: string; url: string }>('POST', `/v1/accounts/${customer.accountId}/webhooks`, {
    url: `${baseURL}/_local/webhooks/sink/erp`,
    eventTypes: ['invoice.issued', 'invoice.paid'],
    description: 'Buchhaltung',
  });
  await admin.call('PATCH', `/v1/webhooks/${created.id}`, { status: 'disabled' });

  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await page.goto('/webhooks');
  const row = page.getByRole('table', { name: tr(lng, 'integrations', 'webhooks.table') }).getByRole('row').filter({ hasText: 'Buchhaltung' });
  await expect(row.getByText(tr(lng, 'integrations', 'webhooks.status.disabled'), { exact: true })).toBeVisible(FIRST_PAINT);
  await expect(row.getByText(tr(lng, 'integrations', 'webhooks.disabledReason.byHand'))).toBeVisible();
  await expectAccessible(page, 'webhooks-disabled');

  await row.getByRole('link', { name: created.url }).click();
  await expect(page.getByText(tr(lng, 'integrations', 'endpoint.disabledTitle'))).toBeVisible();
  await expect(page.getByText(tr(lng, 'integrations', 'delivery.empty'))).toBeVisible();
  await expectAccessible(page, 'webhook-endpoint-disabled');
  await keepScreenshot(page, 'webhook-endpoint-disabled');
  await page.getByRole('button', { name: tr(lng, 'integrations', 'endpoint.enable') }).click();
  await expect(page.getByText(tr(lng, 'integrations', 'endpoint.enabled'))).toBeVisible();
  await expect(page.getByText(tr(lng, 'integrations', 'endpoint.disabledTitle'))).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 }).locator('..').getByText(tr(lng, 'integrations', 'webhooks.status.active'), { exact: true })).toBeVisible();
  const after = await admin.call<{ status: string; disabledReason: string | null }>('GET', `/v1/webhooks/${created.id}`);
  expect(after).toMatchObject({ status: 'active', disabledReason: null });

  // Ten endpoints is the most an account keeps: the eleventh is refused, in the user's words, and nothing is added.
  for (let i = 2; i <= 10; i++) await admin.call('POST', `/v1/accounts/${customer.accountId}/webhooks`, { url: `${baseURL}/_local/webhooks/sink/${i}`, eventTypes: ['user.created'] });
  await page.getByRole('link', { name: tr(lng, 'integrations', 'endpoint.back') }).click();
  await expect(page.getByRole('table', { name: tr(lng, 'integrations', 'webhooks.table') }).getByRole('row')).toHaveCount(11);
  await page.getByRole('button', { name: tr(lng, 'integrations', 'webhooks.create.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr(lng, 'integrations', 'webhooks.create.title'), exact: true });
  await dialog.getByRole('textbox', { name: tr(lng, 'integrations', 'webhooks.create.url') }).fill(`${baseURL}/_local/webhooks/sink/11`);
  await dialog.getByRole('checkbox', { name: /^user\.created/ }).check();
  await dialog.getByRole('button', { name: tr(lng, 'integrations', 'webhooks.create.submit') }).click();
  await expect(dialog.getByRole('alert')).toHaveText(tr(lng, 'errors', 'code.too_many_webhooks'));
  await expectAccessible(page, 'webhook-create-refused');
  const list = await admin.call<{ items: unknown[] }>('GET', `/v1/accounts/${customer.accountId}/webhooks`);
  expect(list.items).toHaveLength(10);
});

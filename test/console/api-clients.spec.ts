import type { APIRequestContext, Page } from '@playwright/test';
import { ADMIN, Api, expect, expectAccessible, FIRST_PAINT, isMobile, keepScreenshot, openNav, signIn, test, tr, type Lng } from './fixtures';

/**
 * API clients (docs/console.md#api-clients): a customer admin creates a client for its ERP with
 * two scopes, copies the secret shown once, the ERP gets a token with it and uses it (the list
 * then shows when), the admin rotates the secret with a 7-day overlap (both secrets work) and
 * revokes the client (neither works). Staff admins reach a customer's clients from its page.
 */
test.describe.configure({ timeout: 300_000 });
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** POST /v1/oauth/token with the client credentials grant; the status and the token (if any). */
async function token(request: APIRequestContext, clientId: string, secret: string): Promise<{ status: number; accessToken?: string }> {
  const res = await request.post('/v1/oauth/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } });
  const body = (await res.json()) as { access_token?: string };
  return { status: res.status(), accessToken: body.access_token };
}

/** The secret dialog's values, then closed by "I have stored it". */
async function readSecret(page: Page, lng: Lng, title: string, screenshot: string): Promise<{ clientId: string; secret: string }> {
  const dialog = page.getByRole('dialog', { name: title, exact: true });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(tr(lng, 'integrations', 'secret.onceTitle'))).toBeVisible();
  await expect(dialog.getByText(tr(lng, 'integrations', 'secret.onceClient'))).toBeVisible();
  const clientId = await dialog.getByRole('textbox', { name: tr(lng, 'integrations', 'secret.clientId') }).inputValue();
  const secret = await dialog.getByRole('textbox', { name: tr(lng, 'integrations', 'secret.clientSecret') }).inputValue();
  await expect(dialog.getByRole('button', { name: tr(lng, 'integrations', 'secret.copySecret') })).toBeVisible();
  await expect(dialog.getByRole('button', { name: tr(lng, 'integrations', 'secret.copyClientId') })).toBeVisible();
  await expectAccessible(page, screenshot);
  await keepScreenshot(page, screenshot);
  await dialog.getByRole('button', { name: tr(lng, 'integrations', 'secret.stored') }).click();
  await expect(dialog).toBeHidden();
  return { clientId, secret };
}

test('a customer admin creates an API client, sees its secret once, rotates it with an overlap and revokes it', { tag: '@narrow' }, async ({ page, adminApi, request }) => {
  const lng: Lng = 'en';
  const customer = await adminApi.createCustomer({ locale: lng });
  const name = `ERP connector ${unique()}`;
  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await openNav(page, lng, 'nav.apiClients');
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'integrations', 'clients.title') })).toBeVisible(FIRST_PAINT);
  await expect(page.getByText(tr(lng, 'integrations', 'clients.empty'))).toBeVisible();
  await expectAccessible(page, 'api-clients-empty');

  // The dialog: a name and the scopes, each with what it opens; none chosen is refused before sending.
  await page.getByRole('button', { name: tr(lng, 'integrations', 'clients.create.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr(lng, 'integrations', 'clients.create.title'), exact: true });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: tr(lng, 'integrations', 'clients.create.name') }).fill(name);
  await dialog.getByRole('button', { name: tr(lng, 'integrations', 'clients.create.submit') }).click();
  await expect(dialog.getByText(tr(lng, 'integrations', 'clients.create.scopesRequired'))).toBeVisible();
  await expect(dialog.getByText(tr(lng, 'integrations', 'scope.orders_read'))).toBeVisible();
  // A customer has no staff work to give a client: orders:operate is not offered.
  await expect(dialog.getByRole('checkbox', { name: /^orders:operate/ })).toHaveCount(0);
  await dialog.getByRole('checkbox', { name: /^orders:read/ }).check();
  await dialog.getByRole('checkbox', { name: /^users:read/ }).check();
  await expectAccessible(page, 'api-client-create');
  await keepScreenshot(page, 'api-client-create');
  await dialog.getByRole('button', { name: tr(lng, 'integrations', 'clients.create.submit') }).click();
  await expect(dialog).toBeHidden();

  const first = await readSecret(page, lng, tr(lng, 'integrations', 'secret.title.client'), 'api-client-secret');
  expect(first.clientId).toMatch(/^cli_/);
  expect(first.secret.length).toBeGreaterThanOrEqual(32);

  // The list: the client, its scopes, active, never used; the secret is nowhere on the screen any more.
  const table = page.getByRole('table', { name: tr(lng, 'integrations', 'clients.table') });
  const row = table.getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByText(first.clientId)).toBeVisible();
  await expect(row.getByText('orders:read')).toBeVisible();
  await expect(row.getByText('users:read')).toBeVisible();
  await expect(row.getByText(tr(lng, 'integrations', 'clients.status.active'), { exact: true })).toBeVisible();
  await expect(row.getByText(isMobile() ? tr(lng, 'integrations', 'clients.lastUsedOn', { date: tr(lng, 'integrations', 'clients.neverUsed') }) : tr(lng, 'integrations', 'clients.neverUsed'), { exact: true })).toBeVisible();
  await expect(page.getByText(first.secret)).toHaveCount(0);
  expect(await page.content()).not.toContain(first.secret);

  // The ERP signs in with the secret and reads the account's users: the list then says when it was used.
  const erp = await token(request, first.clientId, first.secret);
  expect(erp.status).toBe(200);
  const users = await request.get(`/v1/accounts/${customer.accountId}/users`, { headers: { authorization: `Bearer ${erp.accessToken}` } });
  expect(users.status()).toBe(200);
  await expect(async () => {
    await page.reload();
    await expect(row.getByText(first.clientId)).toBeVisible({ timeout: 10_000 });
    await expect(row.getByText(tr(lng, 'integrations', 'clients.neverUsed'), { exact: false })).toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expectAccessible(page, 'api-clients');
  await keepScreenshot(page, 'api-clients');

  // Rotate with a 7-day overlap: a new secret shown once, the previous one still works.
  await row.getByRole('button', { name: tr(lng, 'integrations', 'clients.rotate.openFor', { name }) }).click();
  const rotate = page.getByRole('dialog', { name: tr(lng, 'integrations', 'clients.rotate.title', { name }), exact: true });
  await expect(rotate).toBeVisible();
  await rotate.getByRole('combobox', { name: tr(lng, 'integrations', 'clients.rotate.overlap') }).selectOption({ label: tr(lng, 'integrations', 'clients.rotate.overlapOption.h168') });
  await expectAccessible(page, 'api-client-rotate');
  await rotate.getByRole('button', { name: tr(lng, 'integrations', 'clients.rotate.submit') }).click();
  const rotatedDialog = page.getByRole('dialog', { name: tr(lng, 'integrations', 'secret.title.rotated'), exact: true });
  await expect(rotatedDialog.getByText(/^The previous secret keeps working until /)).toBeVisible();
  const second = await readSecret(page, lng, tr(lng, 'integrations', 'secret.title.rotated'), 'api-client-rotated');
  expect(second.clientId).toBe(first.clientId);
  expect(second.secret).not.toBe(first.secret);
  expect((await token(request, first.clientId, second.secret)).status).toBe(200);
  expect((await token(request, first.clientId, first.secret)).status).toBe(200);
  // Both secrets are listed by their last four characters, the previous one with its end.
  await expect(row.getByText(tr(lng, 'integrations', 'clients.secretCurrent', { last4: second.secret.slice(-4) }))).toBeVisible();
  await expect(row.getByText(new RegExp(`^Secret ending in ${first.secret.slice(-4)}, works until `))).toBeVisible();

  // Revoke, after a confirmation: neither secret works any more.
  await row.getByRole('button', { name: tr(lng, 'integrations', 'clients.revoke.openFor', { name }) }).click();
  const confirm = page.getByRole('dialog', { name: tr(lng, 'integrations', 'clients.revoke.title', { name }), exact: true });
  await expect(confirm.getByText(tr(lng, 'integrations', 'clients.revoke.body'))).toBeVisible();
  await expectAccessible(page, 'api-client-revoke');
  await confirm.getByRole('button', { name: tr(lng, 'integrations', 'clients.revoke.confirm') }).click();
  await expect(page.getByText(tr(lng, 'integrations', 'clients.revoke.done', { name }))).toBeVisible();
  await expect(row.getByText(tr(lng, 'integrations', 'clients.status.revoked'), { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: tr(lng, 'integrations', 'clients.rotate.openFor', { name }) })).toHaveCount(0);
  expect((await token(request, first.clientId, second.secret)).status).toBe(401);
  expect((await token(request, first.clientId, first.secret)).status).toBe(401);
  await expectAccessible(page, 'api-clients-revoked');
});

test('a distributor admin opens a customer\'s API clients from its page and creates one there (Spanish)', async ({ page, adminApi, request }) => {
  const lng: Lng = 'es';
  const customer = await adminApi.createCustomer({ locale: lng });
  const admin = await new Api(request).signIn(customer.admin.login, customer.admin.password);
  const mine = await admin.call<{ id: string; name: string }>('POST', `/v1/accounts/${customer.accountId}/api-clients`, { name: `PSA ${unique()}`, scopes: ['orders:read'] });

  await signIn(page, lng, ADMIN.login, ADMIN.password);
  await page.goto(`/customers/${customer.accountId}`);
  await page.getByRole('navigation', { name: tr(lng, 'customers', 'data.customerTitle') }).getByRole('link', { name: new RegExp(`^${tr(lng, 'customers', 'data.apiClients')}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'integrations', 'clients.title') })).toBeVisible();
  await expect(page.getByRole('note', { name: tr(lng, 'customers', 'scope.label') })).toContainText(customer.name);
  const table = page.getByRole('table', { name: tr(lng, 'integrations', 'clients.table') });
  await expect(table.getByText(mine.name)).toBeVisible();
  await expectAccessible(page, 'api-clients-staff');

  await page.getByRole('button', { name: tr(lng, 'integrations', 'clients.create.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr(lng, 'integrations', 'clients.create.title'), exact: true });
  await dialog.getByRole('textbox', { name: tr(lng, 'integrations', 'clients.create.name') }).fill('Monitorización');
  await dialog.getByRole('button', { name: tr(lng, 'integrations', 'clients.create.readOnly') }).click();
  await expect(dialog.getByRole('checkbox', { name: /^orders:read/ })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: /^orders:write/ })).not.toBeChecked();
  await dialog.getByRole('button', { name: tr(lng, 'integrations', 'clients.create.submit') }).click();
  const shown = await readSecret(page, lng, tr(lng, 'integrations', 'secret.title.client'), 'api-client-secret-staff');
  const list = await admin.call<{ items: Array<{ id: string; accountId: string; scopes: string[] }> }>('GET', `/v1/accounts/${customer.accountId}/api-clients`);
  const created = list.items.find((c) => c.id === shown.clientId);
  expect(created?.accountId).toBe(customer.accountId);
  expect(created?.scopes).toContain('orders:read');
  expect(created?.scopes).not.toContain('orders:write');
  await expect(table.getByText('Monitorización')).toBeVisible();
});

import type { APIRequestContext } from '@playwright/test';
import { createSubscribedCustomer, expect, expectAccessible, signIn, test, tr } from './fixtures';

/**
 * The NCE 7-day rule after the window: 8 days after the purchase (the stack's clock moved), the
 * "Change resource limits" dialog says before the click that lowering now is not possible and
 * offers the renewal instead; choosing it stores the quantity the next term will have.
 */
const DAY = 86_400_000;

test.describe.configure({ timeout: 300_000 });

test.afterEach(async ({ request }) => {
  // Always give the shared stack its real clock back.
  expect((await request.delete('/_local/clock')).ok()).toBe(true);
});

test('after the window, lowering now is refused before the click and the renewal is offered instead (de)', async ({ page, adminApi, request }) => {
  const s = await createSubscribedCustomer(adminApi, { locale: 'de' });
  const ns = 'subscriptions';
  const before = await adminApi.call('GET', `/v1/subscriptions/${s.subscriptionId}`);
  const renewal = new Date(Date.parse(`${before.currentTermEnd}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

  // Every API call of the admin happens before the clock moves (its token would look expired after).
  const moved = await request.put('/_local/clock', { data: { now: new Date(Date.now() + 8 * DAY).toISOString() } });
  expect(moved.ok(), await moved.text()).toBe(true);

  await signIn(page, 'de', s.customer.admin.login, s.customer.admin.password);
  await page.goto(`/subscriptions/${s.subscriptionId}`);
  // The first screen may take a while on a loaded machine.
  await expect(page.getByRole('heading', { level: 1, name: s.product })).toBeVisible({ timeout: 90_000 });
  const dateDe = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(renewal));
  await expect(page.getByText(tr('de', ns, 'windows.none', { date: dateDe, count: 100 }))).toBeVisible();
  await expectAccessible(page, 'subscription after the window');

  await page.getByRole('button', { name: tr('de', ns, 'change.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr('de', ns, 'change.title') });
  await expect(dialog.getByText(tr('de', ns, 'change.ruleLowerNone'))).toBeVisible();
  await dialog.getByRole('textbox', { name: tr('de', ns, 'change.quantity') }).fill('90');
  await expect(dialog.getByText(tr('de', ns, 'change.verdictTooMany', { count: 10, lowerable: 0, date: dateDe }))).toBeVisible();
  await expect(dialog.getByRole('radio', { name: tr('de', ns, 'change.now') })).toBeDisabled();
  await expect(dialog.getByRole('radio', { name: tr('de', ns, 'change.atRenewal', { date: dateDe }) })).toBeChecked();
  await expect(dialog.getByRole('button', { name: tr('de', ns, 'change.submit'), exact: true })).toHaveCount(0);
  await expectAccessible(page, 'change resource limits after the window');

  await dialog.getByRole('button', { name: tr('de', ns, 'change.submitRenewal') }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: tr('de', ns, 'detail.scheduledNote', { date: dateDe, count: 90 }) })).toBeVisible();
  const after = await (await request.get(`/v1/subscriptions/${s.subscriptionId}`, { headers: { authorization: `Bearer ${await tokenOf(request, s.customer.admin.login, s.customer.admin.password)}` } })).json();
  expect(after).toMatchObject({ quantity: 100, scheduledQuantity: 90 });
});

/** A fresh token, issued under the moved clock. */
async function tokenOf(request: APIRequestContext, login: string, password: string): Promise<string> {
  const res = await request.post('/v1/auth/login', { data: { login, password } });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

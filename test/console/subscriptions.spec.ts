import { type Api, createSubscribedCustomer, expect, expectAccessible, FIRST_PAINT, keepScreenshot, type Lng, openNav, signIn, test, tr, waitOrderDone } from './fixtures';

/**
 * The seeds' "raise and lower a subscription", auto-renew, cancellation under the NCE 7-day
 * rule, and assigning licenses: a customer admin works on a subscription of 100 licenses bought
 * through a staff order a moment ago (so every license is inside its cancellation window).
 */
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const subscribed = (api: Api, locale: Lng, quantity = 100) => createSubscribedCustomer(api, { locale, quantity });
const waitOrder = waitOrderDone;

// Long journeys with an axe check per screen, on a machine shared with other runs.
test.describe.configure({ timeout: 300_000 });


test('raises 100 → 105 with a change order to track, then lowers to 102 inside the window (es)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const s = await subscribed(adminApi, 'es');
  const ns = 'subscriptions';
  await signIn(page, 'es', s.customer.admin.login, s.customer.admin.password);

  await openNav(page, 'es', 'nav.subscriptions');
  const table = page.getByRole('table', { name: tr('es', ns, 'list.tableLabel') });
  await expect(table.getByRole('link', { name: s.product })).toBeVisible();
  await expect(table.getByRole('row').nth(1)).toContainText(tr('es', ns, 'status.active'));
  await expectAccessible(page, 'subscriptions');
  await table.getByRole('link', { name: s.product }).click();

  await expect(page.getByRole('heading', { level: 1, name: s.product })).toBeVisible();
  await expect(page.getByText(tr('es', ns, 'windows.summary', { count: 100, total: 100 }))).toBeVisible();
  await expectAccessible(page, 'subscription');
  await keepScreenshot(page, 'subscription-detail');

  // Raise: the dialog states the rule in this subscription's numbers before anything is sent.
  await page.getByRole('button', { name: tr('es', ns, 'change.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr('es', ns, 'change.title') });
  await expect(dialog.getByText(tr('es', ns, 'change.current', { quantity: 100, assigned: 0 }))).toBeVisible();
  await expect(dialog).toContainText('100');
  await expectAccessible(page, 'change resource limits');
  await dialog.getByRole('textbox', { name: tr('es', ns, 'change.quantity') }).fill('105');
  await expect(dialog.getByText(tr('es', ns, 'change.verdictRaise', { count: 5 }))).toBeVisible();
  await dialog.getByRole('button', { name: tr('es', ns, 'change.submit') }).click();
  const track = dialog.getByRole('link', { name: tr('es', ns, 'change.track') });
  await expect(track).toBeVisible();
  const href = await track.getAttribute('href');
  const orderId = href!.split('/').pop()!;
  expect(orderId).toMatch(/^ord_/);
  expect((await waitOrder(adminApi, orderId)).status).toBe('completed');
  await track.click();
  await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
  // The dialog closed on the way: the tracking page is what the admin now sees.
  await expect(page.getByRole('heading', { level: 1, name: /SO-\d+/ })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.goBack();
  await expect(page.getByText(tr('es', ns, 'windows.summary', { count: 105, total: 105 }))).toBeVisible();

  // Lower by 3: inside the windows, so it can happen now (with a credit).
  await page.getByRole('button', { name: tr('es', ns, 'change.open') }).click();
  await dialog.getByRole('textbox', { name: tr('es', ns, 'change.quantity') }).fill('102');
  await expect(dialog.getByRole('radio', { name: tr('es', ns, 'change.now') })).toBeChecked();
  await expect(dialog.getByText(tr('es', ns, 'change.verdictLowerNow', { count: 3 }))).toBeVisible();
  await dialog.getByRole('button', { name: tr('es', ns, 'change.submit') }).click();
  const track2 = dialog.getByRole('link', { name: tr('es', ns, 'change.track') });
  await expect(track2).toBeVisible();
  expect((await waitOrder(adminApi, (await track2.getAttribute('href'))!.split('/').pop()!)).status).toBe('completed');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByText(tr('es', ns, 'windows.summary', { count: 102, total: 102 }))).toBeVisible();
  const sub = await adminApi.call('GET', `/v1/subscriptions/${s.subscriptionId}`);
  expect(sub.quantity).toBe(102);
});

test('turns auto-renew off, then cancels inside the window with a reason (de)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const s = await subscribed(adminApi, 'de');
  const ns = 'subscriptions';
  await signIn(page, 'de', s.customer.admin.login, s.customer.admin.password);
  await openNav(page, 'de', 'nav.subscriptions');
  await page.getByRole('table', { name: tr('de', ns, 'list.tableLabel') }).getByRole('link', { name: s.product }).click();
  await expect(page.getByRole('heading', { level: 1, name: s.product })).toBeVisible();

  const renew = page.getByRole('switch', { name: tr('de', ns, 'autoRenew.label') });
  await expect(renew).toBeChecked();
  await renew.click();
  await expect(page.getByText(tr('de', ns, 'autoRenew.turnedOff'))).toBeVisible();
  await expect(renew).not.toBeChecked();
  await expect(page.getByText(/^Aus: /)).toBeVisible();
  expect((await adminApi.call('GET', `/v1/subscriptions/${s.subscriptionId}`)).autoRenew).toBe(false);

  await page.getByRole('button', { name: tr('de', ns, 'cancel.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr('de', ns, 'cancel.title') });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'cancel subscription');
  await dialog.getByRole('button', { name: tr('de', ns, 'cancel.submit') }).click();
  await expect(dialog.getByText(tr('de', 'errors', 'field.required'))).toBeVisible();
  await dialog.getByRole('combobox', { name: tr('de', ns, 'cancel.reason') }).click();
  await page.getByRole('option', { name: tr('de', ns, 'cancel.reasons.bought_by_mistake') }).click();
  await dialog.getByRole('textbox', { name: tr('de', ns, 'cancel.comment') }).fill('Falscher Tarif');
  await dialog.getByRole('button', { name: tr('de', ns, 'cancel.submit') }).click();
  await expect(dialog.getByRole('link', { name: tr('de', ns, 'change.track') })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The page follows the cancellation order until the subscription is cancelled.
  await expect(page.getByRole('status').filter({ hasText: tr('de', ns, 'cancel.reasons.bought_by_mistake') })).toBeVisible({ timeout: 60_000 });
  const sub = await adminApi.call('GET', `/v1/subscriptions/${s.subscriptionId}`);
  expect(sub).toMatchObject({ status: 'cancelled', cancellation: { reason: 'bought_by_mistake', comment: 'Falscher Tarif' } });
});

test('assigns licenses to two users with type-ahead, unassigns one, and the other sees it among their licenses (es)', { tag: '@narrow' }, async ({ page, adminApi }) => {
  const s = await subscribed(adminApi, 'es', 3);
  const ns = 'subscriptions';
  const id = unique();
  const people = [
    { firstName: 'Ana', lastName: `López ${id}`, login: `ana-${id}@customer.example.com`, role: 'user', locale: 'es', password: `Ana-${id}-Password` },
    { firstName: 'Andrés', lastName: `Gil ${id}`, login: `andres-${id}@customer.example.com`, role: 'user', locale: 'es', password: `Andres-${id}-Password` },
    { firstName: 'Beatriz', lastName: `Sanz ${id}`, login: `beatriz-${id}@customer.example.com`, role: 'user', locale: 'es', password: `Beatriz-${id}-Password` },
  ];
  await adminApi.call('POST', `/v1/accounts/${s.customer.accountId}/users`, { users: people, sendActivationEmail: false });
  const [ana, andres] = people as [(typeof people)[number], (typeof people)[number]];
  const nameOf = (p: (typeof people)[number]) => `${p.firstName} ${p.lastName}`;

  await signIn(page, 'es', s.customer.admin.login, s.customer.admin.password);
  await page.goto(`/subscriptions/${s.subscriptionId}`);
  await expect(page.getByRole('heading', { level: 1, name: s.product })).toBeVisible(FIRST_PAINT);
  await expect(page.getByText(tr('es', ns, 'assignments.empty'))).toBeVisible();

  await page.getByRole('button', { name: tr('es', ns, 'assignments.open') }).click();
  const dialog = page.getByRole('dialog', { name: tr('es', ns, 'assignments.dialogTitle') });
  const picker = dialog.getByRole('combobox', { name: tr('es', ns, 'assignments.users') });
  await expectAccessible(page, 'assign licenses');
  await picker.fill('Ana L');
  await page.getByRole('option', { name: nameOf(ana) }).click();
  await picker.fill('andr');
  await page.getByRole('option', { name: nameOf(andres) }).click();
  await expect(page.getByRole('option', { name: nameOf(ana) })).toBeHidden();
  await picker.press('Tab');
  await expect(page.getByRole('listbox')).toBeHidden();
  await dialog.getByRole('button', { name: tr('es', ns, 'assignments.submit') }).click();
  await expect(dialog).toBeHidden();

  const table = page.getByRole('table', { name: tr('es', ns, 'assignments.tableLabel') });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table).toContainText(nameOf(ana));
  await expect(table).toContainText(nameOf(andres));
  await expect(page.getByText(tr('es', ns, 'assignments.free', { free: 1, quantity: 3 }))).toBeVisible();

  await table.getByRole('button', { name: tr('es', ns, 'assignments.unassignLabel', { name: nameOf(andres) }) }).click();
  const confirm = page.getByRole('dialog', { name: tr('es', ns, 'assignments.unassignTitle') });
  await expectAccessible(page, 'unassign license');
  await confirm.getByRole('button', { name: tr('es', ns, 'assignments.unassign') }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).not.toContainText(nameOf(andres));
  await expect(page.getByText(tr('es', ns, 'assignments.free', { free: 2, quantity: 3 }))).toBeVisible();

  // Ana, a customer user, finds the license among her own.
  await page.getByRole('button', { name: `${s.customer.admin.firstName} ${s.customer.admin.lastName}` }).click();
  await page.getByRole('menuitem', { name: tr('es', 'common', 'actions.signOut') }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, 'es', ana.login, ana.password);
  await openNav(page, 'es', 'nav.myLicenses');
  await expect(page.getByRole('heading', { level: 1, name: tr('es', ns, 'mine.title') })).toBeVisible();
  const mine = page.getByRole('table', { name: tr('es', ns, 'mine.tableLabel') });
  await expect(mine.getByRole('row')).toHaveCount(2);
  await expect(mine).toContainText(s.product);
  await expectAccessible(page, 'my licenses');
});

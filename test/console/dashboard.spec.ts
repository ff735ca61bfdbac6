import type { Page } from '@playwright/test';
import { ADMIN, expect, expectAccessible, keepScreenshot, signIn, test, tr, type Api, type Lng } from './fixtures';

/**
 * The landing screen at `/`: the customer admin's dashboard (a tile per purchased service, its
 * license use, the orders under way and what is owed, all from one request), the empty state of a
 * new customer, the customer user's own licenses, and the staff's way into the order queue.
 */

const company = {
  name: 'Contoso Ibérica',
  address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' },
  contact: { firstName: 'Carmen', lastName: 'Ruiz', email: 'carmen@contoso.example.com' },
};
const agreement = { firstName: 'Carmen', lastName: 'Ruiz', email: 'carmen@contoso.example.com', acceptedAt: '2026-11-01T10:00:00Z' };
const key = () => `dash-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

type Offer = { id: string; term: string; billingPeriod: string };
type Subscription = { id: string; name: string; quantity: number; assignedCount: number; productId: string };

/** The annual-term, monthly-billed offer of the first product a search finds. */
async function offerOf(api: Api, q: string): Promise<{ name: string; offerId: string }> {
  const found = await api.call<{ items: Array<{ name: string; offers: Offer[] }> }>('GET', `/v1/catalog/products?q=${encodeURIComponent(q)}`);
  const product = found.items[0]!;
  return { name: product.name, offerId: product.offers.find((o) => o.term === 'P1Y' && o.billingPeriod === 'monthly')!.id };
}

/**
 * An idempotent POST sent again under the same Idempotency-Key while the stack answers 503
 * `try_again` (a busy machine: the outcome is unknown, and the key makes a retry safe).
 */
async function postIdempotent(api: Api, path: string, body: unknown): Promise<any> {
  const headers = { 'idempotency-key': key() };
  for (let attempt = 1; ; attempt++) {
    const answer = await api.call<{ error?: { code: string } }>('POST', path, body, headers, [200, 201, 202, 503]);
    if (!answer.error) return answer;
    expect(attempt, `${path} still answers ${answer.error.code}`).toBeLessThan(4);
  }
}

/** A staff order for the customer, processed without stopping at the gates; answers the completed order. */
async function orderCompleted(adminApi: Api, accountId: string, lines: Array<{ offerId: string; quantity: number }>) {
  const placed = await postIdempotent(adminApi, `/v1/accounts/${accountId}/orders`, { lines, domain: { mode: 'create', prefix: key(), company }, customerAgreement: agreement, autoProcess: true });
  const done = await adminApi.call('POST', `/_local/orders/${placed.id}/wait`);
  expect(done.status).toBe('completed');
  return done as { id: string; total: { amount: number; currency: string }; subscriptionIds: string[] };
}

/** Every /v1 request the page makes from now on, but the profile and the sign-in calls. */
function countDataRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/v1/') && path !== '/v1/me' && !path.startsWith('/v1/auth/')) seen.push(`${r.method()} ${path}`);
  });
  return seen;
}

const money = (lng: Lng, m: { amount: number; currency: string }) => new Intl.NumberFormat(lng, { style: 'currency', currency: m.currency }).format(m.amount / 100);

test('a customer admin sees a tile per service with its license use, the open orders and the unpaid total, and opens a service (es)', { tag: '@narrow' }, async ({ page, adminApi, api }) => {
  const lng: Lng = 'es';
  // Manual processing: a raise by the customer waits at the staff gate (an order under way).
  const customer = await adminApi.createCustomer({ locale: lng, orderProcessing: 'manual' });
  const basic = await offerOf(adminApi, 'business basic');
  const exchange = await offerOf(adminApi, 'exchange online');
  // One order of two services: two subscriptions, one unpaid invoice (billed by invoice).
  const bought = await orderCompleted(adminApi, customer.accountId, [
    { offerId: basic.offerId, quantity: 5 },
    { offerId: exchange.offerId, quantity: 3 },
  ]);
  const admin = await api.signIn(customer.admin.login, customer.admin.password);
  const subs = (await admin.call<{ items: Subscription[] }>('GET', `/v1/subscriptions?accountId=${customer.accountId}`)).items;
  const basicSub = subs.find((s) => s.quantity === 5)!;
  await admin.call('POST', `/v1/subscriptions/${basicSub.id}/assignments`, { userIds: [customer.admin.id] });
  // A raise paid by the default card: its change order waits at the staff gate, its invoice is paid.
  const token = await admin.call<{ token: string }>('POST', '/_local/payment-gateway/tokens', { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123' });
  await admin.call('POST', `/v1/accounts/${customer.accountId}/payment-methods`, { type: 'card', token: token.token, holderName: 'Carmen Ruiz', setDefault: true });
  const raise = await postIdempotent(admin, `/v1/subscriptions/${basicSub.id}/quantity`, { quantity: 6 });
  expect((await admin.call('POST', `/_local/orders/${raise.id}/wait`)).status).toBe('new');
  const now = (await admin.call<{ items: Subscription[] }>('GET', `/v1/subscriptions?accountId=${customer.accountId}`)).items;

  const requests = countDataRequests(page);
  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'dashboard', 'title') })).toBeVisible();

  // A tile per purchased service, each with its license use in words and as a bar.
  const tiles = page.getByRole('article');
  await expect(tiles).toHaveCount(2);
  for (const s of now) {
    const tile = page.getByRole('article', { name: s.name });
    await expect(tile.getByRole('link', { name: s.name })).toBeVisible();
    const licenses = tr(lng, 'dashboard', 'services.licenses', { assigned: s.assignedCount, total: s.quantity });
    await expect(tile.getByText(licenses)).toBeVisible();
    await expect(tile.getByRole('progressbar', { name: tr(lng, 'dashboard', 'services.licensesLabel') })).toHaveAttribute('aria-valuetext', licenses);
    await expect(tile.getByText(tr(lng, 'dashboard', 'status.active'))).toBeVisible();
  }
  await expect(page.getByRole('article', { name: basic.name }).getByText(tr(lng, 'dashboard', 'services.licenses', { assigned: 1, total: 6 }))).toBeVisible();

  // The raise under way, and the one unpaid invoice with its total.
  const orders = page.getByRole('region', { name: tr(lng, 'dashboard', 'orders.title') });
  await expect(orders.getByText(tr(lng, 'dashboard', 'orders.count_one', { count: 1 }))).toBeVisible();
  await expect(orders.getByRole('link', { name: tr(lng, 'dashboard', 'orders.seeAll') })).toHaveAttribute('href', '/orders');
  const invoices = page.getByRole('region', { name: tr(lng, 'dashboard', 'invoices.title') });
  await expect(invoices.getByText(tr(lng, 'dashboard', 'invoices.totalDue', { amount: money(lng, bought.total) }))).toBeVisible();
  await expect(invoices.getByText(tr(lng, 'dashboard', 'invoices.count_one', { count: 1 }))).toBeVisible();
  await expect(invoices.getByRole('link', { name: tr(lng, 'dashboard', 'invoices.seeAll') })).toHaveAttribute('href', '/billing/invoices');

  // The whole screen's data came in at most two requests (the profile and sign-in aside).
  await page.waitForLoadState('networkidle');
  expect(requests.length, requests.join('\n')).toBeLessThanOrEqual(2);
  await expectAccessible(page, 'dashboard');
  await keepScreenshot(page, 'dashboard');

  // The tile opens its subscription.
  await page.getByRole('article', { name: basic.name }).getByRole('link', { name: basic.name }).click();
  await expect(page).toHaveURL(new RegExp(`/subscriptions/${basicSub.id}$`));
});

test('a new customer admin is told how to buy a first service and finds the Marketplace (de)', async ({ page, adminApi }) => {
  const lng: Lng = 'de';
  const customer = await adminApi.createCustomer({ locale: lng });
  const requests = countDataRequests(page);
  await signIn(page, lng, customer.admin.login, customer.admin.password);
  await expect(page.getByText(tr(lng, 'dashboard', 'services.emptyTitle'))).toBeVisible();
  await expect(page.getByText(tr(lng, 'dashboard', 'services.emptyBody'))).toBeVisible();
  await expect(page.getByText(tr(lng, 'dashboard', 'orders.none'))).toBeVisible();
  await expect(page.getByText(tr(lng, 'dashboard', 'invoices.none'))).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(0);
  await page.waitForLoadState('networkidle');
  expect(requests.length, requests.join('\n')).toBeLessThanOrEqual(2);
  await expectAccessible(page, 'dashboard-empty');
  await keepScreenshot(page, 'dashboard-empty');
  await page.getByRole('link', { name: tr(lng, 'dashboard', 'services.toMarketplace') }).click();
  await expect(page).toHaveURL(/\/marketplace$/);
});

test('a customer user lands on their own licenses and, with self-service allowed, on the way to the Marketplace (es)', async ({ page, adminApi, api }) => {
  const lng: Lng = 'es';
  const customer = await adminApi.createCustomer({ locale: lng, allowSelfServicePurchases: true });
  const basic = await offerOf(adminApi, 'business basic');
  const bought = await orderCompleted(adminApi, customer.accountId, [{ offerId: basic.offerId, quantity: 2 }]);
  const admin = await api.signIn(customer.admin.login, customer.admin.password);
  const user = { firstName: 'Lucía', lastName: 'Gómez', login: `user-${key()}@customer.example.com`, password: `User-${key()}-Pw`, role: 'user', locale: lng };
  const added = await admin.call<{ items: Array<{ id: string }> }>('POST', `/v1/accounts/${customer.accountId}/users`, { users: [user], sendActivationEmail: false });
  await admin.call('POST', `/v1/subscriptions/${bought.subscriptionIds[0]}/assignments`, { userIds: [added.items[0]!.id] });

  const requests = countDataRequests(page);
  await signIn(page, lng, user.login, user.password);
  await expect(page.getByRole('heading', { level: 1, name: tr(lng, 'dashboard', 'user.title', { name: user.firstName }) })).toBeVisible();
  const table = page.getByRole('table', { name: tr(lng, 'dashboard', 'user.tableLabel') });
  await expect(table.getByRole('cell', { name: basic.name })).toBeVisible();
  await expect(table.getByRole('cell', { name: tr(lng, 'dashboard', 'status.active') })).toBeVisible();
  const toMarketplace = page.getByRole('link', { name: tr(lng, 'dashboard', 'user.toMarketplace') });
  await expect(toMarketplace).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(requests.length, requests.join('\n')).toBeLessThanOrEqual(2);
  await expectAccessible(page, 'my-landing');
  await keepScreenshot(page, 'dashboard-user');
  await toMarketplace.click();
  await expect(page).toHaveURL(/\/marketplace$/);
});

test('staff land on the way into the order queue', async ({ page }) => {
  const lng: Lng = 'en';
  const requests = countDataRequests(page);
  await signIn(page, lng, ADMIN.login, ADMIN.password);
  const newOrders = page.getByRole('link', { name: tr(lng, 'dashboard', 'staff.newLink') });
  await expect(newOrders).toHaveAttribute('href', '/orders?status=new');
  await expect(page.getByRole('link', { name: tr(lng, 'dashboard', 'staff.openLink') })).toHaveAttribute('href', '/orders?status=open');
  await expect(page.getByRole('link', { name: tr(lng, 'dashboard', 'staff.allLink') })).toHaveAttribute('href', '/orders');
  await page.waitForLoadState('networkidle');
  expect(requests).toEqual([]);
  await expectAccessible(page, 'staff-landing');
  await newOrders.click();
  await expect(page).toHaveURL(/\/orders\?status=new$/);
});

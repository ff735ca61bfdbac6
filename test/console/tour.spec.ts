import type { Page } from '@playwright/test';
import { ADMIN, createSubscribedCustomer, expect, expectAccessible, keepScreenshot, signIn, test, tr, type Lng } from './fixtures';

/**
 * The customer admin's screens, one after another, at 360 px (tag `@narrowOnly`: the other specs
 * check every screen with axe at desktop width already): the journeys of the other specs run at
 * 360 px only where a seed walks them (tag `@narrow`); this tour makes sure every other screen also
 * reads at 360 px: its heading, axe, and a page that is never wider than the screen (a wide table
 * scrolls in its own box).
 */
test('every screen of a customer admin reads at this width: its heading, axe, nothing wider than the screen (de)', { tag: '@narrowOnly' }, async ({ page, adminApi }) => {
  const lng: Lng = 'de';
  const s = await createSubscribedCustomer(adminApi, { locale: lng, quantity: 5 });
  const orders = await adminApi.call<{ items: Array<{ id: string; number: string }> }>('GET', `/v1/orders?accountId=${s.customer.accountId}`);
  const order = orders.items[0]!;
  await signIn(page, lng, s.customer.admin.login, s.customer.admin.password);

  const screens: Array<[string, string | RegExp]> = [
    ['/', tr(lng, 'dashboard', 'title')],
    ['/users', tr(lng, 'users', 'list.title')],
    ['/marketplace', tr(lng, 'shop', 'marketplace.title')],
    ['/cart', tr(lng, 'shop', 'cart.title')],
    ['/subscriptions', tr(lng, 'subscriptions', 'list.title')],
    [`/subscriptions/${s.subscriptionId}`, s.product],
    ['/domains', tr(lng, 'domains', 'page.title')],
    ['/orders', tr(lng, 'orders', 'list.title')],
    [`/orders/${order.id}`, order.number],
    ['/billing/invoices', tr(lng, 'billing', 'invoices.title')],
    ['/billing/payment-methods', tr(lng, 'billing', 'methods.title')],
    ['/profile', tr(lng, 'account', 'profile.title')],
    ['/support', tr(lng, 'account', 'support.title')],
    ['/api-clients', tr(lng, 'integrations', 'clients.title')],
    ['/webhooks', tr(lng, 'integrations', 'webhooks.title')],
  ];
  await visitAll(page, screens, { '/': 'dashboard' });
});

/**
 * The distributor's staff screens, the same way (es): customers and resellers, a customer's page
 * with each of its data views, placing an order, the order queue and an order, the audit trail,
 * the catalog and a product.
 */
test('every screen of distributor staff reads at this width: its heading, axe, nothing wider than the screen (es)', { tag: '@narrowOnly' }, async ({ page, adminApi }) => {
  const lng: Lng = 'es';
  const s = await createSubscribedCustomer(adminApi, { locale: lng, quantity: 5 });
  const id = s.customer.accountId;
  const orders = await adminApi.call<{ items: Array<{ id: string; number: string }> }>('GET', `/v1/orders?accountId=${id}`);
  const order = orders.items[0]!;
  const product = (await adminApi.call('GET', '/v1/catalog/products?q=business%20basic')).items[0];
  await signIn(page, lng, ADMIN.login, ADMIN.password);

  const screens: Array<[string, string | RegExp]> = [
    ['/', new RegExp(tr(lng, 'dashboard', 'staff.title', { name: '.+' }))],
    ['/customers', tr(lng, 'customers', 'list.customersTitle')],
    ['/resellers', tr(lng, 'customers', 'list.resellersTitle')],
    [`/customers/${id}`, s.customer.name],
    [`/users?accountId=${id}`, tr(lng, 'users', 'list.title')],
    [`/subscriptions?accountId=${id}`, tr(lng, 'subscriptions', 'list.title')],
    [`/domains?accountId=${id}`, tr(lng, 'domains', 'page.title')],
    [`/billing/invoices?accountId=${id}`, tr(lng, 'billing', 'invoices.title')],
    [`/customers/${id}/orders/new`, tr(lng, 'orders', 'place.title')],
    [`/orders?accountId=${id}`, tr(lng, 'orders', 'queue.title')],
    ['/orders', tr(lng, 'orders', 'queue.title')],
    [`/orders/${order.id}`, tr(lng, 'orders', 'tracking.heading', { number: order.number })],
    [`/customers/${id}/audit`, tr(lng, 'audit', 'heading', { name: s.customer.name })],
    [`/api-clients?accountId=${id}`, tr(lng, 'integrations', 'clients.title')],
    [`/webhooks?accountId=${id}`, tr(lng, 'integrations', 'webhooks.title')],
    ['/catalog', tr(lng, 'catalog', 'title')],
    [`/catalog/${product.id}`, product.name],
  ];
  await visitAll(page, screens, { '/customers': 'staff-customers', [`/customers/${id}`]: 'staff-customer' });
});

/** Each screen by its address: its h1, no serious axe finding, and no page wider than the screen. */
async function visitAll(page: Page, screens: Array<[string, string | RegExp]>, shots: Record<string, string>): Promise<void> {
  for (const [path, heading] of screens) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, path);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow, `${path}: the page is ${overflow} px wider than the screen`).toBeLessThanOrEqual(0);
    if (shots[path]) await keepScreenshot(page, shots[path]);
  }
}

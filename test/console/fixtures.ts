import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * What every console spec shares: an API client for setting the scene (as the distributor admin
 * that `npm start` bootstraps), customers made fresh per test, sign-in through the console's own
 * form, the console's catalogs (a spec in Spanish finds "Usuarios" by the same text a person
 * reads), an axe check per screen, and a guard that fails the test on any console error.
 */
const ROOT = resolve(import.meta.dirname, '../..');
export type Lng = 'en' | 'es' | 'de';

const catalogs = new Map<string, Record<string, unknown>>();
/** A text of the console's catalog `ns` in `lng`, by its dotted key; `{{x}}` filled from `vars`. */
export function tr(lng: Lng, ns: string, key: string, vars: Record<string, string | number> = {}): string {
  const id = `${lng}/${ns}`;
  if (!catalogs.has(id)) catalogs.set(id, JSON.parse(readFileSync(resolve(ROOT, `console/src/i18n/locales/${lng}/${ns}.json`), 'utf8')) as Record<string, unknown>);
  let value: unknown = catalogs.get(id);
  for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  if (typeof value !== 'string') throw new Error(`No text ${ns}:${key} in ${lng}`);
  return value.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(vars[name] ?? `{{${name}}}`));
}

export const ADMIN = { login: 'admin@distributor.example.com', password: 'Distributor-Admin-2027' };
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

export interface Customer {
  accountId: string;
  name: string;
  admin: { id: string; login: string; password: string; firstName: string; lastName: string };
}

const tokens = new Map<string, { token: string; until: number }>();

/** The API as a given user: JSON in and out, failing loudly on an unexpected status. */
export class Api {
  private token?: string;
  constructor(readonly request: APIRequestContext) {}

  async signIn(login: string, password: string): Promise<this> {
    // One sign-in per login and worker while its token is young: specs sign in as the distributor
    // admin many times, and the API rightly throttles a flood of sign-ins to one user.
    const cached = tokens.get(login);
    if (cached && cached.until > Date.now()) {
      this.token = cached.token;
      return this;
    }
    const res = await this.request.post('/v1/auth/login', { data: { login, password } });
    expect(res.status(), await res.text()).toBe(200);
    this.token = ((await res.json()) as { accessToken: string }).accessToken;
    tokens.set(login, { token: this.token, until: Date.now() + 10 * 60_000 });
    return this;
  }

  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, expected: number[] = [200, 201, 202, 204]): Promise<T> {
    const res = await this.request.fetch(path, {
      method,
      data: body,
      headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers },
    });
    const text = await res.text();
    expect(expected, `${method} ${path} → ${res.status()} ${text}`).toContain(res.status());
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A new customer account under the distributor, its first admin ready to sign in. */
  async createCustomer(opts: { locale?: Lng; name?: string; orderProcessing?: 'automatic' | 'manual'; allowSelfServicePurchases?: boolean } = {}): Promise<Customer> {
    const id = unique();
    const name = opts.name ?? `Contoso ${id}`;
    const admin = { firstName: 'Carmen', lastName: `Ruiz ${id.slice(-4)}`, login: `admin-${id}@customer.example.com`, password: `Customer-${id}-Pw`, locale: opts.locale ?? 'en' };
    const created = await this.call('POST', '/v1/accounts', {
      type: 'customer',
      name,
      address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' },
      settings: { orderProcessing: opts.orderProcessing ?? 'automatic', allowSelfServicePurchases: opts.allowSelfServicePurchases ?? false, locale: opts.locale ?? 'en' },
      admin,
      sendActivationEmail: false,
    });
    return { accountId: created.account.id, name, admin: { ...admin, id: created.admin.id } };
  }

  /**
   * A new reseller under the distributor with its first admin ready to sign in (`Customer`'s shape:
   * an account and its admin). Sign in as that admin with `signIn` or `new Api(request).signIn`.
   */
  async createReseller(opts: { locale?: Lng; name?: string } = {}): Promise<Customer> {
    const id = unique();
    const name = opts.name ?? `Fabrikam Partners ${id}`;
    const admin = { firstName: 'Diego', lastName: `Soto ${id.slice(-4)}`, login: `admin-${id}@reseller.example.com`, password: `Reseller-${id}-Pw`, locale: opts.locale ?? 'en' };
    const created = await this.call('POST', '/v1/accounts', {
      type: 'reseller',
      name,
      address: { line1: 'Paseo de la Reforma 10', city: 'Ciudad de México', postalCode: '06600', country: 'MX' },
      settings: { locale: opts.locale ?? 'en' },
      admin,
      sendActivationEmail: false,
    });
    return { accountId: created.account.id, name, admin: { ...admin, id: created.admin.id } };
  }

  /** The emails sent so far to an address, oldest first, once the outbox has been sent. */
  async emailsTo(address: string): Promise<Array<{ subject: string; text: string; html: string; to: string[] }>> {
    // ?wait answers 408 when the outbox is not sent within its limit (a busy machine): ask again.
    let res = await this.request.get('/_local/emails?wait=60000');
    for (let i = 0; i < 3 && res.status() === 408; i++) res = await this.request.get('/_local/emails?wait=60000');
    expect(res.status()).toBe(200);
    // The SES emulator's store: { emails: [{ destination: { to }, subject, body: { text, html } }] }.
    const { emails } = (await res.json()) as { emails: Array<{ destination: { to: string[] }; subject: string; body: { text?: string; html?: string } }> };
    return emails
      .map((e) => ({ to: e.destination.to, subject: e.subject, text: e.body.text ?? '', html: e.body.html ?? '' }))
      .filter((e) => e.to.some((t) => t.toLowerCase().includes(address.toLowerCase())));
  }
}

interface Fixtures {
  api: Api;
  adminApi: Api;
  /** Fails the test on an uncaught error or a console error of the page (a 4xx answer's network line aside). */
  consoleErrors: string[];
}

export const test = base.extend<Fixtures>({
  api: async ({ request }, use) => use(new Api(request)),
  adminApi: async ({ request }, use) => use(await new Api(request).signIn(ADMIN.login, ADMIN.password)),
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (m) => {
        // Chromium logs every 4xx answer as a failed load: those are refusals the screen shows as messages.
        if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/**
 * Opens the console signed in, in `lng`: the session from POST /v1/auth/login is put where the
 * console keeps it (localStorage, on the console's origin), then the landing opens. From there on
 * the session is the console's own (refresh, sign-out). The form itself is the journey of
 * smoke.spec.ts and auth.spec.ts (signInWithForm).
 */
export async function signIn(page: Page, lng: Lng, login: string, password: string): Promise<void> {
  const res = await page.request.post('/v1/auth/login', { data: { login, password } });
  expect(res.status(), await res.text()).toBe(200);
  const session = await res.text();
  await page.addInitScript((l) => localStorage.setItem('clp.language', l), lng);
  // Any page of the console's origin holds its localStorage: the icon, not a second boot of the app.
  if (!page.url().startsWith('http')) await page.goto('/favicon.svg');
  await page.evaluate((s) => localStorage.setItem('clp.session', s), session);
  await page.goto('/');
  await expect(page).not.toHaveURL(/\/login/);
}

/** Signs in through the console's form, in the language the page shows. */
export async function signInWithForm(page: Page, lng: Lng, login: string, password: string): Promise<void> {
  await page.addInitScript((l) => localStorage.setItem('clp.language', l), lng);
  await page.goto('/login');
  await page.getByRole('textbox', { name: tr(lng, 'auth', 'login.login') }).fill(login);
  await page.getByRole('textbox', { name: tr(lng, 'auth', 'login.password'), exact: true }).fill(password);
  await page.getByRole('button', { name: tr(lng, 'auth', 'login.submit') }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Whether the test runs in a phone-sized project (360 px): the nav then hides behind its menu button. */
export const isMobile = (): boolean => test.info().project.name.startsWith('mobile');

/** The first screen after signing in may take a while on a loaded machine: wait for it, then use the nav. */
export const FIRST_PAINT = { timeout: 90_000 };

/** Follows a link of the console's navigation (through the menu button at 360 px), then moves the pointer off it. */
export async function openNav(page: Page, lng: Lng, key: string): Promise<void> {
  const link = page.getByRole('navigation', { name: tr(lng, 'common', 'nav.label') }).getByRole('link', { name: tr(lng, 'common', key), exact: true });
  if (isMobile()) {
    const burger = page.getByRole('button', { name: tr(lng, 'common', 'nav.openMenu') });
    await expect(burger).toBeVisible(FIRST_PAINT);
    await burger.click();
  }
  await expect(link).toBeVisible(FIRST_PAINT);
  await link.click();
  // The pointer leaves the nav: the active link's hover tint is the layout's, checked by its own spec.
  await page.mouse.move(640, 700);
}

/** axe-core on the screen as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Legacy mode runs axe.run() in the page itself: the console has no cross-origin frames, and the
  // default (partial runs finished in a new blank page) opened a page per check.
  const results = await new AxeBuilder({ page }).setLegacyMode().withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/**
 * Keeps a screenshot of the screen under SCREENSHOTS (a directory; unset: not kept), named by
 * the screen and the project (desktop or mobile), for the docs and the evidence.
 */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOTS;
  if (!dir) return;
  mkdirSync(resolve(ROOT, dir), { recursive: true });
  await page.screenshot({ path: resolve(ROOT, dir, `${name}-${test.info().project.name.replace('-clock', '')}.png`), fullPage: true });
}

/** Waits until an order's workflow has ended (each local wait returns when it rests at a gate or ends). */
export async function waitOrderDone(api: Api, orderId: string): Promise<{ id: string; status: string; subscriptionIds: string[] }> {
  let order = await api.call('POST', `/_local/orders/${orderId}/wait`);
  for (let i = 0; i < 10 && !['completed', 'failed', 'cancelled'].includes(order.status); i++) order = await api.call('POST', `/_local/orders/${orderId}/wait`);
  return order;
}

/**
 * A new customer with an active subscription of `quantity` Business Basic licenses (1-year term,
 * billed monthly) bought a moment ago through a staff order processed automatically, so all of
 * its licenses are inside their cancellation window. `api` is a staff admin (adminApi).
 */
export async function createSubscribedCustomer(api: Api, opts: { locale?: Lng; quantity?: number } = {}): Promise<{ customer: Customer; subscriptionId: string; product: string }> {
  const customer = await api.createCustomer({ locale: opts.locale });
  const product = (await api.call('GET', '/v1/catalog/products?q=business%20basic')).items[0];
  const offer = product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly');
  const id = unique();
  const address = { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' };
  const contact = { firstName: customer.admin.firstName, lastName: customer.admin.lastName, email: customer.admin.login };
  const placed = await api.call(
    'POST',
    `/v1/accounts/${customer.accountId}/orders`,
    {
      lines: [{ offerId: offer.id, quantity: opts.quantity ?? 100 }],
      domain: { mode: 'create', prefix: `subs${id}`, company: { name: customer.name, address, contact } },
      customerAgreement: { ...contact, acceptedAt: new Date().toISOString() },
      autoProcess: true,
    },
    { 'idempotency-key': `spec-${id}` },
  );
  const done = await waitOrderDone(api, placed.id);
  expect(done.status, `order ${placed.id}`).toBe('completed');
  return { customer, subscriptionId: done.subscriptionIds[0]!, product: product.name };
}

import type en_common from './locales/en/common.json';
import type en_errors from './locales/en/errors.json';
import type en_auth from './locales/en/auth.json';
import type en_account from './locales/en/account.json';
import type en_dashboard from './locales/en/dashboard.json';
import type en_users from './locales/en/users.json';
import type en_shop from './locales/en/shop.json';
import type en_orders from './locales/en/orders.json';
import type en_subscriptions from './locales/en/subscriptions.json';
import type en_billing from './locales/en/billing.json';
import type en_domains from './locales/en/domains.json';
import type en_customers from './locales/en/customers.json';
import type en_catalog from './locales/en/catalog.json';
import type en_audit from './locales/en/audit.json';
import type en_pricing from './locales/en/pricing.json';
import type en_integrations from './locales/en/integrations.json';
import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * Every string of the console goes through i18next: one namespace per area, a catalog per
 * language (en, es, de). The language is the signed-in user's `locale`, switchable in the header;
 * before sign-in, the one chosen last in this browser, else the browser's.
 *
 * Catalogs are not in the initial JavaScript: each (language, namespace) is its own small chunk,
 * loaded when a screen first needs it (the screens suspend until then), so a language or an area
 * costs nothing until it is used. test/unit/console-i18n.test.ts keeps the three catalogs in step,
 * which is why there is no fallback language to load as well.
 */
export const LANGUAGES = ['en', 'es', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
export const NAMESPACES = ['common', 'errors', 'auth', 'account', 'dashboard', 'users', 'shop', 'orders', 'subscriptions', 'billing', 'domains', 'customers', 'catalog', 'audit', 'pricing', 'integrations'] as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      common: typeof en_common;
      errors: typeof en_errors;
      auth: typeof en_auth;
      account: typeof en_account;
      dashboard: typeof en_dashboard;
      users: typeof en_users;
      shop: typeof en_shop;
      orders: typeof en_orders;
      subscriptions: typeof en_subscriptions;
      billing: typeof en_billing;
      domains: typeof en_domains;
      customers: typeof en_customers;
      catalog: typeof en_catalog;
      audit: typeof en_audit;
      pricing: typeof en_pricing;
      integrations: typeof en_integrations;
    };
  }
}

const catalogs = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');

const lazyCatalogs: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, namespace, callback) {
    const load = catalogs[`./locales/${language}/${namespace}.json`];
    if (!load) return callback(new Error(`No catalog ${language}/${namespace}`), false);
    load().then(
      (m) => callback(null, m.default),
      (err: Error) => callback(err, false),
    );
  },
};

const isLanguage = (l: string | null): l is Language => (LANGUAGES as readonly string[]).includes(l ?? '');
const stored = localStorage.getItem('clp.language');
const browser = navigator.language.slice(0, 2);
const initial: Language = isLanguage(stored) ? stored : isLanguage(browser) ? browser : 'en';

void i18n
  .use(lazyCatalogs)
  .use(initReactI18next)
  .init({
    lng: initial,
    supportedLngs: [...LANGUAGES],
    fallbackLng: false,
    load: 'languageOnly',
    defaultNS: 'common',
    ns: ['common', 'errors'],
    interpolation: { escapeValue: false },
    react: { useSuspense: true },
  });
document.documentElement.lang = initial;

/** Switches the language (the user's choice is kept for the next visit). */
export function setLanguage(lng: Language): void {
  localStorage.setItem('clp.language', lng);
  document.documentElement.lang = lng;
  void i18n.changeLanguage(lng);
}

export default i18n;

import en_common from './locales/en/common.json';
import en_errors from './locales/en/errors.json';
import en_auth from './locales/en/auth.json';
import en_account from './locales/en/account.json';
import en_dashboard from './locales/en/dashboard.json';
import en_users from './locales/en/users.json';
import en_shop from './locales/en/shop.json';
import en_orders from './locales/en/orders.json';
import en_subscriptions from './locales/en/subscriptions.json';
import en_billing from './locales/en/billing.json';
import en_domains from './locales/en/domains.json';
import es_common from './locales/es/common.json';
import es_errors from './locales/es/errors.json';
import es_auth from './locales/es/auth.json';
import es_account from './locales/es/account.json';
import es_dashboard from './locales/es/dashboard.json';
import es_users from './locales/es/users.json';
import es_shop from './locales/es/shop.json';
import es_orders from './locales/es/orders.json';
import es_subscriptions from './locales/es/subscriptions.json';
import es_billing from './locales/es/billing.json';
import es_domains from './locales/es/domains.json';
import de_common from './locales/de/common.json';
import de_errors from './locales/de/errors.json';
import de_auth from './locales/de/auth.json';
import de_account from './locales/de/account.json';
import de_dashboard from './locales/de/dashboard.json';
import de_users from './locales/de/users.json';
import de_shop from './locales/de/shop.json';
import de_orders from './locales/de/orders.json';
import de_subscriptions from './locales/de/subscriptions.json';
import de_billing from './locales/de/billing.json';
import de_domains from './locales/de/domains.json';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * Every string of the console goes through i18next: one namespace per area, a catalog per
 * language (en, es, de). The language is the signed-in user's `locale`, switchable in the header;
 * before sign-in, the browser's. test/unit/console-i18n.test.ts keeps the three catalogs in step.
 */
export const LANGUAGES = ['en', 'es', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
export const NAMESPACES = ['common', 'errors', 'auth', 'account', 'dashboard', 'users', 'shop', 'orders', 'subscriptions', 'billing', 'domains'] as const;

export const resources = {
  en: { common: en_common, errors: en_errors, auth: en_auth, account: en_account, dashboard: en_dashboard, users: en_users, shop: en_shop, orders: en_orders, subscriptions: en_subscriptions, billing: en_billing, domains: en_domains },
  es: { common: es_common, errors: es_errors, auth: es_auth, account: es_account, dashboard: es_dashboard, users: es_users, shop: es_shop, orders: es_orders, subscriptions: es_subscriptions, billing: es_billing, domains: es_domains },
  de: { common: de_common, errors: de_errors, auth: de_auth, account: de_account, dashboard: de_dashboard, users: de_users, shop: de_shop, orders: de_orders, subscriptions: de_subscriptions, billing: de_billing, domains: de_domains },
} as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
  }
}

const stored = localStorage.getItem('clp.language');
const browser = navigator.language.slice(0, 2);
const initial: Language = (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : (LANGUAGES as readonly string[]).includes(browser) ? (browser as Language) : 'en';

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: 'en',
  defaultNS: 'common',
  ns: [...NAMESPACES],
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = initial;

/** Switches the language (the user's choice is kept for the next visit). */
export function setLanguage(lng: Language): void {
  localStorage.setItem('clp.language', lng);
  document.documentElement.lang = lng;
  void i18n.changeLanguage(lng);
}

export default i18n;

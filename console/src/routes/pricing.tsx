import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

const ACCOUNT_ID = /^acc_[0-9A-Za-z]+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Prices and tax (docs/commerce.md): staff's price lists (their own, or with `?accountId=` an
 * account's below), one list with its rules, an account's price sheet on a day with the figures
 * the caller may see, the VAT rate table, and the own account's tax details.
 */
export const pricingRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'price-lists',
    validateSearch: (s: Record<string, unknown>): { accountId?: string } => ({
      accountId: typeof s.accountId === 'string' && ACCOUNT_ID.test(s.accountId) ? s.accountId : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/pricing/PriceListsPage'), 'PriceListsPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'price-lists/$priceListId', component: lazyRouteComponent(() => import('../features/pricing/PriceListPage'), 'PriceListPage') }),
  createRoute({
    getParentRoute: () => appRoute,
    path: 'customers/$accountId/prices',
    validateSearch: (s: Record<string, unknown>): { on?: string; show?: 'priced' } => ({
      on: typeof s.on === 'string' && DAY.test(s.on) ? s.on : undefined,
      show: s.show === 'priced' ? 'priced' : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/pricing/PriceSheetPage'), 'PriceSheetPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'tax-rates', component: lazyRouteComponent(() => import('../features/pricing/VatRatesPage'), 'VatRatesPage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'tax-profile', component: lazyRouteComponent(() => import('../features/account/TaxProfilePage'), 'TaxProfilePage') }),
] as const;

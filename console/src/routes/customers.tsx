import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

const ACCOUNT_ID = /^acc_[0-9A-Za-z]+$/;

/** The list's search, filters and (customers of the distributor) reseller, kept in the address. */
export interface AccountsSearch {
  q?: string;
  status?: string;
  parentId?: string;
}

const accountsSearch = (s: Record<string, unknown>): AccountsSearch => ({
  q: typeof s.q === 'string' && s.q.trim() ? s.q : undefined,
  status: typeof s.status === 'string' ? s.status : undefined,
  parentId: typeof s.parentId === 'string' && ACCOUNT_ID.test(s.parentId) ? s.parentId : undefined,
});

/** Staff: the customers (and, for the distributor, the resellers) below their account. */
export const customersRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'customers',
    validateSearch: accountsSearch,
    component: lazyRouteComponent(() => import('../features/customers/AccountsPage'), 'CustomersPage'),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: 'resellers',
    validateSearch: (s: Record<string, unknown>): Omit<AccountsSearch, 'parentId'> => {
      const { q, status } = accountsSearch(s);
      return { q, status };
    },
    component: lazyRouteComponent(() => import('../features/customers/AccountsPage'), 'ResellersPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'customers/$accountId', component: lazyRouteComponent(() => import('../features/customers/AccountPage'), 'AccountPage') }),
] as const;

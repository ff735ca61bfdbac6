import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

/** Staff: the customers (and, for the distributor, the resellers) below their account. */
export const customersRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: 'customers', component: lazyRouteComponent(() => import('../features/customers/AccountsPage'), 'CustomersPage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'resellers', component: lazyRouteComponent(() => import('../features/customers/AccountsPage'), 'ResellersPage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'customers/$accountId', component: lazyRouteComponent(() => import('../features/customers/AccountPage'), 'AccountPage') }),
] as const;

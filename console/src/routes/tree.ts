import { createRouter } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { accountRoutes } from './account';
import { auditRoutes } from './audit';
import { catalogRoutes } from './catalog';
import { customersRoutes } from './customers';
import { authRoutes } from './auth';
import { billingRoutes } from './billing';
import { dashboardRoutes } from './dashboard';
import { domainsRoutes } from './domains';
import { integrationsRoutes } from './integrations';
import { ordersRoutes } from './orders';
import { appRoute, rootRoute } from './root';
import { pricingRoutes } from './pricing';
import { selfServiceRoutes } from './selfservice';
import { shopRoutes } from './shop';
import { subscriptionsRoutes } from './subscriptions';
import { usersRoutes } from './users';

/** The console's routes: one file per area, each screen loaded when first visited. */
export const routeTree = rootRoute.addChildren([
  ...authRoutes,
  appRoute.addChildren([...dashboardRoutes, ...accountRoutes, ...usersRoutes, ...shopRoutes, ...ordersRoutes, ...subscriptionsRoutes, ...billingRoutes, ...domainsRoutes, ...customersRoutes, ...catalogRoutes, ...auditRoutes, ...pricingRoutes, ...selfServiceRoutes, ...integrationsRoutes]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent', scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}

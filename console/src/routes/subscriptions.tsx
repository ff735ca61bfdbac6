import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const subscriptionsRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'subscriptions',
    validateSearch: (s: Record<string, unknown>): { status?: string; domainId?: string } => ({
      status: typeof s.status === 'string' ? s.status : undefined,
      domainId: typeof s.domainId === 'string' ? s.domainId : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/subscriptions/SubscriptionsPage'), 'SubscriptionsPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'subscriptions/$subscriptionId', component: lazyRouteComponent(() => import('../features/subscriptions/SubscriptionPage'), 'SubscriptionPage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'my-licenses', component: lazyRouteComponent(() => import('../features/subscriptions/MyLicensesPage'), 'MyLicensesPage') }),
] as const;

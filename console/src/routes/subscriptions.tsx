import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

const ACCOUNT_ID = /^acc_[0-9A-Za-z]+$/;

export const subscriptionsRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'subscriptions',
    // Staff open a customer's subscriptions with ?accountId=; without it, the caller's own.
    validateSearch: (s: Record<string, unknown>): { accountId?: string; status?: string; domainId?: string } => ({
      accountId: typeof s.accountId === 'string' && ACCOUNT_ID.test(s.accountId) ? s.accountId : undefined,
      status: typeof s.status === 'string' ? s.status : undefined,
      domainId: typeof s.domainId === 'string' ? s.domainId : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/subscriptions/SubscriptionsPage'), 'SubscriptionsPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'subscriptions/$subscriptionId', component: lazyRouteComponent(() => import('../features/subscriptions/SubscriptionPage'), 'SubscriptionPage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'my-licenses', component: lazyRouteComponent(() => import('../features/subscriptions/MyLicensesPage'), 'MyLicensesPage') }),
] as const;

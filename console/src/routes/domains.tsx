import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const domainsRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'domains',
    // Staff open a customer's domains with ?accountId=; a customer sees its own.
    validateSearch: (s: Record<string, unknown>): { accountId?: string } => ({ accountId: typeof s.accountId === 'string' && /^acc_[0-9A-Za-z]+$/.test(s.accountId) ? s.accountId : undefined }),
    component: lazyRouteComponent(() => import('../features/domains/DomainsPage'), 'DomainsPage'),
  }),
  // The partner invitation email links here: the domain and the button to accept.
  createRoute({ getParentRoute: () => appRoute, path: 'domains/$domainId/accept', component: lazyRouteComponent(() => import('../features/domains/AcceptDomainPage'), 'AcceptDomainPage') }),
] as const;

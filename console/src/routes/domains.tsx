import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const domainsRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: 'domains', component: lazyRouteComponent(() => import('../features/domains/DomainsPage'), 'DomainsPage') }),
] as const;

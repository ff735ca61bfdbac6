import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

/** A customer admin's self-service settings (the products its users may buy themselves). */
export const selfServiceRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: 'self-service', component: lazyRouteComponent(() => import('../features/selfservice/SelfServicePage'), 'SelfServicePage') }),
] as const;

import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const accountRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: 'profile', component: lazyRouteComponent(() => import('../features/account/ProfilePage'), 'ProfilePage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'support', component: lazyRouteComponent(() => import('../features/account/SupportPage'), 'SupportPage') }),
] as const;

import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const dashboardRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: '/', component: lazyRouteComponent(() => import('../features/dashboard/DashboardPage'), 'DashboardPage') }),
] as const;

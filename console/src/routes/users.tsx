import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const usersRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'users',
    validateSearch: (s: Record<string, unknown>): { status?: string; role?: string; q?: string } => ({
      status: typeof s.status === 'string' ? s.status : undefined,
      role: typeof s.role === 'string' ? s.role : undefined,
      q: typeof s.q === 'string' ? s.q : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/users/UsersPage'), 'UsersPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'users/$userId', component: lazyRouteComponent(() => import('../features/users/UserPage'), 'UserPage') }),
] as const;

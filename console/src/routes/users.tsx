import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

const ACCOUNT_ID = /^acc_[0-9A-Za-z]+$/;

export const usersRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'users',
    // Staff open a customer's users with ?accountId=; without it, the caller's own account's.
    validateSearch: (s: Record<string, unknown>): { accountId?: string; status?: string; role?: string; q?: string } => ({
      accountId: typeof s.accountId === 'string' && ACCOUNT_ID.test(s.accountId) ? s.accountId : undefined,
      status: typeof s.status === 'string' ? s.status : undefined,
      role: typeof s.role === 'string' ? s.role : undefined,
      q: typeof s.q === 'string' ? s.q : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/users/UsersPage'), 'UsersPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'users/$userId', component: lazyRouteComponent(() => import('../features/users/UserPage'), 'UserPage') }),
] as const;

import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { LoginPage } from '../features/auth/LoginPage';
import { rootRoute } from './root';

const tokenSearch = (s: Record<string, unknown>) => ({ token: typeof s.token === 'string' ? s.token : '' });

/** The screens before sign-in; the emailed links land on activate, reset-password and confirm-login. */
export const authRoutes = [
  createRoute({
    getParentRoute: () => rootRoute,
    path: 'login',
    validateSearch: (s: Record<string, unknown>): { next?: string; expired?: boolean } => ({
      next: typeof s.next === 'string' ? s.next : undefined,
      expired: s.expired === true || s.expired === 'true' ? true : undefined,
    }),
    component: LoginPage,
  }),
  createRoute({ getParentRoute: () => rootRoute, path: 'activate', validateSearch: tokenSearch, component: lazyRouteComponent(() => import('../features/auth/ActivatePage'), 'ActivatePage') }),
  createRoute({ getParentRoute: () => rootRoute, path: 'reset-password', validateSearch: tokenSearch, component: lazyRouteComponent(() => import('../features/auth/ResetPasswordPage'), 'ResetPasswordPage') }),
  createRoute({ getParentRoute: () => rootRoute, path: 'forgot-password', component: lazyRouteComponent(() => import('../features/auth/ForgotPasswordPage'), 'ForgotPasswordPage') }),
  createRoute({ getParentRoute: () => rootRoute, path: 'confirm-login', validateSearch: tokenSearch, component: lazyRouteComponent(() => import('../features/auth/ConfirmLoginPage'), 'ConfirmLoginPage') }),
] as const;

import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { session } from '../api/session';
import { NotFound } from '../ui/NotFound';

export interface RouterContext {
  queryClient: QueryClient;
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

/** Every screen behind sign-in hangs under this layout: signed out, it sends you to sign in and back. */
export const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: ({ location }) => {
    if (!session.get()) throw redirect({ to: '/login', search: { next: location.href } });
  },
  // Loaded once signed in: the sign-in page does not pay for the shell.
  component: lazyRouteComponent(() => import('../ui/AppLayout'), 'AppLayout'),
});

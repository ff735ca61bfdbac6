import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const ordersRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'orders',
    validateSearch: (s: Record<string, unknown>): { status?: string; from?: string; to?: string } => ({
      status: typeof s.status === 'string' ? s.status : undefined,
      from: typeof s.from === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.from) ? s.from : undefined,
      to: typeof s.to === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.to) ? s.to : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/orders/OrdersPage'), 'OrdersPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'orders/$orderId', component: lazyRouteComponent(() => import('../features/orders/OrderPage'), 'OrderPage') }),
] as const;

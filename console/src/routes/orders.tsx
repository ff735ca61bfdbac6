import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const ordersRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'orders',
    validateSearch: (s: Record<string, unknown>): { status?: string } => ({ status: typeof s.status === 'string' ? s.status : undefined }),
    component: lazyRouteComponent(() => import('../features/orders/OrdersPage'), 'OrdersPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'orders/$orderId', component: lazyRouteComponent(() => import('../features/orders/OrderPage'), 'OrderPage') }),
] as const;

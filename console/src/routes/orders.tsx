import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

const ACCOUNT_ID = /^acc_[0-9A-Za-z]+$/;

export const ordersRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'orders',
    // Staff see one customer's orders with ?accountId=.
    validateSearch: (s: Record<string, unknown>): { status?: string; from?: string; to?: string; accountId?: string } => ({
      status: typeof s.status === 'string' ? s.status : undefined,
      from: typeof s.from === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.from) ? s.from : undefined,
      to: typeof s.to === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.to) ? s.to : undefined,
      accountId: typeof s.accountId === 'string' && ACCOUNT_ID.test(s.accountId) ? s.accountId : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/orders/OrdersPage'), 'OrdersPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'orders/$orderId', component: lazyRouteComponent(() => import('../features/orders/OrderPage'), 'OrderPage') }),
  // Staff place an order for a customer (linked from the customer's page).
  createRoute({ getParentRoute: () => appRoute, path: 'customers/$accountId/orders/new', component: lazyRouteComponent(() => import('../features/orders/PlaceOrderPage'), 'PlaceOrderPage') }),
] as const;

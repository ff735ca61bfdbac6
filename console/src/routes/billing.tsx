import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const billingRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'billing/invoices',
    validateSearch: (s: Record<string, unknown>): { from?: string; to?: string; status?: string } => ({
      from: typeof s.from === 'string' ? s.from : undefined,
      to: typeof s.to === 'string' ? s.to : undefined,
      status: typeof s.status === 'string' ? s.status : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/billing/InvoicesPage'), 'InvoicesPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'billing/invoices/$invoiceId', component: lazyRouteComponent(() => import('../features/billing/InvoicePage'), 'InvoicePage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'billing/payment-methods', component: lazyRouteComponent(() => import('../features/billing/PaymentMethodsPage'), 'PaymentMethodsPage') }),
] as const;

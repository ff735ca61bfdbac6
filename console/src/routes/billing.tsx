import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

const ACCOUNT_ID = /^acc_[0-9A-Za-z]+$/;

export const billingRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'billing/invoices',
    // Staff open a customer's invoices with ?accountId=; without it, the caller's own.
    validateSearch: (s: Record<string, unknown>): { accountId?: string; from?: string; to?: string; status?: string } => ({
      accountId: typeof s.accountId === 'string' && ACCOUNT_ID.test(s.accountId) ? s.accountId : undefined,
      from: typeof s.from === 'string' ? s.from : undefined,
      to: typeof s.to === 'string' ? s.to : undefined,
      status: typeof s.status === 'string' ? s.status : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/billing/InvoicesPage'), 'InvoicesPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'billing/invoices/$invoiceId', component: lazyRouteComponent(() => import('../features/billing/InvoicePage'), 'InvoicePage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'billing/payment-methods', component: lazyRouteComponent(() => import('../features/billing/PaymentMethodsPage'), 'PaymentMethodsPage') }),
] as const;

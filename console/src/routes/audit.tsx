import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

/** The audit trail of an account in scope. */
export const auditRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: 'customers/$accountId/audit', component: lazyRouteComponent(() => import('../features/audit/AuditPage'), 'AuditPage') }),
] as const;

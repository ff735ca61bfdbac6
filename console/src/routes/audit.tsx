import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The audit trail of an account in scope, filtered by days, action and person (?from=&to=&action=&actor=). */
export const auditRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'customers/$accountId/audit',
    validateSearch: (s: Record<string, unknown>): { from?: string; to?: string; action?: string; actor?: string } => ({
      from: typeof s.from === 'string' && DAY.test(s.from) ? s.from : undefined,
      to: typeof s.to === 'string' && DAY.test(s.to) ? s.to : undefined,
      action: typeof s.action === 'string' && s.action ? s.action : undefined,
      actor: typeof s.actor === 'string' && s.actor ? s.actor : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/audit/AuditPage'), 'AuditPage'),
  }),
] as const;

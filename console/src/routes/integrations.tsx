import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

const ACCOUNT_ID = /^acc_[0-9A-Za-z]+$/;
// Staff admins open an account's (below theirs) with ?accountId=; without it, their own account's.
const accountSearch = (s: Record<string, unknown>): { accountId?: string } => ({ accountId: typeof s.accountId === 'string' && ACCOUNT_ID.test(s.accountId) ? s.accountId : undefined });

/** Admins: the account's API clients and webhook endpoints (with each endpoint's deliveries). */
export const integrationsRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: 'api-clients', validateSearch: accountSearch, component: lazyRouteComponent(() => import('../features/integrations/ApiClientsPage'), 'ApiClientsPage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'webhooks', validateSearch: accountSearch, component: lazyRouteComponent(() => import('../features/integrations/WebhooksPage'), 'WebhooksPage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'webhooks/$webhookId', component: lazyRouteComponent(() => import('../features/integrations/WebhookPage'), 'WebhookPage') }),
] as const;

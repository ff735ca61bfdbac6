import { accountScope, getAccount } from '#data/accounts.ts';
import { clock } from '#platform/clock.ts';
import { authorize } from '#platform/scope.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { overviewService } from '#services/overview.ts';
import { orderViews } from '../orders/views.ts';
import { subscriptionView } from '../subscriptions/views.ts';
import { AccountOverviewSchema, OverviewParams } from './schemas.ts';

/**
 * The account overview (docs/api.md, "The account overview"): the customer admin's dashboard in
 * one request, for customer admins on their own account and staff on the accounts below them.
 * Read-only: its function may only read the table.
 */
const overview = httpHandler({ params: OverviewParams, response: AccountOverviewSchema }, async ({ params, caller }) => {
  const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'view');
  const found = await overviewService.ofAccount(account);
  const now = clock.now();
  return {
    statusCode: 200,
    body: {
      accountId: account.id,
      subscriptions: found.subscriptions.map((s) => subscriptionView(s, now)),
      openOrders: { count: found.openOrders.count, items: await orderViews(found.openOrders.items) },
      unpaidInvoices: found.unpaidInvoices,
    },
  };
});

export const handler = routeGroup({
  'GET /v1/accounts/{accountId}/overview': overview,
});

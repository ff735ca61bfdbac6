import * as invoiceRepo from '#data/invoices.ts';
import type { Invoice } from '#data/invoices.ts';
import * as orderRepo from '#data/orders.ts';
import type { Order } from '#data/orders.ts';
import * as subscriptionRepo from '#data/subscriptions.ts';
import type { Subscription } from '#data/subscriptions.ts';
import { sum, type Money } from '#domain/money.ts';

/**
 * An account at a glance (the customer admin's dashboard): its subscriptions in use, its orders
 * still under way and what it owes, read in one request so the console's landing screen needs no
 * other. Three Queries of the account's own partitions, in parallel; nothing is written.
 */

/** How many orders under way the overview lists (the count covers them all). */
export const LATEST_ORDERS = 5;

export interface OverviewDeps {
  subscriptions: Pick<typeof subscriptionRepo, 'subscriptionsInUse'>;
  orders: Pick<typeof orderRepo, 'ordersUnderWay'>;
  invoices: Pick<typeof invoiceRepo, 'invoicesToPay'>;
}

export interface AccountOverview {
  subscriptions: Subscription[];
  openOrders: { count: number; items: Order[] };
  unpaidInvoices: { count: number; overdueCount: number; total: Money; nextDueAt: string | null };
}

/** By product name, then domain: a tile keeps its place from one visit to the next. */
const byNameThenDomain = (a: Subscription, b: Subscription) => a.name.localeCompare(b.name) || a.domain.localeCompare(b.domain) || a.id.localeCompare(b.id);

export function makeOverviewService(deps: OverviewDeps) {
  return {
    /**
     * The overview of `account` (already authorized by the caller). The amount owed is in the
     * account's currency, the only one its orders and invoices can be in; `nextDueAt` is the
     * earliest due date among the invoices to pay (a past date when one is overdue).
     */
    async ofAccount(account: { id: string; settings: { currency: string } }): Promise<AccountOverview> {
      const [subscriptions, orders, invoices] = await Promise.all([
        deps.subscriptions.subscriptionsInUse(account.id),
        deps.orders.ordersUnderWay(account.id),
        deps.invoices.invoicesToPay(account.id),
      ]);
      const newestFirst = [...orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return {
        subscriptions: [...subscriptions].sort(byNameThenDomain),
        openOrders: { count: orders.length, items: newestFirst.slice(0, LATEST_ORDERS) },
        unpaidInvoices: owed(invoices, account.settings.currency),
      };
    },
  };
}

function owed(invoices: Invoice[], currency: string): AccountOverview['unpaidInvoices'] {
  const dueDates = invoices.map((i) => i.dueAt).sort();
  return {
    count: invoices.length,
    overdueCount: invoices.filter((i) => i.status === 'overdue').length,
    total: sum(
      invoices.map((i) => i.total),
      currency,
    ),
    nextDueAt: dueDates[0] ?? null,
  };
}

export const overviewService = makeOverviewService({ subscriptions: subscriptionRepo, orders: orderRepo, invoices: invoiceRepo });

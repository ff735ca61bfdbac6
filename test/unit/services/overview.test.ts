import type { Order } from '#data/orders.ts';
import type { Invoice } from '#data/invoices.ts';
import type { Subscription } from '#data/subscriptions.ts';
import { aSubscription } from './fake-subscriptions.ts';
import { anOrder } from './fake-orders.ts';
import { eur, invoiceOf } from './fake-billing.ts';

const { makeOverviewService, LATEST_ORDERS } = await import('#services/overview.ts');

/**
 * The account overview (services/overview.ts) over in-memory repositories that answer, like the
 * table's Queries, only what is in use, under way or still to pay of the account asked for.
 */
function setUp(world: { subscriptions?: Subscription[]; orders?: Order[]; invoices?: Invoice[] }) {
  const asked: string[] = [];
  const service = makeOverviewService({
    subscriptions: {
      subscriptionsInUse: async (accountId) => {
        asked.push(`subscriptions:${accountId}`);
        return (world.subscriptions ?? []).filter((s) => s.accountId === accountId && ['pending', 'active', 'suspended'].includes(s.status));
      },
    },
    orders: {
      ordersUnderWay: async (accountId) => {
        asked.push(`orders:${accountId}`);
        return (world.orders ?? []).filter((o) => o.accountId === accountId && ['new', 'open', 'provisioning'].includes(o.status));
      },
    },
    invoices: {
      invoicesToPay: async (accountId) => {
        asked.push(`invoices:${accountId}`);
        return (world.invoices ?? []).filter((i) => i.accountId === accountId && ['unpaid', 'overdue'].includes(i.status));
      },
    },
  });
  return { service, asked };
}

describe('account overview service', () => {
  const account = (id: string) => ({ id, settings: { currency: 'EUR' } });

  it('a new customer: no tiles, nothing under way, nothing owed (in the account currency)', async () => {
    const { service, asked } = setUp({});
    const found = await service.ofAccount(account('acc_new'));
    expect(found).toEqual({
      subscriptions: [],
      openOrders: { count: 0, items: [] },
      unpaidInvoices: { count: 0, overdueCount: 0, total: eur(0), nextDueAt: null },
    });
    // One read of each kind, of this account only.
    expect(asked.sort()).toEqual(['invoices:acc_new', 'orders:acc_new', 'subscriptions:acc_new']);
  });

  it('lists the subscriptions in use by product name, then domain', async () => {
    const acc = aSubscription().accountId;
    const { service } = setUp({
      subscriptions: [
        aSubscription({ id: 'sub_std', name: 'Business Standard', domain: 'b.onmicrosoft.com' }),
        aSubscription({ id: 'sub_basic_b', name: 'Business Basic', domain: 'b.onmicrosoft.com' }),
        aSubscription({ id: 'sub_basic_a', name: 'Business Basic', domain: 'a.onmicrosoft.com', status: 'suspended' }),
        aSubscription({ id: 'sub_old', name: 'Business Basic', status: 'cancelled' }),
        aSubscription({ id: 'sub_other', accountId: 'acc_other' }),
      ],
    });
    const found = await service.ofAccount(account(acc));
    expect(found.subscriptions.map((s) => s.id)).toEqual(['sub_basic_a', 'sub_basic_b', 'sub_std']);
  });

  it(`counts every order under way and lists the newest ${LATEST_ORDERS}`, async () => {
    const orders = Array.from({ length: 7 }, (_, i) =>
      anOrder({ id: `ord_${i}`, status: (['new', 'open', 'provisioning'] as const)[i % 3], createdAt: `2026-11-2${i}T09:00:00.000Z` }),
    );
    orders.push(anOrder({ id: 'ord_done', status: 'completed', createdAt: '2026-11-29T09:00:00.000Z' }), anOrder({ id: 'ord_failed', status: 'failed' }));
    const { service } = setUp({ orders });
    const found = await service.ofAccount(account('acc_customer'));
    expect(found.openOrders.count).toBe(7);
    expect(found.openOrders.items.map((o) => o.id)).toEqual(['ord_6', 'ord_5', 'ord_4', 'ord_3', 'ord_2']);
  });

  it('adds up what is owed, unpaid and overdue, with the earliest due date', async () => {
    const acc = invoiceOf().accountId;
    const { service } = setUp({
      invoices: [
        invoiceOf({ id: 'inv_1', status: 'unpaid', total: eur(7200), dueAt: '2027-02-26' }),
        invoiceOf({ id: 'inv_2', status: 'overdue', total: eur(1550), dueAt: '2026-12-26' }),
        invoiceOf({ id: 'inv_3', status: 'unpaid', total: eur(300), dueAt: '2027-01-26' }),
        invoiceOf({ id: 'inv_4', status: 'paid', total: eur(9999), dueAt: '2026-11-26' }),
        invoiceOf({ id: 'inv_5', status: 'void', total: eur(9999), dueAt: '2026-10-26' }),
      ],
    });
    const found = await service.ofAccount(account(acc));
    expect(found.unpaidInvoices).toEqual({ count: 3, overdueCount: 1, total: eur(9050), nextDueAt: '2026-12-26' });
  });
});

import type { Order, OrderLine } from '#data/orders.ts';
import type { OrderStatus, StatusChange } from '#domain/order-status.ts';

/**
 * An in-memory order repository for the order services' unit tests: the functions of
 * data/orders.ts they use, with the same conditions (status, token, version) on plain objects.
 * `moves` records every move written; `hooks.beforeMove` lets a test change the order between a
 * move's read and its write (a concurrent writer).
 */
export function fakeOrders(initial: Order[] = []) {
  const items = new Map<string, Order>(initial.map((o) => [o.id, structuredClone(o)]));
  const moves: Array<{ orderId: string; to: OrderStatus; by: StatusChange['by']; opts: Record<string, unknown> }> = [];
  const hooks: { beforeMove?: (orderId: string) => void } = {};
  const get = (id: string) => items.get(id);

  const repo = {
    async getOrder(id: string) {
      const o = get(id);
      return o && structuredClone(o);
    },
    async moveOrder(
      orderId: string,
      to: OrderStatus,
      by: StatusChange['by'],
      opts: { from?: OrderStatus[]; reason?: string; set?: Partial<Order>; clear?: string[]; refund?: { reference: string }; [k: string]: unknown } = {},
    ): Promise<(Order & { owed: string[] }) | undefined> {
      const read = get(orderId);
      if (!read) throw new Error('NotFound');
      if (!(opts.from ?? []).includes(read.status)) return undefined;
      const version = read.version;
      hooks.beforeMove?.(orderId);
      const now = get(orderId)!;
      // The move is conditioned on the version read: a writer in between makes it read again.
      if (now.version !== version) return repo.moveOrder(orderId, to, by, opts);
      const at = '2026-11-22T10:00:00.000Z';
      const moved: Order = {
        ...now,
        ...(opts.set ?? {}),
        status: to,
        statusHistory: [...now.statusHistory, { status: to, at, by, ...(opts.reason ? { reason: opts.reason } : {}) }],
        updatedAt: at,
        version: now.version + 1,
      };
      for (const field of opts.clear ?? []) delete (moved as Record<string, unknown>)[field];
      items.set(orderId, moved);
      moves.push({ orderId, to, by, opts });
      const owed = opts.refund ? [opts.refund.reference] : [];
      return { ...structuredClone(moved), owed };
    },
    async releaseOf(order: Order) {
      return { subscriptions: order.subscriptionIds.map((id) => ({ id, set: { status: 'cancelled' } })), ...(order.chargeReference ? { refund: { reference: order.chargeReference } } : {}) };
    },
    async setExecutionArn(orderId: string, executionArn: string) {
      const o = get(orderId)!;
      o.executionArn = executionArn;
    },
    async recordResumedExecution(orderId: string, previous: string | undefined, executionArn: string) {
      const o = get(orderId)!;
      if (o.executionArn !== previous) return false;
      o.executionArn = executionArn;
      return true;
    },
    async claimTaskToken(orderId: string, status: OrderStatus, taskToken: string) {
      const o = get(orderId);
      if (!o || o.taskToken !== taskToken || o.status !== status) return false;
      delete o.taskToken;
      delete o.waitingAt;
      return true;
    },
    async restoreTaskToken(orderId: string, status: OrderStatus, gate: 'open' | 'provision' | 'partner', taskToken: string) {
      const o = get(orderId);
      if (o && !o.taskToken && o.status === status) Object.assign(o, { taskToken, waitingAt: gate });
    },
    async parkTaskToken(orderId: string, gate: 'open' | 'provision' | 'partner', taskToken: string) {
      const o = get(orderId);
      const expected = gate === 'open' ? 'new' : gate === 'provision' ? 'open' : 'provisioning';
      if (!o || o.status !== expected) return false;
      Object.assign(o, { taskToken, waitingAt: gate });
      return true;
    },
    async unparkTaskToken(orderId: string, taskToken: string) {
      const o = get(orderId);
      if (o?.taskToken === taskToken) {
        delete o.taskToken;
        delete o.waitingAt;
      }
    },
    cleared: new Set<string>(),
    async clearUnstarted(orderId: string) {
      repo.cleared.add(orderId);
    },
    async setVendorRequest(orderId: string, vendorRequestId: string) {
      get(orderId)!.vendorRequestId = vendorRequestId;
    },
  };
  return { repo, items, moves, hooks, put: (o: Order) => items.set(o.id, structuredClone(o)) };
}

export const line = (overrides: Partial<OrderLine> = {}): OrderLine => ({
  offerId: 'ofr_1',
  productId: 'prd_1',
  sku: 'CFQ7TTC0LH18',
  name: 'Microsoft 365 Business Basic',
  term: 'P1Y',
  billingPeriod: 'monthly',
  quantity: 10,
  unitPrice: { amount: 600, currency: 'EUR' },
  total: { amount: 6000, currency: 'EUR' },
  subscriptionId: 'sub_1',
  ...overrides,
});

/** A staff sales order, `new` and parked at gate 1 unless overridden. */
export const anOrder = (overrides: Partial<Order> = {}): Order => ({
  id: 'ord_1',
  number: 'SO-000001',
  accountId: 'acc_customer',
  parentId: 'acc_reseller',
  rootId: 'acc_root',
  accountPath: ['acc_root', 'acc_reseller', 'acc_customer'],
  type: 'sales',
  status: 'new',
  statusHistory: [{ status: 'new', at: '2026-11-22T09:00:00.000Z', by: { userId: 'usr_staff' } }],
  lines: [line()],
  total: { amount: 6000, currency: 'EUR' },
  domain: { id: 'dom_1', domain: 'fabrikam.onmicrosoft.com', mode: 'create' },
  domainId: 'dom_1',
  automatic: false,
  subscriptionIds: ['sub_1'],
  placedBy: { userId: 'usr_staff' },
  executionArn: 'arn:aws:states:local:000:execution:orders:ord_1',
  taskToken: 'token-1',
  waitingAt: 'open',
  invoiceId: 'inv_1',
  selfService: false,
  createdAt: '2026-11-22T09:00:00.000Z',
  updatedAt: '2026-11-22T09:00:00.000Z',
  version: 1,
  ...overrides,
});

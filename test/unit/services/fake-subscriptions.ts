import type { Caller } from '#platform/caller.ts';
import type { Order } from '#data/orders.ts';
import type { Subscription, SubscriptionChange } from '#data/subscriptions.ts';
import type { SubscriptionDeps } from '#services/subscriptions.ts';
import type { RenewalDeps } from '#services/renewals.ts';
import { catalogPricer, fakeInvoicing, fakeNumbers } from './fake-pricing.ts';

/**
 * In-memory repositories for the subscription and renewal services: a subscription, its product,
 * its account and admins, and a record of what the services wrote, charged and started. The
 * subscription write is conditioned on `version` like the table's, so a test can make it lose a race.
 */
export const NOW = new Date('2027-03-15T10:00:00.000Z');
const HOUR = 3_600_000;
export const hoursFrom = (from: Date, h: number) => new Date(from.getTime() + h * HOUR).toISOString();

export const caller: Caller = {
  userId: 'usr_01JD6W2V9Q4X8M3N5P7R2T4Y6Z',
  accountId: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0W',
  accountType: 'customer',
  role: 'admin',
  accountPath: ['acc_ROOT', 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0W'],
  rootId: 'acc_ROOT',
};

export function aSubscription(over: Partial<Subscription> = {}): Subscription {
  return {
    id: 'sub_1',
    accountId: caller.accountId,
    parentId: 'acc_PARENT',
    rootId: 'acc_ROOT',
    accountPath: caller.accountPath,
    productId: 'prd_1',
    offerId: 'ofr_1',
    sku: 'SKU-1',
    name: 'Business Basic',
    // A monthly term from 2027-03-10: the billing period is 03-10 … 04-09, 31 days.
    term: 'P1M',
    billingPeriod: 'monthly',
    quantity: 10,
    assignedCount: 0,
    status: 'active',
    autoRenew: true,
    startDate: '2027-03-10',
    currentTermStart: '2027-03-10',
    currentTermEnd: '2027-04-09',
    domain: 'contoso.onmicrosoft.com',
    domainId: 'dom_1',
    selfService: false,
    buyer: { userId: caller.userId, name: 'Ada Admin' },
    unitPrice: { amount: 3100, currency: 'EUR' },
    cancellationWindows: [],
    orderId: 'ord_0',
    createdAt: '2027-03-10T09:00:00.000Z',
    version: 3,
    ...over,
  };
}

export interface World {
  sub: Subscription;
  product: { cancellationWindowHours: number; minQuantity: number; maxQuantity: number } | undefined;
  orders: Array<{ order: Omit<Order, 'version' | 'updatedAt'>; subscription: { id: string; version: number; set: Record<string, unknown> }; invoice?: Record<string, any>; apply?: Record<string, any> }>;
  charges: Array<{ invoice: { id: string; accountId: string; total: { amount: number; currency: string } }; reference: string }>;
  started: string[];
  released: string[];
  expired: Array<{ id: string; ended: string; action: string }>;
  reminders: Array<{ id: string; termEnd: string; emails: Array<{ template: string; to: string }> }>;
  audits: Array<{ action: string; resourceId: string }>;
  cleared: string[];
  /** Writes of the subscription's order to refuse (as if another change came first), before one goes through. */
  loseRaces: number;
  startFails?: Error;
  /** How the account's orders are processed (its settings); automatic unless a test says otherwise. */
  orderProcessing?: 'automatic' | 'manual';
  /** The account (or one above it) that is suspended, if any. */
  suspended?: string;
  /** Orders and invoices a credit note may correct (by id), and the refunds made. */
  placed: Map<string, { invoiceId?: string }>;
  invoices: Map<string, Record<string, any>>;
  refunds: Array<{ reference: string; refundReference: string; amount: number }>;
  refunded: string[];
}

export function fakeWorld(sub: Subscription = aSubscription(), product: World['product'] = { cancellationWindowHours: 168, minQuantity: 1, maxQuantity: 300 }) {
  const w: World = {
    sub, product, orders: [], charges: [], started: [], released: [], expired: [], reminders: [], audits: [], cleared: [], loseRaces: 0,
    placed: new Map(), invoices: new Map(), refunds: [], refunded: [],
  };
  let ids = 0;
  const apply = (set: Record<string, unknown>) => {
    w.sub = { ...w.sub, ...set, version: w.sub.version + 1 } as Subscription;
  };
  const common = {
    orders: {
      nextOrderNumber: async () => `SO-${String(w.orders.length + 1).padStart(6, '0')}`,
      insertSubscriptionOrder: async (input: Parameters<SubscriptionDeps['orders']['insertSubscriptionOrder']>[0]) => {
        if (w.loseRaces > 0) {
          w.loseRaces -= 1;
          // Another change moved the subscription on meanwhile.
          apply({});
          return undefined;
        }
        if (input.subscription.version !== w.sub.version) return undefined;
        w.orders.push({ order: input.order, subscription: input.subscription, invoice: input.invoice, ...(input.apply ? { apply: input.apply } : {}) });
        apply(input.subscription.set);
        for (const key of input.subscription.remove ?? []) delete (w.sub as Record<string, unknown>)[key];
        return { ...input.order, version: 1, updatedAt: input.order.createdAt } as Order;
      },
    },
    invoices: fakeNumbers(),
    invoicing: fakeInvoicing(),
    accounts: {
      getAccount: async (id: string) =>
        (id === w.sub.accountId ? { id, name: 'Contoso', type: 'customer', parentId: 'acc_PARENT', rootId: 'acc_ROOT', accountPath: caller.accountPath, settings: { orderProcessing: w.orderProcessing ?? 'automatic' } }
          : undefined) as never,
    },
    catalog: { getProduct: async (id: string) => (id === w.sub.productId && w.product ? ({ id, name: w.sub.name, offers: [], ...w.product } as never) : undefined) },
    chargeInvoice: async (invoice: World['charges'][number]['invoice'], _pm: undefined, reference: string) => {
      w.charges.push({ invoice, reference });
      return { paid: true };
    },
    startOrFail: async (order: { id: string }) => {
      if (w.startFails) throw w.startFails;
      w.started.push(order.id);
      return `arn:exec:${order.id}`;
    },
    newId: ((kind: string) => `${kind}_${++ids}`) as never,
  };

  const subscriptionDeps: SubscriptionDeps = {
    ...common,
    suspension: { suspendedAccountOn: async () => w.suspended },
    subscriptions: {
      getSubscription: async (id: string) => (id === w.sub.id ? { ...w.sub } : undefined),
      changeSubscription: async (id: string, change: (s: Subscription) => SubscriptionChange, opts: { ifMatch?: number } = {}) => {
        if (opts.ifMatch !== undefined && opts.ifMatch !== w.sub.version) throw Object.assign(new Error('precondition'), { status: 412 });
        apply(change({ ...w.sub }));
        return { ...w.sub };
      },
      assignLicenses: async () => {
        throw new Error('not used');
      },
      unassignLicenses: async () => {
        throw new Error('not used');
      },
    },
    users: { getUser: async () => undefined },
    orderReads: { getOrder: async (id: string) => w.placed.get(id) as never },
    invoiceReads: {
      getInvoice: async (id: string) => w.invoices.get(id) as never,
      recordRefunded: async (id: string) => void w.refunded.push(id),
    },
    gateway: () => ({ refundPart: async (r: { reference: string; refundReference: string; amount: number }) => void w.refunds.push(r) }),
    requestKeys: {
      releaseRequestKey: async (_key: unknown, orderId: string) => {
        w.released.push(orderId);
      },
    },
    clock: { now: () => NOW },
  };

  const renewalDeps: RenewalDeps = {
    ...common,
    pricer: catalogPricer(),
    subscriptions: {
      expireSubscription: async (s: { id: string; version: number }, ended: string, audit: { action: string }) => {
        if (s.version !== w.sub.version || w.sub.currentTermEnd !== ended) return false;
        apply({ status: 'expired' });
        w.expired.push({ id: s.id, ended, action: audit.action });
        return true;
      },
      recordRenewalReminder: async (id: string, termEnd: string, emails: Array<{ template: string; to: string }>) => {
        if (w.sub.reminderSentFor === termEnd || w.sub.currentTermEnd !== termEnd) return false;
        w.sub = { ...w.sub, reminderSentFor: termEnd };
        w.reminders.push({ id, termEnd, emails: emails.map((e) => ({ template: e.template, to: e.to })) });
        return true;
      },
    } as never,
    users: {
      listActiveAdmins: async () =>
        [{ id: 'usr_admin', login: 'ada@contoso.example', locale: 'en', firstName: 'Ada', lastName: 'Admin', role: 'admin', status: 'active' }] as never,
    },
    audit: {
      recordAudit: async (events: Array<{ action: string; resourceId: string }>) => {
        w.audits.push(...events.map((e) => ({ action: e.action, resourceId: e.resourceId })));
      },
    } as never,
  };
  return { w, subscriptionDeps, renewalDeps };
}

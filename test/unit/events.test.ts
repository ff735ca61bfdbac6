import { decodeTime } from 'ulid';
import { EVENT_API_VERSION, EVENT_SCHEMAS, EVENT_TYPES, isEventType, parseEventData, resourceIdOf, subscriptionChangeOf } from '../../functions/domain/events.ts';
import { domainStatusItems, EVENT_RETENTION_DAYS, eventItems, eventOf, eventsItems, invoiceItems, issuedInvoiceItems, newEvent, orderStatusItems, subscriptionChangeItems, userCreatedItems } from '../../functions/data/events.ts';
import { setClock } from '../../functions/platform/clock.ts';
import { idPattern } from '../../functions/platform/ids.ts';

const order = { orderId: 'ord_1', number: 'O-1', accountId: 'acc_c', type: 'sales', status: 'new', previousStatus: null } as const;

afterEach(() => setClock());

describe('event catalog', () => {
  it('names the seven types of docs/api.md, and nothing else is a type', () => {
    expect(EVENT_TYPES).toEqual([
      'order.status_changed',
      'subscription.changed',
      'invoice.issued',
      'invoice.paid',
      'invoice.overdue',
      'user.created',
      'domain.status_changed',
    ]);
    expect(isEventType('invoice.paid')).toBe(true);
    expect(isEventType('invoice.refunded')).toBe(false);
    expect(isEventType('toString')).toBe(false);
  });

  it('accepts each type’s data and refuses data of the wrong shape', () => {
    expect(parseEventData('order.status_changed', order)).toEqual(order);
    expect(() => parseEventData('order.status_changed', { ...order, status: 'shipped' })).toThrow();
    expect(() => parseEventData('order.status_changed', { ...order, previousStatus: undefined })).toThrow();
    const invoice = { invoiceId: 'inv_1', number: 'INV-1', accountId: 'acc_c', total: { amount: 1250, currency: 'EUR' }, status: 'unpaid', dueDate: '2026-12-26' };
    expect(parseEventData('invoice.issued', invoice)).toEqual(invoice);
    expect(() => parseEventData('invoice.issued', { ...invoice, total: { amount: 12.5, currency: 'EUR' } })).toThrow();
    expect(() => parseEventData('invoice.issued', { ...invoice, dueDate: '26/12/2026' })).toThrow();
    const sub = { subscriptionId: 'sub_1', accountId: 'acc_c', productId: 'prd_1', quantity: 5, status: 'active', autoRenew: true, termEnd: '2027-12-02', change: 'quantity' };
    expect(parseEventData('subscription.changed', sub)).toEqual(sub);
    expect(parseEventData('subscription.changed', { ...sub, status: 'pending', termEnd: null, change: 'activated' }).termEnd).toBeNull();
    expect(() => parseEventData('subscription.changed', { ...sub, change: 'renamed' })).toThrow();
    expect(() => parseEventData('subscription.changed', { ...sub, quantity: -1 })).toThrow();
    expect(() => parseEventData('user.created', { userId: 'usr_1', accountId: 'acc_c', role: 'owner' })).toThrow();
    expect(() => parseEventData('domain.status_changed', { domainId: 'dom_1', accountId: 'acc_c', domain: 'x', status: 'gone', previousStatus: null })).toThrow();
  });

  it('describes the whole event of each type (envelope and data)', () => {
    const event = newEvent('order.status_changed', 'acc_c', order);
    expect(EVENT_SCHEMAS['order.status_changed'].safeParse(event).success).toBe(true);
    expect(EVENT_SCHEMAS['invoice.paid'].safeParse(event).success).toBe(false);
    expect(EVENT_SCHEMAS['order.status_changed'].safeParse({ ...event, apiVersion: '2025-01-01' }).success).toBe(false);
    expect(EVENT_SCHEMAS['order.status_changed'].safeParse({ ...event, id: 'evt_1' }).success).toBe(false);
  });

  it('knows the resource each event is about', () => {
    expect(resourceIdOf({ type: 'order.status_changed', data: order })).toBe('ord_1');
    expect(resourceIdOf({ type: 'user.created', data: { userId: 'usr_9', accountId: 'acc_c', role: 'user' } })).toBe('usr_9');
  });
});

describe('newEvent and eventItems', () => {
  it('stamps an event with an ev_ id and the time of the application clock, in order', () => {
    setClock(new Date('2027-03-01T10:00:00.000Z'));
    const first = newEvent('order.status_changed', 'acc_c', order);
    const second = newEvent('order.status_changed', 'acc_c', { ...order, status: 'open', previousStatus: 'new' });
    expect(first.id).toMatch(idPattern('event'));
    expect(first.apiVersion).toBe(EVENT_API_VERSION);
    expect(first.occurredAt.slice(0, 16)).toBe('2027-03-01T10:00');
    expect(second.id > first.id).toBe(true);
    // The id's time is the application clock's: the feed settles by it.
    expect(decodeTime(first.id.slice(3)) - Date.parse('2027-03-01T10:00:00.000Z')).toBeGreaterThanOrEqual(0);
    expect(decodeTime(first.id.slice(3)) - Date.parse('2027-03-01T10:00:00.000Z')).toBeLessThan(1000);
    // A clock moved back starts a new sequence: its events are not stamped with the later time.
    setClock(new Date('2027-02-01T10:00:00.000Z'));
    expect(decodeTime(newEvent('order.status_changed', 'acc_c', order).id.slice(3)) < Date.parse('2027-03-01T00:00:00.000Z')).toBe(true);
  });

  it('refuses to make an event whose data does not fit its type (the cause’s transaction is not written)', () => {
    expect(() => newEvent('order.status_changed', 'acc_c', { ...order, status: 'lost' } as never)).toThrow();
  });

  it('makes one item per account of the path, each carrying the whole event, its feed, resource and a 30-day expiry', () => {
    setClock(new Date('2027-03-01T10:00:00.000Z'));
    const event = newEvent('order.status_changed', 'acc_c', order);
    const items = eventItems(event, ['acc_d', 'acc_r', 'acc_c']);
    expect(items.map((i) => i.feedAccountId)).toEqual(['acc_d', 'acc_r', 'acc_c']);
    for (const item of items) {
      expect(eventOf(item)).toEqual(event);
      expect(item.resourceId).toBe('ord_1');
      const kept = (item.ttl ?? 0) - Date.parse('2027-03-01T10:00:00.000Z') / 1000;
      expect(kept).toBeGreaterThanOrEqual(EVENT_RETENTION_DAYS * 86_400);
      expect(kept).toBeLessThanOrEqual(EVENT_RETENTION_DAYS * 86_400 + 1);
    }
    expect(eventItems(event, ['acc_c', 'acc_c'])).toHaveLength(1);
    expect(eventsItems([{ event, accountPath: ['acc_d', 'acc_c'] }, { event: newEvent('user.created', 'acc_r', { userId: 'usr_1', accountId: 'acc_r', role: 'admin' }), accountPath: ['acc_d', 'acc_r'] }])).toHaveLength(4);
  });
});

describe('subscription.changed: what changed', () => {
  const active = { status: 'active', quantity: 5, autoRenew: true, currentTermEnd: '2027-12-02' } as const;

  it.each([
    [{ ...active, status: 'pending', currentTermEnd: undefined }, active, 'activated'],
    [{ ...active, status: 'suspended' }, active, 'reactivated'],
    [active, { ...active, status: 'suspended' }, 'suspended'],
    [active, { ...active, status: 'cancelled', autoRenew: false }, 'cancelled'],
    [active, { ...active, status: 'expired' }, 'expired'],
    [active, { ...active, currentTermEnd: '2028-12-02', quantity: 7 }, 'renewed'],
    [active, { ...active, quantity: 7 }, 'quantity'],
    [active, { ...active, autoRenew: false }, 'autoRenew'],
    [active, active, undefined],
    [{ ...active, status: 'pending' }, { ...active, status: 'pending', quantity: 9 }, undefined],
  ] as const)('%j → %j is %s', (before, after, change) => {
    expect(subscriptionChangeOf(before, after)).toBe(change);
  });

  it('makes the event of a change from the subscription as read and what the write sets, and none when nothing seen changed', () => {
    const sub = { id: 'sub_1', accountId: 'acc_c', accountPath: ['acc_d', 'acc_c'], productId: 'prd_1', quantity: 5, status: 'active' as const, autoRenew: true, currentTermEnd: '2027-12-02' };
    const items = subscriptionChangeItems(sub, { autoRenew: false });
    expect(items).toHaveLength(2);
    expect(items[0]!.data).toEqual({ subscriptionId: 'sub_1', accountId: 'acc_c', productId: 'prd_1', quantity: 5, status: 'active', autoRenew: false, termEnd: '2027-12-02', change: 'autoRenew' });
    expect(items[0]!.resourceId).toBe('sub_1');
    expect(subscriptionChangeItems(sub, {})).toEqual([]);
    expect(subscriptionChangeItems(sub, { autoRenew: true })).toEqual([]);
  });
});

describe('domain.status_changed', () => {
  it('tells a new status, with the one before (null when created), and nothing when the status stays', () => {
    const domain = { id: 'dom_1', accountId: 'acc_c', accountPath: ['acc_d', 'acc_c'], domain: 'x.onmicrosoft.com' };
    expect(domainStatusItems(domain, 'pending', null).map((i) => i.data)).toEqual([
      { domainId: 'dom_1', accountId: 'acc_c', domain: 'x.onmicrosoft.com', status: 'pending', previousStatus: null },
      { domainId: 'dom_1', accountId: 'acc_c', domain: 'x.onmicrosoft.com', status: 'pending', previousStatus: null },
    ]);
    expect(domainStatusItems(domain, 'active', 'pending')[0]!.resourceId).toBe('dom_1');
    expect(domainStatusItems(domain, 'active', 'active')).toEqual([]);
  });
});

describe('user.created', () => {
  it('carries ids and the role only, to every feed of the user’s account path', () => {
    const items = userCreatedItems({ id: 'usr_1', accountId: 'acc_c', accountPath: ['acc_d', 'acc_r', 'acc_c'], role: 'admin', ...({ login: 'ada@x.test', firstName: 'Ada' } as object) });
    expect(items.map((i) => i.feedAccountId)).toEqual(['acc_d', 'acc_r', 'acc_c']);
    expect(items[0]!.data).toEqual({ userId: 'usr_1', accountId: 'acc_c', role: 'admin' });
    expect(items[0]!.resourceId).toBe('usr_1');
  });
});

describe('invoice events', () => {
  const invoice = { id: 'inv_1', number: 'INV-000001', accountId: 'acc_c', accountPath: ['acc_d', 'acc_r', 'acc_c'], total: { amount: -1200, currency: 'EUR' }, status: 'paid' as const, dueAt: '2027-01-26' };

  it('issues invoice.issued, and invoice.paid with it for an invoice settled as it is issued', () => {
    const items = issuedInvoiceItems(invoice);
    expect(items.map((i) => [i.type, i.feedAccountId])).toEqual([
      ['invoice.issued', 'acc_d'],
      ['invoice.issued', 'acc_r'],
      ['invoice.issued', 'acc_c'],
      ['invoice.paid', 'acc_d'],
      ['invoice.paid', 'acc_r'],
      ['invoice.paid', 'acc_c'],
    ]);
    expect(items[0]!.data).toEqual({ invoiceId: 'inv_1', number: 'INV-000001', accountId: 'acc_c', total: { amount: -1200, currency: 'EUR' }, status: 'paid', dueDate: '2027-01-26' });
    expect(issuedInvoiceItems({ ...invoice, status: 'unpaid' }).map((i) => i.type)).toEqual(['invoice.issued', 'invoice.issued', 'invoice.issued']);
  });

  it('carries only the catalog’s fields (no lines, no buyer data)', () => {
    const items = invoiceItems('invoice.overdue', { ...invoice, status: 'overdue', ...({ buyer: { name: 'x' }, lines: [] } as object) });
    expect(Object.keys(items[0]!.data as object).sort()).toEqual(['accountId', 'dueDate', 'invoiceId', 'number', 'status', 'total']);
  });

  it('carries an order’s move with its previous status', () => {
    const items = orderStatusItems({ id: 'ord_1', number: 'SO-000001', accountId: 'acc_c', accountPath: ['acc_d', 'acc_c'], type: 'change' }, 'open', 'new');
    expect(items.map((i) => i.feedAccountId)).toEqual(['acc_d', 'acc_c']);
    expect(items[0]!.data).toEqual({ orderId: 'ord_1', number: 'SO-000001', accountId: 'acc_c', type: 'change', status: 'open', previousStatus: 'new' });
    expect(items[0]!.id).toBe(items[1]!.id);
  });
});

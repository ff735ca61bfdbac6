import { encodeTime } from 'ulid';
import { call, login, staffLogin, unique, waitOrder } from './api.ts';
import { EVENT_SETTLE_MS } from '../../functions/data/events.ts';
import { createCustomer, firstOffer, makeCustomerBody, makeOrderBody } from '../factories/index.ts';

/**
 * The domain events feed (docs/api.md#events), over HTTP: an order's status changes reach the
 * feeds of its customer, the customer's reseller and the distributor, in order, once each; a feed
 * is read on with `after`; a feed outside the caller's scope is 404; what was refused left no event.
 */
interface Event {
  id: string;
  type: string;
  apiVersion: string;
  occurredAt: string;
  accountId: string;
  data: Record<string, unknown>;
}

/** An event id just before `ms` (system time: nothing in this file moves the stack's clock). */
const idAt = (ms: number) => `ev_${encodeTime(ms, 10)}${'0'.repeat(16)}`;

/** Every settled event of a feed after `after`, page by page. */
async function readAll(token: string, query: Record<string, string> = {}): Promise<Event[]> {
  const out: Event[] = [];
  let after = query.after;
  for (let pages = 0; pages < 200; pages++) {
    const qs = new URLSearchParams({ limit: '100', ...query, ...(after ? { after } : {}) });
    const r = await call('GET', `/v1/events?${qs}`, { token });
    if (r.status !== 200) throw new Error(`GET /v1/events: ${r.status} ${JSON.stringify(r.body)}`);
    out.push(...r.body.items);
    if (!r.body.hasMore) return out;
    after = r.body.lastEventId;
  }
  throw new Error('the feed did not end');
}

/** Polls a feed until `done` holds of what it lists (the settle delay is a few seconds). */
async function waitFeed(token: string, query: Record<string, string>, done: (events: Event[]) => boolean, timeoutMs = 45_000): Promise<Event[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await readAll(token, query);
    if (done(events)) return events;
    if (Date.now() > deadline) throw new Error(`the feed did not reach the expected events: ${JSON.stringify(events.map((e) => [e.type, e.data]))}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const ofOrder = (orderId: string) => (events: Event[]) => events.filter((e) => e.type === 'order.status_changed' && e.data.orderId === orderId);
const moves = (events: Event[]) => events.map((e) => [e.data.previousStatus, e.data.status]);

describe('the events feed', () => {
  let staff: string;
  let offerId: string;
  let reseller: { id: string; token: string };

  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
    const body = makeCustomerBody({ type: 'reseller', name: `Reseller ${unique('r')}` });
    const created = await call('POST', '/v1/accounts', { token: staff, body });
    expect(created.status).toBe(201);
    reseller = { id: created.body.account.id, token: await login(body.admin.login as string, body.admin.password as string) };
  });

  it('carries an order placed, opened and provisioned to its customer’s, reseller’s and distributor’s feeds, in order', async () => {
    const start = idAt(Date.now() - 1000);
    const customer = await createCustomer(reseller.token);
    const cToken = await login(customer.login, customer.password);
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: reseller.token, body: makeOrderBody(offerId), headers: { 'idempotency-key': unique('k') } });
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;
    expect((await waitOrder(orderId)).waitingAt).toBe('open');
    expect((await call('POST', `/v1/orders/${orderId}/open`, { token: reseller.token })).status).toBe(200);
    expect((await waitOrder(orderId)).waitingAt).toBe('provision');
    expect((await call('POST', `/v1/orders/${orderId}/provision`, { token: reseller.token })).status).toBe(202);
    expect((await waitOrder(orderId)).status).toBe('completed');

    const expected = [
      [null, 'new'],
      ['new', 'open'],
      ['open', 'provisioning'],
      ['provisioning', 'completed'],
    ];
    const customerFeed = await waitFeed(cToken, {}, (events) => ofOrder(orderId)(events).length >= 4);
    const customerMoves = ofOrder(orderId)(customerFeed);
    expect(moves(customerMoves)).toEqual(expected);
    for (const e of customerMoves) {
      expect(e).toMatchObject({ apiVersion: '2026-12-01', accountId: customer.account.id, data: { orderId, number: placed.body.number, accountId: customer.account.id, type: 'sales' } });
      expect(e.id).toMatch(/^ev_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(Date.parse(e.occurredAt)).not.toBeNaN();
    }
    // Oldest first, each once.
    const ids = customerFeed.map((e) => e.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // The invoice the order issued, in the same feed.
    expect(customerFeed.filter((e) => e.type === 'invoice.issued' && e.accountId === customer.account.id)).toHaveLength(1);

    // The reseller's own feed, and the customer's feed read by the reseller: the same events, the same ids.
    const resellerFeed = await waitFeed(reseller.token, { types: 'order.status_changed' }, (events) => ofOrder(orderId)(events).length >= 4);
    expect(resellerFeed.every((e) => e.type === 'order.status_changed')).toBe(true);
    expect(ofOrder(orderId)(resellerFeed)).toEqual(customerMoves);
    expect(ofOrder(orderId)(await readAll(reseller.token, { accountId: customer.account.id }))).toEqual(customerMoves);

    // The distributor's feed (shared by every test running now): from just before this test, by type.
    const distributorFeed = await waitFeed(staff, { after: start, types: 'order.status_changed,invoice.issued' }, (events) => ofOrder(orderId)(events).length >= 4);
    expect(ofOrder(orderId)(distributorFeed)).toEqual(customerMoves);
    expect(distributorFeed.every((e) => e.type === 'order.status_changed' || e.type === 'invoice.issued')).toBe(true);
  });

  it('tells a subscription’s activation and an auto-renew change as subscription.changed, after the order that made it', async () => {
    const customer = await createCustomer(staff);
    const cToken = await login(customer.login, customer.password);
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: makeOrderBody(offerId, { autoProcess: true, lines: [{ offerId, quantity: 3 }] }), headers: { 'idempotency-key': unique('k') } });
    expect(placed.status).toBe(201);
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    const subscriptionId = (await call('GET', `/v1/orders/${placed.body.id}`, { token: staff })).body.subscriptionIds[0] as string;
    const patched = await call('PATCH', `/v1/subscriptions/${subscriptionId}`, { token: cToken, body: { autoRenew: false } });
    expect(patched.status).toBe(200);

    const ofSub = (events: Event[]) => events.filter((e) => e.type === 'subscription.changed' && e.data.subscriptionId === subscriptionId);
    const feed = await waitFeed(cToken, {}, (events) => ofSub(events).length >= 2);
    const changes = ofSub(feed);
    expect(changes.map((e) => [e.data.change, e.data.status, e.data.autoRenew, e.data.quantity])).toEqual([
      ['activated', 'active', true, 3],
      ['autoRenew', 'active', false, 3],
    ]);
    expect(changes[0]!.data).toMatchObject({ accountId: customer.account.id, productId: expect.stringMatching(/^prd_/), termEnd: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    // The activation is written with the order's completion: right after the order's last move, in one transaction.
    const completed = feed.findIndex((e) => e.type === 'order.status_changed' && e.data.orderId === placed.body.id && e.data.status === 'completed');
    expect(completed).toBeGreaterThanOrEqual(0);
    expect(feed.indexOf(changes[0]!)).toBeGreaterThan(completed);
    // The tenant the order created: pending with the order, active when it completed.
    const domainId = (await call('GET', `/v1/orders/${placed.body.id}`, { token: staff })).body.domain.id as string;
    const domainMoves = (await waitFeed(cToken, { types: 'domain.status_changed' }, (events) => events.length >= 2)).filter((e) => e.data.domainId === domainId);
    expect(domainMoves.map((e) => [e.data.previousStatus, e.data.status])).toEqual([
      [null, 'pending'],
      ['pending', 'active'],
    ]);
    expect(domainMoves[0]!.data.domain).toMatch(/\.onmicrosoft\.com$/);
    // Turning auto-renew off again changes nothing an integration sees: no event.
    expect((await call('PATCH', `/v1/subscriptions/${subscriptionId}`, { token: cToken, body: { autoRenew: false } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 6_000));
    expect(ofSub(await readAll(cToken))).toHaveLength(2);
  });

  it('tells each user created (the first admin with its account, then a few, then 40 at once) as user.created, ids and role only', async () => {
    const customer = await createCustomer(reseller.token);
    const cToken = await login(customer.login, customer.password);
    const person = (role: string) => ({ firstName: 'Uma', lastName: 'User', login: `${unique('user')}@people.test`, role, locale: 'en' });
    const few = await call('POST', `/v1/accounts/${customer.account.id}/users`, { token: cToken, body: { users: [person('user'), person('admin')], sendActivationEmail: true } });
    expect(few.status).toBe(201);
    // 40 invited users, their logins and invitations are 120 items: their events (3 feeds each) follow in transactions of their own.
    const many = await call('POST', `/v1/accounts/${customer.account.id}/users`, { token: cToken, body: { users: Array.from({ length: 40 }, () => person('user')), sendActivationEmail: true } });
    expect(many.status).toBe(201);
    const ids = [customer.admin.id, ...few.body.items.map((u: { id: string }) => u.id), ...many.body.items.map((u: { id: string }) => u.id)] as string[];

    const created = await waitFeed(cToken, { types: 'user.created' }, (events) => events.length >= 43);
    expect(created.map((e) => e.data.userId)).toEqual(ids);
    expect(created.slice(0, 3).map((e) => e.data)).toEqual([
      { userId: customer.admin.id, accountId: customer.account.id, role: 'admin' },
      { userId: ids[1], accountId: customer.account.id, role: 'user' },
      { userId: ids[2], accountId: customer.account.id, role: 'admin' },
    ]);
    // The reseller's feed has them too; the distributor's is checked by the order test.
    const resellerSide = await waitFeed(reseller.token, { types: 'user.created', accountId: customer.account.id }, (events) => events.length >= 43);
    expect(resellerSide.map((e) => e.id)).toEqual(created.map((e) => e.id));
    // A refused creation (a login taken) makes no user and no event.
    const taken = await call('POST', `/v1/accounts/${customer.account.id}/users`, { token: cToken, body: { users: [person('user'), { ...person('user'), login: customer.login }], sendActivationEmail: true } });
    expect(taken.status).toBe(409);
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await readAll(cToken, { types: 'user.created' })).toHaveLength(43);
  });

  it('keeps one resource’s events in the order of its changes under concurrent writes: 12 auto-renew toggles at once', async () => {
    const customer = await createCustomer(staff);
    const cToken = await login(customer.login, customer.password);
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: makeOrderBody(offerId, { autoProcess: true }), headers: { 'idempotency-key': unique('k') } });
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    const subscriptionId = (await call('GET', `/v1/orders/${placed.body.id}`, { token: staff })).body.subscriptionIds[0] as string;
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => call('PATCH', `/v1/subscriptions/${subscriptionId}`, { token: cToken, body: { autoRenew: i % 2 === 1 } })));
    expect(answers.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    const final = (await call('GET', `/v1/subscriptions/${subscriptionId}`, { token: cToken })).body.autoRenew as boolean;

    // Only a write that changed the value made an event, so in the order of the writes the values alternate,
    // starting from the first change of `true`, and the last one is what the subscription holds.
    await new Promise((r) => setTimeout(r, 6_000));
    const toggles = (await readAll(cToken, { types: 'subscription.changed' })).filter((e) => e.data.change === 'autoRenew').map((e) => e.data.autoRenew);
    expect(toggles.length).toBeGreaterThanOrEqual(1);
    toggles.forEach((value, i) => expect(value).toBe(i % 2 === 1));
    expect(toggles.at(-1)).toBe(final);
  });

  it('tells an upgrade: its order, the source subscription ended and the target created active, with the placement', async () => {
    const BASIC = 'prd_01JBAS1C0000000000000000M1';
    const STANDARD = 'prd_01JSTANDARD00000000000000M';
    const offers = (await call('GET', `/v1/catalog/products/${BASIC}`, { token: staff })).body.offers as Array<{ id: string; term: string; billingPeriod: string }>;
    const basic = offers.find((o) => o.term === 'P1Y' && o.billingPeriod === 'monthly')!.id;
    const customer = await createCustomer(staff);
    const cToken = await login(customer.login, customer.password);
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: makeOrderBody(basic, { autoProcess: true, lines: [{ offerId: basic, quantity: 4 }] }), headers: { 'idempotency-key': unique('k') } });
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    const sourceId = (await call('GET', `/v1/orders/${placed.body.id}`, { token: staff })).body.subscriptionIds[0] as string;
    const upgraded = await call('POST', `/v1/subscriptions/${sourceId}/upgrade`, { token: cToken, body: { targetProductId: STANDARD, quantity: 4 }, headers: { 'idempotency-key': unique('u') } });
    expect(upgraded.status).toBe(202);
    const targetId = upgraded.body.lines[1].subscriptionId as string;
    expect((await waitOrder(upgraded.body.id)).status).toBe('completed');

    const feed = await waitFeed(cToken, {}, (events) => ofOrder(upgraded.body.id)(events).length >= 4);
    const placedAt = feed.findIndex((e) => e.type === 'order.status_changed' && e.data.orderId === upgraded.body.id && e.data.status === 'new');
    const source = feed.filter((e) => e.type === 'subscription.changed' && e.data.subscriptionId === sourceId);
    const target = feed.filter((e) => e.type === 'subscription.changed' && e.data.subscriptionId === targetId);
    expect(source[0]!.data.change).toBe('activated');
    expect(source[1]!.data).toMatchObject({ change: 'cancelled', status: 'cancelled', quantity: 0 });
    expect(feed.indexOf(source[1]!)).toBeGreaterThan(placedAt);
    expect(target[0]!.data).toMatchObject({ change: 'activated', status: 'active', quantity: 4, productId: STANDARD });
    expect(feed.indexOf(target[0]!)).toBeGreaterThan(placedAt);
  });

  it('tells a cancellation inside the window: its order, the credit note issued, the purchase invoice it settles paid, the subscription cancelled', async () => {
    const customer = await createCustomer(staff);
    const cToken = await login(customer.login, customer.password);
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: makeOrderBody(offerId, { autoProcess: true, lines: [{ offerId, quantity: 2 }] }), headers: { 'idempotency-key': unique('k') } });
    expect(placed.status).toBe(201);
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    const order = (await call('GET', `/v1/orders/${placed.body.id}`, { token: staff })).body;
    const [subscriptionId, purchaseInvoiceId] = [order.subscriptionIds[0] as string, order.invoiceId as string];
    const cancelled = await call('POST', `/v1/subscriptions/${subscriptionId}/cancel`, { token: cToken, body: { reason: 'bought by mistake' } });
    expect(cancelled.status).toBe(202);
    expect((await waitOrder(cancelled.body.id)).status).toBe('completed');

    const feed = await waitFeed(cToken, {}, (events) => events.some((e) => e.type === 'subscription.changed' && e.data.change === 'cancelled') && events.some((e) => e.type === 'invoice.paid'));
    const invoices = feed.filter((e) => e.type.startsWith('invoice.'));
    expect(invoices.map((e) => [e.type, e.data.invoiceId === purchaseInvoiceId ? 'purchase' : 'credit', e.data.status, Math.sign(Number((e.data.total as { amount: number }).amount))])).toEqual([
      ['invoice.issued', 'purchase', 'unpaid', 1],
      ['invoice.issued', 'credit', 'paid', -1],
      ['invoice.paid', 'credit', 'paid', -1],
      ['invoice.paid', 'purchase', 'paid', 1],
    ]);
    expect(moves(ofOrder(cancelled.body.id)(feed))).toEqual([
      [null, 'new'],
      ['new', 'open'],
      ['open', 'provisioning'],
      ['provisioning', 'completed'],
    ]);
    const subChanges = feed.filter((e) => e.type === 'subscription.changed').map((e) => [e.data.change, e.data.status, e.data.autoRenew]);
    expect(subChanges[0]).toEqual(['activated', 'active', true]);
    expect(subChanges).toContainEqual(['cancelled', 'cancelled', false]);
  });

  it('reads on strictly after `after`, a page at a time, to the same events', async () => {
    const customer = await createCustomer(staff);
    const cToken = await login(customer.login, customer.password);
    const placed = await call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body: makeOrderBody(offerId, { autoProcess: true }), headers: { 'idempotency-key': unique('k') } });
    expect(placed.status).toBe(201);
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    let all = await waitFeed(cToken, {}, (events) => ofOrder(placed.body.id)(events).length >= 4);
    // Writes that follow the completion (its domain, subscription, invoice) show a settle delay later:
    // read until two reads a settle delay apart agree, so the feed is still while it is paged.
    for (;;) {
      await new Promise((r) => setTimeout(r, EVENT_SETTLE_MS + 500));
      const again = await readAll(cToken, {});
      if (again.length === all.length) break;
      all = again;
    }
    expect(all.length).toBeGreaterThanOrEqual(5);

    const paged: Event[] = [];
    let after: string | undefined;
    for (;;) {
      const r = await call('GET', `/v1/events?limit=2${after ? `&after=${after}` : ''}`, { token: cToken });
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...r.body.items);
      if (r.body.items.length) expect(r.body.lastEventId).toBe(r.body.items.at(-1).id);
      if (!r.body.hasMore) break;
      after = r.body.lastEventId;
    }
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));

    // Strictly after: the last event's id gives nothing more, and hands itself back to ask again later.
    const last = all.at(-1)!.id;
    const tail = await call('GET', `/v1/events?after=${last}`, { token: cToken });
    expect(tail.body).toEqual({ items: [], lastEventId: last, hasMore: false });
    const fromSecond = await call('GET', `/v1/events?after=${all[0]!.id}&limit=100`, { token: cToken });
    expect(fromSecond.body.items.map((e: Event) => e.id)).toEqual(all.slice(1).map((e) => e.id));
  });

  it('answers 404 for a feed outside the caller’s scope and 400 for a malformed after or an unknown type', async () => {
    const [a, b] = [await createCustomer(staff), await createCustomer(reseller.token)];
    const aToken = await login(a.login, a.password);
    const other = await call('GET', `/v1/events?accountId=${b.account.id}`, { token: aToken });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    // A reseller reaches its customers' feeds, not the distributor's other customers'.
    expect((await call('GET', `/v1/events?accountId=${a.account.id}`, { token: reseller.token })).status).toBe(404);
    expect((await call('GET', `/v1/events?accountId=${b.account.id}`, { token: reseller.token })).status).toBe(200);
    expect((await call('GET', `/v1/events?accountId=${a.account.id}`, { token: aToken })).status).toBe(200);

    for (const q of ['after=ord_01JD6W1K3M5N7P9Q2R4S6T8V0W', 'after=ev_123', 'types=order.shipped', 'types=order.status_changed,', 'limit=101']) {
      const r = await call('GET', `/v1/events?${q}`, { token: aToken });
      expect([q, r.status, r.body.error?.code]).toEqual([q, 400, 'validation_failed']);
    }
  });

  it('writes no event for an order that was refused: of three racing for one domain, one order’s events only', async () => {
    const customer = await createCustomer(staff);
    const cToken = await login(customer.login, customer.password);
    const body = makeOrderBody(offerId);
    const answers = await Promise.all(
      [1, 2, 3].map(() => call('POST', `/v1/accounts/${customer.account.id}/orders`, { token: staff, body, headers: { 'idempotency-key': unique('k') } })),
    );
    const placed = answers.filter((r) => r.status === 201);
    expect(placed).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['domain_taken', 'domain_taken']);
    const orderId = placed[0]!.body.id as string;
    expect((await waitOrder(orderId)).waitingAt).toBe('open');
    // Past the settle delay, the feed holds the one order placed and its invoice, nothing of the refused two.
    const events = await waitFeed(cToken, {}, (es) => ofOrder(orderId)(es).length >= 1);
    await new Promise((r) => setTimeout(r, 6_000));
    const settled = (await readAll(cToken)).filter((e) => e.type !== 'user.created');
    expect(settled.length).toBeGreaterThanOrEqual(ofOrder(orderId)(events).length);
    expect(settled.map((e) => [e.type, e.data.orderId ?? null, e.data.status])).toEqual([
      ['order.status_changed', orderId, 'new'],
      ['invoice.issued', null, 'unpaid'],
      ['domain.status_changed', null, 'pending'],
    ]);
  });
});

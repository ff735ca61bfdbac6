import { scaled, timeoutFor } from './scale.ts';
import { call, login, staffLogin, stack, unique, waitOrder } from './api.ts';
import { createCustomer, makeOrderBody } from '../factories/index.ts';

/**
 * Subscriptions and licenses with the NCE rules (docs/product.md#subscriptions-and-licenses, docs/product.md#subscriptions), over HTTP, with the local clock.
 */
const DAY = 86_400_000;

async function setClock(at: Date | undefined) {
  if (at) await call('PUT', '/_local/clock', { body: { now: at.toISOString() } });
  else await call('DELETE', '/_local/clock');
}

async function basicOffer(token: string) {
  const r = await call('GET', '/v1/catalog/products?q=business%20basic', { token });
  const product = r.body.items[0];
  return { product, offer: product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly') };
}

describe('subscriptions and licenses', () => {
  let staff: string;
  let offer: { id: string; price: { amount: number; currency: string } };

  beforeAll(async () => {
    staff = await staffLogin();
    offer = (await basicOffer(staff)).offer;
  });
  afterEach(() => setClock(undefined));

  /** A customer with an active subscription of `quantity` licenses bought now. */
  async function subscribed(quantity: number, settings: Record<string, unknown> = {}) {
    const c = await createCustomer(staff, Object.keys(settings).length ? { settings } : {});
    const admin = await login(c.login, c.password);
    const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(offer.id, { lines: [{ offerId: offer.id, quantity }], autoProcess: true }),
      headers: { 'idempotency-key': unique('k') },
    });
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    return { c, admin, subId: done.subscriptionIds[0] as string };
  }

  const change = (token: string, subId: string, body: unknown, key = unique('q')) =>
    call('POST', `/v1/subscriptions/${subId}/quantity`, { token, body, headers: { 'idempotency-key': key } });

  it('lists the inventory with its filters', async () => {
    const { c, admin, subId } = await subscribed(3);
    const sub = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
    expect(sub).toMatchObject({ status: 'active', quantity: 3, assignedCount: 0, autoRenew: true, scheduledQuantity: null, unitPrice: offer.price, buyer: expect.any(Object) });
    expect(sub.cancellationWindows).toEqual([{ quantity: 3, until: expect.any(String) }]);
    const mine = await call('GET', '/v1/subscriptions', { token: admin });
    expect(mine.body.items.map((s: { id: string }) => s.id)).toEqual([subId]);
    const byDomain = await call('GET', `/v1/subscriptions?accountId=${c.account.id}&domainId=${sub.domainId}&status=active`, { token: staff });
    expect(byDomain.body.items.map((s: { id: string }) => s.id)).toEqual([subId]);
    expect((await call('GET', `/v1/subscriptions?accountId=${c.account.id}&status=cancelled`, { token: staff })).body.items).toEqual([]);
    expect((await call('GET', `/v1/subscriptions?accountId=${c.account.id}&selfService=true`, { token: staff })).body.items).toEqual([]);
  });

  it('raises then lowers inside the window, charging and crediting prorated amounts', async () => {
    const { admin, subId } = await subscribed(10);
    const raised = await change(admin, subId, { quantity: 15 });
    expect(raised.status).toBe(202);
    expect(raised.body).toMatchObject({ type: 'change', status: 'new' });
    expect((await waitOrder(raised.body.id)).status).toBe('completed');
    let sub = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
    expect(sub.quantity).toBe(15);
    expect(sub.cancellationWindows.map((w: { quantity: number }) => w.quantity)).toEqual([10, 5]);

    const lowered = await change(admin, subId, { quantity: 12 });
    expect(lowered.status).toBe(202);
    expect((await waitOrder(lowered.body.id)).status).toBe('completed');
    sub = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
    expect(sub.quantity).toBe(12);
    expect(sub.cancellationWindows.reduce((n: number, w: { quantity: number }) => n + w.quantity, 0)).toBe(12);

    // Bought, raised and lowered on the first day of the billing period: whole-period amounts.
    const invoices = (await call('GET', '/v1/invoices?limit=100', { token: admin })).body.items;
    const byOrder = (id: string) => invoices.find((i: { orderId: string }) => i.orderId === id);
    expect(byOrder(raised.body.id).total).toEqual({ amount: offer.price.amount * 5, currency: 'EUR' });
    expect(byOrder(lowered.body.id).total).toEqual({ amount: -offer.price.amount * 3, currency: 'EUR' });
  });

  it('refuses to lower 8 days later with the reason, then schedules the lowering at renewal', async () => {
    const { c, subId } = await subscribed(10);
    await setClock(new Date(Date.now() + 8 * DAY));
    const admin = await login(c.login, c.password);
    const sub = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
    expect(sub.cancellationWindows).toEqual([]);
    const refused = await change(admin, subId, { quantity: 8 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('cancellation_window_closed');
    const nextDay = new Date(Date.parse(`${sub.currentTermEnd}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    expect(refused.body.error.details[0]).toMatchObject({ rule: expect.any(String), lowerableNow: 0, nextWindowOpens: nextDay });
    const scheduled = await change(admin, subId, { quantity: 8, effective: 'renewal' });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body).toMatchObject({ quantity: 10, scheduledQuantity: 8 });
    // raising is allowed any time, and opens a new window for what it added
    const raised = await change(admin, subId, { quantity: 11 });
    expect(raised.status).toBe(202);
    await waitOrder(raised.body.id);
    const after = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
    expect(after.cancellationWindows.map((w: { quantity: number }) => w.quantity)).toEqual([1]);
    expect((await change(admin, subId, { quantity: 10 })).status).toBe(202);
    expect((await change(admin, subId, { quantity: 9 })).status).toBe(409);
  });

  it('cancels inside the window with a credit, and refuses after it', async () => {
    const a = await subscribed(4);
    const cancelled = await call('POST', `/v1/subscriptions/${a.subId}/cancel`, { token: a.admin, body: { reason: 'bought by mistake', comment: 'wrong plan' } });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.type).toBe('cancellation');
    expect((await waitOrder(cancelled.body.id)).status).toBe('completed');
    const sub = (await call('GET', `/v1/subscriptions/${a.subId}`, { token: a.admin })).body;
    expect(sub).toMatchObject({ status: 'cancelled', autoRenew: false, cancellation: { reason: 'bought by mistake', comment: 'wrong plan' } });
    const credit = (await call('GET', '/v1/invoices?limit=100', { token: a.admin })).body.items.find((i: { orderId: string }) => i.orderId === cancelled.body.id);
    expect(credit.total.amount).toBe(-offer.price.amount * 4);
    expect((await call('POST', `/v1/subscriptions/${a.subId}/cancel`, { token: a.admin, body: { reason: 'again' } })).status).toBe(409);

    const b = await subscribed(4);
    await setClock(new Date(Date.now() + 8 * DAY));
    const admin = await login(b.c.login, b.c.password);
    const late = await call('POST', `/v1/subscriptions/${b.subId}/cancel`, { token: admin, body: { reason: 'too late' } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('cancellation_window_closed');
    expect((await call('POST', `/v1/subscriptions/${b.subId}/cancel`, { token: admin, body: {} })).status).toBe(400);
  });

  it("holds a manual account's change order at the staff gates: cancelled there it is taken back, opened and provisioned it completes", async () => {
    const { admin, subId } = await subscribed(10, { orderProcessing: 'manual' });
    const first = await change(admin, subId, { quantity: 12 });
    expect(first.status).toBe(202);
    const waiting = await waitOrder(first.body.id);
    expect(waiting).toMatchObject({ status: 'new', waitingAt: 'open', automatic: false });
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.quantity).toBe(12);

    const cancelled = await call('POST', `/v1/orders/${first.body.id}/cancel`, { token: staff });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.quantity).toBe(10);

    const second = await change(admin, subId, { quantity: 13 });
    expect((await waitOrder(second.body.id)).waitingAt).toBe('open');
    expect((await call('POST', `/v1/orders/${second.body.id}/open`, { token: staff })).body.status).toBe('open');
    expect((await waitOrder(second.body.id)).waitingAt).toBe('provision');
    expect((await call('POST', `/v1/orders/${second.body.id}/provision`, { token: staff })).status).toBe(202);
    const done = await waitOrder(second.body.id);
    expect(done.statusHistory.map((h: { status: string }) => h.status)).toEqual(['new', 'open', 'provisioning', 'completed']);
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.quantity).toBe(13);
  });

  it('turns auto-renew off and on', async () => {
    const { admin, subId } = await subscribed(1);
    expect((await call('PATCH', `/v1/subscriptions/${subId}`, { token: admin, body: { autoRenew: false } })).body.autoRenew).toBe(false);
    expect((await call('PATCH', `/v1/subscriptions/${subId}`, { token: admin, body: { autoRenew: true } })).body.autoRenew).toBe(true);
  });

  it('answers its version as the ETag and refuses a PATCH with a stale If-Match (412), changing nothing', async () => {
    const { admin, subId } = await subscribed(1);
    const read = await call('GET', `/v1/subscriptions/${subId}`, { token: admin });
    expect(read.headers.get('etag')).toBe(`"${read.body.version}"`);
    const stale = `"${read.body.version}"`;
    const off = await call('PATCH', `/v1/subscriptions/${subId}`, { token: admin, body: { autoRenew: false }, headers: { 'if-match': stale } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ autoRenew: false, version: read.body.version + 1 });
    expect(off.headers.get('etag')).toBe(`"${read.body.version + 1}"`);
    const refused = await call('PATCH', `/v1/subscriptions/${subId}`, { token: admin, body: { autoRenew: true }, headers: { 'if-match': stale } });
    expect(refused.status).toBe(412);
    expect(refused.body.error.code).toBe('precondition_failed');
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body).toMatchObject({ autoRenew: false, version: read.body.version + 1 });
  });

  it('assigns licenses only to people of the account, never beyond the quantity', async () => {
    const { c, admin, subId } = await subscribed(3);
    const people = Array.from({ length: 5 }, () => ({ firstName: 'L', lastName: 'User', login: `${unique('lic')}@people.test`, role: 'user' }));
    const added = await call('POST', `/v1/accounts/${c.account.id}/users`, { token: admin, body: { users: people, sendActivationEmail: true } });
    const ids: string[] = added.body.items.map((u: { id: string }) => u.id);
    const first = await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: ids.slice(0, 3) } });
    expect(first.status).toBe(200);
    expect(first.body.assignedCount).toBe(3);
    const full = await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: [ids[3]] } });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('seats_exhausted');
    expect((await call('POST', `/v1/subscriptions/${subId}/quantity`, { token: admin, body: { quantity: 2 }, headers: { 'idempotency-key': unique('q') } })).body.error.code).toBe('below_assigned');

    const other = await createCustomer(staff);
    const foreign = await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: [other.admin.id] } });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.code).toBe('user_not_assignable');
    await call('POST', `/v1/users/${ids[4]}/deactivate`, { token: admin });
    await call('POST', `/v1/subscriptions/${subId}/assignments/remove`, { token: admin, body: { userIds: [ids[2]] } });
    expect((await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: [ids[4]] } })).body.error.code).toBe('user_not_assignable');
    expect((await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: Array.from({ length: 21 }, () => ids[0]) } })).status).toBe(400);

    const list = await call('GET', `/v1/subscriptions/${subId}/assignments`, { token: admin });
    expect(list.body.items.map((a: { userId: string }) => a.userId).sort()).toEqual([ids[0], ids[1]].sort());
    expect(list.body.assignedCount).toBe(2);

    // the user sees its license; deleting a user frees its seat
    const pw = 'License-Holder-Pass-1';
    await call('POST', `/v1/users/${ids[0]}/password`, { token: admin, body: { password: pw } });
    const holder = await login(people[0]!.login, pw);
    const licenses = await call('GET', '/v1/me/licenses', { token: holder });
    expect(licenses.body.items).toEqual([expect.objectContaining({ subscriptionId: subId, name: 'Microsoft 365 Business Basic', status: 'active' })]);
    expect((await call('DELETE', `/v1/users/${ids[0]}`, { token: admin })).status).toBe(204);
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.assignedCount).toBe(1);
  });

  it('keeps the seat of a deactivated user, as an admin center does for a blocked sign-in', async () => {
    const { c, admin, subId } = await subscribed(1);
    const added = await call('POST', `/v1/accounts/${c.account.id}/users`, { token: admin, body: { users: [{ firstName: 'K', lastName: 'Keep', login: `${unique('keep')}@people.test`, role: 'user' }], sendActivationEmail: true } });
    const userId = added.body.items[0].id;
    await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: [userId] } });
    await call('POST', `/v1/users/${userId}/deactivate`, { token: admin });
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.assignedCount).toBe(1);
  });

  const SEATS = scaled(10, 100);
  const REQUESTS = SEATS * 10;
  it(`assigns exactly ${SEATS} of ${REQUESTS} parallel single-user requests on ${SEATS} free seats`, async () => {
    const { c, admin, subId } = await subscribed(SEATS);
    const ids: string[] = [];
    for (let batch = 0; batch < REQUESTS / 50; batch++) {
      const people = Array.from({ length: 50 }, () => ({ firstName: 'P', lastName: 'Arallel', login: `${unique('par')}@people.test`, role: 'user' }));
      const r = await call('POST', `/v1/accounts/${c.account.id}/users`, { token: admin, body: { users: people, sendActivationEmail: true } });
      expect(r.status).toBe(201);
      ids.push(...r.body.items.map((u: { id: string }) => u.id));
    }
    // Each request as a client sends it: a 503 try_again (too many concurrent changes on one
    // subscription) or the gateway's own 500 (the invocation ran past its timeout, which a
    // thousand at once in one local process can do on a slow machine) is sent again; assigning a
    // user who already holds a license changes nothing, so a retry is safe.
    const retried = new Map<number, number>();
    const assign = async (id: string) => {
      for (let attempt = 0; ; attempt++) {
        const r = await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: [id] } });
        if (r.status < 500 || attempt === 5) return r;
        retried.set(r.status, (retried.get(r.status) ?? 0) + 1);
        await new Promise((res) => setTimeout(res, 100 + Math.random() * 400));
      }
    };
    const replies = await Promise.all(ids.map(assign));
    if (retried.size) console.log(`seats: ${REQUESTS} requests, retried ${JSON.stringify(Object.fromEntries(retried))}`);
    const ok = replies.filter((r) => r.status === 200);
    const exhausted = replies.filter((r) => r.status === 409 && r.body.error.code === 'seats_exhausted');
    expect(ok).toHaveLength(SEATS);
    expect(exhausted).toHaveLength(REQUESTS - SEATS);
    const sub = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
    const list = (await call('GET', `/v1/subscriptions/${subId}/assignments?limit=100`, { token: admin })).body;
    expect(sub.assignedCount).toBe(SEATS);
    expect(list.items).toHaveLength(SEATS);
  }, timeoutFor(120_000, 600_000));

  it('loses no update when quantity changes run in parallel', async () => {
    const { admin, subId } = await subscribed(10);
    const targets = Array.from({ length: scaled(6, 30) }, (_, i) => 11 + i);
    const replies = await Promise.all(targets.map((q) => change(admin, subId, { quantity: q })));
    const accepted = replies.filter((r) => r.status === 202);
    expect(replies.every((r) => r.status === 202 || (r.status === 503 && r.body.error.code === 'try_again'))).toBe(true);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const r of accepted) await waitOrder(r.body.id);
    const sub = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
    expect(targets).toContain(sub.quantity);
    // Every accepted change moved the count from the value the previous one left: their deltas add up.
    const orders = await Promise.all(accepted.map((r) => call('GET', `/v1/orders/${r.body.id}`, { token: admin })));
    const deltas = orders.reduce((n, o) => n + o.body.lines[0].quantity, 0);
    expect(10 + deltas).toBe(sub.quantity);
    expect(sub.cancellationWindows.reduce((n: number, w: { quantity: number }) => n + w.quantity, 0)).toBe(sub.quantity);
  }, timeoutFor(60_000, 300_000));

  it('leaves a self-service subscription to its buyer; admins only read it', async () => {
    const c = await createCustomer(staff, { settings: { allowSelfServicePurchases: true } });
    const admin = await login(c.login, c.password);
    const token = await call('POST', '/_local/payment-gateway/tokens', { body: { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123' } });
    const pm = await call('POST', `/v1/accounts/${c.account.id}/payment-methods`, { token: admin, body: { type: 'card', token: token.body.token, holderName: 'Ada' } });
    const person = { firstName: 'Sam', lastName: 'Self', login: `${unique('self')}@people.test`, role: 'user', password: 'Self-Service-Pass-1' };
    const added = await call('POST', `/v1/accounts/${c.account.id}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } });
    const user = await login(person.login, person.password);
    await call('POST', '/v1/cart/items', { token: user, body: { offerId: offer.id, quantity: 2 } });
    // The buyer pays with a card of its own (docs/product.md#self-service-subscriptions).
    const ownToken = await call('POST', '/_local/payment-gateway/tokens', { body: { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123' } });
    const own = await call('POST', `/v1/accounts/${c.account.id}/payment-methods`, { token: user, body: { type: 'card', token: ownToken.body.token, holderName: 'Sam' } });
    expect(own.body.id).not.toBe(pm.body.id);
    const placed = await call('POST', '/v1/cart/checkout', {
      token: user,
      body: { domain: makeOrderBody(offer.id).domain, paymentMethodId: own.body.id, customerAgreement: makeOrderBody(offer.id).customerAgreement },
      headers: { 'idempotency-key': unique('co') },
    });
    const subId = (await waitOrder(placed.body.id)).subscriptionIds[0];
    expect((await change(admin, subId, { quantity: 3 })).status).toBe(403);
    expect((await call('POST', `/v1/subscriptions/${subId}/cancel`, { token: admin, body: { reason: 'no' } })).status).toBe(403);
    expect((await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: [added.body.items[0].id] } })).status).toBe(403);
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).status).toBe(200);
    expect((await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: user, body: { userIds: [added.body.items[0].id] } })).status).toBe(200);
    const raised = await change(user, subId, { quantity: 3 });
    expect(raised.status).toBe(202);
    const mine = await call('GET', '/v1/subscriptions', { token: user });
    expect(mine.body.items.map((s: { id: string }) => s.id)).toEqual([subId]);
    void stack;
  });
});

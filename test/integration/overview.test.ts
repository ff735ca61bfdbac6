import { call, login, staffLogin, unique, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';

/**
 * The account overview (GET /v1/accounts/{accountId}/overview), over HTTP: the dashboard's one
 * request, its counts and sums as the other routes show them, and who may read it.
 */
describe('account overview', () => {
  let staff: string;
  let offerId: string;

  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });

  const place = (accountId: string, body: Record<string, unknown>) =>
    call('POST', `/v1/accounts/${accountId}/orders`, { token: staff, body: makeOrderBody(offerId, body), headers: { 'idempotency-key': unique('k') } });

  it('answers a new customer with nothing yet', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const r = await call('GET', `/v1/accounts/${c.account.id}/overview`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      accountId: c.account.id,
      subscriptions: [],
      openOrders: { count: 0, items: [] },
      unpaidInvoices: { count: 0, overdueCount: 0, total: { amount: 0, currency: 'EUR' }, nextDueAt: null },
    });
  });

  it('shows the subscriptions in use, the orders under way and what is owed, as the other routes do', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const first = await place(c.account.id, { lines: [{ offerId, quantity: 3 }], autoProcess: true });
    expect(first.status).toBe(201);
    const done = await waitOrder(first.body.id);
    expect(done.status).toBe('completed');
    const second = await place(c.account.id, { lines: [{ offerId, quantity: 7 }], domain: { mode: 'existing', domainId: done.domain.id }, autoProcess: true });
    expect((await waitOrder(second.body.id)).status).toBe('completed');
    // Not processed automatically: it waits at the first staff gate.
    const waiting = await place(c.account.id, { lines: [{ offerId, quantity: 2 }], domain: { mode: 'existing', domainId: done.domain.id } });
    expect((await waitOrder(waiting.body.id)).status).toBe('new');

    const r = await call('GET', `/v1/accounts/${c.account.id}/overview`, { token: admin });
    expect(r.status).toBe(200);
    const subs = (await call('GET', `/v1/subscriptions?accountId=${c.account.id}&limit=100`, { token: admin })).body.items;
    const inUse = subs.filter((s: { status: string }) => s.status !== 'cancelled' && s.status !== 'expired');
    expect(r.body.subscriptions.map((s: { id: string }) => s.id).sort()).toEqual(inUse.map((s: { id: string }) => s.id).sort());
    // Two active subscriptions, and the pending one of the waiting order.
    expect(r.body.subscriptions.map((s: { status: string; quantity: number }) => `${s.status}:${s.quantity}`).sort()).toEqual(['active:3', 'active:7', 'pending:2']);
    expect(r.body.openOrders.count).toBe(1);
    expect(r.body.openOrders.items.map((o: { id: string }) => o.id)).toEqual([waiting.body.id]);

    const invoices = (await call('GET', `/v1/invoices?accountId=${c.account.id}&limit=100`, { token: admin })).body.items as Array<{ status: string; total: { amount: number }; dueAt: string }>;
    const toPay = invoices.filter((i) => i.status === 'unpaid' || i.status === 'overdue');
    expect(toPay).toHaveLength(3);
    expect(r.body.unpaidInvoices).toEqual({
      count: 3,
      overdueCount: 0,
      total: { amount: toPay.reduce((n, i) => n + i.total.amount, 0), currency: 'EUR' },
      nextDueAt: toPay.map((i) => i.dueAt).sort()[0],
    });

    // Staff above the customer read the same; cancelling the waiting order takes it and its invoice out.
    expect((await call('POST', `/v1/orders/${waiting.body.id}/cancel`, { token: staff })).status).toBe(200);
    const after = await call('GET', `/v1/accounts/${c.account.id}/overview`, { token: staff });
    expect(after.status).toBe(200);
    expect(after.body.openOrders).toEqual({ count: 0, items: [] });
    expect(after.body.unpaidInvoices.count).toBe(2);
    expect(after.body.subscriptions.map((s: { quantity: number }) => s.quantity).sort()).toEqual([3, 7]);
  });

  it('is for staff and customer admins on accounts in scope: a customer user is refused, another tenant is not found', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const userLogin = `${unique('user')}@customer.test`;
    const added = await call('POST', `/v1/accounts/${c.account.id}/users`, {
      token: admin,
      body: { sendActivationEmail: false, users: [{ firstName: 'Uma', lastName: 'User', login: userLogin, role: 'user', password: 'User-Password-2027' }] },
    });
    expect(added.status).toBe(201);
    const user = await login(userLogin, 'User-Password-2027');
    expect((await call('GET', `/v1/accounts/${c.account.id}/overview`, { token: user })).status).toBe(403);

    const other = await createCustomer(staff);
    const otherAdmin = await login(other.login, other.password);
    const r = await call('GET', `/v1/accounts/${c.account.id}/overview`, { token: otherAdmin });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});

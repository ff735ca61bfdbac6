import { call, login, staffLogin, unique, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';

/**
 * Who moved an order, by name, and which customer it is for: `statusHistory[].by.name` (read when
 * answered; under "log in as" the real person; a deleted user null) and `accountName` (stored when
 * the order is placed), on every route that answers an order.
 */
describe('orders name who acted and the customer', () => {
  let staff: string;
  let me: { id: string; firstName: string; lastName: string };
  let offerId: string;
  beforeAll(async () => {
    staff = await staffLogin();
    me = (await call('GET', '/v1/me', { token: staff })).body;
    offerId = (await firstOffer(staff)).offer.id;
  });

  const place = (token: string, accountId: string, extra: Record<string, unknown> = {}) =>
    call('POST', `/v1/accounts/${accountId}/orders`, { token, body: makeOrderBody(offerId, extra), headers: { 'idempotency-key': unique('k') } });

  it('answers the acting staff user\'s name at each step and the customer\'s name, on the order, the list and the gate actions', async () => {
    const c = await createCustomer(staff);
    const placed = await place(staff, c.account.id);
    expect(placed.status).toBe(201);
    const staffName = `${me.firstName} ${me.lastName}`;
    expect(placed.body).toMatchObject({ accountName: c.account.name, statusHistory: [{ status: 'new', by: { userId: me.id, name: staffName } }] });
    await waitOrder(placed.body.id);

    const opened = await call('POST', `/v1/orders/${placed.body.id}/open`, { token: staff });
    expect(opened.body.statusHistory.map((h: { status: string; by: unknown }) => [h.status, h.by])).toEqual([
      ['new', { userId: me.id, name: staffName }],
      ['open', { userId: me.id, name: staffName }],
    ]);
    const listed = await call('GET', `/v1/orders?accountId=${c.account.id}`, { token: staff });
    expect(listed.body.items).toEqual([expect.objectContaining({ id: placed.body.id, accountName: c.account.name, statusHistory: opened.body.statusHistory })]);

    // The customer's admin reads the same names.
    const admin = await login(c.login, c.password);
    expect((await call('GET', `/v1/orders/${placed.body.id}`, { token: admin })).body.statusHistory).toEqual(opened.body.statusHistory);
  });

  it('names the system without a name, and the real person under "log in as"', async () => {
    const c = await createCustomer(staff);
    const auto = await place(staff, c.account.id, { autoProcess: true });
    const done = await waitOrder(auto.body.id);
    expect(done.status).toBe('completed');
    const history = (await call('GET', `/v1/orders/${auto.body.id}`, { token: staff })).body.statusHistory as Array<{ status: string; by: Record<string, unknown> }>;
    expect(history.filter((h) => h.status !== 'new').map((h) => h.by)).toEqual(expect.arrayContaining([{ system: 'order-workflow' }]));
    expect(history.filter((h) => h.by.system).every((h) => !('name' in h.by))).toBe(true);

    const waiting = await place(staff, c.account.id);
    await waitOrder(waiting.body.id);
    const acting = await call('POST', '/v1/auth/impersonate', { token: staff, body: { userId: c.admin.id } });
    const cancelled = await call('POST', `/v1/orders/${waiting.body.id}/cancel`, { token: acting.body.accessToken });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.statusHistory.at(-1)).toEqual({ status: 'cancelled', at: expect.any(String), by: { userId: me.id, onBehalfOf: c.admin.id, name: `${me.firstName} ${me.lastName}` } });
  });

  it('names a user deleted since null, and keeps the id', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const second = { firstName: 'Gone', lastName: 'Soon', login: `${unique('gone')}@people.test`, role: 'admin', password: 'Second-Admin-Pass-1' };
    const added = await call('POST', `/v1/accounts/${c.account.id}/users`, { token: admin, body: { users: [second], sendActivationEmail: false } });
    const secondId = added.body.items[0].id as string;
    const secondToken = await login(second.login, second.password);

    const placed = await place(staff, c.account.id);
    await waitOrder(placed.body.id);
    const cancelled = await call('POST', `/v1/orders/${placed.body.id}/cancel`, { token: secondToken });
    expect(cancelled.body.statusHistory.at(-1).by).toEqual({ userId: secondId, name: 'Gone Soon' });

    expect((await call('DELETE', `/v1/users/${secondId}`, { token: admin })).status).toBe(204);
    const after = await call('GET', `/v1/orders/${placed.body.id}`, { token: admin });
    expect(after.body.statusHistory.at(-1).by).toEqual({ userId: secondId, name: null });
  });
});

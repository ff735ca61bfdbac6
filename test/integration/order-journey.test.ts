import { call, stack, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';

/**
 * The first journey of the product, over HTTP through the local gateway: a distributor places an
 * order for a customer and moves it new → open → provisioning → completed (docs/product.md#orders-and-the-fulfillment-workflow, docs/product.md#orders).
 */
describe('a distributor order through the fulfillment workflow', () => {
  let staff: string;
  let offerId: string;

  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });

  const place = (accountId: string, body: unknown, key = unique('key')) =>
    call('POST', `/v1/accounts/${accountId}/orders`, { token: staff, body, headers: { 'idempotency-key': key } });

  it('waits at both gates, completes, activates the subscription and emails the customer admin in their locale', async () => {
    const customer = await createCustomer(staff, {}, { locale: 'es' });
    const body = makeOrderBody(offerId, { lines: [{ offerId, quantity: 7 }] });
    const placed = await place(customer.account.id, body);
    expect(placed.status).toBe(201);
    expect(placed.body.status).toBe('new');
    expect(placed.body.number).toMatch(/^SO-\d{6}$/);
    const orderId = placed.body.id;

    const atGate1 = await waitOrder(orderId);
    expect(atGate1.status).toBe('new');
    expect(atGate1.waitingAt).toBe('open');
    expect(atGate1.workflow.state).toBe('waiting');

    const opened = await call('POST', `/v1/orders/${orderId}/open`, { token: staff });
    expect(opened.status).toBe(200);
    expect(opened.body.status).toBe('open');
    const atGate2 = await waitOrder(orderId);
    expect(atGate2.status).toBe('open');
    expect(atGate2.waitingAt).toBe('provision');

    const provisioning = await call('POST', `/v1/orders/${orderId}/provision`, { token: staff });
    expect(provisioning.status).toBe(202);
    expect(provisioning.body.status).toBe('provisioning');

    const done = await waitOrder(orderId);
    expect(done.status).toBe('completed');
    expect(done.workflow.state).toBe('succeeded');
    expect(done.statusHistory.map((h: { status: string }) => h.status)).toEqual(['new', 'open', 'provisioning', 'completed']);
    for (const h of done.statusHistory) expect(Date.parse(h.at)).not.toBeNaN();

    const order = await call('GET', `/v1/orders/${orderId}`, { token: staff });
    expect(order.body.status).toBe('completed');
    const subscriptionId = order.body.subscriptionIds[0];
    const sub = await call('GET', `/v1/subscriptions/${subscriptionId}`, { token: staff });
    expect(sub.status).toBe(200);
    expect(sub.body).toMatchObject({
      status: 'active',
      quantity: 7,
      domain: `${body.domain.prefix}.onmicrosoft.com`,
      accountId: customer.account.id,
      autoRenew: true,
    });
    expect(sub.body.cancellationWindows).toEqual([{ quantity: 7, until: expect.any(String) }]);

    const mail = await waitForEmail((e) => e.destination.to.includes(customer.login) && e.subject.includes(placed.body.number));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toMatch(/pedido/i);
    expect(mail[0]!.body.text).toContain(`${body.domain.prefix}.onmicrosoft.com`);
    expect(mail[0]!.body.html).toContain('<html lang="es"');

    const account = await call('GET', `/v1/accounts/${customer.account.id}`, { token: staff });
    expect(account.body.customerAgreement).toMatchObject({ email: body.customerAgreement.email });
  });

  it('answers a gate action with the order as it stands after the move, not waiting at the gate it just passed', async () => {
    const customer = await createCustomer(staff);
    const placed = await place(customer.account.id, makeOrderBody(offerId));
    expect(placed.status).toBe(201);
    const orderId = placed.body.id;
    expect((await waitOrder(orderId)).waitingAt).toBe('open');

    const opened = await call('POST', `/v1/orders/${orderId}/open`, { token: staff });
    expect(opened.status).toBe(200);
    expect(opened.body.status).toBe('open');
    // Past gate 1: not waiting, or already parked at gate 2.
    expect([null, 'provision']).toContain(opened.body.waitingAt);
    expect(opened.body.statusHistory.map((h: { status: string }) => h.status)).toEqual(['new', 'open']);

    expect((await waitOrder(orderId)).waitingAt).toBe('provision');
    const provisioning = await call('POST', `/v1/orders/${orderId}/provision`, { token: staff });
    expect(provisioning.status).toBe(202);
    expect(provisioning.body.status).toBe('provisioning');
    expect(provisioning.body.waitingAt).toBeNull();
    expect(provisioning.body.statusHistory.map((h: { status: string }) => h.status)).toEqual(['new', 'open', 'provisioning']);
    expect((await waitOrder(orderId)).status).toBe('completed');
  });

  it('processes automatically without stopping at the gates when the request says autoProcess', async () => {
    const customer = await createCustomer(staff);
    const placed = await place(customer.account.id, makeOrderBody(offerId, { autoProcess: true }));
    expect(placed.status).toBe(201);
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    expect(done.workflow.statesEntered).not.toContain('AwaitOpen');
    expect(done.workflow.statesEntered).toContain('AutoAdvance');
    expect(done.workflow.statesEntered.length).toBeLessThanOrEqual(15);
    expect(done.statusHistory.map((h: { status: string; by: { system?: string } }) => [h.status, h.by.system ?? 'person'])).toEqual([
      ['new', 'person'],
      ['open', 'order-workflow'],
      ['provisioning', 'order-workflow'],
      ['completed', 'order-workflow'],
    ]);
  });

  it('ends failed with a reason, releases the subscriptions and emails the distributor when the vendor refuses (fail-)', async () => {
    const customer = await createCustomer(staff);
    const prefix = unique('fail').toLowerCase();
    const placed = await place(customer.account.id, makeOrderBody(offerId, { autoProcess: true, domain: { mode: 'create', prefix, company: makeOrderBody(offerId).domain.company } }));
    expect(placed.status).toBe(201);
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('failed');
    expect(done.failureReason).toMatch(/refused/);
    expect(done.statusHistory.at(-1)).toMatchObject({ status: 'failed', reason: done.failureReason });
    const sub = await call('GET', `/v1/subscriptions/${done.subscriptionIds[0]}`, { token: staff });
    expect(sub.body.status).toBe('cancelled');
    const mail = await waitForEmail((e) => e.destination.to.includes(stack().adminLogin) && e.subject.includes(placed.body.number));
    expect(mail[0]!.body.text).toContain(done.failureReason);
  });

  it('completes a slow- tenant after several status checks', async () => {
    const customer = await createCustomer(staff);
    const prefix = unique('slow').toLowerCase();
    const placed = await place(customer.account.id, makeOrderBody(offerId, { autoProcess: true, domain: { mode: 'create', prefix, company: makeOrderBody(offerId).domain.company } }));
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    const checks = done.workflow.statesEntered.filter((s: string) => s === 'CheckVendor').length;
    expect(checks).toBeGreaterThanOrEqual(5);
  });

  it('orders again on the domain an earlier order created', async () => {
    const customer = await createCustomer(staff);
    const first = await place(customer.account.id, makeOrderBody(offerId, { autoProcess: true }));
    const done = await waitOrder(first.body.id);
    expect(done.status).toBe('completed');
    const second = await place(customer.account.id, {
      lines: [{ offerId, quantity: 2 }],
      domain: { mode: 'existing', domainId: done.domain.id },
      autoProcess: true,
    });
    expect(second.status).toBe(201);
    expect((await waitOrder(second.body.id)).status).toBe('completed');
  });

  it('cancels an order in new or open, and refuses to cancel a completed one', async () => {
    const customer = await createCustomer(staff);
    const a = await place(customer.account.id, makeOrderBody(offerId));
    await waitOrder(a.body.id);
    const cancelledNew = await call('POST', `/v1/orders/${a.body.id}/cancel`, { token: staff });
    expect(cancelledNew.status).toBe(200);
    expect(cancelledNew.body.status).toBe('cancelled');
    expect((await waitOrder(a.body.id)).workflow.state).toBe('aborted');

    const b = await place(customer.account.id, makeOrderBody(offerId));
    await waitOrder(b.body.id);
    await call('POST', `/v1/orders/${b.body.id}/open`, { token: staff });
    await waitOrder(b.body.id);
    const cancelledOpen = await call('POST', `/v1/orders/${b.body.id}/cancel`, { token: staff });
    expect(cancelledOpen.body.status).toBe('cancelled');
    expect(cancelledOpen.body.statusHistory.map((h: { status: string }) => h.status)).toEqual(['new', 'open', 'cancelled']);
    const gone = await call('POST', `/v1/orders/${b.body.id}/provision`, { token: staff });
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('invalid_state');

    const c = await place(customer.account.id, makeOrderBody(offerId, { autoProcess: true }));
    expect((await waitOrder(c.body.id)).status).toBe('completed');
    const late = await call('POST', `/v1/orders/${c.body.id}/cancel`, { token: staff });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('invalid_state');
  });

  it('refuses a domain that is taken and needs the customer agreement on the first order', async () => {
    const customer = await createCustomer(staff);
    const noAgreement = makeOrderBody(offerId) as Record<string, unknown>;
    delete noAgreement.customerAgreement;
    const refused = await place(customer.account.id, noAgreement);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('customer_agreement_required');

    const ext = await place(customer.account.id, makeOrderBody(offerId, { domain: { mode: 'create', prefix: 'ext-contoso', company: makeOrderBody(offerId).domain.company } }));
    expect(ext.status).toBe(409);
    expect(ext.body.error.code).toBe('domain_taken');

    const body = makeOrderBody(offerId);
    expect((await place(customer.account.id, body)).status).toBe(201);
    const clash = await place(customer.account.id, body);
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('domain_taken');
  });

  it('shows what the vendor says about a provisioning order', async () => {
    const customer = await createCustomer(staff);
    const placed = await place(customer.account.id, makeOrderBody(offerId, { autoProcess: true }));
    await waitOrder(placed.body.id);
    const check = await call('GET', `/v1/orders/${placed.body.id}/provisioning`, { token: staff });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ orderId: placed.body.id, status: 'completed', vendor: { status: 'succeeded' } });
  });

  it('lists orders with filters, newest first', async () => {
    const customer = await createCustomer(staff);
    const one = await place(customer.account.id, makeOrderBody(offerId));
    const two = await place(customer.account.id, makeOrderBody(offerId));
    await waitOrder(two.body.id);
    await call('POST', `/v1/orders/${two.body.id}/cancel`, { token: staff });
    const all = await call('GET', `/v1/orders?accountId=${customer.account.id}`, { token: staff });
    expect(all.body.items.map((o: { id: string }) => o.id)).toEqual([two.body.id, one.body.id]);
    const cancelled = await call('GET', `/v1/orders?accountId=${customer.account.id}&status=cancelled`, { token: staff });
    expect(cancelled.body.items.map((o: { id: string }) => o.id)).toEqual([two.body.id]);
    const paged = await call('GET', `/v1/orders?accountId=${customer.account.id}&limit=1`, { token: staff });
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.nextCursor).toEqual(expect.any(String));
    const next = await call('GET', `/v1/orders?accountId=${customer.account.id}&limit=1&cursor=${encodeURIComponent(paged.body.nextCursor)}`, { token: staff });
    expect(next.body.items[0].id).toBe(one.body.id);
  });
});

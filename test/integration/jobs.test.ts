import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RENEWAL_SCALE, seedRenewalScale } from '../factories/renewal-scale.ts';
import { call, emails, login, stack, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { createCustomer, createProduct, makeOrderBody } from '../factories/index.ts';

/**
 * Billing and the scheduled jobs (docs/product.md#billing, docs/product.md#scheduled-jobs), driven by the local clock and
 * `POST /_local/jobs/{name}`, which runs a job for the clock's day and waits.
 */
const setClock = (iso: string) => call('PUT', '/_local/clock', { body: { now: iso } });
const job = async (name: string, query = '') => {
  const r = await call('POST', `/_local/jobs/${name}${query}`);
  if (r.status !== 200) throw new Error(`job ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { processed: number; skipped: number; itemsRead: number; done: boolean; day: string };
};

async function offerId(token: string, term: string, billingPeriod: string) {
  const r = await call('GET', '/v1/catalog/products?q=business%20basic', { token });
  return r.body.items[0].offers.find((o: { term: string; billingPeriod: string }) => o.term === term && o.billingPeriod === billingPeriod).id as string;
}

async function addCard(token: string, accountId: string, number = '4242424242424242') {
  const t = await call('POST', '/_local/payment-gateway/tokens', { body: { number, expMonth: 12, expYear: 2035, cvc: '123' } });
  const pm = await call('POST', `/v1/accounts/${accountId}/payment-methods`, { token, body: { type: 'card', token: t.body.token, holderName: 'Ada Admin', setDefault: true } });
  if (pm.status !== 201) throw new Error(`card: ${pm.status} ${JSON.stringify(pm.body)}`);
  return pm.body.id as string;
}

describe('billing and scheduled jobs', () => {
  afterEach(() => call('DELETE', '/_local/clock'));

  /** A customer and one subscription bought on `day` by a staff order (invoiced unpaid). */
  async function boughtOn(day: string, term: string, billingPeriod: string, quantity = 3) {
    await setClock(`${day}T09:00:00Z`);
    const staff = await staffLogin();
    const c = await createCustomer(staff);
    const oid = await offerId(staff, term, billingPeriod);
    const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(oid, { lines: [{ offerId: oid, quantity }], autoProcess: true }),
      headers: { 'idempotency-key': unique('k') },
    });
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    return { c, subId: done.subscriptionIds[0] as string, order: placed.body };
  }

  it('dunning: due on the 26th, reminded on the 23rd, overdue and suspended on the 27th, reactivated when paid', async () => {
    const { c, subId, order } = await boughtOn('2027-01-10', 'P1M', 'monthly');
    let admin = await login(c.login, c.password);
    const invoice = (await call('GET', `/v1/invoices?accountId=${c.account.id}`, { token: admin })).body.items.find((i: { orderId: string }) => i.orderId === order.id);
    expect(invoice).toMatchObject({ status: 'unpaid', dueAt: '2027-01-26' });

    await setClock('2027-01-23T01:00:00Z');
    expect((await job('dunning')).processed).toBeGreaterThanOrEqual(1);
    await waitForEmail((e) => e.destination.to.includes(c.login) && e.body.text.includes(invoice.number));
    await job('dunning');

    await setClock('2027-01-26T12:00:00Z');
    await job('dunning');
    admin = await login(c.login, c.password);
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.status).toBe('active');

    await setClock('2027-01-27T01:00:00Z');
    await job('dunning');
    await job('dunning');
    admin = await login(c.login, c.password);
    expect((await call('GET', `/v1/invoices/${invoice.id}`, { token: admin })).body.status).toBe('overdue');
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.status).toBe('suspended');
    const suspended = await waitForEmail((e) => e.destination.to.includes(c.login) && e.body.text.includes(invoice.number) && /suspend/i.test(e.subject));
    expect(suspended).toHaveLength(1);

    const declinedCard = await addCard(admin, c.account.id, '4000000000000002');
    const declined = await call('POST', `/v1/invoices/${invoice.id}/pay`, { token: admin, body: { paymentMethodId: declinedCard }, headers: { 'idempotency-key': unique('pay') } });
    expect(declined.status).toBe(402);
    expect(declined.body.error.code).toBe('payment_declined');
    await waitForEmail((e) => e.destination.to.includes(c.login) && e.body.text.includes(invoice.number) && /fail|declin/i.test(e.subject + e.body.text));

    // The processor takes the money but its answer is lost (sandbox card …0119): 503 try_again, the
    // invoice stays overdue, and no "payment failed" email (checked at the end, once the outbox had time).
    const lostAnswerCard = await addCard(admin, c.account.id, '4000000000000119');
    const payKey = unique('pay');
    const unconfirmed = await call('POST', `/v1/invoices/${invoice.id}/pay`, { token: admin, body: { paymentMethodId: lostAnswerCard }, headers: { 'idempotency-key': payKey } });
    expect(unconfirmed.status).toBe(503);
    expect(unconfirmed.body.error.code).toBe('try_again');
    expect(unconfirmed.body.error.message).toMatch(/did not confirm the payment/);
    expect((await call('GET', `/v1/invoices/${invoice.id}`, { token: admin })).body.status).toBe('overdue');
    const failedEmails = async () =>
      (await emails()).filter((e) => e.destination.to.includes(c.login) && e.subject === `Payment for invoice ${invoice.number} failed`);

    const card = await addCard(admin, c.account.id);
    const paid = await call('POST', `/v1/invoices/${invoice.id}/pay`, { token: admin, body: { paymentMethodId: card }, headers: { 'idempotency-key': unique('pay') } });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', paidAt: expect.any(String) });
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.status).toBe('active');
    const again = await call('POST', `/v1/invoices/${invoice.id}/pay`, { token: admin, body: { paymentMethodId: card }, headers: { 'idempotency-key': unique('pay') } });
    expect(again.status).toBe(409);
    expect(await failedEmails()).toHaveLength(1); // the decline's only
  });

  it('renews at term end with the scheduled quantity, charges the default card, and runs once however often the job runs', async () => {
    const { c, subId } = await boughtOn('2027-03-10', 'P1M', 'monthly', 5);
    let admin = await login(c.login, c.password);
    await addCard(admin, c.account.id);
    await setClock('2027-03-20T09:00:00Z');
    admin = await login(c.login, c.password);
    const scheduled = await call('POST', `/v1/subscriptions/${subId}/quantity`, { token: admin, body: { quantity: 4, effective: 'renewal' }, headers: { 'idempotency-key': unique('q') } });
    expect(scheduled.body.scheduledQuantity).toBe(4);

    await setClock('2027-04-03T01:00:00Z');
    expect((await job('renewals')).processed).toBeGreaterThanOrEqual(1);
    await waitForEmail((e) => e.destination.to.includes(c.login) && /renew/i.test(e.subject));

    await setClock('2027-04-10T01:00:00Z');
    const first = await job('renewals');
    const second = await job('renewals');
    expect(first.processed).toBeGreaterThanOrEqual(1);
    expect(second.processed).toBe(0);
    admin = await login(c.login, c.password);
    const orders = (await call('GET', `/v1/orders?type=renewal`, { token: admin })).body.items;
    expect(orders).toHaveLength(1);
    expect((await waitOrder(orders[0].id)).status).toBe('completed');
    const sub = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
    expect(sub).toMatchObject({ status: 'active', quantity: 4, scheduledQuantity: null, currentTermStart: '2027-04-10', currentTermEnd: '2027-05-09' });
    const renewalInvoices = (await call('GET', `/v1/invoices?accountId=${c.account.id}&limit=100`, { token: admin })).body.items.filter((i: { reason: string }) => i.reason === 'renewal');
    expect(renewalInvoices).toHaveLength(1);
    expect(renewalInvoices[0]).toMatchObject({ status: 'paid', total: { amount: sub.unitPrice.amount * 4, currency: 'EUR' } });
    // The job's action is in the audit trail, by the system.
    const audit = (await call('GET', `/v1/accounts/${c.account.id}/audit-events?limit=100`, { token: admin })).body.items;
    expect(audit.find((e: { action: string }) => e.action === 'subscription.renewed')).toMatchObject({ resource: { type: 'subscription', id: subId }, actor: { system: 'renewals-job' } });
  });

  it('expires a subscription whose auto-renew is off', async () => {
    const { c, subId } = await boughtOn('2027-05-10', 'P1M', 'monthly');
    let admin = await login(c.login, c.password);
    await call('PATCH', `/v1/subscriptions/${subId}`, { token: admin, body: { autoRenew: false } });
    await setClock('2027-06-10T01:00:00Z');
    await job('renewals');
    admin = await login(c.login, c.password);
    expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.status).toBe('expired');
    expect((await call('GET', '/v1/orders?type=renewal', { token: admin })).body.items).toEqual([]);
  });

  it('bills each month of a one-year term billed monthly, once', async () => {
    const { c, subId } = await boughtOn('2027-07-10', 'P1Y', 'monthly', 2);
    await setClock('2027-08-10T01:00:00Z');
    const first = await job('billing');
    const second = await job('billing');
    expect(first.processed).toBeGreaterThanOrEqual(1);
    expect(second.processed).toBe(0);
    const admin = await login(c.login, c.password);
    const periodic = (await call('GET', `/v1/invoices?accountId=${c.account.id}&limit=100`, { token: admin })).body.items.filter((i: { reason: string }) => i.reason === 'billing_period');
    expect(periodic).toHaveLength(1);
    expect(periodic[0]).toMatchObject({ status: 'unpaid', dueAt: '2027-08-26' });
    expect(periodic[0].lines[0].subscriptionId).toBe(subId);
  });

  it('continues an interrupted job where it stopped and completes the rest once', async () => {
    await setClock('2027-09-10T09:00:00Z');
    const staff = await staffLogin();
    const c = await createCustomer(staff);
    const oid = await offerId(staff, 'P1M', 'monthly');
    const subs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
        token: await staffLogin(),
        body: makeOrderBody(oid, { autoProcess: true }),
        headers: { 'idempotency-key': unique('k') },
      });
      subs.push((await waitOrder(placed.body.id)).subscriptionIds[0]);
    }
    await setClock('2027-10-10T01:00:00Z');
    const half = await job('renewals', '?maxItems=2');
    expect(half).toMatchObject({ done: false, processed: 2 });
    const rest = await job('renewals');
    expect(rest).toMatchObject({ done: true, processed: 3 });
    expect((await job('renewals')).processed).toBe(0);
    const admin = await login(c.login, c.password);
    const renewals = (await call('GET', '/v1/orders?type=renewal&limit=100', { token: admin })).body.items;
    expect(renewals).toHaveLength(5);
    expect(new Set(renewals.map((o: { subscriptionIds: string[] }) => o.subscriptionIds[0]))).toEqual(new Set(subs));
  });

  it('reads at most 1.2 items per due subscription with 10,000 subscriptions of which 1% are due', async () => {
    const dynamo = new DynamoDBClient({ endpoint: stack().dynamodbUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const { day } = RENEWAL_SCALE;
    const due = await seedRenewalScale(dynamo, 'cloud-license-portal', 'acc_01SCALETEST000000000000000');
    await setClock(`${day}T01:00:00Z`);
    const result = await job('renewals');
    expect(result.processed).toBe(due);
    expect(result.itemsRead / result.processed).toBeLessThanOrEqual(1.2);
    dynamo.destroy();
  }, 180_000);
});

describe('the cancellation window of a renewal', () => {
  afterEach(() => call('DELETE', '/_local/clock'));

  it("follows the product's cancellationWindowHours (24 here), from the renewal", async () => {
    await setClock('2027-11-10T09:00:00Z');
    const staff = await staffLogin();
    const product = await createProduct(staff, { cancellationWindowHours: 24 });
    const oid = product.offers.find((o) => o.term === 'P1M' && o.billingPeriod === 'monthly')!.id;
    const c = await createCustomer(staff);
    const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(oid, { lines: [{ offerId: oid, quantity: 2 }], autoProcess: true }),
      headers: { 'idempotency-key': unique('k') },
    });
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    const subId = done.subscriptionIds[0] as string;

    await setClock('2027-12-10T01:00:00Z');
    await job('renewals');
    const admin = await login(c.login, c.password);
    const renewal = (await call('GET', '/v1/orders?type=renewal', { token: admin })).body.items[0];
    expect(renewal).toBeDefined();
    const sub = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
    expect(sub).toMatchObject({ currentTermStart: '2027-12-10', quantity: 2 });
    // One window for the renewed licenses, closing 24 hours (not 168) after the renewal was made.
    expect(sub.cancellationWindows).toEqual([{ quantity: 2, until: new Date(Date.parse(renewal.createdAt) + 24 * 3_600_000).toISOString() }]);
  });
});

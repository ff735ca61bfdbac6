import { call, emails, login, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { addCard, createCustomer, makeOrderBody } from '../factories/index.ts';

/**
 * Not paying (docs/product.md#billing "Not paying", docs/product.md#scheduled-jobs `dunning`): an
 * unpaid invoice becomes overdue and suspends what it bills; 7 days before the account's grace ends
 * the billing contact is warned, and on its last day what is still suspended is cancelled, once,
 * however often a day's job runs; paying before then stops it. The billing contact (an account
 * field) receives the invoice and dunning emails instead of the admins. Driven by the local clock
 * and `POST /_local/jobs/{name}`, in 2029 so no other file's invoices fall on these days.
 */
const setClock = (iso: string) => call('PUT', '/_local/clock', { body: { now: iso } });
const job = async (name: string) => {
  const r = await call('POST', `/_local/jobs/${name}`);
  if (r.status !== 200) throw new Error(`job ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { processed: number; skipped: number; day: string };
};
const runOn = async (day: string, name = 'dunning', times = 1) => {
  await setClock(`${day}T01:00:00Z`);
  for (let i = 0; i < times; i++) await job(name);
};

type Customer = Awaited<ReturnType<typeof createCustomer>>;
const tokenOf = (c: Customer) => login(c.login, c.password);
const mailsTo = async (to: string, subject: RegExp) => (await emails()).filter((e) => e.destination.to.includes(to) && subject.test(e.subject));
/** Lets the notifier catch up before counting what was (not) sent. */
const settle = () => new Promise((r) => setTimeout(r, 3000));

async function buy(staff: string, c: Customer, term: string, billingPeriod: string) {
  const products = await call('GET', '/v1/catalog/products?q=business%20basic', { token: staff });
  const offerId = products.body.items[0].offers.find((o: { term: string; billingPeriod: string }) => o.term === term && o.billingPeriod === billingPeriod).id as string;
  const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
    token: staff,
    body: makeOrderBody(offerId, { lines: [{ offerId, quantity: 3 }], autoProcess: true }),
    headers: { 'idempotency-key': unique('k') },
  });
  expect(placed.status).toBe(201);
  const done = await waitOrder(placed.body.id);
  expect(done.status).toBe('completed');
  const invoice = (await call('GET', `/v1/invoices?accountId=${c.account.id}`, { token: staff })).body.items.find((i: { orderId: string }) => i.orderId === placed.body.id);
  return { subId: done.subscriptionIds[0] as string, invoice: invoice as { id: string; number: string; status: string; dueAt: string } };
}

describe('not paying: grace, warning and cancellation', () => {
  afterAll(() => call('DELETE', '/_local/clock'));

  it('suspends, warns 7 days before the grace ends and cancels on its day, once; paying in time stops it; the billing contact gets the emails', async () => {
    await setClock('2029-03-05T09:00:00Z');
    const staff = await staffLogin();
    // A: 10 days of grace (set by the parent); B: the default 30, pays in time; C: a billing contact.
    const a = await createCustomer(staff);
    const b = await createCustomer(staff);
    const c = await createCustomer(staff);
    const graced = await call('PATCH', `/v1/accounts/${a.account.id}`, { token: staff, body: { settings: { suspensionGraceDays: 10 } } });
    expect(graced.status).toBe(200);
    expect(graced.body.settings).toMatchObject({ suspensionGraceDays: 10, orderProcessing: 'automatic' });
    expect((await call('GET', `/v1/accounts/${b.account.id}`, { token: staff })).body).toMatchObject({ settings: { suspensionGraceDays: 30 }, billingContact: null });
    const contact = { name: 'Accounts Payable', email: `${unique('ap')}@customer.test` };
    const set = await call('PATCH', `/v1/accounts/${c.account.id}`, { token: await tokenOf(c), body: { billingContact: contact } });
    expect(set.status).toBe(200);
    expect(set.body.billingContact).toEqual(contact);

    const boughtA = await buy(staff, a, 'P1M', 'monthly');
    const boughtB = await buy(staff, b, 'P1M', 'monthly');
    const boughtC = await buy(staff, c, 'P1Y', 'monthly');
    expect(boughtA.invoice).toMatchObject({ status: 'unpaid', dueAt: '2029-03-26' });

    // Overdue the day after the due date: suspended, with the day of the cancellation shown.
    await runOn('2029-03-27');
    const subA = await call('GET', `/v1/subscriptions/${boughtA.subId}`, { token: await tokenOf(a) });
    expect(subA.body).toMatchObject({ status: 'suspended', suspendedAt: expect.stringMatching(/^2029-03-27T01:00/), cancelsOn: '2029-04-06' });
    expect((await call('GET', `/v1/subscriptions/${boughtB.subId}`, { token: await tokenOf(b) })).body).toMatchObject({ status: 'suspended', cancelsOn: '2029-04-26' });
    // C's suspension goes to its billing contact, not to its admin.
    await waitForEmail((e) => e.destination.to.includes(contact.email) && /suspended/i.test(e.subject) && e.body.text.includes(boughtC.invoice.number));
    await waitForEmail((e) => e.destination.to.includes(a.login) && /suspended/i.test(e.subject));

    // A (10 days): the warning on 03-30 (7 days before 04-06), not before, once for two runs.
    await runOn('2029-03-29');
    await runOn('2029-03-30', 'dunning', 2);
    const warnedA = await waitForEmail((e) => e.destination.to.includes(a.login) && /at risk/i.test(e.subject));
    expect(warnedA[0]!.subject).toBe(`Your service is at risk: pay invoice ${boughtA.invoice.number} or it is cancelled on April 6, 2029`);
    expect(warnedA[0]!.body.text).toContain('Business Basic');

    // The billing job of 04-05: C's monthly period invoice is emailed to its billing contact only.
    await runOn('2029-04-05', 'billing');
    await waitForEmail((e) => e.destination.to.includes(contact.email) && /has been issued/.test(e.subject) && !e.body.text.includes(boughtC.invoice.number));
    await runOn('2029-04-05');
    expect((await call('GET', `/v1/subscriptions/${boughtA.subId}`, { token: await tokenOf(a) })).body.status).toBe('suspended');

    // 04-06: A is cancelled, once, with its email, and the cancellation is audited.
    await runOn('2029-04-06', 'dunning', 2);
    const cancelledA = await call('GET', `/v1/subscriptions/${boughtA.subId}`, { token: await tokenOf(a) });
    expect(cancelledA.body).toMatchObject({ status: 'cancelled', autoRenew: false, cancelsOn: null, cancellation: { reason: 'not_paid' } });
    await waitForEmail((e) => e.destination.to.includes(a.login) && /^Subscriptions cancelled/.test(e.subject) && e.body.text.includes(boughtA.invoice.number));
    const audit = await call('GET', `/v1/accounts/${a.account.id}/audit-events?action=subscription.cancelled_unpaid`, { token: await staffLogin() });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ resource: { type: 'subscription', id: boughtA.subId }, actor: { system: 'dunning-job' } })]);
    await runOn('2029-04-07');

    // B: warned on 04-19, pays on 04-20 (reactivated, no cancellation day), nothing happens on 04-26.
    await runOn('2029-04-19');
    await waitForEmail((e) => e.destination.to.includes(b.login) && /at risk/i.test(e.subject));
    await setClock('2029-04-20T10:00:00Z');
    const tokenB = await tokenOf(b);
    const card = await addCard(tokenB, b.account.id);
    const paid = await call('POST', `/v1/invoices/${boughtB.invoice.id}/pay`, { token: tokenB, body: { paymentMethodId: card }, headers: { 'idempotency-key': unique('pay') } });
    expect(paid.status).toBe(200);
    expect((await call('GET', `/v1/subscriptions/${boughtB.subId}`, { token: tokenB })).body).toMatchObject({ status: 'active', cancelsOn: null });
    await runOn('2029-04-26', 'dunning', 2);
    expect((await call('GET', `/v1/subscriptions/${boughtB.subId}`, { token: await tokenOf(b) })).body.status).toBe('active');

    await settle();
    // Nothing twice: one suspension, one warning, one cancellation each; none to C's admin; none cancelled for B.
    expect(await mailsTo(a.login, /suspended/i)).toHaveLength(1);
    expect(await mailsTo(a.login, /at risk/i)).toHaveLength(1);
    expect(await mailsTo(a.login, /^Subscriptions cancelled/)).toHaveLength(1);
    expect(await mailsTo(b.login, /at risk/i)).toHaveLength(1);
    expect(await mailsTo(b.login, /^Subscriptions cancelled/)).toHaveLength(0);
    expect(await mailsTo(c.login, /invoice|suspended|at risk/i)).toHaveLength(0);
    expect(await mailsTo(contact.email, /suspended/i)).toHaveLength(1);
  });

  it('refuses bad grace days and billing contacts with 400, a customer setting its own grace days with 403, and changes nothing', async () => {
    const staff = await staffLogin();
    const c = await createCustomer(staff);
    const admin = await tokenOf(c);
    const before = (await call('GET', `/v1/accounts/${c.account.id}`, { token: staff })).body;
    for (const days of [0, 366, 1000, 1.5, -1, '30']) {
      const r = await call('PATCH', `/v1/accounts/${c.account.id}`, { token: staff, body: { settings: { suspensionGraceDays: days } } });
      expect([days, r.status, r.body.error?.code]).toEqual([days, 400, 'validation_failed']);
    }
    for (const billingContact of [{ name: 'AP', email: 'not-an-email' }, { name: '', email: 'ap@customer.test' }, { email: 'ap@customer.test' }, { name: 'AP', email: 'ap@customer.test', phone: '1' }, 'ap@customer.test']) {
      const r = await call('PATCH', `/v1/accounts/${c.account.id}`, { token: admin, body: { billingContact } });
      expect([billingContact, r.status, r.body.error?.code]).toEqual([billingContact, 400, 'validation_failed']);
    }
    const own = await call('PATCH', `/v1/accounts/${c.account.id}`, { token: admin, body: { settings: { suspensionGraceDays: 60 } } });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('forbidden');
    const after = (await call('GET', `/v1/accounts/${c.account.id}`, { token: staff })).body;
    expect(after).toEqual(before);

    // The edges are allowed; null removes the billing contact.
    expect((await call('PATCH', `/v1/accounts/${c.account.id}`, { token: staff, body: { settings: { suspensionGraceDays: 1 } } })).body.settings.suspensionGraceDays).toBe(1);
    expect((await call('PATCH', `/v1/accounts/${c.account.id}`, { token: staff, body: { settings: { suspensionGraceDays: 365 } } })).body.settings.suspensionGraceDays).toBe(365);
    const contact = { name: 'Accounts Payable', email: 'ap@customer.test' };
    expect((await call('PATCH', `/v1/accounts/${c.account.id}`, { token: staff, body: { billingContact: contact } })).body.billingContact).toEqual(contact);
    expect((await call('PATCH', `/v1/accounts/${c.account.id}`, { token: admin, body: { billingContact: null } })).body.billingContact).toBeNull();
  });
});

import { call, login, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { createCustomer, createProduct, makeOrderBody, nce } from '../factories/index.ts';

/**
 * Upgrades (docs/product.md#upgrades) over HTTP: all or part of a subscription's licenses move to
 * a product its product lists in `upgradeTargets`, priced by days on one netted `change` order,
 * with the assigned users, once under concurrency, at the staff gates for a manual account.
 */
const DAY = 86_400_000;
const STANDARD = 'prd_01JSTANDARD00000000000000M';
const PREMIUM = 'prd_01JPREM1VM000000000000000M';
const E3 = 'prd_01JE300000000000000000000M';
const BASIC = 'prd_01JBAS1C0000000000000000M1';

type Offer = { id: string; term: string; billingPeriod: string; price: { amount: number; currency: string } };
const monthlyYear = (offers: Offer[]) => offers.find((o) => o.term === 'P1Y' && o.billingPeriod === 'monthly')!;

async function setClock(at: Date | undefined) {
  if (at) await call('PUT', '/_local/clock', { body: { now: at.toISOString() } });
  else await call('DELETE', '/_local/clock');
}

describe('upgrades', () => {
  let staff: string;
  let basic: Offer;
  let standard: Offer;

  beforeAll(async () => {
    staff = await staffLogin();
    basic = monthlyYear((await call('GET', `/v1/catalog/products/${BASIC}`, { token: staff })).body.offers);
    standard = monthlyYear((await call('GET', `/v1/catalog/products/${STANDARD}`, { token: staff })).body.offers);
  });
  afterEach(() => setClock(undefined));

  /** A customer with an active subscription of `quantity` licenses of `offerId`, bought now. */
  async function subscribed(quantity: number, settings: Record<string, unknown> = {}, offerId = basic.id) {
    const c = await createCustomer(staff, Object.keys(settings).length ? { settings } : {});
    const admin = await login(c.login, c.password);
    const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(offerId, { lines: [{ offerId, quantity }], autoProcess: true }),
      headers: { 'idempotency-key': unique('k') },
    });
    const done = await waitOrder(placed.body.id);
    expect(done.status).toBe('completed');
    return { c, admin, subId: done.subscriptionIds[0] as string };
  }

  /** `count` users of the account, each assigned a license of the subscription in turn (so their assignedAt differ). */
  async function assignedUsers(c: { account: { id: string } }, admin: string, subId: string, count: number): Promise<string[]> {
    const people = Array.from({ length: count }, (_, i) => ({ firstName: `U${i}`, lastName: 'Seat', login: `${unique('seat')}@people.test`, role: 'user' }));
    const added = await call('POST', `/v1/accounts/${c.account.id}/users`, { token: admin, body: { users: people, sendActivationEmail: true } });
    expect(added.status).toBe(201);
    const ids: string[] = added.body.items.map((u: { id: string }) => u.id);
    for (const id of ids) expect((await call('POST', `/v1/subscriptions/${subId}/assignments`, { token: admin, body: { userIds: [id] } })).status).toBe(200);
    return ids;
  }

  const upgrade = (token: string, subId: string, body: unknown, key = unique('u')) =>
    call('POST', `/v1/subscriptions/${subId}/upgrade`, { token, body, headers: { 'idempotency-key': key } });
  const getSub = async (token: string, id: string) => (await call('GET', `/v1/subscriptions/${id}`, { token })).body;
  const holders = async (token: string, id: string) =>
    ((await call('GET', `/v1/subscriptions/${id}/assignments?limit=100`, { token })).body.items as Array<{ userId: string; assignedAt: string }>);

  it('moves every license and every assigned user to a new subscription of the target, netting credit and charge on one order', async () => {
    const { c, admin, subId } = await subscribed(5);
    const users = await assignedUsers(c, admin, subId, 2);
    const before = await getSub(admin, subId);

    const r = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 5 });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ type: 'change', status: 'new', total: { amount: (standard.price.amount - basic.price.amount) * 5, currency: 'EUR' } });
    // Bought and upgraded on the first day of the billing period: whole-period amounts, by days.
    expect(r.body.lines).toEqual([
      expect.objectContaining({ productId: BASIC, subscriptionId: subId, quantity: -5, total: { amount: -basic.price.amount * 5, currency: 'EUR' } }),
      expect.objectContaining({ productId: STANDARD, offerId: standard.id, quantity: 5, unitPrice: standard.price, total: { amount: standard.price.amount * 5, currency: 'EUR' } }),
    ]);
    const targetId = r.body.lines[1].subscriptionId as string;
    expect(r.body.subscriptionIds).toEqual([subId, targetId]);
    expect((await waitOrder(r.body.id)).status).toBe('completed');

    const source = await getSub(admin, subId);
    expect(source).toMatchObject({ status: 'cancelled', quantity: 0, assignedCount: 0 });
    expect(await holders(admin, subId)).toEqual([]);
    const target = await getSub(admin, targetId);
    expect(target).toMatchObject({
      status: 'active',
      productId: STANDARD,
      offerId: standard.id,
      quantity: 5,
      assignedCount: 2,
      domainId: before.domainId,
      currentTermStart: before.currentTermStart,
      currentTermEnd: before.currentTermEnd,
      unitPrice: standard.price,
    });
    // The upgrade opens the product's window (168 hours) on the licenses it added.
    expect(target.cancellationWindows).toEqual([{ quantity: 5, until: expect.any(String) }]);
    const until = Date.parse(target.cancellationWindows[0].until) - Date.parse(r.body.createdAt);
    expect(until).toBe(168 * 3_600_000);
    expect((await holders(admin, targetId)).map((a) => a.userId).sort()).toEqual([...users].sort());

    const invoice = (await call('GET', '/v1/invoices?limit=100', { token: admin })).body.items.find((i: { orderId: string }) => i.orderId === r.body.id);
    expect(invoice.net).toEqual({ amount: (standard.price.amount - basic.price.amount) * 5, currency: 'EUR' });
    expect(invoice.lines.map((l: { amount: { amount: number }; subscriptionId: string }) => [l.subscriptionId, l.amount.amount])).toEqual([
      [subId, -basic.price.amount * 5],
      [targetId, standard.price.amount * 5],
    ]);
    // The order-completed email says what was upgraded to what.
    const mail = await waitForEmail((e) => e.destination.to.includes(c.login) && e.subject.includes(r.body.number));
    expect(mail[0]!.body.text).toContain('You have upgraded 5 × Microsoft 365 Business Basic to:');
    expect(mail[0]!.body.text).toContain('5 × Microsoft 365 Business Standard');
  });

  it('moves part of the licenses with the longest-assigned users, then raises the same target with the next part', async () => {
    const { c, admin, subId } = await subscribed(10);
    await assignedUsers(c, admin, subId, 4);
    const order = (await holders(admin, subId)).sort((a, b) => a.assignedAt.localeCompare(b.assignedAt) || a.userId.localeCompare(b.userId)).map((a) => a.userId);

    const first = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 3 });
    expect(first.status).toBe(202);
    await waitOrder(first.body.id);
    const targetId = first.body.lines[1].subscriptionId as string;
    expect(await getSub(admin, subId)).toMatchObject({ status: 'active', quantity: 7, assignedCount: 1 });
    expect(await getSub(admin, targetId)).toMatchObject({ status: 'active', quantity: 3, assignedCount: 3 });
    expect((await holders(admin, targetId)).map((a) => a.userId).sort()).toEqual(order.slice(0, 3).sort());
    expect((await holders(admin, subId)).map((a) => a.userId)).toEqual([order[3]]);

    // The next part joins the same subscription (same product, domain, offer and term end).
    const second = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 2 });
    expect(second.status).toBe(202);
    expect(second.body.lines[1].subscriptionId).toBe(targetId);
    await waitOrder(second.body.id);
    expect(await getSub(admin, subId)).toMatchObject({ quantity: 5, assignedCount: 0 });
    const target = await getSub(admin, targetId);
    expect(target).toMatchObject({ quantity: 5, assignedCount: 4 });
    expect(target.cancellationWindows.map((w: { quantity: number }) => w.quantity)).toEqual([3, 2]);
    const inUse = (await call('GET', `/v1/subscriptions?accountId=${c.account.id}&status=active`, { token: staff })).body.items;
    expect(inUse.map((s: { id: string }) => s.id).sort()).toEqual([subId, targetId].sort());
  });

  it('refuses a target the product does not list (422 with the eligible list), too many licenses and an ended subscription, changing nothing', async () => {
    const { admin, subId } = await subscribed(3);
    const version = (await getSub(admin, subId)).version;
    const exchange = (await call('GET', '/v1/catalog/products?q=exchange%20online', { token: admin })).body.items[0];
    const refused = await upgrade(admin, subId, { targetProductId: exchange.id, quantity: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('upgrade_not_eligible');
    expect(refused.body.error.details[0]).toEqual({ path: 'targetProductId', eligible: [STANDARD, PREMIUM, E3] });

    const tooMany = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 4 });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'invalid_state', details: [{ path: 'quantity', available: 3, requested: 4 }] });
    expect((await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 0 })).status).toBe(400);
    expect((await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 1, extra: true })).status).toBe(400);
    expect(await getSub(admin, subId)).toMatchObject({ status: 'active', quantity: 3, version });

    // A downgrade is never an upgrade: the Standard subscription cannot go back to Basic.
    const up = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 3 });
    await waitOrder(up.body.id);
    const targetId = up.body.lines[1].subscriptionId as string;
    const down = await upgrade(admin, targetId, { targetProductId: BASIC, quantity: 1 });
    expect(down.status).toBe(422);
    expect(down.body.error.details[0].eligible).toEqual([PREMIUM, E3]);
    const ended = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 1 });
    expect(ended.status).toBe(409);
    expect(ended.body.error.code).toBe('invalid_state');
  });

  it('refuses a target without the same term and billing period, and keeps targets valid in the catalog', async () => {
    const target = await createProduct(staff, { offers: [{ term: 'P1Y', billingPeriod: 'annual', price: { amount: 9000, currency: 'EUR' } }] });
    const source = await createProduct(staff, { offers: nce(300), upgradeTargets: [target.id] });
    const self = await call('PATCH', `/v1/catalog/products/${source.id}`, { token: staff, body: { upgradeTargets: [source.id] } });
    expect(self.status).toBe(422);
    expect(self.body.error).toMatchObject({ code: 'invalid_upgrade_targets', details: [{ path: 'upgradeTargets.0', productId: source.id, reason: 'self' }] });
    const unknown = await call('PATCH', `/v1/catalog/products/${source.id}`, { token: staff, body: { upgradeTargets: ['prd_01JZZZZZZZZZZZZZZZZZZZZZZZ'] } });
    expect(unknown.body.error.details[0]).toMatchObject({ reason: 'unknown' });
    expect((await call('GET', `/v1/catalog/products/${source.id}`, { token: staff })).body.upgradeTargets).toEqual([target.id]);

    const { admin, subId } = await subscribed(2, {}, monthlyYear(source.offers as Offer[]).id);
    const missing = await upgrade(admin, subId, { targetProductId: target.id, quantity: 1 });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'upgrade_offer_missing', details: [{ path: 'targetProductId', term: 'P1Y', billingPeriod: 'monthly' }] });
  });

  it('moves the licenses once when two upgrades of one subscription race', async () => {
    const { c, admin, subId } = await subscribed(6);
    await assignedUsers(c, admin, subId, 6);
    const raced = await Promise.all([4, 4, 4].map((quantity) => upgrade(admin, subId, { targetProductId: STANDARD, quantity })));
    const won = raced.filter((r) => r.status === 202);
    expect(won).toHaveLength(1);
    expect(raced.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['invalid_state', 'invalid_state']);
    await waitOrder(won[0]!.body.id);
    const targetId = won[0]!.body.lines[1].subscriptionId as string;
    expect(await getSub(admin, subId)).toMatchObject({ quantity: 2, assignedCount: 2 });
    expect(await getSub(admin, targetId)).toMatchObject({ quantity: 4, assignedCount: 4 });
    expect(await holders(admin, subId)).toHaveLength(2);
    expect(await holders(admin, targetId)).toHaveLength(4);
    const orders = (await call('GET', `/v1/orders?accountId=${c.account.id}&type=change`, { token: staff })).body.items;
    expect(orders).toHaveLength(1);

    // Whole moves racing: one ends the source, the other finds nothing left.
    const all = await Promise.all([2, 2].map((quantity) => upgrade(admin, subId, { targetProductId: STANDARD, quantity })));
    expect(all.map((r) => r.status).sort()).toEqual([202, 409]);
    expect(await getSub(admin, targetId)).toMatchObject({ quantity: 6, assignedCount: 6 });
  });

  it("holds a manual account's upgrade at the staff gates: cancelled there it is all given back, provisioned it completes", async () => {
    const { c, admin, subId } = await subscribed(4, { orderProcessing: 'manual' });
    const users = await assignedUsers(c, admin, subId, 4);
    const first = await upgrade(admin, subId, { targetProductId: PREMIUM, quantity: 4 });
    expect(first.status).toBe(202);
    expect(await waitOrder(first.body.id)).toMatchObject({ status: 'new', waitingAt: 'open', automatic: false });
    const targetId = first.body.lines[1].subscriptionId as string;
    expect(await getSub(admin, targetId)).toMatchObject({ quantity: 4, assignedCount: 4 });

    expect((await call('POST', `/v1/orders/${first.body.id}/cancel`, { token: staff })).body.status).toBe('cancelled');
    expect(await getSub(admin, subId)).toMatchObject({ status: 'active', quantity: 4, assignedCount: 4 });
    expect((await holders(admin, subId)).map((a) => a.userId).sort()).toEqual([...users].sort());
    expect(await getSub(admin, targetId)).toMatchObject({ status: 'cancelled', assignedCount: 0 });
    expect(await holders(admin, targetId)).toEqual([]);

    const second = await upgrade(admin, subId, { targetProductId: PREMIUM, quantity: 2 });
    expect((await waitOrder(second.body.id)).waitingAt).toBe('open');
    expect((await call('POST', `/v1/orders/${second.body.id}/open`, { token: staff })).body.status).toBe('open');
    expect((await waitOrder(second.body.id)).waitingAt).toBe('provision');
    expect((await call('POST', `/v1/orders/${second.body.id}/provision`, { token: staff })).status).toBe(202);
    const done = await waitOrder(second.body.id);
    expect(done.statusHistory.map((h: { status: string }) => h.status)).toEqual(['new', 'open', 'provisioning', 'completed']);
    expect(await getSub(admin, subId)).toMatchObject({ status: 'active', quantity: 2, assignedCount: 2 });
    const premiumId = second.body.lines[1].subscriptionId as string;
    expect(await getSub(admin, premiumId)).toMatchObject({ status: 'active', quantity: 2, assignedCount: 2 });

    // A part that joins the existing target, cancelled at the gate: both subscriptions as they were.
    const keep = (await holders(admin, subId)).map((a) => a.userId).sort();
    const third = await upgrade(admin, subId, { targetProductId: PREMIUM, quantity: 1 });
    expect(third.body.lines[1].subscriptionId).toBe(premiumId);
    expect((await waitOrder(third.body.id)).waitingAt).toBe('open');
    expect(await getSub(admin, premiumId)).toMatchObject({ quantity: 3, assignedCount: 3 });
    expect((await call('POST', `/v1/orders/${third.body.id}/cancel`, { token: staff })).body.status).toBe('cancelled');
    expect(await getSub(admin, subId)).toMatchObject({ status: 'active', quantity: 2, assignedCount: 2 });
    expect((await holders(admin, subId)).map((a) => a.userId).sort()).toEqual(keep);
    const premium = await getSub(admin, premiumId);
    expect(premium).toMatchObject({ status: 'active', quantity: 2, assignedCount: 2 });
    expect(premium.cancellationWindows.map((w: { quantity: number }) => w.quantity)).toEqual([2]);
  });

  it('answers a retry with the same Idempotency-Key with the first order, and refuses the key with another body', async () => {
    const { admin, subId } = await subscribed(4);
    const key = unique('same');
    const first = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 1 }, key);
    expect(first.status).toBe(202);
    const again = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 1 }, key);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    const other = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 2 }, key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await getSub(admin, subId)).toMatchObject({ quantity: 3 });
    const missing = await call('POST', `/v1/subscriptions/${subId}/upgrade`, { token: admin, body: { targetProductId: STANDARD, quantity: 1 } });
    expect(missing.status).toBe(400);
  });

  it('prices by days: 10 days into the billing period, a credit and a charge for the days left', async () => {
    const { c, subId } = await subscribed(3);
    const admin0 = await login(c.login, c.password);
    const before = await getSub(admin0, subId);
    await setClock(new Date(Date.now() + 10 * DAY));
    const admin = await login(c.login, c.password);
    const r = await upgrade(admin, subId, { targetProductId: STANDARD, quantity: 2 });
    expect(r.status).toBe(202);
    // The billing period: the term's start to the day before the same day a month later.
    const start = before.currentTermStart as string;
    const [y, m, d] = start.split('-').map(Number) as [number, number, number];
    const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    const nextStart = Date.UTC(y, m, Math.min(d, last));
    const total = Math.round((nextStart - Date.parse(`${start}T00:00:00Z`)) / DAY);
    const today = Date.parse(`${r.body.createdAt.slice(0, 10)}T00:00:00Z`);
    const left = Math.round((nextStart - today) / DAY);
    const byDays = (unit: number) => Math.floor((2 * unit * 2 * left + total) / (2 * total));
    expect(left).toBeLessThan(total);
    expect(r.body.lines.map((l: { total: { amount: number } }) => l.total.amount)).toEqual([-byDays(basic.price.amount), byDays(standard.price.amount)]);
    expect(r.body.total.amount).toBe(byDays(standard.price.amount) - byDays(basic.price.amount));
  });
});

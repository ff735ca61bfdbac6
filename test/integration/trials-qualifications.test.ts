import { call, login, staffLogin, unique, waitOrder } from './api.ts';
import { addCard, agreement, company, createCustomer, createProduct } from '../factories/index.ts';

/**
 * Trials and qualifications (docs/product.md#trials-and-qualifications): a product that requires a
 * qualification is bought only for a tenant the vendor approved for it; a trial offer is free, once
 * per domain and product, and the renewals job converts it to its paid offer at its end (or lets it
 * expire when auto-renew is off). The conversion moves the clock: this file runs ALONE.
 */
const setClock = (iso: string) => call('PUT', '/_local/clock', { body: { now: iso } });
const renewals = async () => {
  const r = await call('POST', '/_local/jobs/renewals');
  if (r.status !== 200) throw new Error(`renewals: ${r.status} ${JSON.stringify(r.body)}`);
};

type Offer = { id: string; term: string; billingPeriod: string; price: { amount: number; currency: string }; trial?: { days: number; convertsToOfferId: string } };

describe('trials and qualifications', () => {
  let staff: string;
  beforeAll(async () => {
    staff = await staffLogin();
  });
  afterEach(async () => {
    await call('DELETE', '/_local/clock');
    staff = await staffLogin();
  });

  /** Moves the clock; tokens issued before may have expired at the new time, so staff signs in again. */
  async function at(iso: string) {
    await setClock(iso);
    staff = await staffLogin();
  }

  /** A customer with its admin's token and a default card. */
  async function customer() {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id);
    const made = await call('PATCH', `/v1/payment-methods/${pm}`, { token: admin, body: { isDefault: true } });
    expect(made.status).toBe(200);
    return { c, admin, pm };
  }

  /** A tenant created for the customer (by its admin), with a qualification or none. */
  async function tenant(admin: string, accountId: string, qualification?: string, prefix = unique('tq').toLowerCase()) {
    return call('POST', `/v1/accounts/${accountId}/domains`, {
      token: admin,
      body: { mode: 'create', prefix, company, customerAgreement: agreement, ...(qualification ? { qualification } : {}) },
    });
  }

  /** A staff order (invoiced, processed at once) of `quantity` of `offerId` on an existing domain. */
  const staffOrder = (accountId: string, offerId: string, domainId: string, quantity = 3) =>
    call('POST', `/v1/accounts/${accountId}/orders`, {
      token: staff,
      headers: { 'idempotency-key': unique('k') },
      body: { lines: [{ offerId, quantity }], domain: { mode: 'existing', domainId }, autoProcess: true },
    });

  const ordersOf = async (accountId: string) => (await call('GET', `/v1/orders?accountId=${accountId}`, { token: staff })).body.items as unknown[];
  const invoicesOf = async (accountId: string) => (await call('GET', `/v1/invoices?accountId=${accountId}`, { token: staff })).body.items as unknown[];

  /** A product of its own with a trial of `days` converting to its P1Y offer billed monthly. */
  async function productWithTrial(days: number) {
    const product = await createProduct(staff);
    const paid = product.offers.find((o) => o.term === 'P1Y' && o.billingPeriod === 'monthly')!;
    const edited = await call('PATCH', `/v1/catalog/products/${product.id}`, { token: staff, body: { addOffers: [{ trial: { days, convertsToOfferId: paid.id } }] } });
    expect(edited.status).toBe(200);
    const trial = (edited.body.offers as Offer[]).find((o) => o.trial)!;
    return { product: edited.body, paid: paid as Offer, trial };
  }

  describe('catalog', () => {
    it('seeds a product for education tenants and a 30-day Business Premium trial', async () => {
      const a3 = (await call('GET', '/v1/catalog/products?q=faculty', { token: staff })).body.items[0];
      expect(a3).toMatchObject({ name: 'Microsoft 365 A3 for faculty', requiresQualification: 'education' });
      const premium = (await call('GET', '/v1/catalog/products?q=business%20premium', { token: staff })).body.items[0];
      expect(premium.requiresQualification).toBeNull();
      const trial = (premium.offers as Offer[]).find((o) => o.trial)!;
      const paid = (premium.offers as Offer[]).find((o) => o.id === trial.trial!.convertsToOfferId)!;
      expect(trial).toMatchObject({ price: { amount: 0, currency: 'EUR' }, trial: { days: 30 }, term: paid.term, billingPeriod: paid.billingPeriod });
      expect(paid.trial).toBeUndefined();
      expect(paid.price.amount).toBeGreaterThan(0);
    });

    it('lets the distributor require a qualification, add one free trial naming a paid offer, and take the requirement away', async () => {
      const created = await createProduct(staff, { requiresQualification: 'nonprofit' });
      expect((await call('GET', `/v1/catalog/products/${created.id}`, { token: staff })).body.requiresQualification).toBe('nonprofit');
      const paid = created.offers[0]!;

      const unknown = await call('PATCH', `/v1/catalog/products/${created.id}`, { token: staff, body: { addOffers: [{ trial: { days: 30, convertsToOfferId: 'ofr_01JZZZZZZZZZZZZZZZZZZZZZZZ' } }] } });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error).toMatchObject({ code: 'invalid_trial', details: [{ path: 'addOffers.0.trial.convertsToOfferId' }] });
      const tooLong = await call('PATCH', `/v1/catalog/products/${created.id}`, { token: staff, body: { addOffers: [{ trial: { days: 91, convertsToOfferId: paid.id } }] } });
      expect(tooLong.status).toBe(400);

      const added = await call('PATCH', `/v1/catalog/products/${created.id}`, { token: staff, body: { addOffers: [{ trial: { days: 14, convertsToOfferId: paid.id } }] } });
      expect(added.status).toBe(200);
      const trial = (added.body.offers as Offer[]).find((o) => o.trial)!;
      expect(trial).toMatchObject({ term: paid.term, billingPeriod: paid.billingPeriod, price: { amount: 0 }, trial: { days: 14, convertsToOfferId: paid.id } });

      const second = await call('PATCH', `/v1/catalog/products/${created.id}`, { token: staff, body: { addOffers: [{ trial: { days: 7, convertsToOfferId: paid.id } }] } });
      expect(second.status).toBe(422);
      expect(second.body.error.code).toBe('invalid_trial');
      const toTrial = await call('PATCH', `/v1/catalog/products/${created.id}`, { token: staff, body: { addOffers: [{ trial: { days: 7, convertsToOfferId: trial.id } }] } });
      expect(toTrial.status).toBe(422);
      const priced = await call('PATCH', `/v1/catalog/products/${created.id}`, { token: staff, body: { offers: [{ id: trial.id, price: { amount: 100, currency: 'EUR' } }] } });
      expect(priced.status).toBe(422);
      expect(priced.body.error.code).toBe('invalid_trial');

      const cleared = await call('PATCH', `/v1/catalog/products/${created.id}`, { token: staff, body: { requiresQualification: null } });
      expect(cleared.status).toBe(200);
      expect(cleared.body.requiresQualification).toBeNull();
      const read = (await call('GET', `/v1/catalog/products/${created.id}`, { token: staff })).body;
      expect(read.requiresQualification).toBeNull();
      expect((read.offers as Offer[]).filter((o) => o.trial)).toHaveLength(1);
    });
  });

  describe('qualifications', () => {
    it('sells a product that requires education to an education tenant, by staff order and by checkout', async () => {
      const product = await createProduct(staff, { requiresQualification: 'education' });
      const offer = product.offers[2]!;
      const { c, admin, pm } = await customer();
      const created = await tenant(admin, c.account.id, 'education');
      expect(created.status).toBe(201);
      expect(created.body.domain.qualifications).toEqual(['education']);
      expect((await call('GET', `/v1/domains/${created.body.domain.id}`, { token: admin })).body.qualifications).toEqual(['education']);

      const placed = await staffOrder(c.account.id, offer.id, created.body.domain.id);
      expect(placed.status).toBe(201);
      expect((await waitOrder(placed.body.id)).status).toBe('completed');

      // A new tenant asked for in the checkout itself, qualified there.
      expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId: offer.id, quantity: 2 } })).status).toBe(201);
      const prefix = unique('edu').toLowerCase();
      const bought = await call('POST', '/v1/cart/checkout', {
        token: admin,
        headers: { 'idempotency-key': unique('co') },
        body: { domain: { mode: 'create', prefix, company, qualification: 'education' }, paymentMethodId: pm },
      });
      expect(bought.status).toBe(201);
      expect((await waitOrder(bought.body.id)).status).toBe('completed');
      const domain = (await call('GET', `/v1/accounts/${c.account.id}/domains`, { token: admin })).body.items.find((d: { domain: string }) => d.domain === `${prefix}.onmicrosoft.com`);
      expect(domain.qualifications).toEqual(['education']);
    });

    it('refuses it (422 qualification_required) for a tenant without the qualification, and keeps nothing', async () => {
      const product = await createProduct(staff, { requiresQualification: 'education' });
      const offer = product.offers[2]!;
      const { c, admin, pm } = await customer();
      const plain = await tenant(admin, c.account.id);
      const nonprofit = await tenant(admin, c.account.id, 'nonprofit');
      expect(plain.body.domain.qualifications).toEqual([]);

      for (const domainId of [plain.body.domain.id, nonprofit.body.domain.id]) {
        const refused = await staffOrder(c.account.id, offer.id, domainId);
        expect(refused.status).toBe(422);
        expect(refused.body.error).toMatchObject({ code: 'qualification_required', details: [{ path: 'lines.0.offerId', qualification: 'education' }] });
      }

      expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId: offer.id, quantity: 2 } })).status).toBe(201);
      const prefix = unique('noedu').toLowerCase();
      const refused = await call('POST', '/v1/cart/checkout', {
        token: admin,
        headers: { 'idempotency-key': unique('co') },
        body: { domain: { mode: 'create', prefix, company }, paymentMethodId: pm },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('qualification_required');

      // Nothing kept: no order, no invoice, the cart as it was, the prefix still free.
      expect(await ordersOf(c.account.id)).toEqual([]);
      expect(await invoicesOf(c.account.id)).toEqual([]);
      expect((await call('GET', '/v1/cart', { token: admin })).body.items).toHaveLength(1);
      expect((await call('GET', `/v1/domains/availability?prefix=${prefix}`, { token: admin })).body.available).toBe(true);
    });

    it('creates no tenant the vendor refuses the qualification of (sandbox: a noqual- prefix), on the domains route and at checkout', async () => {
      const { c, admin, pm } = await customer();
      const prefix = `noqual-${unique('x').toLowerCase()}`;
      const refused = await tenant(admin, c.account.id, 'government', prefix);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'qualification_refused', details: [{ path: 'qualification', qualification: 'government' }] });
      expect((await call('GET', `/v1/accounts/${c.account.id}/domains`, { token: admin })).body.items).toEqual([]);
      expect((await call('GET', `/v1/domains/availability?prefix=${prefix}`, { token: admin })).body.available).toBe(true);

      // The same prefix without a qualification is an ordinary tenant.
      const plain = await tenant(admin, c.account.id, undefined, prefix);
      expect(plain.status).toBe(201);

      const product = await createProduct(staff);
      expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId: product.offers[0]!.id, quantity: 1 } })).status).toBe(201);
      const atCheckout = await call('POST', '/v1/cart/checkout', {
        token: admin,
        headers: { 'idempotency-key': unique('co') },
        body: { domain: { mode: 'create', prefix: `noqual-${unique('y').toLowerCase()}`, company, qualification: 'education' }, paymentMethodId: pm },
      });
      expect(atCheckout.status).toBe(422);
      expect(atCheckout.body.error).toMatchObject({ code: 'qualification_refused', details: [{ path: 'domain.qualification' }] });
      expect(await ordersOf(c.account.id)).toEqual([]);
    });

    it('refuses an unknown qualification (400)', async () => {
      const { c, admin } = await customer();
      const r = await tenant(admin, c.account.id, 'military');
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    });
  });

  describe('trials', () => {
    it('sells a trial at 0 with its end on the subscription, and refuses a second trial of the product on the domain (422 trial_already_used)', async () => {
      await at('2027-03-10T09:00:00Z');
      const { trial } = await productWithTrial(30);
      const { c, admin } = await customer();
      const domain = (await tenant(admin, c.account.id)).body.domain;

      const placed = await staffOrder(c.account.id, trial.id, domain.id, 4);
      expect(placed.status).toBe(201);
      expect(placed.body.total).toEqual({ amount: 0, currency: 'EUR' });
      const done = await waitOrder(placed.body.id);
      expect(done.status).toBe('completed');
      const sub = (await call('GET', `/v1/subscriptions/${done.subscriptionIds[0]}`, { token: admin })).body;
      expect(sub).toMatchObject({
        offerId: trial.id,
        unitPrice: { amount: 0 },
        currentTermStart: '2027-03-10',
        currentTermEnd: '2027-04-08',
        trial: { days: 30, convertsToOfferId: trial.trial!.convertsToOfferId, endsAt: '2027-04-08' },
      });
      const invoice = (await call('GET', `/v1/invoices/${placed.body.invoiceId}`, { token: admin })).body;
      expect(invoice).toMatchObject({ status: 'paid', total: { amount: 0 } });

      const ordersBefore = (await ordersOf(c.account.id)).length;
      const again = await staffOrder(c.account.id, trial.id, domain.id);
      expect(again.status).toBe(422);
      expect(again.body.error.code).toBe('trial_already_used');
      expect(await ordersOf(c.account.id)).toHaveLength(ordersBefore);

      // Another domain of the same customer has its own trial.
      const other = (await tenant(admin, c.account.id)).body.domain;
      expect((await staffOrder(c.account.id, trial.id, other.id)).status).toBe(201);
    });

    it('lets one of two parallel trial orders on a domain through, never both', async () => {
      const { trial } = await productWithTrial(30);
      const { c, admin } = await customer();
      const domain = (await tenant(admin, c.account.id)).body.domain;
      const replies = await Promise.all([staffOrder(c.account.id, trial.id, domain.id), staffOrder(c.account.id, trial.id, domain.id), staffOrder(c.account.id, trial.id, domain.id)]);
      const placed = replies.filter((r) => r.status === 201);
      expect(placed).toHaveLength(1);
      for (const r of replies.filter((x) => x.status !== 201)) expect(['trial_already_used', 'try_again']).toContain(r.body.error.code);
      // A retry after the race is refused for the trial, not for the race.
      const late = await staffOrder(c.account.id, trial.id, domain.id);
      expect(late.status).toBe(422);
      expect(late.body.error.code).toBe('trial_already_used');
      expect(await ordersOf(c.account.id)).toHaveLength(1);
    });

    it('converts a trial at its end to the paid offer it names: a renewal order on the paid offer, invoiced at its price and charged', async () => {
      await at('2027-05-03T09:00:00Z');
      const { paid, trial } = await productWithTrial(5);
      const { c } = await customer();
      let admin = await login(c.login, c.password);
      const domain = (await tenant(admin, c.account.id)).body.domain;
      const placed = await staffOrder(c.account.id, trial.id, domain.id, 3);
      const subId = (await waitOrder(placed.body.id)).subscriptionIds[0] as string;
      expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.currentTermEnd).toBe('2027-05-07');

      // The day before the end: nothing happens.
      await at('2027-05-07T01:00:00Z');
      await renewals();
      admin = await login(c.login, c.password);
      expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.trial).not.toBeNull();

      await at('2027-05-08T01:00:00Z');
      await renewals();
      admin = await login(c.login, c.password);
      const converted = (await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body;
      expect(converted).toMatchObject({
        status: 'active',
        offerId: paid.id,
        term: 'P1Y',
        billingPeriod: 'monthly',
        trial: null,
        quantity: 3,
        unitPrice: paid.price,
        currentTermStart: '2027-05-08',
        currentTermEnd: '2028-05-07',
      });
      const renewal = (await call('GET', `/v1/orders?accountId=${c.account.id}&type=renewal`, { token: staff })).body.items as Array<{ id: string; invoiceId: string; total: { amount: number }; lines: Array<{ offerId: string }> }>;
      expect(renewal).toHaveLength(1);
      expect(renewal[0]!.lines[0]!.offerId).toBe(paid.id);
      expect(renewal[0]!.total).toEqual({ amount: paid.price.amount * 3, currency: 'EUR' });
      const invoice = (await call('GET', `/v1/invoices/${renewal[0]!.invoiceId}`, { token: admin })).body;
      expect(invoice.net).toEqual({ amount: paid.price.amount * 3, currency: 'EUR' });
      expect(invoice.status).toBe('paid');

      // A second run for the same day converts nothing again.
      await renewals();
      expect((await call('GET', `/v1/orders?accountId=${c.account.id}&type=renewal`, { token: staff })).body.items).toHaveLength(1);
    });

    it('never renews a subscription onto a trial: a scheduled change naming one is refused (422 offer_not_of_product)', async () => {
      const { paid, trial } = await productWithTrial(30);
      const { c, admin } = await customer();
      const domain = (await tenant(admin, c.account.id)).body.domain;
      const subId = (await waitOrder((await staffOrder(c.account.id, paid.id, domain.id)).body.id)).subscriptionIds[0] as string;
      const refused = await call('PUT', `/v1/subscriptions/${subId}/scheduled-change`, { token: admin, body: { offerId: trial.id } });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('offer_not_of_product');
      expect((await call('GET', `/v1/subscriptions/${subId}`, { token: admin })).body.scheduledChange).toBeNull();
    });

    it('lets a trial expire at its end when auto-renew is off, and leaves a cancelled one cancelled: no order, no invoice', async () => {
      await at('2027-06-03T09:00:00Z');
      const { trial } = await productWithTrial(5);
      const { c } = await customer();
      let admin = await login(c.login, c.password);
      const first = (await tenant(admin, c.account.id)).body.domain;
      const second = (await tenant(admin, c.account.id)).body.domain;
      const off = (await waitOrder((await staffOrder(c.account.id, trial.id, first.id)).body.id)).subscriptionIds[0] as string;
      const cancelled = (await waitOrder((await staffOrder(c.account.id, trial.id, second.id)).body.id)).subscriptionIds[0] as string;
      expect((await call('PATCH', `/v1/subscriptions/${off}`, { token: admin, body: { autoRenew: false } })).status).toBe(200);
      const cancel = await call('POST', `/v1/subscriptions/${cancelled}/cancel`, { token: admin, body: { reason: 'not_needed' } });
      expect(cancel.status).toBe(202);
      expect((await waitOrder(cancel.body.id)).status).toBe('completed');
      const invoicesBefore = (await invoicesOf(c.account.id)).length;

      await at('2027-06-08T01:00:00Z');
      await renewals();
      admin = await login(c.login, c.password);
      expect((await call('GET', `/v1/subscriptions/${off}`, { token: admin })).body).toMatchObject({ status: 'expired', offerId: trial.id });
      expect((await call('GET', `/v1/subscriptions/${cancelled}`, { token: admin })).body).toMatchObject({ status: 'cancelled', offerId: trial.id });
      expect((await call('GET', `/v1/orders?accountId=${c.account.id}&type=renewal`, { token: staff })).body.items).toEqual([]);
      expect(await invoicesOf(c.account.id)).toHaveLength(invoicesBefore);
    });
  });
});

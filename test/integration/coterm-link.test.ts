import { call, emails, login, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { addCard, agreement, company, createCustomer } from '../factories/index.ts';

/**
 * Co-terming, linking a tenant inline and choosing the card of a raise (docs/product.md "Co-terming",
 * #microsoft-domains, #subscriptions-and-licenses), over HTTP on the real stack:
 * - `alignEndWith` ends the new subscriptions' first term with another subscription's term (or the
 *   calendar month), priced by days to the cent; quotes price it the same;
 * - `domain: {mode: "link"}` links the tenant in the same request (pending the partner's
 *   acceptance, with the invitation), the order waits for it; a domain already linked is reused;
 * - `paymentMethodId` on a raise charges that card; a declined one answers 402 and keeps nothing.
 * The expected figures are worked out here from the dates, independently of the service's code.
 */
const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);
const daysInclusive = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY) + 1;
/** The last day of a term of `months` from `start` (month ends clamp), as docs/product.md#scheduled-jobs says. */
function termEndOf(start: string, months: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return day(new Date(Date.UTC(y, m - 1 + months, Math.min(d, last)) - DAY));
}
/** Half-up to the cent of a rational amount. */
const halfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den));

async function today(): Promise<string> {
  return day(new Date((await call('GET', '/_local/clock')).body.now));
}

async function offerOf(token: string, q: string, term: string, billingPeriod: string) {
  const r = await call('GET', `/v1/catalog/products?q=${encodeURIComponent(q)}`, { token });
  const product = r.body.items[0];
  return product.offers.find((o: { term: string; billingPeriod: string }) => o.term === term && o.billingPeriod === billingPeriod) as { id: string; price: { amount: number; currency: string } };
}

const key = () => ({ 'idempotency-key': unique('k') });
const staffOrder = (token: string, accountId: string, body: Record<string, unknown>) => call('POST', `/v1/accounts/${accountId}/orders`, { token, body, headers: key() });
const raise = (token: string, subId: string, body: Record<string, unknown>) => call('POST', `/v1/subscriptions/${subId}/quantity`, { token, body, headers: key() });

describe('co-terming, linking a tenant inline and the card of a raise', () => {
  let staff: string;
  let monthlyBasic: { id: string; price: { amount: number } };
  let annualTeams: { id: string; price: { amount: number } };
  let yearlyBasic: { id: string; price: { amount: number } };
  beforeAll(async () => {
    staff = await staffLogin();
    monthlyBasic = await offerOf(staff, 'business basic', 'P1M', 'monthly');
    yearlyBasic = await offerOf(staff, 'business basic', 'P1Y', 'monthly');
    annualTeams = await offerOf(staff, 'teams essentials', 'P1Y', 'annual');
  });

  /** A customer with an active monthly subscription on a new domain (its term ends in about a month). */
  async function withMonthlySubscription(quantity = 2) {
    const c = await createCustomer(staff);
    const placed = await staffOrder(staff, c.account.id, {
      lines: [{ offerId: monthlyBasic.id, quantity }],
      domain: { mode: 'create', prefix: unique('ct').toLowerCase(), company },
      customerAgreement: agreement,
      autoProcess: true,
    });
    expect(placed.status).toBe(201);
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    const sub = (await call('GET', `/v1/subscriptions/${placed.body.subscriptionIds[0]}`, { token: staff })).body;
    return { c, sub, domainId: placed.body.domain.id as string };
  }

  it("ends the first term with another subscription's, priced by days to the cent, in the quote and the order alike", async () => {
    const { c, sub, domainId } = await withMonthlySubscription();
    const d = await today();
    expect(sub.currentTermEnd).toBe(termEndOf(d, 1));

    // An annual-billed year of Teams, co-termed with the monthly subscription: 3 licenses × the year's price × days / the year's days.
    const expected = halfUp(annualTeams.price.amount * 3 * daysInclusive(d, sub.currentTermEnd), daysInclusive(d, termEndOf(d, 12)));
    expect(expected).toBeLessThan(annualTeams.price.amount * 3);

    const quoted = await call('POST', `/v1/accounts/${c.account.id}/orders/quote`, { token: staff, body: { lines: [{ offerId: annualTeams.id, quantity: 3 }], alignEndWith: sub.id } });
    expect(quoted.status).toBe(201);
    expect(quoted.body.lines[0]).toMatchObject({ total: { amount: expected, currency: 'EUR' }, firstTermEnd: sub.currentTermEnd });
    expect(quoted.body.net).toEqual({ amount: expected, currency: 'EUR' });

    const placed = await staffOrder(staff, c.account.id, {
      lines: [{ offerId: annualTeams.id, quantity: 3 }],
      domain: { mode: 'existing', domainId },
      alignEndWith: sub.id,
      quoteId: quoted.body.id,
      autoProcess: true,
    });
    expect(placed.status).toBe(201);
    expect(placed.body.lines[0]).toMatchObject({ quantity: 3, unitPrice: { amount: annualTeams.price.amount }, total: { amount: expected, currency: 'EUR' }, firstTermEnd: sub.currentTermEnd });
    expect(placed.body.total).toEqual({ amount: expected, currency: 'EUR' });
    const invoice = (await call('GET', `/v1/invoices/${placed.body.invoiceId}`, { token: staff })).body;
    expect(invoice.lines.reduce((n: number, l: { amount: { amount: number } }) => n + l.amount.amount, 0)).toBe(expected);

    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    const coTermed = (await call('GET', `/v1/subscriptions/${placed.body.subscriptionIds[0]}`, { token: staff })).body;
    expect(coTermed).toMatchObject({ status: 'active', currentTermStart: d, currentTermEnd: sub.currentTermEnd, domainId });

    // A raise inside the co-termed first term is priced the same way: the term's price by days to its end.
    const raised = await call('POST', `/v1/subscriptions/${coTermed.id}/quantity`, { token: staff, body: { quantity: 4 }, headers: key() });
    expect(raised.status).toBe(202);
    const oneMore = halfUp(annualTeams.price.amount * 1 * daysInclusive(d, sub.currentTermEnd), daysInclusive(d, termEndOf(d, 12)));
    expect(raised.body.total).toEqual({ amount: oneMore, currency: 'EUR' });

    // The same order without the alignment costs a full year: the quote no longer holds for it.
    const full = await staffOrder(staff, c.account.id, { lines: [{ offerId: annualTeams.id, quantity: 3 }], domain: { mode: 'existing', domainId }, quoteId: quoted.body.id });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('price_changed');
  });

  it('ends the first term with the calendar month in the checkout, priced by days, and the cart quote says the same', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id);
    const d = await today();
    const [y, m] = d.split('-').map(Number) as [number, number];
    const monthEnd = day(new Date(Date.UTC(y, m, 0)));
    // Monthly billing of a year: the term's price is 12 months; 4 licenses for the days to the month's end.
    const expected = halfUp(yearlyBasic.price.amount * 12 * 4 * daysInclusive(d, monthEnd), daysInclusive(d, termEndOf(d, 12)));

    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId: yearlyBasic.id, quantity: 4 } })).status).toBe(201);
    const quote = await call('POST', '/v1/cart/quote', { token: admin, body: { alignEndWith: 'calendarMonth' } });
    expect(quote.status).toBe(201);
    expect(quote.body.lines[0]).toMatchObject({ total: { amount: expected, currency: 'EUR' }, firstTermEnd: monthEnd });

    const placed = await call('POST', '/v1/cart/checkout', {
      token: admin,
      headers: key(),
      body: { domain: { mode: 'create', prefix: unique('cm').toLowerCase(), company }, paymentMethodId: pm, customerAgreement: agreement, alignEndWith: 'calendarMonth', quoteId: quote.body.id },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.total).toEqual({ amount: expected, currency: 'EUR' });
    const invoice = (await call('GET', `/v1/invoices/${placed.body.invoiceId}`, { token: admin })).body;
    expect(invoice).toMatchObject({ status: 'paid', paymentMethodId: pm });
    expect(invoice.lines[0].amount).toEqual({ amount: expected, currency: 'EUR' });
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    const sub = (await call('GET', `/v1/subscriptions/${placed.body.subscriptionIds[0]}`, { token: admin })).body;
    expect(sub).toMatchObject({ currentTermStart: d, currentTermEnd: monthEnd, unitPrice: { amount: yearlyBasic.price.amount } });
  });

  it("refuses another domain's subscription (422), one not active (422), another account's (404) and a bad value (400), placing nothing", async () => {
    const { c, sub } = await withMonthlySubscription();
    const other = await withMonthlySubscription();
    const lines = [{ offerId: annualTeams.id, quantity: 1 }];
    const ordersBefore = (await call('GET', `/v1/orders?accountId=${c.account.id}`, { token: staff })).body.items.length;

    // A new domain has no subscriptions: a subscription on the account's other domain cannot be ended with.
    const mismatch = await staffOrder(staff, c.account.id, { lines, domain: { mode: 'create', prefix: unique('nd').toLowerCase(), company }, alignEndWith: sub.id });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.code).toBe('coterm_domain_mismatch');

    const foreign = await staffOrder(staff, c.account.id, { lines, domain: { mode: 'existing', domainId: sub.domainId }, alignEndWith: other.sub.id });
    expect(foreign.status).toBe(404);

    // A second domain of the account, its subscription still pending (the order waits at the staff gate).
    const waiting = await staffOrder(staff, c.account.id, { lines, domain: { mode: 'create', prefix: unique('sd').toLowerCase(), company } });
    expect(waiting.status).toBe(201);
    await waitOrder(waiting.body.id);
    const otherDomain = await staffOrder(staff, c.account.id, { lines, domain: { mode: 'existing', domainId: waiting.body.domain.id }, alignEndWith: sub.id });
    expect(otherDomain.status).toBe(422);
    expect(otherDomain.body.error.code).toBe('coterm_domain_mismatch');
    const pending = await staffOrder(staff, c.account.id, { lines, domain: { mode: 'existing', domainId: waiting.body.domain.id }, alignEndWith: waiting.body.subscriptionIds[0] });
    expect(pending.status).toBe(422);
    expect(pending.body.error.code).toBe('coterm_subscription_inactive');
    const pendingQuote = await call('POST', `/v1/accounts/${c.account.id}/orders/quote`, { token: staff, body: { lines, alignEndWith: waiting.body.subscriptionIds[0] } });
    expect(pendingQuote.status).toBe(422);

    const bad = await staffOrder(staff, c.account.id, { lines, domain: { mode: 'existing', domainId: sub.domainId }, alignEndWith: 'nextYear' });
    expect(bad.status).toBe(400);
    const ordersAfter = (await call('GET', `/v1/orders?accountId=${c.account.id}`, { token: staff })).body.items.length;
    // Only the order left waiting at the gate was placed.
    expect(ordersAfter).toBe(ordersBefore + 1);
  });

  it('refuses a first term longer than the offer’s own term (422 coterm_beyond_term)', async () => {
    const c = await createCustomer(staff);
    const placed = await staffOrder(staff, c.account.id, {
      lines: [{ offerId: yearlyBasic.id, quantity: 1 }],
      domain: { mode: 'create', prefix: unique('yr').toLowerCase(), company },
      customerAgreement: agreement,
      autoProcess: true,
    });
    await waitOrder(placed.body.id);
    const refused = await staffOrder(staff, c.account.id, {
      lines: [{ offerId: monthlyBasic.id, quantity: 1 }],
      domain: { mode: 'existing', domainId: placed.body.domain.id },
      alignEndWith: placed.body.subscriptionIds[0],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('coterm_beyond_term');
  });

  it('links an existing tenant inline: the domain waits for the partner acceptance with its invitation, the order waits for it, and a second order reuses the domain', async () => {
    const c = await createCustomer(staff);
    const admin = await login(c.login, c.password);
    const pm = await addCard(admin, c.account.id);
    const name = `ext-${unique('ln').toLowerCase()}.onmicrosoft.com`;

    expect((await call('POST', '/v1/cart/items', { token: admin, body: { offerId: yearlyBasic.id, quantity: 2 } })).status).toBe(201);
    const bad = await call('POST', '/v1/cart/checkout', { token: admin, headers: key(), body: { domain: { mode: 'link', domain: 'not a domain' }, paymentMethodId: pm, customerAgreement: agreement } });
    expect(bad.status).toBe(400);
    const unknownTenant = await call('POST', '/v1/cart/checkout', {
      token: admin,
      headers: key(),
      body: { domain: { mode: 'link', domain: `${unique('nobody').toLowerCase()}.onmicrosoft.com` }, paymentMethodId: pm, customerAgreement: agreement },
    });
    expect(unknownTenant.status).toBe(404);

    const placed = await call('POST', '/v1/cart/checkout', {
      token: admin,
      headers: key(),
      body: { domain: { mode: 'link', domain: `  ${name.toUpperCase()} ` }, paymentMethodId: pm, customerAgreement: agreement },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.domain).toMatchObject({ domain: name, mode: 'link' });
    const domains = (await call('GET', `/v1/accounts/${c.account.id}/domains`, { token: admin })).body.items;
    expect(domains).toEqual([expect.objectContaining({ id: placed.body.domain.id, domain: name, mode: 'link', status: 'pending_partner_acceptance' })]);
    const invitation = await waitForEmail((e) => e.destination.to.includes(c.login) && e.body.text.includes(name));
    expect(invitation[0]!.body.text).toContain(`/domains/${placed.body.domain.id}/accept`);

    const waiting = await waitOrder(placed.body.id);
    expect(waiting).toMatchObject({ status: 'provisioning', waitingAt: 'partner' });

    // The same name again: the account's domain is used, no second link nor invitation.
    await call('POST', '/v1/cart/items', { token: admin, body: { offerId: annualTeams.id, quantity: 1 } });
    const invitationsBefore = (await emails()).filter((e) => e.body.text.includes(name)).length;
    const again = await staffOrder(staff, c.account.id, { lines: [{ offerId: annualTeams.id, quantity: 1 }], domain: { mode: 'link', domain: name }, autoProcess: true });
    expect(again.status).toBe(201);
    expect(again.body.domain.id).toBe(placed.body.domain.id);
    expect((await call('GET', `/v1/accounts/${c.account.id}/domains`, { token: admin })).body.items).toHaveLength(1);

    const accepted = await call('POST', `/v1/domains/${placed.body.domain.id}/accept`, { token: admin });
    expect(accepted.status).toBe(200);
    expect((await waitOrder(placed.body.id)).status).toBe('completed');
    expect((await waitOrder(again.body.id)).status).toBe('completed');
    expect((await emails()).filter((e) => e.body.text.includes(name) && e.body.text.includes('/accept')).length).toBe(invitationsBefore);
  });

  it('charges a raise to the card chosen, and a declined one answers 402 changing nothing', async () => {
    const { c, sub } = await withMonthlySubscription(5);
    const admin = await login(c.login, c.password);
    const defaultCard = await addCard(admin, c.account.id, '4242424242424242');
    const chosen = await addCard(admin, c.account.id, '5555555555554444');
    const declining = await addCard(admin, c.account.id, '4000000000000002');
    const otherCustomer = await createCustomer(staff);
    const otherCard = await addCard(await login(otherCustomer.login, otherCustomer.password), otherCustomer.account.id);
    const methods = (await call('GET', `/v1/accounts/${c.account.id}/payment-methods`, { token: admin })).body.items;
    expect(methods.find((p: { id: string }) => p.id === defaultCard).isDefault).toBe(true);

    const raised = await raise(admin, sub.id, { quantity: 7, paymentMethodId: chosen });
    expect(raised.status).toBe(202);
    const invoice = (await call('GET', `/v1/invoices/${raised.body.invoiceId}`, { token: admin })).body;
    expect(invoice).toMatchObject({ status: 'paid', paymentMethodId: chosen });
    expect(invoice.total.amount).toBeGreaterThan(0);
    expect((await waitOrder(raised.body.id)).status).toBe('completed');

    const invoicesBefore = (await call('GET', `/v1/invoices?accountId=${c.account.id}`, { token: admin })).body.items.length;
    const ordersBefore = (await call('GET', `/v1/orders?accountId=${c.account.id}`, { token: admin })).body.items.length;
    const declined = await raise(admin, sub.id, { quantity: 9, paymentMethodId: declining });
    expect(declined.status).toBe(402);
    expect(declined.body.error.code).toBe('payment_declined');
    expect((await call('GET', `/v1/subscriptions/${sub.id}`, { token: admin })).body.quantity).toBe(7);
    expect((await call('GET', `/v1/invoices?accountId=${c.account.id}`, { token: admin })).body.items).toHaveLength(invoicesBefore);
    expect((await call('GET', `/v1/orders?accountId=${c.account.id}`, { token: admin })).body.items).toHaveLength(ordersBefore);

    const foreign = await raise(admin, sub.id, { quantity: 9, paymentMethodId: otherCard });
    expect(foreign.status).toBe(404);
    expect((await call('GET', `/v1/subscriptions/${sub.id}`, { token: admin })).body.quantity).toBe(7);

    // Without a choice, the default card pays as before.
    const byDefault = await raise(admin, sub.id, { quantity: 8 });
    expect(byDefault.status).toBe(202);
    const paid = (await call('GET', `/v1/invoices/${byDefault.body.invoiceId}`, { token: admin })).body;
    expect(paid).toMatchObject({ status: 'paid', paymentMethodId: defaultCard });
  });
});

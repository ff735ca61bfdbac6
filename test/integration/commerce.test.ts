import { call, login, staffLogin, unique, waitForEmail, waitOrder, type Reply } from './api.ts';
import { createCustomer, createProduct, makeOrderBody } from '../factories/index.ts';

/**
 * Channel commerce end to end over HTTP (docs/commerce.md): a reseller in Austria sells a product
 * the distributor costs, through the distributor's reseller price and its own list, to customers
 * taxed each way (domestic, reverse charge, destination, outside scope). The figures must agree to
 * the cent across the order, its invoice, the credit note of a lowering, the CSV export and the
 * reseller's monthly statement; a renewal after the reseller raises its price bills the new price.
 *
 * It moves the application clock (statement on the 1st, renewal a month on): it runs with the
 * files that do.
 */
type Body = Record<string, any>;

const today = () => new Date().toISOString().slice(0, 10);
const dayAfter = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const setClock = (iso: string) => call('PUT', '/_local/clock', { body: { now: iso } });
const job = async (name: string) => {
  const r = await call('POST', `/_local/jobs/${name}`);
  if (r.status !== 200) throw new Error(`job ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};
const ok = <T extends Reply>(r: T, status = 200): T => {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r;
};

/** The rows of a CSV answer as objects by header (fields without commas or quotes here, but quoted ones are read too). */
function csvRows(text: string): Array<Record<string, string>> {
  const lines = text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  const split = (line: string) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"')).slice(0, -1);
  const [header, ...rest] = lines.map(split);
  return rest.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ''])));
}
const cents = (major: string) => Math.round(Number(major) * 100);

describe('channel commerce: prices, margins, tax, credit notes, statements and renewals agree to the cent', () => {
  let staff: string;
  let distributorId: string;
  let offerId: string;
  let productId: string;
  let reseller: { id: string; token: string; listId: string; login: string; password: string };
  const customers: Record<'at' | 'ieBusiness' | 'ieConsumer' | 'us', { id: string; token: string; login: string }> = {} as never;
  const orders: Record<string, Body> = {};
  const invoices: Record<string, Body> = {};
  const start = today();

  const get = (path: string, token: string) => call('GET', path, { token });

  beforeAll(async () => {
    staff = await staffLogin();
    distributorId = (await get('/v1/me', staff)).body.accountId;
    const product = await createProduct(staff);
    productId = product.id;
    // The P1M offer billed monthly: a term of a month, so its renewal comes a month on.
    offerId = product.offers.find((o) => o.term === 'P1M')!.id;
    ok(await call('POST', `/v1/catalog/offers/${offerId}/costs`, { token: staff, body: { currency: 'EUR', amount: 2000, effectiveFrom: start } }), 201);

    // The distributor's reseller price: +10 % on this product (its own rule, whatever the list's markup).
    let resellersList = await call('POST', `/v1/accounts/${distributorId}/price-lists`, { token: staff, body: { audience: 'resellers', currency: 'EUR', markupBps: 1000 } });
    if (resellersList.status !== 201) {
      const lists = await get(`/v1/accounts/${distributorId}/price-lists`, staff);
      resellersList = { ...resellersList, body: (lists.body.items as Body[]).find((l) => l.audience === 'resellers' && l.currency === 'EUR') };
    }
    ok(await call('POST', `/v1/price-lists/${resellersList.body.id}/rules`, { token: staff, body: { scope: 'product', productId, markupBps: 1000, effectiveFrom: start } }), 201);

    // A reseller in Austria, with its tax profile, selling at +20 %.
    const r = await createCustomer(staff, { type: 'reseller', address: { line1: 'Ring 1', city: 'Wien', postalCode: '1010', country: 'AT' } });
    const token = await login(r.login, r.password);
    ok(await call('PUT', `/v1/accounts/${r.account.id}/tax-profile`, { token, body: { legalName: 'Alpen Cloud GmbH', country: 'AT', vatId: 'ATU12345678' } }));
    const list = ok(await call('POST', `/v1/accounts/${r.account.id}/price-lists`, { token, body: { audience: 'customers', currency: 'EUR', markupBps: 2000 } }), 201);
    reseller = { id: r.account.id, token, listId: list.body.id, login: r.login, password: r.password };

    const make = async (country: string) => {
      const c = await createCustomer(token, { address: { line1: '1 Main St', city: 'Town', postalCode: '1000', country } });
      return { id: c.account.id as string, token: await login(c.login, c.password), login: c.login };
    };
    [customers.at, customers.ieBusiness, customers.ieConsumer, customers.us] = await Promise.all([make('AT'), make('IE'), make('IE'), make('US')]);
    ok(await call('PUT', `/v1/accounts/${customers.ieBusiness.id}/tax-profile`, { token, body: { legalName: 'Dublin Data Ltd', country: 'IE', vatId: 'IE 1234567T' } }));

    // One order each, placed by the reseller one after the other (its invoice numbers follow in that order).
    for (const [name, quantity] of [['at', 5], ['ieBusiness', 1], ['ieConsumer', 1], ['us', 1]] as const) {
      const placed = ok(
        await call('POST', `/v1/accounts/${customers[name].id}/orders`, {
          token,
          headers: { 'idempotency-key': unique('order') },
          body: makeOrderBody(offerId, { lines: [{ offerId, quantity }], autoProcess: true, domain: { mode: 'create', prefix: unique('com').toLowerCase(), company: { name: 'C', address: { line1: '1', city: 'X', postalCode: '1', country: 'AT' }, contact: { firstName: 'A', lastName: 'B', email: 'a@b.test' } } } }),
        }),
        201,
      );
      orders[name] = placed.body;
      invoices[name] = ok(await get(`/v1/invoices/${placed.body.invoiceId}`, token)).body;
    }
    await waitOrder(orders.at!.id);
  }, 120_000);

  afterAll(() => call('DELETE', '/_local/clock'));

  it('prices the order down the chain and shows each viewer its own figures of it', async () => {
    // cost 20.00; reseller price 22.00 (+10 %); customer price 26.40 (+20 %); 5 licenses.
    expect(orders.at!.lines[0]).toMatchObject({ unitPrice: eur(2640), total: eur(13200), figures: { cost: eur(11000), sell: eur(13200), margin: eur(2200) } });
    const byDistributor = ok(await get(`/v1/orders/${orders.at!.id}`, staff)).body;
    expect(byDistributor.lines[0].figures).toEqual({ cost: eur(10000), resellerPrice: eur(11000), sell: eur(13200), distributorMargin: eur(1000), resellerMargin: eur(2200) });
    const byCustomer = ok(await get(`/v1/orders/${orders.at!.id}`, customers.at.token)).body;
    expect(byCustomer.lines[0].unitPrice).toEqual(eur(2640));
    expect(byCustomer.lines[0]).not.toHaveProperty('figures');
  });

  it('taxes each sale by where the buyer is, numbers the reseller’s invoices gapless, and carries the legal fields', () => {
    expect(invoices.at).toMatchObject({
      kind: 'invoice',
      seller: { accountId: reseller.id, legalName: 'Alpen Cloud GmbH', country: 'AT', vatId: 'ATU12345678' },
      buyer: { accountId: customers.at.id, country: 'AT', vatId: null },
      taxTreatment: 'domestic',
      net: eur(13200),
      taxes: [{ rateBps: 2000, net: eur(13200), tax: eur(2640) }],
      total: eur(15840),
      amountDue: eur(15840),
    });
    expect(invoices.ieBusiness).toMatchObject({ taxTreatment: 'reverse_charge', buyer: { vatId: 'IE1234567T' }, net: eur(2640), taxes: [{ rateBps: 0, net: eur(2640), tax: eur(0) }], total: eur(2640) });
    expect(invoices.ieConsumer).toMatchObject({ taxTreatment: 'destination', net: eur(2640), taxes: [{ rateBps: 2300, tax: eur(607) }], total: eur(3247) });
    expect(invoices.us).toMatchObject({ taxTreatment: 'outside_scope', net: eur(2640), taxes: [{ rateBps: 0, tax: eur(0) }], total: eur(2640) });
    // The reseller's own series: its first four invoices, in the order they were placed.
    const numbers = ['at', 'ieBusiness', 'ieConsumer', 'us'].map((n) => invoices[n]!.number);
    expect(numbers).toEqual(['INV-000001', 'INV-000002', 'INV-000003', 'INV-000004']);
    // The buyer sees no figures on its invoice; the seller does.
    expect(invoices.at!.lines[0].figures).toEqual({ cost: eur(11000), sell: eur(13200), margin: eur(2200) });
  });

  let creditNote: Body;

  it('issues a credit note for a lowering inside the window that reduces what is due on the invoice it corrects', async () => {
    const subId = orders.at!.lines[0].subscriptionId;
    const lowered = ok(await call('POST', `/v1/subscriptions/${subId}/quantity`, { token: reseller.token, body: { quantity: 3 }, headers: { 'idempotency-key': unique('lower') } }), 202);
    creditNote = ok(await get(`/v1/invoices/${lowered.body.invoiceId}`, reseller.token)).body;
    const creditNet = lowered.body.total.amount;
    expect(creditNet).toBeLessThan(0);
    expect(creditNote).toMatchObject({
      kind: 'credit_note',
      number: 'INV-000005',
      correctsInvoiceId: invoices.at!.id,
      taxTreatment: 'domestic',
      net: eur(creditNet),
      taxes: [{ rateBps: 2000, net: eur(creditNet), tax: eur(Math.round(creditNet * 0.2)) }],
    });
    expect(creditNote.total.amount).toBe(creditNet + Math.round(creditNet * 0.2));
    // The reseller's margin on the credit is the credit's share of its margin, to the cent.
    const f = creditNote.lines[0].figures;
    expect(f.sell).toEqual(eur(creditNet));
    expect(f.cost.amount).toBe(Math.round((creditNet * 2200) / 2640));
    expect(f.margin.amount).toBe(f.sell.amount - f.cost.amount);

    const corrected = ok(await get(`/v1/invoices/${invoices.at!.id}`, reseller.token)).body;
    expect(corrected).toMatchObject({ status: 'unpaid', total: eur(15840), amountDue: eur(15840 + creditNote.total.amount) });
  });

  it('exports the lines with the reseller’s margins, adding up to each invoice’s net', async () => {
    const r = await fetchCsv(`/v1/billing/exports?from=${start}&to=${start}&format=csv`, reseller.token);
    const mine = r.filter((row) => row['Seller id'] === reseller.id);
    const all = { ...invoices, credit: creditNote };
    for (const inv of Object.values(all)) {
      const rows = mine.filter((row) => row['Invoice number'] === inv.number);
      expect(rows.reduce((s, row) => s + cents(row['Net amount']!), 0)).toBe(inv.net.amount);
      const figures = inv.lines[0].figures;
      expect(cents(rows[0]!['Cost']!)).toBe(figures.cost.amount);
      expect(cents(rows[0]!['Margin']!)).toBe(figures.margin.amount);
    }
  });

  async function fetchCsv(path: string, token: string): Promise<Array<Record<string, string>>> {
    const r = await call<string>('GET', path, { token });
    expect(r.status).toBe(200);
    return csvRows(r.body);
  }

  it('bills the reseller on the 1st for the month, at the reseller price, to the cent of every line', async () => {
    const [y, m] = start.split('-').map(Number) as [number, number];
    const first = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
    await setClock(`${first}T01:00:00Z`);
    // Tokens are as old as the clock says: sign in again on the new day.
    [staff, reseller.token] = await Promise.all([staffLogin(), login(reseller.login, reseller.password)]);
    await job('billing');
    await job('billing'); // a second run issues nothing more
    const listed = ok(await get(`/v1/invoices?accountId=${reseller.id}&from=${first}`, reseller.token)).body.items as Body[];
    const statements = listed.filter((i) => i.kind === 'statement');
    expect(statements).toHaveLength(1);
    const statement = statements[0]!;
    expect(statement).toMatchObject({ seller: { accountId: distributorId }, buyer: { accountId: reseller.id }, status: 'unpaid', dueAt: `${first.slice(0, 8)}26`, servicePeriod: { start: `${start.slice(0, 8)}01` } });
    // Each customer line at the reseller's share, to the cent; the sum is what the reseller owes.
    const sold = [invoices.at, invoices.ieBusiness, invoices.ieConsumer, invoices.us, creditNote].map((i) => i!.lines[0]);
    const owed = sold.map((l) => Math.round((l.amount.amount * 2200) / 2640));
    expect(statement.lines.map((l: Body) => l.amount.amount)).toEqual(owed);
    expect(statement.net).toEqual(eur(owed.reduce((a, b) => a + b, 0)));
    // What the customers paid net, less what the reseller owes, is the reseller's margin on the invoices.
    const customersNet = sold.reduce((s, l) => s + l.amount.amount, 0);
    const resellerMargin = sold.reduce((s, l) => s + l.figures.margin.amount, 0);
    expect(customersNet - statement.net.amount).toBe(resellerMargin);
    // The distributor sees its own margin on each statement line: reseller price less cost.
    const byDistributor = ok(await get(`/v1/invoices/${statement.id}`, staff)).body;
    const distributorMargin = byDistributor.lines.reduce((s: number, l: Body) => s + l.figures.distributorMargin.amount, 0);
    expect(distributorMargin).toBe(statement.net.amount - byDistributor.lines.reduce((s: number, l: Body) => s + l.figures.cost.amount, 0));
    expect(byDistributor.lines[0].figures).toEqual({ cost: eur(10000), sell: eur(11000), distributorMargin: eur(1000) });
  });

  it('renews at the price in effect on the renewal day after the reseller raises it', async () => {
    await call('DELETE', '/_local/clock');
    reseller.token = await login(reseller.login, reseller.password);
    ok(await call('POST', `/v1/price-lists/${reseller.listId}/rules`, { token: reseller.token, body: { scope: 'list', markupBps: 3000, effectiveFrom: dayAfter(start, 1) } }), 201);
    const subId = orders.at!.lines[0].subscriptionId;
    const sub = ok(await get(`/v1/subscriptions/${subId}`, reseller.token)).body;
    const renewal = dayAfter(sub.currentTermEnd, 1);
    // The reminder 7 days before states the new price: 28.60 a license, 85.80 for the 3 licenses.
    await setClock(`${dayAfter(sub.currentTermEnd, -6)}T01:00:00Z`);
    await job('renewals');
    const [reminder] = await waitForEmail((e) => e.destination.to.includes(customers.at.login) && /renew/i.test(e.subject));
    expect(reminder!.body.text).toContain('28.60');
    expect(reminder!.body.text).toContain('85.80');
    await setClock(`${renewal}T01:00:00Z`);
    reseller.token = await login(reseller.login, reseller.password);
    await job('renewals');
    const renewed = ok(await get(`/v1/subscriptions/${subId}`, reseller.token)).body;
    expect(renewed).toMatchObject({ currentTermStart: renewal, unitPrice: eur(2860) });
    const listed = ok(await get(`/v1/orders?accountId=${customers.at.id}`, reseller.token)).body.items as Body[];
    const order = listed.find((o) => o.type === 'renewal')!;
    // 22.00 × 1.3 = 28.60 a license, 3 licenses; taxed at the Austrian rate on the renewal invoice.
    expect(order.lines[0]).toMatchObject({ unitPrice: eur(2860), total: eur(8580), figures: { cost: eur(6600), sell: eur(8580), margin: eur(1980) } });
    const invoice = ok(await get(`/v1/invoices/${order.invoiceId}`, reseller.token)).body;
    expect(invoice).toMatchObject({ net: eur(8580), taxes: [{ rateBps: 2000, tax: eur(1716) }], total: eur(10296), servicePeriod: { start: renewal } });
  });
});

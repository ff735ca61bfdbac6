import { call, login, staffLogin, type Reply } from './api.ts';
import { createCustomer, createProduct } from '../factories/index.ts';

/**
 * Offer costs, price lists and price sheets over HTTP (docs/commerce.md "Prices down the tree"):
 * the distributor sets costs and its lists, a reseller its customers' list; each viewer sees its
 * own figures of the chain, to the cent.
 */
type Body = Record<string, any>;

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('price lists and price sheets', () => {
  let staff: string;
  let distributorId: string;
  let product: Awaited<ReturnType<typeof createProduct>>;
  let costed: string;
  let uncosted: string;
  let reseller: { id: string; token: string };
  let otherReseller: { id: string; token: string };
  let resellerListId: string;
  let resellerCustomer: { id: string; token: string };
  let direct: { id: string; token: string };

  const sheet = (accountId: string, token: string, on?: string): Promise<Reply> => call('GET', `/v1/accounts/${accountId}/prices${on ? `?on=${on}` : ''}`, { token });
  const line = (r: { body: Body }, offerId: string) => (r.body.items as Body[]).find((i) => i.offerId === offerId)!;
  const addRule = (listId: string, body: Body, token: string): Promise<Reply> => call('POST', `/v1/price-lists/${listId}/rules`, { token, body });

  async function createReseller(): Promise<{ id: string; token: string }> {
    const r = await createCustomer(staff, { type: 'reseller' });
    return { id: r.account.id, token: await login(r.login, r.password) };
  }

  /** The distributor's list for an audience in EUR: created here, or the one the stack already has. */
  async function distributorList(audience: 'resellers' | 'customers', markupBps: number): Promise<string> {
    const r = await call('POST', `/v1/accounts/${distributorId}/price-lists`, { token: staff, body: { audience, currency: 'EUR', markupBps } });
    if (r.status === 201) return r.body.id;
    expect(r.body.error.code).toBe('price_list_exists');
    const lists = await call('GET', `/v1/accounts/${distributorId}/price-lists`, { token: staff });
    return (lists.body.items as Body[]).find((l) => l.audience === audience && l.currency === 'EUR')!.id;
  }

  beforeAll(async () => {
    staff = await staffLogin();
    distributorId = (await call('GET', '/v1/me', { token: staff })).body.accountId;
    product = await createProduct(staff);
    costed = product.offers[0]!.id;
    uncosted = product.offers[1]!.id;

    const cost = await call('POST', `/v1/catalog/offers/${costed}/costs`, { token: staff, body: { currency: 'EUR', amount: 1999, effectiveFrom: day(0) } });
    expect([cost.status, cost.body]).toEqual([201, { offerId: costed, costs: [{ currency: 'EUR', amount: 1999, effectiveFrom: day(0) }] }]);

    // The product's own rules make the figures this test's, whatever the lists' own markups are.
    const resellersList = await distributorList('resellers', 1000);
    const customersList = await distributorList('customers', 2500);
    expect((await addRule(resellersList, { scope: 'product', productId: product.id, markupBps: 1000, effectiveFrom: day(0) }, staff)).status).toBe(201);
    expect((await addRule(customersList, { scope: 'product', productId: product.id, markupBps: 2500, effectiveFrom: day(0) }, staff)).status).toBe(201);

    [reseller, otherReseller] = await Promise.all([createReseller(), createReseller()]);
    const own = await call('POST', `/v1/accounts/${reseller.id}/price-lists`, { token: reseller.token, body: { audience: 'customers', currency: 'EUR', markupBps: 2000 } });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ accountId: reseller.id, audience: 'customers', currency: 'EUR', allowBelowCost: false, version: 1, rules: [{ scope: 'list', markupBps: 2000, effectiveFrom: day(0) }] });
    resellerListId = own.body.id;

    const [c1, c2] = await Promise.all([createCustomer(reseller.token), createCustomer(staff)]);
    resellerCustomer = { id: c1.account.id, token: await login(c1.login, c1.password) };
    direct = { id: c2.account.id, token: await login(c2.login, c2.password) };
  }, 30_000);

  it('prices a direct customer: the distributor sees cost, sell and margin; the customer only what it pays', async () => {
    const seen = await sheet(direct.id, staff);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ accountId: direct.id, currency: 'EUR', on: day(0), viewer: 'distributor' });
    expect(line(seen, costed)).toMatchObject({ productId: product.id, figures: { cost: eur(1999), sell: eur(2499), distributorMargin: eur(500) }, reason: null });
    expect(line(seen, uncosted)).toMatchObject({ figures: null, reason: 'no_cost' });

    const own = await sheet(direct.id, direct.token);
    expect(own.body.viewer).toBe('customer');
    expect(line(own, costed).figures).toEqual({ sell: eur(2499) });
    expect(JSON.stringify(own.body)).not.toMatch(/"cost"|Margin|"margin"|resellerPrice/);
  });

  it('prices a reseller’s customer down the chain, each viewer its own figures, to the cent', async () => {
    const byDistributor = line(await sheet(resellerCustomer.id, staff), costed);
    expect(byDistributor.figures).toEqual({ cost: eur(1999), resellerPrice: eur(2199), sell: eur(2639), distributorMargin: eur(200), resellerMargin: eur(440) });
    const byReseller = await sheet(resellerCustomer.id, reseller.token);
    expect(byReseller.body.viewer).toBe('reseller');
    expect(line(byReseller, costed).figures).toEqual({ cost: eur(2199), sell: eur(2639), margin: eur(440) });
    const byCustomer = await sheet(resellerCustomer.id, resellerCustomer.token);
    expect(line(byCustomer, costed).figures).toEqual({ sell: eur(2639) });
    expect(JSON.stringify(byCustomer.body)).not.toMatch(/"cost"|argin|resellerPrice/);
    // The reseller itself pays the distributor's reseller price, and sees nothing of the cost.
    const itself = await sheet(reseller.id, reseller.token);
    expect(line(itself, costed).figures).toEqual({ sell: eur(2199) });
    // Another reseller's customer has no price from a list it has none of.
    const orphan = await createCustomer(otherReseller.token);
    expect(line(await sheet(orphan.account.id, otherReseller.token), costed).reason).toBe('no_reseller_price');
  });

  it('refuses a reseller’s rule that sells below what it pays, with the figures, and changes nothing', async () => {
    const before = await call('GET', `/v1/price-lists/${resellerListId}`, { token: reseller.token });
    const below = await addRule(resellerListId, { scope: 'product', productId: product.id, markupBps: -1000, effectiveFrom: day(0) }, reseller.token);
    expect(below.status).toBe(422);
    expect(below.body.error.code).toBe('below_cost');
    expect(below.body.error.details).toEqual([{ offerId: costed, cost: eur(2199), price: eur(1979) }]);
    const after = await call('GET', `/v1/price-lists/${resellerListId}`, { token: reseller.token });
    expect(after.body).toEqual(before.body);
    expect(after.headers.get('etag')).toBe(`"${before.body.version}"`);
  });

  it('takes a rule version effective tomorrow into tomorrow’s sheet, not today’s', async () => {
    const added = await addRule(resellerListId, { scope: 'product', productId: product.id, markupBps: 3000, effectiveFrom: day(1) }, reseller.token);
    expect(added.status).toBe(201);
    expect(added.body.rules).toEqual(expect.arrayContaining([expect.objectContaining({ scope: 'product', productId: product.id, markupBps: 3000, effectiveFrom: day(1) })]));
    expect(line(await sheet(resellerCustomer.id, resellerCustomer.token), costed).figures).toEqual({ sell: eur(2639) });
    // 21.99 € + 30 % = 28.587 €, rounded half-up.
    expect(line(await sheet(resellerCustomer.id, resellerCustomer.token, day(1)), costed).figures).toEqual({ sell: eur(2859) });
    expect((await addRule(resellerListId, { scope: 'product', productId: product.id, markupBps: 10, effectiveFrom: day(1) }, reseller.token)).body.error.code).toBe('rule_version_exists');
  });

  it('answers bad input with a 4xx and a clear code, and changes nothing', async () => {
    const before = (await call('GET', `/v1/price-lists/${resellerListId}`, { token: reseller.token })).body;
    // The sheet lists every product of the catalog, and other files add products meanwhile: this file's product is what the requests below could change.
    const ownSheet = async () => {
      const r = await sheet(direct.id, staff);
      return { ...r.body, items: (r.body.items as Body[]).filter((i) => i.productId === product.id) };
    };
    const costsBefore = await ownSheet();
    const cases: Array<[string, () => Promise<Reply>, number, string]> = [
      ['list: unknown currency', () => call('POST', `/v1/accounts/${reseller.id}/price-lists`, { token: reseller.token, body: { audience: 'customers', currency: 'JPY', markupBps: 1 } }), 400, 'validation_failed'],
      ['list: markup not a number', () => call('POST', `/v1/accounts/${reseller.id}/price-lists`, { token: reseller.token, body: { audience: 'customers', currency: 'USD', markupBps: 'ten' } }), 400, 'validation_failed'],
      ['list: a reseller for resellers', () => call('POST', `/v1/accounts/${reseller.id}/price-lists`, { token: reseller.token, body: { audience: 'resellers', currency: 'USD', markupBps: 1 } }), 422, 'audience_not_allowed'],
      ['list: a customer sells nothing', () => call('POST', `/v1/accounts/${resellerCustomer.id}/price-lists`, { token: reseller.token, body: { audience: 'customers', currency: 'USD', markupBps: 1 } }), 422, 'not_a_seller'],
      ['list: below cost allowed by a reseller', () => call('POST', `/v1/accounts/${reseller.id}/price-lists`, { token: reseller.token, body: { audience: 'customers', currency: 'USD', markupBps: 1, allowBelowCost: true } }), 403, 'forbidden'],
      ['list: twice', () => call('POST', `/v1/accounts/${reseller.id}/price-lists`, { token: reseller.token, body: { audience: 'customers', currency: 'EUR', markupBps: 1 } }), 409, 'price_list_exists'],
      ['rule: past date', () => addRule(resellerListId, { scope: 'list', markupBps: 1, effectiveFrom: day(-1) }, reseller.token), 422, 'past_effective_date'],
      ['rule: not a date', () => addRule(resellerListId, { scope: 'list', markupBps: 1, effectiveFrom: '2027-13-45' }, reseller.token), 400, 'validation_failed'],
      ['rule: unknown scope', () => addRule(resellerListId, { scope: 'sku', markupBps: 1, effectiveFrom: day(1) }, reseller.token), 400, 'validation_failed'],
      ['rule: markup out of range', () => addRule(resellerListId, { scope: 'category', category: 'x', markupBps: 100_001, effectiveFrom: day(2) }, reseller.token), 422, 'markup_out_of_range'],
      ['rule: negative fixed price', () => addRule(resellerListId, { scope: 'offer', offerId: costed, amount: -1, effectiveFrom: day(2) }, reseller.token), 422, 'price_out_of_range'],
      ['rule: list rule ended', () => addRule(resellerListId, { scope: 'list', markupBps: null, effectiveFrom: day(2) }, reseller.token), 400, 'validation_failed'],
      ['rule: unknown product', () => addRule(resellerListId, { scope: 'product', productId: 'prd_01JBAS1C0000000000000000ZZ', markupBps: 1, effectiveFrom: day(2) }, reseller.token), 422, 'unknown_product'],
      ['rule: unknown offer', () => addRule(resellerListId, { scope: 'offer', offerId: 'ofr_01JBAS1C0000000000000000ZZ', amount: 1, effectiveFrom: day(2) }, reseller.token), 422, 'unknown_offer'],
      ['cost: past date', () => call('POST', `/v1/catalog/offers/${costed}/costs`, { token: staff, body: { currency: 'EUR', amount: 1, effectiveFrom: day(-1) } }), 422, 'past_effective_date'],
      ['cost: negative', () => call('POST', `/v1/catalog/offers/${costed}/costs`, { token: staff, body: { currency: 'EUR', amount: -5, effectiveFrom: day(1) } }), 400, 'validation_failed'],
      ['cost: twice a day', () => call('POST', `/v1/catalog/offers/${costed}/costs`, { token: staff, body: { currency: 'EUR', amount: 5, effectiveFrom: day(0) } }), 409, 'cost_version_exists'],
      ['cost: by a reseller', () => call('POST', `/v1/catalog/offers/${costed}/costs`, { token: reseller.token, body: { currency: 'EUR', amount: 5, effectiveFrom: day(1) } }), 403, 'forbidden'],
      ['cost: unknown offer', () => call('POST', '/v1/catalog/offers/ofr_01JBAS1C0000000000000000ZZ/costs', { token: staff, body: { currency: 'EUR', amount: 5, effectiveFrom: day(1) } }), 404, 'not_found'],
      ['sheet: not a date', () => sheet(direct.id, staff, 'tomorrow'), 400, 'validation_failed'],
      ['sheet: the distributor buys from no one', () => sheet(distributorId, staff), 422, 'not_a_buyer'],
    ];
    for (const [name, run, status, code] of cases) {
      const r = await run();
      expect({ name, status: r.status, code: r.body?.error?.code }).toEqual({ name, status, code });
    }
    expect((await call('GET', `/v1/price-lists/${resellerListId}`, { token: reseller.token })).body).toEqual(before);
    expect((await call('GET', `/v1/accounts/${reseller.id}/price-lists`, { token: reseller.token })).body.items).toHaveLength(1);
    expect(await ownSheet()).toEqual(costsBefore);
  });

  it('hides another reseller’s list (404), keeps customers out (403) and the distributor’s lists from resellers', async () => {
    expect((await call('GET', `/v1/price-lists/${resellerListId}`, { token: otherReseller.token })).status).toBe(404);
    expect((await addRule(resellerListId, { scope: 'list', markupBps: 1, effectiveFrom: day(3) }, otherReseller.token)).status).toBe(404);
    expect((await call('GET', `/v1/accounts/${reseller.id}/price-lists`, { token: otherReseller.token })).status).toBe(404);
    expect((await call('GET', `/v1/accounts/${distributorId}/price-lists`, { token: reseller.token })).status).toBe(404);
    expect((await call('GET', `/v1/accounts/${resellerCustomer.id}/price-lists`, { token: resellerCustomer.token })).status).toBe(403);
    expect((await call('GET', `/v1/price-lists/${resellerListId}`, { token: resellerCustomer.token })).status).toBe(403);
    expect((await sheet(resellerCustomer.id, direct.token)).status).toBe(404);
    // The distributor reads a reseller's list and its lists.
    expect((await call('GET', `/v1/price-lists/${resellerListId}`, { token: staff })).status).toBe(200);
    expect((await call('GET', `/v1/accounts/${reseller.id}/price-lists`, { token: staff })).body.items.map((l: Body) => l.id)).toEqual([resellerListId]);
  });

  it('creates one list of two concurrent creations: one 201, one 409', async () => {
    const create = () => call('POST', `/v1/accounts/${otherReseller.id}/price-lists`, { token: otherReseller.token, body: { audience: 'customers', currency: 'USD', markupBps: 1500 } });
    const results = await Promise.all([create(), create()]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('price_list_exists');
    expect((await call('GET', `/v1/accounts/${otherReseller.id}/price-lists`, { token: otherReseller.token })).body.items).toHaveLength(1);
  });
});

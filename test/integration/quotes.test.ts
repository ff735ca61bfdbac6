import { call, login, staffLogin, unique, type Reply } from './api.ts';
import { itemsWhere } from './table.ts';
import { agreement, cardToken, company, createCustomer, createProduct } from '../factories/index.ts';

/**
 * Quotes over HTTP (docs/commerce.md "Quotes"): a reseller's customer's cart and a staff order
 * quoted down the chain (the distributor's resellers list over cost, the reseller's list, German
 * VAT from the reseller's tax profile), each viewer its own figures; a checkout and a staff order
 * held to their quote; a price change after the quote refuses the checkout with the old and new
 * figures, charging nothing. Everything priced is this file's own: its product, a reseller with its
 * list and tax profile, and a product rule on the distributor's resellers list (never a list-wide
 * markup other files could see, never the distributor's tax profile).
 */
type Body = Record<string, any>;

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const newPrefix = () => unique('quote').toLowerCase();

/** The sandbox gateway's own records of a card token's charges. */
async function gatewayCharges(gatewayToken: string): Promise<Array<{ reference?: string; status?: string; amount?: string }>> {
  const items = await itemsWhere('gatewayCharge', 'token', gatewayToken);
  return items.map((c) => ({ reference: c.reference?.S, status: c.status?.S, amount: c.amount?.N }));
}

describe('quotes', () => {
  let staff: string;
  let distributorId: string;
  let product: Awaited<ReturnType<typeof createProduct>>;
  /** Costed: priced down the chain. */
  let costed: string;
  /** Not costed: sold at its catalog price (6.00 €, P1M monthly). */
  let uncosted: string;
  let reseller: { id: string; name: string; token: string; listId: string };
  let customer: { id: string; token: string; pm: string; gatewayToken: string };
  let other: { id: string; token: string };

  const addRule = (listId: string, body: Body, token: string): Promise<Reply> => call('POST', `/v1/price-lists/${listId}/rules`, { token, body });
  const quoteCart = (token: string, body: unknown = {}) => call('POST', '/v1/cart/quote', { token, body });
  const quoteOrder = (accountId: string, token: string, body: unknown) => call('POST', `/v1/accounts/${accountId}/orders/quote`, { token, body });
  const checkout = (token: string, body: Body) => call('POST', '/v1/cart/checkout', { token, body, headers: { 'idempotency-key': unique('qco') } });
  const cartOf = async (token: string) => (await call('GET', '/v1/cart', { token })).body.items as Body[];
  const fillCart = async (token: string) => {
    for (const item of await cartOf(token)) await call('DELETE', `/v1/cart/items/${item.id}`, { token });
    expect((await call('POST', '/v1/cart/items', { token, body: { offerId: costed, quantity: 10 } })).status).toBe(201);
    expect((await call('POST', '/v1/cart/items', { token, body: { offerId: uncosted, quantity: 2 } })).status).toBe(201);
  };

  /** The distributor's resellers list in EUR: the one the stack has, or created as price-lists.test.ts creates it. */
  async function distributorResellersList(): Promise<string> {
    const r = await call('POST', `/v1/accounts/${distributorId}/price-lists`, { token: staff, body: { audience: 'resellers', currency: 'EUR', markupBps: 1000 } });
    if (r.status === 201) return r.body.id;
    expect(r.body.error.code).toBe('price_list_exists');
    const lists = await call('GET', `/v1/accounts/${distributorId}/price-lists`, { token: staff });
    return (lists.body.items as Body[]).find((l) => l.audience === 'resellers' && l.currency === 'EUR')!.id;
  }

  beforeAll(async () => {
    staff = await staffLogin();
    distributorId = (await call('GET', '/v1/me', { token: staff })).body.accountId;
    product = await createProduct(staff);
    costed = product.offers.find((o) => o.term === 'P1Y' && o.billingPeriod === 'monthly')!.id;
    uncosted = product.offers.find((o) => o.term === 'P1M')!.id;

    const cost = await call('POST', `/v1/catalog/offers/${costed}/costs`, { token: staff, body: { currency: 'EUR', amount: 1999, effectiveFrom: day(0) } });
    expect(cost.status).toBe(201);
    // This product's own rule: the reseller pays cost + 10 %, whatever the list's own markup is.
    expect((await addRule(await distributorResellersList(), { scope: 'product', productId: product.id, markupBps: 1000, effectiveFrom: day(0) }, staff)).status).toBe(201);

    const r = await createCustomer(staff, { type: 'reseller' });
    const resellerToken = await login(r.login, r.password);
    const list = await call('POST', `/v1/accounts/${r.account.id}/price-lists`, { token: resellerToken, body: { audience: 'customers', currency: 'EUR', markupBps: 2000 } });
    expect(list.status).toBe(201);
    reseller = { id: r.account.id, name: r.account.name, token: resellerToken, listId: list.body.id };
    // A German reseller: its customers in Germany pay 19 % VAT.
    expect((await call('PUT', `/v1/accounts/${reseller.id}/tax-profile`, { token: resellerToken, body: { legalName: 'Quote Reseller GmbH', country: 'DE' } })).status).toBe(200);

    const [c, o] = await Promise.all([createCustomer(resellerToken), createCustomer(resellerToken)]);
    const customerToken = await login(c.login, c.password);
    const gatewayToken = await cardToken('4242424242424242');
    const pm = await call('POST', `/v1/accounts/${c.account.id}/payment-methods`, { token: customerToken, body: { type: 'card', token: gatewayToken, holderName: 'Ada Admin' } });
    expect(pm.status).toBe(201);
    customer = { id: c.account.id, token: customerToken, pm: pm.body.id, gatewayToken };
    other = { id: o.account.id, token: await login(o.login, o.password) };
  }, 60_000);

  // 19.99 € cost, + 10 % = 21.99 € the reseller pays, + 20 % = 26.39 €; 19 % VAT on 275.90 € = 52.42 €.
  const quotedLines = () => [
    { offerId: costed, productId: product.id, quantity: 10, unitPrice: eur(2639), total: eur(26390), rateBps: 1900 },
    { offerId: uncosted, productId: product.id, quantity: 2, unitPrice: eur(600), total: eur(1200), rateBps: 1900 },
  ];

  it('quotes the cart: its lines priced down the chain, German VAT and the totals, placing nothing; the buyer sees no figures', async () => {
    await fillCart(customer.token);
    const q = await quoteCart(customer.token);
    expect(q.status).toBe(201);
    expect(q.body).toMatchObject({
      id: expect.stringMatching(/^quo_[0-9A-HJKMNP-TV-Z]{26}$/),
      accountId: customer.id,
      currency: 'EUR',
      // In the cart's order.
      lines: expect.arrayContaining(quotedLines().map((l) => expect.objectContaining(l))),
      net: eur(27590),
      taxes: [{ rateBps: 1900, net: eur(27590), tax: eur(5242) }],
      total: eur(32832),
      taxTreatment: 'domestic',
      seller: { accountId: reseller.id, name: reseller.name },
    });
    expect(q.body.lines).toHaveLength(2);
    expect(Date.parse(q.body.expiresAt) - Date.parse(q.body.createdAt)).toBe(30 * 60_000);
    expect(q.body.lines.map((l: Body) => 'figures' in l)).toEqual([false, false]);
    expect(JSON.stringify(q.body)).not.toMatch(/"cost"|argin|resellerPrice|unitChain|createdBy/);
    // No body at all is the same request.
    const bare = await call('POST', '/v1/cart/quote', { token: customer.token });
    expect([bare.status, bare.body.total]).toEqual([201, eur(32832)]);
    expect(bare.body.id).not.toBe(q.body.id);
    // Nothing placed, the cart as it was.
    expect((await call('GET', '/v1/orders', { token: customer.token })).body.items).toEqual([]);
    expect((await call('GET', '/v1/invoices', { token: customer.token })).body.items).toEqual([]);
    expect(await cartOf(customer.token)).toHaveLength(2);
    expect(await gatewayCharges(customer.gatewayToken)).toEqual([]);
  });

  it('quotes a staff order: the reseller sees its cost and margin per line, the distributor the whole chain', async () => {
    const lines = [
      { offerId: costed, quantity: 10 },
      { offerId: uncosted, quantity: 2 },
    ];
    const byReseller = await quoteOrder(customer.id, reseller.token, { lines });
    expect(byReseller.status).toBe(201);
    expect(byReseller.body).toMatchObject({ accountId: customer.id, net: eur(27590), total: eur(32832), taxTreatment: 'domestic', lines: quotedLines().map((l) => expect.objectContaining(l)) });
    expect(byReseller.body.lines.map((l: Body) => l.figures)).toEqual([{ cost: eur(21990), sell: eur(26390), margin: eur(4400) }, null]);
    const byDistributor = await quoteOrder(customer.id, staff, { lines });
    expect(byDistributor.status).toBe(201);
    expect(byDistributor.body.lines[0].figures).toEqual({ cost: eur(19990), resellerPrice: eur(21990), sell: eur(26390), distributorMargin: eur(2000), resellerMargin: eur(4400) });
    expect((await call('GET', '/v1/orders', { token: customer.token })).body.items).toEqual([]);
  });

  it('refuses what the order would refuse, with the same errors, and keeps staff quotes to staff admins in scope', async () => {
    const cases: Array<[string, () => Promise<Reply>, number, string]> = [
      ['a repeated offer', () => quoteOrder(customer.id, reseller.token, { lines: [{ offerId: costed, quantity: 1 }, { offerId: costed, quantity: 2 }] }), 422, 'duplicate_offer'],
      ['above the maximum', () => quoteOrder(customer.id, reseller.token, { lines: [{ offerId: costed, quantity: product.maxQuantity + 1 }] }), 422, 'quantity_out_of_range'],
      ['an unknown offer', () => quoteOrder(customer.id, reseller.token, { lines: [{ offerId: 'ofr_01JBAS1C0000000000000000ZZ', quantity: 1 }] }), 422, 'offer_unavailable'],
      ['a reseller buys nothing', () => quoteOrder(reseller.id, staff, { lines: [{ offerId: costed, quantity: 1 }] }), 422, 'not_a_customer'],
      ['no lines', () => quoteOrder(customer.id, reseller.token, { lines: [] }), 400, 'validation_failed'],
      ['a quantity of 0', () => quoteOrder(customer.id, reseller.token, { lines: [{ offerId: costed, quantity: 0 }] }), 400, 'validation_failed'],
      ['an order’s other fields', () => quoteOrder(customer.id, reseller.token, { lines: [{ offerId: costed, quantity: 1 }], domain: { mode: 'create', prefix: 'x', company } }), 400, 'validation_failed'],
      ['no body', () => quoteOrder(customer.id, reseller.token, undefined), 400, 'validation_failed'],
      ['a cart quote with a body', () => quoteCart(customer.token, { lines: [] }), 400, 'validation_failed'],
      ['a checkout with a malformed quote id', () => checkout(customer.token, { domain: { mode: 'create', prefix: newPrefix(), company }, paymentMethodId: customer.pm, customerAgreement: agreement, quoteId: 'quo_nope' }), 400, 'validation_failed'],
      ['the customer on the staff route', () => quoteOrder(customer.id, customer.token, { lines: [{ offerId: costed, quantity: 1 }] }), 403, 'forbidden'],
      ['staff on the cart', () => quoteCart(reseller.token), 403, 'forbidden'],
      ['another tree', async () => quoteOrder(customer.id, (await createCustomer(staff, { type: 'reseller' }).then((r) => login(r.login, r.password))), { lines: [{ offerId: costed, quantity: 1 }] }), 404, 'not_found'],
      ['an empty cart', () => quoteCart(other.token), 422, 'cart_empty'],
    ];
    for (const [name, run, status, code] of cases) {
      const r = await run();
      expect({ name, status: r.status, code: r.body?.error?.code }).toEqual({ name, status, code });
    }
    expect((await call('GET', '/v1/orders', { token: customer.token })).body.items).toEqual([]);
    expect(await cartOf(customer.token)).toHaveLength(2);
  });

  it('checks out with the quote when nothing changed: the order’s total is its net, the invoice its gross, the card charged the gross', async () => {
    await fillCart(customer.token);
    const q = (await quoteCart(customer.token)).body;
    const placed = await checkout(customer.token, { domain: { mode: 'create', prefix: newPrefix(), company }, paymentMethodId: customer.pm, customerAgreement: agreement, quoteId: q.id });
    expect(placed.status).toBe(201);
    expect(placed.body.total).toEqual(q.net);
    expect(placed.body.lines.map((l: Body) => [l.offerId, l.unitPrice, l.total])).toEqual(q.lines.map((l: Body) => [l.offerId, l.unitPrice, l.total]));
    const invoice = (await call('GET', `/v1/invoices/${placed.body.invoiceId}`, { token: customer.token })).body;
    expect(invoice).toMatchObject({ status: 'paid', net: q.net, taxes: q.taxes, total: q.total, taxTreatment: 'domestic', seller: expect.objectContaining({ accountId: reseller.id }) });
    expect(await gatewayCharges(customer.gatewayToken)).toEqual([{ reference: placed.body.id, status: 'succeeded', amount: String(q.total.amount) }]);
    expect(await cartOf(customer.token)).toEqual([]);
  });

  it('places a staff order with its quote (billed by invoice): the order’s total is the quote’s net, the invoice its gross', async () => {
    const lines = [{ offerId: uncosted, quantity: 3 }];
    const q = (await quoteOrder(customer.id, reseller.token, { lines })).body;
    expect(q).toMatchObject({ net: eur(1800), taxes: [{ rateBps: 1900, net: eur(1800), tax: eur(342) }], total: eur(2142) });
    const placed = await call('POST', `/v1/accounts/${customer.id}/orders`, {
      token: reseller.token,
      body: { lines, domain: { mode: 'create', prefix: newPrefix(), company }, quoteId: q.id },
      headers: { 'idempotency-key': unique('qso') },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.total).toEqual(q.net);
    expect((await call('GET', `/v1/invoices/${placed.body.invoiceId}`, { token: customer.token })).body).toMatchObject({ status: 'unpaid', net: q.net, total: q.total });
    // Other lines than the quote's: refused, nothing placed.
    const before = (await call('GET', '/v1/orders', { token: customer.token })).body.items.length;
    const changed = await call('POST', `/v1/accounts/${customer.id}/orders`, {
      token: reseller.token,
      body: { lines: [{ offerId: uncosted, quantity: 4 }], domain: { mode: 'create', prefix: newPrefix(), company }, quoteId: q.id },
      headers: { 'idempotency-key': unique('qso') },
    });
    expect([changed.status, changed.body.error.code]).toEqual([409, 'price_changed']);
    expect(changed.body.error.details[0]).toEqual({ offerId: uncosted, quoted: { quantity: 3, unitPrice: eur(600), total: eur(1800), rateBps: 1900 }, now: { quantity: 4, unitPrice: eur(600), total: eur(2400), rateBps: 1900 } });
    expect((await call('GET', '/v1/orders', { token: customer.token })).body.items).toHaveLength(before);
  });

  it('answers 404 for a quote of another account and 409 quote_expired for one it cannot find, charging nothing', async () => {
    const theirs = (await quoteOrder(other.id, reseller.token, { lines: [{ offerId: costed, quantity: 1 }] })).body;
    await fillCart(customer.token);
    const charges = await gatewayCharges(customer.gatewayToken);
    const body = (quoteId: string) => ({ domain: { mode: 'create', prefix: newPrefix(), company }, paymentMethodId: customer.pm, quoteId });
    const foreign = await checkout(customer.token, body(theirs.id));
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    expect(JSON.stringify(foreign.body)).not.toContain(other.id);
    const staffForeign = await call('POST', `/v1/accounts/${customer.id}/orders`, {
      token: reseller.token,
      body: { lines: [{ offerId: costed, quantity: 1 }], domain: { mode: 'create', prefix: newPrefix(), company }, quoteId: theirs.id },
      headers: { 'idempotency-key': unique('qso') },
    });
    expect(staffForeign.status).toBe(404);
    const unknown = await checkout(customer.token, body('quo_01JBAS1C0000000000000000ZZ'));
    expect([unknown.status, unknown.body.error.code]).toEqual([409, 'quote_expired']);
    expect(await gatewayCharges(customer.gatewayToken)).toEqual(charges);
    expect(await cartOf(customer.token)).toHaveLength(2);
  });

  it('refuses the checkout with 409 price_changed after the reseller raises its price: the old and new figures, no order, no charge, the cart kept', async () => {
    await fillCart(customer.token);
    const q = (await quoteCart(customer.token)).body;
    const ordersBefore = (await call('GET', '/v1/orders', { token: customer.token })).body.items.length;
    const invoicesBefore = (await call('GET', '/v1/invoices', { token: customer.token })).body.items.length;
    const chargesBefore = await gatewayCharges(customer.gatewayToken);

    // From today the reseller sells this product at + 30 %: 21.99 € × 1.3 = 28.587 €.
    const raised = await addRule(reseller.listId, { scope: 'product', productId: product.id, markupBps: 3000, effectiveFrom: day(0) }, reseller.token);
    expect(raised.status).toBe(201);

    const refused = await checkout(customer.token, { domain: { mode: 'create', prefix: newPrefix(), company }, paymentMethodId: customer.pm, quoteId: q.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('price_changed');
    expect(refused.body.error.details).toEqual([
      { offerId: costed, quoted: { quantity: 10, unitPrice: eur(2639), total: eur(26390), rateBps: 1900 }, now: { quantity: 10, unitPrice: eur(2859), total: eur(28590), rateBps: 1900 } },
      { path: 'total', quoted: { net: eur(27590), total: eur(32832), taxTreatment: 'domestic' }, now: { net: eur(29790), total: eur(35450), taxTreatment: 'domestic' } },
    ]);
    expect((await call('GET', '/v1/orders', { token: customer.token })).body.items).toHaveLength(ordersBefore);
    expect((await call('GET', '/v1/invoices', { token: customer.token })).body.items).toHaveLength(invoicesBefore);
    expect(await gatewayCharges(customer.gatewayToken)).toEqual(chargesBefore);
    expect((await cartOf(customer.token)).map((i) => [i.offerId, i.quantity])).toEqual(expect.arrayContaining([[costed, 10], [uncosted, 2]]));

    // A new quote says the new price, and the checkout goes through with it.
    const fresh = (await quoteCart(customer.token)).body;
    expect([fresh.net, fresh.total]).toEqual([eur(29790), eur(35450)]);
    const placed = await checkout(customer.token, { domain: { mode: 'create', prefix: newPrefix(), company }, paymentMethodId: customer.pm, quoteId: fresh.id });
    expect(placed.status).toBe(201);
    expect(placed.body.total).toEqual(eur(29790));
  });
});

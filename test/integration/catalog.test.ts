import { call, login, staffLogin, unique } from './api.ts';
import { createCustomer, makeProductBody, nce, word } from '../factories/index.ts';

/**
 * Catalog management and search (docs/product.md#catalog-and-offers, docs/product.md#catalog-and-cart) over HTTP: distributor admins create and edit
 * products; everyone searches; retired products disappear for everyone but the distributor.
 */
type Body = Record<string, any>;

describe('catalog management and search', () => {
  let staff: string;
  let customerAdmin: string;

  const create = (body: Body, token = staff) => call('POST', '/v1/catalog/products', { token, body });
  const patch = (id: string, body: Body, token = staff) => call('PATCH', `/v1/catalog/products/${id}`, { token, body });
  const search = (query: string, token = staff) => call('GET', `/v1/catalog/products?${query}`, { token });
  const ids = (r: { body: { items: Array<{ id: string }> } }) => r.body.items.map((p) => p.id);

  async function created(overrides: Body = {}) {
    const body = makeProductBody(overrides);
    const r = await create(body);
    if (r.status !== 201) throw new Error(`create product: ${r.status} ${JSON.stringify(r.body)}`);
    return { body, product: r.body };
  }

  beforeAll(async () => {
    staff = await staffLogin();
    const customer = await createCustomer(staff);
    customerAdmin = await login(customer.login, customer.password);
  });

  it('creates a product with three NCE offers and reads it back by id', async () => {
    const body = makeProductBody();
    const r = await create(body);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ ...body, offers: expect.any(Array), status: 'active' });
    expect(r.body.id).toMatch(/^prd_[0-9A-Z]{26}$/);
    expect(r.body.offers).toHaveLength(3);
    for (const o of r.body.offers) {
      expect(o.id).toMatch(/^ofr_[0-9A-Z]{26}$/);
      expect(o.productId).toBe(r.body.id);
    }
    expect(r.body.offers.map((o: Body) => [o.term, o.billingPeriod, o.price.amount])).toEqual([
      ['P1Y', 'annual', 6000],
      ['P1M', 'monthly', 600],
      ['P1Y', 'monthly', 500],
    ]);
    const read = await call('GET', `/v1/catalog/products/${r.body.id}`, { token: customerAdmin });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(r.body);
  });

  it('finds a product by a word of its description, by its SKU and by its category, in any case and without accents', async () => {
    const tag = word();
    const { body, product } = await created({ description: `Archivage ${tag} pour le Café et la Crème brûlée.` });
    const other = await created();

    expect(ids(await search(`q=${tag}`, customerAdmin))).toEqual([product.id]);
    expect(ids(await search(`q=${encodeURIComponent(`${tag.toUpperCase()} CAFE creme`)}`))).toEqual([product.id]);
    expect(ids(await search(`q=${encodeURIComponent(`brulee ${tag}`)}`))).toEqual([product.id]);
    expect(ids(await search(`q=${encodeURIComponent(`café ${tag} missing-word`)}`))).toEqual([]);
    expect(ids(await search(`q=${encodeURIComponent(body.sku)}`, customerAdmin))).toEqual([product.id]);
    expect(ids(await search(`q=${encodeURIComponent(body.sku.toLowerCase())}`))).toEqual([product.id]);
    expect(ids(await search(`category=${encodeURIComponent(body.category)}`, customerAdmin))).toEqual([product.id]);
    expect(ids(await search(`category=${encodeURIComponent(body.category.toUpperCase())}`))).toEqual([product.id]);
    expect(ids(await search(`category=${encodeURIComponent(body.category)}&q=${other.body.sku}`))).toEqual([]);
  });

  it('edits the name and a price: search finds the new name, not the old, and other offers keep their price', async () => {
    const { body, product } = await created();
    const oldWord = body.name.split(' ').at(-1);
    const newWord = word();
    const monthly = product.offers.find((o: Body) => o.term === 'P1M');
    const r = await patch(product.id, { name: `Fabrikam Vault ${newWord}`, offers: [{ id: monthly.id, price: { amount: 777, currency: 'EUR' } }] });
    expect(r.status).toBe(200);
    expect(r.body.name).toBe(`Fabrikam Vault ${newWord}`);
    expect(r.body.offers).toEqual(product.offers.map((o: Body) => (o.id === monthly.id ? { ...o, price: { amount: 777, currency: 'EUR' } } : o)));

    expect(ids(await search(`q=${newWord}`))).toEqual([product.id]);
    expect(ids(await search(`q=${encodeURIComponent(`${oldWord} contoso`)}`))).toEqual([]);
    const read = await call('GET', `/v1/catalog/products/${product.id}`, { token: customerAdmin });
    expect(read.body).toEqual(r.body);
  });

  it('adds a three-year offer and refuses a second offer with the same term and billing period', async () => {
    const { product } = await created();
    const added = await patch(product.id, { addOffers: [{ term: 'P3Y', billingPeriod: 'annual', price: { amount: 5500, currency: 'EUR' } }] });
    expect(added.status).toBe(200);
    expect(added.body.offers).toHaveLength(4);
    expect(added.body.offers[3]).toMatchObject({ id: expect.stringMatching(/^ofr_/), productId: product.id, term: 'P3Y', billingPeriod: 'annual' });

    const again = await patch(product.id, { addOffers: [{ term: 'P1Y', billingPeriod: 'annual', price: { amount: 1, currency: 'EUR' } }] });
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: 'duplicate_offer', details: [{ path: 'addOffers.0' }] });
    const usd = await patch(product.id, { offers: [{ id: product.offers[0].id, price: { amount: 100, currency: 'USD' } }] });
    expect(usd.status).toBe(422);
    expect(usd.body.error.code).toBe('currency_mismatch');
    const unknown = await patch(product.id, { offers: [{ id: 'ofr_01ARZ3NDEKTSV4RRFFQ69G5FAV', price: { amount: 100, currency: 'EUR' } }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('unknown_offer');
    const limits = await patch(product.id, { minQuantity: 600 });
    expect(limits.status).toBe(422);
    expect(limits.body.error.code).toBe('invalid_quantity_limits');

    const read = await call('GET', `/v1/catalog/products/${product.id}`, { token: staff });
    expect(read.body).toEqual(added.body);
  });

  it('keeps every one of three concurrent edits (optimistic locking on the product version)', async () => {
    const { product } = await created();
    const [a, b, c] = await Promise.all([
      patch(product.id, { description: 'Edited by the first request.' }),
      patch(product.id, { vendor: 'Fabrikam' }),
      patch(product.id, { addOffers: [{ term: 'P3Y', billingPeriod: 'monthly', price: { amount: 450, currency: 'EUR' } }] }),
    ]);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    const read = await call('GET', `/v1/catalog/products/${product.id}`, { token: staff });
    expect(read.body).toMatchObject({ description: 'Edited by the first request.', vendor: 'Fabrikam' });
    expect(read.body.offers).toHaveLength(4);
  });

  it('answers its version as the ETag and refuses an edit whose If-Match names an older one (412), keeping the product', async () => {
    const { product } = await created();
    const read = await call('GET', `/v1/catalog/products/${product.id}`, { token: staff });
    expect(read.headers.get('etag')).toBe(`"${product.version}"`);
    const first = await call('PATCH', `/v1/catalog/products/${product.id}`, { token: staff, headers: { 'if-match': `"${product.version}"` }, body: { vendor: 'Fabrikam' } });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(product.version + 1);
    expect(first.headers.get('etag')).toBe(`"${product.version + 1}"`);
    const stale = await call('PATCH', `/v1/catalog/products/${product.id}`, { token: staff, headers: { 'if-match': `"${product.version}"` }, body: { vendor: 'Northwind' } });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('precondition_failed');
    expect((await call('GET', `/v1/catalog/products/${product.id}`, { token: staff })).body).toMatchObject({ vendor: 'Fabrikam', version: product.version + 1 });
  });

  it('retires a product: customers no longer find or read it, the distributor still does, and it can come back', async () => {
    const { body, product } = await created();
    const tag = body.name.split(' ').at(-1);
    const retired = await patch(product.id, { status: 'retired' });
    expect(retired.status).toBe(200);
    expect(retired.body.status).toBe('retired');

    expect(ids(await search(`q=${tag}`, customerAdmin))).toEqual([]);
    expect(ids(await search(`category=${body.category}`, customerAdmin))).toEqual([]);
    const hidden = await call('GET', `/v1/catalog/products/${product.id}`, { token: customerAdmin });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');

    expect(ids(await search(`q=${tag}`))).toEqual([product.id]);
    expect((await call('GET', `/v1/catalog/products/${product.id}`, { token: staff })).body.status).toBe('retired');

    expect((await patch(product.id, { status: 'active' })).status).toBe(200);
    expect(ids(await search(`q=${tag}`, customerAdmin))).toEqual([product.id]);
  });

  it('lets only distributor admins create and edit (403 for a customer admin and a distributor user)', async () => {
    const { product } = await created();
    const me = await call('GET', '/v1/me', { token: staff });
    const person = { firstName: 'Sam', lastName: 'Staff', login: `${unique('staff')}@distributor.test`, role: 'user', password: 'Staff-User-Password-1' };
    const added = await call('POST', `/v1/accounts/${me.body.accountId}/users`, { token: staff, body: { users: [person], sendActivationEmail: false } });
    expect(added.status).toBe(201);
    const staffUser = await login(person.login, person.password);

    for (const token of [customerAdmin, staffUser]) {
      const body = makeProductBody();
      const c = await create(body, token);
      expect(c.status).toBe(403);
      expect(c.body.error.code).toBe('forbidden');
      expect(ids(await search(`q=${encodeURIComponent(body.sku)}`))).toEqual([]);
      const p = await patch(product.id, { name: 'Taken over' }, token);
      expect(p.status).toBe(403);
    }
    expect((await call('GET', `/v1/catalog/products/${product.id}`, { token: staff })).body.name).toBe(product.name);
  });

  it('refuses a SKU already in the catalog, whatever its case, with 409 sku_taken', async () => {
    const { body } = await created();
    for (const sku of [body.sku, body.sku.toLowerCase(), 'CFQ7TTC0LH18']) {
      const dup = makeProductBody({ sku });
      const r = await create(dup);
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'sku_taken', details: [{ path: 'sku' }] });
      expect(ids(await search(`category=${dup.category}`))).toEqual([]);
    }
  });

  it.each([
    ['a duplicate term and billing period', { offers: [...nce(500), { term: 'P1Y', billingPeriod: 'monthly', price: { amount: 400, currency: 'EUR' } }] }, 422, 'duplicate_offer'],
    ['a price with cents as a fraction', { offers: [{ term: 'P1M', billingPeriod: 'monthly', price: { amount: 12.5, currency: 'EUR' } }] }, 400, 'validation_failed'],
    ['a zero price', { offers: [{ term: 'P1M', billingPeriod: 'monthly', price: { amount: 0, currency: 'EUR' } }] }, 400, 'validation_failed'],
    ['mixed currencies', { offers: [...nce(500).slice(0, 2), ...nce(500, 'USD').slice(2)] }, 422, 'currency_mismatch'],
    ['no offers', { offers: [] }, 400, 'validation_failed'],
    ['a monthly term billed annually', { offers: [{ term: 'P1M', billingPeriod: 'annual', price: { amount: 100, currency: 'EUR' } }] }, 422, 'invalid_offer'],
    ['a lower-case currency', { offers: [{ term: 'P1M', billingPeriod: 'monthly', price: { amount: 100, currency: 'eur' } }] }, 400, 'validation_failed'],
    ['minQuantity above maxQuantity', { minQuantity: 10, maxQuantity: 5 }, 422, 'invalid_quantity_limits'],
    ['an unknown field', { discount: 10 }, 400, 'validation_failed'],
  ])('refuses %s and writes nothing', async (_name, overrides, status, code) => {
    const body = makeProductBody(overrides);
    const r = await create(body);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(ids(await search(`category=${body.category}`))).toEqual([]);
    // The SKU was not claimed either: the same product, made valid, goes in.
    const valid = await create({ ...makeProductBody(), sku: body.sku });
    expect(valid.status).toBe(201);
  });

  it('refuses an empty edit and an edit of an unknown product', async () => {
    const { product } = await created();
    expect((await patch(product.id, {})).status).toBe(400);
    expect((await patch(product.id, { sku: 'NEW-SKU' })).status).toBe(400);
    const missing = await patch('prd_01ARZ3NDEKTSV4RRFFQ69G5FAV', { name: 'x' });
    expect(missing.status).toBe(404);
  });

  it('walks every match with limit=1 by following nextCursor, each exactly once', async () => {
    const tag = word();
    const made = [];
    for (const name of ['Alpha', 'Beta', 'Gamma']) made.push((await created({ name: `${name} Suite ${tag}` })).product.id);
    const retired = (await created({ name: `Delta Suite ${tag}` })).product.id;
    await patch(retired, { status: 'retired' });

    const walk = async (token: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const r: { status: number; body: any } = await search(`q=${tag}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
        expect(r.status).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...ids(r));
        cursor = r.body.nextCursor;
        if (!cursor) return seen;
      }
      throw new Error('the cursor never ended');
    };
    expect(await walk(customerAdmin)).toEqual(made);
    expect(await walk(staff)).toEqual([made[0], made[1], retired, made[2]]);

    const firstTwo = await search(`q=${tag}&limit=2`, customerAdmin);
    expect(ids(firstTwo)).toEqual(made.slice(0, 2));
    const rest = await search(`q=${tag}&limit=2&cursor=${encodeURIComponent(firstTwo.body.nextCursor)}`, customerAdmin);
    expect(ids(rest)).toEqual(made.slice(2));
  });
});

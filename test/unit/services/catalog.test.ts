import type { NewProduct, Product } from '#data/catalog.ts';
import { Conflict, NotFound, PreconditionFailed } from '#platform/errors.ts';
import { callerOf, fakeWorld } from './fake-people.ts';

const clock = { nowIso: () => '2027-03-01T10:00:00.000Z' };

const { makeCatalogService } = await import('#services/catalog.ts');

/**
 * The catalog service over an in-memory product repository with the real one's guarantees: unique
 * SKUs, versions, If-Match, and an edit applied again on a re-read when another got in first.
 */
function setUp() {
  const world = fakeWorld();
  const channel = world.add.channel();
  const products = new Map<string, Product>();
  let seq = 0;
  /** Set to run one other edit between the next read and its write (a lost race). */
  let interleave: ((p: Product) => Product) | undefined;
  const repo = {
    async getProduct(id: string) {
      const p = products.get(id);
      return p && structuredClone(p);
    },
    async searchProducts(opts: { includeRetired: boolean }) {
      return { items: [...products.values()].filter((p) => opts.includeRetired || p.status === 'active'), nextCursor: null };
    },
    async insertProduct(p: NewProduct) {
      if ([...products.values()].some((q) => q.sku.toUpperCase() === p.sku.toUpperCase())) throw new Conflict('sku_taken', 'taken');
      const stored = { ...p, version: 1 };
      products.set(p.id, stored);
      return structuredClone(stored);
    },
    async updateProduct(id: string, change: (current: Product) => Product | undefined, ifMatch?: number) {
      for (;;) {
        const current = products.get(id);
        if (!current) throw new NotFound();
        if (ifMatch !== undefined && current.version !== ifMatch) throw new PreconditionFailed(current.version);
        const next = change(structuredClone(current));
        if (!next) return structuredClone(current);
        if (interleave) {
          const other = interleave(structuredClone(current));
          interleave = undefined;
          products.set(id, { ...other, version: current.version + 1 });
          continue;
        }
        const saved = { ...next, version: current.version + 1 };
        products.set(id, saved);
        return structuredClone(saved);
      }
    },
  };
  const service = makeCatalogService({ products: repo, clock, newId: (kind) => `${kind === 'product' ? 'prd' : 'ofr'}_${String(++seq).padStart(26, '0')}` });
  return { channel, service, products, distributor: callerOf(channel.distributorAdmin), interleaveOnce: (f: (p: Product) => Product) => (interleave = f) };
}

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const basic = {
  sku: 'CFQ7TTC0LH18',
  name: 'Microsoft 365 Business Basic',
  description: 'Web and mobile Office apps, Teams, Exchange email.',
  category: 'productivity',
  vendor: 'Microsoft',
  requiresTenant: true,
  minQuantity: 1,
  maxQuantity: 300,
  cancellationWindowHours: 168,
  offers: [
    { term: 'P1Y' as const, billingPeriod: 'annual' as const, price: eur(7200) },
    { term: 'P1M' as const, billingPeriod: 'monthly' as const, price: eur(720) },
  ],
};

describe('catalog', () => {
  it('creates an active product whose offers belong to it', async () => {
    const t = setUp();
    const p = await t.service.create(t.distributor, basic);
    expect(p).toMatchObject({ status: 'active', version: 1, createdAt: '2027-03-01T10:00:00.000Z' });
    expect(p.offers.map((o) => o.productId)).toEqual([p.id, p.id]);
  });

  it('lets only distributor admins create and edit (403), writing nothing', async () => {
    const t = setUp();
    await expect(t.service.create(callerOf(t.channel.resellerAdmin), basic)).rejects.toMatchObject({ status: 403 });
    expect(t.products.size).toBe(0);
  });

  it('refuses a product that breaks a rule with its 422 and writes nothing', async () => {
    const t = setUp();
    await expect(t.service.create(t.distributor, { ...basic, offers: [...basic.offers, { term: 'P1Y', billingPeriod: 'annual', price: eur(1) }] })).rejects.toMatchObject({
      status: 422,
      code: 'duplicate_offer',
      details: [{ path: 'offers.2', term: 'P1Y', billingPeriod: 'annual' }],
    });
    expect(t.products.size).toBe(0);
  });

  it('reprices one offer and leaves the others as they were', async () => {
    const t = setUp();
    const p = await t.service.create(t.distributor, basic);
    const edited = await t.service.edit(t.distributor, p.id, { offers: [{ id: p.offers[1]!.id, price: eur(750) }] });
    expect(edited.offers.map((o) => o.price.amount)).toEqual([7200, 750]);
    expect(edited.version).toBe(2);
  });

  it('refuses an offer the product does not have (422 unknown_offer)', async () => {
    const t = setUp();
    const p = await t.service.create(t.distributor, basic);
    await expect(t.service.edit(t.distributor, p.id, { offers: [{ id: 'ofr_NOPE', price: eur(1) }] })).rejects.toMatchObject({ status: 422, code: 'unknown_offer' });
  });

  it('applies an edit again on top of one that got in first, so neither is lost', async () => {
    const t = setUp();
    const p = await t.service.create(t.distributor, basic);
    t.interleaveOnce((current) => ({ ...current, name: 'Business Basic (renamed)' }));
    const edited = await t.service.edit(t.distributor, p.id, { addOffers: [{ term: 'P1Y', billingPeriod: 'monthly', price: eur(600) }] });
    expect(edited.name).toBe('Business Basic (renamed)');
    expect(edited.offers).toHaveLength(3);
  });

  it('refuses an edit whose If-Match names an older version (412) and keeps the product', async () => {
    const t = setUp();
    const p = await t.service.create(t.distributor, basic);
    await t.service.edit(t.distributor, p.id, { name: 'Renamed' });
    await expect(t.service.edit(t.distributor, p.id, { name: 'Stale' }, 1)).rejects.toMatchObject({ status: 412, code: 'precondition_failed' });
    expect(t.products.get(p.id)!.name).toBe('Renamed');
  });

  it('shows a retired product to the distributor only (404 for everyone else)', async () => {
    const t = setUp();
    const p = await t.service.create(t.distributor, basic);
    await t.service.edit(t.distributor, p.id, { status: 'retired' });
    await expect(t.service.read(callerOf(t.channel.customerAdmin), p.id)).rejects.toMatchObject({ status: 404 });
    expect((await t.service.read(t.distributor, p.id)).status).toBe('retired');
    expect((await t.service.search(callerOf(t.channel.customerAdmin), { limit: 25 })).items).toEqual([]);
    expect((await t.service.search(t.distributor, { limit: 25 })).items).toHaveLength(1);
  });
});

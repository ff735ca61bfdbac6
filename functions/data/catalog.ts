import { db } from './entities.ts';
import { ensureCommitted, withCursor, type Page } from './tx.ts';
import type { Money } from '#domain/money.ts';
import { Conflict, NotFound, TransientError } from '#platform/errors.ts';

export interface Offer {
  id: string;
  productId: string;
  term: 'P1M' | 'P1Y' | 'P3Y';
  billingPeriod: 'monthly' | 'annual';
  /** Per license and billing period. */
  price: Money;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  vendor: string;
  requiresTenant: boolean;
  minQuantity: number;
  maxQuantity: number;
  cancellationWindowHours: number;
  status: 'active' | 'retired';
  offers: Offer[];
  createdAt: string;
}

export function productView(p: Product) {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    category: p.category,
    vendor: p.vendor,
    requiresTenant: p.requiresTenant,
    minQuantity: p.minQuantity,
    maxQuantity: p.maxQuantity,
    cancellationWindowHours: p.cancellationWindowHours,
    status: p.status,
    offers: p.offers,
  };
}

/**
 * The words of a text as search compares them: lower-cased, accents removed (NFKD, then the
 * combining marks dropped, so "Café" and "cafe" are one word), split on anything that is not a
 * letter or a digit. The stored `searchText` and the words of `?q=` both go through here.
 */
export function searchWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Padded with spaces so a word can be matched whole (` word `) as well as by a part of it. */
export function searchTextOf(p: Pick<Product, 'name' | 'sku' | 'description' | 'category'>): string {
  return ` ${searchWords([p.name, p.sku, p.description, p.category].join(' ')).join(' ')} `;
}

/** The words of `?q=` a search filters on: distinct, at most 8. */
export function queryWords(q: string | undefined): string[] {
  return [...new Set(searchWords(q ?? ''))].slice(0, 8);
}

export async function getProduct(id: string): Promise<Product | undefined> {
  const found = await db().entities.product.get({ id }).go();
  return (found.data as Product | null) ?? undefined;
}

export async function getOffer(id: string): Promise<Offer | undefined> {
  const found = await db().entities.offer.get({ id }).go();
  return (found.data as Offer | null) ?? undefined;
}

/**
 * The catalog partition of the root index holds every product by name; `q` keeps those whose
 * words contain every word asked for, `category` those of that category (a Query with a filter,
 * never a Scan).
 *
 * `count` makes ElectroDB read on until it has `limit` matches (or the partition ends) and, when
 * it stops inside a DynamoDB page, builds the cursor from the last item it returns, so a page is
 * full whenever more matches exist and following `nextCursor` reaches every match exactly once.
 * The price is that a rare word may read the whole catalog partition in one request: the catalog
 * is the distributor's product list (tens to a few thousand items), which that bounds.
 */
export async function searchProducts(opts: {
  q?: string;
  category?: string;
  includeRetired: boolean;
  limit: number;
  cursor?: string;
}): Promise<Page<Product>> {
  const words = queryWords(opts.q);
  const query = db()
    .entities.product.query.byCatalog({ catalog: 'main' })
    .where((a, op) => {
      const parts: string[] = [];
      if (!opts.includeRetired) parts.push(op.eq(a.status, 'active'));
      if (opts.category) parts.push(op.eq(a.category, opts.category.toLowerCase()));
      for (const w of words) parts.push(op.contains(a.searchText, w));
      return parts.join(' AND ');
    });
  const page = await withCursor(opts.cursor, (cursor) => query.go({ cursor, count: opts.limit }));
  return { items: page.data as Product[], nextCursor: page.cursor ?? null };
}

/**
 * SKUs are unique across the catalog, compared case-insensitively. The claim is an item written
 * with `attribute_not_exists` in the product's own transaction, as `loginName` does for logins.
 */
const skuClaim = (p: Pick<Product, 'sku' | 'id'>) => ({ sku: p.sku.toUpperCase(), productId: p.id });

const productItem = (p: Product, version: number) => ({ ...p, catalog: 'main', searchText: searchTextOf(p), version });

/** Writes a product, its offers and its SKU claim as they are (the seed of the local stack). */
export async function putProduct(p: Product): Promise<void> {
  const result = await db()
    .transaction.write(({ product, offer, sku }) => [
      sku.put(skuClaim(p)).commit(),
      product.put(productItem(p, 1)).commit(),
      ...p.offers.map((o) => offer.put(o).commit()),
    ])
    .go();
  ensureCommitted(result, () => new TransientError('The product could not be written.'));
}

/**
 * Creates a product with its offers and its SKU claim in one transaction: a taken SKU is a 409
 * `sku_taken` and nothing is written.
 */
export async function insertProduct(p: Product): Promise<Product> {
  const result = await db()
    .transaction.write(({ product, offer, sku }) => [
      sku.create(skuClaim(p)).commit(),
      product.create(productItem(p, 1)).commit(),
      ...p.offers.map((o) => offer.create(o).commit()),
    ])
    .go();
  ensureCommitted(result, (i) =>
    i === 0
      ? new Conflict('sku_taken', `The SKU ${p.sku} is already in the catalog.`, [{ path: 'sku', sku: p.sku }])
      : new TransientError('A product or offer id collided; try again.'),
  );
  return p;
}

const MAX_ATTEMPTS = 5;

/**
 * Edits a product under optimistic locking on its `version`: `change` gets the product as stored
 * (a consistent read) and returns it as it should be, or undefined for no change. The product
 * (which embeds its offers) and every offer that is new or changed are written in one
 * transaction conditioned on the version read, so two edits never lose one another: the second
 * to arrive re-reads and `change` applies its edit again on top (its business checks run again
 * too). The SKU and the id do not change.
 */
export async function updateProduct(productId: string, change: (current: Product) => Product | undefined): Promise<Product> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const found = await db().entities.product.get({ id: productId }).go({ consistent: true });
    const stored = found.data as (Product & { version: number }) | null;
    if (!stored) throw new NotFound();
    const { version, ...current } = stored;
    const next = change(structuredClone(current));
    if (!next) return current;
    const before = new Map(current.offers.map((o) => [o.id, JSON.stringify(o)]));
    const written = next.offers.filter((o) => before.get(o.id) !== JSON.stringify(o));
    const item = productItem({ ...next, id: current.id, sku: current.sku, createdAt: current.createdAt }, version + 1);
    const { id: _id, ...fields } = item;
    const result = await db()
      .transaction.write(({ product, offer }) => [
        product
          .patch({ id: productId })
          .set(fields)
          .where((a, op) => op.eq(a.version, version))
          .commit(),
        ...written.map((o) => offer.put(o).commit()),
      ])
      .go();
    if (!result.canceled) return next;
    const lostRace = result.data[0]?.code === 'ConditionalCheckFailed' || result.data.some((d) => d.code === 'TransactionConflict');
    if (!lostRace) ensureCommitted(result, () => new TransientError('The product could not be written.'));
  }
  throw new TransientError(`The product ${productId} kept changing; try again.`);
}

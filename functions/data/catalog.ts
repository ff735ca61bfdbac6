import type { EntityItem } from 'electrodb';
import { db, type OfferEntity, type ProductEntity } from './entities.ts';
import { ensureCommittedNamed, retryOnConflict, withCursor, type Page } from './tx.ts';
import { Conflict, NotFound, PreconditionFailed, TransientError } from '#platform/errors.ts';

/** An offer as stored (docs/product.md#catalog-and-offers): a term and billing period with a price per license and period. */
export type Offer = EntityItem<OfferEntity>;

/** A product as stored, with its offers and `version`, less the search fields only this module uses. */
export type Product = Omit<EntityItem<ProductEntity>, 'catalog' | 'searchText'>;

/** A product to write for the first time (its version is 1). */
export type NewProduct = Omit<Product, 'version'>;

const asProduct = ({ catalog: _catalog, searchText: _searchText, ...p }: EntityItem<ProductEntity>): Product => p;

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
export function searchTextOf(p: Pick<NewProduct, 'name' | 'sku' | 'description' | 'category'>): string {
  return ` ${searchWords([p.name, p.sku, p.description, p.category].join(' ')).join(' ')} `;
}

/** The words of `?q=` a search filters on: distinct, at most 8. */
export function queryWords(q: string | undefined): string[] {
  return [...new Set(searchWords(q ?? ''))].slice(0, 8);
}

export async function getProduct(id: string, consistent = false): Promise<Product | undefined> {
  const found = await db().entities.product.get({ id }).go({ consistent });
  return found.data ? asProduct(found.data) : undefined;
}

export async function getOffer(id: string): Promise<Offer | undefined> {
  const found = await db().entities.offer.get({ id }).go();
  return found.data ?? undefined;
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
  return { items: page.data.map(asProduct), nextCursor: page.cursor ?? null };
}

/**
 * SKUs are unique across the catalog, compared case-insensitively. The claim is an item written
 * with `attribute_not_exists` in the product's own transaction, as `loginName` does for logins.
 */
const skuClaim = (p: Pick<NewProduct, 'sku' | 'id'>) => ({ sku: p.sku.toUpperCase(), productId: p.id });

const productItem = (p: NewProduct, version: number) => ({ ...p, catalog: 'main', searchText: searchTextOf(p), version });

/** Writes a product, its offers and its SKU claim as they are (the seed of the local stack). */
export async function putProduct(p: NewProduct): Promise<void> {
  const result = await db()
    .transaction.write(({ product, offer, sku }) => [
      sku.put(skuClaim(p)).commit(),
      product.put(productItem(p, 1)).commit(),
      ...p.offers.map((o) => offer.put(o).commit()),
    ])
    .go();
  ensureCommittedNamed(result, ['sku', 'product', ...p.offers.map(() => 'offer' as const)], () => new TransientError('The product could not be written.'));
}

/**
 * Creates a product with its offers and its SKU claim in one transaction: a taken SKU is a 409
 * `sku_taken` and nothing is written.
 */
export async function insertProduct(p: NewProduct): Promise<Product> {
  const result = await db()
    .transaction.write(({ product, offer, sku }) => [
      sku.create(skuClaim(p)).commit(),
      product.create(productItem(p, 1)).commit(),
      ...p.offers.map((o) => offer.create(o).commit()),
    ])
    .go();
  ensureCommittedNamed(result, ['sku', 'product', ...p.offers.map(() => 'offer' as const)], (name) =>
    name === 'sku'
      ? new Conflict('sku_taken', `The SKU ${p.sku} is already in the catalog.`, [{ path: 'sku', sku: p.sku }])
      : new TransientError('A product or offer id collided; try again.'),
  );
  return { ...p, version: 1 };
}

/**
 * Edits a product under optimistic locking on its `version`: `change` gets the product as stored
 * (a consistent read) and returns it as it should be, or undefined for no change. The product
 * (which embeds its offers) and every offer that is new or changed are written in one
 * transaction conditioned on the version read, so two edits never lose one another: the second
 * to arrive re-reads and `change` applies its edit again on top (its business checks run again
 * too). With `ifMatch` (the request's `If-Match`), a product at another version is a 412 instead:
 * the client edited what it no longer sees. The SKU and the id do not change.
 */
export async function updateProduct(productId: string, change: (current: Product) => Product | undefined, ifMatch?: number): Promise<Product> {
  return retryOnConflict(
    async () => {
      const current = await getProduct(productId, true);
      if (!current) throw new NotFound();
      if (ifMatch !== undefined && current.version !== ifMatch) throw new PreconditionFailed(current.version);
      const next = change(structuredClone(current));
      if (!next) return current;
      const before = new Map(current.offers.map((o) => [o.id, JSON.stringify(o)]));
      const written = next.offers.filter((o) => before.get(o.id) !== JSON.stringify(o));
      const { version: _version, ...fields } = { ...next, id: current.id, sku: current.sku, createdAt: current.createdAt };
      const { id: _id, ...item } = productItem(fields, current.version + 1);
      // An optional field the edit took away is removed from the item (a set would keep it).
      const cleared = (['requiresQualification'] as const).filter((k) => current[k] !== undefined && next[k] === undefined);
      const result = await db()
        .transaction.write(({ product, offer }) => [
          (cleared.length ? product.patch({ id: productId }).set(item).remove(cleared) : product.patch({ id: productId }).set(item))
            .where((a, op) => op.eq(a.version, current.version))
            .commit(),
          ...written.map((o) => offer.put(o).commit()),
        ])
        .go();
      // Another edit got in first (a TransientError is tried again): re-read and apply on top.
      ensureCommittedNamed(result, ['product', ...written.map(() => 'offer' as const)], () => new TransientError(`The product ${productId} changed meanwhile.`));
      return { ...fields, version: item.version };
    },
    { tries: 5, exhausted: () => new TransientError(`The product ${productId} kept changing; try again.`) },
  );
}

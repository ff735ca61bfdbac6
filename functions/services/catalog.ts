import * as catalogRepo from '#data/catalog.ts';
import type { Offer, Product } from '#data/catalog.ts';
import type { Page } from '#data/tx.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, NotFound } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { requirePermission } from '#platform/scope.ts';
import { productRefusal, type BillingPeriod, type CheckedOffer, type ProductStatus } from '#domain/catalog.ts';
import { upgradeTargetsRefusal } from '#domain/upgrades.ts';
import type { Money } from '#domain/money.ts';
import type { Term } from '#domain/terms.ts';
import { trialRefusal, type Qualification } from '#domain/trials.ts';

/**
 * The catalog (docs/product.md#catalog-and-offers, docs/product.md#catalog-and-cart): every signed-in user reads it; retired products are shown only to
 * the distributor that manages the catalog. Distributor admins create products, edit them, add or
 * reprice offers and retire them; every create or edit keeps the product rules of domain/catalog.ts.
 */
export interface CatalogDeps {
  products: Pick<typeof catalogRepo, 'getProduct' | 'searchProducts' | 'insertProduct' | 'updateProduct'>;
  clock: { nowIso(): string };
  newId: (kind: 'product' | 'offer') => string;
}

export interface NewOfferInput {
  term: Term;
  billingPeriod: BillingPeriod;
  price: Money;
}

/** A trial offer (docs/product.md#trials-and-qualifications): its term, billing period and currency are the paid offer's it converts to; free. */
export interface NewTrialOfferInput {
  trial: { days: number; convertsToOfferId: string };
}

interface ProductFields {
  name: string;
  description: string;
  category: string;
  vendor: string;
  requiresTenant: boolean;
  minQuantity: number;
  maxQuantity: number;
  cancellationWindowHours: number;
  /** null or absent: anyone may buy it. */
  requiresQualification?: Qualification | null;
  /** The products it may be upgraded to (docs/product.md#upgrades). */
  upgradeTargets?: string[];
}

export interface NewProductInput extends ProductFields {
  sku: string;
  offers: NewOfferInput[];
}

export interface ProductEdit extends Partial<ProductFields> {
  status?: ProductStatus;
  addOffers?: Array<NewOfferInput | NewTrialOfferInput>;
  /** New prices of offers the product has. */
  offers?: Array<{ id: string; price: Money }>;
}

/** Throws the 422 for a product that breaks a rule of docs/product.md#catalog-and-offers. */
export function checkProduct(p: { minQuantity: number; maxQuantity: number; offers: readonly CheckedOffer[] }): void {
  const refusal = productRefusal(p);
  if (refusal) throw new BusinessRuleRefused(refusal.code, refusal.message, refusal.details);
}

/** Throws the 422 for trial offers that break a rule of domain/trials.ts. */
function checkTrials(offers: ReadonlyArray<Offer & { path: string }>): void {
  const refusal = trialRefusal(offers);
  if (refusal) throw new BusinessRuleRefused(refusal.code, refusal.message, [{ path: refusal.path }]);
}

/** A product's optional fields as stored: a null removes one. */
function withoutNulls<T extends { requiresQualification?: Qualification | null }>(p: T): Omit<T, 'requiresQualification'> & { requiresQualification?: Qualification } {
  const { requiresQualification, ...rest } = p;
  return { ...rest, ...(requiresQualification ? { requiresQualification } : {}) };
}

const seesRetired = (caller: Caller): boolean => caller.accountType === 'distributor';

/** Throws the 422 for upgrade targets that are the product itself, unknown, or listed twice (`exists`: those the catalog has). */
function checkTargets(productId: string, targets: readonly string[] | undefined, exists: ReadonlySet<string>): void {
  const refusal = targets ? upgradeTargetsRefusal(productId, targets, exists) : undefined;
  if (refusal) throw new BusinessRuleRefused(refusal.code, refusal.message, refusal.details);
}

export function makeCatalogService(deps: CatalogDeps) {
  const { products } = deps;

  const offerOf = (productId: string, o: NewOfferInput): Offer => ({
    id: deps.newId('offer'),
    productId,
    term: o.term,
    billingPeriod: o.billingPeriod,
    price: { amount: o.price.amount, currency: o.price.currency },
  });

  /**
   * Applies an edit to the product as stored. Run again on a re-read when another edit got in
   * first, so it depends only on `current` and the edit.
   */
  /** Which of `targets` the catalog has (each read once per create or edit). */
  async function existing(targets: readonly string[] | undefined): Promise<Set<string>> {
    const unique = [...new Set(targets ?? [])];
    const found = await Promise.all(unique.map((id) => products.getProduct(id)));
    return new Set(unique.filter((_, i) => found[i] !== undefined));
  }

  function applyEdit(current: Product, edit: ProductEdit, targetsFound: ReadonlySet<string> = new Set()): Product {
    const { addOffers, offers: repriced, ...fields } = edit;
    const offers = current.offers.map((o) => ({ ...o, path: '' }));
    const seen = new Set<string>();
    for (const [i, change] of (repriced ?? []).entries()) {
      const offer = offers.find((o) => o.id === change.id);
      if (!offer) throw new BusinessRuleRefused('unknown_offer', `The product has no offer ${change.id}.`, [{ path: `offers.${i}.id` }]);
      if (seen.has(change.id)) throw new BusinessRuleRefused('duplicate_offer', `The offer ${change.id} is given twice.`, [{ path: `offers.${i}.id` }]);
      seen.add(change.id);
      offer.price = { amount: change.price.amount, currency: change.price.currency };
      offer.path = `offers.${i}`;
    }
    for (const [i, o] of (addOffers ?? []).entries()) {
      const path = `addOffers.${i}`;
      if (!('trial' in o)) {
        offers.push({ ...offerOf(current.id, o), path });
        continue;
      }
      // Free, on the term, billing period and currency of the paid offer it converts to (checkTrials refuses another).
      const paid = offers.find((p) => p.id === o.trial.convertsToOfferId && !p.trial);
      if (!paid) throw new BusinessRuleRefused('invalid_trial', 'A trial converts to a paid offer of the same product.', [{ path: `${path}.trial.convertsToOfferId` }]);
      offers.push({ id: deps.newId('offer'), productId: current.id, term: paid.term, billingPeriod: paid.billingPeriod, price: { amount: 0, currency: paid.price.currency }, trial: { ...o.trial }, path });
    }
    const repricedTrial = offers.find((o) => o.trial && o.price.amount !== 0);
    if (repricedTrial) throw new BusinessRuleRefused('invalid_trial', 'A trial offer is free.', [{ path: repricedTrial.path }]);
    checkTrials(offers);
    const next = withoutNulls({ ...current, ...fields, offers });
    checkProduct(next);
    checkTargets(current.id, edit.upgradeTargets, targetsFound);
    return { ...next, offers: offers.map(({ path: _path, ...o }) => o) };
  }

  return {
    search(caller: Caller, query: { q?: string; category?: string; limit: number; cursor?: string }): Promise<Page<Product>> {
      return products.searchProducts({ ...query, includeRetired: seesRetired(caller) });
    },

    async read(caller: Caller, productId: string): Promise<Product> {
      const product = await products.getProduct(productId);
      if (!product || (product.status === 'retired' && !seesRetired(caller))) throw new NotFound();
      return product;
    },

    /** A new product, active, with its offers; a SKU already in the catalog is a 409 `sku_taken`. */
    async create(caller: Caller, input: NewProductInput): Promise<Product> {
      requirePermission(caller, 'distributorAdmin');
      checkProduct({ ...input, offers: input.offers.map((o, i) => ({ ...o, path: `offers.${i}` })) });
      const id = deps.newId('product');
      checkTargets(id, input.upgradeTargets, await existing(input.upgradeTargets));
      const { offers, ...fields } = input;
      return products.insertProduct({ ...withoutNulls(fields), id, status: 'active', offers: offers.map((o) => offerOf(id, o)), createdAt: deps.clock.nowIso() });
    },

    /** Edits, reprices, adds offers or retires; `ifMatch` (If-Match) refuses with 412 once the product moved on. */
    async edit(caller: Caller, productId: string, edit: ProductEdit, ifMatch?: number): Promise<Product> {
      requirePermission(caller, 'distributorAdmin');
      const targetsFound = await existing(edit.upgradeTargets);
      return products.updateProduct(productId, (current) => applyEdit(current, edit, targetsFound), ifMatch);
    },
  };
}

export type CatalogService = ReturnType<typeof makeCatalogService>;

export const catalogService = makeCatalogService({ products: catalogRepo, clock, newId });

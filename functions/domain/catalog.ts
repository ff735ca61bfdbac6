import type { Money } from './money.ts';
import type { Term } from './terms.ts';

/**
 * The catalog and domain vocabularies of docs/product.md#catalog-and-offers, docs/product.md#microsoft-domains, and the rules a product keeps. Pure:
 * the entities (data/entities.ts) and the API schemas (http/…/schemas.ts) reuse these lists, so a
 * status is spelled once.
 */
export const PRODUCT_STATUSES = ['active', 'retired'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const TERMS = ['P1M', 'P1Y', 'P3Y'] as const satisfies readonly Term[];
export const BILLING_PERIODS = ['monthly', 'annual'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

/** `pending` while the vendor creates the tenant; `failed` when it could not (hidden from lists). */
export const DOMAIN_STATUSES = ['pending', 'active', 'pending_partner_acceptance', 'failed'] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];
/** A tenant created for the customer, or an existing one linked to it. */
export const DOMAIN_MODES = ['create', 'link'] as const;
export type DomainMode = (typeof DOMAIN_MODES)[number];

export const DOMAIN_SUFFIX = '.onmicrosoft.com';
/** The Microsoft domain a prefix names: `contoso` → `contoso.onmicrosoft.com`. */
export const domainOf = (prefix: string): string => `${prefix}${DOMAIN_SUFFIX}`;

/** A linked domain's partner invitation is sent again at most this often (docs/product.md#microsoft-domains). */
export const INVITATION_RESEND_SECONDS = 60;

/**
 * How many seconds to wait before the partner invitation last sent at `sentAt` may be sent again
 * (0: now). An invitation never recorded, or recorded in the future (a clock moved back), may go.
 */
export function invitationResendWait(sentAt: string | undefined, now: Date): number {
  if (!sentAt) return 0;
  const elapsedMs = now.getTime() - Date.parse(sentAt);
  if (!(elapsedMs >= 0) || elapsedMs >= INVITATION_RESEND_SECONDS * 1000) return 0;
  return Math.ceil((INVITATION_RESEND_SECONDS * 1000 - elapsedMs) / 1000);
}

/** A rule a product breaks, for the caller to turn into a 422 (its `path` names the body field). */
export interface Refusal {
  code: string;
  message: string;
  details: Array<Record<string, unknown>>;
}

export interface CheckedOffer {
  term: Term;
  billingPeriod: BillingPeriod;
  price: Money;
  /** Where the offer is in the request body; empty for a stored offer the request leaves alone. */
  path: string;
  /** A trial offer shares its paid offer's term and billing period (domain/trials.ts has its rules). */
  trial?: unknown;
}

/**
 * The rules a product must keep after any create or edit (docs/product.md#catalog-and-offers), with the body path of the
 * field at fault: quantity limits in order, one offer per term and billing period, a monthly term
 * billed monthly (a year's bill for a month's term makes no sense), one currency for all offers.
 */
export function productRefusal(p: { minQuantity: number; maxQuantity: number; offers: readonly CheckedOffer[] }): Refusal | undefined {
  if (p.minQuantity > p.maxQuantity) {
    return { code: 'invalid_quantity_limits', message: 'minQuantity cannot be above maxQuantity.', details: [{ path: 'minQuantity', minQuantity: p.minQuantity, maxQuantity: p.maxQuantity }] };
  }
  const seen = new Set<string>();
  for (const o of p.offers) {
    if (o.trial) continue;
    const pair = `${o.term}/${o.billingPeriod}`;
    if (seen.has(pair)) {
      return {
        code: 'duplicate_offer',
        message: `The product already has a ${o.term} offer billed ${o.billingPeriod}.`,
        details: [{ path: o.path, term: o.term, billingPeriod: o.billingPeriod }],
      };
    }
    seen.add(pair);
    if (o.term === 'P1M' && o.billingPeriod === 'annual') {
      return { code: 'invalid_offer', message: 'A monthly term is billed monthly.', details: [{ path: o.path, term: o.term, billingPeriod: o.billingPeriod }] };
    }
  }
  // Compared with an offer the request left alone, if any, so the one at fault is the one named.
  const currency = (p.offers.find((o) => !o.path) ?? p.offers[0])?.price.currency;
  const other = p.offers.find((o) => o.price.currency !== currency);
  if (other) {
    return {
      code: 'currency_mismatch',
      message: `All offers of a product are priced in one currency (${currency} and ${other.price.currency} given).`,
      details: [{ path: `${other.path}.price.currency` }],
    };
  }
  return undefined;
}

/** Whether `quantity` is within a product's limits (docs/product.md#catalog-and-offers). */
export const quantityAllowed = (p: { minQuantity: number; maxQuantity: number }, quantity: number): boolean =>
  quantity >= p.minQuantity && quantity <= p.maxQuantity;

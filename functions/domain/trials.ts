import { addDays } from './terms.ts';

/**
 * Trials and qualifications (docs/product.md#trials-and-qualifications). Pure: the catalog, the
 * orders and the renewals turn what these answer into their 422s and their writes.
 */

/** What a tenant may be qualified for, checked by the vendor when the tenant is created. */
export const QUALIFICATIONS = ['education', 'nonprofit', 'government'] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];
export const isQualification = (q: string): q is Qualification => (QUALIFICATIONS as readonly string[]).includes(q);

/** A trial offer: `days` free, then the paid offer of the same product it names. */
export interface Trial {
  days: number;
  convertsToOfferId: string;
}

/** A trial lasts 1 to 90 days. */
export const MAX_TRIAL_DAYS = 90;

/**
 * The last day (inclusive) of a trial that starts on `start` (`YYYY-MM-DD`), as `currentTermEnd`
 * is for any term: a 30-day trial from 2027-01-10 ends 2027-02-08 and converts on 2027-02-09.
 */
export function trialEnd(start: string, days: number): string {
  return addDays(start, days - 1);
}

/**
 * The qualification a product requires that the domain does not have, or undefined when the
 * domain may buy it (a product that requires none, or a domain approved for it).
 */
export function missingQualification(product: { requiresQualification?: Qualification | null }, domainQualifications: readonly string[] | undefined): Qualification | undefined {
  const needed = product.requiresQualification ?? undefined;
  if (!needed) return undefined;
  return domainQualifications?.includes(needed) ? undefined : needed;
}

/** A rule a product's trial offers break, with the body path of the offer at fault. */
export interface TrialRefusal {
  code: 'invalid_trial';
  message: string;
  path: string;
}

/**
 * The rules of a product's trial offers after a create or edit: at most one trial, naming a paid
 * offer of the same product (not another trial), for 1 to 90 days.
 */
export function trialRefusal(offers: ReadonlyArray<{ id: string; trial?: Trial | null; path: string }>): TrialRefusal | undefined {
  const trials = offers.filter((o) => o.trial);
  const second = trials[1];
  if (second) return { code: 'invalid_trial', message: 'A product has at most one trial offer.', path: second.path };
  const trial = trials[0];
  if (!trial?.trial) return undefined;
  const target = offers.find((o) => o.id === trial.trial!.convertsToOfferId);
  if (!target || target.trial) {
    return { code: 'invalid_trial', message: 'A trial converts to a paid offer of the same product.', path: `${trial.path}.trial.convertsToOfferId` };
  }
  if (!Number.isInteger(trial.trial.days) || trial.trial.days < 1 || trial.trial.days > MAX_TRIAL_DAYS) {
    return { code: 'invalid_trial', message: `A trial lasts 1 to ${MAX_TRIAL_DAYS} days.`, path: `${trial.path}.trial.days` };
  }
  return undefined;
}

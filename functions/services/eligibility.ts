import * as domainRepo from '#data/domains.ts';
import * as trialRepo from '#data/trials.ts';
import { BusinessRuleRefused } from '#platform/errors.ts';
import { askVendor, type Company, type Vendor } from '#platform/vendor/index.ts';
import { missingQualification, type Qualification, type Trial } from '#domain/trials.ts';

/**
 * Who may buy what on which domain (docs/product.md#trials-and-qualifications): a tenant created
 * with a qualification has it only once the vendor approves it (422 `qualification_refused`
 * otherwise); a product that requires one is bought only for a domain that has it (422
 * `qualification_required`); a trial only once per domain and product (422 `trial_already_used`,
 * and the marker the order's transaction creates settles a race). All of it is checked before
 * anything is charged or written.
 */
export interface EligibilityDeps {
  domains: Pick<typeof domainRepo, 'getDomain'>;
  trials: Pick<typeof trialRepo, 'trialTaken'>;
  /** The vendor, asked as the HTTP path asks it (a vendor timeout is a 503). */
  vendor: <T>(call: (vendor: Pick<Vendor, 'verifyQualification'>) => Promise<T>) => Promise<T>;
}

export interface EligibleLine {
  product: { id: string; name: string; requiresQualification?: Qualification | null };
  offer: { trial?: Trial | null };
}

export function makeEligibility(deps: EligibilityDeps) {
  return {
    /** The qualifications a tenant to be created gets: the one asked for, once the vendor approves it; `path` names it in a refusal. */
    async approvedQualifications(tenant: { prefix: string; company: Company; qualification?: Qualification }, path: string): Promise<Qualification[]> {
      const { qualification } = tenant;
      if (!qualification) return [];
      const verdict = await deps.vendor((v) => v.verifyQualification({ prefix: tenant.prefix, company: tenant.company, qualification }));
      if (!verdict.approved) {
        throw new BusinessRuleRefused('qualification_refused', verdict.reason ?? `The vendor did not approve the ${qualification} qualification.`, [{ path, qualification }]);
      }
      return [qualification];
    },

    /** The qualifications of a domain of the account (none for a domain not found: its own check refuses it). */
    async qualificationsOf(domainId: string): Promise<string[]> {
      return (await deps.domains.getDomain(domainId))?.qualifications ?? [];
    },

    /**
     * Refuses a line the domain may not have; answers the products whose trial the order takes
     * (their markers go in the order's transaction). A domain being created has had no trial.
     */
    async checkLines(lines: readonly EligibleLine[], domain: { id: string; qualifications: readonly string[]; isNew: boolean }): Promise<string[]> {
      for (const [i, { product }] of lines.entries()) {
        const missing = missingQualification(product, domain.qualifications);
        if (missing) {
          throw new BusinessRuleRefused('qualification_required', `${product.name} is sold only for a domain qualified for ${missing}.`, [
            { path: `lines.${i}.offerId`, qualification: missing },
          ]);
        }
      }
      const trials: string[] = [];
      for (const [i, { product, offer }] of lines.entries()) {
        if (!offer.trial) continue;
        if (!domain.isNew && (await deps.trials.trialTaken(domain.id, product.id))) {
          throw new BusinessRuleRefused('trial_already_used', `This domain has already had the trial of ${product.name}.`, [{ path: `lines.${i}.offerId`, domainId: domain.id }]);
        }
        trials.push(product.id);
      }
      return trials;
    },
  };
}

export type Eligibility = ReturnType<typeof makeEligibility>;

export const eligibility = makeEligibility({ domains: domainRepo, trials: trialRepo, vendor: askVendor });

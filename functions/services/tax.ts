import * as accountsRepo from '#data/accounts.ts';
import { accountScope } from '#data/accounts.ts';
import * as taxRepo from '#data/tax.ts';
import type { RateVersion, TaxProfile, VatTable } from '#data/tax.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, ValidationFailed } from '#platform/errors.ts';
import { authorize, requirePermission } from '#platform/scope.ts';
import { EU_COUNTRIES, normalizeVatId, vatIdFormatValid } from '#domain/tax.ts';

/**
 * VAT (docs/commerce.md "Tax"): the rate table the distributor keeps, and each account's tax
 * profile (legal name, country, VAT id, address). The VAT id is normalized and checked against its
 * country's format when saved; whether it is registered is for VIES, not here. Invoices are
 * taxed from both by services/invoicing.ts.
 */
export interface TaxDeps {
  accounts: Pick<typeof accountsRepo, 'getAccount'>;
  tax: Pick<typeof taxRepo, 'getVatTable' | 'addVatRateVersion' | 'getTaxProfile' | 'putTaxProfile'>;
  clock: { nowIso(): string };
}

/** The countries the table keeps rates for: the EU states and the United Kingdom. */
export const RATE_COUNTRIES: readonly string[] = [...EU_COUNTRIES, 'GB'];

export interface RateInput {
  country: string;
  rateBps: number;
  effectiveFrom: string;
}

export interface TaxProfileInput {
  legalName: string;
  country: string;
  vatId?: string;
  address?: TaxProfile['address'];
}

export function makeTaxService(deps: TaxDeps) {
  const today = () => deps.clock.nowIso().slice(0, 10);

  async function accountIn(caller: Caller, accountId: string, permission: 'read' | 'manage') {
    return authorize(caller, accountScope(await deps.accounts.getAccount(accountId)), permission);
  }

  return {
    /** The table (any signed-in staff). */
    async rates(caller: Caller): Promise<VatTable> {
      requirePermission(caller, 'operate');
      return deps.tax.getVatTable();
    },

    /**
     * A rate version of a country (distributor admins): the EU states and GB only (422
     * `unknown_country`), not in the past (422 `past_effective_date`), one per country and day
     * (409 `rate_version_exists`). Answers the whole table.
     */
    async addRate(caller: Caller, input: RateInput): Promise<VatTable> {
      requirePermission(caller, 'distributorAdmin');
      if (!RATE_COUNTRIES.includes(input.country))
        throw new BusinessRuleRefused('unknown_country', `The table keeps rates for the EU states and GB, not ${input.country}.`, [{ path: 'country' }]);
      if (input.effectiveFrom < today()) throw new BusinessRuleRefused('past_effective_date', 'A version may not start in the past.', [{ path: 'effectiveFrom' }]);
      const added: RateVersion = { rateBps: input.rateBps, effectiveFrom: input.effectiveFrom };
      return deps.tax.addVatRateVersion(input.country, added, caller.actorUserId ?? caller.userId, deps.clock.nowIso());
    },

    /** An account's profile, if it has one (anyone with the account in scope). */
    async profile(caller: Caller, accountId: string): Promise<{ accountId: string; profile: TaxProfile | undefined }> {
      const account = await accountIn(caller, accountId, 'read');
      return { accountId: account.id, profile: await deps.tax.getTaxProfile(account.id) };
    },

    /**
     * Sets an account's profile whole (an admin of the account or a staff admin above it, as for
     * editing the account). A VAT id is normalized and must have its country's format (400
     * `validation_failed` at `vatId`; nothing is written).
     */
    async setProfile(caller: Caller, accountId: string, input: TaxProfileInput): Promise<TaxProfile> {
      requirePermission(caller, 'manage');
      const account = await accountIn(caller, accountId, 'manage');
      const vatId = input.vatId === undefined ? undefined : normalizeVatId(input.vatId);
      if (vatId !== undefined && !vatIdFormatValid(input.country, vatId))
        throw new ValidationFailed('The body is not valid.', [
          { in: 'body', path: 'vatId', code: 'invalid_vat_id', message: `is not a VAT id of the format of ${input.country}` },
        ]);
      const profile: TaxProfile = {
        accountId: account.id,
        legalName: input.legalName,
        country: input.country,
        ...(vatId ? { vatId } : {}),
        ...(input.address ? { address: input.address } : {}),
        updatedAt: deps.clock.nowIso(),
        updatedBy: caller.actorUserId ?? caller.userId,
      };
      return deps.tax.putTaxProfile(profile);
    },
  };
}

export type TaxService = ReturnType<typeof makeTaxService>;

export const taxService = makeTaxService({ accounts: accountsRepo, tax: taxRepo, clock });

import * as accountRepo from '#data/accounts.ts';
import type { Account } from '#data/accounts.ts';
import type { InvoiceLine, InvoiceParty, InvoiceTax, TaxTreatmentKind } from '#data/invoices.ts';
import * as taxRepo from '#data/tax.ts';
import type { TaxProfile, VatRates } from '#data/tax.ts';
import { BusinessRuleRefused } from '#platform/errors.ts';
import { invoiceTotals, rateOf, taxTreatment } from '#domain/tax.ts';
import { money, type Money } from '#domain/money.ts';

/**
 * Who issues an invoice and how it is taxed (docs/commerce.md "Who pays whom", "Tax"): the buyer's
 * seller (its reseller, or the distributor for a direct customer) issues it in its own gapless
 * series; VAT follows `taxTreatment` from the seller's and the buyer's tax profiles and the rate
 * table in effect on the issue day. Both parties' legal fields are copied onto the invoice as they
 * are that day.
 *
 * A seller without a tax profile issues untaxed invoices (`taxTreatment: untaxed`): the portal
 * cannot know its VAT area until it says where it is. A buyer without a profile is taxed by its
 * account's address country, as a consumer (no VAT id); without either, by the seller's country.
 *
 * One `invoicing()` per request or job run: it reads the rate table once and each profile once.
 */
export interface TaxedInvoice {
  sellerId: string;
  seller: InvoiceParty;
  buyer: InvoiceParty;
  lines: InvoiceLine[];
  net: Money;
  taxes: InvoiceTax[];
  /** The gross. */
  total: Money;
  taxTreatment: TaxTreatmentKind;
  locale: 'en' | 'es' | 'de';
}

export type InvoiceBuyer = Pick<Account, 'id' | 'name' | 'parentId' | 'rootId' | 'settings' | 'address'>;

export interface InvoicingDeps {
  tax: Pick<typeof taxRepo, 'getVatTable' | 'getTaxProfile'>;
  accounts: Pick<typeof accountRepo, 'getAccount'>;
}

/** The rate of each country in effect on `day` (the latest version from on or before it). */
export function ratesOn(rates: VatRates, day: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [country, versions] of Object.entries(rates)) {
    let found: { rateBps: number; effectiveFrom: string } | undefined;
    for (const v of versions) if (v.effectiveFrom <= day && (!found || v.effectiveFrom > found.effectiveFrom)) found = v;
    if (found) out[country] = found.rateBps;
  }
  return out;
}

const partyOf = (account: { id: string; name: string; address?: InvoiceParty['address'] | null } | undefined, id: string, profile: TaxProfile | undefined): InvoiceParty => ({
  accountId: id,
  name: account?.name ?? id,
  ...(profile ? { legalName: profile.legalName, country: profile.country } : account?.address ? { country: account.address.country } : {}),
  ...(profile?.vatId ? { vatId: profile.vatId } : {}),
  ...(profile?.address ? { address: profile.address } : account?.address ? { address: account.address } : {}),
});

export function makeInvoicing(deps: InvoicingDeps) {
  return function invoicing() {
    let table: Promise<VatRates> | undefined;
    const profiles = new Map<string, Promise<TaxProfile | undefined>>();
    const sellers = new Map<string, Promise<Awaited<ReturnType<InvoicingDeps['accounts']['getAccount']>>>>();
    const profileOf = (id: string) => {
      let found = profiles.get(id);
      if (!found) profiles.set(id, (found = deps.tax.getTaxProfile(id)));
      return found;
    };
    const sellerAccount = (id: string) => {
      let found = sellers.get(id);
      if (!found) sellers.set(id, (found = deps.accounts.getAccount(id)));
      return found;
    };

    /**
     * Taxes `lines` (net amounts) sold to `buyer` on `day`: the seller, both parties, each line's
     * rate, the net, the tax per rate and the gross. 422 `tax_rate_missing` when the rate that
     * applies is not in the table.
     */
    async function taxed(buyer: InvoiceBuyer, lines: readonly InvoiceLine[], currency: string, day: string): Promise<TaxedInvoice> {
      const sellerId = buyer.parentId ?? buyer.rootId;
      const [sellerProfile, buyerProfile, seller] = await Promise.all([profileOf(sellerId), profileOf(buyer.id), sellerAccount(sellerId)]);
      const parties = { sellerId, seller: partyOf(seller, sellerId, sellerProfile), buyer: partyOf(buyer, buyer.id, buyerProfile), locale: buyer.settings.locale };
      if (!sellerProfile) {
        const net = money(lines.reduce((s, l) => s + l.amount.amount, 0), currency);
        return { ...parties, lines: [...lines], net, taxes: [], total: net, taxTreatment: 'untaxed' };
      }
      const rates = ratesOn(await (table ??= deps.tax.getVatTable().then((t) => t.rates)), day);
      const buyerParty = { country: buyerProfile?.country ?? buyer.address?.country ?? sellerProfile.country, ...(buyerProfile?.vatId ? { vatId: buyerProfile.vatId } : {}) };
      const treatment = taxTreatment({ country: sellerProfile.country }, buyerParty, rates);
      if (treatment.kind === 'missing_rate') {
        throw new BusinessRuleRefused('tax_rate_missing', `The VAT rate table has no rate for ${treatment.country} on ${day}.`, [{ country: treatment.country }]);
      }
      const rateBps = rateOf(treatment);
      const rated = lines.map((l) => ({ ...l, rateBps }));
      const totals = invoiceTotals(
        rated.map((l) => ({ net: l.amount, rateBps })),
        currency,
      );
      return { ...parties, lines: rated, net: totals.net, taxes: totals.taxes, total: totals.gross, taxTreatment: treatment.kind };
    }

    return { taxed };
  };
}

export type Invoicing = ReturnType<ReturnType<typeof makeInvoicing>>;

/** Invoicing over the table: make one per request or job run. */
export const invoicing = makeInvoicing({ tax: taxRepo, accounts: accountRepo });

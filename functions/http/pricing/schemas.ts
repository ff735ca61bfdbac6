import * as z from 'zod/mini';
import { CURRENCIES } from '#domain/pricing.ts';
import { MAX_PRICE } from '#domain/money.ts';
import { AccountId, Address, id, IsoDate, nameOf, OfferId, PriceFigures, ProductId } from '../schemas.ts';

/**
 * The contract of offer costs, price lists and price sheets (docs/commerce.md "Prices down the
 * tree"). Ranges of markups and prices are the rules' (domain/pricing.ts `ruleRefusal`, a 422 with
 * the code); here only the shapes (a 400).
 */
export const PriceListId = id('priceList');
const CurrencyCode = z.enum(CURRENCIES);
const Bps = z.number().check(z.int('must be an integer number of basis points'));
const Minor = z.number().check(z.int('must be an integer amount of minor units'));
const Category = z.string().check(z.trim(), z.minLength(1), z.maxLength(50), z.toLowerCase());

export const OfferParams = z.strictObject({ offerId: OfferId });
export const AccountParams = z.strictObject({ accountId: AccountId });
export const PriceListParams = z.strictObject({ priceListId: PriceListId });

export const AddCostBody = z.strictObject({
  currency: CurrencyCode,
  amount: Minor.check(z.gte(0), z.lte(MAX_PRICE)),
  effectiveFrom: IsoDate,
});

export const CreatePriceListBody = z.strictObject({
  audience: z.enum(['resellers', 'customers']),
  currency: CurrencyCode,
  markupBps: Bps,
  effectiveFrom: z.optional(IsoDate),
  allowBelowCost: z.optional(z.boolean()),
});

export const AddRuleBody = z.discriminatedUnion('scope', [
  z.strictObject({ scope: z.literal('list'), markupBps: Bps, effectiveFrom: IsoDate }),
  z.strictObject({ scope: z.literal('category'), category: Category, markupBps: z.nullable(Bps), effectiveFrom: IsoDate }),
  z.strictObject({ scope: z.literal('product'), productId: ProductId, markupBps: z.nullable(Bps), effectiveFrom: IsoDate }),
  z.strictObject({ scope: z.literal('offer'), offerId: OfferId, amount: z.nullable(Minor), effectiveFrom: IsoDate }),
]);

export const PriceSheetQuery = z.strictObject({ on: z.optional(IsoDate) });

const CostVersionSchema = z.object({ currency: z.string(), amount: z.number().check(z.int()), effectiveFrom: z.string() });

export const OfferCostsSchema = z
  .object({ offerId: OfferId, costs: z.array(CostVersionSchema).check(z.describe('Every cost version of the offer, by currency and date')) })
  .register(z.globalRegistry, {
    id: 'OfferCosts',
    description: 'What the vendor charges the distributor for an offer, per currency, as versions (distributor staff only)',
    examples: [{ offerId: 'ofr_01JBAS1C00000000000000Y1AN', costs: [{ currency: 'EUR', amount: 1999, effectiveFrom: '2027-01-01' }] }],
  });

const ruleFields = { effectiveFrom: z.string(), createdAt: z.string() };
const RuleVersionSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('list'), markupBps: z.number(), ...ruleFields }),
  z.object({ scope: z.literal('category'), category: z.string(), markupBps: z.nullable(z.number()), ...ruleFields }),
  z.object({ scope: z.literal('product'), productId: z.string(), markupBps: z.nullable(z.number()), ...ruleFields }),
  z.object({ scope: z.literal('offer'), offerId: z.string(), amount: z.nullable(z.number()), ...ruleFields }),
]);

const examplePriceList = {
  id: 'prl_01JBAS1C0000000000000000P1',
  accountId: 'acc_01JBAS1C0000000000000000R1',
  audience: 'customers' as const,
  currency: 'EUR' as const,
  allowBelowCost: false,
  rules: [{ scope: 'list' as const, markupBps: 2000, effectiveFrom: '2027-01-01', createdAt: '2026-12-20T09:00:00.000Z' }],
  createdAt: '2026-12-20T09:00:00.000Z',
  version: 1,
};

export const PriceListSchema = z
  .object({
    id: PriceListId,
    accountId: AccountId.check(z.describe('The account that keeps the list')),
    audience: z.enum(['resellers', 'customers']),
    currency: CurrencyCode,
    allowBelowCost: z.boolean().check(z.describe('A reseller’s list the distributor lets sell below what the reseller pays')),
    rules: z.array(RuleVersionSchema).check(z.describe('Every version of every rule, by rule and date')),
    createdAt: z.string(),
    version: z.number().check(z.int(), z.describe('Increases with every rule version added; answered as the ETag')),
  })
  .register(z.globalRegistry, { id: 'PriceList', description: 'A price list with all its rule versions', examples: [examplePriceList] });

export const PriceListSummarySchema = z.object({
  id: PriceListId,
  accountId: AccountId,
  audience: z.enum(['resellers', 'customers']),
  currency: CurrencyCode,
  allowBelowCost: z.boolean(),
  createdAt: z.string(),
  version: z.number().check(z.int()),
});

export const PriceListsSchema = z
  .object({ items: z.array(PriceListSummarySchema).check(z.describe('At most one per audience and currency')) })
  .register(z.globalRegistry, { id: 'PriceLists', description: 'The price lists an account keeps', examples: [{ items: [{ ...examplePriceList, rules: undefined }] }] });

const FiguresSchema = PriceFigures;

export const PriceSheetSchema = z
  .object({
    accountId: AccountId,
    on: z.string().check(z.describe('The day (UTC) the prices are in effect')),
    currency: CurrencyCode,
    viewer: z.enum(['distributor', 'reseller', 'customer']),
    items: z.array(
      z.object({
        offerId: OfferId,
        productId: ProductId,
        name: z.string(),
        sku: z.string(),
        term: z.string(),
        billingPeriod: z.string(),
        figures: z.nullable(FiguresSchema),
        reason: z.nullable(z.enum(['no_cost', 'no_distributor_price', 'no_reseller_price']).check(z.describe('Why the offer has no price yet'))),
      }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'PriceSheet',
    description: 'What an account pays for each offer of the catalog on a day',
    examples: [
      {
        accountId: 'acc_01JBAS1C0000000000000000C1',
        on: '2027-01-10',
        currency: 'EUR' as const,
        viewer: 'customer' as const,
        items: [
          {
            offerId: 'ofr_01JBAS1C00000000000000Y1AN',
            productId: 'prd_01JBAS1C0000000000000000M1',
            name: 'Microsoft 365 Business Basic',
            sku: 'CFQ7TTC0LH18',
            term: 'P1Y',
            billingPeriod: 'annual',
            figures: { sell: { amount: 2639, currency: 'EUR' } },
            reason: null,
          },
        ],
      },
    ],
  });

/*
 * VAT (docs/commerce.md "Tax"): the distributor's rate table and the accounts' tax profiles. Which
 * countries the table keeps and whether a VAT id has its country's format are the service's
 * (services/tax.ts: 422 `unknown_country`, 400 at `vatId`); here only the shapes.
 */
const CountryCode = z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'));

export const AddVatRateBody = z.strictObject({
  country: CountryCode,
  rateBps: z.number().check(z.int('must be an integer number of basis points'), z.gte(0), z.lte(10_000)),
  effectiveFrom: IsoDate,
});

export const VatRatesSchema = z
  .object({
    items: z
      .array(
        z.object({
          country: z.string(),
          versions: z.array(z.object({ rateBps: z.number().check(z.int()), effectiveFrom: z.string() })).check(z.describe('Every version, by date')),
        }),
      )
      .check(z.describe('One entry per country, by country code')),
    version: z.number().check(z.int(), z.describe('0 while the table is the seeded one')),
  })
  .register(z.globalRegistry, {
    id: 'VatRates',
    description: 'The VAT rate table the distributor keeps: each country’s standard rate versions, in basis points',
    examples: [{ items: [{ country: 'DE', versions: [{ rateBps: 1900, effectiveFrom: '2026-01-01' }] }], version: 0 }],
  });

export const TaxProfileBody = z.strictObject({
  legalName: nameOf(200),
  country: CountryCode,
  vatId: z.optional(z.string().check(z.maxLength(40))),
  address: z.optional(Address),
});

const exampleTaxProfile = {
  legalName: 'Contoso Iberia S.L.',
  country: 'ES',
  vatId: 'ESX1234567Z',
  address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' },
  updatedAt: '2026-12-20T09:00:00.000Z',
};

const TaxProfileFields = z.object({
  legalName: z.string(),
  country: z.string(),
  vatId: z.nullable(z.string().check(z.describe('Normalized: no spaces, dots or dashes, upper case'))),
  address: z.nullable(
    z.object({ line1: z.string(), line2: z.optional(z.string()), city: z.string(), postalCode: z.string(), state: z.optional(z.string()), country: z.string() }),
  ),
  updatedAt: z.string(),
});

export const TaxProfileSchema = z
  .object({ accountId: AccountId, profile: z.nullable(TaxProfileFields).check(z.describe('null until the profile is set')) })
  .register(z.globalRegistry, {
    id: 'TaxProfile',
    description: 'An account’s tax profile: legal name, country, VAT id (of its country’s format) and address',
    examples: [{ accountId: 'acc_01JBAS1C0000000000000000C1', profile: { ...exampleTaxProfile } }],
  });

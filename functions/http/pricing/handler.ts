import type * as z from 'zod/mini';
import type { CostVersion, PriceList } from '#data/pricing.ts';
import type { TaxProfile, VatTable } from '#data/tax.ts';
import { pricingService, type PriceListWithRules, type PriceSheet } from '#services/pricing.ts';
import { taxService } from '#services/tax.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import type {
  PriceListSummarySchema} from './schemas.ts';
import {
  AccountParams,
  AddCostBody,
  AddVatRateBody,
  AddRuleBody,
  CreatePriceListBody,
  OfferCostsSchema,
  OfferParams,
  PriceListParams,
  PriceListSchema,
  PriceListsSchema,
  PriceSheetQuery,
  PriceSheetSchema,
  TaxProfileBody,
  TaxProfileSchema,
  VatRatesSchema,
} from './schemas.ts';

/**
 * Offer costs, price lists and price sheets (docs/commerce.md "Prices down the tree";
 * services/pricing.ts). Orders do not use these prices yet.
 */
function summaryView(l: PriceList): z.output<typeof PriceListSummarySchema> {
  return { id: l.id, accountId: l.accountId, audience: l.audience, currency: l.currency as 'EUR', allowBelowCost: l.allowBelowCost ?? false, createdAt: l.createdAt, version: l.version };
}

export function priceListView({ list, rules }: PriceListWithRules): z.output<typeof PriceListSchema> {
  const sorted = [...rules].sort((a, b) => (a.scope === b.scope ? 0 : a.scope < b.scope ? -1 : 1) || (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  return { ...summaryView(list), rules: sorted.map((r) => ({ ...r })) };
}

function costsView(c: { offerId: string; costs: CostVersion[] }): z.output<typeof OfferCostsSchema> {
  const byCurrencyAndDate = [...c.costs].sort((a, b) => a.currency.localeCompare(b.currency) || a.effectiveFrom.localeCompare(b.effectiveFrom));
  return { offerId: c.offerId, costs: byCurrencyAndDate.map(({ currency, amount, effectiveFrom }) => ({ currency, amount, effectiveFrom })) };
}

function sheetView(s: PriceSheet): z.output<typeof PriceSheetSchema> {
  return {
    accountId: s.account.id,
    on: s.on,
    currency: s.currency,
    viewer: s.viewer,
    items: s.lines.map(({ offer, product, figures, reason }) => {
      const { viewer: _viewer, ...shown } = figures ?? { viewer: null };
      return {
        offerId: offer.id,
        productId: product.id,
        name: product.name,
        sku: product.sku,
        term: offer.term,
        billingPeriod: offer.billingPeriod,
        figures: figures ? (shown as z.output<typeof PriceSheetSchema>['items'][number]['figures']) : null,
        reason: reason ?? null,
      };
    }),
  };
}

const addCost = httpHandler({ params: OfferParams, body: AddCostBody, response: OfferCostsSchema }, async ({ params, body, caller }) => ({
  statusCode: 201,
  body: costsView(await pricingService.addCost(caller, params.offerId, body)),
  audit: { accountId: caller.rootId, resourceType: 'offer', resourceId: params.offerId, details: { currency: body.currency, effectiveFrom: body.effectiveFrom } },
}));

const createList = httpHandler({ params: AccountParams, body: CreatePriceListBody, response: PriceListSchema }, async ({ params, body, caller }) => {
  const created = await pricingService.createList(caller, params.accountId, body);
  return { statusCode: 201, body: priceListView(created), audit: { accountId: created.list.accountId, resourceType: 'priceList', resourceId: created.list.id } };
});

const listLists = httpHandler({ params: AccountParams, response: PriceListsSchema }, async ({ params, caller }) => ({
  statusCode: 200,
  body: { items: (await pricingService.listLists(caller, params.accountId)).map(summaryView) },
}));

const getList = httpHandler({ params: PriceListParams, response: PriceListSchema }, async ({ params, caller }) => ({
  statusCode: 200,
  body: priceListView(await pricingService.readList(caller, params.priceListId)),
}));

const addRule = httpHandler({ params: PriceListParams, body: AddRuleBody, response: PriceListSchema }, async ({ params, body, caller, request }) => {
  const updated = await pricingService.addRule(caller, params.priceListId, body, request.ifMatch);
  return { statusCode: 201, body: priceListView(updated), audit: { accountId: updated.list.accountId, resourceType: 'priceList', resourceId: updated.list.id, details: { scope: body.scope, effectiveFrom: body.effectiveFrom } } };
});

const priceSheet = httpHandler({ params: AccountParams, query: PriceSheetQuery, response: PriceSheetSchema }, async ({ params, query, caller }) => ({
  statusCode: 200,
  body: sheetView(await pricingService.priceSheet(caller, params.accountId, query.on)),
}));

/** The table by country code, each country's versions by date. */
function ratesView(t: VatTable): z.output<typeof VatRatesSchema> {
  return {
    items: Object.keys(t.rates)
      .sort()
      .map((country) => ({ country, versions: [...t.rates[country]!].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom)).map(({ rateBps, effectiveFrom }) => ({ rateBps, effectiveFrom })) })),
    version: t.version,
  };
}

function taxProfileView(accountId: string, p: TaxProfile | undefined): z.output<typeof TaxProfileSchema> {
  return {
    accountId,
    profile: p ? { legalName: p.legalName, country: p.country, vatId: p.vatId ?? null, address: p.address ? { ...p.address } : null, updatedAt: p.updatedAt } : null,
  };
}

const vatRates = httpHandler({ response: VatRatesSchema }, async ({ caller }) => ({ statusCode: 200, body: ratesView(await taxService.rates(caller)) }));

const addVatRate = httpHandler({ body: AddVatRateBody, response: VatRatesSchema }, async ({ body, caller }) => ({
  statusCode: 201,
  body: ratesView(await taxService.addRate(caller, body)),
  audit: { accountId: caller.rootId, resourceType: 'vatTable', resourceId: 'main', details: { country: body.country, rateBps: body.rateBps, effectiveFrom: body.effectiveFrom } },
}));

const getTaxProfile = httpHandler({ params: AccountParams, response: TaxProfileSchema }, async ({ params, caller }) => {
  const { accountId, profile } = await taxService.profile(caller, params.accountId);
  return { statusCode: 200, body: taxProfileView(accountId, profile) };
});

const putTaxProfile = httpHandler({ params: AccountParams, body: TaxProfileBody, response: TaxProfileSchema }, async ({ params, body, caller }) => {
  const saved = await taxService.setProfile(caller, params.accountId, body);
  return { statusCode: 200, body: taxProfileView(saved.accountId, saved), audit: { accountId: saved.accountId, resourceType: 'taxProfile', resourceId: saved.accountId, details: { country: saved.country } } };
});

export const handler = routeGroup({
  'POST /v1/catalog/offers/{offerId}/costs': addCost,
  'POST /v1/accounts/{accountId}/price-lists': createList,
  'GET /v1/accounts/{accountId}/price-lists': listLists,
  'GET /v1/price-lists/{priceListId}': getList,
  'POST /v1/price-lists/{priceListId}/rules': addRule,
  'GET /v1/accounts/{accountId}/prices': priceSheet,
  'GET /v1/tax/rates': vatRates,
  'POST /v1/tax/rates': addVatRate,
  'GET /v1/accounts/{accountId}/tax-profile': getTaxProfile,
  'PUT /v1/accounts/{accountId}/tax-profile': putTaxProfile,
});

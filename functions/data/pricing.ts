import type { EntityItem } from 'electrodb';
import { db, type OfferCostEntity, type PriceListEntity } from './entities.ts';
import { ensureCommittedNamed, isConditionalFailure, retryOnConflict } from './tx.ts';
import { Conflict, NotFound, PreconditionFailed, TransientError } from '#platform/errors.ts';
import { ruleKey, type Audience, type PriceRule } from '#domain/pricing.ts';

/**
 * Offer costs and price lists (docs/commerce.md "Prices down the tree", docs/data-model.md
 * "Pricing"): cost versions in the catalog's partition, a price list with its claim on
 * (owner, audience, currency), and the versions of its rules in the list's partition.
 */
export type PriceList = EntityItem<PriceListEntity>;
export type NewPriceList = Omit<PriceList, 'version'>;

/** One cost version of an offer. */
export interface CostVersion {
  offerId: string;
  currency: string;
  effectiveFrom: string;
  amount: number;
}

/** A stored rule version: the rule with who wrote it when. */
export type RuleVersion = PriceRule & { createdAt: string };

const asCost = (c: EntityItem<OfferCostEntity>): CostVersion => ({ offerId: c.offerId, currency: c.currency, effectiveFrom: c.effectiveFrom, amount: c.amount });

/** Every cost version of the catalog (1 Query, all pages: offers × currencies × versions). */
export async function listCosts(): Promise<CostVersion[]> {
  const found = await db().entities.offerCost.query.byCatalog({ catalog: 'main' }).go({ pages: 'all' });
  return found.data.map(asCost);
}

/** The cost versions of one offer, by currency and date. */
export async function listOfferCosts(offerId: string): Promise<CostVersion[]> {
  const found = await db().entities.offerCost.query.byCatalog({ catalog: 'main', offerId }).go({ pages: 'all', consistent: true });
  return found.data.map(asCost);
}

/** Adds a cost version; one version per (offer, currency, day): a second is a 409 `cost_version_exists`. */
export async function insertCost(cost: CostVersion & { createdAt: string; createdBy: string }): Promise<void> {
  try {
    await db().entities.offerCost.create({ ...cost, catalog: 'main' }).go();
  } catch (err) {
    if (isConditionalFailure(err))
      throw new Conflict('cost_version_exists', `The offer already has a ${cost.currency} cost from ${cost.effectiveFrom}.`, [{ path: 'effectiveFrom' }]);
    throw err;
  }
}

export async function getPriceList(id: string, consistent = false): Promise<PriceList | undefined> {
  const found = await db().entities.priceList.get({ id }).go({ consistent });
  return found.data ?? undefined;
}

/** The lists an account owns, by audience and currency (gsi1). */
export async function listPriceLists(accountId: string): Promise<PriceList[]> {
  const found = await db().entities.priceList.query.byOwner({ accountId }).go({ pages: 'all' });
  return found.data;
}

/** The id of the list an account keeps for an audience and currency (its claim), if any. */
export async function priceListIdOf(accountId: string, audience: Audience, currency: string): Promise<string | undefined> {
  const found = await db().entities.priceListClaim.get({ accountId, audience, currency }).go();
  return found.data?.priceListId;
}

const ruleItem = (priceListId: string, rule: RuleVersion, createdBy: string) => {
  const { createdAt, ...plain } = rule;
  return { priceListId, ruleKey: ruleKey(plain), effectiveFrom: plain.effectiveFrom, rule: plain, createdAt, createdBy };
};

/** Every version of every rule of a list (1 Query, all pages; lists are small). */
export async function listRules(priceListId: string, consistent = false): Promise<RuleVersion[]> {
  const found = await db().entities.priceRule.query.byList({ priceListId }).go({ pages: 'all', consistent });
  return found.data.map((r) => ({ ...(r.rule as PriceRule), createdAt: r.createdAt }));
}

/**
 * Creates a list with its claim and its first rule (the list's own markup) in one transaction: a
 * list the owner already keeps for that audience and currency is a 409 `price_list_exists`.
 */
export async function insertPriceList(list: NewPriceList, first: RuleVersion): Promise<PriceList> {
  const result = await db()
    .transaction.write(({ priceList, priceListClaim, priceRule }) => [
      priceListClaim.create({ accountId: list.accountId, audience: list.audience, currency: list.currency, priceListId: list.id }).commit(),
      priceList.create({ ...list, version: 1 }).commit(),
      priceRule.create(ruleItem(list.id, first, list.createdBy)).commit(),
    ])
    .go();
  ensureCommittedNamed(result, ['claim', 'list', 'rule'], (name) =>
    name === 'claim'
      ? new Conflict('price_list_exists', `The account already has a ${list.audience} price list in ${list.currency}.`, [{ priceListId: null }])
      : new TransientError('A price list id collided; try again.'),
  );
  return { ...list, version: 1 };
}

/**
 * Adds one rule version under optimistic locking on the list's `version`: `decide` gets the list
 * and its rules as stored (consistent reads) and returns the version to add, or throws its
 * refusal. The rule (conditioned on its absence: one version per rule and day, else a 409
 * `rule_version_exists`) and the list's `version + 1` (conditioned on the version read) are one
 * transaction; a list that moved meanwhile is read again and `decide` runs again. With `ifMatch`
 * (If-Match), a list at another version is a 412.
 */
export async function addRuleVersion(
  priceListId: string,
  createdBy: string,
  decide: (list: PriceList, rules: RuleVersion[]) => Promise<RuleVersion>,
  ifMatch?: number,
): Promise<{ list: PriceList; rules: RuleVersion[] }> {
  return retryOnConflict(
    async () => {
      const list = await getPriceList(priceListId, true);
      if (!list) throw new NotFound();
      if (ifMatch !== undefined && list.version !== ifMatch) throw new PreconditionFailed(list.version);
      const rules = await listRules(priceListId, true);
      const rule = await decide(list, rules);
      const result = await db()
        .transaction.write(({ priceList, priceRule }) => [
          priceRule.create(ruleItem(priceListId, rule, createdBy)).commit(),
          priceList
            .patch({ id: priceListId })
            .set({ version: list.version + 1 })
            .where((a, op) => op.eq(a.version, list.version))
            .commit(),
        ])
        .go();
      ensureCommittedNamed(result, ['rule', 'list'], (name) =>
        name === 'rule'
          ? new Conflict('rule_version_exists', `The rule already has a version from ${rule.effectiveFrom}; versions are never edited.`, [{ path: 'effectiveFrom' }])
          : new TransientError(`The price list ${priceListId} changed meanwhile.`),
      );
      return { list: { ...list, version: list.version + 1 }, rules: [...rules, rule] };
    },
    { tries: 6, exhausted: () => new TransientError(`The price list ${priceListId} kept changing; try again.`) },
  );
}

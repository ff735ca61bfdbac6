import { Entity, Service, type Attribute, type EntityConfiguration } from 'electrodb';
import { documentClient } from '#platform/clients.ts';
import { env } from '#platform/env.ts';
import { ACCOUNT_STATUSES, ACCOUNT_TYPES, DEFAULT_SETTINGS, LOCALES, LOGIN_OUTCOMES, ORDER_PROCESSING, ROLES, USER_STATUSES } from '#domain/accounts.ts';
import { BILLING_PERIODS, DOMAIN_MODES, DOMAIN_STATUSES, PRODUCT_STATUSES, TERMS } from '#domain/catalog.ts';
import { SUBSCRIPTION_STATUSES } from '#domain/subscription-rules.ts';
import { QUALIFICATIONS } from '#domain/trials.ts';
import { INVOICE_STATUSES, PAYMENT_METHOD_TYPES } from '#domain/billing.ts';
import { ORDER_STATUSES, ORDER_TYPES } from '#domain/order-status.ts';
import { DELIVERY_STATUSES, WEBHOOK_STATUSES } from '#domain/webhooks.ts';

/**
 * The entities of the single table, declared once with their key composition (ElectroDB stamps
 * entity name and version on every item). docs/data-model.md lists each access pattern and the
 * key or index below that serves it. Repositories are the only importers of this module.
 */
const SERVICE = 'clp';

const any = { type: 'any' } as const satisfies Attribute;
const str = { type: 'string', required: true } as const satisfies Attribute;
const optStr = { type: 'string' } as const satisfies Attribute;
const num = { type: 'number', required: true } as const satisfies Attribute;
const strList = { type: 'list', items: { type: 'string' }, required: true } as const satisfies Attribute;
const ttl = { type: 'number' } as const satisfies Attribute;
const version = { type: 'number', required: true, default: 1 } as const satisfies Attribute;

/** The due index's keys (gsi4), written raw by functions/data/due-keys.ts; each entity says what they mean for it. */
const dueIndex = {
  dueKey: { type: 'string', field: 'gsi4pk' },
  dueSort: { type: 'string', field: 'gsi4sk' },
} as const satisfies Record<string, Attribute>;

/** A postal address (the zod `Address` of http/schemas.ts): typed on read, unknown fields dropped. */
const address = {
  type: 'map',
  properties: {
    line1: str,
    line2: optStr,
    city: str,
    postalCode: str,
    state: optStr,
    country: str,
  },
} as const satisfies Attribute;

const primary = <const C extends readonly string[]>(composite: C) =>
  ({ pk: { field: 'pk', composite }, sk: { field: 'sk', composite: [] as const } }) as const;

const makeAccount = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'account', version: '1', service: SERVICE },
      attributes: {
        id: str,
        type: { type: ACCOUNT_TYPES, required: true },
        parentId: optStr,
        rootId: str,
        /** Ancestors and self, root first: scope checks need no extra read. */
        accountPath: strList,
        name: str,
        /**
         * The name as `GET /v1/accounts?q=` compares it (domain/accounts.ts `searchNameOf`: accents off,
         * lower-cased), written with every name; absent on accounts named before it existed.
         */
        searchName: optStr,
        status: { type: ACCOUNT_STATUSES, required: true, default: 'active' },
        /** What the account above decides for it (docs/product.md#accounts-and-tenancy). */
        settings: {
          type: 'map',
          required: true,
          properties: {
            orderProcessing: { type: ORDER_PROCESSING, required: true, default: DEFAULT_SETTINGS.orderProcessing },
            allowSelfServicePurchases: { type: 'boolean', required: true, default: DEFAULT_SETTINGS.allowSelfServicePurchases },
            locale: { type: LOCALES, required: true, default: DEFAULT_SETTINGS.locale },
            currency: { type: 'string', required: true, default: DEFAULT_SETTINGS.currency },
            /** Days a subscription suspended for not paying stays suspended before it is cancelled (absent on older accounts: the default). */
            suspensionGraceDays: { type: 'number', default: DEFAULT_SETTINGS.suspensionGraceDays },
            /** The products its users may buy themselves, kept by the account's own admins (domain/self-service.ts); absent or empty: all. */
            selfServiceProducts: { type: 'list', items: { type: 'string' } },
          },
        },
        address,
        /** Who the account's users turn to for help (docs/product.md#accounts-and-tenancy); absent: the nearest one above applies. */
        support: {
          type: 'map',
          properties: { email: optStr, phone: optStr, url: optStr },
        },
        /** Where invoice and payment emails go (docs/product.md#accounts-and-tenancy); absent: the account's admins. */
        billingContact: { type: 'map', properties: { name: str, email: str } },
        /** The Microsoft Customer Agreement as accepted, and who recorded it when. */
        customerAgreement: {
          type: 'map',
          properties: { firstName: str, lastName: str, email: str, acceptedAt: str, recordedAt: str, recordedBy: str },
        },
        createdAt: str,
        version,
      },
      indexes: {
        byId: { ...primary(['id']) },
        byParent: { index: 'gsi2', pk: { field: 'gsi2pk', composite: ['parentId'] }, sk: { field: 'gsi2sk', composite: ['createdAt', 'id'] } },
        byRoot: { index: 'gsi3', pk: { field: 'gsi3pk', composite: ['rootId'] }, sk: { field: 'gsi3sk', composite: ['createdAt', 'id'] } },
      },
    },
    config,
  );
export type AccountEntity = ReturnType<typeof makeAccount>;

const makeUser = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'user', version: '1', service: SERVICE },
      attributes: {
        id: str,
        accountId: str,
        accountType: { type: ACCOUNT_TYPES, required: true },
        accountPath: strList,
        firstName: str,
        lastName: str,
        login: str,
        /** First name, last name and login as `?q=` compares them (data/users.ts `userSearchText`); absent on users written before it existed. */
        searchText: optStr,
        notificationEmail: optStr,
        role: { type: ROLES, required: true },
        status: { type: USER_STATUSES, required: true },
        locale: { type: LOCALES, required: true, default: 'en' },
        phone: optStr,
        address,
        passwordHash: optStr,
        /** The pending activation link: the hash of its secret and when it stops working (epoch seconds). */
        activationTokenHash: optStr,
        activationExpiresAt: { type: 'number' },
        /** The pending password-reset link (docs/product.md#portal-users): the hash of its secret and when it stops working (epoch seconds). */
        resetTokenHash: optStr,
        resetExpiresAt: { type: 'number' },
        /** A self-requested login change waiting for its link (docs/product.md#portal-users): the new login, the hash of the link's secret, its expiry (epoch seconds). */
        pendingLogin: optStr,
        loginChangeTokenHash: optStr,
        loginChangeExpiresAt: { type: 'number' },
        failedLogins: { type: 'number', required: true, default: 0 },
        /** Tokens issued before this instant (epoch milliseconds) are refused. */
        tokensValidAfter: { type: 'number', required: true, default: 0 },
        createdAt: str,
        lastLoginAt: optStr,
        version,
      },
      indexes: {
        byId: { ...primary(['id']) },
        byAccount: { index: 'gsi1', pk: { field: 'gsi1pk', composite: ['accountId'] }, sk: { field: 'gsi1sk', composite: ['id'] } },
      },
    },
    config,
  );
export type UserEntity = ReturnType<typeof makeUser>;

/** login (lower-cased) → user: makes logins unique across the system with a conditional put. */
const makeLoginName = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'loginName', version: '1', service: SERVICE },
      attributes: { login: str, userId: str },
      indexes: { byLogin: { ...primary(['login']) } },
    },
    config,
  );
export type LoginNameEntity = ReturnType<typeof makeLoginName>;

const makeLoginEvent = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'loginEvent', version: '1', service: SERVICE },
      attributes: {
        userId: str,
        at: str,
        seq: str,
        outcome: { type: LOGIN_OUTCOMES, required: true },
        ip: optStr,
        userAgent: optStr,
        actor: optStr,
        ttl,
      },
      indexes: {
        byUser: { pk: { field: 'pk', composite: ['userId'] }, sk: { field: 'sk', composite: ['at', 'seq'] } },
      },
    },
    config,
  );
export type LoginEventEntity = ReturnType<typeof makeLoginEvent>;

const makeRefreshToken = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'refreshToken', version: '1', service: SERVICE },
      attributes: {
        tokenHash: str,
        userId: str,
        family: str,
        actorUserId: optStr,
        used: { type: 'boolean', required: true, default: false },
        issuedAt: num,
        ttl,
      },
      indexes: { byHash: { ...primary(['tokenHash']) } },
    },
    config,
  );
export type RefreshTokenEntity = ReturnType<typeof makeRefreshToken>;

/** A session: the family of rotating refresh tokens one sign-in starts; reuse or logout revokes it. */
const makeSessionFamily = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'sessionFamily', version: '1', service: SERVICE },
      attributes: {
        family: str,
        userId: str,
        actorUserId: optStr,
        revoked: { type: 'boolean', required: true, default: false },
        /** When the session ends whatever its refreshes (epoch milliseconds): the cap of a "log in as". */
        endsAt: { type: 'number' },
        createdAt: str,
        ttl,
      },
      indexes: { byFamily: { ...primary(['family']) } },
    },
    config,
  );
export type SessionFamilyEntity = ReturnType<typeof makeSessionFamily>;

/** The lease that serializes login attempts on one user (or one unknown login name). */
const makeLoginLease = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'loginLease', version: '1', service: SERVICE },
      attributes: {
        key: str,
        holder: str,
        /** Epoch milliseconds after which another attempt may take the lease. */
        until: num,
        ttl,
      },
      indexes: { byKey: { ...primary(['key']) } },
    },
    config,
  );
export type LoginLeaseEntity = ReturnType<typeof makeLoginLease>;

/** Money as docs/product.md#api-conventions has it: integer minor units and an ISO 4217 currency. */
const moneyMap = {
  type: 'map',
  properties: { amount: num, currency: str },
  required: true,
} as const satisfies Attribute;

/** A trial: how many days, then which paid offer (domain/trials.ts `Trial`). */
const trialMap = { type: 'map', properties: { days: num, convertsToOfferId: str } } as const satisfies Attribute;

const offerProperties = {
  id: str,
  productId: str,
  term: { type: TERMS, required: true },
  billingPeriod: { type: BILLING_PERIODS, required: true },
  /** Per license and billing period. */
  price: moneyMap,
  /** A trial offer (price 0): its days and the paid offer of the same product it converts to (docs/product.md#trials-and-qualifications). */
  trial: trialMap,
} as const satisfies Record<string, Attribute>;

const makeProduct = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'product', version: '1', service: SERVICE },
      attributes: {
        id: str,
        catalog: { type: 'string', required: true, default: 'main' },
        sku: str,
        name: str,
        description: str,
        category: str,
        vendor: str,
        requiresTenant: { type: 'boolean', required: true },
        minQuantity: num,
        maxQuantity: num,
        cancellationWindowHours: num,
        /** The products it may be upgraded to mid-term (docs/product.md#upgrades); absent: none. */
        upgradeTargets: { type: 'list', items: { type: 'string' } },
        /** Bought only for a domain the vendor approved for it (docs/product.md#trials-and-qualifications). */
        requiresQualification: { type: QUALIFICATIONS },
        status: { type: PRODUCT_STATUSES, required: true, default: 'active' },
        /** The product's offers, embedded so a product reads with them; each is also an offer item. */
        offers: { type: 'list', items: { type: 'map', properties: offerProperties }, required: true },
        /** Lower-cased, accent-free words of name, SKU, description and category, for `?q=`. */
        searchText: str,
        createdAt: str,
        version,
      },
      indexes: {
        byId: { ...primary(['id']) },
        byCatalog: { index: 'gsi3', pk: { field: 'gsi3pk', composite: ['catalog'] }, sk: { field: 'gsi3sk', composite: ['name', 'id'] } },
      },
    },
    config,
  );
export type ProductEntity = ReturnType<typeof makeProduct>;

/** SKU (upper-cased) → product: makes SKUs unique across the catalog with a conditional put. */
const makeSku = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'sku', version: '1', service: SERVICE },
      attributes: { sku: str, productId: str },
      indexes: { bySku: { ...primary(['sku']) } },
    },
    config,
  );
export type SkuEntity = ReturnType<typeof makeSku>;

const makeOffer = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'offer', version: '1', service: SERVICE },
      attributes: offerProperties,
      indexes: { byId: { ...primary(['id']) } },
    },
    config,
  );
export type OfferEntity = ReturnType<typeof makeOffer>;

/**
 * What the vendor charges the distributor for an offer in one currency from a day on
 * (docs/commerce.md "Prices down the tree"): one item per version, all in the catalog's partition,
 * so the costs of the whole catalog are one Query and those of an offer a `begins_with` on it.
 */
const makeOfferCost = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'offerCost', version: '1', service: SERVICE },
      attributes: {
        catalog: { type: 'string', required: true, default: 'main' },
        offerId: str,
        currency: str,
        /** A date (YYYY-MM-DD, UTC), inclusive. */
        effectiveFrom: str,
        amount: num,
        createdAt: str,
        createdBy: str,
      },
      indexes: {
        byCatalog: { pk: { field: 'pk', composite: ['catalog'] }, sk: { field: 'sk', composite: ['offerId', 'currency', 'effectiveFrom'] } },
      },
    },
    config,
  );
export type OfferCostEntity = ReturnType<typeof makeOfferCost>;

/** A price list of an account (its owner, `accountId`) for one audience and currency; listed per owner on gsi1. */
const makePriceList = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'priceList', version: '1', service: SERVICE },
      attributes: {
        id: str,
        /** The owner. */
        accountId: str,
        accountPath: strList,
        ownerType: { type: ACCOUNT_TYPES, required: true },
        audience: { type: ['resellers', 'customers'] as const, required: true },
        currency: str,
        allowBelowCost: { type: 'boolean', required: true, default: false },
        createdAt: str,
        createdBy: str,
        version,
      },
      indexes: {
        byId: { ...primary(['id']) },
        byOwner: { index: 'gsi1', pk: { field: 'gsi1pk', composite: ['accountId'] }, sk: { field: 'gsi1sk', composite: ['audience', 'currency'] } },
      },
    },
    config,
  );
export type PriceListEntity = ReturnType<typeof makePriceList>;

/** (owner, audience, currency) → price list: one list per triple, claimed with a conditional create in the list's transaction. */
const makePriceListClaim = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'priceListClaim', version: '1', service: SERVICE },
      attributes: { accountId: str, audience: str, currency: str, priceListId: str },
      indexes: { byOwnerAudienceCurrency: { ...primary(['accountId', 'audience', 'currency']) } },
    },
    config,
  );
export type PriceListClaimEntity = ReturnType<typeof makePriceListClaim>;

/** One version of one rule of a price list (domain/pricing.ts `PriceRule`), in the list's partition. */
const makePriceRule = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'priceRule', version: '1', service: SERVICE },
      attributes: {
        priceListId: str,
        /** domain/pricing.ts `ruleKey`: the versions of one rule share it. */
        ruleKey: str,
        effectiveFrom: str,
        /** The PriceRule as given (scope, its subject, markupBps or amount, possibly null). */
        rule: { ...any, required: true },
        createdAt: str,
        createdBy: str,
      },
      indexes: {
        byList: { pk: { field: 'pk', composite: ['priceListId'] }, sk: { field: 'sk', composite: ['ruleKey', 'effectiveFrom'] } },
      },
    },
    config,
  );
export type PriceRuleEntity = ReturnType<typeof makePriceRule>;

/**
 * The VAT rate table the distributor keeps (docs/commerce.md "Tax"): ONE item holding every
 * country's rate versions, read with one GetItem; absent until the distributor first changes it
 * (the seeded table, domain/tax.ts `SEEDED_VAT_RATES`, answers meanwhile). Written under
 * optimistic locking on `version`.
 */
const makeVatTable = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'vatTable', version: '1', service: SERVICE },
      attributes: {
        vatTable: { type: 'string', required: true, default: 'main' },
        /** country → its versions, `[{rateBps, effectiveFrom}]`, in the order they were added. */
        rates: { ...any, required: true },
        updatedAt: str,
        updatedBy: str,
        version,
      },
      indexes: { byName: { ...primary(['vatTable']) } },
    },
    config,
  );
export type VatTableEntity = ReturnType<typeof makeVatTable>;

/** An account's tax profile (docs/commerce.md "Tax"): its own item next to the account, written whole. */
const makeTaxProfile = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'taxProfile', version: '1', service: SERVICE },
      attributes: {
        accountId: str,
        legalName: str,
        country: str,
        /** Normalized (domain/tax.ts `normalizeVatId`) and of the country's format. */
        vatId: optStr,
        address,
        updatedAt: str,
        updatedBy: str,
      },
      indexes: { byAccount: { ...primary(['accountId']) } },
    },
    config,
  );
export type TaxProfileEntity = ReturnType<typeof makeTaxProfile>;

const scopedIndexes = {
  byAccount: { index: 'gsi1', pk: { field: 'gsi1pk', composite: ['accountId'] }, sk: { field: 'gsi1sk', composite: ['createdAt', 'id'] } },
  byParent: { index: 'gsi2', pk: { field: 'gsi2pk', composite: ['parentId'] }, sk: { field: 'gsi2sk', composite: ['createdAt', 'id'] } },
  byRoot: { index: 'gsi3', pk: { field: 'gsi3pk', composite: ['rootId'] }, sk: { field: 'gsi3sk', composite: ['createdAt', 'id'] } },
} as const;

const makeOrder = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'order', version: '1', service: SERVICE },
      attributes: {
        id: str,
        number: str,
        accountId: str,
        parentId: str,
        rootId: str,
        accountPath: strList,
        type: { type: ORDER_TYPES, required: true },
        status: { type: ORDER_STATUSES, required: true },
        statusHistory: { ...any, required: true },
        lines: { ...any, required: true },
        total: { ...any, required: true },
        domain: { ...any, required: true },
        domainId: str,
        automatic: { type: 'boolean', required: true },
        failureReason: optStr,
        subscriptionIds: strList,
        placedBy: { ...any, required: true },
        executionArn: optStr,
        /** The correlation id of the work that placed it (platform/correlation.ts): its execution's input carries the same. */
        correlationId: optStr,
        /** The task token of the gate the workflow waits at, and which gate. */
        taskToken: optStr,
        waitingAt: optStr,
        vendorRequestId: optStr,
        /** The invoice issued when the order was placed, and the card charge that paid it (its reference). */
        invoiceId: optStr,
        chargeReference: optStr,
        selfService: { type: 'boolean', required: true, default: false },
        /** A self-service order's buyer (the customer `user`): the only user of its account who sees it (domain/self-service.ts). */
        buyerUserId: optStr,
        /** The customer account's name when the order was placed (absent on older orders). */
        accountName: optStr,
        /**
         * The due index keys (`start#<shard>`, `<createdAt>#<id>`): present from the order's write until
         * its workflow's start is recorded or the order fails, so `jobs/unstarted-orders.ts` finds an
         * order whose start was lost (data-model.md).
         */
        ...dueIndex,
        createdAt: str,
        updatedAt: str,
        version,
      },
      indexes: { byId: { ...primary(['id']) }, ...scopedIndexes },
    },
    config,
  );
export type OrderEntity = ReturnType<typeof makeOrder>;

const makeSubscription = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'subscription', version: '1', service: SERVICE },
      attributes: {
        id: str,
        accountId: str,
        parentId: str,
        rootId: str,
        accountPath: strList,
        productId: str,
        offerId: str,
        sku: str,
        name: str,
        term: str,
        billingPeriod: str,
        quantity: num,
        assignedCount: { type: 'number', required: true, default: 0 },
        scheduledQuantity: { type: 'number' },
        /** The product and offer the next renewal moves to (domain/scheduled-change.ts); its quantity is `scheduledQuantity`. */
        scheduledChange: { type: 'map', properties: { productId: optStr, offerId: optStr, productName: optStr, term: optStr, billingPeriod: optStr, setAt: str } },
        status: { type: SUBSCRIPTION_STATUSES, required: true },
        autoRenew: { type: 'boolean', required: true, default: true },
        startDate: optStr,
        currentTermStart: optStr,
        currentTermEnd: optStr,
        domain: str,
        domainId: str,
        selfService: { type: 'boolean', required: true, default: false },
        /** Who bought it (a self-service subscription is managed by this user). */
        buyer: { type: 'map', required: true, properties: { userId: str, name: str } },
        unitPrice: { type: 'map', required: true, properties: { amount: num, currency: str } },
        /** The unit's prices down the tree for the current term (`{cost?, resellerPrice?, sell}`, docs/commerce.md): never shown below the seller. */
        unitChain: any,
        /** Licenses that can still be lowered, each until its window closes; `orderId`: the raise or renewal that opened it. */
        cancellationWindows: {
          type: 'list',
          required: true,
          items: { type: 'map', properties: { quantity: num, until: str, orderId: optStr } },
        },
        cancellation: { type: 'map', properties: { reason: str, comment: optStr, at: str, by: str } },
        /** When the dunning job suspended it for an overdue invoice, and the day it is cancelled if still suspended (docs/product.md#billing "Not paying"). */
        suspendedAt: optStr,
        cancelsOn: optStr,
        /** Bought on a trial offer and not yet converted: the current term is the trial's. */
        trial: trialMap,
        /** The due index keys (`term#<currentTermEnd>#<shard>`): present while the subscription can renew or expire. */
        ...dueIndex,
        /** The billing index keys (`bill#<next period start>#<shard>`): monthly-billed terms between periods. */
        billKey: { type: 'string', field: 'gsi5pk' },
        billSort: { type: 'string', field: 'gsi5sk' },
        nextBillingDate: optStr,
        reminderSentFor: optStr,
        orderId: str,
        createdAt: str,
        version,
      },
      indexes: { byId: { ...primary(['id']) }, ...scopedIndexes },
    },
    config,
  );
export type SubscriptionEntity = ReturnType<typeof makeSubscription>;

/** A license of a subscription assigned to a user (docs/product.md#subscriptions-and-licenses); the user's licenses via gsi1. */
const makeAssignment = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'assignment', version: '1', service: SERVICE },
      attributes: { subscriptionId: str, userId: str, accountId: str, assignedAt: str, assignedBy: str },
      indexes: {
        bySubscription: { pk: { field: 'pk', composite: ['subscriptionId'] }, sk: { field: 'sk', composite: ['userId'] } },
        byUser: { index: 'gsi1', pk: { field: 'gsi1pk', composite: ['userId'] }, sk: { field: 'gsi1sk', composite: ['subscriptionId'] } },
      },
    },
    config,
  );
export type AssignmentEntity = ReturnType<typeof makeAssignment>;

const makeDomain = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'domain', version: '1', service: SERVICE },
      attributes: {
        id: str,
        accountId: str,
        parentId: str,
        rootId: str,
        accountPath: strList,
        domain: str,
        mode: { type: DOMAIN_MODES, required: true },
        status: { type: DOMAIN_STATUSES, required: true },
        company: any,
        tenantId: optStr,
        orderId: optStr,
        /** When the partner invitation was last sent (a linked domain waiting for the customer's acceptance). */
        invitationSentAt: optStr,
        /** What the vendor approved the tenant for when it was created (docs/product.md#trials-and-qualifications). */
        qualifications: { type: 'list', items: { type: 'string' } },
        createdAt: str,
        version,
      },
      indexes: { byId: { ...primary(['id']) }, ...scopedIndexes },
    },
    config,
  );
export type DomainEntity = ReturnType<typeof makeDomain>;

/** domain name (lower-cased) → domain: a name is held by one domain of this deployment. */
const makeDomainName = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'domainName', version: '1', service: SERVICE },
      attributes: { name: str, domainId: str },
      indexes: { byName: { ...primary(['name']) } },
    },
    config,
  );
export type DomainNameEntity = ReturnType<typeof makeDomainName>;

/** (domain, product) → the order that took its trial: one trial per tenant and product, by a conditional create in the order's transaction. */
const makeTrialMarker = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'trialMarker', version: '1', service: SERVICE },
      attributes: { domainId: str, productId: str, orderId: str, createdAt: str },
      indexes: { byDomainProduct: { pk: { field: 'pk', composite: ['domainId', 'productId'] }, sk: { field: 'sk', composite: [] } } },
    },
    config,
  );
export type TrialMarkerEntity = ReturnType<typeof makeTrialMarker>;

const makeCounter = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'counter', version: '1', service: SERVICE },
      attributes: { name: str, value: num },
      indexes: { byName: { ...primary(['name']) } },
    },
    config,
  );
export type CounterEntity = ReturnType<typeof makeCounter>;

/** A daily job's run record (data/job-runs.ts): the last day it fully did, where its next run's catch-up starts. */
const makeJobRun = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'jobRun', version: '1', service: SERVICE },
      attributes: { job: str, lastDoneDay: str, updatedAt: str },
      indexes: { byJob: { ...primary(['job']) } },
    },
    config,
  );
export type JobRunEntity = ReturnType<typeof makeJobRun>;

/**
 * Who did what to which resource, when and from where (docs/product.md#audit-trail), per account, newest first;
 * kept 400 days (TTL).
 */
const makeAuditEvent = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'auditEvent', version: '1', service: SERVICE },
      attributes: {
        accountId: str,
        at: str,
        id: str,
        action: str,
        resourceType: str,
        resourceId: optStr,
        /** The person who really acted (the impersonator when logged in as someone). */
        actorUserId: optStr,
        onBehalfOfUserId: optStr,
        system: optStr,
        ip: optStr,
        status: { type: 'number' },
        details: any,
        ttl,
      },
      indexes: { byAccount: { pk: { field: 'pk', composite: ['accountId'] }, sk: { field: 'sk', composite: ['at', 'id'] } } },
    },
    config,
  );
export type AuditEventEntity = ReturnType<typeof makeAuditEvent>;

/** An email to send, written in the same transaction as the change that causes it (docs/product.md#how-it-is-built-fixed-choices). */
const makeOutbox = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'outbox', version: '1', service: SERVICE },
      attributes: {
        id: str,
        template: str,
        to: str,
        /** The account whose people receive it: its support contact (or the nearest above) closes the email. */
        accountId: optStr,
        locale: { type: ['en', 'es', 'de'] as const, required: true },
        data: { ...any, required: true },
        status: { type: ['pending', 'sent'] as const, required: true, default: 'pending' },
        createdAt: str,
        sentAt: optStr,
        messageId: optStr,
        attempts: { type: 'number', required: true, default: 0 },
        /** The correlation id of the work that wrote it (platform/correlation.ts): the notifier logs it. */
        correlationId: optStr,
        ttl,
      },
      indexes: { byId: { ...primary(['id']) } },
    },
    config,
  );
export type OutboxEntity = ReturnType<typeof makeOutbox>;

/**
 * A domain event (domain/events.ts) in one account's feed: written in the transaction of its cause,
 * once per account of the concerned account's path (data/events.ts), read oldest first by
 * `GET /v1/events` and, as a stream INSERT, by the webhook dispatcher; kept 30 days (TTL).
 */
const makeEvent = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'event', version: '1', service: SERVICE },
      attributes: {
        feedAccountId: str,
        id: str,
        type: str,
        apiVersion: str,
        occurredAt: str,
        accountId: str,
        /** The order, subscription, invoice, user or domain it is about (webhooks keep one resource's events in order). */
        resourceId: str,
        data: { ...any, required: true },
        /** The correlation id of the work that caused it (platform/correlation.ts): the webhook dispatcher logs it; never delivered. */
        correlationId: optStr,
        ttl,
      },
      indexes: { byFeed: { pk: { field: 'pk', composite: ['feedAccountId'] }, sk: { field: 'sk', composite: ['id'] } } },
    },
    config,
  );
export type EventEntity = ReturnType<typeof makeEvent>;

/**
 * A webhook endpoint of an account (docs/api.md#webhooks). `secret` signs its deliveries, so it is
 * kept as it is (the table is encrypted at rest) and shown only in the answer that creates it.
 */
const makeWebhook = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'webhook', version: '1', service: SERVICE },
      attributes: {
        id: str,
        accountId: str,
        rootId: str,
        accountPath: strList,
        url: str,
        eventTypes: strList,
        description: optStr,
        status: { type: WEBHOOK_STATUSES, required: true, default: 'active' },
        /** `deliveries_failed` (24 h of failures); absent when an admin disabled it. */
        disabledReason: optStr,
        /** With `deliveries_failed`: the last attempt's answer (`HTTP 503`) or error, as the sender saw it. */
        disabledLastError: optStr,
        disabledAt: optStr,
        secret: str,
        createdAt: str,
        createdBy: str,
        updatedAt: str,
        version,
      },
      indexes: { byId: { ...primary(['id']) }, byAccount: scopedIndexes.byAccount },
    },
    config,
  );
export type WebhookEntity = ReturnType<typeof makeWebhook>;

/**
 * One event to deliver to one endpoint (docs/data-model.md "Webhooks"): in the endpoint's partition
 * by resource then event, so "an earlier event of this resource not yet delivered" is one consistent
 * Query; the endpoint's log newest first on gsi1; due retries on the sparse due index (gsi4).
 */
const makeWebhookDelivery = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'webhookDelivery', version: '1', service: SERVICE },
      attributes: {
        webhookId: str,
        resourceId: str,
        eventId: str,
        accountId: str,
        eventType: str,
        /** The JSON body sent, exactly (the event). */
        payload: str,
        /** The correlation id of the work that caused the event: sent as X-Correlation-Id. */
        correlationId: optStr,
        status: { type: DELIVERY_STATUSES, required: true, default: 'pending' },
        attempts: { type: 'number', required: true, default: 0 },
        /** Failed attempts since the first failure (the backoff's exponent); a manual redelivery starts it again. */
        failures: { type: 'number', required: true, default: 0 },
        lastStatusCode: { type: 'number' },
        lastError: optStr,
        createdAt: str,
        lastAttemptAt: optStr,
        firstFailedAt: optStr,
        nextAttemptAt: optStr,
        deliveredAt: optStr,
        failedAt: optStr,
        /** Epoch ms (real time) until which one sender holds it. */
        leaseUntil: { type: 'number' },
        ...dueIndex,
        ttl,
      },
      indexes: {
        byQueue: { pk: { field: 'pk', composite: ['webhookId'] }, sk: { field: 'sk', composite: ['resourceId', 'eventId'] } },
        byWebhook: { index: 'gsi1', pk: { field: 'gsi1pk', composite: ['webhookId'] }, sk: { field: 'gsi1sk', composite: ['eventId'] } },
      },
    },
    config,
  );
export type WebhookDeliveryEntity = ReturnType<typeof makeWebhookDelivery>;

/** A saved way to pay (docs/product.md#billing): a card as the gateway's token (never its number), or `invoice`. */
const makePaymentMethod = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'paymentMethod', version: '1', service: SERVICE },
      attributes: {
        id: str,
        accountId: str,
        parentId: str,
        rootId: str,
        accountPath: strList,
        type: { type: PAYMENT_METHOD_TYPES, required: true },
        gatewayToken: optStr,
        brand: optStr,
        last4: optStr,
        expMonth: { type: 'number' },
        expYear: { type: 'number' },
        holderName: optStr,
        billingAddress: any,
        /** A card a customer `user` keeps for its own self-service purchases: that user's alone, never the account's default. */
        ownerUserId: optStr,
        isDefault: { type: 'boolean', required: true, default: false },
        createdAt: str,
        version,
      },
      indexes: { byId: { ...primary(['id']) }, byAccount: scopedIndexes.byAccount },
    },
    config,
  );
export type PaymentMethodEntity = ReturnType<typeof makePaymentMethod>;

/** One line of a user's cart; the cart is the user's partition. */
const makeCartItem = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'cartItem', version: '1', service: SERVICE },
      attributes: { userId: str, id: str, accountId: str, offerId: str, quantity: num, createdAt: str, updatedAt: str, version },
      indexes: { byUser: { pk: { field: 'pk', composite: ['userId'] }, sk: { field: 'sk', composite: ['id'] } } },
    },
    config,
  );
export type CartItemEntity = ReturnType<typeof makeCartItem>;

/**
 * The head of a user's cart, in the partition of its lines: how many lines it holds, moved in the
 * transaction that adds or removes a line, so parallel adds cannot pass the limit together.
 */
const makeCart = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'cart', version: '1', service: SERVICE },
      attributes: { userId: str, lineCount: { type: 'number' }, updatedAt: optStr },
      indexes: { byUser: { pk: { field: 'pk', composite: ['userId'] }, sk: { field: 'sk', composite: [] } } },
    },
    config,
  );
export type CartEntity = ReturnType<typeof makeCart>;

const makeInvoice = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'invoice', version: '1', service: SERVICE },
      attributes: {
        id: str,
        number: str,
        accountId: str,
        parentId: str,
        rootId: str,
        accountPath: strList,
        status: { type: INVOICE_STATUSES, required: true },
        issuedAt: str,
        dueAt: str,
        lines: { ...any, required: true },
        total: { ...any, required: true },
        paidAt: optStr,
        orderId: optStr,
        /** A self-service purchase's buyer: the only user of its account who sees and pays it (domain/self-service.ts). */
        buyerUserId: optStr,
        paymentMethodId: optStr,
        chargeId: optStr,
        /** The gateway reference of the card charge that paid it (data/charges.ts). */
        chargeReference: optStr,
        /** A card payment in progress (the claim): its charge reference and until when it holds. */
        payingReference: optStr,
        payingUntil: optStr,
        /** The refund owed after a paid invoice was voided (`{amount, reference, requestedAt}`), and when the gateway made it. */
        refund: any,
        refundedAt: optStr,
        /** What the invoice is for: a purchase or change order, a renewal, a billing period. */
        reason: str,
        /** The due index keys (`inv#<dueAt>#<shard>`): present while the invoice is unpaid. */
        ...dueIndex,
        reminderSent: { type: 'boolean' },
        /**
         * Not paying (docs/product.md#billing): an overdue invoice that suspended subscriptions waits in
         * the due index (`grace#<graceOn>#<shard>`) for its next step, the warning then the
         * cancellation (`graceStep`), on `graceOn`; `cancelsOn` is the cancellation day.
         */
        graceStep: { type: ['warn', 'cancel'] as const },
        graceOn: optStr,
        cancelsOn: optStr,
        subscriptionIds: { type: 'list', items: { type: 'string' } },
        /**
         * docs/commerce.md: what the document is (absent: `invoice`), who issues it (its number is
         * gapless in the seller's series), both parties' legal fields as issued, the net, the tax
         * per rate and how the sale is taxed (`total` is the gross), the service period, the
         * buyer's language, and for a credit note the invoice it corrects; `amountDue` is what is
         * still owed once credit notes reduced it.
         */
        kind: { type: ['invoice', 'credit_note', 'statement'] as const },
        sellerId: optStr,
        seller: any,
        buyer: any,
        net: any,
        taxes: any,
        taxTreatment: optStr,
        servicePeriod: any,
        locale: optStr,
        correctsInvoiceId: optStr,
        amountDue: any,
        createdAt: str,
        version,
      },
      indexes: {
        byId: { ...primary(['id']) },
        byAccount: { index: 'gsi1', pk: { field: 'gsi1pk', composite: ['accountId'] }, sk: { field: 'gsi1sk', composite: ['issuedAt', 'id'] } },
        byParent: { index: 'gsi2', pk: { field: 'gsi2pk', composite: ['parentId'] }, sk: { field: 'gsi2sk', composite: ['issuedAt', 'id'] } },
        byRoot: { index: 'gsi3', pk: { field: 'gsi3pk', composite: ['rootId'] }, sk: { field: 'gsi3sk', composite: ['issuedAt', 'id'] } },
      },
    },
    config,
  );
export type InvoiceEntity = ReturnType<typeof makeInvoice>;

/** The sandbox payment gateway's own records (docs/product.md#sandboxes-and-their-magic-values): the card tokens it issued and its charges. */
const makeGatewayCard = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'gatewayCard', version: '1', service: SERVICE },
      attributes: { token: str, brand: str, last4: str, expMonth: num, expYear: num, declines: { type: 'boolean', required: true }, answer: { type: ['lost', 'never'] as const }, createdAt: str, ttl },
      indexes: { byToken: { ...primary(['token']) } },
    },
    config,
  );
export type GatewayCardEntity = ReturnType<typeof makeGatewayCard>;

const makeGatewayCharge = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'gatewayCharge', version: '1', service: SERVICE },
      attributes: {
        /** The caller's reference: a second charge with the same reference returns the first. */
        reference: str,
        chargeId: str,
        token: str,
        amount: num,
        currency: str,
        status: { type: ['succeeded', 'declined', 'refunded'] as const, required: true },
        createdAt: str,
        refundedAt: optStr,
        /** Partial refunds (a credit note's): the amount given back so far, and each refund's own reference, made once. */
        refundedAmount: { type: 'number' },
        refundReferences: { type: 'set', items: 'string' },
      },
      indexes: { byReference: { ...primary(['reference']) } },
    },
    config,
  );
export type GatewayChargeEntity = ReturnType<typeof makeGatewayCharge>;

/**
 * A card charge about to be made for an order not yet written (its reference is the order id):
 * written before the charge, deleted in the order's transaction, or after a decline or a refund.
 * One left behind (the process stopped, or the processor did not confirm) carries the due index's
 * `charge#<shard>` keys, and `jobs/unstarted-orders.ts` refunds it.
 */
const makePendingCharge = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'pendingCharge', version: '1', service: SERVICE },
      attributes: {
        reference: str,
        accountId: str,
        amount: num,
        currency: str,
        createdAt: str,
        /** Set by the job before it refunds: the order's transaction can no longer take the charge. */
        claimedAt: optStr,
        /** The invoice the charge pays (an invoice charge, or a paid invoice's refund owed). */
        invoiceId: optStr,
        ...dueIndex,
      },
      indexes: { byReference: { ...primary(['reference']) } },
    },
    config,
  );
export type PendingChargeEntity = ReturnType<typeof makePendingCharge>;

/**
 * An Idempotency-Key that placed an order (docs/product.md#api-conventions, docs/product.md#quality-bars): written in the order's own transaction
 * (created only if absent), so a retry whose first answer was lost (the function timed out after the
 * write) finds the order the key made and answers it; scoped like the key, to the signed-in user
 * (the user acted as) and the route. Lives 24 hours, like the idempotency records (data/request-keys.ts).
 */
const makeRequestKey = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'requestKey', version: '1', service: SERVICE },
      attributes: { userId: str, route: str, key: str, bodyHash: str, orderId: str, createdAt: str, ttl },
      indexes: { byKey: { ...primary(['userId', 'route', 'key']) } },
    },
    config,
  );
export type RequestKeyEntity = ReturnType<typeof makeRequestKey>;

/**
 * A quote (docs/commerce.md "Quotes"): what an order of these lines would cost the account, as
 * priced and taxed when asked, kept 30 minutes under its id (`ttl`, DynamoDB deletes it later) for a
 * checkout or staff order to compare against (data/quotes.ts).
 */
const makeQuote = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'quote', version: '1', service: SERVICE },
      attributes: {
        id: str,
        accountId: str,
        /** Who asked for it (under "log in as", the user acted as). */
        createdBy: str,
        currency: str,
        /** Each line with its unit price, unit chain, rate and net total (data/quotes.ts QuoteLine). */
        lines: { ...any, required: true },
        net: moneyMap,
        taxes: { ...any, required: true },
        total: moneyMap,
        taxTreatment: str,
        seller: { ...any, required: true },
        createdAt: str,
        expiresAt: str,
        ttl,
      },
      indexes: { byId: { ...primary(['id']) } },
    },
    config,
  );
export type QuoteEntity = ReturnType<typeof makeQuote>;

/**
 * An API client (docs/api.md "API clients"): a machine acting as an admin of its account within its
 * scopes. Its secrets are kept as SHA-256 hashes only (high-entropy random values, not passwords);
 * at most two are live, the previous one until `expiresAt` after a rotation.
 */
const makeApiClient = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'apiClient', version: '1', service: SERVICE },
      attributes: {
        id: str,
        accountId: str,
        accountType: { type: ACCOUNT_TYPES, required: true },
        accountPath: strList,
        name: str,
        scopes: strList,
        status: { type: ['active', 'revoked'] as const, required: true, default: 'active' },
        secrets: {
          type: 'list',
          required: true,
          items: {
            type: 'map',
            properties: {
              id: str,
              hash: str,
              last4: str,
              createdAt: str,
              /** When a replaced secret stops working (epoch milliseconds); absent: the current one. */
              expiresAt: { type: 'number' },
            },
          },
        },
        createdAt: str,
        createdBy: str,
        /** The last token issued (ISO time), written at most once a minute. */
        lastUsedAt: optStr,
        revokedAt: optStr,
        version,
      },
      indexes: { byId: { ...primary(['id']) }, byAccount: scopedIndexes.byAccount },
    },
    config,
  );
export type ApiClientEntity = ReturnType<typeof makeApiClient>;

/** The sandbox vendor's own records (docs/product.md#sandboxes-and-their-magic-values): its tenants and its provisioning requests. */
const makeVendorTenant = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'vendorTenant', version: '1', service: SERVICE },
      attributes: { domain: str, tenantId: str, partner: str, company: any, createdAt: str },
      indexes: { byDomain: { ...primary(['domain']) } },
    },
    config,
  );
export type VendorTenantEntity = ReturnType<typeof makeVendorTenant>;

const makeVendorRequest = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: 'vendorRequest', version: '1', service: SERVICE },
      attributes: {
        requestId: str,
        tenantId: str,
        domain: str,
        items: { ...any, required: true },
        /** Status checks left before the outcome shows. */
        checksLeft: num,
        outcome: { type: ['succeeded', 'failed'] as const, required: true },
        reason: optStr,
        checks: { type: 'number', required: true, default: 0 },
        createdAt: str,
      },
      indexes: { byId: { ...primary(['requestId']) } },
    },
    config,
  );
export type VendorRequestEntity = ReturnType<typeof makeVendorRequest>;

const makers = {
  account: makeAccount,
  user: makeUser,
  loginName: makeLoginName,
  loginEvent: makeLoginEvent,
  refreshToken: makeRefreshToken,
  sessionFamily: makeSessionFamily,
  loginLease: makeLoginLease,
  product: makeProduct,
  offer: makeOffer,
  sku: makeSku,
  offerCost: makeOfferCost,
  priceList: makePriceList,
  priceListClaim: makePriceListClaim,
  priceRule: makePriceRule,
  vatTable: makeVatTable,
  taxProfile: makeTaxProfile,
  order: makeOrder,
  subscription: makeSubscription,
  domain: makeDomain,
  assignment: makeAssignment,
  domainName: makeDomainName,
  trialMarker: makeTrialMarker,
  counter: makeCounter,
  jobRun: makeJobRun,
  outbox: makeOutbox,
  auditEvent: makeAuditEvent,
  event: makeEvent,
  webhook: makeWebhook,
  webhookDelivery: makeWebhookDelivery,
  paymentMethod: makePaymentMethod,
  cart: makeCart,
  cartItem: makeCartItem,
  invoice: makeInvoice,
  gatewayCard: makeGatewayCard,
  gatewayCharge: makeGatewayCharge,
  pendingCharge: makePendingCharge,
  requestKey: makeRequestKey,
  quote: makeQuote,
  vendorTenant: makeVendorTenant,
  vendorRequest: makeVendorRequest,
  apiClient: makeApiClient,
};

/** Every entity of the table, by the name repositories use. */
export type Entities = { [K in keyof typeof makers]: ReturnType<(typeof makers)[K]> };

/** What repositories reach: the entities, and transactions across them. */
export interface Db {
  readonly entities: Entities;
  readonly transaction: Service<Entities>['transaction'];
}

const configuration = (): EntityConfiguration => ({ client: documentClient(), table: env.tableName() });

/**
 * Each entity is built on its first use, bound to the client and table of this process: a function
 * builds the few it uses, not all 36 (docs/architecture.md#cold-starts). The service that
 * joins them all is built only for a transaction across entities.
 */
function lazyEntities(): Entities {
  const out = {} as Entities;
  for (const key of Object.keys(makers) as Array<keyof Entities>) {
    let made: Entities[typeof key] | undefined;
    Object.defineProperty(out, key, { enumerable: true, get: () => (made ??= makers[key](configuration()) as Entities[typeof key]) });
  }
  return out;
}

let current: Db | undefined;

/** The entities bound to the client and table of this process (each resolved on first use). */
export function db(): Db {
  if (!current) {
    const entities = lazyEntities();
    let service: Service<Entities> | undefined;
    current = {
      entities,
      get transaction() {
        service ??= new Service({ ...entities }, configuration());
        return service.transaction;
      },
    };
  }
  return current;
}

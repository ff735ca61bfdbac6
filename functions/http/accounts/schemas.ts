import * as z from 'zod/mini';
import { ACCOUNT_STATUSES, ACCOUNT_TYPES, LOCALES, ORDER_PROCESSING } from '#domain/accounts.ts';
import { MAX_GRACE_DAYS, MIN_GRACE_DAYS } from '#domain/grace.ts';
import { MAX_SELF_SERVICE_PRODUCTS } from '#domain/self-service.ts';
import { AccountId, Address, Currency, Email, id, IsoDate, IsoTime, Locale, Name, Pagination, Password, ProductId, SupportContactView } from '../schemas.ts';
import { AddressView, Phone, UserId, UserSchema } from '../users/schemas.ts';

/**
 * The contract of accounts and their audit trail (docs/product.md#accounts-and-tenancy, docs/product.md#audit-trail, docs/product.md#accounts-and-users): the bodies the routes
 * take and the answers they give. Types and statuses come from domain/accounts.ts.
 */
export const Settings = z
  .strictObject({
    orderProcessing: z.optional(z.enum(ORDER_PROCESSING)),
    allowSelfServicePurchases: z.optional(z.boolean()),
    locale: z.optional(Locale),
    currency: z.optional(Currency),
    suspensionGraceDays: z
      .optional(z.number().check(z.int(), z.gte(MIN_GRACE_DAYS), z.lte(MAX_GRACE_DAYS)))
      .check(z.describe(`Days a subscription suspended for not paying stays suspended before it is cancelled (${MIN_GRACE_DAYS} to ${MAX_GRACE_DAYS}, default 30)`)),
    selfServiceProducts: z
      .optional(z.array(ProductId).check(z.maxLength(MAX_SELF_SERVICE_PRODUCTS)))
      .check(z.describe(`The products the account's users may buy themselves when self-service is allowed (empty: every product; at most ${MAX_SELF_SERVICE_PRODUCTS}). The one setting the account's own admins set`)),
  });

/** Where the account's invoice and payment emails go (docs/product.md#accounts-and-tenancy): a name and an email address. */
export const BillingContactBody = z.strictObject({ name: Name, email: Email });

/** A web address shown as a link: http or https on a domain name, nothing else (no `javascript:`). */
export const WebUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).check(z.maxLength(2048));

/**
 * The account's own support contact (docs/product.md#accounts-and-tenancy): at least one of an email address, a phone
 * number and a web address; it replaces the whole contact (a part left out is cleared).
 */
export const SupportBody = z
  .strictObject({ email: z.optional(Email), phone: z.optional(Phone), url: z.optional(WebUrl) })
  .check(z.refine((s) => s.email !== undefined || s.phone !== undefined || s.url !== undefined, 'give an email, a phone or a URL'));

export const CreateAccountBody = z
  .strictObject({
    type: z.enum(['reseller', 'customer']),
    name: Name,
    address: Address,
    settings: z.optional(Settings),
    admin: z.strictObject({ firstName: Name, lastName: Name, login: Email, password: z.optional(Password), locale: z.optional(Locale) }),
    sendActivationEmail: z.boolean(),
  });

export const ListAccountsQuery = z
  .strictObject({
    type: z.optional(z.enum(['reseller', 'customer'])),
    status: z.optional(z.enum(ACCOUNT_STATUSES)).check(z.describe('Only active, or only suspended, accounts')),
    parentId: z.optional(AccountId).check(z.describe('Only the accounts directly below this one (it must be in your scope, else 404)')),
    q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))).check(z.describe('A part of the account name, compared without case and accents (trimmed, 1 to 100 characters)')),
    ...Pagination,
  });

export const EditAccountBody = z
  .strictObject({
    name: z.optional(Name),
    address: z.optional(Address),
    settings: z.optional(Settings),
    support: z.optional(z.nullable(SupportBody)).check(z.describe("The account's own support contact; null removes it, so the nearest one above applies")),
    billingContact: z
      .optional(z.nullable(BillingContactBody))
      .check(z.describe("Who receives the account's invoice and payment emails; null removes it, so they go to the account's admins")),
  })
  .check(z.refine((b) => Object.keys(b).length > 0, 'give at least one field to change'));

export const AuditQuery = z
  .strictObject({
    from: z.optional(z.union([IsoDate, IsoTime])),
    to: z.optional(z.union([IsoDate, IsoTime])),
    action: z.optional(z.string().check(z.minLength(1), z.maxLength(200))).check(z.describe('Only this action, exactly as events name it: a route (`POST /v1/orders/{orderId}/open`) or a step (`order.completed`)')),
    actorId: z
      .optional(z.union([UserId, id('apiClient')]))
      .check(z.describe('Only what this user (or API client, `cli_…`) did, or what was done as the user under "log in as"')),
    ...Pagination,
  });

const Timestamp = z.iso.datetime({ offset: true });

const exampleAccount = {
  id: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0W',
  type: 'customer' as const,
  parentId: 'acc_01JD5R3S5T7V9W1X3Y5Z7A9B1C',
  name: 'Contoso Ltd',
  status: 'active' as const,
  settings: { orderProcessing: 'automatic' as const, allowSelfServicePurchases: true, locale: 'en' as const, currency: 'EUR', suspensionGraceDays: 30, selfServiceProducts: [] },
  address: { line1: '1 Contoso Way', city: 'Dublin', postalCode: 'D02 XY45', country: 'IE' },
  support: null,
  billingContact: { name: 'Accounts Payable', email: 'ap@contoso.example' },
  customerAgreement: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@contoso.example', acceptedAt: '2026-11-02T09:20:00.000Z' },
  createdAt: '2026-11-02T09:14:05.118Z',
  version: 3,
};

export const AccountSchema = z
  .object({
    id: AccountId,
    type: z.enum(ACCOUNT_TYPES),
    parentId: z.nullable(AccountId).check(z.describe('The account above; null for the distributor')),
    name: z.string(),
    status: z.enum(ACCOUNT_STATUSES),
    settings: z
      .object({
        orderProcessing: z.enum(ORDER_PROCESSING),
        allowSelfServicePurchases: z.boolean(),
        locale: z.enum(LOCALES),
        currency: z.string(),
        suspensionGraceDays: z.number().check(z.int(), z.describe('Days a subscription suspended for not paying stays suspended before it is cancelled')),
        selfServiceProducts: z.array(z.string()).check(z.describe("The products the account's users may buy themselves (empty: every product, when self-service is allowed)")),
      })
      .check(z.describe('Set by the account above')),
    address: z.nullable(AddressView),
    support: z.nullable(SupportContactView).check(z.describe("The account's own support contact; null when it has none (its users see the nearest one above)")),
    billingContact: z
      .nullable(z.object({ name: z.string(), email: z.string() }))
      .check(z.describe("Who receives the account's invoice and payment emails; null: the account's admins")),
    customerAgreement: z.nullable(z.object({ firstName: z.string(), lastName: z.string(), email: z.string(), acceptedAt: Timestamp })).check(z.describe('The Microsoft Customer Agreement as accepted; null until it is')),
    createdAt: Timestamp,
    version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag, sent back in If-Match')),
  })
  .register(z.globalRegistry, { id: 'Account', description: 'A reseller or customer account of the channel (or the distributor)', examples: [exampleAccount] });

export const AccountWithAdminSchema = z
  .object({ account: AccountSchema, admin: z.nullable(UserSchema) })
  .register(z.globalRegistry, {
    id: 'AccountWithAdmin',
    description: 'A new account and its first admin',
    examples: [
      {
        account: { ...exampleAccount, customerAgreement: null, version: 1 },
        admin: {
          id: 'usr_01JD6W2V9Q4X8M3N5P7R2T4Y6Z',
          accountId: exampleAccount.id,
          firstName: 'Ada',
          lastName: 'Lovelace',
          login: 'ada@contoso.example',
          notificationEmail: 'ada@contoso.example',
          role: 'admin',
          status: 'not_activated',
          locale: 'en',
          phone: null,
          address: null,
          createdAt: '2026-11-02T09:14:05.118Z',
          lastLoginAt: null,
          version: 1,
        },
      },
    ],
  });

export const AuditEventSchema = z
  .object({
    at: Timestamp,
    action: z.string().check(z.describe('The route, workflow step or job that acted')),
    resource: z.object({ type: z.string(), id: z.nullable(z.string()) }),
    actor: z.union([
      z.object({ system: z.string() }),
      z.object({
        userId: z.nullable(z.string()),
        name: z.nullable(z.string()).check(z.describe('"First Last" of the user who acted, as the user is named today; null when the user is deleted')),
        onBehalfOf: z.nullable(z.string()).check(z.describe('The user acted as, under "log in as"')),
        onBehalfOfName: z.nullable(z.string()).check(z.describe('"First Last" of the user acted as; null without "log in as", or when the user is deleted')),
      }),
    ]),
    ip: z.nullable(z.string()),
    status: z.nullable(z.number().check(z.int())),
    details: z.nullable(z.record(z.string(), z.unknown())),
  })
  .register(z.globalRegistry, {
    id: 'AuditEvent',
    description: 'Who did what to which resource, when and from where; kept 400 days',
    examples: [
      {
        at: '2026-12-01T08:05:12.331Z',
        action: 'PATCH /v1/users/{userId}',
        resource: { type: 'user', id: 'usr_01JD6W2V9Q4X8M3N5P7R2T4Y6Z' },
        actor: { userId: 'usr_01JD5R4A6B8C0D2E4F6G8H0J2K', name: 'Grace Hopper', onBehalfOf: null, onBehalfOfName: null },
        ip: '203.0.113.24',
        status: 200,
        details: null,
      },
    ],
  });

import * as z from 'zod/mini';
import { BILLING_PERIODS, TERMS } from '#domain/catalog.ts';
import { MAX_QUANTITY } from '#domain/money.ts';
import { SUBSCRIPTION_STATUSES } from '#domain/subscription-rules.ts';
import { OrderSchema } from '../orders/schemas.ts';
import { AccountId, DomainId, Money, OfferId, OrderId, Pagination, ProductId, id, pageOf } from '../schemas.ts';

/**
 * The contract of subscriptions and licenses (docs/product.md#subscriptions-and-licenses, docs/product.md#subscriptions): the bodies the routes take and the
 * answers they give. Statuses, terms and billing periods come from domain/.
 */
export const SubscriptionId = id('subscription');
const UserId = id('user');
const Timestamp = z.iso.datetime({ offset: true });
const Day = z.iso.date();

export const SubscriptionParams = z.strictObject({ subscriptionId: SubscriptionId });
export const UserIdsBody = z.strictObject({ userIds: z.array(UserId).check(z.minLength(1), z.maxLength(20)) });

export const ListSubscriptionsQuery = z
  .strictObject({
    accountId: z.optional(AccountId),
    status: z.optional(z.enum(SUBSCRIPTION_STATUSES)),
    domainId: z.optional(DomainId),
    selfService: z.optional(z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true'))),
    ...Pagination,
  });

export const EditSubscriptionBody = z
  .strictObject({ autoRenew: z.optional(z.boolean()), domainId: z.optional(z.string()) })
  .check(z.refine((b) => Object.keys(b).length > 0, 'give a field to change'));

export const QuantityBody = z.strictObject({
  quantity: z.number().check(z.int(), z.gte(1), z.lte(MAX_QUANTITY)),
  effective: z.optional(z.enum(['now', 'renewal'])),
  paymentMethodId: z.optional(
    id('paymentMethod').check(
      z.describe("A raise's invoice is paid with this payment method of the account instead of the default card: a card is charged before anything is written (a decline: 402 payment_declined, nothing changed); `invoice` leaves it unpaid, due by the 26th"),
    ),
  ),
});

/** PUT …/scheduled-change: the next term's quantity, offer and/or product (at least one). */
export const ScheduledChangeBody = z
  .strictObject({ quantity: z.optional(z.number().check(z.int(), z.gte(1), z.lte(MAX_QUANTITY))), offerId: z.optional(OfferId), productId: z.optional(ProductId) })
  .check(z.refine((b) => Object.keys(b).length > 0, 'give the quantity, offerId or productId of the next term'));

/** POST …/upgrade (docs/product.md#upgrades): how many licenses move to which product. */
export const UpgradeBody = z.strictObject({ targetProductId: ProductId, quantity: z.number().check(z.int(), z.gte(1), z.lte(MAX_QUANTITY)) });

export const CancelBody = z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), comment: z.optional(z.string().check(z.trim(), z.maxLength(2000))) });

const exampleSubscription = {
  id: 'sub_01JE2Q8M4N6P8R0T2V4X6Z8B1C',
  accountId: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0W',
  productId: 'prd_01JBAS1C0000000000000000M1',
  offerId: 'ofr_01JBAS1C0000000000000000M1MM',
  name: 'Microsoft 365 Business Basic',
  sku: 'CFQ7TTC0LH18',
  term: 'P1Y' as const,
  billingPeriod: 'monthly' as const,
  quantity: 12,
  assignedCount: 9,
  scheduledQuantity: null,
  scheduledChange: null,
  status: 'active' as const,
  autoRenew: true,
  startDate: '2026-11-10',
  currentTermStart: '2026-11-10',
  currentTermEnd: '2027-11-09',
  domain: 'contoso.onmicrosoft.com',
  domainId: 'dom_01JD6W4B6C8D0E2F4G6H8J0K2M',
  selfService: false,
  buyer: { userId: 'usr_01JD6W2V9Q4X8M3N5P7R2T4Y6Z', name: 'Ada Lovelace' },
  unitPrice: { amount: 600, currency: 'EUR' },
  cancellationWindows: [{ quantity: 2, until: '2026-12-08T10:21:09.412Z' }],
  cancellation: null,
  trial: null,
  suspendedAt: null,
  cancelsOn: null,
  orderId: 'ord_01JCZX0A2B4C6D8E0F2G4H6J8K',
  createdAt: '2026-11-10T09:14:05.118Z',
  version: 7,
};

const subscriptionFields = {
  id: SubscriptionId,
  accountId: AccountId,
  productId: ProductId,
  offerId: OfferId,
  name: z.string(),
  sku: z.string(),
  term: z.enum(TERMS),
  billingPeriod: z.enum(BILLING_PERIODS),
  quantity: z.number().check(z.int(), z.describe('Licenses paid for this term')),
  assignedCount: z.number().check(z.int(), z.describe('Licenses assigned to users (never above quantity)')),
  scheduledQuantity: z.nullable(z.number().check(z.int())).check(z.describe('The quantity the next renewal applies, when lowered for then')),
  scheduledChange: z
    .nullable(
      z.object({
        quantity: z.number().check(z.int(), z.describe('Licenses of the next term (never below those assigned)')),
        productId: ProductId,
        productName: z.string(),
        offerId: OfferId,
        term: z.enum(TERMS),
        billingPeriod: z.enum(BILLING_PERIODS),
        setAt: z.nullable(Timestamp),
      }),
    )
    .check(z.describe('What the next renewal applies (PUT …/scheduled-change, or a quantity lowered "effective": "renewal"): the next term as it will be; null when it renews as it is')),
  status: z.enum(SUBSCRIPTION_STATUSES),
  autoRenew: z.boolean(),
  startDate: z.nullable(Day),
  currentTermStart: z.nullable(Day),
  currentTermEnd: z.nullable(Day).check(z.describe('The last day of the term, inclusive')),
  domain: z.string(),
  domainId: DomainId,
  selfService: z.boolean().check(z.describe('Bought by a customer user for itself, and managed by that user')),
  buyer: z.object({
    userId: z.union([UserId, id('apiClient')]).check(z.describe('The user who bought it, or the API client (`cli_…`) that placed its order')),
    name: z.string(),
  }),
  unitPrice: Money,
  cancellationWindows: z
    .array(z.object({ quantity: z.number().check(z.int()), until: Timestamp }))
    .check(z.describe('Licenses that can still be lowered or cancelled now, each until its window closes (open windows only)')),
  cancellation: z.nullable(z.object({ reason: z.string(), comment: z.nullable(z.string()), at: Timestamp })),
  trial: z
    .nullable(z.object({ days: z.number().check(z.int()), convertsToOfferId: OfferId, endsAt: z.nullable(Day).check(z.describe('The trial\'s last day (null until active)')) }))
    .check(z.describe('Bought on a trial offer and not yet converted: the day after endsAt it converts to the paid offer (a renewal order), unless auto-renew is off or it was cancelled')),
  suspendedAt: z.nullable(Timestamp).check(z.describe('When the dunning job suspended it for an overdue invoice; null when it is not suspended for not paying')),
  cancelsOn: z
    .nullable(z.iso.date())
    .check(z.describe("Suspended for not paying: the day it is cancelled if the invoice is still unpaid (the account's grace days after the suspension); null otherwise")),
  orderId: OrderId.check(z.describe('The order that bought it')),
  createdAt: Timestamp,
  version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag, sent back in If-Match')),
};

export const SubscriptionSchema = z
  .object(subscriptionFields)
  .register(z.globalRegistry, { id: 'Subscription', description: 'Licenses of one product on one domain for a term (docs/product.md#subscriptions-and-licenses)', examples: [exampleSubscription] });

export const SubscriptionPageSchema = pageOf(SubscriptionSchema);

export const AssignedSchema = z
  .object({ assigned: z.array(UserId).check(z.describe('The users who got a license now (those who held one are left out)')), ...subscriptionFields })
  .register(z.globalRegistry, {
    id: 'LicensesAssigned',
    description: 'The users given a license, and the subscription after',
    examples: [{ assigned: ['usr_01JD6W2V9Q4X8M3N5P7R2T4Y6Z'], ...exampleSubscription, assignedCount: 10, version: 7 }],
  });

export const UnassignedSchema = z
  .object({ removed: z.array(UserId).check(z.describe('The users whose license was taken back (those who held none are left out)')), ...subscriptionFields })
  .register(z.globalRegistry, {
    id: 'LicensesRemoved',
    description: 'The users whose license was taken back, and the subscription after',
    examples: [{ removed: ['usr_01JD6W2V9Q4X8M3N5P7R2T4Y6Z'], ...exampleSubscription, assignedCount: 8, version: 7 }],
  });

export const AssignmentSchema = z
  .object({ userId: UserId, assignedAt: Timestamp })
  .register(z.globalRegistry, { id: 'Assignment', description: 'A license of a subscription held by a user', examples: [{ userId: 'usr_01JD6W2V9Q4X8M3N5P7R2T4Y6Z', assignedAt: '2026-11-10T09:20:41.007Z' }] });

export const AssignmentPageSchema = z.extend(pageOf(AssignmentSchema), { quantity: z.number().check(z.int()), assignedCount: z.number().check(z.int()) }).register(z.globalRegistry, {
    id: 'AssignmentPage',
    description: 'A page of who holds a license of the subscription, with its quantity and how many are assigned',
    examples: [{ items: [{ userId: 'usr_01JD6W2V9Q4X8M3N5P7R2T4Y6Z', assignedAt: '2026-11-10T09:20:41.007Z' }], nextCursor: null, quantity: 12, assignedCount: 9 }],
  });

/** POST …/quantity: 202 with the change order it placed; 200 with the subscription when nothing changes now (scheduled for the renewal, or the same quantity). */
export const QuantityChangeSchema = z.union([OrderSchema, SubscriptionSchema]).register(z.globalRegistry, {
  id: 'QuantityChange',
  description: 'The change order placed (202), or the subscription when nothing changes now (200: a quantity scheduled for the renewal, or the one it has)',
});

/** POST …/upgrade answers the `change` order it placed (202): a credit line for the licenses that left and a charge line for the target's. */
export const UpgradeOrderSchema = OrderSchema;

/** POST …/cancel answers the cancellation order (202). */
export const CancellationOrderSchema = OrderSchema;

import * as z from 'zod/mini';
import { BILLING_PERIODS, TERMS } from '#domain/catalog.ts';
import { ORDER_DOMAIN_MODES, ORDER_GATES, ORDER_STATUSES, ORDER_TYPES } from '#domain/order-status.ts';
import { orderView, type Order as StoredOrder } from '#data/orders.ts';
import { AccountId, AlignEndWith, CustomerAgreement, DomainChoice, DomainId, id, IsoDate, IsoTime, Money, OfferId, OrderId, Pagination, PriceFigures, ProductId } from '../schemas.ts';

/**
 * The contract of orders (docs/product.md#orders-and-the-fulfillment-workflow, docs/product.md#orders): the bodies the routes take and the answers they give.
 * Statuses, types and gates come from domain/order-status.ts. Other areas that answer an order
 * (checkout, a subscription's quantity change or cancellation) answer `OrderSchema`.
 */
const OrderLines = z.array(z.strictObject({ offerId: OfferId, quantity: z.number().check(z.int(), z.gte(1), z.lte(100000)) })).check(z.minLength(1), z.maxLength(20));

/** A quote's id (docs/commerce.md "Quotes"): `quo_` and a ULID. */
export const QuoteId = id('quote');

export const PlaceOrderBody = z
  .strictObject({
    lines: OrderLines,
    domain: DomainChoice,
    customerAgreement: z.optional(CustomerAgreement),
    autoProcess: z.optional(z.boolean()),
    paymentMethodId: z.optional(id('paymentMethod')),
    quoteId: z.optional(QuoteId.check(z.describe('A quote of these lines for this account: the order is refused (409 price_changed, nothing charged) unless it costs what the quote said'))),
    alignEndWith: z.optional(AlignEndWith),
  });

/** `POST /v1/accounts/{accountId}/orders/quote`: the order's lines only, validated as placing them would be. */
export const QuoteOrderBody = z.strictObject({ lines: OrderLines, alignEndWith: z.optional(AlignEndWith) });

export const ListOrdersQuery = z
  .strictObject({
    status: z.optional(z.enum(ORDER_STATUSES)),
    type: z.optional(z.enum(ORDER_TYPES)),
    accountId: z.optional(AccountId),
    from: z.optional(z.union([IsoDate, IsoTime])),
    to: z.optional(z.union([IsoDate, IsoTime])),
    ...Pagination,
  });

export const OrderParams = z.strictObject({ orderId: OrderId });

const Timestamp = z.iso.datetime({ offset: true });
const SubscriptionId = id('subscription');

/** Who made a status change: a user (and whom they acted as), or the system. */
export const ActorSchema = z
  .strictObject({
    userId: z.optional(z.string()).check(z.describe('The user who acted (under "log in as", the staff user)')),
    name: z.optional(z.nullable(z.string())).check(z.describe('"First Last" of `userId`, as the user is named today (under "log in as", the real person); null when the user is deleted; absent for the system')),
    onBehalfOf: z.optional(z.string()).check(z.describe('The user acted as, under "log in as"')),
    system: z.optional(z.string()).check(z.describe('The part of the system that acted (order-workflow, renewals…)')),
  })
  .register(z.globalRegistry, {
    id: 'Actor',
    description: 'Who made a change: a user, or the system',
    examples: [{ userId: 'usr_01JD5R3S5T7V9W1X3Y5Z7A9B1C', name: 'Grace Hopper' }, { system: 'order-workflow' }],
  });

export const StatusChangeSchema = z
  .strictObject({
    status: z.enum(ORDER_STATUSES),
    at: Timestamp,
    by: ActorSchema,
    reason: z.optional(z.string()).check(z.describe('Why it failed or was cancelled, when known')),
  })
  .register(z.globalRegistry, {
    id: 'OrderStatusChange',
    description: 'One step of an order’s status history',
    examples: [{ status: 'open', at: '2026-11-22T09:31:12.004Z', by: { userId: 'usr_01JD5R3S5T7V9W1X3Y5Z7A9B1C', name: 'Grace Hopper' } }],
  });

export const OrderLineSchema = z
  .strictObject({
    offerId: OfferId,
    productId: ProductId,
    sku: z.string(),
    name: z.string(),
    term: z.enum(TERMS),
    billingPeriod: z.enum(BILLING_PERIODS),
    quantity: z.number().check(z.int(), z.describe('Licenses ordered; for a change, the licenses added (negative: removed)')),
    unitPrice: Money.check(z.describe('Per license and billing period')),
    total: Money,
    subscriptionId: SubscriptionId.check(z.describe('The subscription this line creates or changes')),
    firstTermEnd: z.optional(IsoDate.check(z.describe('Co-termed (alignEndWith): the first term ends on this day and `total` is priced by days for it'))),
    figures: z.optional(
      z.nullable(PriceFigures).check(
        z.describe('Cost, sell and margin of the line, for the seller and the accounts above it only (absent for the buyer); null when the line was sold at the catalog price with no cost known'),
      ),
    ),
  })
  .register(z.globalRegistry, {
    id: 'OrderLine',
    description: 'One offer of an order, priced when it was placed',
    examples: [
      {
        offerId: 'ofr_01JBAS1C00000000000000Y1AN',
        productId: 'prd_01JBAS1C0000000000000000M1',
        sku: 'CFQ7TTC0LH18',
        name: 'Microsoft 365 Business Basic',
        term: 'P1Y',
        billingPeriod: 'monthly',
        quantity: 10,
        unitPrice: { amount: 600, currency: 'EUR' },
        total: { amount: 6000, currency: 'EUR' },
        subscriptionId: 'sub_01JD6W1K3M5N7P9Q2R4S6T8V0X',
      },
    ],
  });

const exampleOrder = {
  id: 'ord_01JD6W1K3M5N7P9Q2R4S6T8V0Y',
  number: 'SO-000042',
  accountId: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0W',
  accountName: 'Contoso Ltd',
  type: 'sales' as const,
  status: 'open' as const,
  statusHistory: [
    { status: 'new' as const, at: '2026-11-22T09:30:05.118Z', by: { userId: 'usr_01JD5R3S5T7V9W1X3Y5Z7A9B1C', name: 'Grace Hopper' } },
    { status: 'open' as const, at: '2026-11-22T09:31:12.004Z', by: { userId: 'usr_01JD5R3S5T7V9W1X3Y5Z7A9B1C', name: 'Grace Hopper' } },
  ],
  lines: [
    {
      offerId: 'ofr_01JBAS1C00000000000000Y1AN',
      productId: 'prd_01JBAS1C0000000000000000M1',
      sku: 'CFQ7TTC0LH18',
      name: 'Microsoft 365 Business Basic',
      term: 'P1Y' as const,
      billingPeriod: 'monthly' as const,
      quantity: 10,
      unitPrice: { amount: 600, currency: 'EUR' },
      total: { amount: 6000, currency: 'EUR' },
      subscriptionId: 'sub_01JD6W1K3M5N7P9Q2R4S6T8V0X',
    },
  ],
  total: { amount: 6000, currency: 'EUR' },
  domain: { id: 'dom_01JD6W1K3M5N7P9Q2R4S6T8V0Z', domain: 'fabrikam.onmicrosoft.com', mode: 'create' as const },
  automatic: false,
  waitingAt: 'provision' as const,
  failureReason: null,
  subscriptionIds: ['sub_01JD6W1K3M5N7P9Q2R4S6T8V0X'],
  invoiceId: 'inv_01JD6W1K3M5N7P9Q2R4S6T8V10',
  selfService: false,
  createdAt: '2026-11-22T09:30:05.118Z',
  updatedAt: '2026-11-22T09:31:12.004Z',
  version: 3,
};

export const OrderSchema = z
  .strictObject({
    id: OrderId,
    number: z.string().check(z.describe('Sequential per deployment: SO-000042')),
    accountId: AccountId.check(z.describe('The customer account ordered for')),
    accountName: z.nullable(z.string()).check(z.describe("The customer account's name when the order was placed; null for orders placed before it was recorded")),
    type: z.enum(ORDER_TYPES).check(z.describe('sales (placed), change and cancellation (of a subscription), renewal (by the renewals job)')),
    status: z.enum(ORDER_STATUSES),
    statusHistory: z.array(StatusChangeSchema),
    lines: z.array(OrderLineSchema),
    total: Money,
    domain: z
      .strictObject({ id: z.optional(DomainId), domain: z.optional(z.string()), mode: z.enum(ORDER_DOMAIN_MODES) })
      .check(z.describe('The Microsoft domain the subscriptions are provisioned on')),
    automatic: z.boolean().check(z.describe('Processed without stopping at the staff gates')),
    waitingAt: z.nullable(z.enum(ORDER_GATES)).check(z.describe('The gate the workflow waits at for an action; null when it waits at none')),
    failureReason: z.nullable(z.string()),
    subscriptionIds: z.array(SubscriptionId),
    invoiceId: z.nullable(id('invoice')),
    selfService: z.boolean().check(z.describe('Bought by a customer user for itself')),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag')),
  })
  .register(z.globalRegistry, { id: 'Order', description: 'An order and where it stands in its workflow (docs/product.md#orders-and-the-fulfillment-workflow)', examples: [exampleOrder] });

/** The same schema under the name of the resource (import either). */
export { OrderSchema as Order };

/** data/orders.ts `orderView`, held by tsc to answer what OrderSchema describes. */
export const orderAnswer: (order: StoredOrder, nameOf: (userId: string) => string | null) => z.output<typeof OrderSchema> = orderView;

export const ProvisioningStatusSchema = z
  .strictObject({
    orderId: OrderId,
    status: z.enum(ORDER_STATUSES),
    vendor: z.nullable(z.strictObject({
        requestId: z.string(),
        status: z.enum(['in_progress', 'succeeded', 'failed', 'unknown']),
        reason: z.optional(z.string()).check(z.describe('Why the vendor refused it, or why its status is unknown')),
      })).check(z.describe('The vendor request; null until the order is submitted')),
    checkedAt: Timestamp,
  })
  .register(z.globalRegistry, {
    id: 'ProvisioningStatus',
    description: 'What the vendor says about an order’s provisioning request, asked now',
    examples: [
      { orderId: 'ord_01JD6W1K3M5N7P9Q2R4S6T8V0Y', status: 'provisioning', vendor: { requestId: 'vr_5f1c2a', status: 'in_progress' }, checkedAt: '2026-11-22T09:32:40.512Z' },
    ],
  });

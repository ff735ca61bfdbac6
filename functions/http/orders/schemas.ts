import * as z from 'zod';
import { BILLING_PERIODS, TERMS } from '#domain/catalog.ts';
import { ORDER_DOMAIN_MODES, ORDER_GATES, ORDER_STATUSES, ORDER_TYPES } from '#domain/order-status.ts';
import { orderView, type Order as StoredOrder } from '#data/orders.ts';
import { AccountId, CustomerAgreement, DomainChoice, DomainId, id, IsoDate, IsoTime, Money, OfferId, OrderId, Pagination, ProductId } from '../schemas.ts';

/**
 * The contract of orders (docs/product.md#orders-and-the-fulfillment-workflow, docs/product.md#orders): the bodies the routes take and the answers they give.
 * Statuses, types and gates come from domain/order-status.ts. Other areas that answer an order
 * (checkout, a subscription's quantity change or cancellation) answer `OrderSchema`.
 */
export const PlaceOrderBody = z
  .object({
    lines: z.array(z.object({ offerId: OfferId, quantity: z.number().int().min(1).max(100000) }).strict()).min(1).max(20),
    domain: DomainChoice,
    customerAgreement: CustomerAgreement.optional(),
    autoProcess: z.boolean().optional(),
    paymentMethodId: id('paymentMethod').optional(),
  })
  .strict();

export const ListOrdersQuery = z
  .object({
    status: z.enum(ORDER_STATUSES).optional(),
    type: z.enum(ORDER_TYPES).optional(),
    accountId: AccountId.optional(),
    from: z.union([IsoDate, IsoTime]).optional(),
    to: z.union([IsoDate, IsoTime]).optional(),
    ...Pagination,
  })
  .strict();

export const OrderParams = z.object({ orderId: OrderId }).strict();

const Timestamp = z.iso.datetime({ offset: true });
const SubscriptionId = id('subscription');

/** Who made a status change: a user (and whom they acted as), or the system. */
export const ActorSchema = z
  .object({
    userId: z.string().optional().describe('The user who acted (under "log in as", the staff user)'),
    name: z
      .string()
      .nullable()
      .optional()
      .describe('"First Last" of `userId`, as the user is named today (under "log in as", the real person); null when the user is deleted; absent for the system'),
    onBehalfOf: z.string().optional().describe('The user acted as, under "log in as"'),
    system: z.string().optional().describe('The part of the system that acted (order-workflow, renewals…)'),
  })
  .strict()
  .meta({
    id: 'Actor',
    description: 'Who made a change: a user, or the system',
    examples: [{ userId: 'usr_01JD5R3S5T7V9W1X3Y5Z7A9B1C', name: 'Grace Hopper' }, { system: 'order-workflow' }],
  });

export const StatusChangeSchema = z
  .object({
    status: z.enum(ORDER_STATUSES),
    at: Timestamp,
    by: ActorSchema,
    reason: z.string().optional().describe('Why it failed or was cancelled, when known'),
  })
  .strict()
  .meta({
    id: 'OrderStatusChange',
    description: 'One step of an order’s status history',
    examples: [{ status: 'open', at: '2026-11-22T09:31:12.004Z', by: { userId: 'usr_01JD5R3S5T7V9W1X3Y5Z7A9B1C', name: 'Grace Hopper' } }],
  });

export const OrderLineSchema = z
  .object({
    offerId: OfferId,
    productId: ProductId,
    sku: z.string(),
    name: z.string(),
    term: z.enum(TERMS),
    billingPeriod: z.enum(BILLING_PERIODS),
    quantity: z.number().int().describe('Licenses ordered; for a change, the licenses added (negative: removed)'),
    unitPrice: Money.describe('Per license and billing period'),
    total: Money,
    subscriptionId: SubscriptionId.describe('The subscription this line creates or changes'),
  })
  .strict()
  .meta({
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
  .object({
    id: OrderId,
    number: z.string().describe('Sequential per deployment: SO-000042'),
    accountId: AccountId.describe('The customer account ordered for'),
    accountName: z.string().nullable().describe("The customer account's name when the order was placed; null for orders placed before it was recorded"),
    type: z.enum(ORDER_TYPES).describe('sales (placed), change and cancellation (of a subscription), renewal (by the renewals job)'),
    status: z.enum(ORDER_STATUSES),
    statusHistory: z.array(StatusChangeSchema),
    lines: z.array(OrderLineSchema),
    total: Money,
    domain: z
      .object({ id: DomainId.optional(), domain: z.string().optional(), mode: z.enum(ORDER_DOMAIN_MODES) })
      .strict()
      .describe('The Microsoft domain the subscriptions are provisioned on'),
    automatic: z.boolean().describe('Processed without stopping at the staff gates'),
    waitingAt: z.enum(ORDER_GATES).nullable().describe('The gate the workflow waits at for an action; null when it waits at none'),
    failureReason: z.string().nullable(),
    subscriptionIds: z.array(SubscriptionId),
    invoiceId: id('invoice').nullable(),
    selfService: z.boolean().describe('Bought by a customer user for itself'),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number().int().describe('Increases with every change; answered as the ETag'),
  })
  .strict()
  .meta({ id: 'Order', description: 'An order and where it stands in its workflow (docs/product.md#orders-and-the-fulfillment-workflow)', examples: [exampleOrder] });

/** The same schema under the name of the resource (import either). */
export { OrderSchema as Order };

/** data/orders.ts `orderView`, held by tsc to answer what OrderSchema describes. */
export const orderAnswer: (order: StoredOrder, nameOf: (userId: string) => string | null) => z.output<typeof OrderSchema> = orderView;

export const ProvisioningStatusSchema = z
  .object({
    orderId: OrderId,
    status: z.enum(ORDER_STATUSES),
    vendor: z
      .object({
        requestId: z.string(),
        status: z.enum(['in_progress', 'succeeded', 'failed', 'unknown']),
        reason: z.string().optional().describe('Why the vendor refused it, or why its status is unknown'),
      })
      .strict()
      .nullable()
      .describe('The vendor request; null until the order is submitted'),
    checkedAt: Timestamp,
  })
  .strict()
  .meta({
    id: 'ProvisioningStatus',
    description: 'What the vendor says about an order’s provisioning request, asked now',
    examples: [
      { orderId: 'ord_01JD6W1K3M5N7P9Q2R4S6T8V0Y', status: 'provisioning', vendor: { requestId: 'vr_5f1c2a', status: 'in_progress' }, checkedAt: '2026-11-22T09:32:40.512Z' },
    ],
  });

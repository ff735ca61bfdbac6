import * as z from 'zod/mini';
import { OrderSchema } from '../orders/schemas.ts';
import { SubscriptionSchema } from '../subscriptions/schemas.ts';
import { AccountId, IsoDate, Money } from '../schemas.ts';

/**
 * The contract of the account overview (the customer admin's dashboard): what it takes and what
 * it answers. Subscriptions and orders are the resources the other routes answer.
 */
export const OverviewParams = z.strictObject({ accountId: AccountId });

const exampleOf = (schema: z.ZodMiniType) => (z.globalRegistry.get(schema)?.examples as unknown[] | undefined)?.[0];

export const AccountOverviewSchema = z
  .strictObject({
    accountId: AccountId,
    subscriptions: z.array(SubscriptionSchema).check(z.describe('Every subscription in use (pending, active or suspended), by product name then domain')),
    openOrders: z
      .strictObject({
        count: z.number().check(z.int(), z.describe('Orders still under way: new, open or provisioning')),
        items: z.array(OrderSchema).check(z.maxLength(5), z.describe('The newest of them, at most 5')),
      }),
    unpaidInvoices: z
      .strictObject({
        count: z.number().check(z.int(), z.describe('Invoices unpaid or overdue, whatever their issue date')),
        overdueCount: z.number().check(z.int(), z.describe('Of them, those past their due date')),
        total: Money.check(z.describe('What they add up to, in the account’s currency')),
        nextDueAt: z.nullable(IsoDate).check(z.describe('The earliest due date among them (in the past when one is overdue); null when nothing is owed')),
      }),
  })
  .register(z.globalRegistry, {
    id: 'AccountOverview',
    description: 'An account at a glance: its subscriptions in use, its orders under way and what it owes',
    examples: [
      {
        accountId: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0W',
        subscriptions: [exampleOf(SubscriptionSchema)],
        openOrders: { count: 1, items: [exampleOf(OrderSchema)] },
        unpaidInvoices: { count: 2, overdueCount: 1, total: { amount: 14400, currency: 'EUR' }, nextDueAt: '2026-11-26' },
      },
    ],
  });

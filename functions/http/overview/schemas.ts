import * as z from 'zod';
import { OrderSchema } from '../orders/schemas.ts';
import { SubscriptionSchema } from '../subscriptions/schemas.ts';
import { AccountId, IsoDate, Money } from '../schemas.ts';

/**
 * The contract of the account overview (the customer admin's dashboard): what it takes and what
 * it answers. Subscriptions and orders are the resources the other routes answer.
 */
export const OverviewParams = z.object({ accountId: AccountId }).strict();

const exampleOf = (schema: z.ZodType) => (schema.meta()?.examples as unknown[] | undefined)?.[0];

export const AccountOverviewSchema = z
  .object({
    accountId: AccountId,
    subscriptions: z.array(SubscriptionSchema).describe('Every subscription in use (pending, active or suspended), by product name then domain'),
    openOrders: z
      .object({
        count: z.number().int().describe('Orders still under way: new, open or provisioning'),
        items: z.array(OrderSchema).max(5).describe('The newest of them, at most 5'),
      })
      .strict(),
    unpaidInvoices: z
      .object({
        count: z.number().int().describe('Invoices unpaid or overdue, whatever their issue date'),
        overdueCount: z.number().int().describe('Of them, those past their due date'),
        total: Money.describe('What they add up to, in the account’s currency'),
        nextDueAt: IsoDate.nullable().describe('The earliest due date among them (in the past when one is overdue); null when nothing is owed'),
      })
      .strict(),
  })
  .strict()
  .meta({
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

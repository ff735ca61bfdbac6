import type { Context } from 'aws-lambda';
import { getAccount } from '#data/accounts.ts';
import { auditItem, recordAudit } from '#data/audit.ts';
import { chargeInvoice } from '#services/payments.ts';
import { billingKeys, termDueKeys } from '#data/due-keys.ts';
import { db } from '#data/entities.ts';
import { nextInvoiceNumber } from '#data/invoices.ts';
import { insertSubscriptionOrder, nextOrderNumber, subscriptionLineBase, subscriptionOrderItems, type OrderLine } from '#data/orders.ts';
import type { Subscription } from '#data/subscriptions.ts';
import { listActiveAdmins } from '#data/users.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { newId } from '#platform/ids.ts';
import { logger } from '#platform/logger.ts';
import { startOrFail } from '#services/order-lifecycle.ts';
import { TransientError } from '#platform/errors.ts';
import { times } from '#domain/money.ts';
import { cancellationWindowOf, nextBillingDate } from '#domain/subscription-rules.ts';
import { getProduct } from '#data/catalog.ts';
import { termEnd, type Term } from '#domain/terms.ts';
import { addDays, JobRun, type JobEvent, type JobResult } from './shared.ts';

/**
 * The renewals job for day D (SPEC §3.8): subscriptions whose term ended on D−1 renew when
 * auto-renew is on (a `renewal` order, the new term, `scheduledQuantity` applied, an invoice, the
 * default card charged) or expire; subscriptions whose term ends on D+6 get the reminder that
 * they renew (or expire) in 7 days.
 */
const SYSTEM = { system: 'renewals-job' };

type DueSubscription = Subscription & { reminderSentFor?: string };

export async function runRenewals(event: JobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<JobResult> {
  const run = new JobRun('renewals', event, context);
  const ended = addDays(run.day, -1);
  for await (const sub of run.due<DueSubscription>('gsi4', `term#${ended}`)) {
    if (await renewOrExpire(sub, ended, run)) run.processed += 1;
    else run.skipped += 1;
  }
  const remindFor = addDays(run.day, 6);
  for await (const sub of run.due<DueSubscription>('gsi4', `term#${remindFor}`)) {
    if (await remind(sub, remindFor)) run.processed += 1;
    else run.skipped += 1;
  }
  return run.result();
}

export const handler = async (event: JobEvent, context?: Context): Promise<JobResult> => {
  const result = await runRenewals(event, context);
  logger.info('renewals job', { ...result });
  return result;
};

async function renewOrExpire(sub: DueSubscription, ended: string, run: JobRun): Promise<boolean> {
  if (sub.currentTermEnd !== ended || (sub.status !== 'active' && sub.status !== 'suspended')) return false;
  if (!sub.autoRenew) return expire(sub, ended);
  return renew(sub, run);
}

async function expire(sub: DueSubscription, ended: string): Promise<boolean> {
  const result = await db()
    .transaction.write(({ subscription, auditEvent }) => [
      subscription
        .patch({ id: sub.id })
        .set({ status: 'expired', version: sub.version + 1 })
        .remove(['dueKey', 'dueSort', 'billKey', 'billSort', 'nextBillingDate'])
        .where((a, op) => `${op.eq(a.version, sub.version)} AND ${op.eq(a.currentTermEnd, ended)}`)
        .commit(),
      auditEvent.create(auditItem({ accountId: sub.accountId, action: 'subscription.expired', resourceType: 'subscription', resourceId: sub.id, ...SYSTEM })).commit(),
    ])
    .go();
  // A cancelled write means another run (or a change) got there first: nothing left to do.
  return !result.canceled;
}

async function renew(sub: DueSubscription, run: JobRun): Promise<boolean> {
  const [account, product] = await Promise.all([getAccount(sub.accountId), getProduct(sub.productId)]);
  if (!account) return false;
  const start = run.day;
  const end = termEnd(start, sub.term as Term);
  const quantity = Math.max(sub.scheduledQuantity ?? sub.quantity, sub.assignedCount, 1);
  const orderId = newId('order');
  const invoiceId = newId('invoice');
  const total = times(sub.unitPrice, quantity);
  const [number, invoiceNumber] = await Promise.all([nextOrderNumber(), nextInvoiceNumber()]);
  const next = nextBillingDate(start, sub.term as Term, sub.billingPeriod as 'monthly' | 'annual', start);
  const line: OrderLine = {
    ...subscriptionLineBase(sub),
    action: 'update',
    quantity,
    previousQuantity: sub.quantity,
    newQuantity: quantity,
    total,
    subscriptionId: sub.id,
  };
  const order = await insertSubscriptionOrder({
    ...subscriptionOrderItems({
      ids: { orderId, invoiceId, number, invoiceNumber },
      sub,
      account,
      type: 'renewal',
      line,
      by: SYSTEM,
      now: run.now,
      invoice: { description: `Renewal: ${sub.name} (${start} – ${end})`, reason: 'renewal' },
    }),
    subscription: {
      id: sub.id,
      version: sub.version,
      set: {
        quantity,
        currentTermStart: start,
        currentTermEnd: end,
        // The product's window, from the renewal (SPEC §3.5), for the renewed licenses.
        cancellationWindows: cancellationWindowOf(product, run.now.toISOString(), quantity, orderId),
        ...termDueKeys(sub.id, end),
        ...(next ? billingKeys(sub.id, next) : {}),
      },
    },
  });
  if (!order) return false;
  if (sub.scheduledQuantity !== undefined) {
    await db().entities.subscription.patch({ id: sub.id }).remove(['scheduledQuantity']).go();
  }
  await chargeInvoice({ id: invoiceId, number: invoiceNumber, accountId: sub.accountId, total }, undefined, orderId);
  await recordAudit([{ accountId: sub.accountId, action: 'subscription.renewed', resourceType: 'subscription', resourceId: sub.id, ...SYSTEM, details: { orderId, quantity, termEnd: end } }]);
  try {
    await startOrFail({ id: orderId, automatic: true });
  } catch (err) {
    // The renewal order failed at once (invoice voided, charge refunded, staff emailed); the job goes on.
    if (!(err instanceof TransientError)) throw err;
  }
  return true;
}

async function remind(sub: DueSubscription, termEndDay: string): Promise<boolean> {
  if (sub.status !== 'active' || sub.currentTermEnd !== termEndDay || sub.reminderSentFor === termEndDay) return false;
  const account = await getAccount(sub.accountId);
  const admins = await listActiveAdmins(sub.accountId);
  const result = await db()
    .transaction.write(({ subscription, outbox }) => [
      subscription
        .patch({ id: sub.id })
        .set({ reminderSentFor: termEndDay })
        .where((a, op) => `${op.eq(a.currentTermEnd, termEndDay)} AND (${op.notExists(a.reminderSentFor)} OR ${op.ne(a.reminderSentFor, termEndDay)})`)
        .commit(),
      ...admins.map((admin) =>
        outbox
          .create(
            outboxEmail(
              'renewal-reminder',
              recipientOf(admin),
              {
                accountName: account?.name ?? sub.accountId,
                subscriptionName: sub.name,
                domain: sub.domain,
                quantity: sub.scheduledQuantity ?? sub.quantity,
                renewsOn: addDays(termEndDay, 1),
                autoRenew: sub.autoRenew,
                portalUrl: env.portalUrl(),
              },
            ) as never,
          )
          .commit(),
      ),
    ])
    .go();
  return !result.canceled;
}

import type { Context } from 'aws-lambda';
import { getAccount } from '#data/accounts.ts';
import { auditItem } from '#data/audit.ts';
import { chargeInvoice } from '#services/payments.ts';
import { billingKeys, invoiceDueKeys } from '#data/due-keys.ts';
import { db } from '#data/entities.ts';
import { nextInvoiceNumber } from '#data/invoices.ts';
import type { Subscription } from '#data/subscriptions.ts';
import { listActiveAdmins } from '#data/users.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { newId } from '#platform/ids.ts';
import { logger } from '#platform/logger.ts';
import { dueDate } from '#domain/billing.ts';
import { times } from '#domain/money.ts';
import { billingPeriodAt, nextBillingDate } from '#domain/subscription-rules.ts';
import type { Term } from '#domain/terms.ts';
import { JobRun, type JobEvent, type JobResult } from './shared.ts';

/**
 * The billing job for day D (SPEC §3.7, §3.8): each subscription whose next billing period starts
 * on D (monthly billing within a longer term) gets the invoice of that period, charged to the
 * default card when there is one; the next period's date replaces D in the billing index, in the
 * same transaction, so a second run finds nothing left.
 */
const SYSTEM = { system: 'billing-job' };

export async function runBilling(event: JobEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<JobResult> {
  const run = new JobRun('billing', event, context);
  for await (const sub of run.due<Subscription & { nextBillingDate?: string }>('gsi5', `bill#${run.day}`)) {
    if (await bill(sub, run)) run.processed += 1;
    else run.skipped += 1;
  }
  return run.result();
}

export const handler = async (event: JobEvent, context?: Context): Promise<JobResult> => {
  const result = await runBilling(event, context);
  logger.info('billing job', { ...result });
  return result;
};

async function bill(sub: Subscription & { nextBillingDate?: string }, run: JobRun): Promise<boolean> {
  if (sub.nextBillingDate !== run.day || sub.status === 'cancelled' || sub.status === 'expired' || !sub.currentTermStart) return false;
  const account = await getAccount(sub.accountId);
  if (!account) return false;
  const period = billingPeriodAt(sub.currentTermStart, sub.billingPeriod as 'monthly' | 'annual', run.day);
  const next = nextBillingDate(sub.currentTermStart, sub.term as Term, sub.billingPeriod as 'monthly' | 'annual', run.day);
  const invoiceId = newId('invoice');
  const total = times(sub.unitPrice, sub.quantity);
  const due = dueDate(run.now);
  const admins = await listActiveAdmins(sub.accountId);
  const invoice = {
    id: invoiceId,
    number: await nextInvoiceNumber(),
    accountId: sub.accountId,
    parentId: account.parentId ?? account.id,
    rootId: account.rootId,
    accountPath: account.accountPath,
    status: 'unpaid' as const,
    issuedAt: run.now.toISOString(),
    dueAt: due,
    lines: [{ description: `${sub.name} (${period.start} – ${period.end})`, quantity: sub.quantity, unitPrice: sub.unitPrice, amount: total, subscriptionId: sub.id }],
    total,
    reason: 'billing_period',
    subscriptionIds: [sub.id],
    ...invoiceDueKeys(invoiceId, due),
    createdAt: run.now.toISOString(),
    version: 1,
  };
  const result = await db()
    .transaction.write(({ subscription, invoice: invoices, auditEvent }) => [
      subscription
        .patch({ id: sub.id })
        .set({ ...(next ? billingKeys(sub.id, next) : {}), version: sub.version + 1 })
        .remove(next ? [] : ['billKey', 'billSort', 'nextBillingDate'])
        .where((a, op) => `${op.eq(a.version, sub.version)} AND ${op.eq(a.nextBillingDate, run.day)}`)
        .commit(),
      invoices.create(invoice).commit(),
      auditEvent.create(auditItem({ accountId: sub.accountId, action: 'invoice.issued', resourceType: 'invoice', resourceId: invoiceId, ...SYSTEM, details: { subscriptionId: sub.id, period } })).commit(),
    ])
    .go();
  if (result.canceled) return false;
  const paid = await chargeInvoice(invoice, undefined, invoiceId);
  await db()
    .entities.outbox.put(
      admins.map((admin) =>
        outboxEmail(
          'invoice-issued',
          recipientOf(admin),
          {
            accountName: account.name,
            invoiceNumber: invoice.number,
            total,
            dueOn: due,
            lines: invoice.lines.map((l) => ({ description: l.description, amount: l.amount })),
            portalUrl: env.portalUrl(),
            paid: paid.paid,
          },
        ) as never,
      ),
    )
    .go();
  return true;
}

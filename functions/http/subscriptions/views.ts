import type * as z from 'zod/mini';
import type { Assignment, Subscription } from '#data/subscriptions.ts';
import type { BillingPeriod } from '#domain/catalog.ts';
import type { Term } from '#domain/terms.ts';
import { nextTermOf } from '#domain/scheduled-change.ts';
import type { AssignmentSchema, SubscriptionSchema } from './schemas.ts';

/** The subscription as the API shows it (docs/product.md#field-names-clients-rely-on); windows already closed are not shown. */
export function subscriptionView(s: Subscription, now: Date): z.output<typeof SubscriptionSchema> {
  return {
    id: s.id,
    accountId: s.accountId,
    productId: s.productId,
    offerId: s.offerId,
    name: s.name,
    sku: s.sku,
    term: s.term as Term,
    billingPeriod: s.billingPeriod as BillingPeriod,
    quantity: s.quantity,
    assignedCount: s.assignedCount,
    scheduledQuantity: s.scheduledQuantity ?? null,
    scheduledChange: scheduledChangeView(s),
    status: s.status,
    autoRenew: s.autoRenew,
    startDate: s.startDate ?? null,
    currentTermStart: s.currentTermStart ?? null,
    currentTermEnd: s.currentTermEnd ?? null,
    domain: s.domain,
    domainId: s.domainId,
    selfService: s.selfService,
    buyer: { userId: s.buyer.userId, name: s.buyer.name },
    unitPrice: { amount: s.unitPrice.amount, currency: s.unitPrice.currency },
    cancellationWindows: s.cancellationWindows.filter((w) => new Date(w.until) > now).map((w) => ({ quantity: w.quantity, until: w.until })),
    cancellation: s.cancellation ? { reason: s.cancellation.reason, comment: s.cancellation.comment ?? null, at: s.cancellation.at } : null,
    trial: s.trial ? { days: s.trial.days, convertsToOfferId: s.trial.convertsToOfferId, endsAt: s.currentTermEnd ?? null } : null,
    suspendedAt: s.status === 'suspended' || s.status === 'cancelled' ? (s.suspendedAt ?? null) : null,
    cancelsOn: s.status === 'suspended' ? (s.cancelsOn ?? null) : null,
    orderId: s.orderId,
    createdAt: s.createdAt,
    version: s.version,
  };
}

/** The next term as a scheduled change makes it, or null when nothing is scheduled (docs/data-model.md "Scheduled changes"). */
function scheduledChangeView(s: Subscription): z.output<typeof SubscriptionSchema>['scheduledChange'] {
  const c = s.scheduledChange;
  if (s.scheduledQuantity === undefined && !c) return null;
  const next = nextTermOf(s);
  return {
    quantity: next.quantity,
    productId: next.productId,
    productName: c?.productName ?? s.name,
    offerId: next.offerId,
    term: (c?.term ?? s.term) as Term,
    billingPeriod: (c?.billingPeriod ?? s.billingPeriod) as BillingPeriod,
    setAt: c?.setAt ?? null,
  };
}

export function assignmentView(a: Assignment): z.output<typeof AssignmentSchema> {
  return { userId: a.userId, assignedAt: a.assignedAt };
}

import { db } from './entities.ts';
import { backOff, ensureCommitted, isConditionalFailure } from './tx.ts';
import { defaultPaymentMethod, getPaymentMethod } from './payment-methods.ts';
import { notifyPaymentFailed } from './invoices.ts';
import { clock } from '#platform/clock.ts';
import { logger } from '#platform/logger.ts';
import { getPaymentGateway } from '#platform/payments/sandbox.ts';
import { ChargeRefundedError, PaymentDeclinedError, PaymentUnconfirmedError } from '#platform/payments/port.ts';
import type { Money } from '#domain/money.ts';
import { pendingChargeItem } from './due-keys.ts';

/**
 * Paying an invoice by card (SPEC §3.7, §4.1 "money never moves twice"): the invoice is claimed
 * first (one conditional write: unpaid or overdue, and no live claim of another payment), a pending
 * charge is recorded, the gateway is charged once per reference, then ONE transaction marks the
 * invoice paid — on the claim still being this payment's and the invoice still payable — and
 * deletes the pending charge. A payment that cannot claim charges nothing; a charge whose final
 * write fails (the invoice was voided, or taken, meanwhile) is refunded before this returns; one
 * whose process stopped in between is refunded by `jobs/unstarted-orders.ts` (its invoice is not
 * paid with its reference). A paid invoice leaves the due index.
 */
export type ChargeOutcome = { paid: true; chargeId: string; paymentMethodId: string } | { paid: false; reason: string };

/** The processor did not confirm the charge: the invoice stays unpaid, any amount taken is refunded. */
export const UNCONFIRMED = 'unconfirmed';
/** Another payment holds the invoice, or it is no longer payable (paid, void): nothing was charged. */
export const NOT_PAYABLE = 'not_payable';
/** The invoice was voided or paid otherwise while this charge was made: the charge was refunded. */
export const INVOICE_CHANGED = 'invoice_changed';
/** The reference's earlier charge was refunded: nothing was charged, the invoice stays unpaid. */
export const REFERENCE_SPENT = 'reference_spent';

/** How long a claim keeps other payments off an invoice (longer than a gateway call takes). */
export const CLAIM_SECONDS = 120;

type ChargedInvoice = { id: string; number: string; accountId: string; total: Money };

/** Takes the invoice for one payment (its reference); false when it is not payable or another payment holds it. */
export async function claimInvoice(invoiceId: string, reference: string): Promise<boolean> {
  const now = clock.now();
  const until = new Date(now.getTime() + CLAIM_SECONDS * 1000).toISOString();
  try {
    await db()
      .entities.invoice.patch({ id: invoiceId })
      .set({ payingReference: reference, payingUntil: until })
      .where(
        (a, op) =>
          `(${op.eq(a.status, 'unpaid')} OR ${op.eq(a.status, 'overdue')}) AND (${op.notExists(a.payingReference)} OR ${op.eq(a.payingReference, reference)} OR ${op.lt(a.payingUntil, now.toISOString())})`,
      )
      .go();
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

/** Lets the invoice go after a payment that took nothing (declined, refunded), if the claim is still this one. */
async function releaseClaim(invoiceId: string, reference: string): Promise<void> {
  await db()
    .entities.invoice.patch({ id: invoiceId })
    .remove(['payingReference', 'payingUntil'])
    .where((a, op) => op.eq(a.payingReference, reference))
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

/**
 * The charge's final write: the invoice paid and the pending charge gone, in one transaction, only
 * while the claim is this payment's, the invoice unpaid or overdue, and the job has not claimed the
 * pending charge to refund it. False when any of that no longer holds.
 */
async function markPaid(invoiceId: string, reference: string, chargeId: string, paymentMethodId: string): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await db()
      .transaction.write(({ invoice, pendingCharge }) => [
        invoice
          .patch({ id: invoiceId })
          .set({ status: 'paid', paidAt: clock.nowIso(), chargeId, chargeReference: reference, paymentMethodId })
          .remove(['dueKey', 'dueSort', 'payingReference', 'payingUntil'])
          .where((a, op) => `${op.eq(a.payingReference, reference)} AND (${op.eq(a.status, 'unpaid')} OR ${op.eq(a.status, 'overdue')})`)
          .commit(),
        pendingCharge
          .delete({ reference })
          .where((a, op) => `${op.exists(a.reference)} AND ${op.notExists(a.claimedAt)}`)
          .commit(),
      ])
      .go();
    if (!result.canceled) return true;
    if (result.data.some((d) => d.code === 'ConditionalCheckFailed')) return false;
    if (!result.data.some((d) => d.code === 'TransactionConflict')) ensureCommitted(result, () => new Error('unreachable'));
    await backOff(attempt, { baseMs: 20, capMs: 500 });
  }
  return false;
}

export async function chargeInvoice(invoice: ChargedInvoice, paymentMethodId: string | undefined, reference: string): Promise<ChargeOutcome> {
  const method = paymentMethodId ? await getPaymentMethod(paymentMethodId) : await defaultPaymentMethod(invoice.accountId);
  if (!method || method.accountId !== invoice.accountId || method.type !== 'card' || !method.gatewayToken) return { paid: false, reason: 'no_card' };
  if (!(await claimInvoice(invoice.id, reference))) return { paid: false, reason: NOT_PAYABLE };
  const pending = { reference, accountId: invoice.accountId, amount: invoice.total, invoiceId: invoice.id };
  if (!(await recordInvoiceCharge(pending))) {
    // The job is refunding an earlier charge of this reference: it is not taken again.
    await releaseClaim(invoice.id, reference);
    return { paid: false, reason: UNCONFIRMED };
  }
  let chargeId: string;
  try {
    ({ chargeId } = await getPaymentGateway().charge({ token: method.gatewayToken, amount: invoice.total.amount, currency: invoice.total.currency, reference }));
  } catch (err) {
    if (err instanceof ChargeRefundedError) {
      // This reference's charge was given back earlier (a job re-run after an unconfirmed charge):
      // nothing was taken now, and refunded money never pays an invoice.
      await clearPendingCharge(reference);
      await releaseClaim(invoice.id, reference);
      logger.warn('the reference was refunded before; the invoice stays unpaid', { invoiceId: invoice.id, reference });
      return { paid: false, reason: REFERENCE_SPENT };
    }
    if (err instanceof PaymentDeclinedError) {
      await clearPendingCharge(reference);
      await releaseClaim(invoice.id, reference);
      logger.warn('card declined; the invoice stays unpaid', { invoiceId: invoice.id });
      // SPEC §3.7: a decline emails the billing contacts.
      await notifyPaymentFailed(invoice, err.reason);
      return { paid: false, reason: err.reason };
    }
    // Maybe taken, maybe not (unconfirmed, or the processor unreachable): given back now, or by the
    // job if the refund does not go through; no "payment failed" email.
    await refundPendingCharge(reference);
    await releaseClaim(invoice.id, reference);
    if (err instanceof PaymentUnconfirmedError) {
      logger.warn('card charge not confirmed; refunded, the invoice stays unpaid', { invoiceId: invoice.id, reference });
      return { paid: false, reason: UNCONFIRMED };
    }
    throw err;
  }
  if (await markPaid(invoice.id, reference, chargeId, method.id)) return { paid: true, chargeId, paymentMethodId: method.id };
  // Voided or paid otherwise meanwhile: this charge is owed back, and refunded before answering (a
  // void's own refund may have taken the pending charge: it is recorded again for the job).
  logger.warn('invoice changed while its card was charged; refunding the charge', { invoiceId: invoice.id, reference });
  await db().entities.pendingCharge.put(pendingChargeItem(pending, clock.nowIso())).go();
  await refundPendingCharge(reference);
  await releaseClaim(invoice.id, reference);
  return { paid: false, reason: INVOICE_CHANGED };
}

/** The pending charge of an invoice payment, unless the job has claimed this reference to refund it. */
async function recordInvoiceCharge(charge: { reference: string; accountId: string; amount: Money; invoiceId: string }): Promise<boolean> {
  try {
    await db()
      .entities.pendingCharge.put(pendingChargeItem(charge, clock.nowIso()))
      .where((a, op) => op.notExists(a.claimedAt))
      .go();
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

/**
 * A card charge for an order not yet written (SPEC §6: no charge without its order): recorded
 * before the charge, so a charge whose order never gets written — the process stopped in between,
 * the processor did not confirm — is found in the due index and refunded by
 * `jobs/unstarted-orders.ts`. The order's transaction deletes it (`insertOrder`).
 */
export async function recordPendingCharge(charge: { reference: string; accountId: string; amount: Money }): Promise<void> {
  await db().entities.pendingCharge.create(pendingChargeItem(charge, clock.nowIso())).go();
}

/** Marks a pending charge as being refunded; false when it is gone (its order took it, or it was settled). */
export async function claimPendingCharge(reference: string): Promise<boolean> {
  try {
    await db().entities.pendingCharge.patch({ reference }).set({ claimedAt: clock.nowIso() }).go();
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

/** The invoice a pending charge pays, if it pays one. */
export async function pendingInvoiceOf(reference: string): Promise<string | undefined> {
  const found = await db().entities.pendingCharge.get({ reference }).go({ consistent: true });
  return found.data?.invoiceId ?? undefined;
}

/** Nothing stands to be refunded any more (declined, or refunded): the record goes. */
export async function clearPendingCharge(reference: string): Promise<void> {
  await db().entities.pendingCharge.delete({ reference }).go();
}

/**
 * Gives back a charge that stands behind no live order or invoice, records the refund on the
 * invoice it paid (if any), then forgets it. When the refund fails (the processor cannot be
 * reached), the record stays for the job to retry; the caller's own error is what the client
 * should see, so this never throws.
 */
export async function refundPendingCharge(reference: string): Promise<boolean> {
  try {
    const pending = (await db().entities.pendingCharge.get({ reference }).go({ consistent: true })).data;
    await getPaymentGateway().refund(reference);
    if (pending?.invoiceId) await markRefunded(pending.invoiceId, reference);
    await clearPendingCharge(reference);
    return true;
  } catch (error) {
    logger.error('refund of a charge without its order or invoice failed; the unstartedOrders job retries it', { reference, error: error as Error });
    return false;
  }
}

/** The voided invoice this charge paid shows when its refund went through. */
async function markRefunded(invoiceId: string, reference: string): Promise<void> {
  await db()
    .entities.invoice.patch({ id: invoiceId })
    .set({ refundedAt: clock.nowIso() })
    .where((a, op) => `${op.eq(a.chargeReference, reference)} AND ${op.exists(a.refund)} AND ${op.notExists(a.refundedAt)}`)
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

import { db } from './entities.ts';
import { isConditionalFailure, retryOnConflict, RETRY, ensureCommittedNamed } from './tx.ts';
import { clock } from '#platform/clock.ts';
import { TransientError } from '#platform/errors.ts';
import type { Money } from '#domain/money.ts';
import { pendingChargeItem } from './due-keys.ts';
import { invoiceItems, type InvoiceForEvent } from './events.ts';

/**
 * The records of card charges (docs/product.md#billing, docs/product.md#api-conventions "money never moves twice"): an invoice's claim by
 * one payment, the pending charge recorded before the gateway is called, and the one transaction
 * that marks an invoice paid with it. No gateway call here: the use cases that charge and refund
 * are in `services/payments.ts`.
 */

/** How long a claim keeps other payments off an invoice (longer than a gateway call takes). */
export const CLAIM_SECONDS = 120;

/** The pending charge of an invoice's payment (or of an order not yet written: no `invoiceId`). */
export type PendingCharge = { reference: string; accountId: string; amount: Money; invoiceId?: string };

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
export async function releaseClaim(invoiceId: string, reference: string): Promise<void> {
  await db()
    .entities.invoice.patch({ id: invoiceId })
    .remove(['payingReference', 'payingUntil'])
    .where((a, op) => op.eq(a.payingReference, reference))
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

const PAID_ITEMS = ['invoice', 'pendingCharge'] as const;

/**
 * The charge's final write: the invoice paid (and out of the due index) and the pending charge
 * gone, in one transaction, only while the claim is this payment's, the invoice unpaid or overdue,
 * and the job has not claimed the pending charge to refund it. False when any of that no longer
 * holds (or the write kept colliding with others: the caller then refunds the charge).
 */
export async function markInvoicePaid(invoiceId: string, paid: { reference: string; chargeId: string; paymentMethodId: string }): Promise<boolean> {
  const { reference, chargeId, paymentMethodId } = paid;
  const refused = new Error('refused');
  // What its `invoice.paid` event says of it (docs/api.md#events): fields an invoice never changes.
  const invoice = (await db().entities.invoice.get({ id: invoiceId }).go()).data as (Omit<InvoiceForEvent, 'accountPath'> & { accountPath: string[] }) | null;
  if (!invoice) return false;
  try {
    return await retryOnConflict(
      async () => {
        const result = await db()
          .transaction.write(({ invoice: invoices, pendingCharge, event }) => [
            invoices
              .patch({ id: invoiceId })
              .set({ status: 'paid', paidAt: clock.nowIso(), chargeId, chargeReference: reference, paymentMethodId })
              .add({ version: 1 })
              .remove(['dueKey', 'dueSort', 'payingReference', 'payingUntil'])
              .where((a, op) => `${op.eq(a.payingReference, reference)} AND (${op.eq(a.status, 'unpaid')} OR ${op.eq(a.status, 'overdue')})`)
              .commit(),
            pendingCharge
              .delete({ reference })
              .where((a, op) => `${op.exists(a.reference)} AND ${op.notExists(a.claimedAt)}`)
              .commit(),
            ...invoiceItems('invoice.paid', { ...invoice, status: 'paid' }).map((e) => event.put(e).commit()),
          ])
          .go();
        if (!result.canceled) return true;
        if (result.data.some((d) => d.code === 'ConditionalCheckFailed')) return false;
        if (result.data.some((d) => d.code === 'TransactionConflict')) return RETRY;
        ensureCommittedNamed(result, PAID_ITEMS, () => refused);
        return false;
      },
      { tries: 5, baseMs: 20, capMs: 500 },
    );
  } catch (err) {
    // Still colliding after every try: not paid, and the caller gives the charge back.
    if (err instanceof TransientError) return false;
    throw err;
  }
}

/** The pending charge of an invoice payment, unless the job has claimed this reference to refund it. */
export async function recordInvoiceCharge(charge: PendingCharge & { invoiceId: string }): Promise<boolean> {
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

/** Records a charge owed back again (a void's refund may have taken it meanwhile), for the job if the refund fails. */
export async function restorePendingCharge(charge: PendingCharge): Promise<void> {
  await db().entities.pendingCharge.put(pendingChargeItem(charge, clock.nowIso())).go();
}

/**
 * A card charge for an order not yet written (docs/product.md#quality-bars: no charge without its order): recorded
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

/** The pending charge of a reference, read consistently. */
export async function getPendingCharge(reference: string): Promise<{ reference: string; invoiceId?: string } | undefined> {
  const found = await db().entities.pendingCharge.get({ reference }).go({ consistent: true });
  return found.data ?? undefined;
}

/** The invoice a pending charge pays, if it pays one. */
export async function pendingInvoiceOf(reference: string): Promise<string | undefined> {
  return (await getPendingCharge(reference))?.invoiceId ?? undefined;
}

/** Nothing stands to be refunded any more (declined, or refunded): the record goes. */
export async function clearPendingCharge(reference: string): Promise<void> {
  await db().entities.pendingCharge.delete({ reference }).go();
}

/** The voided invoice this charge paid shows when its refund went through. */
export async function markRefunded(invoiceId: string, reference: string): Promise<void> {
  await db()
    .entities.invoice.patch({ id: invoiceId })
    .set({ refundedAt: clock.nowIso() })
    .add({ version: 1 })
    .where((a, op) => `${op.eq(a.chargeReference, reference)} AND ${op.exists(a.refund)} AND ${op.notExists(a.refundedAt)}`)
    .go()
    .catch((err: unknown) => {
      if (!isConditionalFailure(err)) throw err;
    });
}

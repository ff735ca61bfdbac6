import { db } from './entities.ts';
import { isConditionalFailure } from './tx.ts';
import { defaultPaymentMethod, getPaymentMethod } from './payment-methods.ts';
import { notifyPaymentFailed } from './invoices.ts';
import { clock } from '#platform/clock.ts';
import { logger } from '#platform/logger.ts';
import { getPaymentGateway } from '#platform/payments/sandbox.ts';
import { PaymentDeclinedError, PaymentUnconfirmedError } from '#platform/payments/port.ts';
import type { Money } from '#domain/money.ts';
import { pendingChargeItem } from './due-keys.ts';

/**
 * Paying an invoice by card (SPEC §3.7): the gateway is charged once per reference; a paid invoice
 * leaves the due index. Answers how it went; a decline leaves the invoice as it was.
 */
export type ChargeOutcome = { paid: true; chargeId: string; paymentMethodId: string } | { paid: false; reason: string };

/** The processor did not confirm the charge: the invoice stays unpaid; paying it again with the same reference settles it. */
export const UNCONFIRMED = 'unconfirmed';

export async function chargeInvoice(
  invoice: { id: string; number: string; accountId: string; total: Money },
  paymentMethodId: string | undefined,
  reference: string,
): Promise<ChargeOutcome> {
  const method = paymentMethodId ? await getPaymentMethod(paymentMethodId) : await defaultPaymentMethod(invoice.accountId);
  if (!method || method.accountId !== invoice.accountId || method.type !== 'card' || !method.gatewayToken) return { paid: false, reason: 'no_card' };
  try {
    const { chargeId } = await getPaymentGateway().charge({ token: method.gatewayToken, amount: invoice.total.amount, currency: invoice.total.currency, reference });
    await db()
      .entities.invoice.patch({ id: invoice.id })
      .set({ status: 'paid', paidAt: clock.nowIso(), chargeId, paymentMethodId: method.id })
      .remove(['dueKey', 'dueSort'])
      .go();
    return { paid: true, chargeId, paymentMethodId: method.id };
  } catch (err) {
    if (err instanceof PaymentUnconfirmedError) {
      // Maybe taken, maybe not: no "payment failed" email; the gateway answers a retry of this reference with the first charge.
      logger.warn('card charge not confirmed; the invoice stays unpaid', { invoiceId: invoice.id, reference });
      return { paid: false, reason: UNCONFIRMED };
    }
    if (!(err instanceof PaymentDeclinedError)) throw err;
    logger.warn('card declined; the invoice stays unpaid', { invoiceId: invoice.id });
    // SPEC §3.7: a decline emails the billing contacts.
    await notifyPaymentFailed(invoice, err.reason);
    return { paid: false, reason: err.reason };
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

/** Nothing stands to be refunded any more (declined, or refunded): the record goes. */
export async function clearPendingCharge(reference: string): Promise<void> {
  await db().entities.pendingCharge.delete({ reference }).go();
}

/**
 * Gives back a charge whose order was not written, then forgets it. When the refund fails (the
 * processor cannot be reached), the record stays for the job to retry; the caller's own error is
 * what the client should see, so this never throws.
 */
export async function refundPendingCharge(reference: string): Promise<boolean> {
  try {
    await getPaymentGateway().refund(reference);
    await clearPendingCharge(reference);
    return true;
  } catch (error) {
    logger.error('refund of a charge without its order failed; the unstartedOrders job retries it', { reference, error: error as Error });
    return false;
  }
}

import * as chargeRepo from '#data/charges.ts';
import { notifyPaymentFailed } from '#data/invoices.ts';
import { defaultPaymentMethod, getPaymentMethod } from '#data/payment-methods.ts';
import { logger } from '#platform/logger.ts';
import { ChargeRefundedError, PaymentDeclinedError, PaymentUnconfirmedError, type PaymentGateway } from '#platform/payments/port.ts';
import { getPaymentGateway } from '#platform/payments/sandbox.ts';
import type { Money } from '#domain/money.ts';

/**
 * Paying an invoice by card (docs/product.md#billing, docs/product.md#api-conventions "money never moves twice"): the invoice is claimed
 * first (one conditional write: unpaid or overdue, and no live claim of another payment), a pending
 * charge is recorded, the gateway is charged once per reference, then ONE transaction marks the
 * invoice paid — on the claim still being this payment's and the invoice still payable — and
 * deletes the pending charge (data/charges.ts). A payment that cannot claim charges nothing; a
 * charge whose final write fails (the invoice was voided, or taken, meanwhile) is refunded before
 * this returns; one whose process stopped in between is refunded by `jobs/unstarted-orders.ts` (its
 * invoice is not paid with its reference). A paid invoice leaves the due index.
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
/** The account has no card to charge (none given, none default, or not this account's). */
export const NO_CARD = 'no_card';

export type ChargedInvoice = { id: string; number: string; accountId: string; total: Money; amountDue?: Money };

export interface PaymentDeps {
  charges: Pick<
    typeof chargeRepo,
    'claimInvoice' | 'releaseClaim' | 'recordInvoiceCharge' | 'markInvoicePaid' | 'restorePendingCharge' | 'getPendingCharge' | 'clearPendingCharge' | 'markRefunded'
  >;
  methods: { getPaymentMethod: typeof getPaymentMethod; defaultPaymentMethod: typeof defaultPaymentMethod };
  notifyPaymentFailed: (invoice: Pick<ChargedInvoice, 'accountId' | 'number' | 'total'>, reason: string) => Promise<void>;
  /** The card processor (a function: the sandbox is chosen when first used). */
  gateway: () => Pick<PaymentGateway, 'charge' | 'refund'>;
}

export function makePaymentService(deps: PaymentDeps) {
  const { charges, methods, gateway } = deps;

  /**
   * Gives back a charge that stands behind no live order or invoice, records the refund on the
   * invoice it paid (if any), then forgets it. When the refund fails (the processor cannot be
   * reached), the record stays for the job to retry; the caller's own error is what the client
   * should see, so this never throws.
   */
  async function refundPendingCharge(reference: string): Promise<boolean> {
    try {
      const pending = await charges.getPendingCharge(reference);
      await gateway().refund(reference);
      if (pending?.invoiceId) await charges.markRefunded(pending.invoiceId, reference);
      await charges.clearPendingCharge(reference);
      return true;
    } catch (error) {
      logger.error('refund of a charge without its order or invoice failed; the unstartedOrders job retries it', { reference, error: error as Error });
      return false;
    }
  }

  /** Charges what is due on the invoice (its total less credits) to a card of its account (the given one, or the default) at most once per invoice. */
  async function chargeInvoice(invoice: ChargedInvoice, paymentMethodId: string | undefined, reference: string): Promise<ChargeOutcome> {
    const method = paymentMethodId ? await methods.getPaymentMethod(paymentMethodId) : await methods.defaultPaymentMethod(invoice.accountId);
    if (!method || method.accountId !== invoice.accountId || method.type !== 'card' || !method.gatewayToken) return { paid: false, reason: NO_CARD };
    if (!(await charges.claimInvoice(invoice.id, reference))) return { paid: false, reason: NOT_PAYABLE };
    // What is still due: the total, less what credit notes took off it (docs/commerce.md "Credit notes").
    const due = invoice.amountDue ?? invoice.total;
    const pending = { reference, accountId: invoice.accountId, amount: due, invoiceId: invoice.id };
    if (!(await charges.recordInvoiceCharge(pending))) {
      // The job is refunding an earlier charge of this reference: it is not taken again.
      await charges.releaseClaim(invoice.id, reference);
      return { paid: false, reason: UNCONFIRMED };
    }
    let chargeId: string;
    try {
      ({ chargeId } = await gateway().charge({ token: method.gatewayToken, amount: due.amount, currency: due.currency, reference }));
    } catch (err) {
      if (err instanceof ChargeRefundedError) {
        // This reference's charge was given back earlier (a job re-run after an unconfirmed charge):
        // nothing was taken now, and refunded money never pays an invoice.
        await charges.clearPendingCharge(reference);
        await charges.releaseClaim(invoice.id, reference);
        logger.warn('the reference was refunded before; the invoice stays unpaid', { invoiceId: invoice.id, reference });
        return { paid: false, reason: REFERENCE_SPENT };
      }
      if (err instanceof PaymentDeclinedError) {
        await charges.clearPendingCharge(reference);
        await charges.releaseClaim(invoice.id, reference);
        logger.warn('card declined; the invoice stays unpaid', { invoiceId: invoice.id });
        // docs/product.md#billing: a decline emails the billing contacts.
        await deps.notifyPaymentFailed(invoice, err.reason);
        return { paid: false, reason: err.reason };
      }
      // Maybe taken, maybe not (unconfirmed, or the processor unreachable): given back now, or by the
      // job if the refund does not go through; no "payment failed" email.
      await refundPendingCharge(reference);
      await charges.releaseClaim(invoice.id, reference);
      if (err instanceof PaymentUnconfirmedError) {
        logger.warn('card charge not confirmed; refunded, the invoice stays unpaid', { invoiceId: invoice.id, reference });
        return { paid: false, reason: UNCONFIRMED };
      }
      throw err;
    }
    if (await charges.markInvoicePaid(invoice.id, { reference, chargeId, paymentMethodId: method.id })) return { paid: true, chargeId, paymentMethodId: method.id };
    // Voided or paid otherwise meanwhile: this charge is owed back, and refunded before answering (a
    // void's own refund may have taken the pending charge: it is recorded again for the job).
    logger.warn('invoice changed while its card was charged; refunding the charge', { invoiceId: invoice.id, reference });
    await charges.restorePendingCharge(pending);
    await refundPendingCharge(reference);
    await charges.releaseClaim(invoice.id, reference);
    return { paid: false, reason: INVOICE_CHANGED };
  }

  return { chargeInvoice, refundPendingCharge };
}

export const paymentService = makePaymentService({
  charges: chargeRepo,
  methods: { getPaymentMethod, defaultPaymentMethod },
  notifyPaymentFailed,
  gateway: getPaymentGateway,
});

/** The same functions, by the names their callers have always used. */
export const { chargeInvoice, refundPendingCharge } = paymentService;

import * as chargeRepo from '#data/charges.ts';
import * as paymentMethodRepo from '#data/payment-methods.ts';
import type { PaymentMethod } from '#data/payment-methods.ts';
import type { Money } from '#domain/money.ts';
import { methodPaysFor } from '#domain/self-service.ts';
import { clock } from '#platform/clock.ts';
import { AppError, BusinessRuleRefused, NotFound } from '#platform/errors.ts';
import { PaymentDeclinedError, PaymentUnconfirmedError, type PaymentGateway } from '#platform/payments/port.ts';
import { getPaymentGateway } from '#platform/payments/sandbox.ts';
import { refundPendingCharge } from './payments.ts';

/**
 * A card charged BEFORE what it pays for is written (docs/product.md#orders-and-the-fulfillment-workflow
 * "Money"): a decline answers 402 `payment_declined` and nothing is kept; an unconfirmed charge is
 * refunded and answers 503 `try_again`. The pending charge recorded first is what gets a charge
 * whose write never happened refunded (data/charges.ts, the unstarted orders job). The checkout and
 * staff orders (services/orders.ts) and a raise paid with a chosen card (services/subscriptions.ts)
 * both charge through it.
 */
export interface CardChargeDeps {
  methods: Pick<typeof paymentMethodRepo, 'getPaymentMethod'>;
  charges: Pick<typeof chargeRepo, 'recordPendingCharge' | 'clearPendingCharge'>;
  gateway: () => Pick<PaymentGateway, 'charge'>;
  refundPendingCharge: (reference: string) => Promise<boolean>;
  clock: { now(): Date };
}

export function makeCardCharge(deps: CardChargeDeps) {
  /**
   * The payment method must be the account's own (a self-service buyer's: its own card,
   * domain/self-service.ts `methodPaysFor`; 404 otherwise), and a card must not have expired (422
   * `card_expired`). An `invoice` method is answered as it is: nothing is charged.
   */
  async function usablePaymentMethod(accountId: string, paymentMethodId: string, buyerUserId?: string): Promise<PaymentMethod> {
    const method = await deps.methods.getPaymentMethod(paymentMethodId);
    if (!method || method.accountId !== accountId || !methodPaysFor(method, buyerUserId)) throw new NotFound('No such payment method on this account.');
    if (method.type === 'card') {
      const now = deps.clock.now();
      const y = now.getUTCFullYear();
      const m = now.getUTCMonth() + 1;
      if (!method.gatewayToken || (method.expYear ?? 0) < y || ((method.expYear ?? 0) === y && (method.expMonth ?? 0) < m)) {
        throw new BusinessRuleRefused('card_expired', 'This card has expired; choose another payment method.', [{ path: 'paymentMethodId' }]);
      }
    }
    return method;
  }

  /** Charges `amount` to the card under `reference` (the order's id), recorded as pending first; answers the charge's id. */
  async function chargeFirst(method: Pick<PaymentMethod, 'gatewayToken'>, accountId: string, amount: Money, reference: string, nothing = 'nothing was ordered'): Promise<string> {
    await deps.charges.recordPendingCharge({ reference, accountId, amount });
    try {
      return (await deps.gateway().charge({ token: method.gatewayToken!, amount: amount.amount, currency: amount.currency, reference })).chargeId;
    } catch (err) {
      if (err instanceof PaymentDeclinedError) {
        await deps.charges.clearPendingCharge(reference);
        throw new AppError(402, 'payment_declined', `The card was declined; ${nothing}.`, [{ reason: err.reason }]);
      }
      // Unconfirmed, or the processor unreachable: the charge may stand; it is refunded, now or by the job.
      await deps.refundPendingCharge(reference);
      if (err instanceof PaymentUnconfirmedError) {
        // An AppError, not a TransientError: its message is the client's (a TransientError shows a generic one).
        throw new AppError(503, 'try_again', `The card payment could not be confirmed; ${nothing}, and any amount taken is refunded. Try again.`);
      }
      throw err;
    }
  }

  return { usablePaymentMethod, chargeFirst, refund: (reference: string) => deps.refundPendingCharge(reference), settled: (reference: string) => deps.charges.clearPendingCharge(reference) };
}

export type CardCharge = ReturnType<typeof makeCardCharge>;

export const cardCharge = makeCardCharge({ methods: paymentMethodRepo, charges: chargeRepo, gateway: getPaymentGateway, refundPendingCharge, clock });

/**
 * What the application needs from the card processor (docs/product.md#billing, docs/product.md#sandboxes-and-their-magic-values). The API only ever sees
 * tokens: a card number reaches the processor's own page, never this system.
 */
export interface CardDetails {
  token: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface PaymentGateway {
  /** What the processor knows of a token it issued; undefined for an unknown token. */
  describeToken(token: string): Promise<CardDetails | undefined>;
  /**
   * Charges a card; the same `reference` never charges twice. Throws PaymentDeclinedError (nothing
   * taken), ChargeRefundedError when the reference's charge was refunded (nothing taken again), or
   * PaymentUnconfirmedError when the processor did not confirm (the charge may stand).
   */
  charge(input: { token: string; amount: number; currency: string; reference: string }): Promise<{ chargeId: string }>;
  /** Refunds a charge in full; refunding twice, or a reference never charged, is a no-op. Throws when the processor cannot be reached. */
  refund(reference: string): Promise<void>;
  /**
   * Refunds part of a charge (a credit note's refund), once per `refundReference`: the same
   * reference again is a no-op. Throws RefundRefusedError when the charge is not there to refund
   * (never made, declined, refunded in full) or the parts would exceed what was charged.
   */
  refundPart(input: { reference: string; refundReference: string; amount: number }): Promise<void>;
}

/** The processor refused a refund: nothing was given back. */
export class RefundRefusedError extends Error {
  constructor(readonly reason: 'no_charge' | 'exceeds_charge') {
    super(`The refund was refused: ${reason}`);
    this.name = 'RefundRefusedError';
  }
}

/** The processor did not confirm a charge (its answer was lost, a timeout): it may have been taken. */
export class PaymentUnconfirmedError extends Error {
  constructor(readonly reference: string) {
    super(`The card processor did not confirm the charge ${reference}`);
    this.name = 'PaymentUnconfirmedError';
  }
}

/**
 * The reference's charge was refunded: replaying it would report money that was given back, so the
 * processor refuses it; a new payment needs a new reference. Nothing is taken.
 */
export class ChargeRefundedError extends Error {
  constructor(readonly reference: string) {
    super(`The charge ${reference} was refunded; pay with a new reference`);
    this.name = 'ChargeRefundedError';
  }
}

export class PaymentDeclinedError extends Error {
  constructor(readonly reason: string) {
    super(`The card was declined: ${reason}`);
    this.name = 'PaymentDeclinedError';
  }
}

import { randomBytes } from 'node:crypto';
import { db } from '#data/entities.ts';
import { isConditionalFailure } from '#data/tx.ts';
import { clock } from '../clock.ts';
import { newId } from '../ids.ts';
import { ChargeRefundedError, PaymentDeclinedError, PaymentUnconfirmedError, RefundRefusedError, type CardDetails, type PaymentGateway } from './port.ts';

/**
 * The sandbox payment gateway of docs/product.md#sandboxes-and-their-magic-values, a simulator with documented behaviour: it turns a
 * test card number into a token (what a browser gets from the processor's page), and charges
 * tokens. Numbers ending in 0002 are declined; numbers ending in 0119 are charged but the answer is
 * lost (the charge stands, the call fails with PaymentUnconfirmedError, as after a network timeout);
 * numbers ending in 0127 are charged and the call never returns (the caller's function times out
 * with the charge taken, as if its process had stopped there); every other valid (Luhn) number is
 * accepted. Its tokens and charges are kept as its own records
 * in the application table.
 */
export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function brandOf(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^6(011|5)/.test(number)) return 'discover';
  return 'unknown';
}

export class CardRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardRefused';
  }
}

/** The processor's own page: number in, token out (used by `/_local/payment-gateway/tokens`). */
export async function tokenizeCard(card: { number: string; expMonth: number; expYear: number; cvc: string }): Promise<CardDetails> {
  const number = card.number.replace(/[\s-]/g, '');
  if (!luhnValid(number)) throw new CardRefused('The card number is not valid.');
  if (!/^\d{3,4}$/.test(card.cvc)) throw new CardRefused('The security code is not valid.');
  const now = clock.now();
  const expired = card.expYear < now.getUTCFullYear() || (card.expYear === now.getUTCFullYear() && card.expMonth < now.getUTCMonth() + 1);
  if (card.expMonth < 1 || card.expMonth > 12 || expired) throw new CardRefused('The card has expired.');
  const details = {
    token: `${newId('cardToken')}${randomBytes(6).toString('hex')}`,
    brand: brandOf(number),
    last4: number.slice(-4),
    expMonth: card.expMonth,
    expYear: card.expYear,
  };
  await db()
    .entities.gatewayCard.create({ ...details, declines: number.endsWith('0002'), answer: answerOf(number), createdAt: clock.nowIso() })
    .go();
  return details;
}

const answerOf = (number: string) => (number.endsWith('0119') ? ('lost' as const) : number.endsWith('0127') ? ('never' as const) : undefined);

/** The documented answer faults of a test card, after its charge is taken. */
async function answerAs(answer: 'lost' | 'never' | undefined, reference: string): Promise<void> {
  if (answer === 'lost') throw new PaymentUnconfirmedError(reference);
  // Longer than any function runs: the caller's invocation times out first (a timer, not a bare
  // pending promise, so a Lambda runtime waits for it instead of exiting).
  if (answer === 'never') {
    await new Promise((resolve) => setTimeout(resolve, 15 * 60_000));
    throw new PaymentUnconfirmedError(reference);
  }
}

export class SandboxPaymentGateway implements PaymentGateway {
  async describeToken(token: string): Promise<CardDetails | undefined> {
    const found = await db().entities.gatewayCard.get({ token }).go();
    if (!found.data) return undefined;
    const { brand, last4, expMonth, expYear } = found.data;
    return { token, brand, last4, expMonth, expYear };
  }

  async charge(input: { token: string; amount: number; currency: string; reference: string }): Promise<{ chargeId: string }> {
    const charges = db().entities.gatewayCharge;
    const previous = (await charges.get({ reference: input.reference }).go({ consistent: true })).data;
    const card = (await db().entities.gatewayCard.get({ token: input.token }).go()).data;
    if (previous) {
      if (previous.status === 'declined') throw new PaymentDeclinedError('card_declined');
      // A real processor replays the charge as it is now: refunded money is not a payment.
      if (previous.status === 'refunded') throw new ChargeRefundedError(input.reference);
      await answerAs(card?.answer, input.reference);
      return { chargeId: previous.chargeId };
    }
    if (!card) throw new PaymentDeclinedError('unknown_card');
    const status = card.declines ? ('declined' as const) : ('succeeded' as const);
    const chargeId = newId('charge');
    try {
      await charges.create({ ...input, chargeId, status, createdAt: clock.nowIso() }).go();
    } catch {
      // A parallel call with the same reference won: its outcome stands.
      return this.charge(input);
    }
    if (status === 'declined') throw new PaymentDeclinedError('card_declined');
    await answerAs(card.answer, input.reference);
    return { chargeId };
  }

  async refund(reference: string): Promise<void> {
    await db()
      .entities.gatewayCharge.patch({ reference })
      .set({ status: 'refunded', refundedAt: clock.nowIso() })
      .where((a, op) => op.eq(a.status, 'succeeded'))
      .go()
      .catch((err: unknown) => {
        // Already refunded, declined or never charged: nothing to give back. Anything else throws.
        if (!isConditionalFailure(err)) throw err;
      });
  }

  async refundPart(input: { reference: string; refundReference: string; amount: number }): Promise<void> {
    const charges = db().entities.gatewayCharge;
    for (let attempt = 0; attempt < 5; attempt++) {
      const charge = (await charges.get({ reference: input.reference }).go({ consistent: true })).data;
      if (charge?.refundReferences?.includes(input.refundReference)) return;
      if (!charge || charge.status !== 'succeeded') throw new RefundRefusedError('no_charge');
      const before = charge.refundedAmount ?? 0;
      if (before + input.amount > charge.amount) throw new RefundRefusedError('exceeds_charge');
      try {
        await charges
          .patch({ reference: input.reference })
          .add({ refundedAmount: input.amount, refundReferences: [input.refundReference] })
          .where((a, op) => `${op.eq(a.status, 'succeeded')} AND ${before === 0 ? op.notExists(a.refundedAmount) : op.eq(a.refundedAmount, before)}`)
          .go();
        return;
      } catch (err) {
        // Another refund of this charge went first: read it again.
        if (!isConditionalFailure(err)) throw err;
      }
    }
    throw new Error('The sandbox could not record the refund; try again.');
  }
}

let gateway: PaymentGateway | undefined;

/** The configured gateway (docs/product.md#how-it-is-built-fixed-choices: selectable by configuration; only the sandbox ships). */
export function getPaymentGateway(): PaymentGateway {
  if (!gateway) {
    const name = process.env.PAYMENT_GATEWAY ?? 'sandbox';
    if (name !== 'sandbox') throw new Error(`Unknown PAYMENT_GATEWAY "${name}": only "sandbox" ships with this build.`);
    gateway = new SandboxPaymentGateway();
  }
  return gateway;
}

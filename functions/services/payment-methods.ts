import { accountScope, getAccount } from '#data/accounts.ts';
import * as methodRepo from '#data/payment-methods.ts';
import type { NewPaymentMethod, PaymentMethod, PaymentMethodPlan } from '#data/payment-methods.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Forbidden, NotFound, ValidationFailed } from '#platform/errors.ts';
import type { PaymentGateway } from '#platform/payments/port.ts';
import { getPaymentGateway } from '#platform/payments/sandbox.ts';
import { authorize } from '#platform/scope.ts';
import { cardExpired } from '#domain/billing.ts';
import { isSelfServiceBuyer, methodVisibleTo } from '#domain/self-service.ts';

/**
 * Payment methods of an account (docs/product.md#billing, docs/product.md#billing-routes): a card is saved from a token of the gateway,
 * with what the gateway says about it (brand, last 4 digits, expiry; never what the client says);
 * an edit is checked against the method as it is when written; the repository keeps exactly one
 * default per account (data/payment-methods.ts).
 */
export type AddInput =
  | { type: 'card'; token: string; holderName: string; billingAddress?: Record<string, unknown>; setDefault?: boolean }
  | { type: 'invoice'; setDefault?: boolean };

export interface EditInput {
  expMonth?: number;
  expYear?: number;
  holderName?: string;
  billingAddress?: Record<string, unknown> | null;
  isDefault?: true;
}

export interface PaymentMethodDeps {
  methods: Pick<typeof methodRepo, 'getPaymentMethod' | 'addPaymentMethod' | 'updatePaymentMethod' | 'removePaymentMethod'>;
  accounts: { getAccount: typeof getAccount };
  gateway: () => Pick<PaymentGateway, 'describeToken'>;
  clock: { now(): Date };
}

const CARD_ONLY = ['expMonth', 'expYear', 'holderName', 'billingAddress'] as const;

/** What an edit changes, checked against the method as it is now (expiry not in the past); undefined when it changes nothing. */
export function editPlan(body: EditInput, current: PaymentMethod, now: Date): PaymentMethodPlan | undefined {
  if (current.type !== 'card') {
    const misplaced = CARD_ONLY.filter((k) => body[k] !== undefined);
    if (misplaced.length) {
      throw new ValidationFailed('An invoice payment method has no card details.', misplaced.map((path) => ({ in: 'body', path, code: 'not_a_card' })));
    }
  }
  const set: NonNullable<PaymentMethodPlan['set']> = {};
  const remove: NonNullable<PaymentMethodPlan['remove']> = [];
  if (body.expMonth !== undefined || body.expYear !== undefined) {
    const expMonth = body.expMonth ?? current.expMonth ?? 0;
    const expYear = body.expYear ?? current.expYear ?? 0;
    if (cardExpired(expMonth, expYear, now)) {
      throw new ValidationFailed('The expiry date is in the past.', [{ in: 'body', path: body.expYear !== undefined ? 'expYear' : 'expMonth', code: 'expired' }]);
    }
    Object.assign(set, { expMonth, expYear });
  }
  if (body.holderName !== undefined) set.holderName = body.holderName;
  if (body.billingAddress === null) remove.push('billingAddress');
  else if (body.billingAddress !== undefined) set.billingAddress = body.billingAddress;
  const makeDefault = body.isDefault === true;
  const nothing = !Object.keys(set).length && !remove.length && (!makeDefault || current.isDefault);
  return nothing ? undefined : { set, remove, makeDefault };
}

export function makePaymentMethodService(deps: PaymentMethodDeps) {
  const { methods, accounts, gateway } = deps;

  /**
   * Saves a card (from its gateway token) or the invoice method on a customer account. A customer
   * `user` whose account allows self-service saves cards of its own (docs/product.md#self-service-subscriptions):
   * only cards, never the account's default, seen and used by that user alone.
   */
  async function add(caller: Caller, accountId: string, body: AddInput): Promise<PaymentMethod> {
    const buyer = isSelfServiceBuyer(caller);
    const account = authorize(caller, accountScope(await accounts.getAccount(accountId)), buyer ? 'read' : 'manage');
    if (buyer) {
      if (!account.settings.allowSelfServicePurchases) throw new Forbidden('Your account does not allow self-service purchases.');
      if (body.type !== 'card') throw new Forbidden('You keep cards of your own; the invoice method is the account\'s.');
      if (body.setDefault) throw new Forbidden('A card you keep for yourself is never the account\'s default.');
    }
    if (account.type !== 'customer') throw new BusinessRuleRefused('not_a_customer', 'Payment methods belong to customer accounts.');
    let input: NewPaymentMethod;
    if (body.type === 'card') {
      const card = await gateway().describeToken(body.token);
      if (!card) throw new BusinessRuleRefused('card_token_invalid', 'The payment gateway does not know this card token.', [{ path: 'token' }]);
      if (cardExpired(card.expMonth, card.expYear, deps.clock.now())) throw new BusinessRuleRefused('card_expired', 'This card has expired.', [{ path: 'token' }]);
      input = {
        type: 'card',
        gatewayToken: card.token,
        brand: card.brand,
        last4: card.last4,
        expMonth: card.expMonth,
        expYear: card.expYear,
        holderName: body.holderName,
        billingAddress: body.billingAddress,
        ...(buyer ? { ownerUserId: caller.userId } : {}),
      };
    } else {
      input = { type: 'invoice' };
    }
    return methods.addPaymentMethod(account, input, body.setDefault === true);
  }

  /**
   * The method a caller may change: a user's own card only by that user (404 to anyone else,
   * domain/self-service.ts `methodVisibleTo`); the account's methods by its admins and staff admins.
   */
  async function changeable(caller: Caller, id: string): Promise<PaymentMethod> {
    const method = authorize(caller, await methods.getPaymentMethod(id), 'read');
    if (method.ownerUserId) {
      if (!methodVisibleTo(caller, method)) throw new NotFound();
      return method;
    }
    return authorize(caller, method, 'manage');
  }

  /** Edits a method; `ifMatch` (the version the client read) makes the write conditional on it. */
  async function edit(caller: Caller, id: string, body: EditInput, ifMatch?: number): Promise<PaymentMethod> {
    const method = await changeable(caller, id);
    if (method.ownerUserId && body.isDefault) throw new Forbidden('A card you keep for yourself is never the account\'s default.');
    return methods.updatePaymentMethod(id, (current) => editPlan(body, current, deps.clock.now()), { ifMatch });
  }

  /** Removes a method; the oldest remaining one becomes the default when it was the default. */
  async function remove(caller: Caller, id: string): Promise<void> {
    await changeable(caller, id);
    await methods.removePaymentMethod(id);
  }

  return { add, edit, remove };
}

export const paymentMethodService = makePaymentMethodService({ methods: methodRepo, accounts: { getAccount }, gateway: getPaymentGateway, clock });

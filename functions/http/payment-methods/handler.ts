import * as z from 'zod';
import { accountScope, getAccount } from '#data/accounts.ts';
import {
  addPaymentMethod,
  cardExpired,
  getPaymentMethod,
  listPaymentMethods,
  paymentMethodView,
  removePaymentMethod,
  updatePaymentMethod,
  type NewPaymentMethod,
  type PaymentMethod,
  type PaymentMethodPlan,
} from '#data/payment-methods.ts';
import { BusinessRuleRefused, ValidationFailed } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { getPaymentGateway, luhnValid } from '#platform/payments/sandbox.ts';
import { authorize } from '#platform/scope.ts';
import { AccountId, Address, Name, Pagination, id, page } from '../schemas.ts';

/**
 * Payment methods of an account (SPEC §3.7, §4.8). Customer admins and staff admins in scope
 * manage them, staff users read them. Cards arrive as a token of the gateway; brand, last 4
 * digits and expiry come from the gateway, never from the client.
 */

/** Field names that only ever hold card data (compared lower-case, without `_`/`-`). */
const CARD_FIELDS = new Set(['number', 'cardnumber', 'pan', 'cvc', 'cvv', 'cvc2', 'cvv2']);
const DIGITS = /^\d[\d -]{10,}\d$/;
// More than a 64 KiB body can hold, so the walk always sees all of it.
const MAX_NODES = 70_000;

function looksLikeCardNumber(value: string | number): boolean {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : '') : value.trim();
  if (!DIGITS.test(text)) return false;
  const digits = text.replace(/[ -]/g, '');
  return digits.length >= 12 && digits.length <= 19 && luhnValid(digits);
}

/**
 * Where a body carries card data: a field named like a card number or security code, or a value
 * (or key) that is a 12–19 digit number passing Luhn. Walks iteratively, so a deeply nested body
 * cannot overflow the stack. Paths only: the values are never echoed back.
 */
export function rawCardDataPaths(body: unknown): string[] {
  const found: string[] = [];
  const stack: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }];
  for (let seen = 0; stack.length && seen < MAX_NODES; seen++) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string' || typeof value === 'number') {
      if (looksLikeCardNumber(value)) found.push(path);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: path ? `${path}.${i}` : String(i) }));
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (CARD_FIELDS.has(key.toLowerCase().replace(/[_-]/g, '')) || looksLikeCardNumber(key)) found.push(at);
        else stack.push({ value: v, path: at });
      }
    }
  }
  return found.sort();
}

/**
 * SPEC §3.7: a raw card number is never accepted. Checked before the schema, so the refusal says
 * why instead of "unknown field", and before anything is read or written.
 */
const noRawCardData = <T extends z.ZodType>(schema: T) =>
  z.preprocess((body) => {
    const paths = rawCardDataPaths(body);
    if (paths.length) {
      throw new ValidationFailed(
        'Card numbers and security codes are never sent to this API: enter the card on the payment processor\'s page and send the token it returns.',
        paths.map((path) => ({ in: 'body', path, code: 'raw_card_number' })),
      );
    }
    return body;
  }, schema);

const PaymentMethodId = id('paymentMethod');
const ExpMonth = z.number().int().min(1).max(12);
const ExpYear = z.number().int().min(2000).max(2100);

const AddBody = noRawCardData(
  z.discriminatedUnion('type', [
    z
      .object({
        type: z.literal('card'),
        token: z.string().min(1).max(200),
        holderName: Name,
        billingAddress: Address.optional(),
        setDefault: z.boolean().optional(),
      })
      .strict(),
    z.object({ type: z.literal('invoice'), setDefault: z.boolean().optional() }).strict(),
  ]),
);

const EditBody = noRawCardData(
  z
    .object({
      expMonth: ExpMonth.optional(),
      expYear: ExpYear.optional(),
      holderName: Name.optional(),
      billingAddress: Address.nullable().optional(),
      /** Only `true`: a default is replaced by choosing another, never just unset. */
      isDefault: z.literal(true).optional(),
    })
    .strict(),
);

type Edit = z.output<typeof EditBody>;

const AccountParams = z.object({ accountId: AccountId }).strict();
const MethodParams = z.object({ paymentMethodId: PaymentMethodId }).strict();

const list = httpHandler({ params: AccountParams, query: z.object(Pagination).strict() }, async ({ params, query, caller }) => {
  authorize(caller, accountScope(await getAccount(params.accountId)), 'view');
  const result = await listPaymentMethods(params.accountId, query);
  return { statusCode: 200, body: page(result, paymentMethodView) };
});

const add = httpHandler({ params: AccountParams, body: AddBody }, async ({ params, body, caller }) => {
  const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'manage');
  if (account.type !== 'customer') throw new BusinessRuleRefused('not_a_customer', 'Payment methods belong to customer accounts.');
  let input: NewPaymentMethod;
  if (body.type === 'card') {
    const card = await getPaymentGateway().describeToken(body.token);
    if (!card) throw new BusinessRuleRefused('card_token_invalid', 'The payment gateway does not know this card token.', [{ path: 'token' }]);
    if (cardExpired(card.expMonth, card.expYear)) throw new BusinessRuleRefused('card_expired', 'This card has expired.', [{ path: 'token' }]);
    input = {
      type: 'card',
      gatewayToken: card.token,
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
      holderName: body.holderName,
      billingAddress: body.billingAddress,
    };
  } else {
    input = { type: 'invoice' };
  }
  const method = await addPaymentMethod(account, input, body.setDefault === true);
  return { statusCode: 201, body: paymentMethodView(method) };
});

const CARD_ONLY = ['expMonth', 'expYear', 'holderName', 'billingAddress'] as const;

/** What an edit changes, checked against the method as it is now (expiry not in the past). */
function editPlan(body: Edit, current: PaymentMethod): PaymentMethodPlan | undefined {
  if (current.type !== 'card') {
    const misplaced = CARD_ONLY.filter((k) => body[k] !== undefined);
    if (misplaced.length) {
      throw new ValidationFailed('An invoice payment method has no card details.', misplaced.map((path) => ({ in: 'body', path, code: 'not_a_card' })));
    }
  }
  const plan: PaymentMethodPlan = { set: {}, remove: [], makeDefault: body.isDefault === true };
  if (body.expMonth !== undefined || body.expYear !== undefined) {
    const expMonth = body.expMonth ?? current.expMonth ?? 0;
    const expYear = body.expYear ?? current.expYear ?? 0;
    if (cardExpired(expMonth, expYear)) {
      throw new ValidationFailed('The expiry date is in the past.', [{ in: 'body', path: body.expYear !== undefined ? 'expYear' : 'expMonth', code: 'expired' }]);
    }
    plan.set = { expMonth, expYear };
  }
  if (body.holderName !== undefined) plan.set!.holderName = body.holderName;
  if (body.billingAddress === null) plan.remove!.push('billingAddress');
  else if (body.billingAddress !== undefined) plan.set!.billingAddress = body.billingAddress;
  const nothing = !Object.keys(plan.set!).length && !plan.remove!.length && (!plan.makeDefault || current.isDefault);
  return nothing ? undefined : plan;
}

const edit = httpHandler({ params: MethodParams, body: EditBody }, async ({ params, body, caller }) => {
  authorize(caller, await getPaymentMethod(params.paymentMethodId), 'manage');
  const method = await updatePaymentMethod(params.paymentMethodId, (current) => editPlan(body, current));
  return { statusCode: 200, body: paymentMethodView(method) };
});

const remove = httpHandler({ params: MethodParams }, async ({ params, caller }) => {
  authorize(caller, await getPaymentMethod(params.paymentMethodId), 'manage');
  await removePaymentMethod(params.paymentMethodId);
  return { statusCode: 204 };
});

export const handler = routeGroup({
  'GET /v1/accounts/{accountId}/payment-methods': list,
  'POST /v1/accounts/{accountId}/payment-methods': add,
  'PATCH /v1/payment-methods/{paymentMethodId}': edit,
  'DELETE /v1/payment-methods/{paymentMethodId}': remove,
});

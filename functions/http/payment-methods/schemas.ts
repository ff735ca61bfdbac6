import * as z from 'zod/mini';
import { PAYMENT_METHOD_TYPES } from '#domain/billing.ts';
import { ValidationFailed } from '#platform/errors.ts';
import { luhnValid } from '#platform/payments/sandbox.ts';
import { AccountId, Address, Name, Pagination, id, pageOf } from '../schemas.ts';
import { AddressView } from '../users/schemas.ts';

/**
 * The contract of payment methods (docs/product.md#billing, docs/product.md#billing-routes): the bodies the routes take and the answers
 * they give. A card arrives as the gateway's token, never as its number: a body carrying card data
 * is refused before anything else.
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
 * docs/product.md#billing: a raw card number is never accepted. Checked before the schema, so the refusal says
 * why instead of "unknown field", and before anything is read or written.
 */
const noRawCardData = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.transform((body: unknown) => {
      const paths = rawCardDataPaths(body);
      if (paths.length) {
        throw new ValidationFailed(
          'Card numbers and security codes are never sent to this API: enter the card on the payment processor\'s page and send the token it returns.',
          paths.map((path) => ({ in: 'body', path, code: 'raw_card_number' })),
        );
      }
      return body;
    }),
    schema,
  );

const ExpMonth = z.number().check(z.int(), z.gte(1), z.lte(12));
const ExpYear = z.number().check(z.int(), z.gte(2000), z.lte(2100));

export const AddPaymentMethodBody = noRawCardData(
  z.discriminatedUnion('type', [
    z
      .strictObject({
        type: z.literal('card'),
        token: z.string().check(z.minLength(1), z.maxLength(200)),
        holderName: Name,
        billingAddress: z.optional(Address),
        setDefault: z.optional(z.boolean()),
      }),
    z.strictObject({ type: z.literal('invoice'), setDefault: z.optional(z.boolean()) }),
  ]),
);
export type AddPaymentMethodInput = z.output<typeof AddPaymentMethodBody>;

export const EditPaymentMethodBody = noRawCardData(
  z
    .strictObject({
      expMonth: z.optional(ExpMonth),
      expYear: z.optional(ExpYear),
      holderName: z.optional(Name),
      billingAddress: z.optional(z.nullable(Address)),
      /** Only `true`: a default is replaced by choosing another, never just unset. */
      isDefault: z.optional(z.literal(true)),
    }),
);
export type EditPaymentMethodInput = z.output<typeof EditPaymentMethodBody>;

export const AccountParams = z.strictObject({ accountId: AccountId });
export const PaymentMethodParams = z.strictObject({ paymentMethodId: id('paymentMethod') });
export const ListPaymentMethodsQuery = z.strictObject(Pagination);

const exampleCard = {
  id: 'pm_01JD6W2V9Q4X8M3N5P7R2T4Y6Z',
  accountId: 'acc_01JD6W2V9Q4X8M3N5P7R2T4Y6A',
  type: 'card' as const,
  brand: 'visa',
  last4: '4242',
  expMonth: 12,
  expYear: 2029,
  holderName: 'Frida Fabrikam',
  billingAddress: { line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' },
  isDefault: true,
  createdAt: '2027-01-10T09:00:00.000Z',
  version: 1,
};

export const PaymentMethodSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    type: z.enum(PAYMENT_METHOD_TYPES).check(z.describe('card: a saved card (the gateway\'s token); invoice: pay later by transfer')),
    brand: z.nullable(z.string()).check(z.describe('From the gateway: visa, mastercard, amex, discover')),
    last4: z.nullable(z.string()),
    expMonth: z.nullable(z.number().check(z.int())),
    expYear: z.nullable(z.number().check(z.int())),
    holderName: z.nullable(z.string()),
    billingAddress: z.nullable(AddressView),
    isDefault: z.boolean().check(z.describe('What renewals and billing periods charge; exactly one per account while it has any')),
    createdAt: z.iso.datetime({ offset: true }),
    version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag, sent back in If-Match')),
  })
  .register(z.globalRegistry, { id: 'PaymentMethod', description: 'A saved way to pay: a card (never its number or token) or invoice', examples: [exampleCard] });

export const PaymentMethodPageSchema = pageOf(PaymentMethodSchema).register(z.globalRegistry, {
  id: 'PaymentMethodPage',
  description: 'A page of an account\'s payment methods, oldest first',
  examples: [{ items: [exampleCard], nextCursor: null }],
});

import * as z from 'zod';
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

const ExpMonth = z.number().int().min(1).max(12);
const ExpYear = z.number().int().min(2000).max(2100);

export const AddPaymentMethodBody = noRawCardData(
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
export type AddPaymentMethodInput = z.output<typeof AddPaymentMethodBody>;

export const EditPaymentMethodBody = noRawCardData(
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
export type EditPaymentMethodInput = z.output<typeof EditPaymentMethodBody>;

export const AccountParams = z.object({ accountId: AccountId }).strict();
export const PaymentMethodParams = z.object({ paymentMethodId: id('paymentMethod') }).strict();
export const ListPaymentMethodsQuery = z.object(Pagination).strict();

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
    type: z.enum(PAYMENT_METHOD_TYPES).describe('card: a saved card (the gateway\'s token); invoice: pay later by transfer'),
    brand: z.string().nullable().describe('From the gateway: visa, mastercard, amex, discover'),
    last4: z.string().nullable(),
    expMonth: z.number().int().nullable(),
    expYear: z.number().int().nullable(),
    holderName: z.string().nullable(),
    billingAddress: AddressView.nullable(),
    isDefault: z.boolean().describe('What renewals and billing periods charge; exactly one per account while it has any'),
    createdAt: z.iso.datetime({ offset: true }),
    version: z.number().int().describe('Increases with every change; answered as the ETag, sent back in If-Match'),
  })
  .meta({ id: 'PaymentMethod', description: 'A saved way to pay: a card (never its number or token) or invoice', examples: [exampleCard] });

export const PaymentMethodPageSchema = pageOf(PaymentMethodSchema).meta({
  id: 'PaymentMethodPage',
  description: 'A page of an account\'s payment methods, oldest first',
  examples: [{ items: [exampleCard], nextCursor: null }],
});

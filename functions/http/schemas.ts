import * as z from 'zod';
import { idPattern, type IdKind } from '#platform/ids.ts';

/**
 * The zod schemas the routes share. Objects are strict: an unknown field is a 400 (docs/product.md#api-conventions).
 */
export const id = (kind: IdKind) => z.string().regex(idPattern(kind), `must be a ${kind} id`);

export const AccountId = id('account');
export const OrderId = id('order');
export const ProductId = id('product');
export const OfferId = id('offer');
export const DomainId = id('domain');

export const Locale = z.enum(['en', 'es', 'de']);
export const Email = z.email().max(254);
/** A person's or a company's name (docs/product.md#api-conventions): trimmed and NFC-normalized, so one name is stored one way. */
export const nameOf = (max: number) => z.string().trim().normalize('NFC').min(1).max(max);
export const Name = nameOf(100);
export const Password = z.string().min(10).max(128);
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
export const IsoTime = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();

export const Address = z
  .object({
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1).max(100),
    postalCode: z.string().trim().min(1).max(20),
    state: z.string().trim().max(100).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
  })
  .strict();

export const Company = z
  .object({
    name: Name,
    address: Address,
    contact: z
      .object({ firstName: Name, lastName: Name, email: Email, phone: z.string().trim().max(30).optional() })
      .strict(),
  })
  .strict();

export const CustomerAgreement = z
  .object({ firstName: Name, lastName: Name, email: Email, acceptedAt: IsoTime })
  .strict();

export const DomainPrefix = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'must be 3 to 40 lower-case letters, digits or dashes, not starting or ending with a dash');

export const DomainChoice = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('create'), prefix: DomainPrefix, company: Company }).strict(),
  z.object({ mode: z.literal('existing'), domainId: DomainId }).strict(),
]);

/** `?limit=&cursor=` (docs/product.md#api-conventions). */
export const Pagination = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
};

export function page<T, V>(p: { items: T[]; nextCursor: string | null }, view: (t: T) => V) {
  return { items: p.items.map(view), nextCursor: p.nextCursor };
}

/** A `from`/`to` query bound as the UTC ISO text the sort keys hold (a date stays a date). */
export const utcBound = (v: string): string => (v.length === 10 ? v : new Date(v).toISOString());

/**
 * Response schemas shared by the areas. A response schema describes what a handler answers: the
 * wrapper checks every 2xx body against it locally and in tests (CHECK_RESPONSES), and the OpenAPI
 * document is built from it. No transforms in response schemas: the answer is checked as it is.
 */
export const Money = z
  .object({ amount: z.number().int().describe('Minor units (cents)'), currency: Currency })
  .meta({ id: 'Money', description: 'An amount of money in minor units', examples: [{ amount: 7200, currency: 'EUR' }] });

/** Who an account's users turn to for help (docs/product.md#accounts-and-tenancy), as answered: each part null when not given. */
export const SupportContactView = z
  .object({ email: z.string().nullable(), phone: z.string().nullable(), url: z.string().nullable() })
  .meta({
    id: 'SupportContact',
    description: 'A support contact: an email address, a phone number and a web address, any of them null',
    examples: [{ email: 'support@distributor.example.com', phone: '+49 40 1234 5678', url: 'https://support.distributor.example.com' }],
  });

/** A list page of `item` (docs/product.md#api-conventions): `{items, nextCursor}`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to read the next page; null on the last page'),
  });
}

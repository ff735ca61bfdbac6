import * as z from 'zod/mini';
import { idPattern, type IdKind } from '#platform/ids.ts';
import { QUALIFICATIONS } from '#domain/trials.ts';

/**
 * The zod schemas the routes share. Objects are strict: an unknown field is a 400 (docs/product.md#api-conventions).
 *
 * Lambda code validates with zod/mini (a fraction of full zod's size and module init): checks go in
 * `.check(...)`, wrappers are functions (`z.optional(x)`). A named schema of the OpenAPI document is
 * registered where it is built, `.register(z.globalRegistry, { id, … })`, not given a `z.meta()`
 * check: a check is copied into every schema derived from it (`Money.check(z.describe(…))`), and
 * so would its id be. `z.describe()` as a check is fine.
 */
export const id = (kind: IdKind) => z.string().check(z.regex(idPattern(kind), `must be a ${kind} id`));

export const AccountId = id('account');
export const OrderId = id('order');
export const ProductId = id('product');
export const OfferId = id('offer');
export const DomainId = id('domain');

export const Locale = z.enum(['en', 'es', 'de']);
export const Email = z.email().check(z.maxLength(254));
/** A person's or a company's name (docs/product.md#api-conventions): trimmed and NFC-normalized, so one name is stored one way. */
export const nameOf = (max: number) => z.string().check(z.trim(), z.normalize('NFC'), z.minLength(1), z.maxLength(max));
export const Name = nameOf(100);
export const Password = z.string().check(z.minLength(10), z.maxLength(128));
export const Currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'));
export const IsoTime = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();

export const Address = z
  .strictObject({
    line1: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    line2: z.optional(z.string().check(z.trim(), z.maxLength(200))),
    city: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    postalCode: z.string().check(z.trim(), z.minLength(1), z.maxLength(20)),
    state: z.optional(z.string().check(z.trim(), z.maxLength(100))),
    country: z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')),
  });

export const Company = z
  .strictObject({
    name: Name,
    address: Address,
    contact: z
      .strictObject({ firstName: Name, lastName: Name, email: Email, phone: z.optional(z.string().check(z.trim(), z.maxLength(30))) }),
  });

export const CustomerAgreement = z
  .strictObject({ firstName: Name, lastName: Name, email: Email, acceptedAt: IsoTime });

export const DomainPrefix = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'must be 3 to 40 lower-case letters, digits or dashes, not starting or ending with a dash'));

/** An existing tenant's name, `<name>.onmicrosoft.com` (trimmed, lower-cased). */
export const LinkedDomainName = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]\.onmicrosoft\.com$/, 'must be <name>.onmicrosoft.com'));

/** What a tenant is created for, checked by the vendor (docs/product.md#trials-and-qualifications). */
export const QualificationChoice = z.optional(
  z.enum(QUALIFICATIONS).check(z.describe('Create the tenant qualified for education, nonprofit or government: the vendor checks it (422 qualification_refused), and only such a domain can buy a product that requires it')),
);

export const DomainChoice = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('create'), prefix: DomainPrefix, company: Company, qualification: QualificationChoice }),
  z.strictObject({ mode: z.literal('existing'), domainId: DomainId }),
  z
    .strictObject({ mode: z.literal('link'), domain: LinkedDomainName })
    .check(z.describe('Links an existing tenant in the same request, as POST /v1/accounts/{accountId}/domains {mode: "link"} does (pending the partner acceptance when it had another provider: the order waits for it); the account\'s own domain of that name is used as it is')),
]);

/** Co-terming (docs/product.md "Co-terming"): where the new subscriptions' first term ends. */
export const AlignEndWith = z
  .union([id('subscription'), z.literal('calendarMonth')])
  .check(
    z.describe(
      "The first term of each new subscription ends with this subscription's current term (of the account, active, on the order's domain; else 422) or on the last day of this calendar month, priced by days; the renewal after it is a full term",
    ),
  );

/** `?limit=&cursor=` (docs/product.md#api-conventions). */
export const Pagination = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
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
  .object({ amount: z.number().check(z.int(), z.describe('Minor units (cents)')), currency: Currency })
  .register(z.globalRegistry, { id: 'Money', description: 'An amount of money in minor units', examples: [{ amount: 7200, currency: 'EUR' }] });

/** What a caller may see of a price chain (docs/commerce.md "Who sees which figures"), totals for the quantity where a line has one. */
export const PriceFigures = z
  .object({
    sell: Money.check(z.describe('What the buyer pays')),
    cost: z.optional(Money.check(z.describe('The seller’s buying price: the vendor’s cost for the distributor, the reseller price for a reseller'))),
    resellerPrice: z.optional(Money),
    margin: z.optional(Money),
    distributorMargin: z.optional(Money),
    resellerMargin: z.optional(Money),
  })
  .register(z.globalRegistry, { id: 'PriceFigures', description: 'What the caller may see of the price chain: the seller and the accounts above it, never the buyer' });

/** Who an account's users turn to for help (docs/product.md#accounts-and-tenancy), as answered: each part null when not given. */
export const SupportContactView = z
  .object({ email: z.nullable(z.string()), phone: z.nullable(z.string()), url: z.nullable(z.string()) })
  .register(z.globalRegistry, {
    id: 'SupportContact',
    description: 'A support contact: an email address, a phone number and a web address, any of them null',
    examples: [{ email: 'support@distributor.example.com', phone: '+49 40 1234 5678', url: 'https://support.distributor.example.com' }],
  });

/** A list page of `item` (docs/product.md#api-conventions): `{items, nextCursor}`. */
export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.nullable(z.string()).check(z.describe('Pass as `cursor` to read the next page; null on the last page')),
  });
}

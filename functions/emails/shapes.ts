import * as z from 'zod/mini';
import { defineTemplate, fields, LOCALES, type Block, type Formatters, type Locale, type Rich, type TemplateDefinition } from './layout.ts';

/**
 * The shapes templates share, so that a template is its schema and its words: the structure of a
 * message is written once, and each locale only says how it reads.
 */

/** Every template greets its recipient by `recipientName`. */
type Greeted = z.ZodMiniType<{ recipientName: string }>;

/** What one locale's words make of the data: the message without its greeting. */
export type Body = { subject: string; blocks: readonly Block[] };

/**
 * A template whose locales share one structure: `words` holds what each locale says, `message`
 * builds the subject and blocks from one locale's words (the greeting is the recipient's name).
 */
export function localized<S extends Greeted, W>(spec: {
  schema: S;
  words: Record<Locale, W>;
  message: (words: W, data: z.output<S>, format: Formatters) => Body;
}): TemplateDefinition<S> {
  const locales = Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      (data: z.output<S>, format: Formatters) => ({ ...spec.message(spec.words[locale], data, format), greeting: data.recipientName }),
    ]),
  ) as TemplateDefinition<S>['locales'];
  return defineTemplate({ schema: spec.schema, locales });
}

/** A link with a validity (activation, password reset, login change): its button and what follows it. */
export interface LinkWords {
  button: string;
  /** The validity paragraph, given the expiry as a long date and time. */
  validity: (until: string) => string;
  /** Paragraphs after the validity that come with this kind of link. */
  after?: readonly string[];
}

/** What one email with a link says around it. */
export interface LinkEmailWords<D> {
  subject: string;
  /** The paragraph before the button. */
  intro: string | ((data: D) => string);
  /** Paragraphs after those of the link. */
  after?: readonly string[];
}

/** The data of a link email that names nothing else (activation, password reset). */
export const linkEmailSchema = z.object({
  recipientName: fields.text,
  link: fields.url,
  expiresAt: fields.instant,
});

/**
 * The "link email": why the link was sent, the button, until when it works, and what to do if
 * the recipient did not ask for it. Its data carries `link` and `expiresAt`.
 */
export function linkEmail<S extends z.ZodMiniType<{ recipientName: string; link: string; expiresAt: string }>>(spec: {
  schema: S;
  link: Record<Locale, LinkWords>;
  words: Record<Locale, LinkEmailWords<z.output<S>>>;
}): TemplateDefinition<S> {
  return localized({
    schema: spec.schema,
    words: Object.fromEntries(LOCALES.map((l) => [l, { link: spec.link[l], email: spec.words[l] }])) as Record<
      Locale,
      { link: LinkWords; email: LinkEmailWords<z.output<S>> }
    >,
    message: ({ link, email }, d, f) => ({
      subject: email.subject,
      blocks: [
        { p: typeof email.intro === 'string' ? email.intro : email.intro(d) },
        { button: { label: link.button, url: d.link } },
        { p: link.validity(f.dateTime(d.expiresAt)) },
        ...(link.after ?? []).map((p) => ({ p })),
        ...(email.after ?? []).map((p) => ({ p })),
      ],
    }),
  });
}

/** The subscriptions an unpaid invoice's dunning names: product and domain. */
export const dunnedSubscriptions = z.array(z.object({ name: fields.text, domain: fields.text })).check(z.minLength(1), z.maxLength(100));

/** The data every email about an unpaid invoice carries (reminder, suspension, service at risk, cancellation). */
export const unpaidInvoiceFields = {
  recipientName: fields.text,
  accountName: fields.text,
  invoiceNumber: fields.text,
  portalUrl: fields.url,
};

/**
 * The shape of an email about an unpaid invoice (docs/product.md#billing "Not paying"): what
 * happened, the subscriptions it concerns (when any), the invoice's facts, what to do, the
 * portal's button, and a closing line. Each template gives its paragraphs and extra facts.
 */
export function unpaidInvoiceNotice(parts: {
  intro: Rich;
  subscriptions?: ReadonlyArray<{ name: string; domain: string }>;
  labels: { invoice: string; customer: string };
  invoiceNumber: string;
  accountName: string;
  extraFacts?: ReadonlyArray<readonly [string, string]>;
  next: string;
  button: { label: string; url: string };
  closing?: string;
}): readonly Block[] {
  return [
    { p: parts.intro },
    ...(parts.subscriptions ? [{ list: parts.subscriptions.map((s): Rich => [{ strong: s.name }, ` (${s.domain})`]) }] : []),
    { facts: [[parts.labels.invoice, parts.invoiceNumber], [parts.labels.customer, parts.accountName], ...(parts.extraFacts ?? [])] },
    { p: parts.next },
    { button: parts.button },
    ...(parts.closing ? [{ p: parts.closing }] : []),
  ];
}

import * as z from 'zod/mini';
import type { SupportContact } from '#domain/accounts.ts';
import { singleLine } from '#platform/text.ts';

/**
 * What every email shares: the locales, the formatting of dates and numbers, and one layout that
 * turns a message (subject + blocks of plain strings) into both the text and the HTML part. Templates
 * never write HTML: every string they give goes through `escapeHtml` here, so an interpolated value
 * cannot inject markup, and the text and HTML parts cannot drift apart.
 */
export const LOCALES = ['en', 'es', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

/** Field schemas the templates share. */
export const fields = {
  text: z.string().check(z.minLength(1), z.maxLength(2000)),
  /** http(s) only: the value ends up in an href, so `javascript:` and the like are refused. */
  url: z.url({ protocol: /^https?$/ }),
  /** An ISO 8601 instant, e.g. `2027-01-05T15:04:00.000Z`. */
  instant: z.iso.datetime({ offset: true }),
  /** Integer minor units and an ISO 4217 code, as billing keeps money (docs/product.md#billing). */
  money: z.object({
    amount: z.number().check(z.int()),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 currency code')),
  }),
};

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A piece of a line: plain text, bold text, or a link (label defaults to the address). */
export type Inline = string | { strong: string } | { link: string; label?: string };
export type Rich = Inline | readonly Inline[];

export type Block =
  | { p: Rich }
  /** Bulleted list. */
  | { list: readonly Rich[] }
  /** Numbered steps. */
  | { steps: readonly Rich[] }
  /** Label/value pairs (order number, customer, domain...). */
  | { facts: ReadonlyArray<readonly [string, Rich]> }
  /** The call to action. */
  | { button: { label: string; url: string } };

export interface Message {
  subject: string;
  /** The recipient's name, for the localized greeting. */
  greeting: string;
  blocks: readonly Block[];
}

/** An amount of money: integer minor units (cents) and an ISO 4217 currency code (docs/product.md#billing). */
export interface Money {
  amount: number;
  currency: string;
}

export interface Formatters {
  locale: Locale;
  /** An ISO instant as a long date and time in UTC, e.g. "5. Januar 2027 um 15:04 UTC". */
  dateTime(iso: string): string;
  /** A calendar date (`YYYY-MM-DD`) as a long date, e.g. "26. März 2027". */
  date(isoDate: string): string;
  number(value: number): string;
  /** Minor units in the locale's currency format, e.g. `{amount: 123450, currency: 'EUR'}` → "1.234,50 €". */
  money(value: Money): string;
}

/** One template: its data schema and, per locale, how the data reads. */
export interface TemplateDefinition<S extends z.ZodMiniType = z.ZodMiniType> {
  schema: S;
  locales: Record<Locale, (data: z.output<S>, format: Formatters) => Message>;
}

/**
 * Types a template against its schema. Templates do not call it: they are written with `localized`
 * or `linkEmail` of shapes.ts, which end here.
 */
export function defineTemplate<S extends z.ZodMiniType>(definition: TemplateDefinition<S>): TemplateDefinition<S> {
  return definition;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export function formatters(locale: Locale): Formatters {
  const dates = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const numbers = new Intl.NumberFormat(locale);
  const currencies = new Map<string, { format: Intl.NumberFormat; scale: number }>();
  const money = ({ amount, currency }: Money): string => {
    let entry = currencies.get(currency);
    if (!entry) {
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
      // Intl gives each currency its ISO 4217 minor unit: 2 for EUR and USD, 0 for JPY, 3 for KWD.
      entry = { format, scale: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) };
      currencies.set(currency, entry);
    }
    return entry.format.format(amount / entry.scale);
  };
  return {
    locale,
    dateTime: (iso) => dates.format(new Date(iso)),
    date: (isoDate) => days.format(new Date(`${isoDate}T00:00:00Z`)),
    number: (value) => numbers.format(value),
    money,
  };
}

/** The words of the frame around every message. */
const FRAME: Record<Locale, { greeting: (name: string) => string; signOff: readonly string[]; footer: string; help: string }> = {
  en: {
    greeting: (name) => `Hello ${name},`,
    signOff: ['Kind regards,', 'Your cloud license portal'],
    footer: 'This message was sent automatically. Please do not reply to it.',
    help: 'Need help? Contact support:',
  },
  es: {
    greeting: (name) => `Estimado/a ${name}:`,
    signOff: ['Atentamente,', 'Su portal de licencias en la nube'],
    footer: 'Este mensaje se ha enviado automáticamente. Le rogamos que no responda a él.',
    help: '¿Necesita ayuda? Contacte con el servicio de asistencia:',
  },
  de: {
    greeting: (name) => `Guten Tag ${name},`,
    signOff: ['Mit freundlichen Grüßen', 'Ihr Cloud-Lizenzportal'],
    footer: 'Diese Nachricht wurde automatisch versendet. Bitte antworten Sie nicht darauf.',
    help: 'Brauchen Sie Hilfe? Wenden Sie sich an den Support:',
  },
};

/** Between the parts of the support contact. */
const SUPPORT_SEPARATOR = ' · ';
/** What may follow `mailto:` as it is: an address with no query (`?cc=`), fragment or space in it. */
const MAILTO_SAFE = /^[^\s@?&#]+@[^\s@?&#]+$/;
const WEB_LINK = /^https?:\/\//i;

/** The parts of a support contact as one line each (email, phone, URL; the absent ones left out). */
function supportParts(support: SupportContact | undefined): Array<{ kind: 'email' | 'phone' | 'url'; value: string }> {
  if (!support) return [];
  return (['email', 'phone', 'url'] as const).flatMap((kind) => {
    const value = support[kind] ? singleLine(support[kind]) : '';
    return value ? [{ kind, value }] : [];
  });
}

/** The support footer's HTML: the address as a mailto link, the web address as a link (http(s) only), every value escaped. */
function supportHtml(parts: ReturnType<typeof supportParts>): string {
  return parts
    .map(({ kind, value }) => {
      const href = kind === 'email' && MAILTO_SAFE.test(value) ? `mailto:${value}` : kind === 'url' && WEB_LINK.test(value) ? value : undefined;
      return href ? `<a href="${escapeHtml(href)}" style="color:#6b7280;text-decoration:underline;">${escapeHtml(value)}</a>` : escapeHtml(value);
    })
    .join(escapeHtml(SUPPORT_SEPARATOR));
}

function inlines(rich: Rich): readonly Inline[] {
  return typeof rich === 'string' || !Array.isArray(rich) ? [rich as Inline] : rich;
}

function richText(rich: Rich): string {
  return inlines(rich)
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('strong' in part) return part.strong;
      return part.label && part.label !== part.link ? `${part.label} (${part.link})` : part.link;
    })
    .join('');
}

const LINK_STYLE = 'color:#0b5cad;text-decoration:underline;';

function richHtml(rich: Rich): string {
  return inlines(rich)
    .map((part) => {
      if (typeof part === 'string') return escapeHtml(part);
      if ('strong' in part) return `<strong>${escapeHtml(part.strong)}</strong>`;
      return `<a href="${escapeHtml(part.link)}" style="${LINK_STYLE}">${escapeHtml(part.label ?? part.link)}</a>`;
    })
    .join('');
}

function blockText(block: Block): string {
  if ('p' in block) return richText(block.p);
  if ('list' in block) return block.list.map((item) => `- ${richText(item)}`).join('\n');
  if ('steps' in block) return block.steps.map((item, i) => `${i + 1}. ${richText(item)}`).join('\n');
  if ('facts' in block) return block.facts.map(([label, value]) => `${label}: ${richText(value)}`).join('\n');
  return `${block.button.label}:\n${block.button.url}`;
}

const P = 'margin:0 0 16px 0;';
/** A fact's label (our own words) breaks between words only, so "Bestellnummer" stays whole. */
const LABEL_WRAP = 'overflow-wrap:normal;word-wrap:normal;word-break:normal;';

function blockHtml(block: Block): string {
  if ('p' in block) return `<p style="${P}">${richHtml(block.p)}</p>`;
  if ('list' in block) {
    return `<ul style="${P}padding-left:24px;">${block.list.map((item) => `<li>${richHtml(item)}</li>`).join('')}</ul>`;
  }
  if ('steps' in block) {
    return `<ol style="${P}padding-left:24px;">${block.steps.map((item) => `<li style="margin-bottom:8px;">${richHtml(item)}</li>`).join('')}</ol>`;
  }
  if ('facts' in block) {
    const rows = block.facts
      .map(
        ([label, value]) =>
          `<tr><td style="padding:4px 16px 4px 0;color:#555555;vertical-align:top;${LABEL_WRAP}">${escapeHtml(label)}</td>` +
          `<td style="padding:4px 0;vertical-align:top;"><strong>${richHtml(value)}</strong></td></tr>`,
      )
      .join('');
    return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="${P}border-collapse:collapse;">${rows}</table>`;
  }
  const { label, url } = block.button;
  return (
    `<p style="margin:24px 0;"><a href="${escapeHtml(url)}" style="display:inline-block;max-width:100%;box-sizing:border-box;padding:12px 24px;background:#0b5cad;` +
    `color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">${escapeHtml(label)}</a></p>` +
    `<p style="${P}font-size:13px;color:#555555;word-break:break-all;">${escapeHtml(url)}</p>`
  );
}

/**
 * Fluid on a phone (docs/product.md#emails emails are read there as often as on a desk): the column is 100% wide
 * up to 600 px, every table is `width="100%"`, nothing has a fixed pixel width, and the text may
 * break inside a long word (a token in a link, a tenant domain), which in a table cell only
 * `overflow-wrap:anywhere` allows (`break-word` is the older clients' spelling). Images, should a
 * template ever have one, stay within the column.
 */
const HEAD_STYLE = 'img{max-width:100%;height:auto;}';
const WRAP = 'overflow-wrap:anywhere;word-wrap:break-word;word-break:break-word;';
const CONTENT = `padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2937;${WRAP}`;

const FOOTER = 'margin:16px 0 0 0;max-width:600px;font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#6b7280;';

/**
 * The text and HTML parts of one message, in the frame of its locale. `support`, the contact the
 * recipient's account shows its users (docs/product.md#emails), closes it as a footer line; none, no line.
 */
export function renderMessage(locale: Locale, message: Message, support?: SupportContact): RenderedEmail {
  const frame = FRAME[locale];
  // A Subject is one header line: no data (old records included) may break it (CR/LF → `Bcc:`).
  const subject = singleLine(message.subject);
  const greeting = frame.greeting(message.greeting);
  const help = supportParts(support);
  const helpText = help.length ? `${frame.help} ${help.map((p) => p.value).join(SUPPORT_SEPARATOR)}\n` : '';
  // A long web address wraps, as in the message (CONTENT), rather than widen a phone's screen.
  const helpHtml = help.length ? `<p style="${FOOTER}${WRAP}">${escapeHtml(frame.help)} ${supportHtml(help)}</p>\n` : '';

  const text = `${[greeting, ...message.blocks.map(blockText), frame.signOff.join('\n')].join('\n\n')}\n\n-- \n${helpText}${frame.footer}\n`;

  const html =
    `<!DOCTYPE html>\n<html lang="${locale}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(subject)}</title>\n` +
    `<style>${HEAD_STYLE}</style>\n</head>\n` +
    `<body style="margin:0;padding:0;background:#f3f4f6;">\n` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="width:100%;background:#f3f4f6;"><tr><td align="center" style="padding:24px 8px;">\n` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="width:100%;max-width:600px;table-layout:fixed;background:#ffffff;border-radius:6px;">` +
    `<tr><td style="${CONTENT}">\n` +
    `<p style="${P}">${escapeHtml(greeting)}</p>\n` +
    message.blocks.map(blockHtml).join('\n') +
    `\n<p style="margin:24px 0 0 0;">${frame.signOff.map(escapeHtml).join('<br>')}</p>\n` +
    `</td></tr></table>\n` +
    helpHtml +
    `<p style="${FOOTER}">${escapeHtml(frame.footer)}</p>\n` +
    `</td></tr></table>\n</body>\n</html>\n`;

  return { subject, text, html };
}

import * as z from 'zod/mini';
import type { CreateEntityItem } from 'electrodb';
import type { OutboxEntity } from '#data/entities.ts';
import { clock } from '#platform/clock.ts';
import { currentCorrelationId } from '#platform/correlation.ts';
import { newId } from '#platform/ids.ts';
import { InvalidEmail, isLocale, parseEmailData, type EmailData, type EmailTemplate } from './registry.ts';
import type { Locale } from './layout.ts';

/** The attributes of the outbox record that makes the notifier send one email (docs/product.md#how-it-is-built-fixed-choices). */
export type OutboxItem = CreateEntityItem<OutboxEntity>;

export interface Recipient {
  email: string;
  locale: Locale;
  name: string;
}

/** A template's data; `recipientName` may be left out, it defaults to the recipient's name. */
export type OutboxEmailData<T extends EmailTemplate> = Omit<EmailData<T>, 'recipientName'> & { recipientName?: string };

/** Outbox records expire 90 days after they are written, sent or not. */
const TTL_SECONDS = 90 * 24 * 60 * 60;

const address = z.email();

/** Where the email belongs: `accountId`, the account whose people receive it (its support contact closes the email). */
export interface OutboxOptions {
  accountId?: string | undefined;
}

/**
 * The outbox record to write in the same transaction as the change that causes the email. The data
 * is validated here, so a bad email fails that transaction instead of the notifier later. With
 * `accountId`, the notifier adds the support contact that account's users see (docs/product.md#emails).
 */
export function outboxEmail<T extends EmailTemplate>(template: T, to: Recipient, data: OutboxEmailData<T>, options: OutboxOptions = {}): OutboxItem {
  if (!address.safeParse(to.email).success) throw new InvalidEmail(`The recipient of email "${template}" is not a valid address.`);
  if (!isLocale(to.locale)) throw new InvalidEmail(`Unknown email locale "${String(to.locale)}".`);
  const parsed = parseEmailData(template, { ...data, recipientName: data.recipientName ?? to.name });
  const correlation = currentCorrelationId();
  return {
    id: newId('outbox'),
    template,
    to: to.email,
    ...(options.accountId ? { accountId: options.accountId } : {}),
    locale: to.locale,
    data: parsed,
    status: 'pending',
    createdAt: clock.nowIso(),
    attempts: 0,
    ttl: clock.nowSeconds() + TTL_SECONDS,
    // The work that caused the email (platform/correlation.ts), for the notifier's log lines.
    ...(correlation ? { correlationId: correlation } : {}),
  };
}

/** A person as an email recipient: the notification address when set, else the login; their locale. */
export function recipientOf(person: { login: string; notificationEmail?: string; locale: Locale; firstName: string; lastName: string }): Recipient {
  return { email: person.notificationEmail ?? person.login, locale: person.locale, name: `${person.firstName} ${person.lastName}` };
}

type Person = Parameters<typeof recipientOf>[0];

/**
 * Who receives an account's invoice and payment emails (docs/product.md#accounts-and-tenancy): its
 * billing contact when it has one (in the account's language), else each of its active admins.
 */
export function billingRecipients(
  account: { billingContact?: { name: string; email: string } | null; settings: { locale: string } } | undefined,
  admins: readonly Person[],
): Recipient[] {
  const contact = account?.billingContact;
  if (contact) return [{ email: contact.email, name: contact.name, locale: isLocale(account.settings.locale) ? account.settings.locale : 'en' }];
  return admins.map(recipientOf);
}

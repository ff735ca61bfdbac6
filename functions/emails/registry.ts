import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { formatters, LOCALES, renderMessage, type Locale, type RenderedEmail, type TemplateDefinition } from './layout.ts';
import type { SupportContact } from '#domain/accounts.ts';
import { activation } from './templates/activation.ts';
import { activationResent } from './templates/activation-resent.ts';
import { invoiceIssued } from './templates/invoice-issued.ts';
import { loginChange } from './templates/login-change.ts';
import { loginChangeTaken } from './templates/login-change-taken.ts';
import { orderCompleted } from './templates/order-completed.ts';
import { orderFailed } from './templates/order-failed.ts';
import { partnerInvitation } from './templates/partner-invitation.ts';
import { passwordChanged } from './templates/password-changed.ts';
import { passwordReset } from './templates/password-reset.ts';
import { accountLocked } from './templates/account-locked.ts';
import { paymentFailed } from './templates/payment-failed.ts';
import { paymentReminder } from './templates/payment-reminder.ts';
import { renewalReminder } from './templates/renewal-reminder.ts';
import { subscriptionSuspended } from './templates/subscription-suspended.ts';
import { serviceAtRisk } from './templates/service-at-risk.ts';
import { subscriptionsCancelled } from './templates/subscriptions-cancelled.ts';
import { webhookDisabled } from './templates/webhook-disabled.ts';

// zod/mini loads no locale: without English, every issue's message would read "Invalid input".
z.config(en());

/**
 * The registry of email templates (docs/product.md#emails). A new email is one file under templates/ (its
 * schema and its three locales) and one line here.
 */
const TEMPLATES = {
  'order-completed': orderCompleted,
  'order-failed': orderFailed,
  activation,
  'activation-resent': activationResent,
  'password-changed': passwordChanged,
  'password-reset': passwordReset,
  'account-locked': accountLocked,
  'login-change': loginChange,
  'login-change-taken': loginChangeTaken,
  'partner-invitation': partnerInvitation,
  'renewal-reminder': renewalReminder,
  'invoice-issued': invoiceIssued,
  'payment-failed': paymentFailed,
  'payment-reminder': paymentReminder,
  'subscription-suspended': subscriptionSuspended,
  'service-at-risk': serviceAtRisk,
  'subscriptions-cancelled': subscriptionsCancelled,
  'webhook-disabled': webhookDisabled,
} as const;

export type EmailTemplate = keyof typeof TEMPLATES;
export const EMAIL_TEMPLATES = Object.keys(TEMPLATES) as readonly EmailTemplate[];

/** The data a template takes, as its writer passes it. */
export type EmailData<T extends EmailTemplate> = z.input<(typeof TEMPLATES)[T]['schema']>;

/** An email that cannot be rendered: unknown template or locale, or data its schema refuses. */
export class InvalidEmail extends Error {
  constructor(
    message: string,
    /** Where the data is wrong (paths and zod messages only: never the values, which may hold tokens). */
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'InvalidEmail';
  }
}

export function isEmailTemplate(name: string): name is EmailTemplate {
  return Object.hasOwn(TEMPLATES, name);
}

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

function definitionOf(template: string): TemplateDefinition {
  if (!isEmailTemplate(template)) throw new InvalidEmail(`Unknown email template "${template}".`);
  // Each entry is typed against its own schema where it is made (shapes.ts `localized` or
  // `linkEmail`); here they are used alike.
  return TEMPLATES[template] as unknown as TemplateDefinition;
}

/** Validates `data` against the template's schema and returns it as the template reads it. */
export function parseEmailData<T extends EmailTemplate>(template: T, data: unknown): z.output<(typeof TEMPLATES)[T]['schema']>;
export function parseEmailData(template: string, data: unknown): unknown {
  const result = definitionOf(template).schema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    throw new InvalidEmail(
      `The data of email "${template}" is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return result.data;
}

/** One email's text and HTML parts; `support`, the recipient account's support contact, closes it (layout.ts). */
export function renderEmail(template: EmailTemplate, locale: Locale, data: unknown, support?: SupportContact): RenderedEmail {
  const definition = definitionOf(template);
  if (!isLocale(locale)) throw new InvalidEmail(`Unknown email locale "${String(locale)}".`);
  const parsed = parseEmailData(template, data);
  return renderMessage(locale, definition.locales[locale](parsed, formatters(locale)), support);
}

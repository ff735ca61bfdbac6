/** The public face of the emails layer: what writers of outbox records and the notifier use. */
export { EMAIL_TEMPLATES, InvalidEmail, isEmailTemplate, isLocale, parseEmailData, renderEmail } from './registry.ts';
export type { EmailData, EmailTemplate } from './registry.ts';
export { LOCALES, escapeHtml } from './layout.ts';
export type { Locale, RenderedEmail } from './layout.ts';
export { billingRecipients, outboxEmail, recipientOf } from './outbox.ts';
export type { OutboxEmailData, OutboxItem, OutboxOptions, Recipient } from './outbox.ts';

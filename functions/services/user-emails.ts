import { outboxEmail, recipientOf, type OutboxItem } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { LOGIN_CHANGE_HOURS, newActivation, newUserLink, type Activation } from '#platform/activation.ts';
import { clock } from '#platform/clock.ts';
import { RESET_SECONDS, type Locale } from '#domain/accounts.ts';

/**
 * The emails of accounts, users and sign-in (docs/product.md#emails), and the links they carry: each built
 * here, once, and written by a service in the same transaction as the change that causes it.
 * Every link is `${PORTAL_URL}/<page>?token=<userId>.<secret>` (platform/activation.ts); only the
 * secret's hash is stored, on the user.
 */
interface Person {
  id: string;
  /** The user's account: its support contact closes the email (docs/product.md#emails). */
  accountId?: string | undefined;
  firstName: string;
  lastName: string;
  login: string;
  notificationEmail?: string;
  locale: Locale;
}

const linkTo = (page: string, link: Activation) => ({
  link: `${env.portalUrl()}/${page}?token=${link.token}`,
  expiresAt: new Date(link.expiresAt * 1000).toISOString(),
});

/** An invitation (or its resend): the activation link that sets the first password, 48 hours. */
export function activationEmail(person: Person, resent: boolean): { activation: Activation; outbox: OutboxItem } {
  const activation = newActivation(person.id);
  const outbox = outboxEmail(resent ? 'activation-resent' : 'activation', recipientOf(person), linkTo('activate', activation), { accountId: person.accountId });
  return { activation, outbox };
}

export function passwordChangedEmail(person: Person): OutboxItem {
  return outboxEmail('password-changed', recipientOf(person), { at: clock.nowIso() }, { accountId: person.accountId });
}

/** A reset link: works once, for an hour (docs/product.md#portal-users). */
export const newResetLink = (userId: string): Activation => newUserLink(userId, RESET_SECONDS / 3600);

/** The reset link a user asked for, or the one the fifth failed login sends with the lock. */
export function resetEmail(template: 'password-reset' | 'account-locked', person: Person, link: Activation): OutboxItem {
  return outboxEmail(template, recipientOf(person), linkTo('reset-password', link), { accountId: person.accountId });
}

/** A login-change link: applies a self-requested login change, 24 hours. */
export const newLoginChangeLink = (userId: string): Activation => newUserLink(userId, LOGIN_CHANGE_HOURS);

/** The link that applies a self-requested login change, to the new address (docs/product.md#portal-users). */
export function loginChangeEmail(person: Person, newLogin: string, link: Activation): OutboxItem {
  return outboxEmail('login-change', { ...recipientOf(person), email: newLogin }, { newLogin, ...linkTo('confirm-login', link) }, { accountId: person.accountId });
}

/**
 * Instead of the link, when the new address is already a login: it goes to that address, whose
 * owner may be someone else, so it greets the address and names nobody (nor the requester's support contact).
 */
export function loginTakenEmail(person: Person, newLogin: string): OutboxItem {
  return outboxEmail('login-change-taken', { email: newLogin, locale: person.locale, name: newLogin }, { newLogin });
}

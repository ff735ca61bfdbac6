import { outboxEmail, recipientOf } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { newActivation, type Activation } from '#platform/activation.ts';
import { clock } from '#platform/clock.ts';
import type { Locale } from '#data/users.ts';

/**
 * The emails of user management (SPEC §3.9): each built here, written by the caller in the same
 * transaction as the change that causes it.
 */
interface Person {
  id: string;
  firstName: string;
  lastName: string;
  login: string;
  notificationEmail?: string;
  locale: Locale;
}

export function activationEmail(person: Person, resent: boolean): { activation: Activation; outbox: Record<string, unknown> } {
  const activation = newActivation(person.id);
  const outbox = outboxEmail(resent ? 'activation-resent' : 'activation', recipientOf(person), {
    link: `${env.portalUrl()}/activate?token=${activation.token}`,
    expiresAt: new Date(activation.expiresAt * 1000).toISOString(),
  });
  return { activation, outbox };
}

export function passwordChangedEmail(person: Person): Record<string, unknown> {
  return outboxEmail('password-changed', recipientOf(person), { at: clock.nowIso() });
}

/** The link that applies a self-requested login change, to the new address (SPEC §3.2). */
export function loginChangeEmail(person: Person, newLogin: string, link: Activation): Record<string, unknown> {
  return outboxEmail('login-change', { ...recipientOf(person), email: newLogin }, {
    newLogin,
    link: `${env.portalUrl()}/confirm-login?token=${link.token}`,
    expiresAt: new Date(link.expiresAt * 1000).toISOString(),
  });
}

/**
 * Instead of the link, when the new address is already a login: it goes to that address, whose
 * owner may be someone else, so it greets the address and names nobody.
 */
export function loginTakenEmail(person: Person, newLogin: string): Record<string, unknown> {
  return outboxEmail('login-change-taken', { email: newLogin, locale: person.locale, name: newLogin }, { newLogin });
}

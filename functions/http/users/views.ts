import type * as z from 'zod/mini';
import type { LoginEvent, User } from '#data/users.ts';
import type { SignedIn } from '#services/sessions.ts';
import type { LoginEventSchema, SessionSchema, UserSchema } from './schemas.ts';

/** The user as the API shows it: never a hash or a link (docs/product.md#portal-users). */
export function userView(u: User): z.output<typeof UserSchema> {
  return {
    id: u.id,
    accountId: u.accountId,
    firstName: u.firstName,
    lastName: u.lastName,
    login: u.login,
    notificationEmail: u.notificationEmail ?? u.login,
    role: u.role,
    status: u.status,
    locale: u.locale,
    phone: u.phone ?? null,
    address: u.address ?? null,
    createdAt: u.createdAt,
    lastLoginAt: u.lastLoginAt ?? null,
    version: u.version,
  };
}

export function loginEventView(e: LoginEvent): z.output<typeof LoginEventSchema> {
  return { at: e.at, outcome: e.outcome, ip: e.ip ?? null, userAgent: e.userAgent ?? null, actor: e.actor ?? null };
}

export function sessionView({ tokens, user }: SignedIn): z.output<typeof SessionSchema> {
  return { ...tokens, user: userView(user) };
}

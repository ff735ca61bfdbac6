import * as z from 'zod';
import { findUserIdByLogin, getUser, updateUser, userView, type User, type UserChanges } from '#data/users.ts';
import { LOGIN_CHANGE_HOURS, newUserLink } from '#platform/activation.ts';
import type { Caller } from '#platform/caller.ts';
import { Forbidden, NotFound } from '#platform/errors.ts';
import type { RouteResult } from '#http/route.ts';
import { Address, Email, Locale, Name } from '../schemas.ts';
import { activationEmail, loginChangeEmail, loginTakenEmail } from './user-emails.ts';

/** The editable profile of a user, shared by PATCH /v1/users/{id} and PATCH /v1/me. */
export const Phone = z.string().trim().regex(/^\+?[0-9 ()./-]{4,30}$/, 'must be a phone number');
export const Role = z.enum(['admin', 'user']);

export const EditUserBody = z
  .object({
    firstName: Name.optional(),
    lastName: Name.optional(),
    login: Email.optional(),
    notificationEmail: Email.nullable().optional(),
    role: Role.optional(),
    locale: Locale.optional(),
    phone: Phone.nullable().optional(),
    address: Address.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');

type EditBody = z.output<typeof EditUserBody>;

/** Applies an edit; `null` clears an optional field. */
export function editPlan(body: Partial<EditBody>) {
  const set: UserChanges = {};
  const remove: Array<keyof User> = [];
  for (const [k, v] of Object.entries(body) as Array<[keyof UserChanges, unknown]>) {
    if (v === null) remove.push(k);
    else if (v !== undefined) (set as Record<string, unknown>)[k] = v;
  }
  return { set, remove };
}

/** The user as it will be after a plan, for the emails the same change sends. */
function after(current: User, plan: { set: Partial<User>; remove: Array<keyof User> }): User {
  const next = { ...current, ...plan.set } as User & Record<string, unknown>;
  for (const k of plan.remove) delete next[k];
  return next;
}

const changesLogin = (current: User, login: string | undefined): login is string =>
  login !== undefined && login.toLowerCase() !== current.login.toLowerCase();

/**
 * An admin edits someone else (SPEC §3.2): answered at once, a taken login is 409 `login_taken`.
 * The login change ends the user's outstanding links (`updateUser`); a user not yet activated gets a
 * fresh invitation at the new address in the same transaction.
 */
export function adminEditPlan(current: User, body: EditBody) {
  const plan = editPlan(body);
  if (!changesLogin(current, body.login) || current.status !== 'not_activated') return plan;
  const { activation, outbox } = activationEmail(after(current, plan), false);
  return { set: { ...plan.set, activationTokenHash: activation.hash, activationExpiresAt: activation.expiresAt }, remove: plan.remove, outbox: [outbox] };
}

/**
 * A user edits itself (PATCH /v1/me, or PATCH /v1/users/{its own id}). Under "log in as" the login
 * and the notification address are the real user's to change (403). A new login is not applied
 * here: the answer is 202 whatever the address, and the new address gets either the link that
 * applies it (`POST /v1/auth/confirm-login`) or, when it is already a login, a notice saying so.
 * Both ways read the login index once and write the user with one email in one transaction; each
 * request replaces the previous pending change, so an earlier link tells nothing either.
 */
export async function editOwnProfile(caller: Caller, body: EditBody): Promise<RouteResult> {
  if (caller.actorUserId && (body.login !== undefined || body.notificationEmail !== undefined)) {
    throw new Forbidden('The login and the notification address cannot be changed while logged in as someone else.');
  }
  const me = await getUser(caller.userId);
  if (!me) throw new NotFound();
  const { login, ...rest } = body;
  if (!changesLogin(me, login)) {
    const user = await updateUser(me.id, () => editPlan(body));
    return { statusCode: 200, body: userView(user) };
  }
  const taken = (await findUserIdByLogin(login)) !== undefined;
  const link = newUserLink(me.id, LOGIN_CHANGE_HOURS);
  const user = await updateUser(me.id, (current) => {
    const plan = editPlan(rest);
    const person = after(current, plan);
    if (taken) {
      return { set: plan.set, remove: [...plan.remove, 'pendingLogin', 'loginChangeTokenHash', 'loginChangeExpiresAt'], outbox: [loginTakenEmail(person, login)] };
    }
    return {
      set: { ...plan.set, pendingLogin: login, loginChangeTokenHash: link.hash, loginChangeExpiresAt: link.expiresAt },
      remove: plan.remove,
      outbox: [loginChangeEmail(person, login, link)],
    };
  });
  return { statusCode: 202, body: userView(user) };
}

import * as z from 'zod';
import { accountScope, getAccount } from '#data/accounts.ts';
import { deleteUser, getUser, insertUsers, listUsers, loginHistory, updateUser, userView, type User } from '#data/users.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, Forbidden, ValidationFailed } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { newId } from '#platform/ids.ts';
import { hashPassword } from '#platform/passwords.ts';
import { authorize, type Permission } from '#platform/scope.ts';
import { AccountId, Address, Email, Locale, Name, Pagination, Password, id, page } from '../schemas.ts';
import { activationEmail, passwordChangedEmail } from './user-emails.ts';
import { adminEditPlan, EditUserBody, editOwnProfile, Phone, Role } from './edit.ts';

/**
 * Portal users of an account (SPEC §3.2, §4.3): admins manage the people of their account (staff
 * admins those of the accounts below too); a customer `user` manages only itself.
 */
const UserId = id('user');
const Status = z.enum(['ready', 'locked', 'not_activated', 'deactivated']);

const NewUser = z
  .object({
    firstName: Name,
    lastName: Name,
    login: Email,
    notificationEmail: Email.optional(),
    role: Role,
    locale: Locale.optional(),
    phone: Phone.optional(),
    address: Address.optional(),
    password: Password.optional(),
  })
  .strict();

const AddUsersBody = z.object({ users: z.array(NewUser).min(1).max(50), sendActivationEmail: z.boolean() }).strict();

const UserParams = z.object({ userId: UserId }).strict();

/** Admins manage; a user may read and edit itself. */
function authorizeUser(caller: Caller, user: User | undefined, permission: Permission, selfAllowed: boolean): User {
  if (selfAllowed && user && user.id === caller.userId) return user;
  return authorize(caller, user, permission);
}

function notSelf(caller: Caller, user: User, action: string): void {
  if (user.id === caller.userId || user.id === caller.actorUserId) {
    throw new BusinessRuleRefused('cannot_act_on_self', `You cannot ${action} yourself.`);
  }
}

const list = httpHandler(
  { params: z.object({ accountId: AccountId }).strict(), query: z.object({ status: Status.optional(), role: Role.optional(), ...Pagination }).strict() },
  async ({ params, query, caller }) => {
    authorize(caller, accountScope(await getAccount(params.accountId)), 'view');
    const result = await listUsers(params.accountId, query);
    return { statusCode: 200, body: page(result, userView) };
  },
);

const add = httpHandler({ params: z.object({ accountId: AccountId }).strict(), body: AddUsersBody }, async ({ params, body, caller }) => {
  const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'manage');
  const seen = new Map<string, number>();
  body.users.forEach((u, i) => {
    const key = u.login.toLowerCase();
    if (seen.has(key)) throw new Conflict('login_taken', `The login ${u.login} appears twice in this request.`, [{ path: `users.${i}.login`, login: u.login }]);
    seen.set(key, i);
    if (body.sendActivationEmail && u.password) {
      throw new ValidationFailed('Give passwords or send activation emails, not both.', [{ in: 'body', path: `users.${i}.password`, code: 'unexpected' }]);
    }
    if (!body.sendActivationEmail && !u.password) {
      throw new ValidationFailed('A password is required when no activation email is sent.', [{ in: 'body', path: `users.${i}.password`, code: 'required' }]);
    }
    if (u.password && u.password.toLowerCase() === u.login.toLowerCase()) {
      throw new ValidationFailed('The password must not be the login.', [{ in: 'body', path: `users.${i}.password`, code: 'equals_login' }]);
    }
  });
  const toCreate = await Promise.all(
    body.users.map(async ({ password, ...u }) => {
      const person = { ...u, id: newId('user'), locale: u.locale ?? account.settings.locale };
      const invitation = body.sendActivationEmail ? activationEmail(person, false) : undefined;
      return {
        user: {
          ...person,
          status: body.sendActivationEmail ? ('not_activated' as const) : ('ready' as const),
          passwordHash: password ? await hashPassword(password) : undefined,
          activationTokenHash: invitation?.activation.hash,
          activationExpiresAt: invitation?.activation.expiresAt,
        },
        outbox: invitation ? [invitation.outbox] : [],
      };
    }),
  );
  const created = await insertUsers(account, toCreate);
  return { statusCode: 201, body: { items: created.map(userView) } };
});

const getOne = httpHandler({ params: UserParams }, async ({ params, caller }) => {
  const user = authorizeUser(caller, await getUser(params.userId), 'view', true);
  return { statusCode: 200, body: userView(user) };
});

const edit = httpHandler({ params: UserParams, body: EditUserBody }, async ({ params, body, caller }) => {
  const target = authorizeUser(caller, await getUser(params.userId), 'manage', true);
  const self = target.id === caller.userId;
  if (self && caller.role !== 'admin' && body.role) throw new Forbidden('You cannot change your own role.');
  // Your own login changes as on PATCH /v1/me (202, confirmed by a link), so this route probes nothing either.
  if (self) return editOwnProfile(caller, body);
  const user = await updateUser(target.id, (current) => adminEditPlan(current, body));
  return { statusCode: 200, body: userView(user) };
});

const remove = httpHandler({ params: UserParams }, async ({ params, caller }) => {
  const user = authorize(caller, await getUser(params.userId), 'manage');
  notSelf(caller, user, 'delete');
  await deleteUser(user);
  return { statusCode: 204, audit: { accountId: user.accountId, resourceType: 'user', resourceId: user.id } };
});

const setPassword = httpHandler({ params: UserParams, body: z.object({ password: Password }).strict() }, async ({ params, body, caller }) => {
  const target = authorize(caller, await getUser(params.userId), 'manage');
  if (caller.actorUserId) throw new Forbidden('Passwords cannot be changed while logged in as someone else.');
  if (target.id === caller.userId) throw new BusinessRuleRefused('cannot_act_on_self', 'Change your own password at /v1/me/password, with the current one.');
  if (body.password.toLowerCase() === target.login.toLowerCase()) {
    throw new ValidationFailed('The password must not be the login.', [{ in: 'body', path: 'password', code: 'equals_login' }]);
  }
  const passwordHash = await hashPassword(body.password);
  const user = await updateUser(target.id, (current) => ({
    set: {
      passwordHash,
      tokensValidAfter: clock.now().getTime(),
      // An admin-set password replaces a pending invitation.
      ...(current.status === 'not_activated' ? { status: 'ready' as const } : {}),
    },
    remove: current.status === 'not_activated' ? ['activationTokenHash', 'activationExpiresAt'] : [],
    outbox: [passwordChangedEmail(current)],
  }));
  return { statusCode: 200, body: userView(user) };
});

const resendActivation = httpHandler({ params: UserParams }, async ({ params, caller }) => {
  const target = authorize(caller, await getUser(params.userId), 'manage');
  const user = await updateUser(target.id, (current) => {
    if (current.status !== 'not_activated') throw new Conflict('invalid_state', `The user is ${current.status}; only a not activated user gets an activation email.`);
    const { activation, outbox } = activationEmail(current, true);
    return { set: { activationTokenHash: activation.hash, activationExpiresAt: activation.expiresAt }, outbox: [outbox] };
  });
  return { statusCode: 202, body: userView(user) };
});

const activateUser = httpHandler({ params: UserParams }, async ({ params, caller }) => {
  const target = authorize(caller, await getUser(params.userId), 'manage');
  notSelf(caller, target, 'activate');
  const user = await updateUser(target.id, (current) => {
    if (current.status === 'ready') throw new Conflict('invalid_state', 'The user is already ready.');
    return { set: { status: 'ready', failedLogins: 0 } };
  });
  return { statusCode: 200, body: userView(user) };
});

const deactivate = httpHandler({ params: UserParams }, async ({ params, caller }) => {
  const target = authorize(caller, await getUser(params.userId), 'manage');
  notSelf(caller, target, 'deactivate');
  const user = await updateUser(target.id, (current) => {
    if (current.status === 'deactivated') throw new Conflict('invalid_state', 'The user is already deactivated.');
    // Every session issued so far ends for good, refresh tokens included, even after a later re-activation.
    return { set: { status: 'deactivated', tokensValidAfter: clock.now().getTime() } };
  });
  return { statusCode: 200, body: userView(user) };
});

const history = httpHandler({ params: UserParams, query: z.object(Pagination).strict() }, async ({ params, query, caller }) => {
  const user = authorizeUser(caller, await getUser(params.userId), 'manage', true);
  const result = await loginHistory(user.id, query.limit, query.cursor);
  return {
    statusCode: 200,
    body: page(result, (e) => ({ at: e.at, outcome: e.outcome, ip: e.ip ?? null, userAgent: e.userAgent ?? null, actor: e.actor ?? null })),
  };
});

export const handler = routeGroup({
  'GET /v1/accounts/{accountId}/users': list,
  'POST /v1/accounts/{accountId}/users': add,
  'GET /v1/users/{userId}': getOne,
  'PATCH /v1/users/{userId}': edit,
  'DELETE /v1/users/{userId}': remove,
  'POST /v1/users/{userId}/password': setPassword,
  'POST /v1/users/{userId}/activation-email': resendActivation,
  'POST /v1/users/{userId}/activate': activateUser,
  'POST /v1/users/{userId}/deactivate': deactivate,
  'GET /v1/users/{userId}/login-history': history,
});

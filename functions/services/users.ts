import * as accountRepo from '#data/accounts.ts';
import * as userRepo from '#data/users.ts';
import type { Page } from '#data/tx.ts';
import type { NewUser, RemovableUserField, User, UserChange, UserFields } from '#data/users.ts';
import type { Caller } from '#platform/caller.ts';
import { clock as realClock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, Forbidden, NotFound, ValidationFailed } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { hashPassword } from '#platform/passwords.ts';
import { authorize, type Permission } from '#platform/scope.ts';
import { applyPlan, changesLogin, editPlan, passwordIsLogin, type Locale, type Role, type UserStatus } from '#domain/accounts.ts';
import { activationEmail, loginChangeEmail, loginTakenEmail, newLoginChangeLink, passwordChangedEmail } from './user-emails.ts';

/**
 * Portal users (docs/product.md#portal-users, docs/product.md#accounts-and-users): admins manage the people of their account (staff admins those of
 * the accounts below too); a user reads and edits itself. Every change is one conditional write of
 * the users repository, with the email it sends in the same transaction.
 */
export interface UserDeps {
  users: Pick<typeof userRepo, 'getUser' | 'findUserIdByLogin' | 'insertUsers' | 'updateUser' | 'deleteUser' | 'listUsers' | 'loginHistory'>;
  accounts: Pick<typeof accountRepo, 'getAccount' | 'accountScope'>;
  hashPassword: (password: string) => Promise<string>;
  clock: { now(): Date };
}

type Address = NonNullable<User['address']>;

/** A profile edit as the request gives it: `null` clears an optional field. */
export interface ProfileEdit {
  firstName?: string;
  lastName?: string;
  login?: string;
  notificationEmail?: string | null;
  role?: Role;
  locale?: Locale;
  phone?: string | null;
  address?: Address | null;
}

export interface NewUserInput {
  firstName: string;
  lastName: string;
  login: string;
  notificationEmail?: string;
  role: Role;
  locale?: Locale;
  phone?: string;
  address?: Address;
  password?: string;
}

/** An edit's answer: `pending` when a new login waits for its link (202). */
export interface EditOutcome {
  user: User;
  pending: boolean;
}

/** docs/product.md#portal-users: a password is never the login. `path` names the field in the request. */
export function refusePasswordAsLogin(password: string, login: string, path: string): void {
  if (passwordIsLogin(password, login)) throw new ValidationFailed('The password must not be the login.', [{ in: 'body', path, code: 'equals_login' }]);
}

/**
 * A password given or sent for, never both (docs/product.md#portal-users): the first secret of a new user is either
 * the password an admin sets or the activation link the invitation carries.
 */
export function refuseSecretMismatch(sendActivationEmail: boolean, person: { login: string; password?: string | undefined }, path: string): void {
  if (sendActivationEmail && person.password) {
    throw new ValidationFailed('Give a password or send the activation email, not both.', [{ in: 'body', path, code: 'unexpected' }]);
  }
  if (!sendActivationEmail && !person.password) {
    throw new ValidationFailed('A password is required when no activation email is sent.', [{ in: 'body', path, code: 'required' }]);
  }
  if (person.password) refusePasswordAsLogin(person.password, person.login, path);
}

/**
 * A new user with its first secret: ready with the password's hash, or not activated with a fresh
 * invitation (its link's hash on the user, its email to write with it).
 */
export async function newUserWithSecret(
  person: Omit<NewUser, 'status' | 'passwordHash' | 'activationTokenHash' | 'activationExpiresAt'> & { id: string; accountId?: string },
  password: string | undefined,
  hash: (password: string) => Promise<string>,
): Promise<{ user: NewUser & { id: string }; outbox: ReturnType<typeof activationEmail>['outbox'][] }> {
  if (password) return { user: { ...person, status: 'ready', passwordHash: await hash(password) }, outbox: [] };
  const { activation, outbox } = activationEmail(person, false);
  return { user: { ...person, status: 'not_activated', activationTokenHash: activation.hash, activationExpiresAt: activation.expiresAt }, outbox: [outbox] };
}

/** A new password: earlier tokens stop working, and the user is told by email. */
export function passwordChange(current: User, passwordHash: string, nowMs: number): { set: UserFields; outbox: UserChange['outbox'] } {
  return { set: { passwordHash, tokensValidAfter: nowMs }, outbox: [passwordChangedEmail(current)] };
}

/** A user cannot delete, activate or deactivate itself, nor the real person behind a "log in as". */
function refuseSelf(caller: Caller, user: User, action: string): void {
  if (user.id === caller.userId || user.id === caller.actorUserId) {
    throw new BusinessRuleRefused('cannot_act_on_self', `You cannot ${action} yourself.`);
  }
}

const PENDING_LOGIN: RemovableUserField[] = ['pendingLogin', 'loginChangeTokenHash', 'loginChangeExpiresAt'];

export function makeUserService(deps: UserDeps) {
  const { users, accounts } = deps;

  /** Admins act on the users in scope; a user may read and edit itself. */
  async function load(caller: Caller, userId: string, permission: Permission, selfAllowed: boolean): Promise<User> {
    const user = await users.getUser(userId);
    if (selfAllowed && user && user.id === caller.userId) return user;
    return authorize(caller, user, permission);
  }

  async function loadAccount(caller: Caller, accountId: string, permission: Permission) {
    return authorize(caller, accounts.accountScope(await accounts.getAccount(accountId)), permission);
  }

  /**
   * A user edits itself (PATCH /v1/me, or PATCH /v1/users/{its own id}). Under "log in as" the
   * login and the notification address are the real user's to change (403). A new login is not
   * applied here: the answer is pending whatever the address, and the new address gets either the
   * link that applies it (`POST /v1/auth/confirm-login`) or, when it is already a login, a notice
   * saying so. Both ways read the login index once and write the user with one email in one
   * transaction; each request replaces the previous pending change, so an earlier link tells
   * nothing either.
   */
  async function editOwn(caller: Caller, body: ProfileEdit, ifMatch?: number): Promise<EditOutcome> {
    if (caller.actorUserId && (body.login !== undefined || body.notificationEmail !== undefined)) {
      throw new Forbidden('The login and the notification address cannot be changed while logged in as someone else.');
    }
    const me = await users.getUser(caller.userId);
    if (!me) throw new NotFound();
    const { login, ...rest } = body;
    if (!changesLogin(me, login)) {
      return { user: await users.updateUser(me.id, () => editPlan(body), { ifMatch }), pending: false };
    }
    const taken = (await users.findUserIdByLogin(login)) !== undefined;
    const link = newLoginChangeLink(me.id);
    const user = await users.updateUser(
      me.id,
      (current) => {
        const plan = editPlan(rest);
        const person = applyPlan(current, plan);
        if (taken) return { set: plan.set, remove: [...plan.remove, ...PENDING_LOGIN], outbox: [loginTakenEmail(person, login)] };
        return {
          set: { ...plan.set, pendingLogin: login, loginChangeTokenHash: link.hash, loginChangeExpiresAt: link.expiresAt },
          remove: plan.remove,
          outbox: [loginChangeEmail(person, login, link)],
        };
      },
      { ifMatch },
    );
    return { user, pending: true };
  }

  return {
    async list(caller: Caller, accountId: string, filters: { status?: UserStatus; role?: Role; q?: string; limit: number; cursor?: string }): Promise<Page<User>> {
      await loadAccount(caller, accountId, 'view');
      return users.listUsers(accountId, filters);
    },

    /**
     * Adds up to 50 people to an account at once (docs/product.md#portal-users), all or nothing: each with a password
     * or an invitation, a login used twice in the request or already taken is 409 `login_taken`.
     */
    async add(caller: Caller, accountId: string, input: { users: NewUserInput[]; sendActivationEmail: boolean }): Promise<User[]> {
      const account = await loadAccount(caller, accountId, 'manage');
      const seen = new Set<string>();
      input.users.forEach((u, i) => {
        const key = u.login.toLowerCase();
        if (seen.has(key)) throw new Conflict('login_taken', `The login ${u.login} appears twice in this request.`, [{ path: `users.${i}.login`, login: u.login }]);
        seen.add(key);
        refuseSecretMismatch(input.sendActivationEmail, u, `users.${i}.password`);
      });
      const toCreate = await Promise.all(
        input.users.map(({ password, ...u }) =>
          newUserWithSecret({ ...u, id: newId('user'), accountId: account.id, locale: u.locale ?? account.settings.locale }, input.sendActivationEmail ? undefined : password, deps.hashPassword),
        ),
      );
      return users.insertUsers(account, toCreate);
    },

    read: (caller: Caller, userId: string): Promise<User> => load(caller, userId, 'view', true),

    /**
     * An admin edits someone else (docs/product.md#portal-users): applied at once, a taken login is 409 `login_taken`.
     * The login change ends the user's outstanding links (the repository); a user not yet activated
     * gets a fresh invitation at the new address in the same transaction. Editing oneself here is
     * editing one's own profile (a new login waits for its link, so this route probes nothing either).
     */
    async edit(caller: Caller, userId: string, body: ProfileEdit, ifMatch?: number): Promise<EditOutcome> {
      const target = await load(caller, userId, 'manage', true);
      if (target.id === caller.userId) {
        if (caller.role !== 'admin' && body.role) throw new Forbidden('You cannot change your own role.');
        return editOwn(caller, body, ifMatch);
      }
      const user = await users.updateUser(
        target.id,
        (current): UserChange => {
          const plan = editPlan(body);
          if (!changesLogin(current, body.login) || current.status !== 'not_activated') return plan;
          const { activation, outbox } = activationEmail(applyPlan(current, plan), false);
          return { set: { ...plan.set, activationTokenHash: activation.hash, activationExpiresAt: activation.expiresAt }, remove: plan.remove, outbox: [outbox] };
        },
        { ifMatch },
      );
      return { user, pending: false };
    },

    editOwn,

    /** Deletes a user and frees its login and licenses; answers the user it was. */
    async remove(caller: Caller, userId: string): Promise<User> {
      const user = await load(caller, userId, 'manage', false);
      refuseSelf(caller, user, 'delete');
      await users.deleteUser(user);
      return user;
    },

    /** An admin sets someone's password: it ends their sessions, and replaces a pending invitation. */
    async setPassword(caller: Caller, userId: string, password: string): Promise<User> {
      const target = await load(caller, userId, 'manage', false);
      if (caller.actorUserId) throw new Forbidden('Passwords cannot be changed while logged in as someone else.');
      if (target.id === caller.userId) throw new BusinessRuleRefused('cannot_act_on_self', 'Change your own password at /v1/me/password, with the current one.');
      refusePasswordAsLogin(password, target.login, 'password');
      const passwordHash = await deps.hashPassword(password);
      return users.updateUser(target.id, (current) => {
        const change = passwordChange(current, passwordHash, deps.clock.now().getTime());
        if (current.status !== 'not_activated') return change;
        return { ...change, set: { ...change.set, status: 'ready' }, remove: ['activationTokenHash', 'activationExpiresAt'] };
      });
    },

    async resendActivation(caller: Caller, userId: string): Promise<User> {
      const target = await load(caller, userId, 'manage', false);
      return users.updateUser(target.id, (current) => {
        if (current.status !== 'not_activated') throw new Conflict('invalid_state', `The user is ${current.status}; only a not activated user gets an activation email.`);
        const { activation, outbox } = activationEmail(current, true);
        return { set: { activationTokenHash: activation.hash, activationExpiresAt: activation.expiresAt }, outbox: [outbox] };
      });
    },

    async activate(caller: Caller, userId: string): Promise<User> {
      const target = await load(caller, userId, 'manage', false);
      refuseSelf(caller, target, 'activate');
      return users.updateUser(target.id, (current) => {
        if (current.status === 'ready') throw new Conflict('invalid_state', 'The user is already ready.');
        return { set: { status: 'ready', failedLogins: 0 } };
      });
    },

    async deactivate(caller: Caller, userId: string): Promise<User> {
      const target = await load(caller, userId, 'manage', false);
      refuseSelf(caller, target, 'deactivate');
      return users.updateUser(target.id, (current) => {
        if (current.status === 'deactivated') throw new Conflict('invalid_state', 'The user is already deactivated.');
        // Every session issued so far ends for good, refresh tokens included, even after a later re-activation.
        return { set: { status: 'deactivated', tokensValidAfter: deps.clock.now().getTime() } };
      });
    },

    async loginHistory(caller: Caller, userId: string, page: { limit: number; cursor?: string }) {
      const user = await load(caller, userId, 'manage', true);
      return users.loginHistory(user.id, page.limit, page.cursor);
    },
  };
}

export type UserService = ReturnType<typeof makeUserService>;

export const userService = makeUserService({ users: userRepo, accounts: accountRepo, hashPassword: (p) => hashPassword(p), clock: realClock });

import { randomUUID } from 'node:crypto';
import type { EntityItem } from 'electrodb';
import { db, type LoginEventEntity, type UserEntity } from './entities.ts';
import { ensureCommittedNamed, retryOnConflict, RETRY, withCursor, type Page } from './tx.ts';
import { userCreatedItems } from './events.ts';
import type { OutboxItem } from '#emails/outbox.ts';
import { Conflict, NotFound, PreconditionFailed, TransientError } from '#platform/errors.ts';
import { clock } from '#platform/clock.ts';
import { newId } from '#platform/ids.ts';
import { LINKS_ENDED_BY_LOGIN_CHANGE, type AccountType, type Role, type UserStatus } from '#domain/accounts.ts';
import { userQueryWords, userSearchText } from '#domain/user-search.ts';

/**
 * The users repository (docs/product.md#portal-users): every key, condition and transaction of a portal user, its
 * unique login (the loginName item) and its login events. What a change means is decided by the
 * services (functions/services/users.ts, sessions.ts); this module writes it.
 */
export type User = EntityItem<UserEntity>;
export type LoginEvent = EntityItem<LoginEventEntity>;
export type { Locale, UserStatus } from '#domain/accounts.ts';

/** The attributes a change may remove (the optional ones). */
export type RemovableUserField =
  | 'notificationEmail'
  | 'phone'
  | 'address'
  | 'passwordHash'
  | 'activationTokenHash'
  | 'activationExpiresAt'
  | 'resetTokenHash'
  | 'resetExpiresAt'
  | 'pendingLogin'
  | 'loginChangeTokenHash'
  | 'loginChangeExpiresAt'
  | 'lastLoginAt';

/** What a change may set: everything but the keys, the account the user belongs to and the version. */
export type UserFields = Partial<Omit<User, 'id' | 'accountId' | 'accountType' | 'accountPath' | 'createdAt' | 'version'>>;

/** A change of a user, decided by a service: what to set, what to remove, the emails it sends. */
export interface UserChange {
  set?: UserFields;
  remove?: RemovableUserField[];
  outbox?: OutboxItem[];
}

/** A user to create: who, with which role and status, and the first secret (a password or an activation link). */
export type NewUser = Pick<User, 'firstName' | 'lastName' | 'login' | 'role' | 'status' | 'locale'> &
  Partial<Pick<User, 'notificationEmail' | 'phone' | 'address' | 'passwordHash' | 'activationTokenHash' | 'activationExpiresAt'>>;

/** The item of a new user (written with its loginName item in the caller's transaction). */
export function userItem(u: NewUser & { id?: string; accountId: string; accountType: AccountType; accountPath: string[] }): User {
  return {
    ...u,
    id: u.id ?? newId('user'),
    searchText: userSearchText(u),
    failedLogins: 0,
    tokensValidAfter: 0,
    createdAt: clock.nowIso(),
    version: 1,
  };
}

export async function getUser(id: string): Promise<User | undefined> {
  const found = await db().entities.user.get({ id }).go();
  return found.data ?? undefined;
}

/** The user as it is now (a consistent read), for the login lease holder and conditional writes. */
export async function getUserConsistent(id: string): Promise<User | undefined> {
  const found = await db().entities.user.get({ id }).go({ consistent: true });
  return found.data ?? undefined;
}

/**
 * "First Last" of each of some users, in one BatchGetItem of two attributes (up to 100 ids; more
 * are read 100 at a time): who acted, as an answer names them. A user not found (deleted) is
 * absent from the map.
 */
export async function userNames(ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let keys = [...new Set(ids)].map((id) => ({ id }));
  // BatchGetItem may leave keys unprocessed under load: asked again, a few times; names are a
  // courtesy, so what is still left reads as unknown rather than failing the answer.
  for (let attempt = 0; keys.length && attempt < 3; attempt++) {
    const found = await db().entities.user.get(keys).go({ attributes: ['id', 'firstName', 'lastName'] });
    for (const u of found.data) names.set(u.id, `${u.firstName} ${u.lastName}`);
    keys = found.unprocessed.map((k) => ({ id: k.id }));
  }
  return names;
}

export async function findUserIdByLogin(login: string): Promise<string | undefined> {
  const found = await db().entities.loginName.get({ login: login.toLowerCase() }).go();
  return found.data?.userId;
}

/** Login events are kept 400 days (docs/product.md#portal-users). */
const LOGIN_EVENT_TTL_SECONDS = 400 * 24 * 3600;

export type LoginEventInput = Pick<LoginEvent, 'outcome'> & Partial<Pick<LoginEvent, 'ip' | 'userAgent' | 'actor'>>;

/** The item of a login event, written alone or in the transaction of the sign-in it records. */
export function loginEventItem(userId: string, event: LoginEventInput): LoginEvent {
  return { userId, at: clock.nowIso(), seq: randomUUID().slice(0, 8), ...event, ttl: clock.nowSeconds() + LOGIN_EVENT_TTL_SECONDS };
}

export async function recordLoginEvent(userId: string, event: LoginEventInput): Promise<void> {
  await db().entities.loginEvent.create(loginEventItem(userId, event)).go();
}

/** The admins of an account who can receive mail (ready ones), for notifications. */
export async function listActiveAdmins(accountId: string): Promise<User[]> {
  const result = await db()
    .entities.user.query.byAccount({ accountId })
    .where((a, op) => `${op.eq(a.role, 'admin')} AND ${op.eq(a.status, 'ready')}`)
    .go({ pages: 'all' });
  return result.data;
}

/** A user to create, with the emails its creation sends (written in the same transaction). */
export interface UserToCreate {
  user: NewUser & { id: string };
  outbox: OutboxItem[];
}

const TX_LIMIT = 100;

/**
 * Creates users in an account, all or nothing: every login is held unique by its loginName item
 * in the same transaction as the user. When the users and their emails exceed one transaction's
 * 100 items (a large bulk add with activation emails), the users go first and the emails right
 * after; should the second write fail, the users are removed again.
 */
export async function insertUsers(account: { id: string; type: AccountType; accountPath: string[] }, toCreate: UserToCreate[]): Promise<User[]> {
  const items = toCreate.map((c) => ({
    item: userItem({ ...c.user, accountId: account.id, accountType: account.type, accountPath: account.accountPath }),
    outbox: c.outbox,
  }));
  const emails = items.flatMap((i) => i.outbox);
  // Each user's `user.created` (docs/api.md#events), written with the users when all fits in one
  // transaction, else with the emails after them (undone with the users if that fails).
  const events = items.flatMap(({ item }) => userCreatedItems(item));
  const together = items.length * 2 + emails.length + events.length <= TX_LIMIT;
  // Each user writes its item and its login, in that order: item 2i+1 is the login of user i.
  const names = [...items.flatMap((_, i) => [`user:${i}`, `login:${i}`] as const), ...(together ? [...emails.map(() => 'email' as const), ...events.map(() => 'event' as const)] : [])];
  const result = await db()
    .transaction.write(({ user, loginName, outbox, event }) => [
      ...items.flatMap(({ item }) => [user.create(item).commit(), loginName.create({ login: item.login.toLowerCase(), userId: item.id }).commit()]),
      ...(together ? [...emails.map((o) => outbox.create(o).commit()), ...events.map((e) => event.put(e).commit())] : []),
    ])
    .go();
  ensureCommittedNamed(result, names, (name) => {
    const [kind, at] = name.split(':');
    const i = Number(at);
    const login = items[i]?.item.login;
    if (kind === 'login' && login) return new Conflict('login_taken', `The login ${login} is already used.`, [{ path: `users.${i}.login`, login }]);
    return new TransientError('The users could not be created; try again.');
  });
  if (!together && emails.length) {
    try {
      const sent = await db().transaction.write(({ outbox }) => emails.map((o) => outbox.create(o).commit())).go();
      ensureCommittedNamed(sent, emails.map(() => 'email'), () => new TransientError('Could not queue the activation emails.'));
    } catch (err) {
      await db()
        .transaction.write(({ user, loginName }) =>
          items.flatMap(({ item }) => [user.delete({ id: item.id }).commit(), loginName.delete({ login: item.login.toLowerCase() }).commit()]),
        )
        .go();
      throw err;
    }
  }
  if (!together) {
    // Too many for the users' own transaction: once the users stand, their events follow, in
    // transactions of at most TX_LIMIT puts, each retried (a put of the same id writes it once).
    for (let at = 0; at < events.length; at += TX_LIMIT) {
      const chunk = events.slice(at, at + TX_LIMIT);
      await retryOnConflict(async () => {
        const sent = await db()
          .transaction.write(({ event }) => chunk.map((e) => event.put(e).commit()))
          .go();
        return sent.canceled ? RETRY : true;
      });
    }
  }
  return items.map(({ item }) => item);
}

export interface UserFilters {
  status?: UserStatus;
  role?: Role;
  /** Words each found in the first name, last name or login, without case or accents (domain/user-search.ts). */
  q?: string;
  limit: number;
  cursor?: string;
}

/**
 * An account's users (gsi1) with the filters as a filter expression. `q` matches every word in the
 * stored `searchText`; a user written before it existed is matched on `q` as typed in its names or
 * login. With `q`, pages are filled (`count`): a type-ahead wants its matches, not empty pages.
 */
export async function listUsers(accountId: string, f: UserFilters): Promise<Page<User>> {
  const words = userQueryWords(f.q);
  const query = db()
    .entities.user.query.byAccount({ accountId })
    .where((a, op) =>
      [
        f.status ? op.eq(a.status, f.status) : '',
        f.role ? op.eq(a.role, f.role) : '',
        words.length
          ? `((${words.map((w) => op.contains(a.searchText, w)).join(' AND ')}) OR (${op.notExists(a.searchText)} AND (${op.contains(a.firstName, f.q!)} OR ${op.contains(a.lastName, f.q!)} OR ${op.contains(a.login, f.q!)})))`
          : '',
      ]
        .filter(Boolean)
        .join(' AND '),
    );
  const page = await withCursor(f.cursor, (cursor) => query.go({ cursor, ...(words.length ? { count: f.limit } : { limit: f.limit, pages: 1 }) }));
  return { items: page.data, nextCursor: page.cursor ?? null };
}

/** The links a login change ends (domain/accounts.ts): removed in the write that moves the login. */
export const LINK_ATTRIBUTES = LINKS_ENDED_BY_LOGIN_CHANGE satisfies ReadonlyArray<RemovableUserField>;

/** The user as a change leaves it. */
function changed(current: User, set: UserFields, remove: readonly RemovableUserField[]): User {
  const next: User = { ...current, ...set, version: current.version + 1 };
  for (const k of remove) delete next[k];
  return next;
}

/**
 * Edits a user under optimistic locking (two edits never lose one another: the second to arrive
 * re-reads and decides again on top, after a jittered pause). `change` sees the user as it is and
 * answers what to write (or undefined: nothing to write; or throws to refuse). `ifMatch`, the
 * version the client read (If-Match), refuses with 412 when the user has moved on. A login change
 * moves the unique loginName item in the same transaction and removes every outstanding link
 * (`LINK_ATTRIBUTES`); a login taken meanwhile is 409 `login_taken`.
 */
export async function updateUser(userId: string, change: (current: User) => UserChange | undefined, opts: { ifMatch?: number } = {}): Promise<User> {
  return retryOnConflict(
    async () => {
      const current = await getUserConsistent(userId);
      if (!current) throw new NotFound();
      if (opts.ifMatch !== undefined && opts.ifMatch !== current.version) throw new PreconditionFailed(current.version);
      const plan = change(current);
      if (!plan) return current;
      const set = { ...plan.set };
      // The search text follows the names and the login (domain/user-search.ts).
      if (set.firstName !== undefined || set.lastName !== undefined || set.login !== undefined) set.searchText = userSearchText({ ...current, ...set });
      const newLogin = set.login && set.login.toLowerCase() !== current.login.toLowerCase() ? set.login : undefined;
      const remove = [...new Set<RemovableUserField>([...(plan.remove ?? []), ...(newLogin ? LINK_ATTRIBUTES : [])])].filter((k) => !(k in set));
      const outbox = plan.outbox ?? [];
      const names = ['user', ...(newLogin ? (['newLogin', 'oldLogin'] as const) : []), ...outbox.map(() => 'email' as const)];
      const result = await db()
        .transaction.write(({ user, loginName, outbox: outboxes }) => [
          user
            .patch({ id: userId })
            .set({ ...set, version: current.version + 1 })
            .remove(remove)
            .where((a, op) => op.eq(a.version, current.version))
            .commit(),
          ...(newLogin
            ? [loginName.create({ login: newLogin.toLowerCase(), userId }).commit(), loginName.delete({ login: current.login.toLowerCase() }).commit()]
            : []),
          ...outbox.map((o) => outboxes.create(o).commit()),
        ])
        .go();
      if (!result.canceled) return changed(current, set, remove);
      const refused = result.data.findIndex((d) => d.rejected && d.code === 'ConditionalCheckFailed');
      // The user moved on between the read and the write: read again and decide again.
      if (names[refused] === 'user' || result.data.some((d) => d.code === 'TransactionConflict')) return RETRY;
      ensureCommittedNamed(result, names, (name) =>
        name === 'newLogin' ? new Conflict('login_taken', `The login ${newLogin} is already used.`, [{ path: 'login' }]) : new TransientError('User update failed'),
      );
      return RETRY;
    },
    { tries: 12, exhausted: () => new TransientError(`The user ${userId} kept changing; try again.`) },
  );
}

/**
 * Deletes a user, frees its login and the licenses assigned to it (docs/product.md#portal-users), in one
 * transaction: each assignment goes with one off its subscription's count.
 */
export async function deleteUser(user: User): Promise<void> {
  const assigned = await db().entities.assignment.query.byUser({ userId: user.id }).go({ pages: 'all' });
  const result = await db()
    .transaction.write(({ user: users, loginName, assignment, subscription }) => [
      users.delete({ id: user.id }).commit(),
      loginName.delete({ login: user.login.toLowerCase() }).commit(),
      ...assigned.data.flatMap((a) => [
        assignment.delete({ subscriptionId: a.subscriptionId, userId: a.userId }).where((x, op) => op.exists(x.assignedAt)).commit(),
        subscription.patch({ id: a.subscriptionId }).subtract({ assignedCount: 1 }).commit(),
      ]),
    ])
    .go();
  const names = ['user', 'login', ...assigned.data.flatMap(() => ['assignment', 'seatCount'] as const)];
  ensureCommittedNamed(result, names, () => new TransientError('The user changed meanwhile; try again.'));
}

export async function loginHistory(userId: string, limit: number, cursor?: string): Promise<Page<LoginEvent>> {
  const page = await withCursor(cursor, (cursor) => db().entities.loginEvent.query.byUser({ userId }).go({ cursor, limit, pages: 1, order: 'desc' }));
  return { items: page.data, nextCursor: page.cursor ?? null };
}

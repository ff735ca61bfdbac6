import { db } from './entities.ts';
import { backOff, ensureCommitted, withCursor, type Page } from './tx.ts';
import { Conflict, NotFound, TransientError } from '#platform/errors.ts';
import { clock } from '#platform/clock.ts';
import { newId } from '#platform/ids.ts';
import { randomUUID } from 'node:crypto';
import type { AccountType, Role } from '#platform/caller.ts';

export type UserStatus = 'ready' | 'locked' | 'not_activated' | 'deactivated';
export type Locale = 'en' | 'es' | 'de';

export interface User {
  id: string;
  accountId: string;
  accountType: AccountType;
  accountPath: string[];
  firstName: string;
  lastName: string;
  login: string;
  notificationEmail?: string;
  role: Role;
  status: UserStatus;
  locale: Locale;
  phone?: string;
  address?: unknown;
  passwordHash?: string;
  activationTokenHash?: string;
  activationExpiresAt?: number;
  /** The pending password-reset link: hash of its secret, expiry in epoch seconds. */
  resetTokenHash?: string;
  resetExpiresAt?: number;
  /** A self-requested login change waiting for its link: the new login, the link's hash, its expiry in epoch seconds. */
  pendingLogin?: string;
  loginChangeTokenHash?: string;
  loginChangeExpiresAt?: number;
  failedLogins: number;
  tokensValidAfter: number;
  createdAt: string;
  lastLoginAt?: string;
}

export interface NewUser {
  firstName: string;
  lastName: string;
  login: string;
  notificationEmail?: string;
  role: Role;
  status: UserStatus;
  locale: Locale;
  phone?: string;
  address?: unknown;
  passwordHash?: string;
  activationTokenHash?: string;
  activationExpiresAt?: number;
}

/** The item of a new user (the caller writes it in its own transaction with the login name). */
export function userItem(u: NewUser & { id?: string; accountId: string; accountType: AccountType; accountPath: string[] }) {
  return {
    ...u,
    id: u.id ?? newId('user'),
    failedLogins: 0,
    tokensValidAfter: 0,
    createdAt: clock.nowIso(),
    version: 1,
  };
}

/** The user as the API shows it: never a hash (SPEC §3.2). */
export function userView(u: User) {
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
  };
}

export async function getUser(id: string): Promise<User | undefined> {
  const found = await db().entities.user.get({ id }).go();
  return (found.data as User | null) ?? undefined;
}

export async function findUserIdByLogin(login: string): Promise<string | undefined> {
  const found = await db().entities.loginName.get({ login: login.toLowerCase() }).go();
  return found.data?.userId;
}

export const MAX_FAILED_LOGINS = 5;

export async function recordLoginEvent(
  userId: string,
  event: { outcome: 'success' | 'failure'; ip?: string; userAgent?: string; actor?: string },
): Promise<void> {
  const at = clock.nowIso();
  await db()
    .entities.loginEvent.create({
      userId,
      at,
      seq: randomUUID().slice(0, 8),
      ...event,
      ttl: clock.nowSeconds() + 400 * 24 * 3600,
    })
    .go();
}

/** The admins of an account who can receive mail (ready ones), for notifications. */
export async function listActiveAdmins(accountId: string): Promise<User[]> {
  const result = await db()
    .entities.user.query.byAccount({ accountId })
    .where((a, op) => `${op.eq(a.role, 'admin')} AND ${op.eq(a.status, 'ready')}`)
    .go({ pages: 'all' });
  return result.data as User[];
}

/** A user to create, with the emails its creation sends (written in the same transaction). */
export interface UserToCreate {
  user: NewUser & { id: string };
  outbox: Record<string, unknown>[];
}

const TX_LIMIT = 100;

/**
 * Creates users in an account, all or nothing: every login is held unique by its loginName item
 * in the same transaction as the user. When the users and their emails exceed one transaction's
 * 100 items (a large bulk add with activation emails), the users go first and the emails right
 * after; should the second write fail, the users are removed again.
 */
export async function insertUsers(
  account: { id: string; type: AccountType; accountPath: string[] },
  toCreate: UserToCreate[],
): Promise<User[]> {
  const items = toCreate.map((c) => ({
    item: userItem({ ...c.user, accountId: account.id, accountType: account.type, accountPath: account.accountPath }),
    outbox: c.outbox,
  }));
  const emails = items.flatMap((i) => i.outbox);
  const together = items.length * 2 + emails.length <= TX_LIMIT;
  const result = await db()
    .transaction.write(({ user, loginName, outbox }) => [
      ...items.flatMap(({ item }) => [user.create(item).commit(), loginName.create({ login: item.login.toLowerCase(), userId: item.id }).commit()]),
      ...(together ? emails.map((o) => outbox.create(o as never).commit()) : []),
    ])
    .go();
  ensureCommitted(result, (i) => {
    const taken = items[Math.floor(i / 2)]?.item.login;
    return new Conflict('login_taken', `The login ${taken ?? ''} is already used.`.replace('  ', ' '), [{ path: `users.${Math.floor(i / 2)}.login`, login: taken }]);
  });
  if (!together && emails.length) {
    try {
      const sent = await db().transaction.write(({ outbox }) => emails.map((o) => outbox.create(o as never).commit())).go();
      ensureCommitted(sent, () => new TransientError('Could not queue the activation emails.'));
    } catch (err) {
      await db()
        .transaction.write(({ user, loginName }) =>
          items.flatMap(({ item }) => [user.delete({ id: item.id }).commit(), loginName.delete({ login: item.login.toLowerCase() }).commit()]),
        )
        .go();
      throw err;
    }
  }
  return items.map(({ item }) => item as User);
}

export interface UserFilters {
  status?: UserStatus;
  role?: Role;
  limit: number;
  cursor?: string;
}

export async function listUsers(accountId: string, f: UserFilters): Promise<Page<User>> {
  const query = db()
    .entities.user.query.byAccount({ accountId })
    .where((a, op) => [f.status ? op.eq(a.status, f.status) : '', f.role ? op.eq(a.role, f.role) : ''].filter(Boolean).join(' AND '));
  const page = await withCursor(f.cursor, (cursor) => query.go({ cursor, limit: f.limit, pages: 1 }));
  return { items: page.data as User[], nextCursor: page.cursor ?? null };
}

export type UserChanges = Partial<Pick<User, 'firstName' | 'lastName' | 'login' | 'notificationEmail' | 'role' | 'locale' | 'phone' | 'address'>>;

/**
 * The links a login change ends (SPEC §3.2): activation, password reset and a pending login change.
 * A plan that sets one of them in the same change (a fresh activation link) keeps what it sets.
 */
export const LINK_ATTRIBUTES = [
  'activationTokenHash',
  'activationExpiresAt',
  'resetTokenHash',
  'resetExpiresAt',
  'pendingLogin',
  'loginChangeTokenHash',
  'loginChangeExpiresAt',
] as const satisfies ReadonlyArray<keyof User>;

const UPDATE_TRIES = 12;
const pause = (attempt: number) => backOff(attempt, { baseMs: 20, capMs: 400 });

/**
 * Edits a user under optimistic locking (two edits never lose one another: the second to arrive
 * re-reads and applies its own fields on top, after a jittered pause). A login change moves the
 * unique loginName item in the same transaction and removes every outstanding link
 * (`LINK_ATTRIBUTES`).
 */
export async function updateUser(
  userId: string,
  change: (current: User) => { set?: Partial<User>; remove?: Array<keyof User>; outbox?: Record<string, unknown>[] } | undefined,
): Promise<User> {
  for (let attempt = 0; attempt < UPDATE_TRIES; attempt++) {
    if (attempt > 0) await pause(attempt);
    const found = await db().entities.user.get({ id: userId }).go({ consistent: true });
    const current = found.data as (User & { version: number }) | null;
    if (!current) throw new NotFound();
    const plan = change(current);
    if (!plan) return current;
    const set = { ...plan.set };
    const newLogin = set.login && set.login.toLowerCase() !== current.login.toLowerCase() ? set.login : undefined;
    const remove = [...new Set<keyof User>([...(plan.remove ?? []), ...(newLogin ? LINK_ATTRIBUTES : [])])].filter((k) => !(k in set));
    const result = await db()
      .transaction.write(({ user, loginName, outbox }) => [
        user
          .patch({ id: userId })
          .set({ ...(set as Record<string, unknown>), version: current.version + 1 } as never)
          .remove(remove as never)
          .where((a, op) => op.eq(a.version, current.version))
          .commit(),
        ...(newLogin
          ? [
              loginName.create({ login: newLogin.toLowerCase(), userId }).commit(),
              loginName.delete({ login: current.login.toLowerCase() }).commit(),
            ]
          : []),
        ...(plan.outbox ?? []).map((o) => outbox.create(o as never).commit()),
      ])
      .go();
    if (!result.canceled) {
      const next = { ...current, ...set, version: current.version + 1 } as User & Record<string, unknown>;
      for (const k of remove) delete next[k];
      return next;
    }
    const reasons = result.data as ReadonlyArray<{ code?: string }>;
    if (newLogin && reasons[1]?.code === 'ConditionalCheckFailed') {
      throw new Conflict('login_taken', `The login ${newLogin} is already used.`, [{ path: 'login' }]);
    }
    if (result.data[0]?.code !== 'ConditionalCheckFailed' && !result.data.some((d) => d.code === 'TransactionConflict')) {
      ensureCommitted(result, () => new TransientError('User update failed'));
    }
  }
  throw new TransientError(`The user ${userId} kept changing; try again.`);
}

/**
 * Deletes a user, frees its login and the licenses assigned to it (SPEC §3.2), in one
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
  ensureCommitted(result, () => new TransientError('The user changed meanwhile; try again.'));
}

export async function loginHistory(userId: string, limit: number, cursor?: string): Promise<Page<{ at: string; outcome: string; ip?: string; userAgent?: string; actor?: string }>> {
  const page = await withCursor(cursor, (cursor) => db().entities.loginEvent.query.byUser({ userId }).go({ cursor, limit, pages: 1, order: 'desc' }));
  const items = page.data as Array<{ at: string; outcome: string; ip?: string; userAgent?: string; actor?: string }>;
  return { items, nextCursor: page.cursor ?? null };
}

import { db } from './entities.ts';
import { ensureCommitted, isConditionalFailure, withCursor, type Page } from './tx.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { Conflict, TransientError } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import type { NewUser } from './users.ts';
import { userItem } from './users.ts';

export type AccountType = 'distributor' | 'reseller' | 'customer';

export interface AccountSettings {
  orderProcessing: 'automatic' | 'manual';
  allowSelfServicePurchases: boolean;
  locale: 'en' | 'es' | 'de';
  currency: string;
}

export interface CustomerAgreement {
  firstName: string;
  lastName: string;
  email: string;
  acceptedAt: string;
  recordedAt: string;
  recordedBy: string;
}

export interface Account {
  id: string;
  type: AccountType;
  parentId: string | null;
  rootId: string;
  accountPath: string[];
  name: string;
  status: 'active' | 'suspended';
  settings: AccountSettings;
  address?: unknown;
  customerAgreement?: CustomerAgreement;
  createdAt: string;
}

export const DEFAULT_SETTINGS: AccountSettings = {
  orderProcessing: 'automatic',
  allowSelfServicePurchases: false,
  locale: 'en',
  currency: 'EUR',
};

type Item = Omit<Account, 'parentId'> & { parentId?: string };

function toAccount(item: Item): Account {
  return {
    id: item.id,
    type: item.type,
    parentId: item.parentId ?? null,
    rootId: item.rootId,
    accountPath: item.accountPath,
    name: item.name,
    status: item.status,
    settings: item.settings as AccountSettings,
    address: item.address,
    customerAgreement: item.customerAgreement as CustomerAgreement | undefined,
    createdAt: item.createdAt,
    version: (item as { version?: number }).version ?? 1,
  } as Account;
}

/** The account as the API shows it (SPEC §4.1.1). */
export function accountView(a: Account) {
  return {
    id: a.id,
    type: a.type,
    parentId: a.parentId,
    name: a.name,
    status: a.status,
    settings: a.settings,
    address: a.address ?? null,
    customerAgreement: a.customerAgreement
      ? { firstName: a.customerAgreement.firstName, lastName: a.customerAgreement.lastName, email: a.customerAgreement.email, acceptedAt: a.customerAgreement.acceptedAt }
      : null,
    createdAt: a.createdAt,
  };
}

export async function getAccount(id: string): Promise<Account | undefined> {
  const found = await db().entities.account.get({ id }).go();
  return found.data ? toAccount(found.data as Item) : undefined;
}

export interface NewAccount {
  type: AccountType;
  name: string;
  address?: unknown;
  settings: AccountSettings;
}

/** Creates an account under `parent` with its first admin, in one transaction. */
export async function createAccountWithAdmin(
  parent: Account | null,
  input: NewAccount,
  admin: NewUser & { id?: string },
  extra: (accountId: string, userId: string) => {
    outbox?: Record<string, unknown>[];
  } = () => ({}),
  fixedId?: string,
): Promise<{ account: Account; adminId: string }> {
  const id = fixedId ?? newId('account');
  const createdAt = clock.nowIso();
  const rootId = parent ? parent.rootId : id;
  const account = {
    id,
    type: input.type,
    parentId: parent?.id,
    rootId,
    accountPath: [...(parent?.accountPath ?? []), id],
    name: input.name,
    status: 'active' as const,
    settings: input.settings,
    address: input.address,
    createdAt,
    version: 1,
  };
  const user = userItem({ ...admin, accountId: id, accountType: input.type, accountPath: account.accountPath });
  const { outbox = [] } = extra(id, user.id);
  const result = await db()
    .transaction.write(({ account: accounts, user: users, loginName, outbox: outboxes }) => [
      accounts.create(account).commit(),
      users.create(user).commit(),
      loginName.create({ login: user.login.toLowerCase(), userId: user.id }).commit(),
      ...outbox.map((o) => outboxes.create(o as never).commit()),
    ])
    .go();
  ensureCommitted(result, (i) =>
    i === 2 ? new Conflict('login_taken', 'This login is already used.', [{ path: 'admin.login' }]) : new Error(`Account create conflict at ${i}`),
  );
  return { account: toAccount(account as never), adminId: user.id };
}

/** Accounts below the caller's (SPEC §4.3 `GET /v1/accounts`), newest first by creation. */
export async function listAccountsInScope(
  caller: Caller,
  opts: { type?: AccountType; limit: number; cursor?: string },
): Promise<Page<Account>> {
  const accounts = db().entities.account;
  if (caller.accountType === 'customer') {
    const own = await getAccount(caller.accountId);
    return { items: own && (!opts.type || own.type === opts.type) ? [own] : [], nextCursor: null };
  }
  const query =
    caller.accountType === 'distributor'
      ? accounts.query.byRoot({ rootId: caller.accountId })
      : accounts.query.byParent({ parentId: caller.accountId });
  const filtered = query.where((a, op) => `${op.ne(a.id, caller.accountId)}${opts.type ? ` AND ${op.eq(a.type, opts.type)}` : ''}`);
  const page = await withCursor(opts.cursor, (cursor) => filtered.go({ cursor, limit: opts.limit, pages: 1, order: 'desc' }));
  return { items: page.data.map((d) => toAccount(d as Item)), nextCursor: page.cursor ?? null };
}

/** An account is in its own scope: the shape platform/scope.ts checks. */
export function accountScope(a: Account | undefined) {
  return a && { ...a, accountId: a.id };
}

/**
 * Edits an account under optimistic locking on `version`; `change` sees the current account and
 * answers the fields to set (or throws to refuse).
 */
export async function updateAccount(id: string, change: (current: Account & { version: number }) => Record<string, unknown>): Promise<Account> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const found = await db().entities.account.get({ id }).go({ consistent: true });
    const current = found.data as (Item & { version: number }) | null;
    if (!current) throw new Error(`Account ${id} is missing`);
    const set = change(toAccount(current) as Account & { version: number });
    try {
      const updated = await db()
        .entities.account.patch({ id })
        .set({ ...set, version: current.version + 1 } as never)
        .where((a, op) => op.eq(a.version, current.version))
        .go({ response: 'all_new' });
      return toAccount(updated.data as Item);
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
    }
  }
  throw new TransientError('The account kept changing; try again.');
}

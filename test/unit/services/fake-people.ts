import type { Account, AccountChanges } from '#data/accounts.ts';
import type { LockNotice, LoginLease, LoginOutcome } from '#data/logins.ts';
import type { RefreshToken, SessionFamily, SessionItems } from '#data/sessions.ts';
import type { NewUser, User, UserChange } from '#data/users.ts';
import type { OutboxItem } from '#emails/outbox.ts';
import type { Caller } from '#platform/caller.ts';
import { clock, setClock } from '#platform/clock.ts';
import { Conflict, NotFound, PreconditionFailed } from '#platform/errors.ts';
import { DEFAULT_SETTINGS, suspendableOf } from '#domain/accounts.ts';

/**
 * In-memory repositories for the account, user and session services: plain objects holding their
 * items, recording what the services wrote (users, emails, settled logins, revoked families), with
 * the repositories' own guarantees (versions, If-Match, unique logins) and no table.
 */
export const NOW = new Date('2027-03-01T10:00:00.000Z');
// The links (platform/activation.ts) read the application clock: it stands still at NOW for the services too.
setClock(NOW);
export { clock };

let seq = 0;
const ulid = () => String(++seq).padStart(26, '0');
export const userId = () => `usr_${ulid()}`;
export const accountId = () => `acc_${ulid()}`;

export function makeAccount(overrides: Partial<Account> = {}): Account {
  const id = overrides.id ?? accountId();
  return {
    id,
    type: 'customer',
    parentId: null,
    rootId: id,
    accountPath: [id],
    name: 'Contoso Ltd',
    status: 'active',
    settings: { ...DEFAULT_SETTINGS },
    createdAt: NOW.toISOString(),
    version: 1,
    ...overrides,
  };
}

export function makeUser(account: Account, overrides: Partial<User> = {}): User {
  return {
    id: userId(),
    accountId: account.id,
    accountType: account.type,
    accountPath: account.accountPath,
    firstName: 'Ada',
    lastName: 'Lovelace',
    login: `ada${seq}@contoso.example`,
    role: 'user',
    status: 'ready',
    locale: 'en',
    passwordHash: 'hash:Correct-Password-1',
    failedLogins: 0,
    tokensValidAfter: 0,
    createdAt: NOW.toISOString(),
    version: 1,
    ...overrides,
  };
}

export const callerOf = (user: User, overrides: Partial<Caller> = {}): Caller => ({
  userId: user.id,
  accountId: user.accountId,
  accountType: user.accountType,
  role: user.role,
  accountPath: user.accountPath,
  rootId: user.accountPath[0] ?? user.accountId,
  ...overrides,
});

/** The people of the fakes: accounts, users with their unique logins, and the emails written with them. */
export function fakeWorld() {
  const accounts = new Map<string, Account>();
  const users = new Map<string, User>();
  const emails: OutboxItem[] = [];
  const loginOf = (login: string) => [...users.values()].find((u) => u.login.toLowerCase() === login.toLowerCase());

  const userRepo = {
    async getUser(id: string) {
      const u = users.get(id);
      return u && structuredClone(u);
    },
    async findUserIdByLogin(login: string) {
      return loginOf(login)?.id;
    },
    async insertUsers(account: Pick<Account, 'id' | 'type' | 'accountPath'>, toCreate: Array<{ user: NewUser & { id: string }; outbox: OutboxItem[] }>) {
      for (const [i, c] of toCreate.entries()) if (loginOf(c.user.login)) throw new Conflict('login_taken', 'taken', [{ path: `users.${i}.login` }]);
      const created = toCreate.map((c) => ({ ...c.user, accountId: account.id, accountType: account.type, accountPath: account.accountPath, failedLogins: 0, tokensValidAfter: 0, createdAt: NOW.toISOString(), version: 1 }));
      for (const u of created) users.set(u.id, u);
      emails.push(...toCreate.flatMap((c) => c.outbox));
      return created;
    },
    async updateUser(id: string, change: (current: User) => UserChange | undefined, opts: { ifMatch?: number } = {}) {
      const current = users.get(id);
      if (!current) throw new NotFound();
      if (opts.ifMatch !== undefined && opts.ifMatch !== current.version) throw new PreconditionFailed(current.version);
      const plan = change(structuredClone(current));
      if (!plan) return structuredClone(current);
      if (plan.set?.login && plan.set.login.toLowerCase() !== current.login.toLowerCase() && loginOf(plan.set.login)) throw new Conflict('login_taken', 'taken');
      const next: User = { ...current, ...plan.set, version: current.version + 1 };
      for (const k of plan.remove ?? []) if (!(k in (plan.set ?? {}))) delete next[k];
      users.set(id, next);
      emails.push(...(plan.outbox ?? []));
      return structuredClone(next);
    },
    async deleteUser(user: User) {
      users.delete(user.id);
    },
    async listUsers(accountId: string) {
      return { items: [...users.values()].filter((u) => u.accountId === accountId), nextCursor: null };
    },
    async loginHistory() {
      return { items: [], nextCursor: null };
    },
    async recordLoginEvent() {},
  };

  const accountRepo = {
    async getAccount(id: string) {
      const a = accounts.get(id);
      return a && structuredClone(a);
    },
    async getAccounts(ids: readonly string[]) {
      return ids.map((id) => {
        const a = accounts.get(id);
        return a && structuredClone(a);
      });
    },
    accountScope: (a: Account | undefined) => a && { ...a, accountId: a.id },
    async createAccountWithAdmin(parent: Account | null, input: Pick<Account, 'type' | 'name' | 'address' | 'settings'>, admin: NewUser & { id?: string }, outbox: OutboxItem[] = []) {
      if (loginOf(admin.login)) throw new Conflict('login_taken', 'taken', [{ path: 'admin.login' }]);
      const id = accountId();
      const account = makeAccount({ ...input, id, parentId: parent?.id ?? null, rootId: parent?.rootId ?? id, accountPath: [...(parent?.accountPath ?? []), id] });
      accounts.set(id, account);
      const user = makeUser(account, { ...admin, id: admin.id ?? userId(), failedLogins: 0 });
      if (!admin.passwordHash) delete user.passwordHash;
      users.set(user.id, user);
      emails.push(...outbox);
      return { account, admin: user };
    },
    async updateAccount(id: string, change: (current: Account) => AccountChanges, opts: { ifMatch?: number } = {}) {
      const current = accounts.get(id);
      if (!current) throw new NotFound();
      if (opts.ifMatch !== undefined && opts.ifMatch !== current.version) throw new PreconditionFailed(current.version);
      const { support, billingContact, ...rest } = change(structuredClone(current));
      const next: Account = { ...current, ...rest, ...(support ? { support } : {}), ...(billingContact ? { billingContact } : {}), version: current.version + 1 };
      if (support === null) delete next.support;
      if (billingContact === null) delete next.billingContact;
      accounts.set(id, next);
      return structuredClone(next);
    },
    async listAccountsInScope() {
      return { items: [...accounts.values()], nextCursor: null };
    },
    /** The first suspended account of a path, the root aside (data/accounts.ts). */
    async suspendedAccountOn(path: readonly string[]) {
      return suspendableOf(path).find((id) => accounts.get(id)?.status === 'suspended');
    },
  };

  const add = {
    account(overrides: Partial<Account> = {}) {
      const a = makeAccount(overrides);
      accounts.set(a.id, a);
      return a;
    },
    user(account: Account, overrides: Partial<User> = {}) {
      const u = makeUser(account, overrides);
      users.set(u.id, u);
      return u;
    },
    /** An account of `type` directly below `parent`: its parent, root and path as the real tree has them. */
    below(parent: Account, type: Account['type'], overrides: Partial<Account> = {}) {
      const a = add.account({ type, parentId: parent.id, rootId: parent.rootId, ...overrides });
      a.accountPath = [...parent.accountPath, a.id];
      return a;
    },
    /** The distributor, a reseller below it and a customer below that, each with an admin. */
    channel() {
      const distributor = add.account({ type: 'distributor' });
      const reseller = add.below(distributor, 'reseller');
      const customer = add.below(reseller, 'customer');
      return {
        distributor,
        reseller,
        customer,
        distributorAdmin: add.user(distributor, { role: 'admin' }),
        resellerAdmin: add.user(reseller, { role: 'admin' }),
        customerAdmin: add.user(customer, { role: 'admin' }),
      };
    },
  };

  return { accounts, users, emails, userRepo, accountRepo, add };
}

/** Passwords without the cost: a hash is `hash:<password>`. */
export const fakePasswords = {
  hash: async (p: string) => `hash:${p}`,
  verify: async (p: string, stored: string) => stored === `hash:${p}`,
  dummyHash: async () => 'hash:\u0000dummy',
  needsRehash: (stored: string) => !stored.startsWith('hash:'),
};

/** The login lease and the settled outcomes of each attempt, as the sign-in service wrote them. */
export function fakeLogins(world: ReturnType<typeof fakeWorld>) {
  const settled: Array<{ userId?: string; outcome: LoginOutcome }> = [];
  let leases = 0;
  let released = 0;
  return {
    settled,
    counts: () => ({ leases, released }),
    repo: {
      leaseKeyOf: (login: string, id: string | undefined) => (id ? `user#${id}` : `login#${login}`),
      async acquireLoginLease(key: string): Promise<LoginLease> {
        leases++;
        return { key, holder: `h${leases}` };
      },
      async releaseLoginLease() {
        released++;
      },
      async readForLogin(id: string | undefined) {
        return id ? world.userRepo.getUser(id) : undefined;
      },
      async settleLogin(_lease: LoginLease, user: User | undefined, outcome: LoginOutcome, _info?: unknown): Promise<'done' | 'stale'> {
        settled.push({ userId: user?.id, outcome });
        if (!user || outcome.kind === 'unknown') return 'done';
        const stored = world.users.get(user.id)!;
        if (stored.version !== user.version) return 'stale';
        if (outcome.kind === 'success') {
          world.users.set(user.id, { ...stored, failedLogins: 0, version: stored.version + 1, ...(outcome.rehash ? { passwordHash: outcome.rehash } : {}) });
        } else {
          const lock: LockNotice | undefined = outcome.lock;
          world.users.set(user.id, {
            ...stored,
            failedLogins: outcome.failedLogins,
            version: stored.version + 1,
            ...(lock ? { status: 'locked' as const, tokensValidAfter: NOW.getTime(), resetTokenHash: lock.resetTokenHash, resetExpiresAt: lock.resetExpiresAt } : {}),
          });
          if (lock) world.emails.push(lock.outbox);
        }
        return 'done';
      },
    },
  };
}

/** Refresh tokens (by their plain value, for the test's convenience) and session families. */
export function fakeSessions() {
  const tokens = new Map<string, RefreshToken>();
  const families = new Map<string, SessionFamily>();
  const revoked: string[] = [];
  let n = 0;
  async function prepareSession(user: Pick<User, 'id'>, opts: { family?: Pick<SessionFamily, 'family' | 'endsAt'>; actorUserId?: string } = {}): Promise<SessionItems> {
    n++;
    const family = opts.family?.family ?? `fam${n}`;
    const refresh: RefreshToken = { tokenHash: `rt${n}`, userId: user.id, family, actorUserId: opts.actorUserId, used: false, issuedAt: NOW.getTime(), ttl: Math.floor(NOW.getTime() / 1000) + 3600 };
    return {
      tokens: { accessToken: `at${n}`, refreshToken: `rt${n}`, expiresAt: NOW.toISOString() },
      refresh,
      ...(opts.family ? {} : { family: { family, userId: user.id, actorUserId: opts.actorUserId, revoked: false, endsAt: NOW.getTime() + 3_600_000, createdAt: NOW.toISOString() } }),
    };
  }
  return {
    tokens,
    families,
    revoked,
    repo: {
      prepareSession,
      async startSession(user: Pick<User, 'id'>, opts: { family?: Pick<SessionFamily, 'family' | 'endsAt'>; actorUserId?: string } = {}) {
        const items = await prepareSession(user, opts);
        tokens.set(items.refresh.tokenHash, items.refresh);
        if (items.family) families.set(items.family.family, items.family);
        return items.tokens;
      },
      async revokeFamily(family: string) {
        revoked.push(family);
        const f = families.get(family);
        if (f) f.revoked = true;
      },
      async findRefreshToken(token: string) {
        const t = tokens.get(token);
        return t && { ...t };
      },
      async markRefreshTokenSpent(tokenHash: string) {
        const t = tokens.get(tokenHash);
        if (!t || t.used) return false;
        t.used = true;
        return true;
      },
      async getSessionFamily(family: string) {
        const f = families.get(family);
        return f && { ...f };
      },
    },
  };
}

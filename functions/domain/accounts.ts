import { DEFAULT_GRACE_DAYS } from './grace.ts';

/**
 * The rules of accounts and their people (docs/product.md#accounts-and-tenancy, docs/product.md#portal-users), with no I/O: the status and role lists
 * the entities, the zod schemas and the response schemas all take from here, and the decisions the
 * account, user and session services make (who may set what, when a user locks, what an edit
 * writes). A refusal is answered as a code; the service turns it into its error.
 */
export const ACCOUNT_TYPES = ['distributor', 'reseller', 'customer'] as const;

/**
 * The distributor: the one root of the tree, with a fixed id, created by bootstrap (docs/product.md
 * "Accounts and tenancy"). The monthly statements start from it (services/statements.ts).
 */
export const DISTRIBUTOR_ID = 'acc_01JD1STR1BVT0R000000000000';
export const ACCOUNT_STATUSES = ['active', 'suspended'] as const;
export const ROLES = ['admin', 'user'] as const;
export const USER_STATUSES = ['ready', 'locked', 'not_activated', 'deactivated'] as const;
export const LOCALES = ['en', 'es', 'de'] as const;
export const ORDER_PROCESSING = ['automatic', 'manual'] as const;
export const LOGIN_OUTCOMES = ['success', 'failure'] as const;

export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export type Role = (typeof ROLES)[number];
export type UserStatus = (typeof USER_STATUSES)[number];
export type Locale = (typeof LOCALES)[number];

export interface AccountSettings {
  orderProcessing: (typeof ORDER_PROCESSING)[number];
  allowSelfServicePurchases: boolean;
  locale: Locale;
  currency: string;
  /** Days a subscription suspended for not paying stays suspended before it is cancelled (domain/grace.ts). */
  suspensionGraceDays: number;
  /** The products the account's users may buy themselves (domain/self-service.ts); absent or empty: every product. */
  selfServiceProducts?: string[];
}

export const DEFAULT_SETTINGS: AccountSettings = {
  orderProcessing: 'automatic',
  allowSelfServicePurchases: false,
  locale: 'en',
  currency: 'EUR',
  suspensionGraceDays: DEFAULT_GRACE_DAYS,
};

/** Where an account's invoice and payment emails go (docs/product.md#accounts-and-tenancy); without one, to its admins. */
export interface BillingContact {
  name: string;
  email: string;
}

/**
 * Who the account's users turn to for help (docs/product.md#accounts-and-tenancy): any of an email
 * address, a phone number and a web address. An account without one of its own shows the nearest
 * one above it.
 */
export interface SupportContact {
  email?: string;
  phone?: string;
  url?: string;
}

/**
 * The support contact an account's users see: its own, else the nearest ancestor's, else none.
 * `chain` is the account's path, root first and the account itself last.
 */
export function nearestSupport(chain: ReadonlyArray<{ support?: SupportContact | undefined } | undefined>): SupportContact | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const support = chain[i]?.support;
    if (support && (support.email || support.phone || support.url)) return support;
  }
  return undefined;
}

/** The fifth failed login in a row locks a ready user (docs/product.md#portal-users). */
export const MAX_FAILED_LOGINS = 5;

/** What a failed login writes: the count, and whether this failure locks the user. */
export function afterFailedLogin(user: { failedLogins: number; status: UserStatus }): { failedLogins: number; locks: boolean } {
  const failedLogins = user.failedLogins + 1;
  return { failedLogins, locks: failedLogins >= MAX_FAILED_LOGINS && user.status === 'ready' };
}

/** A password may not be the login (docs/product.md#portal-users), whatever the case. */
export const passwordIsLogin = (password: string, login: string): boolean => password.toLowerCase() === login.toLowerCase();

/** Only a ready user's tokens are good (issued after its last revocation: tokensStillValid). */
export const mayHoldTokens = (status: UserStatus): boolean => status === 'ready';

/** Tokens of a user are good while it is ready and they were issued after its last revocation. */
export const tokensStillValid = (user: { status: UserStatus; tokensValidAfter: number }, issuedAtMs: number): boolean =>
  mayHoldTokens(user.status) && issuedAtMs >= user.tokensValidAfter;

/** Who may be sent a password-reset link, and who may use one: a ready or a locked user. */
export const mayReset = (status: UserStatus): boolean => status === 'ready' || status === 'locked';

/** A reset link works for an hour; asking again within a minute sends no second email. */
export const RESET_SECONDS = 3600;
export const RESET_RESEND_SECONDS = 60;

/** Does a reset asked for now send a link (a ready or locked user, no link sent in the last minute)? */
export function resetSendsLink(user: { status: UserStatus; resetExpiresAt?: number | undefined }, nowSeconds: number): boolean {
  if (!mayReset(user.status)) return false;
  return !(user.resetExpiresAt && user.resetExpiresAt - RESET_SECONDS + RESET_RESEND_SECONDS > nowSeconds);
}

/**
 * The links a login change ends (docs/product.md#portal-users): activation, password reset and a pending login
 * change, each held on the user as a secret's hash and an expiry. The users repository applies it
 * to every login change, whoever asks for it; a change that sets one of them in the same write (a
 * fresh invitation to the new address) keeps what it sets.
 */
export const LINKS_ENDED_BY_LOGIN_CHANGE = [
  'activationTokenHash',
  'activationExpiresAt',
  'resetTokenHash',
  'resetExpiresAt',
  'pendingLogin',
  'loginChangeTokenHash',
  'loginChangeExpiresAt',
] as const;

/** Does a requested login differ from the current one (logins compare without case)? */
export const changesLogin = (current: { login: string }, login: string | undefined): login is string =>
  login !== undefined && login.toLowerCase() !== current.login.toLowerCase();

/** The fields of an edit that `null` may clear. */
export type NullableKeys<T> = { [K in keyof T]-?: null extends T[K] ? K : never }[keyof T];

/** Splits an edit into what it sets and what it removes (`null`); absent fields are left alone. */
export function editPlan<T extends object>(body: T): { set: { [K in keyof T]?: Exclude<T[K], null> }; remove: Array<NullableKeys<T>> } {
  const set: { [K in keyof T]?: Exclude<T[K], null> } = {};
  const remove: Array<NullableKeys<T>> = [];
  for (const k of Object.keys(body) as Array<keyof T>) {
    const v = body[k];
    if (v === null) remove.push(k as NullableKeys<T>);
    else if (v !== undefined) set[k] = v as Exclude<T[typeof k], null>;
  }
  return { set, remove };
}

/** The record as it will be after a plan (for the emails the same change sends). */
export function applyPlan<T extends object>(current: T, plan: { set?: Partial<T>; remove?: ReadonlyArray<PropertyKey> }): T {
  const next = { ...current, ...plan.set } as T & Record<PropertyKey, unknown>;
  for (const k of plan.remove ?? []) delete next[k];
  return next;
}

/** Only the distributor creates resellers (docs/product.md#accounts-and-tenancy); any staff account creates customers. */
export const mayCreateAccountOfType = (callerAccountType: AccountType, type: AccountType): boolean =>
  type === 'customer' ? callerAccountType !== 'customer' : type === 'reseller' && callerAccountType === 'distributor';

/**
 * Who may edit an account (docs/product.md#accounts-and-tenancy), once it is known to be in the caller's scope and the caller
 * an admin there: settings are the parent's to set (never the account's own people); the account's
 * own name and address are its admins' (a customer's users included through `manage`).
 * Answers the refusal, or undefined when allowed.
 */
export function accountEditRefusal(
  caller: { accountId: string; role: Role },
  account: { id: string; type: AccountType },
  changesSettings: boolean,
): 'settings_by_parent' | 'admins_only' | undefined {
  const own = account.id === caller.accountId;
  if (changesSettings && own) return 'settings_by_parent';
  if (own && account.type !== 'customer' && caller.role !== 'admin') return 'admins_only';
  return undefined;
}

/**
 * The account name as `GET /v1/accounts?q=` compares it (docs/data-model.md, `searchName`): the
 * accents taken off (NFD, combining marks dropped) and lower-cased, so "Café Müller" is found as
 * "cafe muller" and as "CAFÉ". The account keeps a copy written with every name; the query's `q`
 * goes through the same function.
 */
export function searchNameOf(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The accounts of a path (root first, the account last) that a suspension can reach: every one
 * but the root. The distributor has no parent, so nobody can suspend it, and no read is spent on it.
 */
export const suspendableOf = (accountPath: readonly string[]): string[] => accountPath.slice(1);

/** Is an account, or one above it, suspended? `chain` holds the statuses of the accounts of its path. */
export const isSuspended = (chain: ReadonlyArray<{ status: AccountStatus } | undefined>): boolean => chain.some((a) => a?.status === 'suspended');

/**
 * Who may suspend or reactivate an account (docs/product.md#accounts-and-tenancy), once it is known
 * to be in the caller's scope and the caller a staff admin there: a parent (or an account further
 * up) acts on a child, never an account on itself. Then the move itself: suspending a suspended
 * account, or reactivating an active one, is a conflict. Answers the refusal, or undefined.
 */
export function accountStatusRefusal(
  caller: { accountId: string },
  account: { id: string; status: AccountStatus },
  to: AccountStatus,
): 'own_account' | 'already' | undefined {
  if (account.id === caller.accountId) return 'own_account';
  if (account.status === to) return 'already';
  return undefined;
}

/**
 * Whether an order goes through the workflow's staff gates by itself (docs/product.md#orders-and-the-fulfillment-workflow):
 * what was asked for (the account's `orderProcessing` or a staff order's `autoProcess`), unless
 * the account or one above it is suspended: then its orders wait for staff, whatever was asked. A
 * renewal (the renewals job's own order) never waits: a suspended account's subscriptions keep
 * running at the vendor.
 */
export function runsAutomatically(order: { type: 'sales' | 'change' | 'cancellation' | 'renewal'; requested: boolean; suspended: boolean }): boolean {
  if (order.type === 'renewal') return true;
  return order.requested && !order.suspended;
}

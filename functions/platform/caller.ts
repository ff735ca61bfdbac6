/**
 * Who is calling, as the authorizer established it. Handlers never read tokens themselves.
 */
export type AccountType = 'distributor' | 'reseller' | 'customer';
export type Role = 'admin' | 'user';

/**
 * What a machine client (an API client, docs/api.md "API clients") may be granted: each route needs
 * one of these (http/scopes.ts ROUTE_SCOPES) or is closed to clients.
 */
export const SCOPE_NAMES = [
  'accounts:read',
  'accounts:write',
  'users:read',
  'users:write',
  'catalog:read',
  'catalog:write',
  'orders:read',
  'orders:write',
  'orders:operate',
  'subscriptions:read',
  'subscriptions:write',
  'billing:read',
  'billing:write',
  'domains:read',
  'domains:write',
  'webhooks:read',
  'webhooks:write',
  'events:read',
] as const;
export type Scope = (typeof SCOPE_NAMES)[number];
const SCOPE_SET: ReadonlySet<string> = new Set(SCOPE_NAMES);
export const isScope = (s: string): s is Scope => SCOPE_SET.has(s);

export interface Caller {
  userId: string;
  accountId: string;
  accountType: AccountType;
  role: Role;
  /** The caller's account's ancestors and itself, root first. */
  accountPath: string[];
  rootId: string;
  /** The real person when logged in as someone else (docs/product.md#portal-users `act`). */
  actorUserId?: string;
  /** The session (refresh token family) of the token, which logout ends. */
  sessionId?: string;
  /**
   * Set when the caller is a machine client (`cli_…`, then also `userId`): it acts as an admin of
   * its account, limited to `scopes`.
   */
  clientId?: string;
  scopes?: readonly Scope[];
}

/** The flat context the authorizer hands to API Gateway (values must be strings, numbers or booleans). */
export type AuthorizerContext =
  | { authenticated: false; reason: string }
  | {
      authenticated: true;
      userId: string;
      accountId: string;
      accountType: AccountType;
      role: Role;
      accountPath: string;
      rootId: string;
      actorUserId?: string;
      sessionId?: string;
      /** A machine client: its id, and its scopes as a comma-separated list. */
      clientId?: string;
      scopes?: string;
    };

export function callerFromContext(ctx: Record<string, unknown> | undefined): Caller | undefined {
  if (!ctx || ctx.authenticated !== true && ctx.authenticated !== 'true') return undefined;
  return {
    userId: String(ctx.userId),
    accountId: String(ctx.accountId),
    accountType: ctx.accountType as AccountType,
    role: ctx.role as Role,
    accountPath: String(ctx.accountPath).split(','),
    rootId: String(ctx.rootId),
    actorUserId: ctx.actorUserId ? String(ctx.actorUserId) : undefined,
    sessionId: ctx.sessionId ? String(ctx.sessionId) : undefined,
    // A `cli_` id is a client whatever else the context says: never taken for a person.
    ...(ctx.clientId || String(ctx.userId).startsWith('cli_')
      ? { clientId: String(ctx.clientId ?? ctx.userId), scopes: String(ctx.scopes ?? '').split(',').filter(isScope) }
      : {}),
  };
}

/**
 * May this caller use a route that needs `scope` (null: a route closed to machine clients)? People
 * always may (their role decides); a client only with the scope granted.
 */
export function clientMayUse(caller: Caller, scope: Scope | null | undefined): boolean {
  if (!caller.clientId) return true;
  return scope != null && (caller.scopes ?? []).includes(scope);
}

/**
 * "Log in as" (docs/product.md#portal-users): a ready admin, for users of the accounts strictly below theirs (staff)
 * or of their own account (customer). Checked when the session starts and, against the real
 * person as they are now, on every request and every refresh.
 */
export function mayLogInAs(
  actor: { id: string; status: string; role: Role; accountType: AccountType; accountId: string },
  target: { id: string; accountId: string; accountPath: readonly string[] },
): boolean {
  if (actor.status !== 'ready' || actor.role !== 'admin' || actor.id === target.id) return false;
  if (actor.accountType === 'customer') return target.accountId === actor.accountId;
  return target.accountId !== actor.accountId && target.accountPath.includes(actor.accountId);
}

export const isStaff = (c: Caller) => c.accountType !== 'customer';

/** Who did it, for status histories and audit: the real person first. */
export function actorOf(c: Caller): { userId: string; onBehalfOf?: string } {
  return c.actorUserId ? { userId: c.actorUserId, onBehalfOf: c.userId } : { userId: c.userId };
}

/**
 * Who is calling, as the authorizer established it. Handlers never read tokens themselves.
 */
export type AccountType = 'distributor' | 'reseller' | 'customer';
export type Role = 'admin' | 'user';

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
  };
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

import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { mayLogInAs, type AuthorizerContext } from '#platform/caller.ts';
import { accountStatuses } from '#data/accounts.ts';
import { getUser } from '#data/users.ts';
import { suspendableOf, tokensStillValid, type AccountStatus } from '#domain/accounts.ts';
import { clock } from '#platform/clock.ts';
import { logger } from '#platform/logger.ts';
import { verifyAccessToken } from '#platform/tokens.ts';

/**
 * The HTTP API authorizer: checks the access token and that its user (and the real actor, under
 * "log in as") may still act: a deactivated, locked or deleted user, or one whose password changed
 * after the token was issued, is refused (docs/product.md#portal-users). Under "log in as" the real person's right
 * is checked as it is now: still a ready admin, the user still in their scope (a demoted admin's
 * session ends at once). A normal session costs one read, a "log in as" two (made together). The
 * user's account and those above it (the root aside) must not be suspended either
 * (docs/product.md#accounts-and-tenancy): an account seen active is trusted for 30 seconds in this process, so a
 * suspension stops existing tokens within the same 60 seconds as a deactivation while most
 * requests read nothing more (one BatchGetItem per account path every 30 s). It always answers "authorized" with a
 * context that says whether the caller is authenticated, so the handler answers a refusal in the
 * API error format (API Gateway's own 401/403 bodies cannot be shaped).
 */
type Result = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

const refuse = (reason: string): Result => ({ isAuthorized: true, context: { authenticated: false, reason } });

/**
 * How long an account's status is trusted in this process. With the read's own lag (an eventually
 * consistent GetItem: well under a second) a suspension reaches every token within 60 seconds.
 */
export const ACCOUNT_STATUS_TTL_MS = 30_000;
/** A bound on the statuses kept (each a few bytes): past it the cache starts over. */
const ACCOUNT_STATUS_MAX = 10_000;
const activeSince = new Map<string, number>();

/**
 * Is any of these accounts suspended? An account seen active within the last 30 s (on the
 * application clock; one seen "in the future", after the clock moved back, is stale) is taken as
 * active; the others are read together, in one BatchGetItem. A suspended status is never kept, so
 * a reactivation takes effect at once (the tokens of a suspended account, at most 15 minutes old,
 * cost a read each meanwhile).
 */
async function anySuspended(ids: readonly string[]): Promise<boolean> {
  const now = clock.now().getTime();
  const known = (id: string) => {
    const readAt = activeSince.get(id);
    return readAt !== undefined && now - readAt >= 0 && now - readAt < ACCOUNT_STATUS_TTL_MS;
  };
  const toRead = ids.filter((id) => !known(id));
  if (!toRead.length) return false;
  const statuses = await accountStatuses(toRead);
  if (activeSince.size + toRead.length > ACCOUNT_STATUS_MAX) activeSince.clear();
  let suspended = false;
  for (const id of toRead) {
    const status: AccountStatus | undefined = statuses.get(id);
    if (status === 'suspended') {
      suspended = true;
      activeSince.delete(id);
    } else activeSince.set(id, now);
  }
  return suspended;
}

async function allowed(userId: string, issuedAtMs: number) {
  const user = await getUser(userId);
  return user && tokensStillValid(user, issuedAtMs) ? user : undefined;
}

export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<Result> => {
  const header = event.headers?.authorization ?? event.headers?.Authorization ?? '';
  const match = /^Bearer ([A-Za-z0-9._-]{20,4096})$/.exec(header.trim());
  if (!match?.[1]) return refuse('missing_token');
  const claims = await verifyAccessToken(match[1]);
  if (!claims) return refuse('invalid_token');
  const [user, actor] = await Promise.all([
    allowed(claims.sub, claims.issuedAtMs),
    claims.act ? allowed(claims.act.sub, claims.issuedAtMs) : Promise.resolve(undefined),
  ]);
  if (!user || (claims.act && !actor)) {
    logger.info('token refused: user no longer allowed', { userId: claims.sub });
    return refuse('user_not_allowed');
  }
  if (actor && !mayLogInAs(actor, user)) {
    logger.info('token refused: the real person may no longer log in as this user', { userId: claims.sub, actorUserId: actor.id });
    return refuse('actor_not_allowed');
  }
  if (await anySuspended([...new Set([...suspendableOf(user.accountPath), ...(actor ? suspendableOf(actor.accountPath) : [])])])) {
    logger.info('token refused: an account of the user is suspended', { userId: claims.sub });
    return refuse('account_suspended');
  }
  return {
    isAuthorized: true,
    context: {
      authenticated: true,
      userId: user.id,
      accountId: user.accountId,
      accountType: user.accountType,
      role: user.role,
      accountPath: user.accountPath.join(','),
      rootId: user.accountPath[0] ?? user.accountId,
      ...(claims.act ? { actorUserId: claims.act.sub } : {}),
      ...(claims.sid ? { sessionId: claims.sid } : {}),
    },
  };
};

import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { mayLogInAs, type AuthorizerContext } from '#platform/caller.ts';
import { getUser } from '#data/users.ts';
import { tokensStillValid } from '#domain/accounts.ts';
import { logger } from '#platform/logger.ts';
import { verifyAccessToken } from '#platform/tokens.ts';

/**
 * The HTTP API authorizer: checks the access token and that its user (and the real actor, under
 * "log in as") may still act: a deactivated, locked or deleted user, or one whose password changed
 * after the token was issued, is refused (docs/product.md#portal-users). Under "log in as" the real person's right
 * is checked as it is now: still a ready admin, the user still in their scope (a demoted admin's
 * session ends at once). A normal session costs one read, a "log in as" two (made together). It always answers "authorized" with a
 * context that says whether the caller is authenticated, so the handler answers a refusal in the
 * API error format (API Gateway's own 401/403 bodies cannot be shaped).
 */
type Result = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

const refuse = (reason: string): Result => ({ isAuthorized: true, context: { authenticated: false, reason } });

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

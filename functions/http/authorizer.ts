import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { mayLogInAs, type AuthorizerContext } from '#platform/caller.ts';
import { accountStatuses, tokenClient, tokenHolder, type TokenClient, type TokenHolder } from '#data/token-reads.ts';
import { mayHoldTokens, suspendableOf, tokensStillValid, type AccountStatus } from '#domain/accounts.ts';
import { clock } from '#platform/clock.ts';
import { correlationIdOfRequest } from '#platform/correlation.ts';
import { lambdaHandler } from '#platform/lambda-handler.ts';
import { logger } from '#platform/logger.ts';
import { verifyAccessToken, type AccessClaims } from '#platform/tokens.ts';

/**
 * The HTTP API authorizer: checks the access token and that its user (and the real actor, under
 * "log in as") may still act: a deactivated, locked or deleted user, or one whose password changed
 * after the token was issued, is refused (docs/product.md#portal-users). Under "log in as" the real
 * person's right is checked too: still a ready admin, the user still in their scope. The user's
 * account and those above it (the root aside) must not be suspended either
 * (docs/product.md#accounts-and-tenancy).
 *
 * What it knows of users and accounts it keeps in this process for 30 seconds on the application
 * clock (docs/architecture.md#security). A read (GET) trusts a user and accounts seen allowed
 * that long, so most requests verify the token's signature and read nothing: a change (a
 * deactivation, a new password, a demotion, a suspension) reaches a reading token within 30 s plus
 * the read's own lag, inside the 60 seconds the product promises. A request that may change
 * something, and any "log in as" request, reads the user (and the real person) now, so nobody acts
 * on powers they have lost. What is refused is never kept: a reactivation takes effect at once.
 * It always answers "authorized" with a context that says whether the caller is authenticated, so
 * the handler answers a refusal in the API error format (API Gateway's own 401/403 bodies cannot
 * be shaped).
 */
type Result = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

const refuse = (reason: string): Result => ({ isAuthorized: true, context: { authenticated: false, reason } });

/**
 * How long a user or an account seen allowed is trusted in this process. With the read's own lag
 * (an eventually consistent read: well under a second) a change reaches every token within 60 s.
 */
export const TRUST_TTL_MS = 30_000;
/** A bound on the entries kept per cache: past it the cache starts over. */
const TRUST_MAX = 10_000;

/** Values read at a time on the application clock; one read "in the future" (the clock moved back) is stale. */
class Trusted<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();
  get(id: string, now: number): V | undefined {
    const entry = this.entries.get(id);
    return entry && now - entry.at >= 0 && now - entry.at < TRUST_TTL_MS ? entry.value : undefined;
  }
  set(id: string, value: V, now: number): void {
    if (this.entries.size >= TRUST_MAX) this.entries.clear();
    this.entries.set(id, { at: now, value });
  }
  delete(id: string): void {
    this.entries.delete(id);
  }
  clear(): void {
    this.entries.clear();
  }
}

const activeAccounts = new Trusted<true>();
const allowedUsers = new Trusted<TokenHolder>();
const activeClients = new Trusted<TokenClient>();

/** For tests: forget what this process trusts. */
export function forgetTrusted(): void {
  activeAccounts.clear();
  allowedUsers.clear();
  activeClients.clear();
}

/**
 * Is any of these accounts suspended? Accounts seen active within the last 30 s are taken as
 * active (unless `fresh`); the others are read together, in one BatchGetItem.
 */
async function anySuspended(ids: readonly string[], fresh: boolean): Promise<boolean> {
  const now = clock.now().getTime();
  const toRead = fresh ? [...ids] : ids.filter((id) => !activeAccounts.get(id, now));
  if (!toRead.length) return false;
  const statuses = await accountStatuses(toRead);
  let suspended = false;
  for (const id of toRead) {
    const status: AccountStatus | undefined = statuses.get(id);
    if (status === 'suspended') {
      suspended = true;
      activeAccounts.delete(id);
    } else activeAccounts.set(id, true, now);
  }
  return suspended;
}

/**
 * The user if its tokens issued at that time are still good: as seen within the last 30 s, or (with
 * `fresh`, and when not seen) read now.
 */
async function allowed(userId: string, issuedAtMs: number, fresh: boolean): Promise<TokenHolder | undefined> {
  const now = clock.now().getTime();
  let user = fresh ? undefined : allowedUsers.get(userId, now);
  if (!user) {
    user = await tokenHolder(userId);
    if (!user || !mayHoldTokens(user.status)) {
      allowedUsers.delete(userId);
      return undefined;
    }
    allowedUsers.set(userId, user, now);
  }
  return tokensStillValid(user, issuedAtMs) ? user : undefined;
}

/**
 * A machine client's token (docs/api.md "API clients"): its client still active (as seen within
 * 30 s for a read, read now for a change), its account and those above not suspended. The client
 * acts as an admin of its account, limited to the scopes both the token and the client (as it is
 * now) hold, so a scope taken away stops working like a revocation.
 */
async function clientContext(claims: AccessClaims & { client: { scopes: string[] } }, fresh: boolean): Promise<Result> {
  const now = clock.now().getTime();
  let client = fresh ? undefined : activeClients.get(claims.sub, now);
  if (!client) {
    client = await tokenClient(claims.sub);
    if (!client || client.status !== 'active') {
      activeClients.delete(claims.sub);
      logger.info('token refused: client revoked or gone', { clientId: claims.sub });
      return refuse('client_not_allowed');
    }
    activeClients.set(claims.sub, client, now);
  }
  if (await anySuspended(suspendableOf(client.accountPath), fresh)) {
    logger.info('token refused: an account of the client is suspended', { clientId: claims.sub });
    return refuse('account_suspended');
  }
  const scopes = claims.client.scopes.filter((s) => client.scopes.includes(s));
  return {
    isAuthorized: true,
    context: {
      authenticated: true,
      userId: client.id,
      accountId: client.accountId,
      accountType: client.accountType,
      role: 'admin',
      accountPath: client.accountPath.join(','),
      rootId: client.accountPath[0] ?? client.accountId,
      clientId: client.id,
      scopes: scopes.join(','),
    },
  };
}

/**
 * Traced like every function, its lines under the request's correlation id (the one the route's
 * function answers as `x-correlation-id`: platform/correlation.ts).
 */
export const handler = lambdaHandler(authorize, (event: APIGatewayRequestAuthorizerEventV2) => correlationIdOfRequest(event.headers, event.requestContext?.requestId));

async function authorize(event: APIGatewayRequestAuthorizerEventV2): Promise<Result> {
  const header = event.headers?.authorization ?? event.headers?.Authorization ?? '';
  const match = /^Bearer ([A-Za-z0-9._-]{20,4096})$/.exec(header.trim());
  if (!match?.[1]) return refuse('missing_token');
  const claims = await verifyAccessToken(match[1]);
  if (!claims) return refuse('invalid_token');
  // What a request may change is decided on the user as it is now; only reads trust the last 30 s.
  // A "log in as" session (rare, and the real person's right is the point) is always checked now.
  const method = event.requestContext?.http?.method ?? 'GET';
  const fresh = Boolean(claims.act) || (method !== 'GET' && method !== 'HEAD');
  if (claims.client) return clientContext({ ...claims, client: claims.client }, fresh);
  const [user, actor] = await Promise.all([
    allowed(claims.sub, claims.issuedAtMs, fresh),
    claims.act ? allowed(claims.act.sub, claims.issuedAtMs, fresh) : Promise.resolve(undefined),
  ]);
  if (!user || (claims.act && !actor)) {
    logger.info('token refused: user no longer allowed', { userId: claims.sub });
    return refuse('user_not_allowed');
  }
  if (actor && !mayLogInAs(actor, user)) {
    logger.info('token refused: the real person may no longer log in as this user', { userId: claims.sub, actorUserId: actor.id });
    return refuse('actor_not_allowed');
  }
  if (await anySuspended([...new Set([...suspendableOf(user.accountPath), ...(actor ? suspendableOf(actor.accountPath) : [])])], fresh)) {
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
}

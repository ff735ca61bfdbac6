import type { AccountStatus } from '#domain/accounts.ts';
import { batchGetByKey, getByKey } from './by-key.ts';
import type { User } from './users.ts';

/**
 * What the request path reads (the authorizer on every request, token verification, sign-in's
 * suspension check): by key, without ElectroDB (data/by-key.ts, docs/architecture.md#cold-starts).
 */

/** What deciding on a user's tokens needs of the user: the authorizer's context and `mayLogInAs`. */
export type TokenHolder = Pick<User, 'id' | 'accountId' | 'accountType' | 'accountPath' | 'role' | 'status' | 'tokensValidAfter'>;

const HOLDER_ATTRIBUTES = ['id', 'accountId', 'accountType', 'accountPath', 'role', 'status', 'tokensValidAfter'] as const;

/** The user as its tokens are judged: one GetItem of seven attributes (a user not found: undefined). */
export async function tokenHolder(userId: string): Promise<TokenHolder | undefined> {
  const user = await getByKey<TokenHolder>('user', userId, HOLDER_ATTRIBUTES);
  return user && { ...user, tokensValidAfter: user.tokensValidAfter ?? 0 };
}

/**
 * The statuses of some accounts, in one BatchGetItem (docs/data-model.md): the sign-in, the
 * refresh, the authorizer and order placement ask it for the accounts of a path. An account not
 * found is left out. `consistent` for the decisions that must see a suspension at once.
 */
export async function accountStatuses(ids: readonly string[], opts: { consistent?: boolean } = {}): Promise<Map<string, AccountStatus>> {
  const found = await batchGetByKey<{ status: AccountStatus }>('account', ids, ['status'], opts);
  return new Map([...found].map(([id, a]) => [id, a.status]));
}

/** What deciding on a machine client's token needs of the client (data/api-clients.ts). */
export interface TokenClient {
  id: string;
  accountId: string;
  accountType: User['accountType'];
  accountPath: string[];
  scopes: string[];
  status: 'active' | 'revoked';
}

/** The API client as its tokens are judged: one GetItem of six attributes (not found: undefined). */
export function tokenClient(clientId: string): Promise<TokenClient | undefined> {
  return getByKey<TokenClient>('apiClient', clientId, ['id', 'accountId', 'accountType', 'accountPath', 'scopes', 'status']);
}

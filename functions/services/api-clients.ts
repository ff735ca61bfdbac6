import { randomBytes, timingSafeEqual } from 'node:crypto';
import { accountScope, getAccount } from '#data/accounts.ts';
import * as clientRepo from '#data/api-clients.ts';
import type { ApiClient } from '#data/api-clients.ts';
import type { Page } from '#data/tx.ts';
import type { Caller, Scope } from '#platform/caller.ts';
import { clock as appClock } from '#platform/clock.ts';
import { AppError, Conflict, PreconditionFailed } from '#platform/errors.ts';
import { idPattern, newId } from '#platform/ids.ts';
import { authorize } from '#platform/scope.ts';
import { hashToken, issueClientToken } from '#platform/tokens.ts';
import { grantedScopes, lastUseDue, LAST_USED_GRANULARITY_MS, liveSecrets, rotatedSecrets, type StoredSecret } from '#domain/api-clients.ts';

/**
 * API clients (docs/api.md "API clients"): machines (an ERP, a PSA, a script) that call the API with
 * OAuth 2.0 client credentials instead of a person's password. An account's admins (and staff
 * admins above it) create them with scopes; the client then acts as an admin of that account,
 * limited to its scopes (the HTTP wrapper checks them on every route, http/scopes.ts).
 *
 * A secret is `cs_` and 32 random bytes (base64url), shown once; only its SHA-256 is stored, which
 * is enough for a random value of that entropy (a password needs a slow hash because people pick
 * guessable ones; nobody can guess 256 random bits). No lockout: there is nothing to guess.
 */
export interface ApiClientDeps {
  clients: Pick<typeof clientRepo, 'getApiClient' | 'listApiClients' | 'insertApiClient' | 'updateApiClient' | 'recordUse'>;
  accounts: { getAccount: typeof getAccount };
  clock: { now(): Date };
  issueToken: typeof issueClientToken;
}

export interface NewClientInput {
  name: string;
  scopes: Scope[];
}

export interface TokenRequest {
  grantType: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
}

/** 401 `invalid_client`: one answer whether the id, the secret or the client's status was wrong. */
export class InvalidClient extends AppError {
  constructor() {
    super(401, 'invalid_client', 'Client authentication failed: check the client id and secret.');
  }

  override get headers(): Record<string, string> {
    return { 'www-authenticate': 'Basic realm="api", charset="UTF-8"' };
  }
}

const CLIENT_ID = idPattern('apiClient');
/** The hash compared when the client is unknown, so an unknown id costs what a wrong secret does. */
const NO_HASH = hashToken('cs_no-such-client');

export function newSecret(now: Date): { secret: string; stored: StoredSecret } {
  const secret = `cs_${randomBytes(32).toString('base64url')}`;
  return { secret, stored: { id: newId('clientSecret'), hash: hashToken(secret), last4: secret.slice(-4), createdAt: now.toISOString() } };
}

/** Does `secret` hash to `hash`? In constant time for hashes of equal length. */
function sameHash(secret: string, hash: string): boolean {
  const a = Buffer.from(hashToken(secret));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function makeApiClientService(deps: ApiClientDeps) {
  const { clients, accounts, clock } = deps;

  async function clientInScope(caller: Caller, id: string, consistent = false): Promise<ApiClient> {
    return authorize(caller, await clients.getApiClient(id, consistent), 'manage');
  }

  /** Re-reads and decides again when the client changed between the read and the write. */
  async function change(caller: Caller, id: string, decide: (c: ApiClient) => Parameters<typeof clients.updateApiClient>[1], ifMatch?: number): Promise<ApiClient> {
    for (let attempt = 0; ; attempt++) {
      const current = await clientInScope(caller, id, true);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new PreconditionFailed(current.version);
      try {
        return await clients.updateApiClient(current, decide(current));
      } catch (err) {
        if (!(err instanceof PreconditionFailed) || ifMatch !== undefined || attempt >= 4) throw err;
      }
    }
  }

  const active = (c: ApiClient) => {
    if (c.status !== 'active') throw new Conflict('invalid_state', 'This API client is revoked.');
  };

  return {
    async create(caller: Caller, accountId: string, input: NewClientInput): Promise<{ client: ApiClient; secret: string }> {
      const account = authorize(caller, accountScope(await accounts.getAccount(accountId)), 'manage');
      const now = clock.now();
      const { secret, stored } = newSecret(now);
      const client = await clients.insertApiClient({
        id: newId('apiClient'),
        accountId: account.id,
        accountType: account.type,
        accountPath: account.accountPath,
        name: input.name,
        scopes: [...new Set(input.scopes)],
        status: 'active',
        secrets: [stored],
        createdAt: now.toISOString(),
        createdBy: caller.actorUserId ?? caller.userId,
      });
      return { client, secret };
    },

    async list(caller: Caller, accountId: string, page: { limit: number; cursor?: string }): Promise<Page<ApiClient>> {
      authorize(caller, accountScope(await accounts.getAccount(accountId)), 'manage');
      return clients.listApiClients(accountId, page);
    },

    get: (caller: Caller, id: string): Promise<ApiClient> => clientInScope(caller, id),

    /** Renames it or changes its scopes (a scope taken away stops working on tokens already issued within 30 s). */
    async update(caller: Caller, id: string, input: Partial<NewClientInput>, ifMatch?: number): Promise<ApiClient> {
      return change(
        caller,
        id,
        (c) => {
          active(c);
          return { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.scopes ? { scopes: [...new Set(input.scopes)] } : {}) };
        },
        ifMatch,
      );
    },

    /** A new secret, shown once; the one it replaces works `overlapHours` longer (0: stops now). */
    async rotate(caller: Caller, id: string, overlapHours: number): Promise<{ client: ApiClient; secret: string }> {
      const now = clock.now();
      const { secret, stored } = newSecret(now);
      const client = await change(caller, id, (c) => {
        active(c);
        return { secrets: rotatedSecrets(c.secrets, stored, overlapHours, now.getTime()) };
      });
      return { client, secret };
    },

    /** Its secrets stop at once; its tokens within 60 s (the authorizer's 30 s trust for reads; writes read it now). */
    async revoke(caller: Caller, id: string): Promise<ApiClient> {
      return change(caller, id, (c) => {
        active(c);
        return { status: 'revoked', revokedAt: clock.now().toISOString() };
      });
    },

    /**
     * `POST /v1/oauth/token` (RFC 6749 §4.4): client credentials for a 15-minute token. A wrong id, a
     * wrong secret and a revoked client answer the same 401; a scope the client lacks is 400.
     */
    async issueToken(request: TokenRequest): Promise<{ token: string; expiresIn: number; scopes: string[] }> {
      if (request.grantType !== 'client_credentials') {
        throw new AppError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      }
      const { clientId = '', clientSecret = '' } = request;
      const client = CLIENT_ID.test(clientId) ? await clients.getApiClient(clientId, true) : undefined;
      const nowMs = clock.now().getTime();
      const hashes = client ? liveSecrets(client.secrets, nowMs).map((s) => s.hash) : [];
      // Every live hash is compared (and one when there is none), so the time taken tells nothing.
      const matches = (hashes.length ? hashes : [NO_HASH]).map((h) => sameHash(clientSecret, h));
      if (!client || client.status !== 'active' || !hashes.length || !matches.includes(true)) throw new InvalidClient();
      const scopes = grantedScopes(request.scope, client.scopes);
      if (!scopes) throw new AppError(400, 'invalid_scope', 'The scope asked for is not one this client holds.');
      if (lastUseDue(client.lastUsedAt, nowMs)) {
        await clients.recordUse(client.id, new Date(nowMs).toISOString(), new Date(nowMs - LAST_USED_GRANULARITY_MS).toISOString());
      }
      const { token, expiresIn } = await deps.issueToken(client.id, scopes);
      return { token, expiresIn, scopes };
    },
  };
}

export type ApiClientService = ReturnType<typeof makeApiClientService>;

export const apiClientService = makeApiClientService({ clients: clientRepo, accounts: { getAccount }, clock: appClock, issueToken: issueClientToken });

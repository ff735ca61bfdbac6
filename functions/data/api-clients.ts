import type { EntityItem } from 'electrodb';
import { db, type ApiClientEntity } from './entities.ts';
import { isConditionalFailure, withCursor, type Page } from './tx.ts';
import { PreconditionFailed } from '#platform/errors.ts';

/**
 * API clients (docs/api.md "API clients", docs/data-model.md): one item each, keyed by its id, listed
 * per account on the owner index (gsi1, oldest first). Only hashes of secrets are stored. Changes
 * are conditioned on `version`; the last use is a separate, unversioned write that never races a
 * change into a refusal.
 */
export type ApiClient = EntityItem<ApiClientEntity>;
export type NewApiClient = Omit<ApiClient, 'version' | 'lastUsedAt' | 'revokedAt'>;

export async function getApiClient(id: string, consistent = false): Promise<ApiClient | undefined> {
  const found = await db().entities.apiClient.get({ id }).go({ consistent });
  return (found.data as ApiClient | null) ?? undefined;
}

/** One page of an account's clients, oldest first (Query gsi1). */
export async function listApiClients(accountId: string, opts: { limit: number; cursor?: string }): Promise<Page<ApiClient>> {
  const query = db().entities.apiClient.query.byAccount({ accountId });
  const page = await withCursor(opts.cursor, (cursor) => query.go({ cursor, count: opts.limit }));
  return { items: page.data as ApiClient[], nextCursor: page.cursor ?? null };
}

export async function insertApiClient(client: NewApiClient): Promise<ApiClient> {
  const item = { ...client, version: 1 };
  await db().entities.apiClient.create(item).go();
  return item as ApiClient;
}

/**
 * Writes a change decided on `current` (optimistic locking on its `version`): the new item, or
 * PreconditionFailed when it changed in between (the service decides again on a fresh read).
 */
export async function updateApiClient(current: ApiClient, set: Partial<Pick<ApiClient, 'name' | 'scopes' | 'status' | 'secrets' | 'revokedAt'>>): Promise<ApiClient> {
  const next = { ...set, version: current.version + 1 };
  try {
    await db()
      .entities.apiClient.patch({ id: current.id })
      .set(next)
      .where((a, op) => op.eq(a.version, current.version))
      .go();
  } catch (err) {
    if (isConditionalFailure(err)) throw new PreconditionFailed();
    throw err;
  }
  return { ...current, ...next };
}

/**
 * Records a token issued at `at` unless a use at or after `notBefore` is recorded already: at most
 * one write a minute per client, and none that loses to a concurrent one. Never fails the request.
 */
export async function recordUse(id: string, at: string, notBefore: string): Promise<void> {
  try {
    await db()
      .entities.apiClient.patch({ id })
      .set({ lastUsedAt: at })
      .where((a, op) => `${op.notExists(a.lastUsedAt)} OR ${op.lt(a.lastUsedAt, notBefore)} OR ${op.gt(a.lastUsedAt, at)}`)
      .go();
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
  }
}

/** The names of the clients among `ids` (a client deleted since is left out), in one BatchGetItem, asked again a few times. */
export async function clientNames(ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let keys = [...new Set(ids)].map((id) => ({ id }));
  for (let attempt = 0; keys.length && attempt < 3; attempt++) {
    const found = await db().entities.apiClient.get(keys).go({ attributes: ['id', 'name'] });
    for (const c of found.data) names.set(c.id, c.name);
    keys = found.unprocessed.map((k) => ({ id: k.id }));
  }
  return names;
}

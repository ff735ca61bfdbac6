import type { ApiClient } from '#data/api-clients.ts';
import type { Scope } from '#platform/caller.ts';
import { liveSecrets } from '#domain/api-clients.ts';

/** An API client as the API answers it: its live secrets by id and last 4 characters, never a hash. */
export function apiClientView(c: ApiClient, nowMs: number) {
  return {
    id: c.id,
    accountId: c.accountId,
    name: c.name,
    scopes: c.scopes as Scope[],
    status: c.status,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    lastUsedAt: c.lastUsedAt ?? null,
    secrets: (c.status === 'active' ? liveSecrets(c.secrets, nowMs) : []).map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      expiresAt: s.expiresAt === undefined ? null : new Date(s.expiresAt).toISOString(),
      last4: s.last4,
    })),
    version: c.version,
  };
}

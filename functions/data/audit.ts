import { randomUUID } from 'node:crypto';
import { db } from './entities.ts';
import { EMPTY_PAGE, isEmptyRange, withCursor, type Page } from './tx.ts';
import { clock } from '#platform/clock.ts';

/**
 * The audit trail (SPEC §3.10): one event per state-changing request, workflow transition and job
 * action, on the account it concerns; listed newest first.
 */
export const AUDIT_RETENTION_DAYS = 400;

export interface AuditInput {
  accountId: string;
  action: string;
  resourceType: string;
  resourceId?: string;
  actorUserId?: string;
  onBehalfOfUserId?: string;
  system?: string;
  ip?: string;
  status?: number;
  details?: Record<string, unknown>;
}

export interface AuditEvent extends AuditInput {
  at: string;
  id: string;
}

/** The item to write, alone or inside the transaction of the change it records. */
export function auditItem(input: AuditInput): AuditEvent & { ttl: number } {
  return { ...input, at: clock.nowIso(), id: randomUUID(), ttl: clock.nowSeconds() + AUDIT_RETENTION_DAYS * 86_400 };
}

export async function recordAudit(events: AuditInput[]): Promise<void> {
  if (!events.length) return;
  await db()
    .entities.auditEvent.put(events.map(auditItem))
    .go();
}

export async function listAuditEvents(accountId: string, f: { from?: string; to?: string; limit: number; cursor?: string }): Promise<Page<AuditEvent>> {
  const [gte, lte] = [f.from ?? '0000', `${f.to ?? '9999'}~`];
  if (isEmptyRange(gte, lte)) return EMPTY_PAGE;
  const page = await withCursor(f.cursor, (cursor) =>
    db()
      .entities.auditEvent.query.byAccount({ accountId })
      .between({ at: gte }, { at: lte })
      .go({ cursor, limit: f.limit, pages: 1, order: 'desc' }),
  );
  return { items: page.data as AuditEvent[], nextCursor: page.cursor ?? null };
}

export function auditView(e: AuditEvent) {
  return {
    at: e.at,
    action: e.action,
    resource: { type: e.resourceType, id: e.resourceId ?? null },
    actor: e.system ? { system: e.system } : { userId: e.actorUserId ?? null, onBehalfOf: e.onBehalfOfUserId ?? null },
    ip: e.ip ?? null,
    status: e.status ?? null,
    details: e.details ?? null,
  };
}

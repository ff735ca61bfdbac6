import { randomUUID } from 'node:crypto';
import type { EntityItem } from 'electrodb';
import { db, type AuditEventEntity } from './entities.ts';
import { EMPTY_PAGE, isEmptyRange, withCursor, type Page } from './tx.ts';
import { clock } from '#platform/clock.ts';

/**
 * The audit trail (docs/product.md#audit-trail): one event per state-changing request, workflow transition and job
 * action, on the account it concerns; listed newest first.
 */
export const AUDIT_RETENTION_DAYS = 400;

export type AuditEvent = EntityItem<AuditEventEntity>;

/** What a caller says about an event; the time, the id and the expiry are added here. */
export type AuditInput = Omit<AuditEvent, 'at' | 'id' | 'ttl'> & { details?: Record<string, unknown> };

/** The item to write, alone or inside the transaction of the change it records. */
export function auditItem(input: AuditInput): AuditEvent {
  return { ...input, at: clock.nowIso(), id: randomUUID(), ttl: clock.nowSeconds() + AUDIT_RETENTION_DAYS * 86_400 };
}

export async function recordAudit(events: AuditInput[]): Promise<void> {
  if (!events.length) return;
  await db()
    .entities.auditEvent.put(events.map(auditItem))
    .go();
}

export interface AuditFilters {
  from?: string;
  to?: string;
  /** Only this action, exactly as stored (`POST /v1/orders/{orderId}/open`, `order.completed`). */
  action?: string;
  /** Only what this user did, or what was done as them under "log in as". */
  actorId?: string;
  limit: number;
  cursor?: string;
}

/**
 * An account's events, newest first: one Query of its partition between the times, `action` and
 * `actorId` as a filter expression. DynamoDB filters after its `Limit`, so a filtered page can
 * be short, or empty, while `nextCursor` still leads on.
 */
export async function listAuditEvents(accountId: string, f: AuditFilters): Promise<Page<AuditEvent>> {
  const [gte, lte] = [f.from ?? '0000', `${f.to ?? '9999'}~`];
  if (isEmptyRange(gte, lte)) return EMPTY_PAGE;
  const page = await withCursor(f.cursor, (cursor) =>
    db()
      .entities.auditEvent.query.byAccount({ accountId })
      .between({ at: gte }, { at: lte })
      .where((a, op) =>
        [
          f.action ? op.eq(a.action, f.action) : '',
          f.actorId ? `(${op.eq(a.actorUserId, f.actorId)} OR ${op.eq(a.onBehalfOfUserId, f.actorId)})` : '',
        ]
          .filter(Boolean)
          .join(' AND '),
      )
      .go({ cursor, limit: f.limit, pages: 1, order: 'desc' }),
  );
  return { items: page.data, nextCursor: page.cursor ?? null };
}

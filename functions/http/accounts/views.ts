import type * as z from 'zod/mini';
import type { Account } from '#data/accounts.ts';
import type { AuditEvent } from '#data/audit.ts';
import type { SupportContact } from '#domain/accounts.ts';
import { graceDaysOf } from '#domain/grace.ts';
import type { ActorNames } from '#services/actor-names.ts';
import type { SupportContactView } from '../schemas.ts';
import type { AccountSchema, AuditEventSchema } from './schemas.ts';

/** The account as the API shows it (docs/product.md#field-names-clients-rely-on): the agreement without who recorded it. */
export function accountView(a: Account): z.output<typeof AccountSchema> {
  const agreement = a.customerAgreement;
  return {
    id: a.id,
    type: a.type,
    parentId: a.parentId,
    name: a.name,
    status: a.status,
    settings: { ...a.settings, suspensionGraceDays: graceDaysOf(a.settings), selfServiceProducts: a.settings.selfServiceProducts ?? [] },
    address: a.address ?? null,
    support: supportView(a.support),
    billingContact: a.billingContact ? { name: a.billingContact.name, email: a.billingContact.email } : null,
    customerAgreement: agreement ? { firstName: agreement.firstName, lastName: agreement.lastName, email: agreement.email, acceptedAt: agreement.acceptedAt } : null,
    createdAt: a.createdAt,
    version: a.version,
  };
}

/** A support contact with every part named (null when not given); null when there is none. */
export function supportView(s: SupportContact | undefined): z.output<typeof SupportContactView> | null {
  return s ? { email: s.email ?? null, phone: s.phone ?? null, url: s.url ?? null } : null;
}

/** The user ids an event names (the real actor and the user acted as), to be named in one read per page. */
export const auditActorIds = (e: AuditEvent): Array<string | undefined> => (e.system ? [] : [e.actorUserId, e.onBehalfOfUserId]);

/** An audit event as answered; `nameOf` names the users it mentions (services/actor-names.ts). */
export function auditView(e: AuditEvent, nameOf: ActorNames): z.output<typeof AuditEventSchema> {
  return {
    at: e.at,
    action: e.action,
    resource: { type: e.resourceType, id: e.resourceId ?? null },
    actor: e.system
      ? { system: e.system }
      : {
          userId: e.actorUserId ?? null,
          name: e.actorUserId ? nameOf(e.actorUserId) : null,
          onBehalfOf: e.onBehalfOfUserId ?? null,
          onBehalfOfName: e.onBehalfOfUserId ? nameOf(e.onBehalfOfUserId) : null,
        },
    ip: e.ip ?? null,
    status: e.status ?? null,
    details: e.details ?? null,
  };
}

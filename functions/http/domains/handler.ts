import type * as z from 'zod/mini';
import type { Domain, DomainSubscription } from '#data/domains.ts';
import { isQualification } from '#domain/trials.ts';
import { domainService } from '#services/domains.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { AccountParams, AvailabilitySchema, AvailabilityQuery, DomainBody, DomainCreatedSchema, DomainPage, DomainParams, DomainSchema, InvitationSentSchema } from './schemas.ts';

/**
 * Microsoft domains (docs/product.md#microsoft-domains, docs/product.md#domains): services/domains.ts. The view lists, per domain, the
 * subscriptions on it and their license counts.
 */
export function domainView(d: Domain, subscriptions: DomainSubscription[] = []): z.output<typeof DomainSchema> {
  const mine = subscriptions.filter((s) => s.domainId === d.id);
  return {
    id: d.id,
    accountId: d.accountId,
    domain: d.domain,
    mode: d.mode,
    status: d.status,
    createdAt: d.createdAt,
    invitationSentAt: d.invitationSentAt ?? null,
    qualifications: (d.qualifications ?? []).filter(isQualification),
    subscriptions: mine.map((s) => ({ id: s.id, name: s.name, quantity: s.quantity, assignedCount: s.assignedCount, status: s.status })),
    licenseCount: mine.filter((s) => s.status !== 'cancelled' && s.status !== 'expired').reduce((n, s) => n + s.quantity, 0),
    assignedCount: mine.reduce((n, s) => n + s.assignedCount, 0),
    version: d.version,
  };
}

const availability = httpHandler({ query: AvailabilityQuery, response: AvailabilitySchema }, async ({ query }) => ({
  statusCode: 200,
  body: await domainService.availability(query.prefix),
}));

const list = httpHandler({ params: AccountParams, response: DomainPage }, async ({ params, caller }) => {
  const { domains, subscriptions } = await domainService.list(caller, params.accountId);
  return { statusCode: 200, body: { items: domains.map((d) => domainView(d, subscriptions)), nextCursor: null } };
});

const create = httpHandler({ params: AccountParams, body: DomainBody, response: DomainCreatedSchema }, async ({ params, body, caller }) => {
  const { domain, credentials } = await domainService.create(caller, params.accountId, body);
  return { statusCode: 201, body: { domain: domainView(domain), ...(credentials ? { credentials } : {}) } };
});

const getOne = httpHandler({ params: DomainParams, response: DomainSchema }, async ({ params, caller }) => {
  const { domain, subscriptions } = await domainService.read(caller, params.domainId);
  return { statusCode: 200, body: domainView(domain, subscriptions) };
});

/** The customer's admin accepts the partner relationship; the orders that waited on it go on. */
const accept = httpHandler({ params: DomainParams, response: DomainSchema }, async ({ params, caller }) => {
  const { domain, subscriptions } = await domainService.accept(caller, params.domainId);
  return { statusCode: 200, body: domainView(domain, subscriptions) };
});

/**
 * The partner invitation of a linked domain, sent again to the customer's admins (staff in scope,
 * the customer's admins). The answer names no account, so the audit event says which.
 */
const resendInvitation = httpHandler({ params: DomainParams, response: InvitationSentSchema }, async ({ params, caller }) => {
  const { domain, sentTo } = await domainService.resendInvitation(caller, params.domainId);
  return {
    statusCode: 202,
    body: { domainId: domain.id, sentTo },
    audit: { accountId: domain.accountId, resourceType: 'domain', resourceId: domain.id, details: { sentTo } },
  };
});

export const handler = routeGroup({
  'GET /v1/domains/availability': availability,
  'GET /v1/accounts/{accountId}/domains': list,
  'POST /v1/accounts/{accountId}/domains': create,
  'GET /v1/domains/{domainId}': getOne,
  'POST /v1/domains/{domainId}/accept': accept,
  'POST /v1/domains/{domainId}/invitation': resendInvitation,
});

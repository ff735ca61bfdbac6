import * as z from 'zod';
import { accountScope, getAccount } from '#data/accounts.ts';
import { domainView, getDomain, insertDomain, isDomainNameHeld, listDomains, releaseDomain, setDomainStatus, subscriptionsOfAccount, type Domain } from '#data/domains.ts';
import { ordersWaitingForPartner, unparkTaskToken } from '#data/orders.ts';
import { listActiveAdmins } from '#data/users.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { actorOf } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { env } from '#platform/env.ts';
import { BusinessRuleRefused, Conflict, Forbidden, NotFound } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { newId } from '#platform/ids.ts';
import { logger } from '#platform/logger.ts';
import { authorize } from '#platform/scope.ts';
import { VendorPermanentError, askVendor } from '#platform/vendor/index.ts';
import { isTokenGone, resumeWorkflow } from '#platform/workflow.ts';
import { ensureWorkflow } from '#services/order-lifecycle.ts';
import { AccountId, Company, CustomerAgreement, DomainId, DomainPrefix } from '../schemas.ts';

/**
 * Microsoft domains (SPEC §3.6, §4.7): availability for any signed-in user; creating a tenant or
 * linking an existing one for a customer account; the partner relationship accepted by the
 * customer's admin, which lets the orders waiting on it go on.
 */
const DOMAIN_SUFFIX = '.onmicrosoft.com';

const availability = httpHandler({ query: z.object({ prefix: DomainPrefix }).strict() }, async ({ query }) => {
  const domain = `${query.prefix}${DOMAIN_SUFFIX}`;
  const available = !(await isDomainNameHeld(domain)) && (await askVendor((v) => v.isDomainAvailable(query.prefix)));
  return { statusCode: 200, body: { prefix: query.prefix, domain, available } };
});

const AccountParams = z.object({ accountId: AccountId }).strict();

const list = httpHandler({ params: AccountParams }, async ({ params, caller }) => {
  const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'view');
  const [domains, subscriptions] = await Promise.all([listDomains(account.id), subscriptionsOfAccount(account.id)]);
  return { statusCode: 200, body: { items: domains.map((d) => domainView(d, subscriptions)), nextCursor: null } };
});

const DomainBody = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('create'), prefix: DomainPrefix, company: Company, customerAgreement: CustomerAgreement.optional() }).strict(),
  z
    .object({
      mode: z.literal('link'),
      domain: z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]\.onmicrosoft\.com$/, 'must be <name>.onmicrosoft.com'),
    })
    .strict(),
]);

const create = httpHandler({ params: AccountParams, body: DomainBody }, async ({ params, body, caller }) => {
  const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'manage');
  if (account.type !== 'customer') throw new BusinessRuleRefused('not_a_customer', 'Domains belong to customer accounts.');
  const now = clock.nowIso();
  const base = { accountId: account.id, parentId: account.parentId ?? account.id, rootId: account.rootId, accountPath: account.accountPath, createdAt: now, version: 1 };

  if (body.mode === 'create') {
    if (caller.actorUserId && body.customerAgreement) throw new Forbidden('The customer accepts the agreement itself, not through "log in as".');
    if (!account.customerAgreement && !body.customerAgreement) {
      throw new BusinessRuleRefused('customer_agreement_required', 'The Microsoft Customer Agreement must be accepted first.', [{ path: 'customerAgreement' }]);
    }
    const name = `${body.prefix}${DOMAIN_SUFFIX}`;
    if (!(await askVendor((v) => v.isDomainAvailable(body.prefix)))) throw new Conflict('domain_taken', `The domain ${name} is already taken.`, [{ path: 'prefix' }]);
    const domain: Domain = { ...base, id: newId('domain'), domain: name, mode: 'create', status: 'pending', company: body.company };
    const agreement = !account.customerAgreement && body.customerAgreement ? { ...body.customerAgreement, recordedAt: now, recordedBy: actorOf(caller).userId } : undefined;
    await insertDomain(domain, agreement);
    try {
      const tenant = await askVendor((v) => v.createTenant({ prefix: body.prefix, company: body.company }));
      await setDomainStatus(domain.id, { status: 'active', tenantId: tenant.tenantId });
      // The generated admin credentials are shown once, here, and kept nowhere.
      return {
        statusCode: 201,
        body: { domain: domainView({ ...domain, status: 'active', tenantId: tenant.tenantId }), credentials: { login: tenant.adminLogin, password: tenant.adminPassword } },
      };
    } catch (err) {
      await releaseDomain(domain);
      if (err instanceof VendorPermanentError) throw new Conflict('domain_taken', err.message, [{ path: 'prefix' }]);
      throw err;
    }
  }

  const tenant = await askVendor((v) => v.getTenant(body.domain));
  if (!tenant) throw new NotFound(`No Microsoft tenant ${body.domain} exists.`);
  const pending = tenant.partner === 'other';
  const domain: Domain = { ...base, id: newId('domain'), domain: body.domain, mode: 'link', status: pending ? 'pending_partner_acceptance' : 'active', tenantId: tenant.tenantId };
  const outbox = [];
  if (pending) {
    const parent = account.parentId ? await getAccount(account.parentId) : undefined;
    for (const admin of await listActiveAdmins(account.id)) {
      outbox.push(
        outboxEmail(
          'partner-invitation',
          recipientOf(admin),
          { domain: body.domain, partnerName: parent?.name ?? 'your partner', accountName: account.name, acceptUrl: `${env.portalUrl()}/domains/${domain.id}/accept` },
        ),
      );
    }
  }
  await insertDomain(domain, undefined, outbox);
  return { statusCode: 201, body: { domain: domainView(domain) } };
});

const DomainParams = z.object({ domainId: DomainId }).strict();

const getOne = httpHandler({ params: DomainParams }, async ({ params, caller }) => {
  const domain = authorize(caller, await getDomain(params.domainId), 'view');
  return { statusCode: 200, body: domainView(domain, await subscriptionsOfAccount(domain.accountId)) };
});

/** The customer's admin accepts the reseller relationship; the orders that waited on it go on. */
const accept = httpHandler({ params: DomainParams }, async ({ params, caller }) => {
  const domain = authorize(caller, await getDomain(params.domainId, true), 'manage');
  if (caller.accountType !== 'customer') throw new Forbidden('The customer\'s own admin accepts the partner relationship.');
  if (caller.actorUserId) throw new Forbidden('The customer accepts the partner relationship itself, not through "log in as".');
  if (domain.status !== 'pending_partner_acceptance') throw new Conflict('invalid_state', `The domain is ${domain.status}.`, [{ status: domain.status }]);
  if (!(await setDomainStatus(domain.id, { status: 'active' }, 'pending_partner_acceptance'))) throw new Conflict('invalid_state', 'The domain changed meanwhile.');
  for (const order of await ordersWaitingForPartner(domain.accountId, domain.id)) {
    if (!order.taskToken) continue;
    await unparkTaskToken(order.id, order.taskToken);
    try {
      await resumeWorkflow(order.taskToken, { gate: 'partner', by: actorOf(caller) });
    } catch (err) {
      if (!isTokenGone(err)) throw err;
      // The order's own gate saw the acceptance first and went on by itself; or its execution is
      // gone (stopped, lost at a local restart): it is resumed, and finds the domain ready.
      logger.info('partner gate token no longer valid', { orderId: order.id, error: (err as Error).name });
      await ensureWorkflow(order.id);
    }
  }
  return { statusCode: 200, body: domainView({ ...domain, status: 'active' }, await subscriptionsOfAccount(domain.accountId)) };
});

export const handler = routeGroup({
  'GET /v1/domains/availability': availability,
  'GET /v1/accounts/{accountId}/domains': list,
  'POST /v1/accounts/{accountId}/domains': create,
  'GET /v1/domains/{domainId}': getOne,
  'POST /v1/domains/{domainId}/accept': accept,
});

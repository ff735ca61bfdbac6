import * as accountRepo from '#data/accounts.ts';
import * as domainRepo from '#data/domains.ts';
import * as orderRepo from '#data/orders.ts';
import * as userRepo from '#data/users.ts';
import type { Account, CustomerAgreement } from '#data/accounts.ts';
import type { Domain, DomainSubscription, NewDomain } from '#data/domains.ts';
import { outboxEmail, recipientOf, type OutboxItem } from '#emails/index.ts';
import { actorOf, type Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { env } from '#platform/env.ts';
import { BusinessRuleRefused, Conflict, Forbidden, NotFound } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { Throttled } from '#platform/passwords.ts';
import { logger } from '#platform/logger.ts';
import { authorize } from '#platform/scope.ts';
import { isSelfServiceBuyer } from '#domain/self-service.ts';
import { askVendor, VendorPermanentError, type Company, type Vendor } from '#platform/vendor/index.ts';
import * as workflowPort from '#platform/workflow.ts';
import { domainOf, invitationResendWait } from '#domain/catalog.ts';
import type { Qualification } from '#domain/trials.ts';
import { eligibility, type Eligibility } from './eligibility.ts';
import { ensureWorkflow } from './order-lifecycle.ts';

/**
 * Microsoft domains (docs/product.md#microsoft-domains, docs/product.md#domains): availability for any signed-in user; creating a tenant or
 * linking an existing one for a customer account; the partner relationship accepted by the
 * customer's admin, which lets the orders waiting on it go on.
 */
export interface DomainDeps {
  accounts: Pick<typeof accountRepo, 'getAccount' | 'accountScope'>;
  domains: Pick<typeof domainRepo, 'getDomain' | 'isDomainNameHeld' | 'listDomains' | 'subscriptionsOfAccount' | 'insertDomain' | 'releaseDomain' | 'setDomainStatus' | 'recordInvitationSent'>;
  orders: Pick<typeof orderRepo, 'ordersWaitingForPartner' | 'unparkTaskToken'>;
  users: Pick<typeof userRepo, 'listActiveAdmins'>;
  /** The vendor, asked as the HTTP path asks it (a vendor timeout is a 503). */
  vendor: <T>(call: (vendor: Pick<Vendor, 'isDomainAvailable' | 'createTenant' | 'getTenant'>) => Promise<T>) => Promise<T>;
  workflow: Pick<typeof workflowPort, 'resumeWorkflow' | 'isTokenGone'>;
  /** Makes sure an order whose parked token is gone has a running execution (services/order-lifecycle.ts). */
  ensureWorkflow: (orderId: string) => Promise<unknown>;
  clock: { nowIso(): string; now(): Date };
  newId: (kind: 'domain') => string;
  portalUrl: () => string;
  /** The vendor's approval of a qualification asked for (services/eligibility.ts); without it none is asked. */
  eligibility?: Pick<Eligibility, 'approvedQualifications'>;
}

export type DomainRequest =
  | { mode: 'create'; prefix: string; company: Company; customerAgreement?: Omit<CustomerAgreement, 'recordedAt' | 'recordedBy'>; qualification?: Qualification }
  | { mode: 'link'; domain: string };

/** A domain with the subscriptions of its account (the view picks those on the domain). */
export interface DomainWithSubscriptions {
  domain: Domain;
  subscriptions: DomainSubscription[];
}

export interface CreatedDomain {
  domain: Domain;
  /** The generated tenant admin's credentials: shown once, here, and kept nowhere (mode `create`). */
  credentials?: { login: string; password: string };
}

export function makeDomainService(deps: DomainDeps) {
  const { accounts, domains } = deps;

  /**
   * The partner invitation (docs/product.md#microsoft-domains) to each ready admin of the customer
   * account, in their locale, naming the account above it as the partner.
   */
  async function invitations(account: Account, domain: Pick<Domain, 'id' | 'domain'>): Promise<OutboxItem[]> {
    const [parent, admins] = await Promise.all([account.parentId ? accounts.getAccount(account.parentId) : undefined, deps.users.listActiveAdmins(account.id)]);
    return admins.map((admin) =>
      outboxEmail('partner-invitation', recipientOf(admin), {
        domain: domain.domain,
        partnerName: parent?.name ?? 'your partner',
        accountName: account.name,
        acceptUrl: `${deps.portalUrl()}/domains/${domain.id}/accept`,
      }, { accountId: account.id }),
    );
  }

  const withSubscriptions = async (domain: Domain): Promise<DomainWithSubscriptions> => ({ domain, subscriptions: await domains.subscriptionsOfAccount(domain.accountId) });

  /**
   * The orders parked at the partner gate of `domain` go on: each token is taken off its order
   * first (so a second acceptance or the order's own gate does not send it again), then its
   * execution is called back.
   */
  async function releaseWaitingOrders(domain: Domain, caller: Caller): Promise<void> {
    for (const order of await deps.orders.ordersWaitingForPartner(domain.accountId, domain.id)) {
      if (!order.taskToken) continue;
      await deps.orders.unparkTaskToken(order.id, order.taskToken);
      try {
        await deps.workflow.resumeWorkflow(order.taskToken, { gate: 'partner', by: actorOf(caller) });
      } catch (err) {
        if (!deps.workflow.isTokenGone(err)) throw err;
        // The order's own gate saw the acceptance first and went on by itself; or its execution is
        // gone (stopped, lost at a local restart): it is resumed, and finds the domain ready.
        logger.info('partner gate token no longer valid', { orderId: order.id, error: (err as Error).name });
        await deps.ensureWorkflow(order.id);
      }
    }
  }

  async function createTenant(caller: Caller, base: Omit<NewDomain, 'id' | 'domain' | 'mode' | 'status'>, agreementRecorded: boolean, body: Extract<DomainRequest, { mode: 'create' }>): Promise<CreatedDomain> {
    if (caller.actorUserId && body.customerAgreement) throw new Forbidden('The customer accepts the agreement itself, not through "log in as".');
    if (!agreementRecorded && !body.customerAgreement) {
      throw new BusinessRuleRefused('customer_agreement_required', 'The Microsoft Customer Agreement must be accepted first.', [{ path: 'customerAgreement' }]);
    }
    const name = domainOf(body.prefix);
    if (!(await deps.vendor((v) => v.isDomainAvailable(body.prefix)))) throw new Conflict('domain_taken', `The domain ${name} is already taken.`, [{ path: 'prefix' }]);
    const qualifications = deps.eligibility ? await deps.eligibility.approvedQualifications(body, 'qualification') : [];
    const agreement = !agreementRecorded && body.customerAgreement ? { ...body.customerAgreement, recordedAt: base.createdAt, recordedBy: actorOf(caller).userId } : undefined;
    // The name is held first, so two requests cannot both create a tenant for it.
    const domain = await domains.insertDomain(
      { ...base, id: deps.newId('domain'), domain: name, mode: 'create', status: 'pending', company: body.company, ...(qualifications.length ? { qualifications } : {}) },
      agreement,
    );
    try {
      const tenant = await deps.vendor((v) => v.createTenant({ prefix: body.prefix, company: body.company }));
      const active = await domains.setDomainStatus(domain.id, { status: 'active', tenantId: tenant.tenantId });
      return { domain: active ?? { ...domain, status: 'active', tenantId: tenant.tenantId }, credentials: { login: tenant.adminLogin, password: tenant.adminPassword } };
    } catch (err) {
      await domains.releaseDomain(domain);
      if (err instanceof VendorPermanentError) throw new Conflict('domain_taken', err.message, [{ path: 'prefix' }]);
      throw err;
    }
  }

  return {
    /** Whether `<prefix>.onmicrosoft.com` can still be created: held by no domain here, and free at the vendor. */
    async availability(prefix: string): Promise<{ prefix: string; domain: string; available: boolean }> {
      const domain = domainOf(prefix);
      const available = !(await domains.isDomainNameHeld(domain)) && (await deps.vendor((v) => v.isDomainAvailable(prefix)));
      return { prefix, domain, available };
    },

    async list(caller: Caller, accountId: string): Promise<{ domains: Domain[]; subscriptions: DomainSubscription[] }> {
      // A self-service buyer picks its organization's tenant at checkout: the domains, not the account's licenses on them.
      if (isSelfServiceBuyer(caller)) {
        const own = authorize(caller, accounts.accountScope(await accounts.getAccount(accountId)), 'read');
        if (!own.settings.allowSelfServicePurchases) throw new Forbidden('Your account does not allow self-service purchases.');
        return { domains: await domains.listDomains(own.id), subscriptions: [] };
      }
      const account = authorize(caller, accounts.accountScope(await accounts.getAccount(accountId)), 'view');
      const [list, subscriptions] = await Promise.all([domains.listDomains(account.id), domains.subscriptionsOfAccount(account.id)]);
      return { domains: list, subscriptions };
    },

    async read(caller: Caller, domainId: string): Promise<DomainWithSubscriptions> {
      return withSubscriptions(authorize(caller, await domains.getDomain(domainId), 'view'));
    },

    /**
     * A new tenant (`create`: the name held here and free at the vendor, the agreement recorded
     * with it) or an existing one linked (`link`): one that had another partner waits for the
     * customer's acceptance, and the account's admins get the invitation.
     */
    async create(caller: Caller, accountId: string, body: DomainRequest): Promise<CreatedDomain> {
      const account = authorize(caller, accounts.accountScope(await accounts.getAccount(accountId)), 'manage');
      if (account.type !== 'customer') throw new BusinessRuleRefused('not_a_customer', 'Domains belong to customer accounts.');
      const base = { accountId: account.id, parentId: account.parentId ?? account.id, rootId: account.rootId, accountPath: account.accountPath, createdAt: deps.clock.nowIso() };
      if (body.mode === 'create') return createTenant(caller, base, Boolean(account.customerAgreement), body);

      const tenant = await deps.vendor((v) => v.getTenant(body.domain));
      if (!tenant) throw new NotFound(`No Microsoft tenant ${body.domain} exists.`);
      const pending = tenant.partner === 'other';
      const id = deps.newId('domain');
      const outbox = pending ? await invitations(account, { id, domain: body.domain }) : [];
      const domain = await domains.insertDomain(
        {
          ...base,
          id,
          domain: body.domain,
          mode: 'link',
          status: pending ? 'pending_partner_acceptance' : 'active',
          tenantId: tenant.tenantId,
          ...(pending ? { invitationSentAt: base.createdAt } : {}),
        },
        undefined,
        outbox,
      );
      return { domain };
    },

    /**
     * Sends the partner invitation of a linked domain again (docs/product.md#microsoft-domains), to the customer
     * account's ready admins as they are now, through the outbox: staff in scope and the
     * customer's admins, while the domain waits for the acceptance (409 `invalid_state`
     * otherwise), at most once a minute per domain (429 `throttled` with the seconds to wait).
     * Answers how many admins it was sent to (0 when the account has none ready: nothing is sent).
     */
    async resendInvitation(caller: Caller, domainId: string): Promise<{ domain: Domain; sentTo: number }> {
      const domain = authorize(caller, await domains.getDomain(domainId, true), 'view');
      if (domain.status !== 'pending_partner_acceptance') throw new Conflict('invalid_state', `The domain is ${domain.status}.`, [{ status: domain.status }]);
      const wait = invitationResendWait(domain.invitationSentAt, deps.clock.now());
      if (wait > 0) throw new Throttled(wait, 'The invitation was sent less than a minute ago; try again in a moment.');
      const account = await accounts.getAccount(domain.accountId);
      if (!account) throw new NotFound();
      const outbox = await invitations(account, domain);
      if (!outbox.length) return { domain, sentTo: 0 };
      if (!(await domains.recordInvitationSent(domain.id, deps.clock.nowIso(), domain.invitationSentAt, outbox))) {
        throw new Conflict('invalid_state', 'The domain changed meanwhile; read it again.');
      }
      return { domain, sentTo: outbox.length };
    },

    /** The customer's admin accepts the reseller relationship; the orders that waited on it go on, once. */
    async accept(caller: Caller, domainId: string): Promise<DomainWithSubscriptions> {
      const domain = authorize(caller, await domains.getDomain(domainId, true), 'manage');
      if (caller.accountType !== 'customer') throw new Forbidden("The customer's own admin accepts the partner relationship.");
      if (caller.actorUserId) throw new Forbidden('The customer accepts the partner relationship itself, not through "log in as".');
      if (domain.status !== 'pending_partner_acceptance') throw new Conflict('invalid_state', `The domain is ${domain.status}.`, [{ status: domain.status }]);
      // Conditioned on the status read: of two acceptances, one moves it and releases the orders.
      const accepted = await domains.setDomainStatus(domain.id, { status: 'active' }, 'pending_partner_acceptance');
      if (!accepted) throw new Conflict('invalid_state', 'The domain changed meanwhile.');
      await releaseWaitingOrders(accepted, caller);
      return withSubscriptions(accepted);
    },
  };
}

export type DomainService = ReturnType<typeof makeDomainService>;

export const domainService = makeDomainService({
  accounts: accountRepo,
  domains: domainRepo,
  orders: orderRepo,
  users: userRepo,
  vendor: askVendor,
  workflow: workflowPort,
  ensureWorkflow: (orderId) => ensureWorkflow(orderId),
  clock,
  newId,
  portalUrl: () => env.portalUrl(),
  eligibility,
});

import type { CustomerAgreement } from '#data/accounts.ts';
import type { Domain, DomainSubscription, NewDomain } from '#data/domains.ts';
import type { Order } from '#data/orders.ts';
import type { OutboxItem } from '#emails/outbox.ts';
import type { Caller } from '#platform/caller.ts';
import { Conflict } from '#platform/errors.ts';
import { VendorPermanentError } from '#platform/vendor/port.ts';
import { setClock } from '#platform/clock.ts';
import { callerOf, clock, fakeWorld, NOW } from './fake-people.ts';

const { makeDomainService } = await import('#services/domains.ts');

/**
 * The domains service over in-memory repositories: names held here, a sandbox-like vendor, orders
 * parked at the partner gate and the workflow callbacks they get.
 */
function setUp(opts: { vendorHas?: string[]; otherPartner?: string[] } = {}) {
  const world = fakeWorld();
  const channel = world.add.channel();
  const domains = new Map<string, Domain>();
  const names = new Set<string>();
  const vendorHas = new Set(opts.vendorHas ?? []);
  const vendorCalls: string[] = [];
  let refuseTenant = false;
  const waiting: Array<Pick<Order, 'id' | 'accountId' | 'domainId' | 'taskToken'>> = [];
  const resumed: Array<{ token: string; output: unknown }> = [];
  const goneTokens = new Set<string>();
  const ensured: string[] = [];
  let seq = 0;

  const domainRepo = {
    async getDomain(id: string) {
      const d = domains.get(id);
      return d && structuredClone(d);
    },
    async isDomainNameHeld(name: string) {
      return names.has(name.toLowerCase());
    },
    async listDomains(accountId: string) {
      return [...domains.values()].filter((d) => d.accountId === accountId && d.status !== 'failed');
    },
    async subscriptionsOfAccount(): Promise<DomainSubscription[]> {
      return [];
    },
    async insertDomain(d: NewDomain, agreement?: CustomerAgreement, outbox: OutboxItem[] = []) {
      if (names.has(d.domain.toLowerCase())) throw new Conflict('domain_taken', 'taken', [{ path: 'domain' }]);
      names.add(d.domain.toLowerCase());
      const domain = { ...d, version: 1 };
      domains.set(d.id, domain);
      const account = world.accounts.get(d.accountId)!;
      if (agreement && !account.customerAgreement) account.customerAgreement = agreement;
      world.emails.push(...outbox);
      return structuredClone(domain);
    },
    async releaseDomain(d: Pick<Domain, 'id' | 'domain'>) {
      domains.delete(d.id);
      names.delete(d.domain.toLowerCase());
    },
    async recordInvitationSent(id: string, sentAt: string, previous: string | undefined, outbox: OutboxItem[]) {
      const d = domains.get(id);
      if (!d || d.status !== 'pending_partner_acceptance' || d.invitationSentAt !== previous) return false;
      domains.set(id, { ...d, invitationSentAt: sentAt });
      world.emails.push(...outbox);
      return true;
    },
    async setDomainStatus(id: string, set: { status: Domain['status']; tenantId?: string }, from?: Domain['status']) {
      const d = domains.get(id);
      if (!d || (from && d.status !== from)) return undefined;
      const next = { ...d, ...set, version: d.version + 1 };
      domains.set(id, next);
      return structuredClone(next);
    },
  };

  const orderRepo = {
    async ordersWaitingForPartner(accountId: string, domainId: string) {
      return structuredClone(waiting.filter((o) => o.accountId === accountId && o.domainId === domainId && o.taskToken)) as Order[];
    },
    async unparkTaskToken(orderId: string, token: string) {
      const o = waiting.find((w) => w.id === orderId && w.taskToken === token);
      if (o) delete o.taskToken;
    },
  };

  const vendor = {
    async isDomainAvailable(prefix: string) {
      vendorCalls.push(`isDomainAvailable ${prefix}`);
      return !vendorHas.has(prefix);
    },
    async createTenant(input: { prefix: string }) {
      vendorCalls.push(`createTenant ${input.prefix}`);
      if (refuseTenant) throw new VendorPermanentError('The vendor refused the tenant.');
      return { tenantId: `tnt-${input.prefix}`, domain: `${input.prefix}.onmicrosoft.com`, adminLogin: `admin@${input.prefix}.onmicrosoft.com`, adminPassword: 'Generated-1!' };
    },
    async getTenant(domain: string) {
      vendorCalls.push(`getTenant ${domain}`);
      if (!vendorHas.has(domain)) return undefined;
      return { tenantId: `tnt-${domain}`, partner: (opts.otherPartner ?? []).includes(domain) ? ('other' as const) : ('self' as const) };
    },
  };

  const service = makeDomainService({
    accounts: world.accountRepo,
    domains: domainRepo,
    orders: orderRepo,
    users: { listActiveAdmins: async (accountId: string) => [...world.users.values()].filter((u) => u.accountId === accountId && u.role === 'admin' && u.status === 'ready') },
    vendor: (call) => call(vendor),
    workflow: {
      async resumeWorkflow(token: string, output: unknown = {}) {
        if (goneTokens.has(token)) throw Object.assign(new Error('gone'), { name: 'TaskTimedOut' });
        resumed.push({ token, output });
      },
      isTokenGone: (err: unknown) => (err as Error).name === 'TaskTimedOut',
    },
    ensureWorkflow: async (orderId: string) => {
      ensured.push(orderId);
      return 'resumed';
    },
    clock,
    newId: () => `dom_${String(++seq).padStart(26, '0')}`,
    portalUrl: () => 'https://portal.example.com',
  });

  return {
    world,
    channel,
    service,
    domains,
    names,
    vendorCalls,
    waiting,
    resumed,
    goneTokens,
    ensured,
    refuseTenant: () => (refuseTenant = true),
    admin: callerOf(channel.customerAdmin),
  };
}

const company = {
  name: 'Contoso Ltd',
  address: { line1: '1 Contoso Way', city: 'Dublin', postalCode: 'D02 XY45', country: 'IE' },
  contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@contoso.example' },
};
const agreement = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@contoso.example', acceptedAt: '2027-03-01T09:00:00.000Z' };

describe('creating a tenant', () => {
  it('holds the name, creates the tenant, records the agreement and answers the credentials once', async () => {
    const t = setUp();
    const created = await t.service.create(t.admin, t.channel.customer.id, { mode: 'create', prefix: 'contoso', company, customerAgreement: agreement });
    expect(created.domain).toMatchObject({ domain: 'contoso.onmicrosoft.com', mode: 'create', status: 'active', tenantId: 'tnt-contoso', version: 2 });
    expect(created.credentials).toEqual({ login: 'admin@contoso.onmicrosoft.com', password: 'Generated-1!' });
    expect(t.names.has('contoso.onmicrosoft.com')).toBe(true);
    expect(t.world.accounts.get(t.channel.customer.id)!.customerAgreement).toMatchObject({ ...agreement, recordedBy: t.channel.customerAdmin.id });
  });

  it('refuses a name the vendor already has with 409 domain_taken, holding nothing', async () => {
    const t = setUp({ vendorHas: ['taken'] });
    await expect(t.service.create(t.admin, t.channel.customer.id, { mode: 'create', prefix: 'taken', company, customerAgreement: agreement })).rejects.toMatchObject({
      status: 409,
      code: 'domain_taken',
    });
    expect(t.domains.size).toBe(0);
    expect(t.vendorCalls).not.toContain('createTenant taken');
  });

  it('refuses a name another domain of this deployment holds with 409 domain_taken and creates no tenant', async () => {
    const t = setUp();
    await t.service.create(t.admin, t.channel.customer.id, { mode: 'create', prefix: 'contoso', company, customerAgreement: agreement });
    await expect(t.service.create(t.admin, t.channel.customer.id, { mode: 'create', prefix: 'contoso', company })).rejects.toMatchObject({ status: 409, code: 'domain_taken' });
    expect(t.vendorCalls.filter((c) => c === 'createTenant contoso')).toHaveLength(1);
  });

  it('lets go of the name when the vendor refuses the tenant, answering 409 domain_taken', async () => {
    const t = setUp();
    t.refuseTenant();
    await expect(t.service.create(t.admin, t.channel.customer.id, { mode: 'create', prefix: 'contoso', company, customerAgreement: agreement })).rejects.toMatchObject({
      status: 409,
      code: 'domain_taken',
    });
    expect(t.domains.size).toBe(0);
    expect(t.names.size).toBe(0);
  });

  it('requires the Microsoft Customer Agreement before the first tenant (422) and asks the vendor nothing', async () => {
    const t = setUp();
    await expect(t.service.create(t.admin, t.channel.customer.id, { mode: 'create', prefix: 'contoso', company })).rejects.toMatchObject({
      status: 422,
      code: 'customer_agreement_required',
    });
    expect(t.vendorCalls).toEqual([]);
  });

  it('refuses an agreement given through "log in as" (403)', async () => {
    const t = setUp();
    const loggedInAs: Caller = { ...t.admin, actorUserId: t.channel.resellerAdmin.id };
    await expect(t.service.create(loggedInAs, t.channel.customer.id, { mode: 'create', prefix: 'contoso', company, customerAgreement: agreement })).rejects.toMatchObject({ status: 403 });
  });

  it('refuses domains for an account that is not a customer (422 not_a_customer)', async () => {
    const t = setUp();
    await expect(t.service.create(callerOf(t.channel.resellerAdmin), t.channel.reseller.id, { mode: 'create', prefix: 'contoso', company, customerAgreement: agreement })).rejects.toMatchObject({
      status: 422,
      code: 'not_a_customer',
    });
  });
});

describe('availability', () => {
  it('says a name held here is not available without asking the vendor', async () => {
    const t = setUp();
    await t.service.create(t.admin, t.channel.customer.id, { mode: 'create', prefix: 'contoso', company, customerAgreement: agreement });
    t.vendorCalls.length = 0;
    expect(await t.service.availability('contoso')).toEqual({ prefix: 'contoso', domain: 'contoso.onmicrosoft.com', available: false });
    expect(t.vendorCalls).toEqual([]);
  });

  it('asks the vendor for a name nobody here holds', async () => {
    const t = setUp({ vendorHas: ['fabrikam'] });
    expect((await t.service.availability('fabrikam')).available).toBe(false);
    expect((await t.service.availability('northwind')).available).toBe(true);
  });
});

describe('linking an existing tenant', () => {
  it('links a tenant of another provider pending acceptance and invites every active admin of the account', async () => {
    const t = setUp({ vendorHas: ['fabrikam.onmicrosoft.com'], otherPartner: ['fabrikam.onmicrosoft.com'] });
    t.world.add.user(t.channel.customer, { role: 'admin', status: 'ready' });
    t.world.add.user(t.channel.customer, { role: 'admin', status: 'not_activated' });
    const { domain, credentials } = await t.service.create(t.admin, t.channel.customer.id, { mode: 'link', domain: 'fabrikam.onmicrosoft.com' });
    expect(domain).toMatchObject({ mode: 'link', status: 'pending_partner_acceptance', tenantId: 'tnt-fabrikam.onmicrosoft.com' });
    expect(credentials).toBeUndefined();
    expect(t.world.emails.map((e) => [e.template, e.accountId])).toEqual([
      ['partner-invitation', t.channel.customer.id],
      ['partner-invitation', t.channel.customer.id],
    ]);
  });

  it('links a tenant already ours as active and sends nothing', async () => {
    const t = setUp({ vendorHas: ['fabrikam.onmicrosoft.com'] });
    const { domain } = await t.service.create(t.admin, t.channel.customer.id, { mode: 'link', domain: 'fabrikam.onmicrosoft.com' });
    expect(domain.status).toBe('active');
    expect(t.world.emails).toEqual([]);
  });

  it('answers 404 for a tenant the vendor does not have', async () => {
    const t = setUp();
    await expect(t.service.create(t.admin, t.channel.customer.id, { mode: 'link', domain: 'nobody.onmicrosoft.com' })).rejects.toMatchObject({ status: 404 });
    expect(t.domains.size).toBe(0);
  });
});

describe('sending the partner invitation again', () => {
  const pendingWorld = () => setUp({ vendorHas: ['fabrikam.onmicrosoft.com', 'ours.onmicrosoft.com'], otherPartner: ['fabrikam.onmicrosoft.com'] });
  const later = (seconds: number) => setClock(new Date(NOW.getTime() + seconds * 1000));
  beforeEach(() => setClock(NOW));
  afterEach(() => setClock(NOW));

  it("sends it to the customer's ready admins as they are now, through the outbox, once a minute has passed since the last", async () => {
    const t = pendingWorld();
    const { domain } = await t.service.create(t.admin, t.channel.customer.id, { mode: 'link', domain: 'fabrikam.onmicrosoft.com' });
    const firstSent = domain.invitationSentAt!;
    expect(Date.parse(firstSent)).toBeGreaterThanOrEqual(NOW.getTime());
    const newAdmin = t.world.add.user(t.channel.customer, { role: 'admin' });
    t.world.emails.length = 0;
    later(61);
    const sent = await t.service.resendInvitation(callerOf(t.channel.resellerAdmin), domain.id);
    expect(sent.sentTo).toBe(2);
    expect(t.world.emails.map((e) => [e.template, e.to])).toEqual([
      ['partner-invitation', t.channel.customerAdmin.login],
      ['partner-invitation', newAdmin.login],
    ]);
    expect(t.world.emails[0]!.data).toMatchObject({ domain: 'fabrikam.onmicrosoft.com', accountName: t.channel.customer.name, partnerName: t.channel.reseller.name, acceptUrl: `https://portal.example.com/domains/${domain.id}/accept` });
    expect(Date.parse(t.domains.get(domain.id)!.invitationSentAt!) - Date.parse(firstSent)).toBeGreaterThanOrEqual(60_000);
  });

  it('answers 429 with the seconds to wait within a minute of the last sending, and sends nothing', async () => {
    const t = pendingWorld();
    const { domain } = await t.service.create(t.admin, t.channel.customer.id, { mode: 'link', domain: 'fabrikam.onmicrosoft.com' });
    t.world.emails.length = 0;
    // The clock runs on from where it is set: half a second off the whole keeps the rounded-up
    // wait at 40 s however long the steps above took (up to half a second).
    later(20.5);
    await expect(t.service.resendInvitation(t.admin, domain.id)).rejects.toMatchObject({ status: 429, code: 'throttled', retryAfterSeconds: 40 });
    expect(t.world.emails).toEqual([]);
    // The first sending happened a little after NOW (the clock ran on during create), so a
    // minute after NOW is not yet a minute after it: a second more is.
    later(61);
    expect((await t.service.resendInvitation(t.admin, domain.id)).sentTo).toBe(1);
  });

  it('refuses a domain that is not waiting for the acceptance (409 invalid_state)', async () => {
    const t = pendingWorld();
    const { domain } = await t.service.create(t.admin, t.channel.customer.id, { mode: 'link', domain: 'ours.onmicrosoft.com' });
    await expect(t.service.resendInvitation(t.admin, domain.id)).rejects.toMatchObject({ status: 409, code: 'invalid_state', details: [{ status: 'active' }] });
    expect(t.world.emails).toEqual([]);
  });

  it("lets staff in scope and the customer's admins send it; a customer user gets 403, another customer 404", async () => {
    const t = pendingWorld();
    const { domain } = await t.service.create(t.admin, t.channel.customer.id, { mode: 'link', domain: 'fabrikam.onmicrosoft.com' });
    later(61);
    const clerk = t.world.add.user(t.channel.reseller, { role: 'user' });
    expect((await t.service.resendInvitation(callerOf(clerk), domain.id)).sentTo).toBe(1);
    const user = t.world.add.user(t.channel.customer, { role: 'user' });
    await expect(t.service.resendInvitation(callerOf(user), domain.id)).rejects.toMatchObject({ status: 403 });
    const other = t.world.add.account({ type: 'customer' });
    const otherAdmin = t.world.add.user(other, { role: 'admin' });
    await expect(t.service.resendInvitation(callerOf(otherAdmin), domain.id)).rejects.toMatchObject({ status: 404 });
  });

  it('sends nothing and records nothing when the account has no admin who can receive it', async () => {
    const t = pendingWorld();
    const { domain } = await t.service.create(t.admin, t.channel.customer.id, { mode: 'link', domain: 'fabrikam.onmicrosoft.com' });
    const sentAt = t.domains.get(domain.id)!.invitationSentAt;
    t.world.users.set(t.channel.customerAdmin.id, { ...t.channel.customerAdmin, status: 'deactivated' });
    t.world.emails.length = 0;
    later(61);
    expect(await t.service.resendInvitation(callerOf(t.channel.resellerAdmin), domain.id)).toMatchObject({ sentTo: 0 });
    expect(t.world.emails).toEqual([]);
    expect(t.domains.get(domain.id)?.invitationSentAt).toBe(sentAt);
  });
});

describe('partner acceptance', () => {
  async function linked(t: ReturnType<typeof setUp>) {
    const { domain } = await t.service.create(t.admin, t.channel.customer.id, { mode: 'link', domain: 'fabrikam.onmicrosoft.com' });
    return domain;
  }
  const pendingWorld = () => setUp({ vendorHas: ['fabrikam.onmicrosoft.com'], otherPartner: ['fabrikam.onmicrosoft.com'] });

  it('releases the orders waiting on the domain once: a second acceptance is a 409 and calls nothing back', async () => {
    const t = pendingWorld();
    const domain = await linked(t);
    const accountId = t.channel.customer.id;
    t.waiting.push(
      { id: 'ord_1', accountId, domainId: domain.id, taskToken: 'token-1' },
      { id: 'ord_2', accountId, domainId: domain.id, taskToken: 'token-2' },
      { id: 'ord_3', accountId, domainId: 'dom_other', taskToken: 'token-3' },
    );
    const accepted = await t.service.accept(t.admin, domain.id);
    expect(accepted.domain).toMatchObject({ status: 'active', version: 2 });
    expect(t.resumed).toEqual([
      { token: 'token-1', output: { gate: 'partner', by: { userId: t.channel.customerAdmin.id } } },
      { token: 'token-2', output: { gate: 'partner', by: { userId: t.channel.customerAdmin.id } } },
    ]);
    await expect(t.service.accept(t.admin, domain.id)).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
    expect(t.resumed).toHaveLength(2);
  });

  it('resumes an order whose parked token is gone through its workflow instead of failing the acceptance', async () => {
    const t = pendingWorld();
    const domain = await linked(t);
    t.waiting.push({ id: 'ord_1', accountId: t.channel.customer.id, domainId: domain.id, taskToken: 'token-1' });
    t.goneTokens.add('token-1');
    await t.service.accept(t.admin, domain.id);
    expect(t.ensured).toEqual(['ord_1']);
  });

  it('is the customer admin\'s own act: staff and "log in as" are refused (403) and nothing is released', async () => {
    const t = pendingWorld();
    const domain = await linked(t);
    t.waiting.push({ id: 'ord_1', accountId: t.channel.customer.id, domainId: domain.id, taskToken: 'token-1' });
    await expect(t.service.accept(callerOf(t.channel.resellerAdmin), domain.id)).rejects.toMatchObject({ status: 403 });
    await expect(t.service.accept({ ...t.admin, actorUserId: t.channel.resellerAdmin.id }, domain.id)).rejects.toMatchObject({ status: 403 });
    expect(t.resumed).toEqual([]);
    expect(t.domains.get(domain.id)!.status).toBe('pending_partner_acceptance');
  });

  it('refuses a domain that is not waiting for acceptance (409 invalid_state)', async () => {
    const t = setUp({ vendorHas: ['fabrikam.onmicrosoft.com'] });
    const domain = await linked(t);
    await expect(t.service.accept(t.admin, domain.id)).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
  });
});

import { jest } from '@jest/globals';
import { callerOf, fakePasswords, fakeWorld } from './fake-people.ts';

const { makeAccountService } = await import('#services/accounts.ts');

/** The accounts service over in-memory repositories (fake-people.ts). */
function setUp() {
  const world = fakeWorld();
  const audit = { listAuditEvents: async () => ({ items: [], nextCursor: null }) };
  const accounts = makeAccountService({ accounts: world.accountRepo, audit, hashPassword: fakePasswords.hash });
  return { world, accounts, channel: world.add.channel() };
}

const address = { line1: '1 Contoso Way', city: 'Dublin', postalCode: 'D02 XY45', country: 'IE' };
const newCustomer = (overrides: Record<string, unknown> = {}) => ({
  type: 'customer' as const,
  name: 'Fabrikam Ltd',
  address,
  admin: { firstName: 'Fay', lastName: 'Brick', login: 'fay@fabrikam.example' },
  sendActivationEmail: true,
  ...overrides,
});

describe('creating accounts', () => {
  it('creates a customer below the caller with its first admin invited, and one activation email', async () => {
    const { world, accounts, channel } = setUp();
    const { account, admin } = await accounts.create(callerOf(channel.resellerAdmin), newCustomer({ settings: { locale: 'de' } }));
    expect(account).toMatchObject({ type: 'customer', parentId: channel.reseller.id, accountPath: [...channel.reseller.accountPath, account.id] });
    expect(account.settings).toEqual({ orderProcessing: 'automatic', allowSelfServicePurchases: false, locale: 'de', currency: 'EUR', suspensionGraceDays: 30 });
    expect(admin).toMatchObject({ role: 'admin', status: 'not_activated', locale: 'de', accountId: account.id });
    expect(world.emails.map((e) => [e.template, e.to, e.locale])).toEqual([['activation', 'fay@fabrikam.example', 'de']]);
  });

  it('creates the admin ready with a password, and sends nothing', async () => {
    const { world, accounts, channel } = setUp();
    const { admin } = await accounts.create(callerOf(channel.resellerAdmin), newCustomer({ sendActivationEmail: false, admin: { firstName: 'Fay', lastName: 'Brick', login: 'fay@fabrikam.example', password: 'Fabrikam-Password-1' } }));
    expect(admin).toMatchObject({ status: 'ready', passwordHash: 'hash:Fabrikam-Password-1' });
    expect(world.emails).toEqual([]);
  });

  it('refuses a customer admin creating any account: customers create no staff and no customers', async () => {
    const { world, accounts, channel } = setUp();
    const before = world.accounts.size;
    await expect(accounts.create(callerOf(channel.customerAdmin), newCustomer({ type: 'reseller' }))).rejects.toMatchObject({ status: 403 });
    await expect(accounts.create(callerOf(channel.customerAdmin), newCustomer())).rejects.toMatchObject({ status: 403 });
    expect(world.accounts.size).toBe(before);
  });

  it('lets only the distributor create resellers', async () => {
    const { accounts, channel } = setUp();
    await expect(accounts.create(callerOf(channel.resellerAdmin), newCustomer({ type: 'reseller' }))).rejects.toMatchObject({ status: 422, code: 'reseller_under_distributor_only' });
    const { account } = await accounts.create(callerOf(channel.distributorAdmin), newCustomer({ type: 'reseller' }));
    expect(account.type).toBe('reseller');
  });

  it('refuses a staff user who is not an admin', async () => {
    const { world, accounts, channel } = setUp();
    const clerk = world.add.user(channel.reseller);
    await expect(accounts.create(callerOf(clerk), newCustomer())).rejects.toMatchObject({ status: 403 });
  });

  it('refuses a password together with the activation email, and a password equal to the login', async () => {
    const { accounts, channel } = setUp();
    const admin = (password: string) => ({ firstName: 'Fay', lastName: 'Brick', login: 'fay@fabrikam.example', password });
    await expect(accounts.create(callerOf(channel.resellerAdmin), newCustomer({ admin: admin('Fabrikam-Password-1') }))).rejects.toMatchObject({ details: [{ path: 'admin.password', code: 'unexpected' }] });
    await expect(accounts.create(callerOf(channel.resellerAdmin), newCustomer({ sendActivationEmail: false, admin: admin('FAY@fabrikam.example') }))).rejects.toMatchObject({ details: [{ code: 'equals_login' }] });
  });
});

describe('editing accounts', () => {
  it('lets staff admins of the account above set its settings, merged into the current ones', async () => {
    const { accounts, channel } = setUp();
    const edited = await accounts.edit(callerOf(channel.resellerAdmin), channel.customer.id, { settings: { orderProcessing: 'manual' } });
    expect(edited.settings).toEqual({ ...channel.customer.settings, orderProcessing: 'manual' });
    const fromTop = await accounts.edit(callerOf(channel.distributorAdmin), channel.customer.id, { settings: { allowSelfServicePurchases: true } });
    expect(fromTop.settings).toMatchObject({ orderProcessing: 'manual', allowSelfServicePurchases: true });
  });

  it("refuses an account's own admins setting its settings, while they may rename it", async () => {
    const { world, accounts, channel } = setUp();
    await expect(accounts.edit(callerOf(channel.customerAdmin), channel.customer.id, { settings: { allowSelfServicePurchases: true } })).rejects.toMatchObject({ status: 403 });
    await expect(accounts.edit(callerOf(channel.resellerAdmin), channel.reseller.id, { settings: { currency: 'USD' } })).rejects.toMatchObject({ status: 403 });
    expect(world.accounts.get(channel.customer.id)?.settings.allowSelfServicePurchases).toBe(false);
    const renamed = await accounts.edit(callerOf(channel.customerAdmin), channel.customer.id, { name: 'Contoso Group' });
    expect(renamed.name).toBe('Contoso Group');
  });

  it('refuses an edit whose If-Match is stale with 412 and changes nothing', async () => {
    const { world, accounts, channel } = setUp();
    const current = world.accounts.get(channel.customer.id)!.version;
    await expect(accounts.edit(callerOf(channel.resellerAdmin), channel.customer.id, { name: 'Stale' }, current + 1)).rejects.toMatchObject({ status: 412 });
    expect(world.accounts.get(channel.customer.id)?.name).toBe(channel.customer.name);
    const edited = await accounts.edit(callerOf(channel.resellerAdmin), channel.customer.id, { name: 'Fresh' }, current);
    expect(edited).toMatchObject({ name: 'Fresh', version: current + 1 });
  });

  it("answers 404 for another reseller's customer", async () => {
    const { world, accounts, channel } = setUp();
    const otherReseller = world.add.account({ type: 'reseller', parentId: channel.distributor.id, rootId: channel.distributor.id, accountPath: [channel.distributor.id, 'acc_other'] });
    const otherAdmin = world.add.user(otherReseller, { role: 'admin', accountPath: otherReseller.accountPath });
    await expect(accounts.edit(callerOf(otherAdmin), channel.customer.id, { name: 'Mine now' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('the support contact', () => {
  const distributorDesk = { email: 'support@distributor.example.com', phone: '+49 40 1234 5678', url: 'https://support.distributor.example.com' };

  it("lets an account's own admins and staff admins above set it, and null removes it again", async () => {
    const { world, accounts, channel } = setUp();
    const own = await accounts.edit(callerOf(channel.resellerAdmin), channel.reseller.id, { support: { email: 'help@reseller.example' } });
    expect(own.support).toEqual({ email: 'help@reseller.example' });
    const fromAbove = await accounts.edit(callerOf(channel.distributorAdmin), channel.reseller.id, { support: { phone: '+34 910 000 000', url: 'https://help.reseller.example' } });
    expect(fromAbove.support).toEqual({ phone: '+34 910 000 000', url: 'https://help.reseller.example' });
    const byCustomer = await accounts.edit(callerOf(channel.customerAdmin), channel.customer.id, { support: { email: 'it@contoso.example' } });
    expect(byCustomer.support).toEqual({ email: 'it@contoso.example' });
    const cleared = await accounts.edit(callerOf(channel.resellerAdmin), channel.reseller.id, { support: null });
    expect(cleared.support).toBeUndefined();
    expect(world.accounts.get(channel.reseller.id)).not.toHaveProperty('support');
  });

  it('refuses a user who is not an admin, and answers 404 outside the scope', async () => {
    const { world, accounts, channel } = setUp();
    const customerUser = world.add.user(channel.customer, { role: 'user' });
    await expect(accounts.edit(callerOf(customerUser), channel.customer.id, { support: { email: 'me@contoso.example' } })).rejects.toMatchObject({ status: 403 });
    const resellerClerk = world.add.user(channel.reseller, { role: 'user' });
    await expect(accounts.edit(callerOf(resellerClerk), channel.reseller.id, { support: { email: 'clerk@reseller.example' } })).rejects.toMatchObject({ status: 403 });
    await expect(accounts.edit(callerOf(channel.customerAdmin), channel.reseller.id, { support: { email: 'up@contoso.example' } })).rejects.toMatchObject({ status: 404 });
    expect(world.accounts.get(channel.reseller.id)?.support).toBeUndefined();
    expect(world.accounts.get(channel.customer.id)?.support).toBeUndefined();
  });

  it("shows the account's own contact, else the nearest one above, else none", async () => {
    const { world, accounts, channel } = setUp();
    const customerUser = world.add.user(channel.customer, { role: 'user' });
    expect(await accounts.supportFor(callerOf(customerUser))).toBeUndefined();
    world.accounts.get(channel.distributor.id)!.support = distributorDesk;
    expect(await accounts.supportFor(callerOf(customerUser))).toEqual(distributorDesk);
    expect(await accounts.supportFor(callerOf(channel.distributorAdmin))).toEqual(distributorDesk);
    world.accounts.get(channel.reseller.id)!.support = { email: 'help@reseller.example' };
    expect(await accounts.supportFor(callerOf(customerUser))).toEqual({ email: 'help@reseller.example' });
    expect(await accounts.supportFor(callerOf(channel.resellerAdmin))).toEqual({ email: 'help@reseller.example' });
    world.accounts.get(channel.customer.id)!.support = { phone: '+353 1 000 0000' };
    expect(await accounts.supportFor(callerOf(customerUser))).toEqual({ phone: '+353 1 000 0000' });
    // the distributor's staff never see a contact set below them
    expect(await accounts.supportFor(callerOf(channel.distributorAdmin))).toEqual(distributorDesk);
  });
});

describe('suspending and reactivating an account', () => {
  it('lets staff admins of an account above suspend it and reactivate it, each a new version', async () => {
    const { world, accounts, channel } = setUp();
    const suspended = await accounts.setStatus(callerOf(channel.resellerAdmin), channel.customer.id, 'suspended');
    expect(suspended).toMatchObject({ status: 'suspended', version: channel.customer.version + 1 });
    const again = await accounts.setStatus(callerOf(channel.distributorAdmin), channel.customer.id, 'active');
    expect(again).toMatchObject({ status: 'active', version: channel.customer.version + 2 });
    await accounts.setStatus(callerOf(channel.distributorAdmin), channel.reseller.id, 'suspended');
    expect(world.accounts.get(channel.reseller.id)?.status).toBe('suspended');
  });

  it('refuses a suspended account suspended again, and an active one reactivated, with 409 invalid_state', async () => {
    const { accounts, channel } = setUp();
    await expect(accounts.setStatus(callerOf(channel.resellerAdmin), channel.customer.id, 'active')).rejects.toMatchObject({ status: 409, code: 'invalid_state', details: [{ status: 'active' }] });
    await accounts.setStatus(callerOf(channel.resellerAdmin), channel.customer.id, 'suspended');
    await expect(accounts.setStatus(callerOf(channel.resellerAdmin), channel.customer.id, 'suspended')).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
  });

  it('never lets an account suspend itself (403), the distributor included', async () => {
    const { world, accounts, channel } = setUp();
    await expect(accounts.setStatus(callerOf(channel.resellerAdmin), channel.reseller.id, 'suspended')).rejects.toMatchObject({ status: 403 });
    await expect(accounts.setStatus(callerOf(channel.distributorAdmin), channel.distributor.id, 'suspended')).rejects.toMatchObject({ status: 403 });
    expect(world.accounts.get(channel.reseller.id)?.status).toBe('active');
  });

  it("refuses customer admins and staff users (403), and another reseller's staff (404)", async () => {
    const { world, accounts, channel } = setUp();
    await expect(accounts.setStatus(callerOf(channel.customerAdmin), channel.customer.id, 'suspended')).rejects.toMatchObject({ status: 403 });
    const clerk = world.add.user(channel.reseller, { role: 'user' });
    await expect(accounts.setStatus(callerOf(clerk), channel.customer.id, 'suspended')).rejects.toMatchObject({ status: 403 });
    const otherReseller = world.add.account({ type: 'reseller', parentId: channel.distributor.id, rootId: channel.distributor.id, accountPath: [channel.distributor.id, 'acc_other'] });
    const otherAdmin = world.add.user(otherReseller, { role: 'admin', accountPath: otherReseller.accountPath });
    await expect(accounts.setStatus(callerOf(otherAdmin), channel.customer.id, 'suspended')).rejects.toMatchObject({ status: 404 });
    expect(world.accounts.get(channel.customer.id)?.status).toBe('active');
  });

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    const { world, accounts, channel } = setUp();
    const version = world.accounts.get(channel.customer.id)!.version;
    await expect(accounts.setStatus(callerOf(channel.resellerAdmin), channel.customer.id, 'suspended', version + 1)).rejects.toMatchObject({ status: 412 });
    expect(world.accounts.get(channel.customer.id)?.status).toBe('active');
    expect(await accounts.setStatus(callerOf(channel.resellerAdmin), channel.customer.id, 'suspended', version)).toMatchObject({ status: 'suspended' });
  });
});

describe('listing accounts', () => {
  it('lists the accounts below a parent only when the parent is in scope (404 otherwise)', async () => {
    const { world, accounts, channel } = setUp();
    const list = jest.spyOn(world.accountRepo, 'listAccountsInScope');
    await accounts.list(callerOf(channel.distributorAdmin), { parentId: channel.reseller.id, limit: 25 });
    await accounts.list(callerOf(channel.resellerAdmin), { parentId: channel.reseller.id, status: 'suspended', q: 'con', limit: 25 });
    expect(list.mock.calls.map((c) => (c as unknown[])[1])).toEqual([
      { parentId: channel.reseller.id, limit: 25 },
      { parentId: channel.reseller.id, status: 'suspended', q: 'con', limit: 25 },
    ]);
    await expect(accounts.list(callerOf(channel.customerAdmin), { parentId: channel.reseller.id, limit: 25 })).rejects.toMatchObject({ status: 404 });
    await expect(accounts.list(callerOf(channel.resellerAdmin), { parentId: 'acc_nobody', limit: 25 })).rejects.toMatchObject({ status: 404 });
    expect(list).toHaveBeenCalledTimes(2);
  });
});

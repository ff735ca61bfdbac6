import * as z from 'zod';
import { listAuditEvents, auditView } from '#data/audit.ts';
import { accountScope, accountView, updateAccount, createAccountWithAdmin, DEFAULT_SETTINGS, getAccount, listAccountsInScope } from '#data/accounts.ts';
import { getUser, userView } from '#data/users.ts';
import { BusinessRuleRefused, Forbidden, ValidationFailed } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { hashPassword } from '#platform/passwords.ts';
import { authorize, requirePermission } from '#platform/scope.ts';
import { newId } from '#platform/ids.ts';
import { activationEmail } from '../users/user-emails.ts';
import { AccountId, Address, Currency, Email, IsoDate, IsoTime, Locale, Name, Pagination, Password, page, utcBound } from '../schemas.ts';

/**
 * Accounts of the channel (SPEC §3.1, §4.3): staff create resellers and customers below their own
 * account, each with its first admin; everyone reads what is in scope.
 */
const Settings = z
  .object({
    orderProcessing: z.enum(['automatic', 'manual']).optional(),
    allowSelfServicePurchases: z.boolean().optional(),
    locale: Locale.optional(),
    currency: Currency.optional(),
  })
  .strict();

const CreateAccountBody = z
  .object({
    type: z.enum(['reseller', 'customer']),
    name: Name,
    address: Address,
    settings: Settings.optional(),
    admin: z
      .object({ firstName: Name, lastName: Name, login: Email, password: Password.optional(), locale: Locale.optional() })
      .strict(),
    sendActivationEmail: z.boolean(),
  })
  .strict();

const createAccount = httpHandler({ body: CreateAccountBody }, async ({ body, caller }) => {
  requirePermission(caller, 'staffAdmin');
  if (body.type === 'reseller' && caller.accountType !== 'distributor') {
    throw new BusinessRuleRefused('reseller_under_distributor_only', 'Only the distributor creates resellers.');
  }
  const { admin, sendActivationEmail } = body;
  if (!sendActivationEmail && !admin.password) {
    throw new ValidationFailed('A password is required when no activation email is sent.', [{ in: 'body', path: 'admin.password', code: 'required' }]);
  }
  if (sendActivationEmail && admin.password) {
    throw new ValidationFailed('Give a password or send the activation email, not both.', [{ in: 'body', path: 'admin.password', code: 'unexpected' }]);
  }
  if (admin.password && admin.password.toLowerCase() === admin.login.toLowerCase()) {
    throw new ValidationFailed('The password must not be the login.', [{ in: 'body', path: 'admin.password', code: 'equals_login' }]);
  }
  const parent = await getAccount(caller.accountId);
  if (!parent) throw new Error(`Caller account ${caller.accountId} is missing`);
  const settings = { ...DEFAULT_SETTINGS, ...body.settings };
  const locale = admin.locale ?? settings.locale;
  const adminId = newId('user');
  const person = { id: adminId, firstName: admin.firstName, lastName: admin.lastName, login: admin.login, locale };
  const invitation = sendActivationEmail ? activationEmail(person, false) : undefined;

  const { account } = await createAccountWithAdmin(
    parent,
    { type: body.type, name: body.name, address: body.address, settings },
    {
      id: adminId,
      firstName: admin.firstName,
      lastName: admin.lastName,
      login: admin.login,
      role: 'admin',
      status: sendActivationEmail ? 'not_activated' : 'ready',
      locale,
      passwordHash: admin.password ? await hashPassword(admin.password) : undefined,
      activationTokenHash: invitation?.activation.hash,
      activationExpiresAt: invitation?.activation.expiresAt,
    },
    () => ({ outbox: invitation ? [invitation.outbox] : [] }),
  );
  const user = await getUser(adminId);
  return { statusCode: 201, body: { account: accountView(account), admin: user ? userView(user) : null } };
});

const ListQuery = z.object({ type: z.enum(['reseller', 'customer']).optional(), ...Pagination }).strict();

const listAccounts = httpHandler({ query: ListQuery }, async ({ query, caller }) => {
  const result = await listAccountsInScope(caller, { type: query.type, limit: query.limit, cursor: query.cursor });
  return { statusCode: 200, body: page(result, accountView) };
});

const getOne = httpHandler({ params: z.object({ accountId: AccountId }).strict() }, async ({ params, caller }) => {
  const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'read');
  return { statusCode: 200, body: accountView(account) };
});

const EditAccountBody = z
  .object({ name: Name.optional(), address: Address.optional(), settings: Settings.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');

/**
 * Name and address: the account's own admins and staff admins above it. Settings are the parent's
 * to set (SPEC §3.1): staff admins of an account above, never the account itself.
 */
const editAccount = httpHandler({ params: z.object({ accountId: AccountId }).strict(), body: EditAccountBody }, async ({ params, body, caller }) => {
  const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'manage');
  const own = account.id === caller.accountId;
  if (body.settings && own) throw new Forbidden('An account\'s settings are set by the account above it.');
  if (own && account.type !== 'customer' && caller.role !== 'admin') throw new Forbidden();
  const updated = await updateAccount(account.id, (current) => ({
    ...(body.name ? { name: body.name } : {}),
    ...(body.address ? { address: body.address } : {}),
    ...(body.settings ? { settings: { ...current.settings, ...body.settings } } : {}),
  }));
  return { statusCode: 200, body: accountView(updated) };
});

const AuditQuery = z.object({ from: z.union([IsoDate, IsoTime]).optional(), to: z.union([IsoDate, IsoTime]).optional(), ...Pagination }).strict();

/** The audit trail of an account (SPEC §3.10): admins in scope, newest first. */
const auditEvents = httpHandler({ params: z.object({ accountId: AccountId }).strict(), query: AuditQuery }, async ({ params, query, caller }) => {
  const account = authorize(caller, accountScope(await getAccount(params.accountId)), 'manage');
  const result = await listAuditEvents(account.id, { from: query.from && utcBound(query.from), to: query.to && utcBound(query.to), limit: query.limit, cursor: query.cursor });
  return { statusCode: 200, body: page(result, auditView) };
});

export const handler = routeGroup({
  'PATCH /v1/accounts/{accountId}': editAccount,
  'GET /v1/accounts/{accountId}/audit-events': auditEvents,
  'POST /v1/accounts': createAccount,
  'GET /v1/accounts': listAccounts,
  'GET /v1/accounts/{accountId}': getOne,
});

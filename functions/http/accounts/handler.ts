import * as z from 'zod';
import { httpHandler, routeGroup } from '#http/route.ts';
import { accountService } from '#services/accounts.ts';
import { AccountId, page, pageOf, utcBound } from '../schemas.ts';
import { userView } from '../users/views.ts';
import { AccountSchema, AccountWithAdminSchema, AuditEventSchema, AuditQuery, CreateAccountBody, EditAccountBody, ListAccountsQuery } from './schemas.ts';
import { accountView, auditView } from './views.ts';

/**
 * Accounts of the channel (docs/product.md#accounts-and-tenancy, docs/product.md#accounts-and-users): staff create resellers and customers below their own
 * account, each with its first admin; everyone reads what is in scope (functions/services/accounts.ts).
 */
const AccountParams = z.object({ accountId: AccountId }).strict();

const createAccount = httpHandler({ body: CreateAccountBody, response: AccountWithAdminSchema }, async ({ body, caller }) => {
  const { account, admin } = await accountService.create(caller, body);
  return { statusCode: 201, body: { account: accountView(account), admin: userView(admin) } };
});

const listAccounts = httpHandler({ query: ListAccountsQuery, response: pageOf(AccountSchema) }, async ({ query, caller }) => {
  const result = await accountService.list(caller, { type: query.type, limit: query.limit, cursor: query.cursor });
  return { statusCode: 200, body: page(result, accountView) };
});

const getOne = httpHandler({ params: AccountParams, response: AccountSchema }, async ({ params, caller }) => {
  return { statusCode: 200, body: accountView(await accountService.read(caller, params.accountId)) };
});

const editAccount = httpHandler({ params: AccountParams, body: EditAccountBody, response: AccountSchema }, async ({ params, body, caller, request }) => {
  const updated = await accountService.edit(caller, params.accountId, body, request.ifMatch);
  return { statusCode: 200, body: accountView(updated) };
});

/** The audit trail of an account (docs/product.md#audit-trail): admins in scope, newest first. */
const auditEvents = httpHandler({ params: AccountParams, query: AuditQuery, response: pageOf(AuditEventSchema) }, async ({ params, query, caller }) => {
  const result = await accountService.auditEvents(caller, params.accountId, {
    from: query.from && utcBound(query.from),
    to: query.to && utcBound(query.to),
    limit: query.limit,
    cursor: query.cursor,
  });
  return { statusCode: 200, body: page(result, auditView) };
});

export const handler = routeGroup({
  'PATCH /v1/accounts/{accountId}': editAccount,
  'GET /v1/accounts/{accountId}/audit-events': auditEvents,
  'POST /v1/accounts': createAccount,
  'GET /v1/accounts': listAccounts,
  'GET /v1/accounts/{accountId}': getOne,
});

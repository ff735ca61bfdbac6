import * as z from 'zod/mini';
import { httpHandler, routeGroup } from '#http/route.ts';
import { accountService } from '#services/accounts.ts';
import { actorNames } from '#services/actor-names.ts';
import { AccountId, page, pageOf, utcBound } from '../schemas.ts';
import { userView } from '../users/views.ts';
import { AccountSchema, AccountWithAdminSchema, AuditEventSchema, AuditQuery, CreateAccountBody, EditAccountBody, ListAccountsQuery } from './schemas.ts';
import { accountView, auditActorIds, auditView } from './views.ts';

/**
 * Accounts of the channel (docs/product.md#accounts-and-tenancy, docs/product.md#accounts-and-users): staff create resellers and customers below their own
 * account, each with its first admin; everyone reads what is in scope (functions/services/accounts.ts).
 */
const AccountParams = z.strictObject({ accountId: AccountId });

const createAccount = httpHandler({ body: CreateAccountBody, response: AccountWithAdminSchema }, async ({ body, caller }) => {
  const { account, admin } = await accountService.create(caller, body);
  return { statusCode: 201, body: { account: accountView(account), admin: userView(admin) } };
});

const listAccounts = httpHandler({ query: ListAccountsQuery, response: pageOf(AccountSchema) }, async ({ query, caller }) => {
  const result = await accountService.list(caller, query);
  return { statusCode: 200, body: page(result, accountView) };
});

const getOne = httpHandler({ params: AccountParams, response: AccountSchema }, async ({ params, caller }) => {
  return { statusCode: 200, body: accountView(await accountService.read(caller, params.accountId)) };
});

const editAccount = httpHandler({ params: AccountParams, body: EditAccountBody, response: AccountSchema }, async ({ params, body, caller, request }) => {
  const updated = await accountService.edit(caller, params.accountId, body, request.ifMatch);
  return { statusCode: 200, body: accountView(updated) };
});

/**
 * Suspend or reactivate a child account (docs/product.md#accounts-and-tenancy): staff admins above
 * it; the answer is the account as it now is. Audited like every change (http/route.ts), on the
 * account itself, with the new status in the event's details.
 */
function setStatus(to: 'suspended' | 'active') {
  return httpHandler({ params: AccountParams, response: AccountSchema }, async ({ params, caller, request }) => {
    const updated = await accountService.setStatus(caller, params.accountId, to, request.ifMatch);
    return { statusCode: 200, body: accountView(updated), audit: { accountId: updated.id, resourceType: 'account', resourceId: updated.id, details: { status: to } } };
  });
}

/**
 * The audit trail of an account (docs/product.md#audit-trail): admins in scope, newest first,
 * filtered by time, action and person; each page names the people it mentions in one read.
 */
const auditEvents = httpHandler({ params: AccountParams, query: AuditQuery, response: pageOf(AuditEventSchema) }, async ({ params, query, caller }) => {
  const result = await accountService.auditEvents(caller, params.accountId, {
    from: query.from && utcBound(query.from),
    to: query.to && utcBound(query.to),
    action: query.action,
    actorId: query.actorId,
    limit: query.limit,
    cursor: query.cursor,
  });
  const names = await actorNames.namesOf(result.items.flatMap(auditActorIds));
  return { statusCode: 200, body: page(result, (e) => auditView(e, names)) };
});

export const handler = routeGroup({
  'PATCH /v1/accounts/{accountId}': editAccount,
  'GET /v1/accounts/{accountId}/audit-events': auditEvents,
  'POST /v1/accounts/{accountId}/suspend': setStatus('suspended'),
  'POST /v1/accounts/{accountId}/reactivate': setStatus('active'),
  'POST /v1/accounts': createAccount,
  'GET /v1/accounts': listAccounts,
  'GET /v1/accounts/{accountId}': getOne,
});

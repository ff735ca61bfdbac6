import { httpHandler, routeGroup } from '#http/route.ts';
import { clock } from '#platform/clock.ts';
import { apiClientService } from '#services/api-clients.ts';
import { page } from '../schemas.ts';
import {
  AccountParams,
  ApiClientPageSchema,
  ApiClientSchema,
  ApiClientWithSecretSchema,
  ClientParams,
  CreateApiClientBody,
  ListApiClientsQuery,
  RotateSecretBody,
  UpdateApiClientBody,
} from './schemas.ts';
import { apiClientView } from './views.ts';

/**
 * API clients (docs/api.md "API clients"; services/api-clients.ts): an account's admins, and staff
 * admins above it, create machines' identities with scopes, rotate their secrets and revoke them.
 * No machine client may use these routes (http/scopes.ts: null), so a client cannot mint or widen
 * clients. Every change leaves an audit event naming the client; never its secret.
 */
const audit = (c: { id: string; accountId: string }, details?: Record<string, unknown>) => ({ accountId: c.accountId, resourceType: 'apiClient', resourceId: c.id, ...(details ? { details } : {}) });
const now = () => clock.now().getTime();

const create = httpHandler({ params: AccountParams, body: CreateApiClientBody, response: ApiClientWithSecretSchema }, async ({ params, body, caller }) => {
  const { client, secret } = await apiClientService.create(caller, params.accountId, body);
  return { statusCode: 201, body: { ...apiClientView(client, now()), clientSecret: secret }, audit: audit(client, { name: client.name, scopes: client.scopes }) };
});

const list = httpHandler({ params: AccountParams, query: ListApiClientsQuery, response: ApiClientPageSchema }, async ({ params, query, caller }) => {
  const result = await apiClientService.list(caller, params.accountId, query);
  const at = now();
  return { statusCode: 200, body: page(result, (c) => apiClientView(c, at)) };
});

const getOne = httpHandler({ params: ClientParams, response: ApiClientSchema }, async ({ params, caller }) => {
  return { statusCode: 200, body: apiClientView(await apiClientService.get(caller, params.clientId), now()) };
});

const update = httpHandler({ params: ClientParams, body: UpdateApiClientBody, response: ApiClientSchema }, async ({ params, body, caller, request }) => {
  const client = await apiClientService.update(caller, params.clientId, body, request.ifMatch);
  return { statusCode: 200, body: apiClientView(client, now()), audit: audit(client, { ...body }) };
});

const rotate = httpHandler({ params: ClientParams, body: RotateSecretBody, response: ApiClientWithSecretSchema }, async ({ params, body, caller }) => {
  const { client, secret } = await apiClientService.rotate(caller, params.clientId, body.overlapHours);
  return { statusCode: 201, body: { ...apiClientView(client, now()), clientSecret: secret }, audit: audit(client, { overlapHours: body.overlapHours }) };
});

const revoke = httpHandler({ params: ClientParams, response: ApiClientSchema }, async ({ params, caller }) => {
  const client = await apiClientService.revoke(caller, params.clientId);
  return { statusCode: 200, body: apiClientView(client, now()), audit: audit(client) };
});

export const handler = routeGroup({
  'POST /v1/accounts/{accountId}/api-clients': create,
  'GET /v1/accounts/{accountId}/api-clients': list,
  'GET /v1/api-clients/{clientId}': getOne,
  'PATCH /v1/api-clients/{clientId}': update,
  'POST /v1/api-clients/{clientId}/secrets': rotate,
  'POST /v1/api-clients/{clientId}/revoke': revoke,
});

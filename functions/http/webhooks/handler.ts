import { listDeliveries, listWebhooks } from '#data/webhooks.ts';
import { accountScope, getAccount } from '#data/accounts.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { authorize } from '#platform/scope.ts';
import { webhookService } from '#services/webhooks.ts';
import { page } from '../schemas.ts';
import {
  AccountParams,
  CreateWebhookBody,
  CreatedWebhookSchema,
  DeliveryPageSchema,
  DeliveryParams,
  DeliverySchema,
  EditWebhookBody,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  WebhookPageSchema,
  WebhookParams,
  WebhookSchema,
} from './schemas.ts';
import { createdWebhookView, deliveryView, webhookView } from './views.ts';

/**
 * Webhook endpoints (docs/api.md#webhooks; services/webhooks.ts): an account's admins and the staff
 * admins above it register endpoints with the event types they want, see each endpoint's delivery
 * log and send a delivery again. Delivery itself is the dispatcher's (streams/webhooks.ts) and the
 * retry job's (jobs/webhook-retries.ts).
 */
const list = httpHandler({ params: AccountParams, query: ListWebhooksQuery, response: WebhookPageSchema }, async ({ params, query, caller }) => {
  authorize(caller, accountScope(await getAccount(params.accountId)), 'manage');
  return { statusCode: 200, body: page(await listWebhooks(params.accountId, query), webhookView) };
});

const create = httpHandler({ params: AccountParams, body: CreateWebhookBody, response: CreatedWebhookSchema }, async ({ params, body, caller }) => {
  const webhook = await webhookService.create(caller, params.accountId, body);
  // The audit event names the endpoint, never its secret (the answer's body is not recorded).
  return { statusCode: 201, body: createdWebhookView(webhook), audit: { accountId: webhook.accountId, resourceType: 'webhook', resourceId: webhook.id, details: { url: webhook.url, eventTypes: webhook.eventTypes } } };
});

const get = httpHandler({ params: WebhookParams, response: WebhookSchema }, async ({ params, caller }) => {
  return { statusCode: 200, body: webhookView(await webhookService.get(caller, params.webhookId)) };
});

const edit = httpHandler({ params: WebhookParams, body: EditWebhookBody, response: WebhookSchema }, async ({ params, body, caller, request }) => {
  const webhook = await webhookService.edit(caller, params.webhookId, body, request.ifMatch);
  return { statusCode: 200, body: webhookView(webhook), audit: { accountId: webhook.accountId, resourceType: 'webhook', resourceId: webhook.id, details: { status: webhook.status } } };
});

const remove = httpHandler({ params: WebhookParams }, async ({ params, caller }) => {
  const webhook = await webhookService.remove(caller, params.webhookId);
  return { statusCode: 204, audit: { accountId: webhook.accountId, resourceType: 'webhook', resourceId: webhook.id } };
});

const deliveries = httpHandler({ params: WebhookParams, query: ListDeliveriesQuery, response: DeliveryPageSchema }, async ({ params, query, caller }) => {
  await webhookService.manageable(caller, params.webhookId);
  return { statusCode: 200, body: page(await listDeliveries(params.webhookId, query), deliveryView) };
});

const redeliver = httpHandler({ params: DeliveryParams, response: DeliverySchema }, async ({ params, caller }) => {
  const delivery = await webhookService.redeliver(caller, params.webhookId, params.deliveryId);
  return { statusCode: 200, body: deliveryView(delivery), audit: { accountId: delivery.accountId, resourceType: 'webhookDelivery', resourceId: params.deliveryId, details: { webhookId: params.webhookId, eventId: delivery.eventId } } };
});

export const handler = routeGroup({
  'GET /v1/accounts/{accountId}/webhooks': list,
  'POST /v1/accounts/{accountId}/webhooks': create,
  'GET /v1/webhooks/{webhookId}': get,
  'PATCH /v1/webhooks/{webhookId}': edit,
  'DELETE /v1/webhooks/{webhookId}': remove,
  'GET /v1/webhooks/{webhookId}/deliveries': deliveries,
  'POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver': redeliver,
});

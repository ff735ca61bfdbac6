import * as z from 'zod/mini';
import { EVENT_TYPES } from '#domain/events.ts';
import { DELIVERY_STATUSES, WEBHOOK_STATUSES } from '#domain/webhooks.ts';
import { AccountId, Pagination, id, pageOf } from '../schemas.ts';

/**
 * The contract of webhook endpoints (docs/api.md#webhooks): the bodies the routes take and the
 * answers they give. The event types are the event catalog's (domain/events.ts); an unknown one is a 400.
 */
const EventTypes = z
  .array(z.enum(EVENT_TYPES))
  .check(z.minLength(1), z.maxLength(EVENT_TYPES.length * 2), z.describe('The event types delivered to this endpoint'));
const WebhookUrl = z.string().check(z.minLength(1), z.maxLength(2048), z.describe('https (in AWS), resolving only to public addresses'));
const Description = z.string().check(z.trim(), z.maxLength(200));

export const CreateWebhookBody = z.strictObject({
  url: WebhookUrl,
  eventTypes: EventTypes,
  description: z.optional(Description),
});

export const EditWebhookBody = z.strictObject({
  url: z.optional(WebhookUrl),
  eventTypes: z.optional(EventTypes),
  description: z.optional(z.nullable(Description)),
  status: z.optional(z.enum(WEBHOOK_STATUSES).check(z.describe('`active` re-enables a disabled endpoint; `disabled` stops deliveries'))),
});

export const WebhookIdPattern = id('webhook');
export const AccountParams = z.strictObject({ accountId: AccountId });
export const WebhookParams = z.strictObject({ webhookId: WebhookIdPattern });
export const DeliveryParams = z.strictObject({
  webhookId: WebhookIdPattern,
  deliveryId: id('webhookDelivery'),
});
export const ListWebhooksQuery = z.strictObject(Pagination);
export const ListDeliveriesQuery = z.strictObject({ ...Pagination, status: z.optional(z.enum(DELIVERY_STATUSES)) });

const exampleWebhook = {
  id: 'wh_01JD6W2V9Q4X8M3N5P7R2T4Y6Z',
  accountId: 'acc_01JD6W2V9Q4X8M3N5P7R2T4Y6A',
  url: 'https://erp.example.com/hooks/portal',
  eventTypes: ['order.status_changed'],
  description: 'ERP order sync',
  status: 'active' as const,
  disabledReason: null,
  lastError: null,
  disabledAt: null,
  createdAt: '2027-01-10T09:00:00.000Z',
  createdBy: 'usr_01JD6W2V9Q4X8M3N5P7R2T4Y6B',
  updatedAt: '2027-01-10T09:00:00.000Z',
  version: 1,
};

const webhookShape = {
  id: z.string(),
  accountId: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.nullable(z.string()),
  status: z.enum(WEBHOOK_STATUSES).check(z.describe('disabled: after 24 h of failed deliveries (or by hand); nothing is sent to it')),
  disabledReason: z.nullable(z.enum(['deliveries_failed'])).check(z.describe('`deliveries_failed`: disabled by the portal after 24 hours of failed deliveries; null while active, or when an admin disabled it')),
  lastError: z.nullable(z.string()).check(z.describe('With `deliveries_failed`: the last attempt\'s answer (`HTTP 503`) or error')),
  disabledAt: z.nullable(z.iso.datetime({ offset: true })),
  createdAt: z.iso.datetime({ offset: true }),
  createdBy: z.string().check(z.describe('The user or API client that registered it')),
  updatedAt: z.iso.datetime({ offset: true }),
  version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag, sent back in If-Match')),
};

export const WebhookSchema = z
  .object(webhookShape)
  .register(z.globalRegistry, { id: 'Webhook', description: 'A webhook endpoint of an account (its secret is shown only when it is created)', examples: [exampleWebhook] });

export const CreatedWebhookSchema = z
  .object({ ...webhookShape, secret: z.string().check(z.describe('`whsec_…`: signs every delivery (Webhook-Signature). Shown only in this answer: keep it')) })
  .register(z.globalRegistry, {
    id: 'CreatedWebhook',
    description: 'A webhook endpoint just registered, with its signing secret (shown once)',
    examples: [{ ...exampleWebhook, secret: 'whsec_q3Jx0c1cM2bXw9l5Zt8Kq7R2n4Vb6Yd1Hf3Pa5Sg7Uo' }],
  });

export const WebhookPageSchema = pageOf(WebhookSchema).register(z.globalRegistry, { id: 'WebhookPage', description: 'A page of an account\'s webhook endpoints, oldest first' });

export const DeliverySchema = z
  .object({
    id: z.string().check(z.describe('`whd_…`: the event\'s id under this endpoint')),
    webhookId: z.string(),
    eventId: z.string().check(z.describe('The Webhook-Id header of its requests')),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES).check(z.describe('pending: on its way or waiting for a retry; delivered: answered 2xx; failed: given up after 24 h')),
    attempts: z.number().check(z.int()),
    lastStatusCode: z.nullable(z.number().check(z.int())).check(z.describe('The last answer\'s HTTP status; null when there was none (timeout, connection refused)')),
    lastError: z.nullable(z.string()),
    createdAt: z.iso.datetime({ offset: true }),
    lastAttemptAt: z.nullable(z.iso.datetime({ offset: true })),
    nextAttemptAt: z.nullable(z.iso.datetime({ offset: true })),
    deliveredAt: z.nullable(z.iso.datetime({ offset: true })),
    failedAt: z.nullable(z.iso.datetime({ offset: true })),
  })
  .register(z.globalRegistry, {
    id: 'WebhookDelivery',
    description: 'One event sent (or to send) to one endpoint',
    examples: [
      {
        id: 'whd_01JD6W2V9Q4X8M3N5P7R2T4Y70',
        webhookId: 'wh_01JD6W2V9Q4X8M3N5P7R2T4Y6Z',
        eventId: 'ev_01JD6W2V9Q4X8M3N5P7R2T4Y70',
        eventType: 'order.status_changed',
        status: 'delivered' as const,
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        createdAt: '2027-01-10T09:00:00.000Z',
        lastAttemptAt: '2027-01-10T09:00:00.300Z',
        nextAttemptAt: null,
        deliveredAt: '2027-01-10T09:00:00.300Z',
        failedAt: null,
      },
    ],
  });

export const DeliveryPageSchema = pageOf(DeliverySchema).register(z.globalRegistry, { id: 'WebhookDeliveryPage', description: 'A page of an endpoint\'s deliveries, newest first' });

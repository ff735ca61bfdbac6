import type * as z from 'zod/mini';
import { DISABLED_BY_FAILURES, deliveryIdOf, type Webhook, type WebhookDelivery } from '#data/webhooks.ts';
import type { CreatedWebhookSchema, DeliverySchema, WebhookSchema } from './schemas.ts';

/** The endpoint as the API shows it: never its secret (the create answer adds it, `createdWebhookView`). */
export function webhookView(w: Webhook): z.output<typeof WebhookSchema> {
  return {
    id: w.id,
    accountId: w.accountId,
    url: w.url,
    eventTypes: w.eventTypes,
    description: w.description ?? null,
    status: w.status,
    disabledReason: w.disabledReason === DISABLED_BY_FAILURES ? DISABLED_BY_FAILURES : null,
    lastError: w.disabledLastError ?? null,
    disabledAt: w.disabledAt ?? null,
    createdAt: w.createdAt,
    createdBy: w.createdBy,
    updatedAt: w.updatedAt,
    version: w.version,
  };
}

export const createdWebhookView = (w: Webhook): z.output<typeof CreatedWebhookSchema> => ({ ...webhookView(w), secret: w.secret });

export function deliveryView(d: WebhookDelivery): z.output<typeof DeliverySchema> {
  return {
    id: deliveryIdOf(d.eventId),
    webhookId: d.webhookId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode ?? null,
    lastError: d.lastError ?? null,
    createdAt: d.createdAt,
    lastAttemptAt: d.lastAttemptAt ?? null,
    nextAttemptAt: d.status === 'pending' ? (d.nextAttemptAt ?? null) : null,
    deliveredAt: d.deliveredAt ?? null,
    failedAt: d.failedAt ?? null,
  };
}

import { getSubscription } from '#data/subscriptions.ts';
import { clock } from '#platform/clock.ts';
import { scheduledChangeService } from '#services/scheduled-changes.ts';
import { httpHandler } from '#http/route.ts';
import { ScheduledChangeBody, SubscriptionParams as Params, SubscriptionSchema } from './schemas.ts';
import { authorizeChange } from './access.ts';
import { subscriptionView } from './views.ts';

/**
 * The change scheduled for a subscription's renewal (docs/product.md#scheduled-changes-at-renewal):
 * PUT sets it whole, DELETE drops it; both answer the subscription (200) and honour If-Match.
 * Who may: as for the other changes (a self-service subscription, its buyer only).
 */
export const putScheduledChange = httpHandler({ params: Params, body: ScheduledChangeBody, response: SubscriptionSchema }, async ({ params, body, caller, request }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const updated = await scheduledChangeService.set(subscription, body, { ifMatch: request.ifMatch });
  return { statusCode: 200, body: subscriptionView(updated, clock.now()) };
});

export const deleteScheduledChange = httpHandler({ params: Params, response: SubscriptionSchema }, async ({ params, caller, request }) => {
  const subscription = authorizeChange(caller, await getSubscription(params.subscriptionId));
  const updated = await scheduledChangeService.drop(subscription, { ifMatch: request.ifMatch });
  return { statusCode: 200, body: subscriptionView(updated, clock.now()) };
});

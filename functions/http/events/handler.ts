import { isEventType, type EventType } from '#domain/events.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { eventService } from '#services/events.ts';
import { EventsPageSchema, EventsQuery } from './schemas.ts';

/**
 * The events feed (docs/api.md#events): the events webhooks deliver, for integrations that pull.
 * Staff and customer admins, and API clients with `events:read`; their own account's feed or one
 * below it. Read-only.
 */
const listEvents = httpHandler({ query: EventsQuery, response: EventsPageSchema }, async ({ query, caller }) => {
  const types = query.types ? [...new Set(query.types.split(','))].filter(isEventType) : undefined;
  const page = await eventService.list(caller, { accountId: query.accountId, after: query.after, limit: query.limit, types: types as EventType[] | undefined });
  return { statusCode: 200, body: page };
});

export const handler = routeGroup({
  'GET /v1/events': listEvents,
});

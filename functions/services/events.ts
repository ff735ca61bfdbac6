import * as accountRepo from '#data/accounts.ts';
import * as eventRepo from '#data/events.ts';
import type { EventType, DomainEvent } from '#domain/events.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { eventIdAt } from '#platform/ids.ts';
import { authorize } from '#platform/scope.ts';

/**
 * The events feed for pull integrations (docs/api.md#events): the events of an account's feed, the
 * same that its webhooks deliver, oldest first, strictly after the last one the integration read.
 * Only events at least `EVENT_SETTLE_MS` old on the application clock are listed: an event's id is
 * taken just before its transaction commits, so one that commits late could otherwise land behind
 * an `after` already handed out, and be skipped.
 */
export interface EventDeps {
  accounts: Pick<typeof accountRepo, 'getAccount' | 'accountScope'>;
  events: Pick<typeof eventRepo, 'readFeed'>;
  now: () => number;
}

export interface FeedQuery {
  accountId?: string | undefined;
  after?: string | undefined;
  limit: number;
  types?: readonly EventType[] | undefined;
}

export interface EventsPage {
  items: DomainEvent[];
  lastEventId: string | null;
  hasMore: boolean;
}

export function makeEventService(deps: EventDeps) {
  return {
    /** The feed of `accountId` (the caller's own by default; an account below it for staff), 404 outside scope. */
    async list(caller: Caller, q: FeedQuery): Promise<EventsPage> {
      const feedAccountId = q.accountId && q.accountId !== caller.accountId ? authorize(caller, deps.accounts.accountScope(await deps.accounts.getAccount(q.accountId)), 'view').id : caller.accountId;
      const page = await deps.events.readFeed(feedAccountId, {
        before: eventIdAt(deps.now() - eventRepo.EVENT_SETTLE_MS),
        limit: q.limit,
        ...(q.after ? { after: q.after } : {}),
        ...(q.types?.length ? { types: q.types } : {}),
      });
      return { items: page.items.map(eventRepo.eventOf), lastEventId: page.lastEventId, hasMore: page.more };
    },
  };
}

export type EventService = ReturnType<typeof makeEventService>;

export const eventService = makeEventService({ accounts: accountRepo, events: eventRepo, now: () => clock.now().getTime() });

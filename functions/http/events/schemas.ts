import * as z from 'zod/mini';
import { EVENT_SCHEMAS, EVENT_TYPES } from '#domain/events.ts';
import { AccountId, id } from '../schemas.ts';

/** The contract of `GET /v1/events` (docs/api.md#events): the pull side of the webhooks' events. */
const typeAlternatives = EVENT_TYPES.map((t) => t.replace('.', '\\.')).join('|');

export const EventsQuery = z.strictObject({
  after: z.optional(id('event')).check(z.describe('List the events strictly after this one (the `lastEventId` of the previous page); absent: from the oldest kept (30 days)')),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 100),
  types: z.optional(
    z.string().check(z.regex(new RegExp(`^(${typeAlternatives})(,(${typeAlternatives}))*$`), `must be event types separated by commas: ${EVENT_TYPES.join(', ')}`), z.maxLength(500)),
  ).check(z.describe('Only these event types, separated by commas (`types=order.status_changed,invoice.paid`)')),
  accountId: z.optional(AccountId).check(z.describe('The feed of this account (in your scope); absent: your own account’s')),
});

const [first, ...rest] = EVENT_TYPES.map((t) => EVENT_SCHEMAS[t]);

export const EventSchema = z
  .discriminatedUnion('type', [first!, ...rest])
  .register(z.globalRegistry, {
    id: 'Event',
    description: 'A domain event, as webhooks deliver it: its type says what `data` holds (docs/api.md#events)',
    examples: [
      {
        id: 'ev_01JD6W1K3M5N7P9Q2R4S6T8V0W',
        type: 'order.status_changed',
        apiVersion: '2026-12-01',
        occurredAt: '2026-12-01T10:15:00.000Z',
        accountId: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0X',
        data: { orderId: 'ord_01JD6W1K3M5N7P9Q2R4S6T8V0Y', number: 'ORD-000042', accountId: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0X', type: 'sales', status: 'open', previousStatus: 'new' },
      },
    ],
  });

export const EventsPageSchema = z
  .object({
    items: z.array(EventSchema).check(z.describe('Oldest first, each at least a few seconds old (the settle delay)')),
    lastEventId: z.nullable(z.string()).check(z.describe('Pass as `after` to read on: the last event read, which a `types` filter may have left out; the `after` given when none was read')),
    hasMore: z.boolean().check(z.describe('More events may follow now; when false, ask again later with the same `after`')),
  })
  .register(z.globalRegistry, { id: 'EventsPage', description: 'A page of an account’s events feed' });

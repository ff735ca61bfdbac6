import { EVENT_SCHEMAS, EVENT_TYPES, EVENT_API_VERSION, type EventType } from '../../functions/domain/events.ts';
import { DELIVERY_TIMEOUT_MS } from '../../functions/domain/webhooks.ts';
import { jsonSchemaOf } from './build.ts';

/**
 * The `webhooks` section of the OpenAPI 3.1 document (docs/api.md#webhooks): one operation per event
 * type, the request this API sends to a registered endpoint. The payload of each is its zod schema
 * of the event catalog (functions/domain/events.ts), so a field added there shows here on the next
 * `npm run openapi`.
 */
const SUMMARIES: Record<EventType, string> = {
  'order.status_changed': 'An order was placed or moved to another status',
  'subscription.changed': 'A subscription was activated, changed, renewed, suspended, reactivated, cancelled or expired',
  'invoice.issued': 'An invoice was issued',
  'invoice.paid': 'An invoice was paid',
  'invoice.overdue': 'An invoice became overdue',
  'user.created': 'A portal user was created',
  'domain.status_changed': 'A Microsoft domain (tenant) changed status',
};

const operationIdOf = (type: string): string =>
  `on${type
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}`;

const HEADERS = [
  {
    name: 'Webhook-Id',
    in: 'header',
    required: true,
    description: 'The event\'s id: the same on every retry and redelivery of the event. Keep the ids you processed and skip one seen before (deliveries are at least once).',
    schema: { type: 'string', pattern: '^ev_[0-9A-HJKMNP-TV-Z]{26}$', examples: ['ev_01JD6W2V9Q4X8M3N5P7R2T4Y70'] },
  },
  {
    name: 'Webhook-Signature',
    in: 'header',
    required: true,
    description:
      '`t=<unix seconds>,v1=<hex>`: v1 is the HMAC-SHA256, keyed with the endpoint\'s secret (`whsec_…`, the whole string), of `<t>.<the raw body>`. ' +
      'Compute it over the bytes received, compare in constant time, and refuse a `t` far from your clock (e.g. more than 5 minutes) to stop replays.',
    schema: { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$', examples: ['t=1796634000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd'] },
  },
  {
    name: 'X-Correlation-Id',
    in: 'header',
    required: false,
    description:
      'The correlation id of the work that caused the event: the `x-correlation-id` its request sent (or was answered), or a job run\'s `job:<name>:<time>`. ' +
      'The same on every retry and redelivery. Quote it to support, or match it to the id your own request sent.',
    schema: { type: 'string', maxLength: 64, examples: ['erp-7f3c2a91-order-4711'] },
  },
];

export function webhooksSection(): Record<string, { post: Record<string, unknown> }> {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: operationIdOf(type),
          summary: SUMMARIES[type],
          description:
            `Sent as \`POST\` to each active endpoint of the account's feed subscribed to \`${type}\` (the account concerned and the accounts above it). ` +
            `Payload version \`${EVENT_API_VERSION}\` (\`apiVersion\`): fields are only added within a version. ` +
            `Answer 2xx within ${DELIVERY_TIMEOUT_MS / 1000} s; anything else is retried with exponential backoff for 24 hours, ` +
            'in order per resource, then the endpoint is disabled and the account\'s admins are emailed.',
          tags: ['webhookEvents'],
          security: [],
          parameters: HEADERS,
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(EVENT_SCHEMAS[type]) } } },
          responses: {
            '2XX': { description: 'Received: the delivery is done.' },
            default: { description: `Anything else, or no answer within ${DELIVERY_TIMEOUT_MS / 1000} s: tried again later.` },
          },
        },
      },
    ]),
  );
}

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchItemFailure, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { eventOf, type EventItem } from '#data/events.ts';
import { ENTITY_ATTRIBUTE, EVENT_ENTITY } from '#data/table.ts';
import type { DeliveryKey } from '#data/webhooks.ts';
import { useCorrelationId } from '#platform/correlation.ts';
import { lambdaHandler } from '#platform/lambda-handler.ts';
import { logger } from '#platform/logger.ts';
import { deliveryService } from '#services/webhook-delivery.ts';

/**
 * The webhook dispatcher (docs/architecture.md "Webhooks"): its own event source mapping on the
 * table's stream brings each new `event` item (one per feed account, written in the transaction of
 * its cause). For each, every active endpoint of the feed's account subscribed to its type gets a
 * delivery record, then the batch's deliveries are sent (services/webhook-delivery.ts): in order
 * per endpoint and resource, the queues side by side, while the invocation has time.
 *
 * - Recording is idempotent (one delivery per endpoint and event), so a redelivered stream record
 *   never makes a second delivery; a delivery recorded is due at once, so one this invocation does
 *   not get to send (time ran short, it stopped) goes out with the retry job.
 * - A failed record (the table unreachable) reports it and every later one in `batchItemFailures`:
 *   the mapping retries from there, in order, like the notifier.
 * - An endpoint that does not answer is no failure of the batch: its delivery is retried by the job.
 */
const RESERVE_MS = 12_000;

/**
 * Each event's lines carry the correlation id of the work that caused it (platform/correlation.ts);
 * the sending that follows, the invocation's request id and the events' ids (`correlationIds`).
 */
export const handler = lambdaHandler(dispatch, (_event: DynamoDBStreamEvent, context: Context) => context.awsRequestId ?? 'webhookDispatcher');

async function dispatch(event: DynamoDBStreamEvent, context?: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchItemFailure[] = [];
  const keys: DeliveryKey[] = [];
  const correlationIds = new Set<string>();
  for (const record of event.Records) {
    if (batchItemFailures.length > 0) {
      batchItemFailures.push(failureOf(record));
      continue;
    }
    const item = eventItemOf(record);
    if (!item) continue;
    const correlationId = typeof item.correlationId === 'string' ? item.correlationId : undefined;
    if (correlationId) correlationIds.add(correlationId);
    useCorrelationId(correlationId ?? context?.awsRequestId ?? 'webhookDispatcher');
    try {
      const recorded = await deliveryService.recordDeliveries(item.feedAccountId, eventOf(item), correlationId);
      keys.push(...recorded);
      logger.info('webhook event received', { eventId: item.id, type: item.type, deliveries: recorded.length });
    } catch (error) {
      logger.warn('Webhook deliveries not recorded; the stream will retry', { eventId: item.id, feedAccountId: item.feedAccountId, error: error as Error });
      batchItemFailures.push(failureOf(record));
    }
  }
  useCorrelationId(context?.awsRequestId ?? 'webhookDispatcher');
  if (keys.length > 0) {
    const hasTime = () => (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) > RESERVE_MS;
    try {
      const tally = await deliveryService.deliverAll(keys, hasTime);
      logger.info('webhook deliveries sent', { ...tally, recorded: keys.length, correlationIds: [...correlationIds] });
    } catch (error) {
      // Recorded and due: the retry job sends what this did not.
      logger.warn('Webhook deliveries not all sent; the retry job continues', { error: error as Error });
    }
  }
  return { batchItemFailures };
}

/** The event item of a newly inserted `event`, or nothing for any other stream record. */
function eventItemOf(record: DynamoDBRecord): EventItem | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item[ENTITY_ATTRIBUTE] !== EVENT_ENTITY || typeof item.feedAccountId !== 'string' || typeof item.id !== 'string') return undefined;
  return item as EventItem;
}

function failureOf(record: DynamoDBRecord): DynamoDBBatchItemFailure {
  return { itemIdentifier: record.dynamodb?.SequenceNumber ?? '' };
}

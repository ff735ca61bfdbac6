import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchItemFailure, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { db } from '#data/entities.ts';
import { supportContacts } from '#data/support-contacts.ts';
import { ENTITY_ATTRIBUTE, OUTBOX_ENTITY } from '#data/table.ts';
import { InvalidEmail, isEmailTemplate, renderEmail, type Locale, type RenderedEmail } from '#emails/index.ts';
import type { SupportContact } from '#domain/accounts.ts';
import { sesClient } from '#platform/clients.ts';
import { clock } from '#platform/clock.ts';
import { useCorrelationId } from '#platform/correlation.ts';
import { env } from '#platform/env.ts';
import { lambdaHandler } from '#platform/lambda-handler.ts';
import { logger } from '#platform/logger.ts';

/**
 * The outbox's sender (docs/product.md#how-it-is-built-fixed-choices): the table's stream brings each new outbox record here; it is
 * rendered, sent through SES and marked `sent`.
 *
 * - A record already `sent` is skipped, so a redelivered stream record never sends twice. The
 *   window that remains (SES accepted, the mark did not happen) resends once: at least once, never
 *   lost, is the trade.
 * - A failed send (or read, or mark) reports the record and every later one of the batch in
 *   `batchItemFailures`: the event source mapping retries from there, in order.
 * - A record that can never be rendered (unknown template, data its schema refuses) is not retried,
 *   which would hold up every email behind it on the shard: it is logged as an error and stays
 *   `pending`. outboxEmail() validates at write time, so this means a template changed under old data.
 * - A record with `accountId` closes with the support contact that account's users see (its own,
 *   else the nearest above; none, no footer), resolved once per account per invocation
 *   (data/support-contacts.ts). An account no longer there only leaves the footer out.
 *
 * Logs name the outbox id, template and address, never the data: an activation link carries a token.
 */
type LogContext = {
  outboxId: string;
  template?: string;
  /** The recipient's domain only: an address is personal data, and the outbox id finds the item. */
  toDomain?: string;
};

/**
 * Each record's lines carry the correlation id of the work that wrote the email (platform/correlation.ts),
 * the invocation's own lines its request id.
 */
export const handler = lambdaHandler(send, (_event: DynamoDBStreamEvent, context: Context) => context.awsRequestId ?? 'notifier');

async function send(event: DynamoDBStreamEvent, invocation: Context): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchItemFailure[] = [];
  const supportOf = supportContacts();
  for (const record of event.Records) {
    if (batchItemFailures.length > 0) {
      batchItemFailures.push(failureOf(record));
      continue;
    }
    const outbox = outboxOf(record);
    if (!outbox) continue;
    useCorrelationId(outbox.correlationId ?? invocation.awsRequestId ?? 'notifier');
    const context: LogContext = { outboxId: outbox.id };
    try {
      await deliver(context, supportOf);
    } catch (error) {
      logger.warn('Email not sent; the stream will retry it', { ...context, error });
      batchItemFailures.push(failureOf(record));
    }
  }
  return { batchItemFailures };
}

/** The id (and correlation id) of a newly inserted outbox record, or nothing for any other stream record. */
function outboxOf(record: DynamoDBRecord): { id: string; correlationId?: string } | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  // aws-lambda and the SDK describe the same wire format with two declarations of AttributeValue.
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item[ENTITY_ATTRIBUTE] !== OUTBOX_ENTITY || typeof item.id !== 'string') return undefined;
  return { id: item.id, ...(typeof item.correlationId === 'string' ? { correlationId: item.correlationId } : {}) };
}

/** An empty identifier makes Lambda retry the whole batch: the safe answer when there is no sequence number. */
function failureOf(record: DynamoDBRecord): DynamoDBBatchItemFailure {
  return { itemIdentifier: record.dynamodb?.SequenceNumber ?? '' };
}

async function deliver(context: LogContext, supportOf: (accountId: string) => Promise<SupportContact | undefined>): Promise<void> {
  const outbox = db().entities.outbox;
  const { outboxId: id } = context;
  const { data: item } = await outbox.get({ id }).go({ consistent: true });
  if (!item) {
    logger.warn('Outbox record not found; nothing to send', context);
    return;
  }
  context.template = item.template;
  context.toDomain = item.to.slice(item.to.lastIndexOf('@') + 1);
  if (item.status === 'sent') {
    logger.info('Email already sent; skipped', context);
    return;
  }

  const support = item.accountId ? await supportOf(item.accountId) : undefined;
  let email: RenderedEmail;
  try {
    email = render(item.template, item.locale, item.data, support);
  } catch (error) {
    if (!(error instanceof InvalidEmail)) throw error;
    logger.error('Email cannot be rendered; left pending', { ...context, reason: error.message });
    return;
  }

  const sent = await sesClient().send(
    new SendEmailCommand({
      FromEmailAddress: env.emailFrom(),
      Destination: { ToAddresses: [item.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
        },
      },
    }),
  );

  try {
    await outbox
      .patch({ id })
      .set({ status: 'sent', sentAt: clock.nowIso(), ...(sent.MessageId ? { messageId: sent.MessageId } : {}) })
      .add({ attempts: 1 })
      .where((a, op) => op.eq(a.status, 'pending'))
      .go();
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    logger.info('Email already marked sent by another invocation', context);
    return;
  }
  logger.info('Email sent', { ...context, messageId: sent.MessageId });
}

function render(template: string, locale: Locale, data: unknown, support: SupportContact | undefined): RenderedEmail {
  if (!isEmailTemplate(template)) throw new InvalidEmail(`Unknown email template "${template}".`);
  return renderEmail(template, locale, data, support);
}

/** ElectroDB wraps the SDK's error; the DynamoDB exception is its cause. */
function isConditionalCheckFailed(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return [error, cause].some((e) => e instanceof Error && e.name === 'ConditionalCheckFailedException');
}

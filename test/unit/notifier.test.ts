import { jest } from '@jest/globals';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

process.env.TABLE_NAME = 'notifier-test';
process.env.AWS_REGION ??= 'eu-west-1';

const { handler } = await import('../../functions/streams/notifier.ts');
const { db } = await import('#data/entities.ts');
const { outboxEmail } = await import('#emails/index.ts');
const { logger } = await import('#platform/logger.ts');

const ses = mockClient(SESv2Client);
const ddb = mockClient(DynamoDBDocumentClient);

const TOKEN = 'tok_do-not-log-me';

type OutboxRecord = ReturnType<typeof outboxEmail>;

function activationRecord(overrides: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    ...outboxEmail(
      'activation',
      { email: 'jane@example.com', locale: 'de', name: 'Jane Doe' },
      { link: `https://portal.example.com/activate?token=${TOKEN}`, expiresAt: '2027-01-05T15:04:00.000Z' },
    ),
    ...overrides,
  };
}

/** The item as the table holds it (keys and ElectroDB's identifiers included). */
function stored(record: OutboxRecord): Record<string, unknown> {
  return db().entities.outbox.put(record).params().Item as Record<string, unknown>;
}

let sequence = 100;
function insertOf(record: OutboxRecord, eventName: DynamoDBRecord['eventName'] = 'INSERT'): DynamoDBRecord {
  sequence += 1;
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: String(sequence),
      NewImage: marshall(stored(record), { removeUndefinedValues: true }) as Record<string, LambdaAttributeValue>,
    },
  };
}

function eventOf(...records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}

function storedAs(...records: OutboxRecord[]): void {
  for (const record of records) {
    ddb.on(GetCommand, { Key: { pk: stored(record).pk, sk: stored(record).sk } }).resolves({ Item: stored(record) });
  }
}

const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);

function logged(): string {
  return JSON.stringify([...info.mock.calls, ...warn.mock.calls, ...error.mock.calls], (_k, v: unknown) =>
    v instanceof Error ? { name: v.name, message: v.message } : v,
  );
}

beforeEach(() => {
  ses.reset();
  ddb.reset();
  warn.mockClear();
  error.mockClear();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
  ddb.on(UpdateCommand).resolves({});
});

describe('notifier', () => {
  it('sends a pending email once and marks it sent', async () => {
    const record = activationRecord();
    storedAs(record);

    const result = await handler(eventOf(insertOf(record)));

    expect(result).toEqual({ batchItemFailures: [] });
    const get = ddb.commandCalls(GetCommand);
    expect(get).toHaveLength(1);
    expect(get[0]?.args[0].input).toMatchObject({ TableName: 'notifier-test', ConsistentRead: true });

    const sends = ses.commandCalls(SendEmailCommand);
    expect(sends).toHaveLength(1);
    const input = sends[0]!.args[0].input;
    expect(input.FromEmailAddress).toBe('no-reply@portal.example.com');
    expect(input.Destination).toEqual({ ToAddresses: ['jane@example.com'] });
    expect(input.Content?.Simple?.Subject).toEqual({ Data: 'Aktivieren Sie Ihr Portalkonto', Charset: 'UTF-8' });
    expect(input.Content?.Simple?.Body?.Text?.Data).toContain(`token=${TOKEN}`);
    expect(input.Content?.Simple?.Body?.Html?.Data).toContain('<html lang="de">');
    expect(input.Content?.Simple?.Body?.Html?.Charset).toBe('UTF-8');

    const updates = ddb.commandCalls(UpdateCommand);
    expect(updates).toHaveLength(1);
    const update = updates[0]!.args[0].input;
    expect(update.Key).toEqual({ pk: stored(record).pk, sk: stored(record).sk });
    const values = Object.values(update.ExpressionAttributeValues ?? {});
    expect(values).toEqual(expect.arrayContaining(['sent', 'ses-message-1', 'pending', 1]));
    expect(update.UpdateExpression).toMatch(/ADD/);
    expect(update.ConditionExpression).toMatch(/attribute_exists/);
    const statusName = Object.entries(update.ExpressionAttributeNames ?? {}).find(([, name]) => name === 'status')?.[0];
    const pendingValue = Object.entries(update.ExpressionAttributeValues ?? {}).find(([, v]) => v === 'pending')?.[0];
    expect(update.ConditionExpression).toContain(`${statusName} = ${pendingValue}`);
  });

  it('skips a record already marked sent without calling SES', async () => {
    const record = activationRecord({ status: 'sent' });
    storedAs(record);

    const result = await handler(eventOf(insertOf(record)));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('reports a failed send, and every later record of the batch, for retry without marking it sent', async () => {
    const first = activationRecord();
    const second = activationRecord();
    storedAs(first, second);
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailableException' }));
    const records = [insertOf(first), insertOf(second)];

    const result = await handler(eventOf(...records));

    expect(result.batchItemFailures).toEqual(records.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber })));
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(warn).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ outboxId: first.id, template: 'activation', toDomain: 'example.com' }),
    );
    expect(logged()).not.toContain(TOKEN);
    // The recipient's address is personal data: the logs name its domain and the outbox id only.
    expect(logged()).not.toContain('jane@example.com');
  });

  it('retries a record once SES recovers, and sends the rest in order', async () => {
    const first = activationRecord();
    const second = activationRecord();
    storedAs(first, second);
    ses.on(SendEmailCommand).rejectsOnce(new Error('Throttled')).resolves({ MessageId: 'ses-message-2' });
    const records = [insertOf(first), insertOf(second)];

    const failed = await handler(eventOf(...records));
    const retried = await handler(eventOf(...records));

    expect(failed.batchItemFailures).toHaveLength(2);
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key)).toEqual([
      { pk: stored(first).pk, sk: stored(first).sk },
      { pk: stored(second).pk, sk: stored(second).sk },
    ]);
  });

  it('treats a failed condition on the mark as already sent by another invocation', async () => {
    const record = activationRecord();
    storedAs(record);
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    const result = await handler(eventOf(insertOf(record)));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it('reports a record whose mark fails for another reason', async () => {
    const record = activationRecord();
    storedAs(record);
    ddb.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Slow down', $metadata: {} }));
    const insert = insertOf(record);

    const result = await handler(eventOf(insert));

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: insert.dynamodb?.SequenceNumber }]);
  });

  it('ignores stream records that are not new outbox records', async () => {
    const record = activationRecord();
    const modify = insertOf(record, 'MODIFY');
    const other = insertOf(record);
    other.dynamodb!.NewImage = marshall({ pk: 'x', sk: 'y', __edb_e__: 'order', id: 'ord_1' }) as Record<string, LambdaAttributeValue>;

    const result = await handler(eventOf(modify, other, { eventName: 'INSERT' }));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('does nothing for a record that is no longer in the table', async () => {
    const record = activationRecord();
    ddb.on(GetCommand).resolves({});

    const result = await handler(eventOf(insertOf(record)));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('leaves a record that can never be rendered pending, without holding up the rest', async () => {
    const broken = activationRecord({ data: { recipientName: 'Jane', link: `https://x.example/?token=${TOKEN}` } });
    const unknown = activationRecord({ template: 'no-such-template' });
    const fine = activationRecord();
    storedAs(broken, unknown, fine);

    const result = await handler(eventOf(insertOf(broken), insertOf(unknown), insertOf(fine)));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(error).toHaveBeenCalledTimes(2);
    expect(error).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ outboxId: broken.id, template: 'activation' }));
    expect(logged()).not.toContain(TOKEN);
  });
});

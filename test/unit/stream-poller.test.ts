import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamsRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { startStreamPoller, type StreamPoller } from '../../local/stream-poller.ts';

/**
 * The local stream poller over a fake stream of one shard: what `GET /_local/emails?wait` relies on.
 * `whenCaughtUp` answers true only once every record the stream held has been handed to the handler
 * and handled, and false while a batch keeps failing.
 */
const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2027-01-01T00:00:00.000';
const dynamodb = mockClient(DynamoDBClient);
const streams = mockClient(DynamoDBStreamsClient);

function outboxRecord(seq: number): StreamsRecord {
  return {
    eventID: `e${seq}`,
    eventName: 'INSERT',
    dynamodb: { Keys: { pk: { S: `outbox#${seq}` } }, NewImage: { pk: { S: `outbox#${seq}` } }, SequenceNumber: String(seq), StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

/** A shard that holds `pending` records until they are read, then nothing new. */
function fakeStream(pending: StreamsRecord[]): void {
  dynamodb.on(DescribeTableCommand).resolves({ Table: { LatestStreamArn: STREAM_ARN, StreamSpecification: { StreamEnabled: true } } });
  streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } });
  streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
  streams.on(GetRecordsCommand).callsFake(() => ({ Records: pending.splice(0), NextShardIterator: 'it' }));
}

let poller: StreamPoller | undefined;

beforeEach(() => {
  dynamodb.reset();
  streams.reset();
});

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

const start = (handler: (event: DynamoDBStreamEvent) => Promise<void>) =>
  startStreamPoller({ tableName: 't', filter: { eventName: ['INSERT'] }, handler, intervalMs: 50, onError: () => undefined });

describe('the local stream poller', () => {
  it('is caught up only once the records the stream held have been handled', async () => {
    const pending = [outboxRecord(1), outboxRecord(2)];
    fakeStream(pending);
    const handled: string[] = [];
    poller = await start(async (event) => {
      await new Promise((r) => setTimeout(r, 200)); // a notifier sending through SES
      handled.push(...event.Records.map((r) => r.dynamodb!.SequenceNumber!));
    });
    expect(await poller.whenCaughtUp(5000)).toBe(true);
    expect(handled).toEqual(['1', '2']);

    // Records written later are waited for too.
    pending.push(outboxRecord(3));
    expect(await poller.whenCaughtUp(5000)).toBe(true);
    expect(handled).toEqual(['1', '2', '3']);
  });

  it('is not caught up while a batch keeps failing', async () => {
    fakeStream([outboxRecord(1)]);
    poller = await start(async () => {
      throw new Error('SES refuses');
    });
    expect(await poller.whenCaughtUp(1000)).toBe(false);
  });

  it('answers false to a waiter when it stops', async () => {
    fakeStream([outboxRecord(1)]);
    poller = await start(() => new Promise(() => undefined)); // never answers
    const waiting = poller.whenCaughtUp(30_000);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = poller.stop();
    expect(await waiting).toBe(false);
    poller = undefined;
    void stopping;
  });
});

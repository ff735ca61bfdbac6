import { ENTITY_ATTRIBUTE, EVENT_STREAM_FILTER, OUTBOX_STREAM_FILTER } from '../../functions/data/table.ts';
import { matchesFilter, toLambdaRecord, validateFilter } from '../../local/stream-poller.ts';

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/portal/stream/2027-01-01T00:00:00.000';

const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', entity: string | undefined) => ({
  eventID: 'e1',
  eventName,
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'eu-west-1',
  dynamodb: {
    Keys: { pk: { S: 'outbox#1' }, sk: { S: 'outbox' } },
    ...(entity === undefined ? {} : { NewImage: { pk: { S: 'outbox#1' }, [ENTITY_ATTRIBUTE]: { S: entity } } }),
    SequenceNumber: '100',
    SizeBytes: 40,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  eventSourceARN: STREAM_ARN,
});

describe('stream filter pattern', () => {
  it('matches a new outbox record', () => {
    expect(matchesFilter(OUTBOX_STREAM_FILTER, record('INSERT', 'outbox'))).toBe(true);
  });

  it('refuses changes to an outbox record (marking it sent must not send again)', () => {
    expect(matchesFilter(OUTBOX_STREAM_FILTER, record('MODIFY', 'outbox'))).toBe(false);
    expect(matchesFilter(OUTBOX_STREAM_FILTER, record('REMOVE', 'outbox'))).toBe(false);
  });

  it('refuses other entities and records without a new image', () => {
    expect(matchesFilter(OUTBOX_STREAM_FILTER, record('INSERT', 'order'))).toBe(false);
    expect(matchesFilter(OUTBOX_STREAM_FILTER, record('INSERT', undefined))).toBe(false);
  });

  it('lets only new domain events through to the webhook dispatcher, and none of them to the notifier', () => {
    expect(matchesFilter(EVENT_STREAM_FILTER, record('INSERT', 'event'))).toBe(true);
    expect(matchesFilter(EVENT_STREAM_FILTER, record('MODIFY', 'event'))).toBe(false);
    expect(matchesFilter(EVENT_STREAM_FILTER, record('REMOVE', 'event'))).toBe(false);
    expect(matchesFilter(EVENT_STREAM_FILTER, record('INSERT', 'outbox'))).toBe(false);
    expect(matchesFilter(OUTBOX_STREAM_FILTER, record('INSERT', 'event'))).toBe(false);
    expect(() => validateFilter(EVENT_STREAM_FILTER)).not.toThrow();
  });

  it.each([
    [{ a: ['x', 'y'] }, { a: 'y' }, true],
    [{ a: ['x'] }, { a: ['z', 'x'] }, true],
    [{ a: [5] }, { a: '5' }, false],
    [{ a: [null] }, { a: null }, true],
    [{ a: [{ prefix: 'ord' }] }, { a: 'order' }, true],
    [{ a: [{ exists: false }] }, {}, true],
    [{ a: [{ exists: true }] }, {}, false],
    [{ a: [{ 'anything-but': ['x'] }] }, { a: 'y' }, true],
    [{ a: [{ 'anything-but': ['x'] }] }, { a: 'x' }, false],
    [{ a: { b: ['x'] } }, { a: 'x' }, false],
  ])('pattern %j on %j → %s', (pattern, event, expected) => {
    expect(matchesFilter(pattern, event)).toBe(expected);
  });

  it('refuses patterns it cannot evaluate like Lambda does', () => {
    expect(() => validateFilter(OUTBOX_STREAM_FILTER)).not.toThrow();
    expect(() => validateFilter({ a: [{ numeric: ['>', 1] }] })).toThrow(/unsupported rule/);
    expect(() => validateFilter({ a: 'x' })).toThrow(/must be an object/);
  });
});

describe('stream record shape', () => {
  it('shapes a streams record as Lambda delivers it', () => {
    const shaped = toLambdaRecord(
      {
        eventID: 'e1',
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'eu-west-1',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2027-01-26T10:00:00.900Z'),
          Keys: { pk: { S: 'a' } },
          NewImage: { pk: { S: 'a' }, blob: { B: new Uint8Array([1, 2, 3]) } },
          SequenceNumber: '42',
          SizeBytes: 12,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      STREAM_ARN,
    );
    expect(shaped).toEqual({
      eventID: 'e1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: {
        ApproximateCreationDateTime: Date.parse('2027-01-26T10:00:00Z') / 1000,
        Keys: { pk: { S: 'a' } },
        NewImage: { pk: { S: 'a' }, blob: { B: 'AQID' } },
        SequenceNumber: '42',
        SizeBytes: 12,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: STREAM_ARN,
    });
  });
});

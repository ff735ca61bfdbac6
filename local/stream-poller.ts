/**
 * The local stand-in for the Lambda event source mapping on the table's stream: it reads every
 * shard of the stream (parents before children, new shards as they appear), applies the same
 * filter pattern the mapping has, hands the handler batches shaped like Lambda's
 * DynamoDBStreamEvent, and honours ReportBatchItemFailures. A failed batch is retried from its
 * first failed record, forever, so locally nothing is lost; per-shard checkpoints kept in a small
 * JSON file make a restart neither re-send nor skip records.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamsRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export interface StreamPollerOptions {
  tableName: string;
  /** An event source mapping filter pattern (the `Pattern` of one filter), e.g. OUTBOX_STREAM_FILTER. */
  filter: object;
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  /** Pause between polls when the stream has nothing new (ms). */
  intervalMs?: number;
  /** Most records per GetRecords call, and so per invocation. */
  batchSize?: number;
  onError?: (err: unknown) => void;
  /** Where per-shard checkpoints are kept across restarts; in memory only when absent. */
  checkpointFile?: string;
}

export interface StreamPoller {
  stop(): Promise<void>;
}

interface Checkpoints {
  streamArn: string;
  /** Per shard: the last sequence number handled (or filtered out), and whether the shard is done. */
  shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
}

interface ShardState {
  id: string;
  parentId?: string;
  iterator?: string;
  /** The last record pulled from the stream in this run (it may still wait in `buffer`). */
  lastReadSeq?: string;
  /** Records read but not yet handled, oldest first. */
  buffer: StreamsRecord[];
  /** The stream has no more records for this shard (GetRecords gave no NextShardIterator). */
  drained: boolean;
  retryAt: number;
  backoffMs: number;
}

const FIRST_BACKOFF_MS = 200;
/**
 * The longest pause before a failed batch is tried again. Short, so that once the cause goes away
 * (SES refusing, see ses-faults.ts) the held emails leave within about two seconds; a failing
 * notifier invocation already spends a second or more in the SDK's own retries, so this does not
 * hammer anything.
 */
const MAX_BACKOFF_MS = 2000;
const DESCRIBE_EVERY_MS = 10_000;

export async function startStreamPoller(opts: StreamPollerOptions): Promise<StreamPoller> {
  validateFilter(opts.filter);
  const intervalMs = opts.intervalMs ?? 250;
  const batchSize = opts.batchSize ?? 100;
  const onError = opts.onError ?? ((err: unknown) => console.error('[stream-poller]', err));
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';

  const dynamodb = new DynamoDBClient({ region });
  // DynamoDB Local serves the streams API on the table endpoint; the SDK itself reads
  // AWS_ENDPOINT_URL_DYNAMODB_STREAMS when it is set.
  const streamsEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS ?? process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const streams = new DynamoDBStreamsClient({ region, ...(streamsEndpoint ? { endpoint: streamsEndpoint } : {}) });

  const table = await dynamodb.send(new DescribeTableCommand({ TableName: opts.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn || table.Table?.StreamSpecification?.StreamEnabled === false) {
    throw new Error(`Table ${opts.tableName} has no stream`);
  }

  let checkpoints: Checkpoints = { streamArn, shards: {} };
  if (opts.checkpointFile) {
    const saved = await readCheckpoints(opts.checkpointFile);
    // Another stream ARN means the table was recreated: its old positions mean nothing.
    if (saved?.streamArn === streamArn) checkpoints = saved;
  }
  const saveCheckpoints = async (): Promise<void> => {
    if (!opts.checkpointFile) return;
    await mkdir(dirname(opts.checkpointFile), { recursive: true });
    const tmp = `${opts.checkpointFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(checkpoints, null, 2));
    await rename(tmp, opts.checkpointFile);
  };
  const checkpointOf = (shardId: string): { sequenceNumber?: string; finished?: boolean } =>
    (checkpoints.shards[shardId] ??= {});

  const shards = new Map<string, ShardState>();
  let listedShardIds = new Set<string>();
  let nextDescribeAt = 0;

  const describeStream = async (): Promise<void> => {
    const listed: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const out = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}) }),
      );
      listed.push(...(out.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    listedShardIds = new Set(listed.map((s) => s.ShardId!));
    for (const shard of listed) {
      if (!shards.has(shard.ShardId!)) {
        shards.set(shard.ShardId!, {
          id: shard.ShardId!,
          ...(shard.ParentShardId ? { parentId: shard.ParentShardId } : {}),
          buffer: [],
          drained: false,
          retryAt: 0,
          backoffMs: FIRST_BACKOFF_MS,
        });
      }
    }
    // Shards past the stream's retention are gone; so is anything we knew about them.
    for (const id of [...shards.keys()]) if (!listedShardIds.has(id)) shards.delete(id);
    for (const id of Object.keys(checkpoints.shards)) if (!listedShardIds.has(id)) delete checkpoints.shards[id];
    nextDescribeAt = Date.now() + DESCRIBE_EVERY_MS;
  };

  /** A shard is read once its parent (if the stream still lists it) has been read to its end. */
  const isReady = (shard: ShardState): boolean => {
    if (checkpointOf(shard.id).finished) return false;
    if (!shard.parentId || !listedShardIds.has(shard.parentId)) return true;
    return checkpointOf(shard.parentId).finished === true;
  };

  const shardIterator = async (shard: ShardState): Promise<string | undefined> => {
    const after = shard.lastReadSeq ?? checkpointOf(shard.id).sequenceNumber;
    const out = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.id,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return out.ShardIterator;
  };

  const scheduleRetry = (shard: ShardState): void => {
    shard.retryAt = Date.now() + shard.backoffMs;
    shard.backoffMs = Math.min(shard.backoffMs * 2, MAX_BACKOFF_MS);
  };

  /** Records read from a shard; false when nothing new was there. */
  const read = async (shard: ShardState): Promise<boolean> => {
    shard.iterator ??= await shardIterator(shard);
    if (!shard.iterator) {
      shard.drained = true;
      return false;
    }
    try {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }));
      const records = out.Records ?? [];
      // No next iterator: the shard is closed and this was its end.
      shard.iterator = out.NextShardIterator;
      if (!out.NextShardIterator) shard.drained = true;
      if (records.length > 0) {
        shard.buffer.push(...records);
        shard.lastReadSeq = records[records.length - 1]!.dynamodb?.SequenceNumber;
      }
      return records.length > 0;
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'ExpiredIteratorException') {
        // Iterators live 15 minutes; a new one starts after the last record read.
        shard.iterator = undefined;
        return false;
      }
      if (name === 'TrimmedDataAccessException') {
        onError(new Error(`Shard ${shard.id}: records past the stream's retention were lost; reading from the oldest kept`, { cause: err }));
        shard.iterator = undefined;
        delete shard.lastReadSeq;
        delete checkpointOf(shard.id).sequenceNumber;
        return false;
      }
      if (name === 'ResourceNotFoundException') {
        nextDescribeAt = 0;
        shard.iterator = undefined;
        return false;
      }
      throw err;
    }
  };

  const markHandled = (shard: ShardState, count: number): void => {
    const last = shard.buffer[count - 1];
    if (last?.dynamodb?.SequenceNumber) checkpointOf(shard.id).sequenceNumber = last.dynamodb.SequenceNumber;
    shard.buffer = shard.buffer.slice(count);
  };

  /** Hands the shard's buffered records to the handler; they leave the buffer once handled. */
  const deliver = async (shard: ShardState): Promise<void> => {
    const shaped = shard.buffer.map((r) => toLambdaRecord(r, streamArn));
    const selected = shaped.map((record, index) => ({ record, index })).filter(({ record }) => matchesFilter(opts.filter, record));
    if (selected.length === 0) {
      markHandled(shard, shard.buffer.length);
      await saveCheckpoints();
      return;
    }
    let firstFailed: number | undefined;
    try {
      const response = await opts.handler({ Records: selected.map((s) => s.record) });
      const failures = response?.batchItemFailures ?? [];
      if (failures.length > 0) {
        const failedIndexes = failures.map((f) => selected.findIndex((s) => s.record.dynamodb?.SequenceNumber === f.itemIdentifier));
        // An identifier that names no record of the batch fails the whole batch, as in Lambda.
        firstFailed = failedIndexes.some((i) => i < 0) ? selected[0]!.index : selected[Math.min(...failedIndexes)]!.index;
      }
    } catch (err) {
      onError(err);
      firstFailed = selected[0]!.index;
    }
    if (firstFailed === undefined) {
      markHandled(shard, shard.buffer.length);
      shard.backoffMs = FIRST_BACKOFF_MS;
      shard.retryAt = 0;
    } else {
      markHandled(shard, firstFailed);
      scheduleRetry(shard);
    }
    await saveCheckpoints();
  };

  /** One step for one shard; true when it moved records (so the next poll comes at once). */
  const step = async (shard: ShardState): Promise<boolean> => {
    let moved = false;
    if (shard.buffer.length === 0 && !shard.drained) moved = await read(shard);
    if (shard.buffer.length > 0) {
      await deliver(shard);
      moved = true;
    }
    if (shard.buffer.length === 0 && shard.drained) {
      checkpointOf(shard.id).finished = true;
      await saveCheckpoints();
      nextDescribeAt = 0; // its children can start now
      moved = true;
    }
    return moved;
  };

  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      let pause: number;
      try {
        if (Date.now() >= nextDescribeAt) await describeStream();
        let moved = false;
        for (const shard of shards.values()) {
          if (stopped) break;
          if (!isReady(shard) || shard.retryAt > Date.now()) continue;
          if (await step(shard)) moved = true;
        }
        failures = 0;
        const nextRetry = Math.min(...[...shards.values()].filter((s) => s.retryAt > Date.now()).map((s) => s.retryAt));
        pause = moved ? 0 : Math.max(0, Math.min(intervalMs, nextRetry - Date.now()));
      } catch (err) {
        // The stream itself failed (DynamoDB Local restarting, …): back off and carry on.
        onError(err);
        failures += 1;
        pause = Math.min(FIRST_BACKOFF_MS * 2 ** failures, MAX_BACKOFF_MS);
      }
      if (!stopped) await sleep(pause);
    }
  };

  const running = loop();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
      dynamodb.destroy();
      streams.destroy();
    },
  };
}

async function readCheckpoints(file: string): Promise<Checkpoints | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Checkpoints;
    return typeof parsed.streamArn === 'string' && parsed.shards && typeof parsed.shards === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A stream record as Lambda delivers it: JSON attribute values, epoch-seconds creation time. */
export function toLambdaRecord(record: StreamsRecord, eventSourceARN: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const images = (image: Record<string, unknown> | undefined): Record<string, AttributeValue> | undefined =>
    image ? (Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toJsonAttribute(v)])) as Record<string, AttributeValue>) : undefined;
  const keys = images(d.Keys);
  const newImage = images(d.NewImage);
  const oldImage = images(d.OldImage);
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb: {
      ...(d.ApproximateCreationDateTime ? { ApproximateCreationDateTime: Math.floor(new Date(d.ApproximateCreationDateTime).getTime() / 1000) } : {}),
      ...(keys ? { Keys: keys } : {}),
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
    eventSourceARN,
    ...(record.userIdentity ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } } : {}),
  };
}

/** Binary values travel base64-encoded in Lambda's JSON. */
function toJsonAttribute(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (v.B instanceof Uint8Array) return { B: Buffer.from(v.B).toString('base64') };
  if (Array.isArray(v.BS)) return { BS: v.BS.map((b: unknown) => (b instanceof Uint8Array ? Buffer.from(b).toString('base64') : b)) };
  if (Array.isArray(v.L)) return { L: v.L.map(toJsonAttribute) };
  if (v.M && typeof v.M === 'object') {
    return { M: Object.fromEntries(Object.entries(v.M).map(([k, inner]) => [k, toJsonAttribute(inner)])) };
  }
  const { $unknown: _unknown, ...known } = v;
  return known;
}

/*
 * Filter patterns: the subset of the EventBridge / Lambda event-filtering grammar the project
 * needs. A pattern is an object whose leaves are arrays of allowed values; nested objects match
 * nested fields; a field that is an array matches when any element does. Allowed values are exact
 * values (string, number, boolean, null) or `{prefix}`, `{exists}` and `{"anything-but"}`.
 */
type Matcher = string | number | boolean | null | { prefix?: string; exists?: boolean; 'anything-but'?: unknown };

export function matchesFilter(pattern: object, event: unknown): boolean {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return false;
  const fields = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, rule]) => {
    const value = fields[key];
    if (Array.isArray(rule)) return matchesField(rule as readonly Matcher[], value);
    return matchesFilter(rule as object, value);
  });
}

function matchesField(rules: readonly Matcher[], value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return rules.some((rule) => {
    if (rule !== null && typeof rule === 'object') {
      if ('exists' in rule) return rule.exists === (value !== undefined);
      if (value === undefined) return false;
      if ('prefix' in rule) return values.some((v) => typeof v === 'string' && v.startsWith(rule.prefix!));
      const excluded = rule['anything-but'];
      const list = Array.isArray(excluded) ? excluded : [excluded];
      return values.every((v) => !list.some((x) => sameValue(x, v)));
    }
    return values.some((v) => sameValue(rule, v));
  });
}

function sameValue(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && actual === expected;
  return expected === actual;
}

/** Refuses a pattern this matcher would not evaluate like Lambda does, instead of guessing. */
export function validateFilter(pattern: unknown, path = ''): void {
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern)) {
    throw new Error(`Filter pattern${path ? ` at ${path}` : ''} must be an object`);
  }
  for (const [key, rule] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (!Array.isArray(rule)) {
      validateFilter(rule, at);
      continue;
    }
    if (rule.length === 0) throw new Error(`Filter pattern at ${at}: empty list of allowed values`);
    for (const allowed of rule) {
      if (allowed === null || ['string', 'number', 'boolean'].includes(typeof allowed)) continue;
      const ops = typeof allowed === 'object' && !Array.isArray(allowed) ? Object.keys(allowed) : [];
      const supported = ops.length === 1 && ['prefix', 'exists', 'anything-but'].includes(ops[0]!);
      if (!supported) throw new Error(`Filter pattern at ${at}: unsupported rule ${JSON.stringify(allowed)}`);
    }
  }
}

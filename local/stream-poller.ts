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
  /**
   * Resolves true once every record the stream held when it was called has been handed to the
   * handler and handled (a whole later pass found nothing to read, deliver or retry); false when
   * that has not happened within `timeoutMs` (a batch still failing, say) or the poller stops.
   */
  whenCaughtUp(timeoutMs: number): Promise<boolean>;
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
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const dynamodb = new DynamoDBClient({ region });
  // DynamoDB Local serves the streams API on the table endpoint; the SDK itself reads
  // AWS_ENDPOINT_URL_DYNAMODB_STREAMS when it is set.
  const streamsEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS ?? process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const streams = new DynamoDBStreamsClient({ region, ...(streamsEndpoint ? { endpoint: streamsEndpoint } : {}) });

  const streamArn = await tableStreamArn(dynamodb, opts.tableName);
  const checkpoints = await loadCheckpoints(opts.checkpointFile, streamArn);
  const poller = new Poller(opts, streams, streamArn, checkpoints);
  const running = poller.loop();
  return {
    whenCaughtUp: (timeoutMs) => poller.whenCaughtUp(timeoutMs),
    async stop() {
      poller.stop();
      await running;
      dynamodb.destroy();
      streams.destroy();
    },
  };
}

async function tableStreamArn(dynamodb: DynamoDBClient, tableName: string): Promise<string> {
  const table = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn || table.Table?.StreamSpecification?.StreamEnabled === false) {
    throw new Error(`Table ${tableName} has no stream`);
  }
  return streamArn;
}

/** The saved positions, when they belong to this stream (another ARN means the table was recreated). */
async function loadCheckpoints(file: string | undefined, streamArn: string): Promise<Checkpoints> {
  const saved = file ? await readCheckpoints(file) : undefined;
  return saved?.streamArn === streamArn ? saved : { streamArn, shards: {} };
}

function newShardState(shard: Shard): ShardState {
  return {
    id: shard.ShardId!,
    ...(shard.ParentShardId ? { parentId: shard.ParentShardId } : {}),
    buffer: [],
    drained: false,
    retryAt: 0,
    backoffMs: FIRST_BACKOFF_MS,
  };
}

/** Which record of the batch to start again from after the handler's answer; undefined when all were handled. */
function firstFailedIndex(
  selected: ReadonlyArray<{ record: DynamoDBRecord; index: number }>,
  response: DynamoDBBatchResponse | void,
): number | undefined {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  const failedIndexes = failures.map((f) => selected.findIndex((s) => s.record.dynamodb?.SequenceNumber === f.itemIdentifier));
  // An identifier that names no record of the batch fails the whole batch, as in Lambda.
  return failedIndexes.some((i) => i < 0) ? selected[0]!.index : selected[Math.min(...failedIndexes)]!.index;
}

/** The poll loop and its state: the shards known, their buffers and backoffs, the checkpoints. */
class Poller {
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly onError: (err: unknown) => void;
  private readonly shards = new Map<string, ShardState>();
  private listedShardIds = new Set<string>();
  private nextDescribeAt = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** Callers of whenCaughtUp, each with the pass count it waits past. */
  private readonly caughtUpWaiters = new Set<{ afterPass: number; resolve: (caughtUp: boolean) => void }>();
  private passes = 0;

  constructor(
    private readonly opts: StreamPollerOptions,
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly checkpoints: Checkpoints,
  ) {
    this.intervalMs = opts.intervalMs ?? 250;
    this.batchSize = opts.batchSize ?? 100;
    this.onError = opts.onError ?? ((err: unknown) => console.error('[stream-poller]', err));
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
    for (const waiter of this.caughtUpWaiters) waiter.resolve(false);
    this.caughtUpWaiters.clear();
  }

  /**
   * Resolves true once a whole pass that started after this call found nothing left to read or
   * deliver on any shard (every record written before the call has been handled), false after
   * `timeoutMs` (a batch still failing, say) or on stop.
   */
  whenCaughtUp(timeoutMs: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        // The pass running now may have read its shards before the caller's records were written.
        afterPass: this.passes + 1,
        resolve: (caughtUp: boolean) => {
          clearTimeout(timer);
          this.caughtUpWaiters.delete(waiter);
          resolve(caughtUp);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.caughtUpWaiters.add(waiter);
      this.wake?.();
    });
  }

  async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let pause: number;
      try {
        const moved = await this.pollOnce();
        failures = 0;
        pause = moved ? 0 : this.idlePause();
      } catch (err) {
        // The stream itself failed (DynamoDB Local restarting, …): back off and carry on.
        this.onError(err);
        failures += 1;
        pause = Math.min(FIRST_BACKOFF_MS * 2 ** failures, MAX_BACKOFF_MS);
      }
      if (!this.stopped) await this.sleep(pause);
    }
  }

  /** One pass over the ready shards; true when any of them moved records. */
  private async pollOnce(): Promise<boolean> {
    this.passes += 1;
    const pass = this.passes;
    if (Date.now() >= this.nextDescribeAt) await this.describeStream();
    let moved = false;
    let waiting = false;
    for (const shard of this.shards.values()) {
      if (this.stopped) break;
      if (!this.isReady(shard)) continue;
      if (shard.retryAt > Date.now()) {
        waiting = true;
        continue;
      }
      if (await this.step(shard)) moved = true;
    }
    if (!moved && !waiting) this.settleCaughtUpWaiters(pass);
    return moved;
  }

  private settleCaughtUpWaiters(pass: number): void {
    for (const waiter of [...this.caughtUpWaiters]) if (pass >= waiter.afterPass) waiter.resolve(true);
  }

  /** How long to sleep after a pass that moved nothing: the interval, or less when a retry comes sooner. */
  private idlePause(): number {
    const nextRetry = Math.min(...[...this.shards.values()].filter((s) => s.retryAt > Date.now()).map((s) => s.retryAt));
    return Math.max(0, Math.min(this.intervalMs, nextRetry - Date.now()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private checkpointOf(shardId: string): { sequenceNumber?: string; finished?: boolean } {
    return (this.checkpoints.shards[shardId] ??= {});
  }

  private async saveCheckpoints(): Promise<void> {
    const file = this.opts.checkpointFile;
    if (!file) return;
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.checkpoints, null, 2));
    await rename(tmp, file);
  }

  private async listShards(): Promise<Shard[]> {
    const listed: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const out = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}) }),
      );
      listed.push(...(out.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return listed;
  }

  private async describeStream(): Promise<void> {
    const listed = await this.listShards();
    this.listedShardIds = new Set(listed.map((s) => s.ShardId!));
    for (const shard of listed) {
      if (!this.shards.has(shard.ShardId!)) this.shards.set(shard.ShardId!, newShardState(shard));
    }
    // Shards past the stream's retention are gone; so is anything we knew about them.
    for (const id of [...this.shards.keys()]) if (!this.listedShardIds.has(id)) this.shards.delete(id);
    for (const id of Object.keys(this.checkpoints.shards)) if (!this.listedShardIds.has(id)) delete this.checkpoints.shards[id];
    this.nextDescribeAt = Date.now() + DESCRIBE_EVERY_MS;
  }

  /** A shard is read once its parent (if the stream still lists it) has been read to its end. */
  private isReady(shard: ShardState): boolean {
    if (this.checkpointOf(shard.id).finished) return false;
    if (!shard.parentId || !this.listedShardIds.has(shard.parentId)) return true;
    return this.checkpointOf(shard.parentId).finished === true;
  }

  /** One step for one shard; true when it moved records (so the next poll comes at once). */
  private async step(shard: ShardState): Promise<boolean> {
    let moved = false;
    if (shard.buffer.length === 0 && !shard.drained) moved = await this.read(shard);
    if (shard.buffer.length > 0) {
      await this.deliver(shard);
      moved = true;
    }
    if (shard.buffer.length === 0 && shard.drained) {
      await this.finishShard(shard);
      moved = true;
    }
    return moved;
  }

  private async finishShard(shard: ShardState): Promise<void> {
    this.checkpointOf(shard.id).finished = true;
    await this.saveCheckpoints();
    this.nextDescribeAt = 0; // its children can start now
  }

  private async shardIterator(shard: ShardState): Promise<string | undefined> {
    const after = shard.lastReadSeq ?? this.checkpointOf(shard.id).sequenceNumber;
    const out = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shard.id,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return out.ShardIterator;
  }

  /** Records read from a shard; false when nothing new was there. */
  private async read(shard: ShardState): Promise<boolean> {
    shard.iterator ??= await this.shardIterator(shard);
    if (!shard.iterator) {
      shard.drained = true;
      return false;
    }
    try {
      const out = await this.streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: this.batchSize }));
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
      this.recoverFromReadError(shard, err);
      return false;
    }
  }

  /** The read errors a shard recovers from on its next step; any other is the stream's failure. */
  private recoverFromReadError(shard: ShardState, err: unknown): void {
    const name = (err as { name?: string }).name;
    if (name === 'ExpiredIteratorException') {
      // Iterators live 15 minutes; a new one starts after the last record read.
      shard.iterator = undefined;
      return;
    }
    if (name === 'TrimmedDataAccessException') {
      this.onError(new Error(`Shard ${shard.id}: records past the stream's retention were lost; reading from the oldest kept`, { cause: err }));
      shard.iterator = undefined;
      delete shard.lastReadSeq;
      delete this.checkpointOf(shard.id).sequenceNumber;
      return;
    }
    if (name === 'ResourceNotFoundException') {
      this.nextDescribeAt = 0;
      shard.iterator = undefined;
      return;
    }
    throw err;
  }

  /** Hands the shard's buffered records to the handler; they leave the buffer once handled. */
  private async deliver(shard: ShardState): Promise<void> {
    const shaped = shard.buffer.map((r) => toLambdaRecord(r, this.streamArn));
    const selected = shaped.map((record, index) => ({ record, index })).filter(({ record }) => matchesFilter(this.opts.filter, record));
    if (selected.length === 0) {
      this.markHandled(shard, shard.buffer.length);
      await this.saveCheckpoints();
      return;
    }
    const firstFailed = await this.invokeHandler(selected);
    if (firstFailed === undefined) {
      this.markHandled(shard, shard.buffer.length);
      shard.backoffMs = FIRST_BACKOFF_MS;
      shard.retryAt = 0;
    } else {
      this.markHandled(shard, firstFailed);
      scheduleRetry(shard);
    }
    await this.saveCheckpoints();
  }

  /** Calls the handler with the selected records; the buffer index to retry from, or undefined. */
  private async invokeHandler(selected: ReadonlyArray<{ record: DynamoDBRecord; index: number }>): Promise<number | undefined> {
    try {
      return firstFailedIndex(selected, await this.opts.handler({ Records: selected.map((s) => s.record) }));
    } catch (err) {
      this.onError(err);
      return selected[0]!.index;
    }
  }

  private markHandled(shard: ShardState, count: number): void {
    const last = shard.buffer[count - 1];
    if (last?.dynamodb?.SequenceNumber) this.checkpointOf(shard.id).sequenceNumber = last.dynamodb.SequenceNumber;
    shard.buffer = shard.buffer.slice(count);
  }
}

function scheduleRetry(shard: ShardState): void {
  shard.retryAt = Date.now() + shard.backoffMs;
  shard.backoffMs = Math.min(shard.backoffMs * 2, MAX_BACKOFF_MS);
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

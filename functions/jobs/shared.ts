import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { documentClient } from '#platform/clients.ts';
import { clock } from '#platform/clock.ts';
import { env } from '#platform/env.ts';
import { logger } from '#platform/logger.ts';
import { DUE_SHARDS } from '#data/table.ts';
import { isoDate } from '#domain/terms.ts';

/**
 * What every scheduled job shares (SPEC §3.8): "now" comes from the event (EventBridge Scheduler
 * passes the scheduled time; the local scheduler passes the local clock); work is found in the
 * sparse, sharded due indexes, so it is proportional to what is due; each item is processed with a
 * condition that makes a second run a no-op; a job stops before its time limit and the next run
 * continues where it stopped, because processed items leave the day's partition.
 */
export interface JobEvent {
  /** ISO time the job runs for; its UTC date is the job's day. */
  time?: string;
  /** Stop when less than this is left of the invocation (ms). */
  reserveMs?: number;
  /** For tests: stop after this many items, as if the time limit came. */
  maxItems?: number;
}

export interface JobResult {
  job: string;
  day: string;
  processed: number;
  skipped: number;
  /** DynamoDB items read to find and process the due work (what the scale test measures). */
  itemsRead: number;
  done: boolean;
}

export class JobRun {
  readonly day: string;
  readonly now: Date;
  processed = 0;
  skipped = 0;
  itemsRead = 0;
  private stopped = false;

  constructor(
    readonly job: string,
    private readonly event: JobEvent,
    private readonly context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ) {
    this.now = event.time ? new Date(event.time) : clock.now();
    if (Number.isNaN(this.now.getTime())) throw new Error(`Invalid job time ${event.time}`);
    this.day = isoDate(this.now);
  }

  /** Whether there is time (and, in tests, item budget) for one more item. */
  canContinue(): boolean {
    if (this.stopped) return false;
    const left = this.context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
    const budget = this.event.maxItems ?? Number.POSITIVE_INFINITY;
    if (left < (this.event.reserveMs ?? 10_000) || this.processed + this.skipped >= budget) {
      this.stopped = true;
      logger.info('job stops before its limit; the next run continues', { job: this.job, day: this.day, processed: this.processed });
      return false;
    }
    return true;
  }

  /** Every item under `prefix#<shard>` of an index (sorting before `before`, when given), page by page, all shards. */
  async *due<T>(index: 'gsi4' | 'gsi5', prefix: string, before?: string): AsyncGenerator<T> {
    for (let shard = 0; shard < DUE_SHARDS; shard++) {
      let start: Record<string, unknown> | undefined;
      do {
        const page: QueryCommandOutput = await documentClient().send(
          new QueryCommand({
            TableName: env.tableName(),
            IndexName: index,
            KeyConditionExpression: before === undefined ? '#pk = :pk' : '#pk = :pk AND #sk < :before',
            ExpressionAttributeNames: { '#pk': `${index}pk`, ...(before === undefined ? {} : { '#sk': `${index}sk` }) },
            ExpressionAttributeValues: { ':pk': `${prefix}#${shard}`, ...(before === undefined ? {} : { ':before': before }) },
            ExclusiveStartKey: start,
            Limit: 100,
          }),
        );
        const items = (page.Items ?? []) as T[];
        this.itemsRead += items.length;
        for (const item of items) {
          if (!this.canContinue()) return;
          yield item;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
  }

  result(): JobResult {
    return { job: this.job, day: this.day, processed: this.processed, skipped: this.skipped, itemsRead: this.itemsRead, done: !this.stopped };
  }
}

export function addDays(day: string, n: number): string {
  return isoDate(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));
}

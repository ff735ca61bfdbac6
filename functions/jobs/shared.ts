import type { Context } from 'aws-lambda';
import { clock } from '#platform/clock.ts';
import { logger } from '#platform/logger.ts';
import { dueShards, readDuePage } from '#data/due-index.ts';
import type { DueQuery } from '#data/due-keys.ts';
import { addDays } from '#domain/terms.ts';
import { isoDate } from '#domain/terms.ts';

export { addDays };

/**
 * What every scheduled job shares (docs/product.md#scheduled-jobs): "now" comes from the event (EventBridge Scheduler
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

  /**
   * Every item of a due query (data/due-keys.ts: `invoicesDueOn(day)`…), page by page, all shards,
   * while there is time. A job never names an index or a key: the queries are data/due-keys.ts's.
   */
  async *due<T>(query: DueQuery): AsyncGenerator<T> {
    for (const shard of dueShards()) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await readDuePage<T>(query, shard, start);
        this.itemsRead += page.items.length;
        for (const item of page.items) {
          if (!this.canContinue()) return;
          yield item;
        }
        start = page.next;
      } while (start);
    }
  }

  /** Counts an item as processed (true) or skipped (false). */
  tally(processed: boolean): void {
    if (processed) this.processed += 1;
    else this.skipped += 1;
  }

  result(): JobResult {
    return { job: this.job, day: this.day, processed: this.processed, skipped: this.skipped, itemsRead: this.itemsRead, done: !this.stopped };
  }
}

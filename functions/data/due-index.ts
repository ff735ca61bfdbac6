import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#platform/clients.ts';
import { env } from '#platform/env.ts';
import { DUE_SHARDS } from './table.ts';
import type { DueQuery } from './due-keys.ts';

/**
 * The reads of the sparse, sharded due indexes (gsi4, gsi5; data/due-keys.ts builds their keys):
 * the scheduled jobs find their work here, so what they read is proportional to what is due.
 * Items come back as stored (the jobs read the attributes they need, by the entity's names: the
 * index attributes carry no name of their own).
 */
export const dueShards = (): number[] => Array.from({ length: DUE_SHARDS }, (_, shard) => shard);

/** One page (up to 100 items) of one shard of a due query; `next` continues it, undefined on the last page. */
export async function readDuePage<T>(query: DueQuery, shard: number, start?: Record<string, unknown>): Promise<{ items: T[]; next?: Record<string, unknown> }> {
  const { index, prefix, before } = query;
  const page = await documentClient().send(
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
  return { items: (page.Items ?? []) as T[], next: page.LastEvaluatedKey };
}

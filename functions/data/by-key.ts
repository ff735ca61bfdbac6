import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#platform/clients.ts';
import { env } from '#platform/env.ts';
import { TransientError } from '#platform/errors.ts';

/**
 * Reads by primary key without ElectroDB, for the code on every request's path:
 * the authorizer and token verification (docs/architecture.md#cold-starts). ElectroDB is 195 KB of
 * each bundle and most of its module init; the authorizer reads three kinds of item by key and
 * needs none of it. The items are ElectroDB's own — same keys, same `__edb_e__`/`__edb_v__`
 * markers — and test/unit/by-key.test.ts holds these keys to what
 * ElectroDB builds from the entities of data/entities.ts, so the two cannot drift apart.
 */

/** The entities read here: each keyed by one attribute, as `primary([...])` of data/entities.ts makes it. */
const KEYED_BY = { user: 'id', account: 'id', apiClient: 'id' } as const;
export type KeyedEntity = keyof typeof KEYED_BY;

/** The primary key ElectroDB gives an item of `entity` (service `clp`, version 1, keys in lower case). */
export function primaryKey(entity: KeyedEntity, value: string): { pk: string; sk: string } {
  return { pk: `$clp#${KEYED_BY[entity]}_${value.toLowerCase()}`, sk: `$${entity.toLowerCase()}_1` };
}

const projection = (attributes: readonly string[]) => ({
  ProjectionExpression: ['__edb_e__', ...attributes].map((_, i) => `#a${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(['__edb_e__', ...attributes].map((a, i) => [`#a${i}`, a])),
});

/** Only the entity's own item: a key another entity's item would share is not it (as ElectroDB reads). */
function own<T>(entity: KeyedEntity, item: Record<string, unknown> | undefined): T | undefined {
  if (!item || item.__edb_e__ !== entity) return undefined;
  const { __edb_e__: _marker, ...rest } = item;
  return rest as T;
}

/** One item's `attributes`, or undefined. */
export async function getByKey<T>(entity: KeyedEntity, value: string, attributes: readonly string[], opts: { consistent?: boolean } = {}): Promise<T | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: env.tableName(), Key: primaryKey(entity, value), ...projection(attributes), ...(opts.consistent ? { ConsistentRead: true } : {}) }),
  );
  return own<T>(entity, out.Item);
}

/**
 * Some items' `attributes` in one BatchGetItem (at most 100 keys), keyed by the value asked;
 * unprocessed keys are asked again a few times, then a TransientError (503) as the data layer does.
 */
export async function batchGetByKey<T>(entity: KeyedEntity, values: readonly string[], attributes: readonly string[], opts: { consistent?: boolean } = {}): Promise<Map<string, T>> {
  const table = env.tableName();
  const found = new Map<string, T>();
  const keyAttribute = KEYED_BY[entity];
  let keys = [...new Set(values)].map((v) => primaryKey(entity, v));
  for (let attempt = 0; keys.length && attempt < 4; attempt++) {
    const out = await documentClient().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ...projection([keyAttribute, ...attributes]), ...(opts.consistent ? { ConsistentRead: true } : {}) } } }));
    for (const item of out.Responses?.[table] ?? []) {
      const mine = own<Record<string, unknown>>(entity, item);
      if (mine) found.set(String(mine[keyAttribute]), mine as T);
    }
    keys = (out.UnprocessedKeys?.[table]?.Keys ?? []) as typeof keys;
  }
  if (keys.length) throw new TransientError('The data could not be read; try again.');
  return found;
}

import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { stack } from './api.ts';

/**
 * The local stack's table read (or, rarely, set up) directly: for what a test must see that the
 * API does not show — the sandbox gateway's records, index keys — never for what it asserts the API does.
 */
export const TABLE = 'cloud-license-portal';

export async function withTable<T>(use: (dynamo: DynamoDBClient) => Promise<T>): Promise<T> {
  const dynamo = new DynamoDBClient({ endpoint: stack().dynamodbUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    return await use(dynamo);
  } finally {
    dynamo.destroy();
  }
}

/** Every item of an entity with `attribute = value` (a test-only Scan of the whole table). */
export const itemsWhere = (entity: string, attribute: string, value: string) =>
  withTable(async (dynamo) => {
    const items: Array<Record<string, AttributeValue>> = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({
          TableName: TABLE,
          FilterExpression: '#e = :e AND #a = :v',
          ExpressionAttributeNames: { '#e': '__edb_e__', '#a': attribute },
          ExpressionAttributeValues: { ':e': { S: entity }, ':v': { S: value } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  });

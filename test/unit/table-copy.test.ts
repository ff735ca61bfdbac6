import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { exportTable, fromJson, importTable, importTableParameters, parseArgs, toJson, writeBatch } from '../../tools/table-copy.ts';
import { TABLE } from '../../functions/data/table.ts';

/**
 * tools/table-copy.ts (docs/operations.md "Export and import") without a database: the line format,
 * the paging of the scan, the retry of unprocessed writes, the refusals, and the definition given
 * to AWS's import. The whole procedure on DynamoDB Local is test/integration/table-copy.test.ts.
 */
const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
let dir: string;

beforeEach(() => {
  ddb.reset();
  dir = mkdtempSync(join(tmpdir(), 'table-copy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const item = (n: number): Record<string, AttributeValue> => ({
  pk: { S: `$clp#id_${n}` },
  sk: { S: '$order_1' },
  n: { N: String(n) },
  blob: { B: new Uint8Array([n, 255, 0]) },
  tags: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
  nested: { M: { list: { L: [{ S: 'x' }, { BOOL: true }, { NULL: true }, { B: new Uint8Array([9]) }] } } },
});

describe('the line format', () => {
  it('is DynamoDB JSON with binaries in base64, as AWS export writes, and reads back the same', () => {
    const json = toJson(item(7));
    expect(json.blob).toEqual({ B: Buffer.from([7, 255, 0]).toString('base64') });
    expect(json.tags).toEqual({ BS: ['AQ==', 'AgM='] });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(fromJson(JSON.parse(JSON.stringify(json)))).toEqual(item(7));
  });
});

describe('export', () => {
  it('follows LastEvaluatedKey through every page of every segment and writes one {"Item"} line per item', async () => {
    ddb.on(DescribeTableCommand).resolves({ Table: { TableName: 't' } });
    ddb.on(ScanCommand, { Segment: 0 }).resolvesOnce({ Items: [item(1), item(2)], LastEvaluatedKey: item(2) }).resolvesOnce({ Items: [item(3)] });
    ddb.on(ScanCommand, { Segment: 1 }).resolves({ Items: [item(4)] });
    const file = join(dir, 'out.ndjson');
    const result = await exportTable(client, { table: 't', file, segments: 2 });
    expect(result.items).toBe(4);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { Item: Record<string, never> });
    expect(lines.map((l) => fromJson(l.Item).n)).toEqual(expect.arrayContaining([{ N: '1' }, { N: '2' }, { N: '3' }, { N: '4' }]));
    const scans = ddb.commandCalls(ScanCommand).map((c) => c.args[0].input);
    expect(scans.every((s) => s.ConsistentRead === true && s.TotalSegments === 2)).toBe(true);
    expect(scans[1]?.ExclusiveStartKey ?? scans[2]?.ExclusiveStartKey).toEqual(item(2));
  });

  it('never overwrites a file', async () => {
    const file = join(dir, 'there.ndjson');
    writeFileSync(file, 'kept\n');
    await expect(exportTable(client, { table: 't', file })).rejects.toThrow(/exists/);
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });
});

describe('import', () => {
  it('refuses a table that exists and writes nothing', async () => {
    ddb.on(DescribeTableCommand).resolves({ Table: { TableName: 't', TableStatus: 'ACTIVE' } });
    const file = join(dir, 'in.ndjson');
    writeFileSync(file, `${JSON.stringify({ Item: toJson(item(1)) })}\n`);
    await expect(importTable(client, { table: 't', file })).rejects.toThrow(/Table t exists/);
    expect(ddb.commandCalls(CreateTableCommand)).toHaveLength(0);
    expect(ddb.commandCalls(BatchWriteItemCommand)).toHaveLength(0);
  });

  it('creates the table without a stream, writes in batches of 25, then turns on TTL and only then the stream', async () => {
    const notFound = Object.assign(new Error('no table'), { name: 'ResourceNotFoundException' });
    ddb.on(DescribeTableCommand).rejectsOnce(notFound).resolves({ Table: { TableName: 't', TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [] } });
    ddb.on(BatchWriteItemCommand).resolves({});
    const file = join(dir, 'in.ndjson');
    writeFileSync(file, Array.from({ length: 60 }, (_, i) => JSON.stringify({ Item: toJson(item(i)) })).join('\n') + '\n\n');
    const result = await importTable(client, { table: 't', file });
    expect(result.items).toBe(60);
    const created = ddb.commandCalls(CreateTableCommand)[0]!.args[0].input;
    expect(created.StreamSpecification).toBeUndefined();
    expect(created.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(TABLE.globalIndexes.map((g) => g.name));
    const batches = ddb.commandCalls(BatchWriteItemCommand).map((c) => c.args[0].input.RequestItems!.t!.length);
    expect(batches.sort((a, b) => a - b)).toEqual([10, 25, 25]);
    const written = ddb.commandCalls(BatchWriteItemCommand).flatMap((c) => c.args[0].input.RequestItems!.t!.map((r) => r.PutRequest!.Item!));
    expect(written).toContainEqual(item(59));
    const order = ddb.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(order.lastIndexOf('BatchWriteItemCommand')).toBeLessThan(order.indexOf('UpdateTimeToLiveCommand'));
    expect(order.indexOf('UpdateTimeToLiveCommand')).toBeLessThan(order.indexOf('UpdateTableCommand'));
    expect(ddb.commandCalls(UpdateTimeToLiveCommand)[0]!.args[0].input.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'ttl' });
    expect(ddb.commandCalls(UpdateTableCommand)[0]!.args[0].input.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('refuses a file with a line that is not an item, naming it, before it makes the table', async () => {
    const notFound = Object.assign(new Error('no table'), { name: 'ResourceNotFoundException' });
    ddb.on(DescribeTableCommand).rejectsOnce(notFound).resolves({ Table: { TableName: 't', TableStatus: 'ACTIVE' } });
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, `${JSON.stringify({ Item: toJson(item(1)) })}\n{"Item":{"n":{"N":"1"}}}\n`);
    await expect(importTable(client, { table: 't', file })).rejects.toThrow(/bad.ndjson:2: expected/);
    expect(ddb.commandCalls(CreateTableCommand)).toHaveLength(0);
  });
});

describe('writeBatch', () => {
  it('sends again what DynamoDB leaves unprocessed, until nothing is left', async () => {
    const requests = [1, 2, 3].map((n) => ({ PutRequest: { Item: item(n) } }));
    ddb
      .on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { t: requests.slice(1) } })
      .resolvesOnce({ UnprocessedItems: { t: requests.slice(2) } })
      .resolves({});
    await writeBatch(client, 't', requests);
    expect(ddb.commandCalls(BatchWriteItemCommand).map((c) => c.args[0].input.RequestItems!.t!.length)).toEqual([3, 2, 1]);
  });

  it('gives up after its attempts instead of looping forever', async () => {
    const requests = [{ PutRequest: { Item: item(1) } }];
    ddb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { t: requests } });
    await expect(writeBatch(client, 't', requests, 2)).rejects.toThrow(/unprocessed after 2 attempts/);
  });
});

describe('arguments and the AWS import definition', () => {
  it('refuses unknown commands, unknown flags and missing values', () => {
    expect(() => parseArgs(['copy'])).toThrow(/unknown command/);
    expect(() => parseArgs(['export', '--table', 't'])).toThrow(/--file is required/);
    expect(() => parseArgs(['export', '--table', 't', '--file', 'f', '--force', 'yes'])).toThrow(/unknown flag --force/);
    expect(() => parseArgs(['export', '--table', '--file', 'f'])).toThrow(/--table needs a value/);
    expect(() => parseArgs(['import', '--table', 't', '--file', 'f', '--segments', '2'])).toThrow(/--segments is for export/);
    expect(parseArgs(['export', '--table', 't', '--file', 'f', '--endpoint', 'http://127.0.0.1:8000', '--segments', '2'])).toEqual({
      command: 'export',
      table: 't',
      file: 'f',
      endpoint: 'http://127.0.0.1:8000',
      segments: 2,
    });
  });

  it('gives import-table the application\'s table: keys, every index, on demand, the aws/dynamodb key, no stream', () => {
    const parameters = importTableParameters('clp-imported');
    expect(parameters).toMatchObject({
      TableName: 'clp-imported',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      SSESpecification: { Enabled: true, SSEType: 'KMS' },
    });
    expect(parameters.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.KeySchema?.map((k) => k.AttributeName), g.Projection?.ProjectionType])).toEqual(
      TABLE.globalIndexes.map((g) => [g.name, [g.partitionKey, g.sortKey], 'ALL']),
    );
    expect(parameters).not.toHaveProperty('StreamSpecification');
  });
});

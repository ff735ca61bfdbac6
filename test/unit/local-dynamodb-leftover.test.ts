import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killLeftoverDynamoDbLocal } from '../../local/dynamodb.ts';

/**
 * A stack killed outright leaves its DynamoDB Local running (local/dynamodb.ts): the next stack on
 * the data dir, and the test harness after stopping a stack, end it by the pid the stack noted, but
 * only when that pid is still DynamoDB Local on this very data dir. A stand-in process carries the
 * command line's tell-tale arguments (`…/DynamoDBLocal.jar`, `<dataDir>/dynamodb`).
 */
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leftover-'));
  dirs.push(dir);
  return dir;
}

/** A process whose command line looks like DynamoDB Local's on `dbDir`, noted as the stack would. */
function standIn(dir: string, dbDir = join(dir, 'dynamodb')): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 60_000)', '/lib/DynamoDBLocal.jar', dbDir], { stdio: 'ignore' });
  children.push(child);
  writeFileSync(join(dir, 'dynamodb.pid'), String(child.pid));
  return child;
}

const ended = (child: ChildProcess) => new Promise<NodeJS.Signals | null>((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.signalCode) : child.once('exit', (_c, signal) => r(signal))));
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

describe('a DynamoDB Local left behind', () => {
  it('is killed when it is DynamoDB Local on this data dir, and its pid file removed', async () => {
    const dir = dataDir();
    const child = standIn(dir);
    await new Promise((r) => setTimeout(r, 200));
    expect(killLeftoverDynamoDbLocal(dir)).toBe(true);
    expect(await ended(child)).toBe('SIGKILL');
    expect(existsSync(join(dir, 'dynamodb.pid'))).toBe(false);
  });

  it('leaves a process alone that runs on another data dir (the pid was given to someone else)', async () => {
    const dir = dataDir();
    const child = standIn(dir, join(dataDir(), 'dynamodb'));
    await new Promise((r) => setTimeout(r, 200));
    expect(killLeftoverDynamoDbLocal(dir)).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(child)).toBe(true);
    child.kill('SIGKILL');
  });

  it('does nothing without a pid file, or when the noted process has ended', async () => {
    const dir = dataDir();
    expect(killLeftoverDynamoDbLocal(dir)).toBe(false);
    const child = standIn(dir);
    child.kill('SIGKILL');
    await ended(child);
    expect(killLeftoverDynamoDbLocal(dir)).toBe(false);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { FUNCTIONS, JOBS, type FunctionName, type JobName } from '../functions/registry.ts';
import { clock } from '../functions/platform/clock.ts';
import type { LocalEndpoint } from './gateway.ts';

/**
 * Lambda's asynchronous invocation for the local stack, as AWS runs the scheduled jobs
 * (docs/operations.md "Scheduled jobs"): EventBridge Scheduler invokes a job asynchronously; a run
 * that throws is retried twice (Lambda's async retries, `retryAttempts: 2`), and a run that fails all
 * three times goes to the on-failure destination (here a list, `GET /_local/jobs/failed`). A run
 * that ends `done: false` starts its own continuation with the Lambda Invoke API (functions/jobs/
 * continuation.ts) — locally the small Invoke API below (`AWS_ENDPOINT_URL_LAMBDA`), which queues it
 * here, so the same code path runs.
 *
 * The fault switch `/_local/faults/jobs` plays what AWS does not show on demand:
 * `{"failing": "<job>", "times": n}` makes that job's next n asynchronous runs throw (before the
 * handler, as a crash would), `{"stopAfter": n}` makes every asynchronous job run stop after n items
 * (its `maxItems`) as if its time limit came. `{"failing": null}`, `{"stopAfter": null}` turn them off.
 * Runs by hand (`POST /_local/jobs/{name}`) are synchronous and see no faults.
 */
export const ASYNC_RETRY_ATTEMPTS = 2;

export interface Invocation {
  fn: FunctionName;
  event: Record<string, unknown>;
  attempt: number;
  at: string;
  outcome: 'ok' | 'error';
  result?: unknown;
  error?: string;
}

export interface FailedRun {
  fn: FunctionName;
  event: Record<string, unknown>;
  attempts: number;
  error: string;
  at: string;
}

type Invoke = (name: FunctionName, event: unknown) => Promise<unknown>;

const JOB_OF = new Map<FunctionName, JobName>((Object.entries(JOBS) as [JobName, (typeof JOBS)[JobName]][]).map(([job, spec]) => [spec.fn, job]));

const FaultsBody = z
  .object({
    failing: z.union([z.enum(Object.keys(JOBS) as [JobName, ...JobName[]]), z.null()]).optional(),
    times: z.number().int().min(0).max(100).optional(),
    stopAfter: z.union([z.number().int().min(1).max(10_000), z.null()]).optional(),
  })
  .strict();

export class LocalAsyncLambda {
  readonly failed: FailedRun[] = [];
  readonly invocations: Invocation[] = [];
  private faults: { failing: JobName | null; times: number; stopAfter: number | null; thrown: number } = { failing: null, times: 0, stopAfter: null, thrown: 0 };
  private readonly inFlight = new Map<FunctionName, number>();
  private readonly waiters = new Map<FunctionName, (() => void)[]>();

  constructor(
    private readonly invoke: Invoke,
    private readonly retryDelaysMs: readonly number[] = [200, 400],
  ) {}

  /** Queues an asynchronous invocation (InvocationType Event) and answers at once. */
  enqueue(fn: FunctionName, event: Record<string, unknown>): void {
    this.inFlight.set(fn, (this.inFlight.get(fn) ?? 0) + 1);
    void this.run(fn, event).finally(() => {
      const left = (this.inFlight.get(fn) ?? 1) - 1;
      this.inFlight.set(fn, left);
      if (left === 0) for (const wake of this.waiters.get(fn)?.splice(0) ?? []) wake();
    });
  }

  /** Resolves when `fn` has no asynchronous invocation queued or running (its retries and continuations included). */
  idle(fn: FunctionName): Promise<void> {
    if ((this.inFlight.get(fn) ?? 0) === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(fn, [...(this.waiters.get(fn) ?? []), resolve]));
  }

  /** Runs `fn` as the scheduler does and waits for everything it started; answers those invocations and failures. */
  async runScheduled(fn: FunctionName, event: Record<string, unknown>): Promise<{ invocations: Invocation[]; failed: FailedRun[] }> {
    await this.idle(fn);
    const fromInvocation = this.invocations.length;
    const fromFailed = this.failed.length;
    this.enqueue(fn, event);
    await this.idle(fn);
    return {
      invocations: this.invocations.slice(fromInvocation).filter((i) => i.fn === fn),
      failed: this.failed.slice(fromFailed).filter((f) => f.fn === fn),
    };
  }

  faultState(): object {
    const { failing, times, stopAfter, thrown } = this.faults;
    return { failing, times, stopAfter, thrown, failed: this.failed.length };
  }

  setFaults(body: unknown): object | undefined {
    const input = FaultsBody.safeParse(body);
    if (!input.success) return undefined;
    const { failing, times, stopAfter } = input.data;
    if (failing !== undefined) {
      this.faults.failing = failing;
      this.faults.times = failing === null ? 0 : (times ?? 1);
      this.faults.thrown = 0;
    } else if (times !== undefined) {
      this.faults.times = times;
    }
    if (stopAfter !== undefined) this.faults.stopAfter = stopAfter;
    return this.faultState();
  }

  private async run(fn: FunctionName, original: Record<string, unknown>): Promise<void> {
    const job = JOB_OF.get(fn);
    const event = job && this.faults.stopAfter !== null ? { ...original, maxItems: this.faults.stopAfter } : original;
    let lastError = '';
    for (let attempt = 1; attempt <= ASYNC_RETRY_ATTEMPTS + 1; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, this.retryDelaysMs[attempt - 2] ?? 0));
      const at = new Date().toISOString();
      try {
        if (job && this.faults.failing === job && this.faults.times > 0) {
          this.faults.times -= 1;
          this.faults.thrown += 1;
          throw new Error(`fault switch /_local/faults/jobs: ${job} fails this run`);
        }
        const result = await this.invoke(fn, event);
        this.invocations.push({ fn, event, attempt, at, outcome: 'ok', result });
        return;
      } catch (err) {
        lastError = (err as Error).message;
        this.invocations.push({ fn, event, attempt, at, outcome: 'error', error: lastError });
      }
    }
    this.failed.push({ fn, event, attempts: ASYNC_RETRY_ATTEMPTS + 1, error: lastError, at: new Date().toISOString() });
    // Bounded, as the queue keeps messages 14 days: the newest thousand.
    if (this.failed.length > 1000) this.failed.splice(0, this.failed.length - 1000);
    if (this.invocations.length > 10_000) this.invocations.splice(0, this.invocations.length - 10_000);
  }
}

/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`) for what the functions call:
 * InvocationType Event only, queued on `lambda`; answers 202 as Lambda does.
 */
export async function startLocalLambdaApi(opts: { host: string; lambda: LocalAsyncLambda }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url?.split('?')[0] ?? '');
      if (req.method !== 'POST' || !match) return answer(404, { Type: 'User', message: 'Only Invoke is served here.' });
      const name = decodeURIComponent(match[1]!).split(':').pop() as FunctionName;
      if (!Object.hasOwn(FUNCTIONS, name)) return answer(404, { Type: 'User', message: `Function not found: ${name}` });
      if (req.headers['x-amz-invocation-type'] !== 'Event') return answer(400, { Type: 'User', message: 'Only InvocationType Event is served locally.' });
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return answer(400, { Type: 'User', message: 'The payload is not JSON.' });
      }
      opts.lambda.enqueue(name, event);
      res.writeHead(202);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, opts.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * `POST /_local/jobs/{name}/scheduled`: a run as EventBridge Scheduler starts it (asynchronous, with
 * the local clock's time as its scheduled time, or `?time=`), waiting until it and everything it started
 * (retries, continuations) have ended; answers `{invocations, failed}`.
 * `GET /_local/jobs/failed`: the on-failure destination, every run that failed all its attempts.
 */
export function jobRunEndpoints(lambda: LocalAsyncLambda): LocalEndpoint[] {
  const scheduled: LocalEndpoint = async (req, _body, url) => {
    const match = /^\/_local\/jobs\/([A-Za-z]+)\/scheduled$/.exec(url.pathname);
    if (!match || req.method !== 'POST') return undefined;
    const job = match[1] as JobName;
    if (!Object.hasOwn(JOBS, job)) return { status: 404, body: { error: { code: 'not_found', message: `No job ${job}; jobs: ${Object.keys(JOBS).join(', ')}.` } } };
    const time = url.searchParams.get('time');
    if (time !== null && Number.isNaN(Date.parse(time))) return { status: 400, body: { error: { code: 'validation_failed', message: 'time must be an ISO date-time.' } } };
    return { status: 200, body: await lambda.runScheduled(JOBS[job].fn, { time: time ? new Date(time).toISOString() : clock.nowIso() }) };
  };
  const failed: LocalEndpoint = async (req, _body, url) => {
    if (url.pathname !== '/_local/jobs/failed' || req.method !== 'GET') return undefined;
    return { status: 200, body: { items: lambda.failed } };
  };
  return [scheduled, failed];
}

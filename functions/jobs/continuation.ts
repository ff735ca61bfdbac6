import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { clock } from '#platform/clock.ts';
import { jobCorrelationId } from '#platform/correlation.ts';
import { lambdaHandler } from '#platform/lambda-handler.ts';
import { tracer } from '#platform/tracer.ts';
import { logger, metrics } from '#platform/logger.ts';
import type { JobEvent, JobResult } from './shared.ts';

/**
 * Jobs that finish (docs/operations.md "Scheduled jobs"). A run that stops before its time limit
 * (`done: false`) starts its own continuation: an asynchronous invocation (InvocationType Event) of
 * this same function with the same `time` and `continuation` one higher, up to MAX_CONTINUATIONS.
 * So AWS behaves as the local scheduler does: the job runs again until it is done. A run that throws
 * is retried by Lambda's asynchronous invocation (2 retries) and then lands in the jobs' on-failure
 * destination (infra/stacks/app-stack.ts `scheduledJobs`). A run that stopped and could not be
 * continued (the cap, or the Invoke refused) emits `JobRunUnfinished` (dimension `job`), which has an alarm.
 */
export const MAX_CONTINUATIONS = 20;

export interface ScheduledJobEvent extends JobEvent {
  /** How many continuations came before this run (0 or absent: the scheduled run itself). */
  continuation?: number;
  /**
   * A run by hand of exactly its day: no catch-up, no run record, no continuation (the caller sees
   * `done: false` and runs it again). `POST /_local/jobs/{name}` locally; `aws lambda invoke` in AWS.
   */
  manual?: boolean;
}

/** Publishes one metric of a job at once (EMF in Lambda): `JobDaysBehind`, `JobRunUnfinished`. */
export function jobMetric(name: 'JobDaysBehind' | 'JobRunUnfinished', job: string, value: number): void {
  const single = metrics.singleMetric();
  single.addDimension('job', job);
  single.addMetric(name, MetricUnit.Count, value);
}

let lambda: LambdaClient | undefined;

/** An asynchronous invocation of a function by name or ARN (the SDK's endpoint variables reach the local stack's). */
export async function invokeAsync(functionName: string, payload: object): Promise<void> {
  lambda ??= tracer.captureAWSv3Client(new LambdaClient({}));
  const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
  if (out.StatusCode !== 202) throw new Error(`Invoke of ${functionName} answered ${out.StatusCode}`);
}

export interface ContinuationDeps {
  invoke: (functionName: string, payload: object) => Promise<void>;
  unfinished: (job: string) => void;
}

const DEPS: ContinuationDeps = { invoke: invokeAsync, unfinished: (job) => jobMetric('JobRunUnfinished', job, 1) };

/** What happened after a run: `done`, `continued` (its continuation started), `manual` (left to the caller), `unfinished` (alarm). */
export type RunEnd = 'done' | 'continued' | 'manual' | 'unfinished';

/**
 * After a run: when it is not done, starts the next run of this same function for the same `time`
 * (the event's own, which the handler pinned), unless it is a manual run or the cap is reached.
 */
export async function continueUnlessDone(
  event: ScheduledJobEvent & { time: string },
  result: JobResult,
  context: Pick<Context, 'invokedFunctionArn'> | undefined,
  deps: ContinuationDeps = DEPS,
): Promise<RunEnd> {
  if (result.done) return 'done';
  if (event.manual) return 'manual';
  const next = (event.continuation ?? 0) + 1;
  const self = context?.invokedFunctionArn ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
  const facts = { job: result.job, day: result.day, time: event.time, continuation: next, processed: result.processed };
  if (next > MAX_CONTINUATIONS || !self) {
    logger.error('job run stopped and is not continued (continuations used up); see docs/operations.md "A job that did not finish"', facts);
    deps.unfinished(result.job);
    return 'unfinished';
  }
  const payload: ScheduledJobEvent = {
    time: event.time,
    continuation: next,
    ...(event.reserveMs !== undefined ? { reserveMs: event.reserveMs } : {}),
    ...(event.maxItems !== undefined ? { maxItems: event.maxItems } : {}),
  };
  try {
    await deps.invoke(self, payload);
    logger.info('job run stopped before its limit; its continuation is started', facts);
    return 'continued';
  } catch (error) {
    logger.error('job run stopped and its continuation could not be started; see docs/operations.md "A job that did not finish"', { ...facts, error: error as Error });
    deps.unfinished(result.job);
    return 'unfinished';
  }
}

/**
 * The Lambda handler of a job: pins the run's `time` (the event's, else now) so a continuation runs for
 * the same time, runs it, logs the result and continues it when it is not done. Traced, and every line
 * of the run carries its correlation id `job:<name>:<time>` (platform/correlation.ts), the same in its
 * retries and continuations; the orders and emails it starts carry it on.
 */
export function jobHandler<R extends JobResult>(
  run: (event: ScheduledJobEvent & { time: string }, context?: Context) => Promise<R>,
  log: (result: R) => void,
  name?: string,
): (event: ScheduledJobEvent, context?: Context) => Promise<R> {
  const timed = new WeakMap<ScheduledJobEvent, string>();
  const timeOf = (event: ScheduledJobEvent): string => {
    let time = event.time ?? timed.get(event);
    if (!time) timed.set(event, (time = clock.nowIso()));
    return time;
  };
  return lambdaHandler(
    async (event: ScheduledJobEvent, context?: Context) => {
      const pinned = { ...event, time: timeOf(event) };
      const result = await run(pinned, context);
      log(result);
      await continueUnlessDone(pinned, result, context);
      return result;
    },
    (event, context) => jobCorrelationId(name ?? context.functionName ?? 'job', timeOf(event)),
  );
}

import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionName } from '../functions/registry.ts';

/**
 * Loads the Lambda handlers of functions/registry.ts in this process and invokes them the way the
 * Lambda runtime would: the event, and a context with a request id and a remaining time.
 */
type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ROOT = resolve(import.meta.dirname, '..');
const loaded = new Map<FunctionName, Promise<Handler>>();

function load(name: FunctionName): Promise<Handler> {
  let handler = loaded.get(name);
  if (!handler) {
    handler = import(pathToFileURL(resolve(ROOT, FUNCTIONS[name].entry)).href).then((mod: { handler?: Handler }) => {
      if (typeof mod.handler !== 'function') throw new Error(`${FUNCTIONS[name].entry} exports no handler`);
      return mod.handler;
    });
    loaded.set(name, handler);
  }
  return handler;
}

export async function preloadAll(): Promise<void> {
  await Promise.all((Object.keys(FUNCTIONS) as FunctionName[]).map(load));
}

export function lambdaContext(name: FunctionName, region: string): Context {
  const spec = FUNCTIONS[name] as { timeoutSeconds?: number; memoryMb?: number };
  const deadline = Date.now() + (spec.timeoutSeconds ?? 10) * 1000;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `local-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(name, region),
    memoryLimitInMB: String(spec.memoryMb ?? 512),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/local-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function functionArn(name: FunctionName, region: string): string {
  return `arn:aws:lambda:${region}:000000000000:function:${name}`;
}

export function functionNameFromArn(arn: string): FunctionName {
  const name = arn.split(':').pop() as FunctionName;
  if (!(name in FUNCTIONS)) throw new Error(`No local function for ${arn}`);
  return name;
}

/**
 * Every function runs in this one process, many invocations at once, as in Lambda's runtime with
 * several concurrent invocations per environment (`AWS_LAMBDA_MAX_CONCURRENCY`): each invocation runs
 * in its own async context of the runtime's InvokeStore, where the Powertools logger keeps the
 * invocation's keys (its correlation id, its function's name). Without it, concurrent invocations
 * would write each other's keys on their log lines. `local/start.ts` turns it on and runs everything
 * else under one root context.
 */
export const invocationStore = (): Promise<InvokeStoreBase> => InvokeStore.getInstanceAsync(true);

/** Like Lambda, a handler that runs past its function's timeout fails the invocation. */
export async function invoke(name: FunctionName, event: unknown, region: string): Promise<unknown> {
  const handler = await load(name);
  const context = lambdaContext(name, region);
  if (process.env.AWS_LAMBDA_MAX_CONCURRENCY) {
    const store = await invocationStore();
    return store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () => run(handler, name, event, context));
  }
  return run(handler, name, event, context);
}

async function run(handler: Handler, name: FunctionName, event: unknown, context: Context): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`Task timed out after ${(FUNCTIONS[name] as { timeoutSeconds?: number }).timeoutSeconds ?? 10} seconds`);
      err.name = 'Sandbox.Timedout';
      reject(err);
    }, context.getRemainingTimeInMillis());
  });
  try {
    return await Promise.race([handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

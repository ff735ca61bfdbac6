import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../functions/platform/clients.ts';

/**
 * Local-only instrumentation for `npm run bench` (docs/product.md#quality-bars): with `LOCAL_DYNAMODB_STATS=true`, for
 * a request that asks with `x-local-dynamodb: on`, the gateway runs the authorizer and the route
 * handler each in a scope that records every DynamoDB call they make through the shared client of functions/platform/clients.ts (ElectroDB and the
 * Powertools idempotency layer use it too: DynamoDBDocumentClient shares the base client's
 * middlewareStack), with `ReturnConsumedCapacity: 'TOTAL'`, and answers the record in the
 * `x-local-dynamodb` response header. Other requests run as without it (the bench measures latency
 * with those). Off by default, and never deployed (nothing in functions/ imports it).
 */
export const STATS_ENV = 'LOCAL_DYNAMODB_STATS';
/** The request header that asks for the record (value `on`) and the response header that carries it. */
export const STATS_HEADER = 'x-local-dynamodb';
/** Above this many bytes of header the recorded inputs are left out (the rest stays). */
const MAX_HEADER_BYTES = 48 * 1024;

export interface DynamoDbCall {
  /** Low-level command name, e.g. `GetItemCommand` (the document client's `GetCommand` sends it). */
  command: string;
  /** The input as sent, in AttributeValue form, so it can be replayed with a plain DynamoDBClient. */
  input?: Record<string, unknown>;
  rcu: number;
  wcu: number;
  /** Items the call answered (Query/Scan `Count`, a GetItem's item, a batch's or transaction's responses). */
  items: number;
  /** When the call started, ms after the scope started. */
  startMs: number;
  durationMs: number;
  error?: string;
}

export interface DynamoDbStats {
  authorizer: DynamoDbCall[];
  handler: DynamoDbCall[];
  inputsOmitted?: boolean;
}

type Part = 'authorizer' | 'handler';
interface Scope {
  t0: number;
  calls: DynamoDbCall[];
}

const scopes = new AsyncLocalStorage<Scope>();
const INPUT = Symbol('localDynamoDbStatsInput');

/** The commands that take `ReturnConsumedCapacity`. */
const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
  'ExecuteStatementCommand',
  'BatchExecuteStatementCommand',
  'ExecuteTransactionCommand',
]);
const READ_COMMANDS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);

interface Consumed {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

function capacity(command: string, consumed: Consumed | Consumed[] | undefined): { rcu: number; wcu: number } {
  let rcu = 0;
  let wcu = 0;
  for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      rcu += c.ReadCapacityUnits ?? 0;
      wcu += c.WriteCapacityUnits ?? 0;
    } else if (READ_COMMANDS.has(command)) rcu += c.CapacityUnits ?? 0;
    else wcu += c.CapacityUnits ?? 0;
  }
  return { rcu, wcu };
}

const installed = new WeakSet<DynamoDBClient>();

function itemsOf(output: { Count?: number; Item?: unknown; Responses?: unknown }): number {
  if (typeof output.Count === 'number') return output.Count;
  if (output.Item) return 1;
  const responses = output.Responses;
  if (Array.isArray(responses)) return responses.filter((r) => r && (r as { Item?: unknown }).Item).length;
  if (responses && typeof responses === 'object') return Object.values(responses as Record<string, unknown[]>).reduce((n, list) => n + list.length, 0);
  return 0;
}

/** Adds the recording middleware to a client (the shared one by default); once per client. */
export function installDynamoDbStats(client: DynamoDBClient = dynamoClient()): void {
  if (installed.has(client)) return;
  installed.add(client);
  type Args = { input: Record<string, unknown> };
  type Ctx = { commandName?: string; [INPUT]?: Record<string, unknown> };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const scope = scopes.getStore();
      const command = (context as Ctx).commandName ?? 'unknown';
      if (!scope || !CAPACITY_COMMANDS.has(command)) return next(args);
      const input = (args as unknown as Args).input;
      const askedByCaller = input.ReturnConsumedCapacity !== undefined;
      const started = performance.now();
      const call: DynamoDbCall = { command, rcu: 0, wcu: 0, items: 0, startMs: started - scope.t0, durationMs: 0 };
      scope.calls.push(call);
      try {
        const result = await next({ ...args, input: askedByCaller ? input : { ...input, ReturnConsumedCapacity: 'TOTAL' } } as typeof args);
        const output = result.output as { ConsumedCapacity?: Consumed | Consumed[]; Count?: number; Item?: unknown; Responses?: unknown };
        Object.assign(call, capacity(command, output.ConsumedCapacity), { items: itemsOf(output) });
        // The caller sees the answer it asked for.
        if (!askedByCaller) delete output.ConsumedCapacity;
        return result;
      } catch (err) {
        call.error = (err as Error).name;
        throw err;
      } finally {
        call.durationMs = performance.now() - started;
        call.input = (context as Ctx)[INPUT];
      }
    },
    { step: 'initialize', name: 'localDynamoDbStats', priority: 'high', override: true },
  );
  // After serialization the document client has marshalled the input: keep it as sent.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (scopes.getStore()) (context as Ctx)[INPUT] = structuredClone((args as unknown as Args).input);
      return next(args);
    },
    { step: 'build', name: 'localDynamoDbStatsInput', priority: 'high', override: true },
  );
}

export const statsEnabled = (): boolean => process.env[STATS_ENV] === 'true';

/**
 * One request's recorder. When stats are off, or the request did not ask, `measure` just runs the
 * function and `headers` is empty, so the gateway behaves as without it.
 */
export interface RequestStats {
  measure<T>(part: Part, fn: () => Promise<T>): Promise<T>;
  headers(): Record<string, string>;
}

const OFF: RequestStats = { measure: (_part, fn) => fn(), headers: () => ({}) };

export function requestStats(requestHeaders: Record<string, string | string[] | undefined>): RequestStats {
  if (!statsEnabled() || requestHeaders[STATS_HEADER] !== 'on') return OFF;
  installDynamoDbStats();
  const stats: DynamoDbStats = { authorizer: [], handler: [] };
  return {
    measure: (part, fn) => {
      const scope: Scope = { t0: performance.now(), calls: stats[part] };
      return scopes.run(scope, fn);
    },
    headers: () => {
      let value = Buffer.from(JSON.stringify(stats)).toString('base64');
      if (value.length > MAX_HEADER_BYTES) {
        const strip = (calls: DynamoDbCall[]) => calls.map(({ input: _input, ...rest }) => rest);
        value = Buffer.from(JSON.stringify({ authorizer: strip(stats.authorizer), handler: strip(stats.handler), inputsOmitted: true })).toString('base64');
      }
      return { [STATS_HEADER]: value };
    },
  };
}

/** Reads the header back (for the bench). */
export function parseStatsHeader(value: string | null | undefined): DynamoDbStats | undefined {
  if (!value) return undefined;
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as DynamoDbStats;
}

/**
 * The local Step Functions service: the part of the Step Functions API the application uses,
 * served over HTTP (AWS JSON 1.0, what `SFNClient` speaks) so handlers reach it through
 * `AWS_ENDPOINT_URL_SFN` exactly as they reach the real service. Executions run the same ASL
 * file through aws-local-stepfunctions; every Task state is a local handler that calls the
 * application's Lambda handler, and `.waitForTaskToken` callbacks are built here because the
 * library has none.
 *
 * Executions live in memory only: a restart of the local stack loses running executions. The
 * orders persist in DynamoDB, and at start `local/resume-workflows.ts` resumes each order in
 * progress from its stored status with a new execution, as AWS code does when one is lost.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

export type InvokeFunction = (functionName: string, payload: unknown) => Promise<unknown>;

export interface LocalStepFunctionsOptions {
  port: number;
  host?: string;
  /** The ASL JSON, with `${Name}` placeholders. */
  definition: object;
  stateMachineArn: string;
  /** Placeholder name → value (an ARN), applied to every `${Name}` in the definition's strings. */
  substitutions: Record<string, string>;
  /** Calls the Lambda handler that `functionName` names; an Error's `.name` is the Lambda errorType. */
  invoke: InvokeFunction;
  /** Wait state name → milliseconds to wait instead of the definition's time. */
  waitTimeOverridesMs?: Record<string, number>;
  /** Retryable state name → milliseconds between retries (one value, or one per retrier). */
  retryIntervalOverridesMs?: Record<string, number | number[]>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
export type IdleState = 'waiting' | 'succeeded' | 'failed' | 'aborted';

export interface ExecutionSummary {
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
}

export interface LocalStepFunctions {
  url: string;
  close(): Promise<void>;
  /**
   * Resolves once the execution is idle: parked at a `.waitForTaskToken` task whose handler has
   * returned (`waiting`), or ended. Rejects when it is not idle within `timeoutMs`.
   */
  waitForIdle(executionArn: string, timeoutMs: number): Promise<IdleState>;
  /** Names of the states entered, in order. */
  history(executionArn: string): string[];
  /**
   * The local fault switch of StartExecution: while `refusing`, it answers 503 ServiceUnavailable
   * (the SDK retries, then fails); while `hanging`, it never answers — `before-start` without
   * starting the execution, `after-start` having started it — so the caller's invocation times
   * out as if its process had stopped there.
   */
  startFaults: { state(): StartFaults; set(change: Partial<Pick<StartFaults, 'refusing' | 'hanging'>>): StartFaults };
  executions(): ExecutionSummary[];
}

export interface StartFaults {
  refusing: boolean;
  refused: number;
  hanging: false | 'before-start' | 'after-start';
  /** StartExecution calls left without an answer. */
  hung: number;
}

/** An action's result that means: send no answer at all (the fault switch's `hanging`). */
const NO_ANSWER = Symbol('no answer');
type Action = (body: Record<string, unknown>) => Record<string, unknown> | typeof NO_ANSWER;

interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

interface PendingTask {
  token: string;
  execution: Execution;
  stateName: string;
  /** The handler has returned: the execution now waits for a callback. */
  parked: boolean;
  resolve: (output: unknown) => void;
  reject: (err: Error) => void;
}

interface Execution extends ExecutionSummary {
  stateMachineArn: string;
  statesEntered: string[];
  events: HistoryEvent[];
  pending: Set<PendingTask>;
  /** Status is final and every event of the run has been recorded. */
  settled: boolean;
  abort: () => void;
  cancelTimeout: () => void;
  listeners: Set<() => void>;
}

/** Node timers overflow above 2^31-1 ms (and then fire at once), which ASL timeouts easily exceed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** Ends a task of a stopped execution without letting Retry or Catch run anything more. */
class ExecutionStoppedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('The execution was stopped');
    this.name = 'States.ExecutionStopped';
  }
}

export async function startStepFunctionsService(opts: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  const smArn = parseStateMachineArn(opts.stateMachineArn);
  const definition = prepareDefinition(opts.definition, opts.substitutions);
  const executionTimeoutSeconds = definition.TimeoutSeconds;
  delete definition.TimeoutSeconds; // enforced here: the library's single setTimeout would overflow
  const taskStates = collectTaskStates(definition);
  for (const [stateName, resource] of taskStates) {
    if (resource !== LAMBDA_INVOKE && resource !== LAMBDA_INVOKE_WAIT && !/^arn:aws:lambda:/.test(resource)) {
      throw new Error(`Task state ${stateName}: resource ${resource} is not supported locally`);
    }
  }
  const machine = new StateMachine(definition);
  const tokenPlaceholder = `__local_sfn_task_token_${randomUUID()}__`;

  const executions = new Map<string, Execution>();
  const tasksByToken = new Map<string, PendingTask>();
  /** Tokens handed out whose task has ended: refused with TaskTimedOut rather than InvalidToken. */
  const closedTokens = new Set<string>();

  const notify = (execution: Execution): void => {
    for (const listener of [...execution.listeners]) listener();
  };

  const closeTask = (task: PendingTask): void => {
    tasksByToken.delete(task.token);
    task.execution.pending.delete(task);
    closedTokens.add(task.token);
  };

  const stopPendingTasks = (execution: Execution): void => {
    for (const task of [...execution.pending]) {
      closeTask(task);
      task.reject(new ExecutionStoppedError());
    }
  };

  const lambdaError = (err: unknown): Error => {
    // Step Functions names the failure after the Lambda's errorType and puts the Lambda's error
    // document in the cause, as the real lambda:invoke integration does.
    const e = err instanceof Error ? err : new Error(String(err));
    const errorType = e.name || 'Error';
    const failure = new Error(
      JSON.stringify({ errorType, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }),
    );
    failure.name = errorType;
    return failure;
  };

  const taskHandlers = (execution: Execution): Record<string, (input: unknown) => Promise<never>> => {
    const ensureRunning = (): void => {
      if (execution.status !== 'RUNNING') throw new ExecutionStoppedError();
    };
    const invokeLambda = async (functionName: string, payload: unknown): Promise<unknown> => {
      try {
        // Through JSON both ways, as a real invocation is: Dates become strings, undefined goes.
        const result = await opts.invoke(functionName, JSON.parse(JSON.stringify(payload ?? null)));
        return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
      } catch (err) {
        throw lambdaError(err);
      }
    };
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const [stateName, resource] of taskStates) {
      let handler: (input: unknown) => Promise<unknown>;
      if (resource === LAMBDA_INVOKE) {
        handler = async (input) => {
          ensureRunning();
          const { FunctionName, Payload } = lambdaParameters(stateName, input);
          const result = await invokeLambda(FunctionName, Payload);
          return { StatusCode: 200, Payload: result, ExecutedVersion: '$LATEST' };
        };
      } else if (resource === LAMBDA_INVOKE_WAIT) {
        handler = async (input) => {
          ensureRunning();
          const { FunctionName, Payload } = lambdaParameters(stateName, input);
          const token = randomBytes(96).toString('base64url');
          let task!: PendingTask;
          const callback = new Promise<unknown>((resolve, reject) => {
            task = { token, execution, stateName, parked: false, resolve, reject };
          });
          callback.catch(() => undefined); // settled before the handler awaits it: not unhandled
          tasksByToken.set(token, task);
          execution.pending.add(task);
          try {
            await invokeLambda(FunctionName, replaceDeep(Payload, tokenPlaceholder, token));
          } catch (err) {
            if (tasksByToken.has(token)) closeTask(task);
            throw err;
          }
          if (tasksByToken.has(token)) {
            task.parked = true;
            // After the queued state events have been recorded, so history() is complete.
            setImmediate(() => notify(execution));
          }
          return callback;
        };
      } else {
        // A plain Lambda ARN as Resource: the state's input is the payload, the result is the output.
        handler = async (input) => {
          ensureRunning();
          return invokeLambda(resource, input);
        };
      }
      handlers[stateName] = handler as (input: unknown) => Promise<never>;
    }
    return handlers;
  };

  const finish = (execution: Execution, status: ExecutionStatus, fields: Partial<ExecutionSummary> = {}): void => {
    if (execution.status !== 'RUNNING') return;
    Object.assign(execution, fields, { status, stopDate: new Date() });
    execution.cancelTimeout();
    stopPendingTasks(execution);
  };

  const startExecution = (name: string, input: string, inputValue: unknown): Execution => {
    const executionArn = `arn:aws:states:${smArn.region}:${smArn.account}:execution:${smArn.name}:${name}`;
    const execution: Execution = {
      executionArn,
      stateMachineArn: opts.stateMachineArn,
      name,
      status: 'RUNNING',
      input,
      startDate: new Date(),
      statesEntered: [],
      events: [],
      pending: new Set(),
      settled: false,
      abort: () => undefined,
      cancelTimeout: () => undefined,
      listeners: new Set(),
    };
    executions.set(executionArn, execution);

    const run = machine.run(inputValue as never, {
      overrides: {
        taskResourceLocalHandlers: taskHandlers(execution),
        waitTimeOverrides: opts.waitTimeOverridesMs,
        retryIntervalOverrides: opts.retryIntervalOverridesMs,
      },
      // The library's context has no Task.Token: every `$$.Task.Token` resolves to this
      // placeholder, which the task handler swaps for the token it issues.
      context: {
        Execution: { Id: executionArn, Name: name, RoleArn: `arn:aws:iam::${smArn.account}:role/local` },
        StateMachine: { Id: opts.stateMachineArn, Name: smArn.name },
        Task: { Token: tokenPlaceholder },
      },
    });
    execution.abort = run.abort;
    if (executionTimeoutSeconds !== undefined) {
      execution.cancelTimeout = longTimer(executionTimeoutSeconds * 1000, () => {
        finish(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' });
        run.abort();
      });
    }

    const recorded = recordEvents(execution, run.eventLogs).catch(() => undefined);
    const ended = run.result.then(
      (output) => finish(execution, 'SUCCEEDED', { output: JSON.stringify(output ?? null) }),
      (err: unknown) => {
        // Aborts and timeouts were finished by whoever stopped the run.
        if (err instanceof ExecutionError && err.cause instanceof Error) {
          finish(execution, 'FAILED', { error: err.cause.name, cause: err.cause.message });
        } else if (err instanceof Error) {
          finish(execution, 'FAILED', { error: err.name, cause: err.message });
        } else {
          finish(execution, 'FAILED', { error: 'States.Runtime', cause: String(err) });
        }
      },
    );
    void Promise.all([ended, recorded]).then(() => {
      execution.settled = true;
      notify(execution);
    });
    return execution;
  };

  const recordEvents = async (execution: Execution, eventLogs: AsyncGenerator<LibraryEvent>): Promise<void> => {
    const push = (type: string, details: Record<string, unknown> = {}, at = Date.now()): void => {
      const id = execution.events.length + 1;
      execution.events.push({ id, previousEventId: id - 1, timestamp: new Date(at), type, ...details });
    };
    for await (const event of eventLogs) {
      const at = event.timestamp;
      switch (event.type) {
        case 'ExecutionStarted':
          push('ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(event.input ?? null), roleArn: `arn:aws:iam::${smArn.account}:role/local` } }, at);
          break;
        case 'StateEntered':
          execution.statesEntered.push(event.state.name);
          push(`${event.state.type}StateEntered`, { stateEnteredEventDetails: { name: event.state.name, input: JSON.stringify(event.state.input ?? null) } }, at);
          break;
        case 'StateExited':
          push(`${event.state.type}StateExited`, { stateExitedEventDetails: { name: event.state.name, output: JSON.stringify(event.state.output ?? null) } }, at);
          break;
        case 'StateFailed':
          if (event.state.type === 'Task') {
            push('TaskFailed', { taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: event.Error, cause: causeText(event.Cause) } }, at);
          }
          break;
        case 'ExecutionSucceeded':
          push('ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null) } }, at);
          break;
        case 'ExecutionFailed':
          push('ExecutionFailed', { executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) } }, at);
          break;
        case 'ExecutionAborted':
          if (execution.status === 'TIMED_OUT') push('ExecutionTimedOut', { executionTimedOutEventDetails: { error: execution.error, cause: execution.cause } }, at);
          else push('ExecutionAborted', { executionAbortedEventDetails: { error: execution.error, cause: execution.cause } }, at);
          break;
        case 'ExecutionTimeout':
          push('ExecutionTimedOut', {}, at);
          break;
        default:
          break;
      }
    }
  };

  const getExecution = (executionArn: unknown): Execution => {
    if (typeof executionArn !== 'string' || !executionArn.startsWith('arn:')) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${String(executionArn)}'`);
    }
    const execution = executions.get(executionArn);
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  };

  const taskForToken = (token: unknown): PendingTask => {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) {
      throw new ServiceError('InvalidToken', 'Invalid Token');
    }
    const task = tasksByToken.get(token);
    if (task) return task;
    if (closedTokens.has(token)) throw new ServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    throw new ServiceError('InvalidToken', `Invalid Token: '${token.slice(0, 16)}…'`);
  };

  const describe = (e: Execution): Record<string, unknown> => ({
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: epochSeconds(e.startDate),
    ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  });

  const faults: StartFaults = { refusing: false, refused: 0, hanging: false, hung: 0 };
  const actions: Record<string, Action> = {
    StartExecution(body) {
      if (faults.refusing) {
        faults.refused++;
        throw new ServiceError('ServiceUnavailable', 'Step Functions is not taking executions (local fault switch).', 503);
      }
      if (faults.hanging === 'before-start') {
        faults.hung++;
        return NO_ANSWER;
      }
      if (body.stateMachineArn !== opts.stateMachineArn) {
        if (typeof body.stateMachineArn !== 'string' || !body.stateMachineArn.startsWith('arn:')) {
          throw new ServiceError('InvalidArn', `Invalid Arn: '${String(body.stateMachineArn)}'`);
        }
        throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
      }
      const name = body.name === undefined ? randomUUID() : body.name;
      if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
        throw new ServiceError('InvalidName', `Invalid Name: '${String(name)}'`);
      }
      const input = body.input === undefined ? '{}' : body.input;
      if (typeof input !== 'string') throw new ServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
      let inputValue: unknown;
      try {
        inputValue = JSON.parse(input);
      } catch {
        throw new ServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`);
      }
      const executionArn = `arn:aws:states:${smArn.region}:${smArn.account}:execution:${smArn.name}:${name}`;
      const existing = executions.get(executionArn);
      if (existing) {
        // As Step Functions does for Standard workflows: idempotent only while the execution
        // runs and only for the same input.
        if (existing.status === 'RUNNING' && existing.input === input) {
          return { executionArn, startDate: epochSeconds(existing.startDate) };
        }
        throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }
      const execution = startExecution(name, input, inputValue);
      if (faults.hanging === 'after-start') {
        faults.hung++;
        return NO_ANSWER;
      }
      return { executionArn, startDate: epochSeconds(execution.startDate) };
    },

    DescribeExecution(body) {
      return describe(getExecution(body.executionArn));
    },

    StopExecution(body) {
      const execution = getExecution(body.executionArn);
      if (execution.status === 'RUNNING') {
        finish(execution, 'ABORTED', {
          ...(typeof body.error === 'string' ? { error: body.error } : {}),
          ...(typeof body.cause === 'string' ? { cause: body.cause } : {}),
        });
        execution.abort();
      }
      return { stopDate: epochSeconds(execution.stopDate ?? new Date()) };
    },

    SendTaskSuccess(body) {
      const task = taskForToken(body.taskToken);
      if (typeof body.output !== 'string') throw new ServiceError('InvalidOutput', 'Invalid Output');
      let output: unknown;
      try {
        output = JSON.parse(body.output);
      } catch {
        throw new ServiceError('InvalidOutput', `Invalid Output: '${body.output.slice(0, 100)}'`);
      }
      closeTask(task);
      task.resolve(output);
      return {};
    },

    SendTaskFailure(body) {
      const task = taskForToken(body.taskToken);
      closeTask(task);
      const failure = new Error(typeof body.cause === 'string' ? body.cause : '');
      failure.name = typeof body.error === 'string' && body.error !== '' ? body.error : 'States.TaskFailed';
      task.reject(failure);
      return {};
    },

    SendTaskHeartbeat(body) {
      taskForToken(body.taskToken);
      return {};
    },

    GetExecutionHistory(body) {
      const execution = getExecution(body.executionArn);
      const all = body.reverseOrder === true ? [...execution.events].reverse() : execution.events;
      const start = typeof body.nextToken === 'string' ? Number.parseInt(body.nextToken, 10) || 0 : 0;
      const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, 1000) : 100;
      const page = all.slice(start, start + max);
      return {
        events: page.map((e) => ({ ...e, timestamp: epochSeconds(e.timestamp) })),
        ...(start + max < all.length ? { nextToken: String(start + max) } : {}),
      };
    },

    ListExecutions(body) {
      if (body.stateMachineArn !== opts.stateMachineArn) {
        throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(body.stateMachineArn)}'`);
      }
      const all = [...executions.values()]
        .filter((e) => body.statusFilter === undefined || e.status === body.statusFilter)
        .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
      const start = typeof body.nextToken === 'string' ? Number.parseInt(body.nextToken, 10) || 0 : 0;
      const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, 1000) : 100;
      return {
        executions: all.slice(start, start + max).map((e) => ({
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: epochSeconds(e.startDate),
          ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
        })),
        ...(start + max < all.length ? { nextToken: String(start + max) } : {}),
      };
    },
  };

  const server = createServer((req, res) => {
    void handleRequest(req, res, actions);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${opts.host ?? '127.0.0.1'}:${address.port}`;

  const idleState = (execution: Execution): IdleState | undefined => {
    if (execution.settled) {
      if (execution.status === 'SUCCEEDED') return 'succeeded';
      if (execution.status === 'ABORTED') return 'aborted';
      return 'failed';
    }
    if (execution.status === 'RUNNING' && [...execution.pending].some((t) => t.parked)) return 'waiting';
    return undefined;
  };

  return {
    url,
    startFaults: {
      state: () => ({ ...faults }),
      set(change) {
        Object.assign(faults, change);
        return { ...faults };
      },
    },
    async close() {
      for (const execution of executions.values()) {
        if (execution.status === 'RUNNING') {
          finish(execution, 'ABORTED', { error: 'States.Aborted', cause: 'The local Step Functions service stopped' });
          execution.abort();
        }
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    waitForIdle(executionArn, timeoutMs) {
      const execution = executions.get(executionArn);
      if (!execution) return Promise.reject(new Error(`No execution ${executionArn}`));
      return new Promise<IdleState>((resolve, reject) => {
        const check = (): boolean => {
          const state = idleState(execution);
          if (state === undefined) return false;
          clearTimeout(timer);
          execution.listeners.delete(onChange);
          resolve(state);
          return true;
        };
        const onChange = (): void => void check();
        const timer = setTimeout(() => {
          execution.listeners.delete(onChange);
          reject(new Error(`Execution ${executionArn} not idle after ${timeoutMs} ms; states entered: ${execution.statesEntered.join(' → ')}`));
        }, timeoutMs);
        if (!check()) execution.listeners.add(onChange);
      });
    },
    history(executionArn) {
      return [...(executions.get(executionArn)?.statesEntered ?? [])];
    },
    executions() {
      return [...executions.values()].map((e) => ({
        executionArn: e.executionArn,
        name: e.name,
        status: e.status,
        input: e.input,
        startDate: e.startDate,
        ...(e.stopDate ? { stopDate: e.stopDate } : {}),
        ...(e.output !== undefined ? { output: e.output } : {}),
        ...(e.error !== undefined ? { error: e.error } : {}),
        ...(e.cause !== undefined ? { cause: e.cause } : {}),
      }));
    },
  };
}

/** The library's event type, which it does not export. */
type LibraryEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  actions: Record<string, Action>,
): Promise<void> {
  const send = (status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
    res.end(text);
  };
  const sendError = (type: string, message: string, status = 400): void => {
    // The SDK reads `__type` (namespace prefix optional) and maps it to the modelled exception.
    send(status, { __type: type, message });
  };
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST') return sendError('UnknownOperationException', 'Only POST is supported', 404);
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, action] = target.split('.');
    const fn = prefix === 'AWSStepFunctions' && action ? actions[action] : undefined;
    if (!fn) return sendError('UnknownOperationException', `Unknown operation ${target}`);
    let body: unknown;
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      return sendError('SerializationException', 'Request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sendError('SerializationException', 'Request body must be a JSON object');
    }
    const answer = fn(body as Record<string, unknown>);
    // Left open: the caller waits until its own timeout; close() ends the connection.
    if (answer === NO_ANSWER) return;
    send(200, answer);
  } catch (err) {
    if (err instanceof ServiceError) return sendError(err.type, err.message, err.status);
    sendError('InternalFailure', err instanceof Error ? err.message : String(err), 500);
  }
}

function parseStateMachineArn(arn: string): { region: string; account: string; name: string } {
  const m = /^arn:aws[a-z-]*:states:([^:]+):([^:]+):stateMachine:([^:]+)$/.exec(arn);
  if (!m) throw new Error(`Not a state machine ARN: ${arn}`);
  return { region: m[1]!, account: m[2]!, name: m[3]! };
}

/** Substitutes `${Name}` like CDK's definitionSubstitutions and fills in local-only defaults. */
function prepareDefinition(definition: object, substitutions: Record<string, string>): StateMachineDefinition & { TimeoutSeconds?: number } {
  const missing = new Set<string>();
  const substitute = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
        const replacement = substitutions[name];
        if (replacement === undefined && key !== 'Comment') missing.add(name);
        return replacement ?? whole;
      });
    }
    if (Array.isArray(value)) return value.map((v) => substitute(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, k)]));
    }
    return value;
  };
  const result = substitute(definition) as StateMachineDefinition & { TimeoutSeconds?: number };
  if (missing.size > 0) throw new Error(`No substitution for ${[...missing].map((n) => '${' + n + '}').join(', ')}`);
  // A Task without a timeout waits as long as the execution may run, as in AWS; the library
  // would otherwise time every task out after 60 s (and overflow its timer above ~24.8 days).
  forEachState(result, (state) => {
    if (state.Type !== 'Task') return;
    const task = state as { TimeoutSeconds?: number; TimeoutSecondsPath?: string };
    if (task.TimeoutSecondsPath === undefined) {
      task.TimeoutSeconds = Math.min(task.TimeoutSeconds ?? MAX_TIMER_SECONDS, MAX_TIMER_SECONDS);
    }
  });
  return result;
}

interface AnyState {
  Type: string;
  Resource?: string;
  Branches?: Array<{ States: Record<string, AnyState> }>;
  Iterator?: { States: Record<string, AnyState> };
  ItemProcessor?: { States: Record<string, AnyState> };
}

function forEachState(definition: { States: Record<string, unknown> }, fn: (state: AnyState, name: string) => void): void {
  for (const [name, raw] of Object.entries(definition.States)) {
    const state = raw as AnyState;
    fn(state, name);
    for (const branch of state.Branches ?? []) forEachState(branch, fn);
    if (state.Iterator) forEachState(state.Iterator, fn);
    if (state.ItemProcessor) forEachState(state.ItemProcessor, fn);
  }
}

function collectTaskStates(definition: StateMachineDefinition): Map<string, string> {
  const tasks = new Map<string, string>();
  forEachState(definition as unknown as { States: Record<string, unknown> }, (state, name) => {
    if (state.Type === 'Task') tasks.set(name, state.Resource ?? '');
  });
  return tasks;
}

function lambdaParameters(stateName: string, input: unknown): { FunctionName: string; Payload: unknown } {
  const params = input as { FunctionName?: unknown; Payload?: unknown } | null;
  if (!params || typeof params.FunctionName !== 'string') {
    throw new Error(`Task state ${stateName}: Parameters must name a FunctionName`);
  }
  return { FunctionName: params.FunctionName, Payload: params.Payload ?? null };
}

function replaceDeep(value: unknown, search: string, replacement: string): unknown {
  if (typeof value === 'string') return value.split(search).join(replacement);
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, search, replacement));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, search, replacement)]));
  }
  return value;
}

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause ?? null);
}

function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** setTimeout for delays beyond what a Node timer holds; returns the cancel function. */
function longTimer(ms: number, fn: () => void): () => void {
  let timer: NodeJS.Timeout;
  const deadline = Date.now() + ms;
  const arm = (): void => {
    const left = deadline - Date.now();
    timer = setTimeout(left > MAX_TIMER_MS ? arm : fn, Math.min(Math.max(left, 0), MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

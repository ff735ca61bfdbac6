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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
   * out as if its process had stopped there. With a `correlationId`, `hanging` holds only for the
   * executions started under that correlation id (their input's `correlationId`, the request's
   * `x-correlation-id`): one client's lost answer, while every other caller is served.
   */
  startFaults: { state(): StartFaults; set(change: StartFaultChange): StartFaults };
  executions(): ExecutionSummary[];
}

export interface StartFaults {
  refusing: boolean;
  refused: number;
  hanging: Hanging;
  /** Hanging for the executions of one correlation id only, by that id. */
  hangingFor: Record<string, Exclude<Hanging, false>>;
  /** StartExecution calls left without an answer. */
  hung: number;
}

type Hanging = false | 'before-start' | 'after-start';

export interface StartFaultChange {
  refusing?: boolean;
  hanging?: Hanging;
  /** Applies `hanging` to this correlation id's executions only (false ends it for that id alone). */
  correlationId?: string;
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
  const service = new StepFunctionsService(opts);
  const { server, url } = await listen(opts, service.actions());
  return {
    url,
    startFaults: {
      state: () => ({ ...service.faults, hangingFor: { ...service.faults.hangingFor } }),
      set({ correlationId, ...change }) {
        if (correlationId !== undefined && change.hanging !== undefined) {
          if (change.hanging) service.faults.hangingFor[correlationId] = change.hanging;
          else delete service.faults.hangingFor[correlationId];
          delete change.hanging;
        }
        Object.assign(service.faults, change);
        return { ...service.faults, hangingFor: { ...service.faults.hangingFor } };
      },
    },
    async close() {
      service.abortAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    waitForIdle: (executionArn, timeoutMs) => service.waitForIdle(executionArn, timeoutMs),
    history: (executionArn) => service.history(executionArn),
    executions: () => service.summaries(),
  };
}

async function listen(opts: Pick<LocalStepFunctionsOptions, 'port' | 'host'>, actions: Record<string, Action>): Promise<{ server: Server; url: string }> {
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
  return { server, url: `http://${opts.host ?? '127.0.0.1'}:${address.port}` };
}

/** The executions of one state machine, their task tokens, and the API actions over them. */
class StepFunctionsService {
  readonly faults: StartFaults = { refusing: false, refused: 0, hanging: false, hangingFor: {}, hung: 0 };
  private readonly smArn: { region: string; account: string; name: string };
  private readonly machine: StateMachine;
  private readonly executionTimeoutSeconds: number | undefined;
  private readonly taskStates: Map<string, string>;
  private readonly tokenPlaceholder = `__local_sfn_task_token_${randomUUID()}__`;
  private readonly executionsByArn = new Map<string, Execution>();
  private readonly tasksByToken = new Map<string, PendingTask>();
  /** Tokens handed out whose task has ended: refused with TaskTimedOut rather than InvalidToken. */
  private readonly closedTokens = new Set<string>();

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    this.smArn = parseStateMachineArn(opts.stateMachineArn);
    const definition = prepareDefinition(opts.definition, opts.substitutions);
    this.executionTimeoutSeconds = definition.TimeoutSeconds;
    delete definition.TimeoutSeconds; // enforced here: the library's single setTimeout would overflow
    this.taskStates = collectTaskStates(definition);
    for (const [stateName, resource] of this.taskStates) {
      if (resource !== LAMBDA_INVOKE && resource !== LAMBDA_INVOKE_WAIT && !/^arn:aws:lambda:/.test(resource)) {
        throw new Error(`Task state ${stateName}: resource ${resource} is not supported locally`);
      }
    }
    this.machine = new StateMachine(definition);
  }

  // ---- executions -------------------------------------------------------------------------

  private executionArnOf(name: string): string {
    return `arn:aws:states:${this.smArn.region}:${this.smArn.account}:execution:${this.smArn.name}:${name}`;
  }

  private startExecution(name: string, input: string, inputValue: unknown): Execution {
    const executionArn = this.executionArnOf(name);
    const execution: Execution = {
      executionArn,
      stateMachineArn: this.opts.stateMachineArn,
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
    this.executionsByArn.set(executionArn, execution);

    const run = this.machine.run(inputValue as never, {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers(execution),
        waitTimeOverrides: this.opts.waitTimeOverridesMs,
        retryIntervalOverrides: this.opts.retryIntervalOverridesMs,
      },
      // The library's context has no Task.Token: every `$$.Task.Token` resolves to this
      // placeholder, which the task handler swaps for the token it issues.
      context: {
        Execution: { Id: executionArn, Name: name, Input: inputValue as never, RoleArn: `arn:aws:iam::${this.smArn.account}:role/local` },
        StateMachine: { Id: this.opts.stateMachineArn, Name: this.smArn.name },
        Task: { Token: this.tokenPlaceholder },
      },
    });
    execution.abort = run.abort;
    if (this.executionTimeoutSeconds !== undefined) {
      execution.cancelTimeout = longTimer(this.executionTimeoutSeconds * 1000, () => {
        this.finish(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' });
        run.abort();
      });
    }

    const recorded = this.recordEvents(execution, run.eventLogs).catch(() => undefined);
    const ended = run.result.then(
      (output) => this.finish(execution, 'SUCCEEDED', { output: JSON.stringify(output ?? null) }),
      (err: unknown) => this.finish(execution, 'FAILED', failureOf(err)),
    );
    void Promise.all([ended, recorded]).then(() => {
      execution.settled = true;
      notify(execution);
    });
    return execution;
  }

  private finish(execution: Execution, status: ExecutionStatus, fields: Partial<ExecutionSummary> = {}): void {
    if (execution.status !== 'RUNNING') return;
    Object.assign(execution, fields, { status, stopDate: new Date() });
    execution.cancelTimeout();
    this.stopPendingTasks(execution);
  }

  /** Stops every running execution (the service is closing). */
  abortAll(): void {
    for (const execution of this.executionsByArn.values()) {
      if (execution.status === 'RUNNING') {
        this.finish(execution, 'ABORTED', { error: 'States.Aborted', cause: 'The local Step Functions service stopped' });
        execution.abort();
      }
    }
  }

  private async recordEvents(execution: Execution, eventLogs: AsyncGenerator<LibraryEvent>): Promise<void> {
    for await (const event of eventLogs) {
      if (event.type === 'StateEntered') execution.statesEntered.push(event.state.name);
      const recorded = historyEventOf(event, execution, this.smArn.account);
      if (!recorded) continue;
      const id = execution.events.length + 1;
      execution.events.push({ id, previousEventId: id - 1, timestamp: new Date(event.timestamp), type: recorded.type, ...recorded.details });
    }
  }

  private getExecution(executionArn: unknown): Execution {
    if (typeof executionArn !== 'string' || !executionArn.startsWith('arn:')) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${String(executionArn)}'`);
    }
    const execution = this.executionsByArn.get(executionArn);
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  waitForIdle(executionArn: string, timeoutMs: number): Promise<IdleState> {
    const execution = this.executionsByArn.get(executionArn);
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
  }

  history(executionArn: string): string[] {
    return [...(this.executionsByArn.get(executionArn)?.statesEntered ?? [])];
  }

  summaries(): ExecutionSummary[] {
    return [...this.executionsByArn.values()].map((e) => ({
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
  }

  // ---- task states: one handler per kind of Resource --------------------------------------

  private taskHandlers(execution: Execution): Record<string, (input: unknown) => Promise<never>> {
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const [stateName, resource] of this.taskStates) {
      const handler =
        resource === LAMBDA_INVOKE
          ? this.lambdaInvokeTask(execution, stateName)
          : resource === LAMBDA_INVOKE_WAIT
            ? this.waitForTaskTokenTask(execution, stateName)
            : this.lambdaArnTask(execution, resource);
      handlers[stateName] = handler as (input: unknown) => Promise<never>;
    }
    return handlers;
  }

  /** `arn:aws:states:::lambda:invoke`: the Lambda's result wrapped as the integration answers it. */
  private lambdaInvokeTask(execution: Execution, stateName: string): (input: unknown) => Promise<unknown> {
    return async (input) => {
      ensureRunning(execution);
      const { FunctionName, Payload } = lambdaParameters(stateName, input);
      const result = await this.invokeLambda(FunctionName, Payload);
      return { StatusCode: 200, Payload: result, ExecutedVersion: '$LATEST' };
    };
  }

  /** A plain Lambda ARN as Resource: the state's input is the payload, the result is the output. */
  private lambdaArnTask(execution: Execution, functionArn: string): (input: unknown) => Promise<unknown> {
    return async (input) => {
      ensureRunning(execution);
      return this.invokeLambda(functionArn, input);
    };
  }

  /**
   * `lambda:invoke.waitForTaskToken`: issues a token, invokes the Lambda with it in place of the
   * placeholder, and once the Lambda has returned parks until SendTaskSuccess/Failure.
   */
  private waitForTaskTokenTask(execution: Execution, stateName: string): (input: unknown) => Promise<unknown> {
    return async (input) => {
      ensureRunning(execution);
      const { FunctionName, Payload } = lambdaParameters(stateName, input);
      const { task, callback } = this.openTask(execution, stateName);
      try {
        await this.invokeLambda(FunctionName, replaceDeep(Payload, this.tokenPlaceholder, task.token));
      } catch (err) {
        if (this.tasksByToken.has(task.token)) this.closeTask(task);
        throw err;
      }
      if (this.tasksByToken.has(task.token)) {
        task.parked = true;
        // After the queued state events have been recorded, so history() is complete.
        setImmediate(() => notify(execution));
      }
      return callback;
    };
  }

  private async invokeLambda(functionName: string, payload: unknown): Promise<unknown> {
    try {
      // Through JSON both ways, as a real invocation is: Dates become strings, undefined goes.
      const result = await this.opts.invoke(functionName, JSON.parse(JSON.stringify(payload ?? null)));
      return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
    } catch (err) {
      throw lambdaError(err);
    }
  }

  // ---- task tokens ------------------------------------------------------------------------

  private openTask(execution: Execution, stateName: string): { task: PendingTask; callback: Promise<unknown> } {
    const token = randomBytes(96).toString('base64url');
    let task!: PendingTask;
    const callback = new Promise<unknown>((resolve, reject) => {
      task = { token, execution, stateName, parked: false, resolve, reject };
    });
    callback.catch(() => undefined); // settled before the handler awaits it: not unhandled
    this.tasksByToken.set(token, task);
    execution.pending.add(task);
    return { task, callback };
  }

  private closeTask(task: PendingTask): void {
    this.tasksByToken.delete(task.token);
    task.execution.pending.delete(task);
    this.closedTokens.add(task.token);
  }

  private stopPendingTasks(execution: Execution): void {
    for (const task of [...execution.pending]) {
      this.closeTask(task);
      task.reject(new ExecutionStoppedError());
    }
  }

  private taskForToken(token: unknown): PendingTask {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) {
      throw new ServiceError('InvalidToken', 'Invalid Token');
    }
    const task = this.tasksByToken.get(token);
    if (task) return task;
    if (this.closedTokens.has(token)) throw new ServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    throw new ServiceError('InvalidToken', `Invalid Token: '${token.slice(0, 16)}…'`);
  }

  // ---- the API actions --------------------------------------------------------------------

  actions(): Record<string, Action> {
    return {
      StartExecution: (body) => this.startExecutionAction(body),
      DescribeExecution: (body) => describe(this.getExecution(body.executionArn)),
      StopExecution: (body) => this.stopExecutionAction(body),
      SendTaskSuccess: (body) => this.sendTaskSuccessAction(body),
      SendTaskFailure: (body) => this.sendTaskFailureAction(body),
      SendTaskHeartbeat: (body) => {
        this.taskForToken(body.taskToken);
        return {};
      },
      GetExecutionHistory: (body) => this.historyAction(body),
      ListExecutions: (body) => this.listExecutionsAction(body),
    };
  }

  private startExecutionAction(body: Record<string, unknown>): Record<string, unknown> | typeof NO_ANSWER {
    if (this.faults.refusing) {
      this.faults.refused++;
      throw new ServiceError('ServiceUnavailable', 'Step Functions is not taking executions (local fault switch).', 503);
    }
    const hanging = this.hangingOf(body);
    if (hanging === 'before-start') {
      this.faults.hung++;
      return NO_ANSWER;
    }
    const { name, input, inputValue } = this.parseStartRequest(body);
    const executionArn = this.executionArnOf(name);
    const existing = this.executionsByArn.get(executionArn);
    if (existing) {
      // As Step Functions does for Standard workflows: idempotent only while the execution
      // runs and only for the same input.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: epochSeconds(existing.startDate) };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution = this.startExecution(name, input, inputValue);
    if (hanging === 'after-start') {
      this.faults.hung++;
      return NO_ANSWER;
    }
    return { executionArn, startDate: epochSeconds(execution.startDate) };
  }

  /** The fault switch's `hanging` for this StartExecution: its correlation id's own, else the switch's. */
  private hangingOf(body: Record<string, unknown>): Hanging {
    if (Object.keys(this.faults.hangingFor).length > 0 && typeof body.input === 'string') {
      try {
        const { correlationId } = JSON.parse(body.input) as { correlationId?: unknown };
        if (typeof correlationId === 'string' && Object.hasOwn(this.faults.hangingFor, correlationId)) return this.faults.hangingFor[correlationId]!;
      } catch {
        // Not JSON: parseStartRequest answers for it.
      }
    }
    return this.faults.hanging;
  }

  private parseStartRequest(body: Record<string, unknown>): { name: string; input: string; inputValue: unknown } {
    if (body.stateMachineArn !== this.opts.stateMachineArn) {
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
    try {
      return { name, input, inputValue: JSON.parse(input) };
    } catch {
      throw new ServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`);
    }
  }

  private stopExecutionAction(body: Record<string, unknown>): Record<string, unknown> {
    const execution = this.getExecution(body.executionArn);
    if (execution.status === 'RUNNING') {
      this.finish(execution, 'ABORTED', {
        ...(typeof body.error === 'string' ? { error: body.error } : {}),
        ...(typeof body.cause === 'string' ? { cause: body.cause } : {}),
      });
      execution.abort();
    }
    return { stopDate: epochSeconds(execution.stopDate ?? new Date()) };
  }

  private sendTaskSuccessAction(body: Record<string, unknown>): Record<string, unknown> {
    const task = this.taskForToken(body.taskToken);
    if (typeof body.output !== 'string') throw new ServiceError('InvalidOutput', 'Invalid Output');
    let output: unknown;
    try {
      output = JSON.parse(body.output);
    } catch {
      throw new ServiceError('InvalidOutput', `Invalid Output: '${body.output.slice(0, 100)}'`);
    }
    this.closeTask(task);
    task.resolve(output);
    return {};
  }

  private sendTaskFailureAction(body: Record<string, unknown>): Record<string, unknown> {
    const task = this.taskForToken(body.taskToken);
    this.closeTask(task);
    const failure = new Error(typeof body.cause === 'string' ? body.cause : '');
    failure.name = typeof body.error === 'string' && body.error !== '' ? body.error : 'States.TaskFailed';
    task.reject(failure);
    return {};
  }

  private historyAction(body: Record<string, unknown>): Record<string, unknown> {
    const execution = this.getExecution(body.executionArn);
    const all = body.reverseOrder === true ? [...execution.events].reverse() : execution.events;
    const { page, nextToken } = pageOf(all, body);
    return {
      events: page.map((e) => ({ ...e, timestamp: epochSeconds(e.timestamp) })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  private listExecutionsAction(body: Record<string, unknown>): Record<string, unknown> {
    if (body.stateMachineArn !== this.opts.stateMachineArn) {
      throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(body.stateMachineArn)}'`);
    }
    const all = [...this.executionsByArn.values()]
      .filter((e) => body.statusFilter === undefined || e.status === body.statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    const { page, nextToken } = pageOf(all, body);
    return {
      executions: page.map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: epochSeconds(e.startDate),
        ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }
}

function notify(execution: Execution): void {
  for (const listener of [...execution.listeners]) listener();
}

function ensureRunning(execution: Execution): void {
  if (execution.status !== 'RUNNING') throw new ExecutionStoppedError();
}

/**
 * Step Functions names the failure after the Lambda's errorType and puts the Lambda's error
 * document in the cause, as the real lambda:invoke integration does.
 */
function lambdaError(err: unknown): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  const errorType = e.name || 'Error';
  const failure = new Error(JSON.stringify({ errorType, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }));
  failure.name = errorType;
  return failure;
}

/** How a run that threw ends the execution (aborts and timeouts were finished by whoever stopped it). */
function failureOf(err: unknown): { error: string; cause: string } {
  if (err instanceof ExecutionError && err.cause instanceof Error) return { error: err.cause.name, cause: err.cause.message };
  if (err instanceof Error) return { error: err.name, cause: err.message };
  return { error: 'States.Runtime', cause: String(err) };
}

function idleState(execution: Execution): IdleState | undefined {
  if (execution.settled) {
    if (execution.status === 'SUCCEEDED') return 'succeeded';
    if (execution.status === 'ABORTED') return 'aborted';
    return 'failed';
  }
  if (execution.status === 'RUNNING' && [...execution.pending].some((t) => t.parked)) return 'waiting';
  return undefined;
}

function describe(e: Execution): Record<string, unknown> {
  return {
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
  };
}

/** One page of a list by the request's `nextToken` (an offset) and `maxResults` (100 by default, 1000 at most). */
function pageOf<T>(all: readonly T[], body: Record<string, unknown>): { page: T[]; nextToken?: string } {
  const start = typeof body.nextToken === 'string' ? Number.parseInt(body.nextToken, 10) || 0 : 0;
  const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, 1000) : 100;
  return { page: all.slice(start, start + max), ...(start + max < all.length ? { nextToken: String(start + max) } : {}) };
}

/** The history event (type and details) a library event is recorded as; undefined when none. */
function historyEventOf(event: LibraryEvent, execution: Execution, account: string): { type: string; details: Record<string, unknown> } | undefined {
  switch (event.type) {
    case 'ExecutionStarted':
      return { type: 'ExecutionStarted', details: { executionStartedEventDetails: { input: JSON.stringify(event.input ?? null), roleArn: `arn:aws:iam::${account}:role/local` } } };
    case 'StateEntered':
      return { type: `${event.state.type}StateEntered`, details: { stateEnteredEventDetails: { name: event.state.name, input: JSON.stringify(event.state.input ?? null) } } };
    case 'StateExited':
      return { type: `${event.state.type}StateExited`, details: { stateExitedEventDetails: { name: event.state.name, output: JSON.stringify(event.state.output ?? null) } } };
    case 'StateFailed':
      if (event.state.type !== 'Task') return undefined;
      return { type: 'TaskFailed', details: { taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: event.Error, cause: causeText(event.Cause) } } };
    case 'ExecutionSucceeded':
      return { type: 'ExecutionSucceeded', details: { executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null) } } };
    case 'ExecutionFailed':
      return { type: 'ExecutionFailed', details: { executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) } } };
    case 'ExecutionAborted':
      if (execution.status === 'TIMED_OUT') return { type: 'ExecutionTimedOut', details: { executionTimedOutEventDetails: { error: execution.error, cause: execution.cause } } };
      return { type: 'ExecutionAborted', details: { executionAbortedEventDetails: { error: execution.error, cause: execution.cause } } };
    case 'ExecutionTimeout':
      return { type: 'ExecutionTimedOut', details: {} };
    default:
      return undefined;
  }
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

import path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EVENT_STREAM_FILTER, OUTBOX_STREAM_FILTER, TABLE } from '../../functions/data/table.ts';
import {
  FUNCTIONS,
  JOBS,
  ROUTES,
  SIGNING_KEY_READERS,
  WORKFLOW_TASKS,
  type FunctionName,
  type FunctionSpec,
  type JobName,
} from '../../functions/registry.ts';
import { AppFunction, REPO_ROOT, acknowledge } from '../constructs/app-function.ts';
import { SigningKeys } from '../constructs/signing-keys.ts';
import { StateMachineFromFile } from '../constructs/state-machine-from-file.ts';
import { OriginVerify } from '../constructs/origin-verify.ts';

/** Deployment settings, from the CDK context (cdk.json or `-c key=value`). */
export interface AppConfig {
  /** Where the portal's web front end lives: links in emails point there, CORS allows it. */
  readonly portalUrl: string;
  /** Sender of every email. */
  readonly emailFrom: string;
  /** The SES identity (domain or address) `emailFrom` sends through; the only one the notifier may use. */
  readonly emailFromIdentity: string;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  /** Vendor adapter (`sandbox` is the one that ships). */
  readonly vendor: string;
  readonly logRetention: RetentionDays;
  /** Default-stage throttling, requests per second and burst. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
}

export interface AppStackProps extends StackProps {
  readonly table: ITable;
  readonly config: AppConfig;
}

const STATE_MACHINE_FILE = path.join(REPO_ROOT, 'statemachines/order-fulfillment.asl.json');

/**
 * How EventBridge Scheduler retries a job invocation it could not deliver (throttling, the
 * function unavailable) before it parks the event in the jobs' dead-letter queue. An hour is well
 * within the day until the next run.
 */
const JOB_RETRY = { maximumRetryAttempts: 3, maximumEventAge: Duration.hours(1) } as const;

/**
 * Lambda's asynchronous invocation of a job (Scheduler's delivery and a run's own continuation): a
 * run that throws is tried twice more (Lambda waits about 1 and 2 minutes), then its event goes to the
 * jobs' on-failure destination. Six hours: an event throttled that long is better dropped (to the
 * destination) than run late; tomorrow's daily run catches its day up anyway.
 */
const JOB_ASYNC = { retryAttempts: 2, maxEventAge: Duration.hours(6) } as const;

/**
 * Everything that runs: the functions of the registry, the order workflow, the HTTP API, the
 * outbox notifier and the job schedules. Each function gets exactly what its registry entry names.
 */
export class AppStack extends Stack {
  readonly functions: Readonly<Record<FunctionName, AppFunction>>;
  readonly api: HttpApi;
  readonly workflow: StateMachineFromFile;
  readonly notifierDeadLetterQueue: Queue;
  readonly webhookDispatcherDeadLetterQueue: Queue;
  readonly jobSchedules: Readonly<Record<JobName, Schedule>>;
  /** The role EventBridge Scheduler assumes to invoke the jobs: it may invoke them and nothing else. */
  readonly jobSchedulerRole: Role;
  readonly jobsDeadLetterQueue: Queue;
  /** The token signing keys: their secret, its KMS key and rotation (docs/operations.md "Key rotation"). */
  readonly signingKeys: SigningKeys;
  /** The jobs' on-failure destination: runs that failed after Lambda's two async retries. */
  readonly jobsFailedRunsQueue: Queue;
  /** The header value CloudFront adds to /v1 requests; the route functions refuse requests without it (docs/operations.md#edge). */
  readonly originVerify: OriginVerify;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { table, config } = props;
    const corsOrigin = new URL(config.portalUrl).origin;

    const functions = {} as Record<FunctionName, AppFunction>;
    for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][]) {
      const fn = new AppFunction(this, pascal(name), {
        spec,
        logRetention: config.logRetention,
        environment: {
          ...(spec.table === 'none' ? {} : { TABLE_NAME: table.tableName }),
          POWERTOOLS_SERVICE_NAME: config.serviceName,
          POWERTOOLS_METRICS_NAMESPACE: config.metricsNamespace,
          EMAIL_FROM: config.emailFrom,
          PORTAL_URL: config.portalUrl,
          CORS_ORIGIN: corsOrigin,
          VENDOR: config.vendor,
        },
      });
      if (spec.table !== 'none') fn.role.addToPrincipalPolicy(tableAccess(table, spec.table));
      functions[name] = fn;
    }
    this.functions = functions;
    this.signingKeys = new SigningKeys(this, 'SigningKeys', {
      rotation: functions.keyRotation,
      readers: [...SIGNING_KEY_READERS].map((name) => functions[name]),
    });

    this.workflow = this.orderWorkflow(functions, config);
    this.grantWorkflowActions(functions);
    this.originVerify = new OriginVerify(this, 'OriginVerify', { httpFunctions: [...new Set(ROUTES.map((route) => route.fn))].map((name) => functions[name]) });
    this.notifierDeadLetterQueue = this.outboxNotifier(functions.notifier, table, config);
    this.webhookDispatcherDeadLetterQueue = this.webhookDispatcher(functions.webhookDispatcher, table);
    this.api = this.httpApi(functions, config, corsOrigin);
    const jobs = this.scheduledJobs(functions);
    this.jobSchedules = jobs.schedules;
    this.jobSchedulerRole = jobs.role;
    this.jobsDeadLetterQueue = jobs.deadLetters;
    this.jobsFailedRunsQueue = this.jobsThatFinish(functions, config);

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'NotifierDeadLetterQueueUrl', { value: this.notifierDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'WebhookDispatcherDeadLetterQueueUrl', { value: this.webhookDispatcherDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'JobsDeadLetterQueueUrl', { value: this.jobsDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'JobsFailedRunsQueueUrl', { value: this.jobsFailedRunsQueue.queueUrl });
  }

  private orderWorkflow(functions: Record<FunctionName, AppFunction>, config: AppConfig): StateMachineFromFile {
    const byPlaceholder: Record<string, IFunction> = {};
    for (const task of Object.values(WORKFLOW_TASKS)) byPlaceholder[task.placeholder] = functions[task.fn].fn;
    return new StateMachineFromFile(this, 'OrderFulfillment', {
      definitionFile: STATE_MACHINE_FILE,
      // Named, so the execution ARNs a function may stop or describe can be written down; the
      // stack name in it keeps two deployments in one account apart.
      stateMachineName: `${this.stackName}-OrderFulfillment`,
      functions: byPlaceholder,
      logRetention: config.logRetention,
    });
  }

  /**
   * Step Functions permissions from each spec's `workflow` list. The workflow's task functions
   * never get one: the state machine depends on their ARNs, so a task function that needed the
   * state machine's ARN would be a dependency cycle.
   */
  private grantWorkflowActions(functions: Record<FunctionName, AppFunction>): void {
    const stateMachine = this.workflow.stateMachine;
    const tasks = new Set<FunctionName>(Object.values(WORKFLOW_TASKS).map((task) => task.fn));
    for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][]) {
      const actions = spec.workflow ?? [];
      if (actions.length === 0) continue;
      if (tasks.has(name)) {
        throw new Error(`${name} is a task of the order workflow, so it cannot also act on it (workflow: [${actions.join(', ')}])`);
      }
      const { fn, role } = functions[name];
      fn.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
      if (actions.includes('start')) stateMachine.grantStartExecution(role);
      // Scoped to the state machine: task tokens of Lambda task states are authorized against it.
      if (actions.includes('callback')) stateMachine.grantTaskResponse(role);
      const onExecutions = [
        ...(actions.includes('stop') ? ['states:StopExecution'] : []),
        ...(actions.includes('describe') ? ['states:DescribeExecution'] : []),
      ];
      if (onExecutions.length > 0) {
        role.addToPrincipalPolicy(new PolicyStatement({ actions: onExecutions, resources: [this.workflow.executionArns] }));
        acknowledge(functions[name], [
          {
            id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, this.workflow.executionArns)}]`,
            reason:
              'Executions are named when an order starts one, so the grant covers the executions of this one state machine (execution:<name>:*) and nothing else.',
          },
        ]);
      }
    }
  }

  /**
   * The notifier reads new outbox records from the table stream. A failing batch is split until
   * the failing record is alone and retried with no attempt limit (the notifier only fails for
   * transient reasons: SES throttling or an outage; a record it can never render is logged and
   * skipped), so an SES outage of up to a day ends with every email sent once, in order. A record
   * still failing after a day (the stream keeps 24 hours) is parked in the dead-letter queue, and
   * its outbox item stays `pending` for the operator (docs/operations.md).
   */
  private outboxNotifier(notifier: AppFunction, table: ITable, config: AppConfig): Queue {
    const deadLetters = this.deadLetterQueue('NotifierDeadLetterQueue', 'NotifierDeadLettersAlarm', {
      consumer: 'the notifier event source mapping',
      alarmDescription: 'Outbox records the notifier gave up on: emails that were not sent.',
    });

    notifier.fn.addEventSource(
      new DynamoEventSource(table, {
        // From the oldest record still in the stream: outbox rows written before the mapping
        // existed (first deployment, a re-created mapping) are still sent.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        // No retryAttempts: unlimited, bounded by the record's age.
        maxRecordAge: Duration.days(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(deadLetters),
        filters: [FilterCriteria.filter(toFilterPattern(OUTBOX_STREAM_FILTER))],
      }),
    );

    const sesIdentity = this.formatArn({ service: 'ses', resource: 'identity', resourceName: config.emailFromIdentity });
    notifier.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [sesIdentity] }),
    );
    // The closest acknowledgement wins: this one replaces the function's own X-Ray reason.
    acknowledge(notifier.role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and dynamodb:ListStreams, which the stream event source needs, support no resource-level permissions.',
      },
    ]);
    return deadLetters;
  }

  /**
   * The webhook dispatcher reads new `event` items from the same stream through a mapping of its
   * own, so a slow endpoint never holds up an email nor an SES outage a webhook. It fails a batch
   * only when it could not record its deliveries (the table unreachable): that batch is split and
   * retried like the notifier's, for up to a day, then parked in its dead-letter queue (the events
   * stay in `GET /v1/events`). An endpoint that does not answer is no failure of the batch: the
   * delivery is recorded and retried by the `webhookRetries` job.
   */
  private webhookDispatcher(dispatcher: AppFunction, table: ITable): Queue {
    const deadLetters = this.deadLetterQueue('WebhookDispatcherDeadLetterQueue', 'WebhookDispatcherDeadLettersAlarm', {
      consumer: 'the webhook dispatcher event source mapping',
      alarmDescription: 'Events the webhook dispatcher could not record deliveries for: webhooks that were not sent.',
    });
    dispatcher.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        maxRecordAge: Duration.days(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(deadLetters),
        filters: [FilterCriteria.filter(toFilterPattern(EVENT_STREAM_FILTER))],
      }),
    );
    acknowledge(dispatcher.role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and dynamodb:ListStreams, which the stream event source needs, support no resource-level permissions.',
      },
    ]);
    return deadLetters;
  }

  /**
   * One EventBridge Scheduler schedule per job of the registry, on its cron in UTC, at the exact
   * time (no flexible window). Each invocation carries the scheduled time as `{"time": …}`, so a
   * job's "now" is the time it was due, also when it is retried late. What Scheduler cannot
   * deliver after its retries lands in a dead-letter queue. The schedules live in their own group
   * so the role trusts only them (confused-deputy conditions on the group's ARN).
   */
  private scheduledJobs(functions: Record<FunctionName, AppFunction>): {
    schedules: Record<JobName, Schedule>;
    role: Role;
    deadLetters: Queue;
  } {
    const deadLetters = this.deadLetterQueue('JobsDeadLetterQueue', 'JobsDeadLettersAlarm', {
      consumer: 'the EventBridge Scheduler schedules of the jobs',
      alarmDescription: 'Scheduled job runs EventBridge Scheduler could not deliver: a daily job did not run.',
    });
    const group = new ScheduleGroup(this, 'JobSchedules', { removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, 'JobSchedulerRole', {
      description: 'EventBridge Scheduler: invokes the scheduled jobs',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': group.scheduleGroupArn } },
      }),
    });

    const schedules = {} as Record<JobName, Schedule>;
    for (const [job, { fn, cron }] of Object.entries(JOBS) as [JobName, (typeof JOBS)[JobName]][]) {
      schedules[job] = new Schedule(this, `${pascal(job)}JobSchedule`, {
        scheduleGroup: group,
        description: `Runs the ${job} job (${FUNCTIONS[fn].entry})`,
        schedule: ScheduleExpression.expression(cron, TimeZone.ETC_UTC),
        timeWindow: TimeWindow.off(),
        target: new InvokeUnqualified(functions[fn].fn, {
          role,
          input: ScheduleTargetInput.fromObject({ time: ContextAttribute.scheduledTime }),
          retryAttempts: JOB_RETRY.maximumRetryAttempts,
          maxEventAge: JOB_RETRY.maximumEventAge,
          deadLetterQueue: deadLetters,
        }),
      });
      // The schedule names its group by a literal (generated) name, not a reference, so
      // CloudFormation would not otherwise know to create the group first.
      schedules[job].node.addDependency(group);
    }
    return { schedules, role, deadLetters };
  }

  /**
   * Jobs that finish (docs/operations.md "Scheduled jobs"; functions/jobs/continuation.ts, daily.ts).
   * Scheduler invokes a job asynchronously, so Lambda's asynchronous invocation config applies: a run
   * that throws is retried twice, then the event goes to the on-failure destination, a queue with an
   * alarm. A run that stops before its time limit invokes itself (InvocationType Event) to continue:
   * each job function may invoke itself and nothing else, granted in a policy of its own (the role's
   * default policy would make the function depend on its own ARN). Alarms on the jobs' own metrics:
   * `JobRunUnfinished` (a run stopped and could not be continued) and, for the daily jobs,
   * `JobDaysBehind` > 1 (a day was missed; the run catches it up). Alarm actions come from the
   * monitoring's Aspect.
   */
  private jobsThatFinish(functions: Record<FunctionName, AppFunction>, config: AppConfig): Queue {
    const failedRuns = this.deadLetterQueue('JobsFailedRunsQueue', 'JobsFailedRunsAlarm', {
      consumer: "the job functions' asynchronous invocations (on-failure destination)",
      alarmDescription: 'Job runs that still failed after Lambda retried them twice: a job did not finish (docs/operations.md "A job that did not finish").',
    });
    const jobMetric = (metricName: string, job: string, statistic: string) =>
      new Metric({
        namespace: config.metricsNamespace,
        metricName,
        dimensionsMap: { service: config.serviceName, job },
        statistic,
        period: Duration.minutes(5),
      });
    for (const [job, { fn: name, daily }] of Object.entries(JOBS) as [JobName, (typeof JOBS)[JobName]][]) {
      const { fn, role } = functions[name];
      fn.configureAsyncInvoke({ retryAttempts: JOB_ASYNC.retryAttempts, maxEventAge: JOB_ASYNC.maxEventAge, onFailure: new SqsDestination(failedRuns) });
      new Policy(this, `${pascal(job)}JobContinuation`, {
        roles: [role],
        statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] })],
      });
      new Alarm(this, `${pascal(job)}JobRunUnfinishedAlarm`, {
        alarmDescription: `A ${job} run stopped before it was done and its continuation could not be started (docs/operations.md "A job that did not finish").`,
        metric: jobMetric('JobRunUnfinished', job, Stats.SUM),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (daily) {
        new Alarm(this, `${pascal(job)}JobDaysBehindAlarm`, {
          alarmDescription: `The ${job} job found a day not done before its run's day: a daily run was missed or did not finish; the run catches it up (docs/operations.md "A job that did not finish").`,
          metric: jobMetric('JobDaysBehind', job, Stats.MAXIMUM),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
      }
    }
    return failedRuns;
  }

  /**
   * A dead-letter queue: SQS-managed encryption, TLS only, kept 14 days, with an alarm as soon as
   * anything lands in it.
   */
  private deadLetterQueue(id: string, alarmId: string, props: { consumer: string; alarmDescription: string }): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(queue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself the dead-letter destination of ${props.consumer}; its messages are inspected and redriven by an operator (see the alarm), not consumed again.`,
      },
    ]);
    new Alarm(this, alarmId, {
      alarmDescription: props.alarmDescription,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    return queue;
  }

  private httpApi(functions: Record<FunctionName, AppFunction>, config: AppConfig, corsOrigin: string): HttpApi {
    const api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-http`,
      description: 'Cloud license portal API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [corsOrigin],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-correlation-id'],
        // With CORS configured, API Gateway answers these itself (a function's own CORS headers are dropped).
        exposeHeaders: ['etag', 'retry-after', 'x-correlation-id'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: config.logRetention });
    new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    // Deliberately no identity source and no caching. With an identity source, API Gateway answers
    // a request without an Authorization header itself, with a 401 body that is not the docs/product.md#api-conventions
    // error format; without one, the authorizer always runs and hands the handler
    // {authenticated: false}, and the handler answers in the the API error format. A TTL of 0 also keeps
    // within docs/product.md#quality-bars (a deactivated user's tokens stop working within 60 s; cache ≤ 60 s).
    const authorizer = new HttpLambdaAuthorizer('TokenAuthorizer', functions.authorizer.fn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [],
      resultsCacheTtl: Duration.seconds(0),
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (name: FunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, functions[name].fn, {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    for (const route of ROUTES) {
      const [httpRoute] = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.fn),
        authorizer: route.auth ? authorizer : undefined,
      });
      if (!httpRoute) throw new Error(`no route made for ${route.method} ${route.path}`);
      acknowledge(
        httpRoute,
        route.auth
          ? [
              {
                id: 'AwsSolutions-COG4',
                reason:
                  'Portal users are not Cognito users: docs/product.md#portal-users tokens are the portal\'s own JWTs, checked by the Lambda authorizer, which also enforces revocation within 60 s.',
              },
            ]
          : [
              {
                id: 'AwsSolutions-APIG4',
                reason: `${route.method} ${route.path} is public by docs/product.md#api-conventions (login, refresh, activation and health carry no token).`,
              },
              {
                id: 'AwsSolutions-COG4',
                reason: `${route.method} ${route.path} is public by docs/product.md#api-conventions, so it has no authorizer of any kind.`,
              },
            ],
      );
    }
    return api;
  }
}

/**
 * A resource ARN as cdk-nag spells it in a finding id: the literal parts as they are, references
 * as `<AWS::Region>` or `<LogicalId>`.
 */
function nagResourceName(stack: Stack, arn: string): string {
  const resolved: unknown = stack.resolve(arn);
  if (typeof resolved === 'string') return resolved;
  const parts = (resolved as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1];
  if (!parts) throw new Error(`cannot name ${JSON.stringify(resolved)} for cdk-nag`);
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: unknown }).Ref;
      if (typeof ref === 'string') return `<${ref}>`;
      throw new Error(`cannot name ${JSON.stringify(part)} for cdk-nag`);
    })
    .join('');
}

/**
 * The Lambda target of a schedule, granted `lambda:InvokeFunction` on the function's unqualified
 * ARN, the one the schedule calls. `LambdaInvoke` itself uses `grantInvoke`, which adds every
 * version and alias (`<arn>:*`).
 */
class InvokeUnqualified extends LambdaInvoke {
  private readonly invoked: IFunction;

  constructor(fn: IFunction, props: ScheduleTargetBaseProps) {
    super(fn, props);
    this.invoked = fn;
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.invoked.functionArn] }));
  }
}

/** `workflowGate` → `WorkflowGate`: construct ids that read like the registry. */
function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

type Pattern = { readonly [key: string]: Pattern | readonly (string | number)[] };

/** An EventBridge-style pattern (leaves are lists of accepted values) as Lambda filter rules. */
function toFilterPattern(pattern: Pattern): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(pattern).map(([key, value]) => [
      key,
      isValueList(value) ? value.map((v) => FilterRule.isEqual(v)).flat() : toFilterPattern(value),
    ]),
  );
}

function isValueList(value: Pattern | readonly (string | number)[]): value is readonly (string | number)[] {
  return Array.isArray(value);
}

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * Table access for a function, narrower than `grantReadData` / `grantReadWriteData`: no Scan
 * (docs/product.md#how-it-is-built-fixed-choices: every request path is a GetItem, Query or transaction), no stream reads, and each
 * index by name instead of `<table>/index/*`. Transactions need nothing more: DynamoDB
 * authorizes each item of a TransactWriteItems / TransactGetItems as its own Put, Update,
 * Delete, ConditionCheck or Get.
 */
function tableAccess(table: ITable, access: 'read' | 'readWrite'): PolicyStatement {
  return new PolicyStatement({
    actions: access === 'read' ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE],
    resources: [table.tableArn, ...TABLE.globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`)],
  });
}

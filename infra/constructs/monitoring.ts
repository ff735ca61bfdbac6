import { CfnOutput, Duration, Stack, type IAspect } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmBase,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
  type IAlarm,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';

/** Where the runbook for every alarm lives; each alarm's description points there. */
const RUNBOOK = 'docs/operations.md "Alarms and what to watch"';
const PERIOD = Duration.minutes(5);

/**
 * The thresholds, in one place (docs/operations.md "Alarms and what to watch" explains each).
 * Periods are 5 minutes throughout.
 */
export const THRESHOLDS = {
  /** Share of API requests answered 5xx, percent, in 2 of 3 periods, counted when ≥ 20 requests. */
  api5xxPercent: 5,
  api5xxMinRequests: 20,
  /** API p99 latency, ms, in 3 consecutive periods (functions time out at 10-30 s; quick routes answer in < 300 ms). */
  apiP99LatencyMs: 3000,
  /** Lambda errors (unhandled: a bug or an outage; 4xx answers are no errors) and throttles per period. */
  lambdaErrors: 1,
  lambdaThrottles: 1,
  /** Outbox age: the oldest stream record the notifier / webhook dispatcher has not got to, ms, in 3 periods. */
  iteratorAgeMs: 15 * 60 * 1000,
  /** How long the oldest due webhook delivery has waited since it fell due, seconds, in 3 periods. */
  oldestPendingWebhookAgeSeconds: 30 * 60,
  /** DynamoDB read + write throttle events of the table or one index, per period, in 2 consecutive periods. */
  dynamoThrottleEvents: 5,
} as const;

/**
 * An SNS topic for alarms, encrypted with its own customer-managed KMS key (CloudWatch cannot
 * publish to a topic under the AWS-managed aws/sns key: the key policy must let
 * cloudwatch.amazonaws.com use it), TLS-only publishing, and the environment's alarm email
 * subscribed.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: { readonly alarmEmail?: string }) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `Encrypts the alarm topic of ${Stack.of(this).stackName}`,
      enableKeyRotation: true,
    });
    this.key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Resource', {
      displayName: `${Stack.of(this).stackName} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
  }
}

/**
 * Makes every alarm of the app page: each CloudWatch alarm (of any stack, made by any code) gets
 * the alarm topic of its stack as alarm action and as OK action, so nobody wires actions by hand.
 * An alarm action must be a topic of the alarm's own region, and the Data stack cannot use a
 * topic of the App stack (the App stack depends on it), so a stack with alarms but without a
 * topic gets its own `AlarmTopic` (same encryption, same subscriber).
 */
export class AlarmActions implements IAspect {
  private readonly topics = new Map<Stack, Topic>();
  private readonly wired = new WeakSet<AlarmBase>();

  constructor(
    home: { readonly stack: Stack; readonly topic: Topic },
    private readonly alarmEmail: string | undefined,
  ) {
    this.topics.set(home.stack, home.topic);
  }

  visit(node: IConstruct): void {
    if (!(node instanceof AlarmBase) || this.wired.has(node)) return;
    this.wired.add(node);
    const action = new SnsAction(this.topicOf(Stack.of(node)));
    node.addAlarmAction(action);
    node.addOkAction(action);
  }

  private topicOf(stack: Stack): Topic {
    let topic = this.topics.get(stack);
    if (!topic) {
      topic = new AlarmTopic(stack, 'AlarmTopic', { alarmEmail: this.alarmEmail }).topic;
      this.topics.set(stack, topic);
    }
    return topic;
  }
}

export interface MonitoringProps {
  readonly alarmEmail?: string;
  /** The HTTP API's id; its one stage is `$default`. */
  readonly apiId: string;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly workflow: IStateMachine;
  /** Stream consumers of the outbox: emails (notifier) and webhooks (webhook dispatcher). */
  readonly notifier: IFunction;
  readonly webhookDispatcher: IFunction;
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly table: ITable;
  readonly indexNames: readonly string[];
  /** Custom metrics (Powertools Metrics: namespace + the `service` dimension). */
  readonly metricsNamespace: string;
  readonly serviceName: string;
  /** The scheduled jobs, for their `JobDaysBehind` / `JobRunUnfinished` metrics on the dashboard. */
  readonly jobs: readonly string[];
}

/**
 * The operations view of the App stack: the alarm topic, the alarms of SPEC's operational bar
 * (API 5xx rate and p99 latency, every function's errors and throttles, failed and timed-out
 * workflow executions, outbox age, DynamoDB throttles; the dead-letter queues' alarms are the
 * stack's own and get their action from `AlarmActions`), and one dashboard with all of it.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: AlarmTopic;
  readonly dashboard: Dashboard;
  /** The alarms made here, by a stable name (tests and docs refer to them). */
  readonly alarms: Record<string, Alarm> = {};

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { alarmEmail: props.alarmEmail });
    const custom = (metricName: string, dimensions: Record<string, string>, statistic: string = Stats.MAXIMUM): Metric =>
      new Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { service: props.serviceName, ...dimensions },
        statistic,
        period: PERIOD,
      });

    // API: the $default stage of the HTTP API.
    const api = (metricName: string, statistic: string): Metric =>
      new Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: props.apiId, Stage: '$default' }, statistic, period: PERIOD });
    const requests = api('Count', Stats.SUM);
    const serverErrors = api('5xx', Stats.SUM);
    const latencyP99 = api('Latency', Stats.p(99));
    const errorRate = new MathExpression({
      label: 'API 5xx rate (%)',
      expression: `IF(requests >= ${THRESHOLDS.api5xxMinRequests}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      period: PERIOD,
    });
    this.alarm('Api5xxRate', errorRate, {
      threshold: THRESHOLDS.api5xxPercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: `More than ${THRESHOLDS.api5xxPercent}% of API requests answered 5xx (with at least ${THRESHOLDS.api5xxMinRequests} requests in 5 minutes).`,
    });
    this.alarm('ApiLatencyP99', latencyP99, {
      threshold: THRESHOLDS.apiP99LatencyMs,
      evaluationPeriods: 3,
      description: `API p99 latency above ${THRESHOLDS.apiP99LatencyMs} ms for 15 minutes.`,
    });

    // Every function: errors and throttles.
    const errorMetrics: IMetric[] = [];
    const throttleMetrics: IMetric[] = [];
    for (const [name, fn] of Object.entries(props.functions)) {
      // Labels on the graphs only: a labelled metric makes the alarm a metric-math one.
      const errors = fn.metricErrors({ period: PERIOD, statistic: Stats.SUM });
      const throttles = fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM });
      errorMetrics.push(errors.with({ label: name }));
      throttleMetrics.push(throttles.with({ label: name }));
      this.alarm(`${pascal(name)}Errors`, errors, {
        threshold: THRESHOLDS.lambdaErrors,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `Function ${name} failed (an unhandled error: a bug, a timeout or an outage of what it calls).`,
      });
      this.alarm(`${pascal(name)}Throttles`, throttles, {
        threshold: THRESHOLDS.lambdaThrottles,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `Function ${name} was throttled (the account's or its reserved concurrency is used up).`,
      });
    }

    // The order workflow. Aborted executions are on the dashboard only: stopping an execution is
    // something the application does on purpose (docs/product.md).
    const workflowFailed = props.workflow.metricFailed({ period: PERIOD, statistic: Stats.SUM });
    const workflowTimedOut = props.workflow.metricTimedOut({ period: PERIOD, statistic: Stats.SUM });
    this.alarm('WorkflowExecutionsFailed', workflowFailed, {
      threshold: 1,
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: 'An order workflow execution failed: an order is stuck or failed without its failure path.',
    });
    this.alarm('WorkflowExecutionsTimedOut', workflowTimedOut, {
      threshold: 1,
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: 'An order workflow execution timed out: an order is stuck.',
    });

    // Outbox age: how far behind the stream consumers are, and the webhook retries.
    const notifierAge = props.notifier.metric('IteratorAge', { period: PERIOD, statistic: Stats.MAXIMUM });
    const dispatcherAge = props.webhookDispatcher.metric('IteratorAge', { period: PERIOD, statistic: Stats.MAXIMUM });
    const oldestWebhook = custom('OldestPendingWebhookAgeSeconds', {});
    this.alarm('EmailOutboxAge', notifierAge, {
      threshold: THRESHOLDS.iteratorAgeMs,
      evaluationPeriods: 3,
      description: 'The notifier is more than 15 minutes behind the outbox: emails are late (SES throttling or outage, or a failing batch being retried).',
    });
    this.alarm('WebhookOutboxAge', dispatcherAge, {
      threshold: THRESHOLDS.iteratorAgeMs,
      evaluationPeriods: 3,
      description: 'The webhook dispatcher is more than 15 minutes behind the event feed: webhooks are late.',
    });
    this.alarm('WebhookRetriesAge', oldestWebhook, {
      threshold: THRESHOLDS.oldestPendingWebhookAgeSeconds,
      evaluationPeriods: 3,
      description:
        'A due webhook delivery has waited more than 30 minutes past its time, or the webhookRetries job (every minute) reported nothing for 15 minutes: it is not keeping up or not running.',
      missing: TreatMissingData.BREACHING,
    });

    // DynamoDB throttles, the table and each index on its own (an index throttles writes too).
    const throttleExpressions: IMetric[] = [];
    for (const [i, index] of [undefined, ...props.indexNames].entries()) {
      const dimensionsMap = { TableName: props.table.tableName, ...(index ? { GlobalSecondaryIndexName: index } : {}) };
      const events = (metricName: string) => new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap, statistic: Stats.SUM, period: PERIOD });
      const throttled = new MathExpression({
        label: index ?? 'table',
        // Ids unique across the graph that shows them all together.
        expression: `FILL(r${i}, 0) + FILL(w${i}, 0)`,
        usingMetrics: { [`r${i}`]: events('ReadThrottleEvents'), [`w${i}`]: events('WriteThrottleEvents') },
        period: PERIOD,
      });
      throttleExpressions.push(throttled);
      this.alarm(index ? `TableThrottles${pascal(index)}` : 'TableThrottles', throttled, {
        threshold: THRESHOLDS.dynamoThrottleEvents,
        evaluationPeriods: 2,
        description: `DynamoDB throttled ${index ? `index ${index}` : 'the table'}: a hot partition or an account limit (on-demand capacity).`,
      });
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.hours(6),
    });
    const graph = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}): GraphWidget =>
      new GraphWidget({ title, left, width: 12, height: 6, ...extra });
    const widgets: IWidget[][] = [
      [new TextWidget({ markdown: `# ${Stack.of(this).stackName}\nEvery alarm pages the alarm topic; what each one means and what to do: ${RUNBOOK}.`, width: 24, height: 2 })],
      [
        graph('API requests and 5xx', [requests, serverErrors, api('4xx', Stats.SUM)], { right: [errorRate] }),
        graph('API latency', [latencyP99, api('Latency', Stats.p(50))]),
      ],
      [
        graph('Order workflow executions', [
          props.workflow.metricStarted({ period: PERIOD, statistic: Stats.SUM }),
          props.workflow.metricSucceeded({ period: PERIOD, statistic: Stats.SUM }),
          workflowFailed,
          workflowTimedOut,
          props.workflow.metricAborted({ period: PERIOD, statistic: Stats.SUM }),
        ]),
        // countEvent adds a `type` dimension: SEARCH sums every type of each.
        graph(
          'Orders',
          ['OrderPlaced', 'OrderCompleted', 'OrderFailed'].map(
            (name) =>
              new MathExpression({
                label: name,
                expression: `SUM(SEARCH('{${props.metricsNamespace},service,type} MetricName="${name}"', 'Sum', 300))`,
                usingMetrics: {},
                period: PERIOD,
              }),
          ),
        ),
      ],
      [
        graph('Outbox age: stream iterator age (ms)', [notifierAge.with({ label: 'emails (notifier)' }), dispatcherAge.with({ label: 'webhooks (dispatcher)' })]),
        graph('Webhook deliveries: oldest due, waiting (s)', [oldestWebhook]),
      ],
      [
        graph(
          'Dead-letter queues: messages visible',
          Object.entries(props.deadLetterQueues).map(([name, queue]) =>
            queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: Stats.MAXIMUM, label: name }),
          ),
        ),
        graph('DynamoDB throttle events (read + write)', throttleExpressions),
      ],
      [
        graph('Jobs: days behind', props.jobs.map((job) => custom('JobDaysBehind', { job }))),
        graph('Jobs: runs that did not finish', props.jobs.map((job) => custom('JobRunUnfinished', { job }, Stats.SUM))),
      ],
      [graph('Lambda errors', errorMetrics, { width: 24 })],
      [graph('Lambda throttles', throttleMetrics, { width: 24 })],
    ];
    for (const row of widgets) this.dashboard.addWidgets(...row);

    new CfnOutput(Stack.of(this), 'AlarmTopicArn', { value: this.alarmTopic.topic.topicArn });
    new CfnOutput(Stack.of(this), 'DashboardName', { value: this.dashboard.dashboardName });
  }

  /**
   * Adds an alarm-status overview of the given alarms (every alarm of the stack, when the stack is
   * complete), at most 100 to a widget as CloudWatch allows.
   */
  addAlarmStatus(alarms: readonly IAlarm[]): void {
    const sorted = [...alarms];
    for (let i = 0; i < sorted.length; i += 100) {
      this.dashboard.addWidgets(
        new AlarmStatusWidget({ title: i === 0 ? 'Alarms' : 'Alarms (continued)', alarms: sorted.slice(i, i + 100), width: 24, height: 6 }),
      );
    }
  }

  private alarm(
    id: string,
    metric: IMetric,
    props: {
      threshold: number;
      description: string;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      comparison?: ComparisonOperator;
      missing?: TreatMissingData;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: props.threshold,
      comparisonOperator: props.comparison ?? ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      datapointsToAlarm: props.datapointsToAlarm,
      treatMissingData: props.missing ?? TreatMissingData.NOT_BREACHING,
      alarmDescription: `${props.description} Runbook: ${RUNBOOK}.`,
    });
    this.alarms[id] = alarm;
    return alarm;
  }
}

/** All CloudWatch alarms of a construct tree (the dashboard's status overview). */
export function alarmsIn(scope: IConstruct): AlarmBase[] {
  return scope.node.findAll().filter((node): node is AlarmBase => node instanceof AlarmBase);
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

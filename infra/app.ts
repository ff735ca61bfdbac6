import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, AspectPriority, Aspects, Stack, Tags, Validations, type Environment } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TABLE } from '../functions/data/table.ts';
import { JOBS } from '../functions/registry.ts';
import { AlarmActions, Monitoring, alarmsIn } from './constructs/monitoring.ts';
import { applyEnvironment, type SelectedEnvironment } from './environments.ts';
import { AppStack, type AppConfig } from './stacks/app-stack.ts';
import { ConsoleStack, type ConsoleConfig } from './stacks/console-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { EDGE_REGION, EdgeStack } from './stacks/edge-stack.ts';

export interface BuildAppOptions {
  /** Context on top of cdk.json's (what `-c key=value` would give). */
  readonly context?: Record<string, unknown>;
  /** Account and region; the selected environment's (cdk.json `environments`) when not given. */
  readonly env?: Environment;
  /** Account and region when neither `env` nor the environment names a real account (the CLI's). */
  readonly defaultEnv?: Environment;
  /** Where the cloud assembly goes; a temporary directory when not given. */
  readonly outdir?: string;
}

export interface BuiltApp {
  readonly app: App;
  readonly data: DataStack;
  readonly application: AppStack;
  readonly console: ConsoleStack;
  readonly edge: EdgeStack;
}

/**
 * The CDK app, without synthesizing it: the tests build the very same app. cdk.json's context is
 * read here too, so a test sees the configuration `cdk synth` sees.
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({ outdir: options.outdir, context: { ...cdkJson.context, ...options.context } });
  // The environment (-c env=dev|prod) first: its values become context the readers below see, and
  // its account and region are every stack's unless the caller names one.
  const environment = applyEnvironment(app, cdkJson.context);
  options = { ...options, env: options.env ?? environment.env ?? options.defaultEnv };
  const consoleConfig = readConsoleConfig(app);
  const config = readConfig(app, consoleConfig);
  const prefix = contextString(app, 'stackPrefix');

  const data = new DataStack(app, `${prefix}Data`, {
    env: options.env,
    description: 'Cloud license portal: the DynamoDB table',
  });
  const application = new AppStack(app, `${prefix}App`, {
    env: options.env,
    description: 'Cloud license portal: functions, order workflow, HTTP API, outbox notifier, scheduled jobs',
    table: data.table,
    config,
  });

  // The CloudFront web ACL must be created in us-east-1 (docs/operations.md#edge): its own stack
  // there, whose ARN the console stack reads across regions when the app lives elsewhere.
  const edge = new EdgeStack(app, `${prefix}Edge`, {
    env: edgeEnvironment(options.env),
    description: 'Cloud license portal: the CloudFront WAF web ACL (managed rules, per-client rate limits), in us-east-1',
    logRetention: config.logRetention,
  });

  const consoleStack = new ConsoleStack(app, `${prefix}Console`, {
    env: options.env,
    crossRegionReferences: options.env?.region !== undefined && options.env.region !== EDGE_REGION,
    description: 'Cloud license portal: the console (S3 + CloudFront), with /v1 routed to the HTTP API',
    api: application.api,
    config: consoleConfig,
    webAclArn: edge.webAcl.attrArn,
    originVerifyHeader: application.originVerify.headerValue,
  });

  operations(app, application, data, environment);

  // cdk-nag v3 is a validation plugin (no longer an Aspect): it runs when the app is synthesized
  // and fails the synthesis on any finding that is not acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, data, application, console: consoleStack, edge };
}

/**
 * The Edge stack's environment: the app's account in us-east-1. Without a region (an
 * environment-agnostic synth) every stack deploys to the CLI's region, and the Edge stack's own
 * rule refuses any but us-east-1.
 */
function edgeEnvironment(env: Environment | undefined): Environment | undefined {
  return env?.region === undefined ? env : { account: env.account, region: EDGE_REGION };
}

/**
 * What operating the app needs (docs/operations.md "Alarms and what to watch"): the alarms and the
 * dashboard of the App stack, every alarm of every stack wired to an alarm topic (an Aspect, so
 * alarms made anywhere page without wiring), and the environment's tags on every resource and
 * every stack (stack tags reach resources CloudFormation tags on its own, too).
 */
function operations(app: App, application: AppStack, data: DataStack, environment: SelectedEnvironment): Monitoring {
  const monitoring = new Monitoring(application, 'Monitoring', {
    alarmEmail: environment.alarmEmail,
    apiId: application.api.apiId,
    functions: Object.fromEntries(Object.entries(application.functions).map(([name, fn]) => [name, fn.fn])),
    workflow: application.workflow.stateMachine,
    notifier: application.functions.notifier.fn,
    webhookDispatcher: application.functions.webhookDispatcher.fn,
    deadLetterQueues: {
      notifier: application.notifierDeadLetterQueue,
      webhookDispatcher: application.webhookDispatcherDeadLetterQueue,
      jobs: application.jobsDeadLetterQueue,
      jobsFailedRuns: application.jobsFailedRunsQueue,
    },
    table: data.table,
    indexNames: TABLE.globalIndexes.map((index) => index.name),
    metricsNamespace: contextString(app, 'metricsNamespace'),
    serviceName: contextString(app, 'serviceName'),
    jobs: Object.keys(JOBS),
  });
  monitoring.addAlarmStatus(alarmsIn(application));
  Aspects.of(app).add(new AlarmActions({ stack: application, topic: monitoring.alarmTopic.topic }, environment.alarmEmail), {
    priority: AspectPriority.MUTATING,
  });
  for (const [key, value] of Object.entries(environment.tags)) {
    Tags.of(app).add(key, value);
    for (const stack of app.node.children.filter(Stack.isStack)) stack.tags.setTag(key, value);
  }
  return monitoring;
}

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The console's hosting: `consoleDir` (the build to deploy, relative to the repository root;
 * `console/dist` by default), and an optional custom domain (`consoleDomainName` with
 * `consoleCertificateArn`, an ACM certificate in us-east-1).
 */
export function readConsoleConfig(app: App): ConsoleConfig {
  const optional = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
    return value;
  };
  const domainName = optional('consoleDomainName');
  if (domainName !== undefined && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(domainName)) {
    throw new Error(`context consoleDomainName: "${domainName}" is not a host name`);
  }
  return {
    assetDir: path.resolve(REPO_ROOT, optional('consoleDir') ?? 'console/dist'),
    domainName,
    certificateArn: optional('consoleCertificateArn'),
    logRetentionDays: Number(app.node.tryGetContext('logRetentionDays')),
  };
}

export function readConfig(app: App, consoleConfig: ConsoleConfig): AppConfig {
  const retentionDays = Number(app.node.tryGetContext('logRetentionDays'));
  if (!Object.values(RetentionDays).includes(retentionDays)) {
    throw new Error(`context logRetentionDays: ${retentionDays} is not a CloudWatch Logs retention period`);
  }
  const throttle = app.node.tryGetContext('apiThrottle') as { rateLimit?: unknown; burstLimit?: unknown } | undefined;
  const rateLimit = Number(throttle?.rateLimit);
  const burstLimit = Number(throttle?.burstLimit);
  if (!(rateLimit > 0 && burstLimit > 0)) throw new Error('context apiThrottle needs a positive rateLimit and burstLimit');
  const emailFrom = contextString(app, 'emailFrom');
  return {
    // With a custom domain the console's address is known before deployment: emails link there.
    // Without one, CloudFront names the distribution at creation (the ConsoleUrl output), too late
    // for the functions' environment (the distribution depends on the API): set portalUrl to it.
    portalUrl: consoleConfig.domainName
      ? `https://${consoleConfig.domainName}`
      : new URL(contextString(app, 'portalUrl')).toString().replace(/\/$/, ''),
    emailFrom,
    // The sender's domain unless a narrower identity (the address itself) is verified in SES.
    emailFromIdentity: (app.node.tryGetContext('emailFromIdentity') as string | undefined) || emailFrom.split('@')[1] || emailFrom,
    serviceName: contextString(app, 'serviceName'),
    metricsNamespace: contextString(app, 'metricsNamespace'),
    vendor: contextString(app, 'vendor'),
    logRetention: retentionDays as RetentionDays,
    throttle: { rateLimit, burstLimit },
  };
}

function contextString(app: App, key: string): string {
  const value: unknown = app.node.tryGetContext(key);
  if (typeof value !== 'string' || value === '') throw new Error(`context ${key} must be a non-empty string (see cdk.json)`);
  return value;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) {
  buildApp({
    defaultEnv:
      process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
        ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
        : undefined,
  }).app.synth();
}

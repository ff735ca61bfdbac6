import { readFileSync } from 'node:fs';
import { Duration, Stack, type App } from 'aws-cdk-lib';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { TABLE } from '../../functions/data/table.ts';
import { FUNCTIONS, type FunctionName } from '../../functions/registry.ts';
import type { BuiltApp } from '../../infra/app.ts';
import { THRESHOLDS, type Monitoring } from '../../infra/constructs/monitoring.ts';
import { applyEnvironment } from '../../infra/environments.ts';
import { restoredTable } from '../../infra/stacks/data-stack.ts';
import { logicalId, ofType, synthApp, SYNTH_TIMEOUT_MS, tempApp, type Json, type Resource, type Synthesized } from './synth.ts';

/**
 * Operations (docs/operations.md "Alarms and what to watch", "Deploy"): every alarm of every stack
 * pages the alarm topic, the alarms the operations bar asks for exist on the right metrics, one
 * dashboard shows all of it, every resource carries the environment's tags, and the environments
 * (dev by default, prod refused while it holds placeholders) synthesize cdk-nag clean.
 */

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Json };
const environments = cdkJson.context.environments as Record<string, Record<string, string>>;
const dev = environments.dev as Record<string, string>;
const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** Real-looking prod values, as an operator would fill cdk.json in (here given as -c overrides). */
const PROD_VALUES = {
  account: '210987654321',
  consoleDomainName: 'portal.licenses-prod.net',
  consoleCertificateArn: 'arn:aws:acm:us-east-1:210987654321:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
  emailFrom: 'no-reply@licenses-prod.net',
  emailFromIdentity: 'licenses-prod.net',
  alarmEmail: 'oncall@licenses-prod.net',
};

const synth = (context: Json, before?: (built: BuiltApp) => void): Synthesized => synthApp({ context, before });
const monitoringOf = (built: BuiltApp): Monitoring => built.application.node.findChild('Monitoring') as Monitoring;
/** Every stack of the app (Data, App, Console, and any other, such as the edge's). */
const stacksOf = (built: BuiltApp): Stack[] => built.app.node.children.filter(Stack.isStack);

/** A resource's tags as a map, whichever of CloudFormation's two shapes (list or map) it uses. */
function tagsOf(resource: Resource): Record<string, unknown> | undefined {
  const tags = resource.Properties?.Tags as unknown;
  if (tags === undefined) return undefined;
  if (Array.isArray(tags)) return Object.fromEntries((tags as { Key: string; Value: unknown }[]).map((t) => [t.Key, t.Value]));
  return tags as Record<string, unknown>;
}

let devApp: Synthesized;
let app: Record<string, Resource>;
let monitoring: Monitoring;
const alarm = (id: string): Resource => {
  const construct = monitoring.alarms[id];
  if (!construct) throw new Error(`no alarm ${id}`);
  return app[logicalId(devApp.built.application, construct)] as Resource;
};

beforeAll(() => {
  devApp = synth({});
  app = devApp.resources(devApp.built.application);
  monitoring = monitoringOf(devApp.built);
}, SYNTH_TIMEOUT_MS);

describe('the alarm topic', () => {
  it('is encrypted with its own rotating KMS key CloudWatch may use, TLS only, and mails the environment\'s alarm email', () => {
    const topicId = logicalId(devApp.built.application, monitoring.alarmTopic.topic);
    const keyId = logicalId(devApp.built.application, monitoring.alarmTopic.key);
    expect(app[topicId]?.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(app[keyId]?.Properties.EnableKeyRotation).toBe(true);
    const keyStatements = (app[keyId]?.Properties.KeyPolicy as { Statement: Json[] }).Statement;
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']),
      }),
    );
    const [, policy] = ofType(app, 'AWS::SNS::TopicPolicy').find(([, p]) => JSON.stringify(p.Properties.Topics).includes(topicId)) ?? [];
    expect((policy?.Properties.PolicyDocument as { Statement: Json[] }).Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const subscriptions = ofType(app, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subscriptions).toEqual([expect.objectContaining({ Protocol: 'email', Endpoint: dev.alarmEmail, TopicArn: { Ref: topicId } })]);
  });
});

describe('alarms', () => {
  it('every alarm of every stack has its stack\'s alarm topic as alarm action and OK action', () => {
    const topicId = logicalId(devApp.built.application, monitoring.alarmTopic.topic);
    const alarms = ofType(app, 'AWS::CloudWatch::Alarm');
    // The Monitoring construct's, the four dead-letter queues', and any other part's.
    expect(alarms.length).toBeGreaterThanOrEqual(Object.keys(monitoring.alarms).length + 4);
    for (const [id, resource] of alarms) {
      expect({ id, actions: resource.Properties.AlarmActions }).toEqual({ id, actions: [{ Ref: topicId }] });
      expect({ id, actions: resource.Properties.OKActions }).toEqual({ id, actions: [{ Ref: topicId }] });
    }
    for (const stack of stacksOf(devApp.built).filter((s) => s !== devApp.built.application)) {
      const resources = devApp.resources(stack);
      const topics = ofType(resources, 'AWS::SNS::Topic').map(([id]) => id);
      for (const [id, resource] of ofType(resources, 'AWS::CloudWatch::Alarm')) {
        expect(topics).toHaveLength(1);
        expect({ id, actions: resource.Properties.AlarmActions }).toEqual({ id, actions: [{ Ref: topics[0] }] });
      }
    }
  });

  it('an alarm made later in a stack without a topic (the Data stack) gets that stack\'s own encrypted topic (a topic of the App stack would be a cycle)', () => {
    const probe = synth({}, (built) => {
      new Alarm(built.data, 'ProbeAlarm', {
        metric: new Metric({ namespace: 'Probe', metricName: 'Probe', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
      });
    });
    const data = probe.resources(probe.built.data);
    const [[topicId, topic]] = ofType(data, 'AWS::SNS::Topic') as [[string, Resource]];
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    const [[, probeAlarm]] = ofType(data, 'AWS::CloudWatch::Alarm') as [[string, Resource]];
    expect(probeAlarm.Properties).toMatchObject({ AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }] });
    expect(ofType(data, 'AWS::SNS::Subscription').map(([, s]) => s.Properties.Endpoint)).toEqual([dev.alarmEmail]);
  }, SYNTH_TIMEOUT_MS);

  it('the API: 5xx rate of the $default stage (from 20 requests) and p99 latency', () => {
    const apiId = { Ref: logicalId(devApp.built.application, devApp.built.application.api) };
    const rate = alarm('Api5xxRate').Properties;
    expect(rate).toMatchObject({ Threshold: THRESHOLDS.api5xxPercent, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    const metrics = rate.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: Json; Stat: string } }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('IF(requests >= 20, 100 * errors / requests, 0)');
    expect(metrics.find((m) => m.Id === 'errors')?.MetricStat).toEqual({
      Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: expect.arrayContaining([{ Name: 'ApiId', Value: apiId }, { Name: 'Stage', Value: '$default' }]) },
      Period: 300,
      Stat: 'Sum',
    });
    expect(metrics.find((m) => m.Id === 'requests')?.MetricStat).toMatchObject({ Metric: { MetricName: 'Count' }, Stat: 'Sum' });
    expect(alarm('ApiLatencyP99').Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Dimensions: expect.arrayContaining([{ Name: 'ApiId', Value: apiId }, { Name: 'Stage', Value: '$default' }]),
      Threshold: THRESHOLDS.apiP99LatencyMs,
      EvaluationPeriods: 3,
    });
  });

  it('every function: an Errors alarm and a Throttles alarm, each at the first one in 5 minutes', () => {
    for (const name of FUNCTION_NAMES) {
      const fnRef = { Ref: logicalId(devApp.built.application, devApp.built.application.functions[name].fn) };
      const alarms = ofType(app, 'AWS::CloudWatch::Alarm')
        .map(([, a]) => a.Properties)
        .filter((a) => a.Namespace === 'AWS/Lambda' && JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: fnRef }]));
      for (const metricName of ['Errors', 'Throttles']) {
        expect({ name, alarm: alarms.find((a) => a.MetricName === metricName) }).toEqual({
          name,
          alarm: expect.objectContaining({ Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
        });
      }
    }
  });

  it('the order workflow: failed and timed-out executions (aborted ones are on the dashboard only)', () => {
    const machine = { Ref: logicalId(devApp.built.application, devApp.built.application.workflow.stateMachine) };
    for (const [id, metricName] of [
      ['WorkflowExecutionsFailed', 'ExecutionsFailed'],
      ['WorkflowExecutionsTimedOut', 'ExecutionsTimedOut'],
    ] as const) {
      expect(alarm(id).Properties).toMatchObject({
        Namespace: 'AWS/States',
        MetricName: metricName,
        Dimensions: [{ Name: 'StateMachineArn', Value: machine }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    const aborted = ofType(app, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.MetricName === 'ExecutionsAborted');
    expect(aborted).toEqual([]);
  });

  it('outbox age: the notifier\'s and the webhook dispatcher\'s iterator age, and the oldest due webhook delivery (missing = breaching)', () => {
    for (const [id, fn] of [
      ['EmailOutboxAge', 'notifier'],
      ['WebhookOutboxAge', 'webhookDispatcher'],
    ] as const) {
      expect(alarm(id).Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(devApp.built.application, devApp.built.application.functions[fn].fn) } }],
        Statistic: 'Maximum',
        Threshold: THRESHOLDS.iteratorAgeMs,
        EvaluationPeriods: 3,
      });
    }
    expect(alarm('WebhookRetriesAge').Properties).toMatchObject({
      Namespace: cdkJson.context.metricsNamespace,
      MetricName: 'OldestPendingWebhookAgeSeconds',
      Dimensions: [{ Name: 'service', Value: cdkJson.context.serviceName }],
      Threshold: THRESHOLDS.oldestPendingWebhookAgeSeconds,
      TreatMissingData: 'breaching',
    });
  });

  it('dead-letter queues: the queue-depth alarms (notifier, webhook dispatcher, jobs, jobs\' failed runs) page too, and are on the dashboard', () => {
    const application = devApp.built.application;
    const body = JSON.stringify(ofType(app, 'AWS::CloudWatch::Dashboard')[0]?.[1].Properties.DashboardBody);
    for (const queue of [application.notifierDeadLetterQueue, application.webhookDispatcherDeadLetterQueue, application.jobsDeadLetterQueue, application.jobsFailedRunsQueue]) {
      expect(body).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(application, queue), 'QueueName'] }));
      const queueName = { 'Fn::GetAtt': [logicalId(application, queue), 'QueueName'] };
      const depth = ofType(app, 'AWS::CloudWatch::Alarm').find(
        ([, a]) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Properties.Dimensions).includes(JSON.stringify(queueName)),
      );
      expect(depth?.[1].Properties.AlarmActions).toEqual([{ Ref: logicalId(application, monitoring.alarmTopic.topic) }]);
    }
  });

  it('DynamoDB: read + write throttle events of the table and of each global index', () => {
    for (const index of [undefined, ...TABLE.globalIndexes.map((i) => i.name)]) {
      const id = index ? `TableThrottles${index.charAt(0).toUpperCase()}${index.slice(1)}` : 'TableThrottles';
      const properties = alarm(id).Properties;
      expect(properties).toMatchObject({ Threshold: THRESHOLDS.dynamoThrottleEvents, EvaluationPeriods: 2 });
      const stats = (properties.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: unknown }[] } } }[])
        .flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
      expect(stats.map((m) => m.MetricName).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
      for (const metric of stats) {
        expect(metric.Dimensions.map((d) => d.Name).sort()).toEqual(index ? ['GlobalSecondaryIndexName', 'TableName'] : ['TableName']);
        if (index) expect(metric.Dimensions).toContainEqual({ Name: 'GlobalSecondaryIndexName', Value: index });
        // The table is the Data stack's: the App stack reads its name through the stacks' reference.
        expect(JSON.stringify(metric.Dimensions.find((d) => d.Name === 'TableName')?.Value)).toContain('Fn::ImportValue');
      }
    }
  });
});

describe('the dashboard', () => {
  it('is one dashboard with the graphs of every area and the status of every alarm of the App stack', () => {
    const dashboards = ofType(app, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.[1].Properties.DashboardBody);
    for (const title of [
      'API requests and 5xx',
      'API latency',
      'Order workflow executions',
      'Orders',
      'Outbox age',
      'Webhook deliveries',
      'Dead-letter queues',
      'DynamoDB throttle events',
      'Jobs: days behind',
      'Jobs: runs that did not finish',
      'Lambda errors',
      'Lambda throttles',
      'Alarms',
    ]) {
      expect(body).toContain(`\\"title\\":\\"${title}`);
    }
    for (const [id] of ofType(app, 'AWS::CloudWatch::Alarm')) expect({ id, listed: body.includes(`"Fn::GetAtt":["${id}","Arn"]`) }).toEqual({ id, listed: true });
  });
});

describe('tags', () => {
  it('every resource that takes tags, in every stack, and every stack, carries app, environment, owner and cost-center', () => {
    const expected = { app: cdkJson.context.serviceName, environment: 'dev', owner: dev.owner, 'cost-center': dev.costCenter };
    let tagged = 0;
    const taggedTypes = new Set<string>();
    for (const stack of stacksOf(devApp.built)) {
      expect(devApp.assembly.getStackArtifact(stack.artifactId).tags).toMatchObject(expected);
      for (const [id, resource] of Object.entries(devApp.resources(stack))) {
        const tags = tagsOf(resource);
        if (tags === undefined) continue;
        expect({ id, tags }).toEqual({ id, tags: expect.objectContaining(expected) });
        tagged += 1;
        taggedTypes.add(resource.Type);
      }
    }
    expect(tagged).toBeGreaterThan(100);
    for (const type of ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::StepFunctions::StateMachine', 'AWS::SNS::Topic', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::CloudFront::Distribution', 'AWS::S3::Bucket']) {
      expect(taggedTypes).toContain(type);
    }
  });
});

describe('the order workflow\'s execution logs', () => {
  it('log every transition without execution data (inputs and outputs carry personal data)', () => {
    const [[, machine]] = ofType(app, 'AWS::StepFunctions::StateMachine') as [[string, Resource]];
    expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });
});

describe('environments', () => {
  const appWith = (context: Json): App => tempApp({ context: { ...cdkJson.context, ...context } });

  it('dev is the default, its values reach the functions, and without an account it stays environment-agnostic', () => {
    const env = applyEnvironment(appWith({}), cdkJson.context);
    expect(env).toMatchObject({ name: 'dev', strict: false, env: undefined, alarmEmail: dev.alarmEmail });
    expect(devApp.built.application.account).toMatch(/^\$\{Token/);
    const [, notifier] = ofType(app, 'AWS::Lambda::Function').find(([id]) => id === logicalId(devApp.built.application, devApp.built.application.functions.notifier.fn)) ?? [];
    expect((notifier?.Properties.Environment as { Variables: Json }).Variables).toMatchObject({ EMAIL_FROM: dev.emailFrom, PORTAL_URL: dev.portalUrl });
  });

  it('prod as cdk.json ships it (placeholders) is refused loudly, naming every value to replace', () => {
    let message = '';
    try {
      applyEnvironment(appWith({ env: 'prod' }), cdkJson.context);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^environment prod cannot be deployed as configured/);
    for (const key of ['account', 'consoleDomainName', 'consoleCertificateArn', 'emailFrom', 'emailFromIdentity', 'alarmEmail']) {
      expect(message).toMatch(new RegExp(`- ${key} is a placeholder`));
    }
    expect(message).toMatch(/not a 12-digit account id/);
    expect(() => synth({ env: 'prod' })).toThrow(/environment prod cannot be deployed/);
  });

  it('dev is refused too when a deployment asks for real values (-c strictConfig=true, as the deploy workflow does)', () => {
    expect(() => applyEnvironment(appWith({ strictConfig: 'true' }), cdkJson.context)).toThrow(
      /environment dev cannot be deployed[\s\S]*account is not set[\s\S]*portalUrl is a placeholder[\s\S]*alarmEmail is a placeholder/,
    );
  });

  it('refuses an unknown environment, an unknown key in one, and a key cdk.json sets both at the top and in an environment', () => {
    expect(() => applyEnvironment(appWith({ env: 'staging' }), cdkJson.context)).toThrow(/no such environment \(cdk.json environments: dev, prod\)/);
    expect(() => applyEnvironment(appWith({ environments: { dev: { ...dev, alarmMail: 'x@y.z' } } }), cdkJson.context)).toThrow(/unknown keys alarmMail/);
    expect(() => applyEnvironment(appWith({}), { ...cdkJson.context, portalUrl: 'https://x.y' })).toThrow(/portalUrl both at the top level and in an environment/);
  });

  it('a -c value overrides the environment\'s', () => {
    const overridden = appWith({ portalUrl: 'https://d111111abcdef8.cloudfront.net' });
    applyEnvironment(overridden, cdkJson.context);
    expect(overridden.node.tryGetContext('portalUrl')).toBe('https://d111111abcdef8.cloudfront.net');
    expect(overridden.node.tryGetContext('emailFrom')).toBe(dev.emailFrom);
  });

  it('an environment may name a restored table, so the deploy workflow keeps the stacks on it', () => {
    const restored = {
      restoredTableName: 'LicensePortalData-Table-restored',
      restoredTableStreamArn: 'arn:aws:dynamodb:eu-central-1:210987654321:table/LicensePortalData-Table-restored/stream/2026-12-03T10:00:00.000',
    };
    const withRestore = appWith({ environments: { ...environments, dev: { ...dev, ...restored } } });
    applyEnvironment(withRestore, cdkJson.context);
    expect(restoredTable(withRestore)).toEqual({ tableName: restored.restoredTableName, tableStreamArn: restored.restoredTableStreamArn });
    const plain = appWith({});
    applyEnvironment(plain, cdkJson.context);
    expect(restoredTable(plain)).toBeUndefined();
  });

  it('prod with real values synthesizes cdk-nag clean into its account and region (the Edge stack in us-east-1), on its domain, tagged prod', () => {
    const prod = synth({ env: 'prod', ...PROD_VALUES });
    for (const stack of stacksOf(prod.built)) {
      // A CloudFront web ACL can only live in us-east-1: the edge's stack, if any, is there.
      const region = stack.stackName.endsWith('Edge') ? 'us-east-1' : environments.prod?.region;
      expect({ stack: stack.stackName, account: stack.account, region: stack.region }).toEqual({ stack: stack.stackName, account: PROD_VALUES.account, region });
    }
    expect(stacksOf(prod.built)).toEqual(expect.arrayContaining([prod.built.data, prod.built.application, prod.built.console]));
    const resources = prod.resources(prod.built.application);
    const [, fn] = ofType(resources, 'AWS::Lambda::Function')[0] as [string, Resource];
    expect((fn.Properties.Environment as { Variables: Json }).Variables).toMatchObject({
      PORTAL_URL: `https://${PROD_VALUES.consoleDomainName}`,
      EMAIL_FROM: PROD_VALUES.emailFrom,
    });
    expect(ofType(resources, 'AWS::SNS::Subscription').map(([, s]) => s.Properties.Endpoint)).toEqual([PROD_VALUES.alarmEmail]);
    expect(prod.assembly.getStackArtifact(prod.built.application.artifactId).tags).toMatchObject({ environment: 'prod', 'cost-center': environments.prod?.costCenter });
    expect(tagsOf(fn)).toMatchObject({ environment: 'prod' });
  }, SYNTH_TIMEOUT_MS);
});

describe('the deploy workflow', () => {
  const workflow = readFileSync(new URL('../../.github/workflows/deploy.yml', import.meta.url), 'utf8');
  /** The jobs block as job → its lines (two-space job keys under `jobs:`). */
  const jobs = new Map<string, string>();
  let current: string | undefined;
  for (const line of workflow.slice(workflow.indexOf('\njobs:\n')).split('\n').slice(2)) {
    const key = /^ {2}([a-z-]+):$/.exec(line);
    if (key?.[1]) {
      current = key[1];
      jobs.set(current, '');
    } else if (current) jobs.set(current, `${jobs.get(current)}${line}\n`);
  }
  const needs = (job: string): string | undefined => /^ {4}needs: ([a-z-]+)$/m.exec(jobs.get(job) ?? '')?.[1];

  it('runs test → synth → deploy dev → deploy prod, each waiting for the one before', () => {
    expect([...jobs.keys()]).toEqual(['test', 'synth', 'deploy-dev', 'deploy-prod']);
    expect(needs('test')).toBeUndefined();
    expect(needs('synth')).toBe('test');
    expect(needs('deploy-dev')).toBe('synth');
    expect(needs('deploy-prod')).toBe('deploy-dev');
    expect(jobs.get('test')).toContain('run: bash .ci/run');
    expect(jobs.get('synth')).toContain('cdk synth -c env=dev -c strictConfig=true');
    expect(jobs.get('synth')).toContain('cdk synth -c env=prod');
  });

  it('deploys by OIDC with each environment\'s role (no stored keys), prod behind the prod environment\'s approval', () => {
    expect(workflow).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i);
    for (const [job, env] of [
      ['deploy-dev', 'dev'],
      ['deploy-prod', 'prod'],
    ] as const) {
      const body = jobs.get(job) ?? '';
      expect(body).toMatch(new RegExp(`^ {4}environment: ${env}$`, 'm'));
      expect(body).toMatch(/id-token: write/);
      expect(body).toContain('uses: aws-actions/configure-aws-credentials@');
      expect(body).toContain('role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}');
      expect(body).toContain(`cdk deploy --all --app cdk.out/${env} --require-approval never`);
    }
    expect(jobs.get('synth')).not.toMatch(/id-token|configure-aws-credentials/);
  });
});

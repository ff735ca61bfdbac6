import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Validations, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { BuiltApp } from '../../infra/app.ts';
import { EVENT_STREAM_FILTER, OUTBOX_STREAM_FILTER, TABLE } from '../../functions/data/table.ts';
import { logicalId as idOf, synthApp, SYNTH_TIMEOUT_MS, type Json } from './synth.ts';
import { FUNCTIONS, JOBS, ROUTES, SIGNING_KEY_READERS, WORKFLOW_TASKS, type FunctionName, type FunctionSpec, type JobName } from '../../functions/registry.ts';

/**
 * The synthesized stacks against the registry and the table definition: what docs/product.md#how-it-is-built-fixed-choices asks of the
 * infrastructure, checked on the templates `cdk deploy` would use, plus zero unacknowledged
 * cdk-nag findings. The app (and the esbuild bundling of every function) is built once.
 */

interface Resource {
  Type: string;
  Properties: Json;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Json };
/** The environment the tests synthesize (`dev`, the default of `-c env`): its addresses and sender. */
const devEnv = (cdkJson.context.environments as Record<string, Json>).dev as Json;
const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
const spec = (name: FunctionName): FunctionSpec => FUNCTIONS[name];
const JOB_NAMES = Object.keys(JOBS) as JobName[];
const JOB_FUNCTIONS: FunctionName[] = JOB_NAMES.map((job) => JOBS[job].fn);

let built: BuiltApp;
let assemblyDir: string;
let data: Template;
let app: Template;
let appResources: Record<string, Resource>;

beforeAll(() => {
  // The one synthesis that bundles the functions: the bundle checks below read what esbuild built.
  const synth = synthApp({ bundle: true });
  built = synth.built;
  assemblyDir = synth.assembly.directory;
  data = synth.template(built.data);
  app = synth.template(built.application);
  appResources = (app.toJSON() as { Resources: Record<string, Resource> }).Resources;
}, SYNTH_TIMEOUT_MS);

const logicalId = (stack: Stack, construct: IConstruct): string => idOf(stack, construct);
const fnId = (name: FunctionName): string => logicalId(built.application, built.application.functions[name].fn);
const roleId = (name: FunctionName): string => logicalId(built.application, built.application.functions[name].role);
const getAtt = (id: string, attr = 'Arn') => ({ 'Fn::GetAtt': [id, attr] });

function ofType(type: string): [string, Resource][] {
  return Object.entries(appResources).filter(([, r]) => r.Type === type);
}
const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** The Allow statements of every IAM policy attached to a role (or of every policy). */
function statements(ofRole?: string): Statement[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => !ofRole || asList(p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: ofRole })))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => s.Effect === 'Allow');
}
const actionsOf = (ofRole: string): string[] => statements(ofRole).flatMap((s) => asList(s.Action));
const resourcesFor = (ofRole: string, action: string): unknown[] =>
  statements(ofRole)
    .filter((s) => asList(s.Action).includes(action))
    .flatMap((s) => asList(s.Resource));

describe('data stack', () => {
  it('keys the table on pk/sk strings, on demand, with its stream and TTL', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 1);
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.sortKey, AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: TABLE.streamView },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    });
  });

  it('has every global index of the table definition, projecting all attributes', () => {
    const table = Object.values(data.findResources('AWS::DynamoDB::Table'))[0] as Resource;
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(
      TABLE.globalIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('has the due index (gsi4) and the billing index (gsi5) the jobs query', () => {
    const table = Object.values(data.findResources('AWS::DynamoDB::Table'))[0] as Resource;
    const indexes = table.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[];
    for (const name of ['gsi4', 'gsi5']) {
      expect(indexes.find((i) => i.IndexName === name)?.KeySchema).toEqual([
        { AttributeName: `${name}pk`, KeyType: 'HASH' },
        { AttributeName: `${name}sk`, KeyType: 'RANGE' },
      ]);
    }
  });

  it('protects the data: point-in-time recovery, deletion protection, encryption, retained', () => {
    data.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('functions', () => {
  it('deploys one Lambda function per registry entry, no more', () => {
    app.resourceCountIs('AWS::Lambda::Function', FUNCTION_NAMES.length);
    for (const name of FUNCTION_NAMES) expect(appResources[fnId(name)]?.Properties.Description).toBe(spec(name).description);
  });

  it('runs every function on nodejs22.x, arm64, traced, logging JSON to its own log group with retention', () => {
    for (const name of FUNCTION_NAMES) {
      const fn = appResources[fnId(name)] as Resource;
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
      const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(appResources[logGroupRef]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: cdkJson.context.logRetentionDays },
      });
    }
  });

  it('configures every function from the context, and only the functions that use the table get its name', () => {
    for (const name of FUNCTION_NAMES) {
      const vars = ((appResources[fnId(name)] as Resource).Properties.Environment as { Variables: Json }).Variables;
      // Source maps ship beside the bundle but are not applied at run time (a cold-start cost).
      expect(vars.NODE_OPTIONS).toBeUndefined();
      expect(vars).toMatchObject({
        POWERTOOLS_SERVICE_NAME: cdkJson.context.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: cdkJson.context.metricsNamespace,
        EMAIL_FROM: devEnv.emailFrom,
        PORTAL_URL: devEnv.portalUrl,
      });
      expect('TABLE_NAME' in vars).toBe(spec(name).table !== 'none');
    }
  });

  it('bundles each function as minified ESM with the createRequire banner and a source map', () => {
    for (const name of FUNCTION_NAMES) {
      const code = (appResources[fnId(name)] as Resource).Properties.Code as { S3Key: string };
      const dir = path.join(assemblyDir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
      expect(existsSync(path.join(dir, 'index.mjs.map'))).toBe(true);
      // Minified: very long lines, not a readable file.
      expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1_000);
    }
  });
});

describe('least privilege', () => {
  it('grants no wildcard action to anyone', () => {
    for (const statement of statements()) {
      for (const action of asList(statement.Action)) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/:\*$/);
      }
    }
  });

  it('gives each function exactly the table access of its spec, never Scan, never a wildcard resource', () => {
    for (const name of FUNCTION_NAMES) {
      const table = spec(name).table;
      const actions = actionsOf(roleId(name));
      const dataActions = actions.filter((a) => a.startsWith('dynamodb:') && !/Stream/.test(a) && !['dynamodb:GetRecords', 'dynamodb:GetShardIterator'].includes(a));
      expect(dataActions).not.toContain('dynamodb:Scan');
      if (table === 'none') expect(dataActions).toEqual([]);
      if (table !== 'none') expect(dataActions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      if (table === 'read') expect(dataActions.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
      if (table === 'readWrite') expect(dataActions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
      if (table !== 'none') {
        const resources = JSON.stringify(resourcesFor(roleId(name), 'dynamodb:GetItem'));
        expect(resources).not.toContain('*');
        for (const index of TABLE.globalIndexes) expect(resources).toContain(`/index/${index.name}`);
      }
    }
  });

  it('lets only the functions that send email use SES, and only through the configured identity', () => {
    for (const name of FUNCTION_NAMES) {
      const ses = actionsOf(roleId(name)).filter((a) => a.startsWith('ses:'));
      if (!spec(name).sendsEmail) {
        expect(ses).toEqual([]);
        continue;
      }
      expect(ses.sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      const resources = resourcesFor(roleId(name), 'ses:SendEmail');
      expect(resources).toHaveLength(1);
      expect(JSON.stringify(resources[0])).toContain(`:identity/${devEnv.emailFromIdentity}`);
    }
  });

  it('grants Step Functions actions from each spec\'s workflow list, on this state machine only', () => {
    const stateMachine = { Ref: logicalId(built.application, built.application.workflow.stateMachine) };
    for (const name of FUNCTION_NAMES) {
      const wanted: readonly string[] = spec(name).workflow ?? [];
      const role = roleId(name);
      const states = actionsOf(role).filter((a) => a.startsWith('states:'));
      const expected = [
        ...(wanted.includes('start') ? ['states:StartExecution'] : []),
        ...(wanted.includes('callback') ? ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'] : []),
        ...(wanted.includes('stop') ? ['states:StopExecution'] : []),
        ...(wanted.includes('describe') ? ['states:DescribeExecution'] : []),
      ];
      expect(states.sort()).toEqual(expected.sort());
      const vars = ((appResources[fnId(name)] as Resource).Properties.Environment as { Variables: Json }).Variables;
      if (expected.length === 0) {
        expect(vars.STATE_MACHINE_ARN).toBeUndefined();
        continue;
      }
      expect(vars.STATE_MACHINE_ARN).toEqual(stateMachine);
      if (wanted.includes('start')) expect(resourcesFor(role, 'states:StartExecution')).toEqual([stateMachine]);
      if (wanted.includes('callback')) expect(resourcesFor(role, 'states:SendTaskSuccess')).toEqual([stateMachine]);
      for (const action of ['states:StopExecution', 'states:DescribeExecution'].filter((a) => expected.includes(a))) {
        const [arn] = resourcesFor(role, action);
        expect(JSON.stringify(arn)).toContain(`:execution:${built.application.stackName}-OrderFulfillment:*`);
      }
    }
  });
});

describe('order workflow', () => {
  const definitionFile = new URL('../../statemachines/order-fulfillment.asl.json', import.meta.url);

  it('is a Standard state machine logging ALL to a log group, traced', () => {
    app.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    app.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: {
        Level: 'ALL',
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } }],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('deploys the ASL file with every placeholder bound to its task function\'s ARN', () => {
    const [, machine] = ofType('AWS::StepFunctions::StateMachine')[0] as [string, Resource];
    const definition = machine.Properties.DefinitionString as string;
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(definition).toBe(readFileSync(definitionFile, 'utf8'));

    for (const task of Object.values(WORKFLOW_TASKS)) expect(substitutions[task.placeholder]).toEqual(getAtt(fnId(task.fn)));
    // What CloudFormation deploys: the definition with the substitutions applied (each function's
    // ARN stands here as `arn-of:<logical id>`).
    const arnOf = (value: unknown): string => `arn-of:${(value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]}`;
    const deployed = definition.replace(/\$\{(\w+)\}/g, (whole, p: string) => (p in substitutions ? arnOf(substitutions[p]) : whole));
    expect(deployed).not.toContain('${');
    const states = (JSON.parse(deployed) as { States: Record<string, { Parameters?: { FunctionName?: string } }> }).States;
    for (const [state, task] of Object.entries(WORKFLOW_TASKS)) {
      expect(states[state]?.Parameters?.FunctionName).toBe(`arn-of:${fnId(task.fn)}`);
    }
  });

  it('may invoke exactly the workflow task functions', () => {
    const roleRef = (Object.values(appResources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine') as Resource).Properties
      .RoleArn as { 'Fn::GetAtt': [string, string] };
    const invocable = resourcesFor(roleRef['Fn::GetAtt'][0], 'lambda:InvokeFunction');
    const tasks = [...new Set(Object.values(WORKFLOW_TASKS).map((t) => t.fn))];
    expect(invocable).toEqual(expect.arrayContaining(tasks.map((fn) => getAtt(fnId(fn)))));
    expect(invocable).toHaveLength(tasks.length);
  });

  it('never makes a workflow task function depend on the state machine (no cycle)', () => {
    const tasks = new Set<string>(Object.values(WORKFLOW_TASKS).map((t) => t.fn));
    for (const name of FUNCTION_NAMES) if (spec(name).workflow?.length) expect(tasks.has(name)).toBe(false);
  });
});

describe('HTTP API', () => {
  it('has one route per registry route, integrated with its function in payload format 2.0', () => {
    app.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    for (const route of ROUTES) {
      const deployed = routes.filter((r) => r.RouteKey === `${route.method} ${route.path}`);
      expect(deployed).toHaveLength(1);
      const target = (deployed[0]?.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      const integrationId = (target[1] as { Ref: string }).Ref;
      expect(appResources[integrationId]?.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: getAtt(fnId(route.fn)),
        PayloadFormatVersion: '2.0',
      });
    }
  });

  it('puts the one Lambda authorizer on exactly the routes with auth: true', () => {
    const [[authorizerId]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, Resource]];
    app.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    for (const route of ROUTES) {
      const deployed = routes.find((r) => r.RouteKey === `${route.method} ${route.path}`) as Json;
      if (route.auth) expect(deployed).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
      else {
        expect(deployed.AuthorizationType).toBe('NONE');
        expect(deployed.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('runs the authorizer on every request: simple responses, no identity source, no caching', () => {
    const [[, authorizer]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, Resource]];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      AuthorizerResultTtlInSeconds: 0,
    });
    expect(authorizer.Properties.IdentitySource ?? []).toEqual([]);
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(JSON.stringify(getAtt(fnId('authorizer'))));
  });

  it('throttles the default stage and writes JSON access logs to a log group with retention', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const throttle = cdkJson.context.apiThrottle as { rateLimit: number; burstLimit: number };
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
    });
    const logs = stage.Properties.AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    expect(appResources[logs.DestinationArn['Fn::GetAtt'][0]]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: cdkJson.context.logRetentionDays },
    });
    expect(JSON.parse(logs.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
  });

  it('answers CORS preflights for the portal origin', () => {
    app.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [new URL(devEnv.portalUrl as string).origin],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'idempotency-key', 'x-correlation-id']),
        // A browser may read the request's correlation id (docs/operations.md "Tracing and correlation").
        ExposeHeaders: Match.arrayWith(['x-correlation-id']),
      }),
    });
  });
});

describe('outbox notifier', () => {
  it('reads only new outbox records from the table stream, bisecting and retrying for up to a day, then dead-lettering', () => {
    app.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    const mapping = mappingOf('notifier');
    const queueId = logicalId(built.application, built.application.notifierDeadLetterQueue);
    expect(mapping.Properties).toMatchObject({
      FunctionName: { Ref: fnId('notifier') },
      BatchSize: 10,
      MaximumRecordAgeInSeconds: 86400,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: getAtt(queueId) } },
    });
    // Unlimited attempts (CloudFormation's default, -1): an SES outage shorter than a day loses nothing.
    expect(mapping.Properties.MaximumRetryAttempts ?? -1).toBe(-1);
    expect(['LATEST', 'TRIM_HORIZON']).toContain(mapping.Properties.StartingPosition);
    expect(JSON.stringify(mapping.Properties.EventSourceArn)).toMatch(/StreamArn/);
    const filters = (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([OUTBOX_STREAM_FILTER]);
  });

  it('keeps dead letters encrypted, reachable over TLS only, and alarmed', () => {
    expectSafeDeadLetterQueue(logicalId(built.application, built.application.notifierDeadLetterQueue));
  });
});

/** The event source mapping of a function (there is one per stream consumer). */
function mappingOf(fn: FunctionName): Resource {
  const found = (ofType('AWS::Lambda::EventSourceMapping') as Array<[string, Resource]>).filter(([, m]) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: fnId(fn) }));
  expect(found).toHaveLength(1);
  return found[0]![1];
}

describe('webhook dispatcher', () => {
  it('reads only new event items through a mapping of its own, bisecting and retrying for up to a day, then dead-lettering', () => {
    const mapping = mappingOf('webhookDispatcher');
    const queueId = logicalId(built.application, built.application.webhookDispatcherDeadLetterQueue);
    expect(mapping.Properties).toMatchObject({
      MaximumRecordAgeInSeconds: 86400,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: getAtt(queueId) } },
    });
    expect(mapping.Properties.MaximumRetryAttempts ?? -1).toBe(-1);
    expect(JSON.stringify(mapping.Properties.EventSourceArn)).toMatch(/StreamArn/);
    const filters = (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([EVENT_STREAM_FILTER]);
    expect(queueId).not.toBe(logicalId(built.application, built.application.notifierDeadLetterQueue));
  });

  it('keeps dead letters encrypted, reachable over TLS only, and alarmed', () => {
    expectSafeDeadLetterQueue(logicalId(built.application, built.application.webhookDispatcherDeadLetterQueue));
  });

  it('never sends email itself: the endpoint-disabled emails go through the outbox', () => {
    expect(actionsOf(roleId('webhookDispatcher')).some((a) => a.startsWith('ses:'))).toBe(false);
    expect(actionsOf(roleId('webhookRetriesJob')).some((a) => a.startsWith('ses:'))).toBe(false);
  });
});

/** A dead-letter queue: encrypted, TLS only, with an alarm on the first message. */
function expectSafeDeadLetterQueue(queueId: string): void {
  const queue = appResources[queueId] as Resource;
  expect(queue.Type).toBe('AWS::SQS::Queue');
  expect(queue.Properties.SqsManagedSseEnabled ?? queue.Properties.KmsMasterKeyId).toBeTruthy();
  app.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: queueId }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });
  app.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId, 'QueueName') }],
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 0,
  });
}

describe('scheduled jobs', () => {
  const schedulerRoleId = (): string => logicalId(built.application, built.application.jobSchedulerRole);
  const jobsQueueId = (): string => logicalId(built.application, built.application.jobsDeadLetterQueue);
  const scheduleOf = (job: JobName): Resource => appResources[logicalId(built.application, built.application.jobSchedules[job])] as Resource;

  it('has one schedule per job, no more, each on the job\'s cron in UTC at the exact time, enabled', () => {
    app.resourceCountIs('AWS::Scheduler::Schedule', JOB_NAMES.length);
    for (const job of JOB_NAMES) {
      expect(scheduleOf(job).Properties).toMatchObject({
        ScheduleExpression: JOBS[job].cron,
        ScheduleExpressionTimezone: 'Etc/UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
      });
    }
  });

  it('invokes the job\'s function with the scheduled time as its input, retrying, then dead-lettering', () => {
    for (const job of JOB_NAMES) {
      const target = scheduleOf(job).Properties.Target as Json;
      expect(target).toMatchObject({
        Arn: getAtt(fnId(JOBS[job].fn)),
        RoleArn: getAtt(schedulerRoleId()),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: getAtt(jobsQueueId()) },
      });
      expect(JSON.parse(target.Input as string)).toEqual({ time: '<aws.scheduler.scheduled-time>' });
    }
  });

  it('keeps undelivered job runs in an encrypted, TLS-only, alarmed dead-letter queue', () => {
    expectSafeDeadLetterQueue(jobsQueueId());
  });

  it('runs the schedules under a role only EventBridge Scheduler may assume, for this account and the jobs\' schedule group', () => {
    const [[groupId]] = ofType('AWS::Scheduler::ScheduleGroup') as [[string, Resource]];
    const groupName = (appResources[groupId] as Resource).Properties.Name;
    for (const job of JOB_NAMES) {
      expect(scheduleOf(job).Properties.GroupName).toBe(groupName);
      expect(scheduleOf(job).DependsOn).toContain(groupId);
    }
    const trust = (appResources[schedulerRoleId()] as Resource).Properties.AssumeRolePolicyDocument as { Statement: Json[] };
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': getAtt(groupId) } },
      },
    ]);
  });

  it('lets the scheduler role invoke exactly the job functions (unqualified) and write to its dead-letter queue, nothing else', () => {
    const role = schedulerRoleId();
    expect([...new Set(actionsOf(role))].sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    const invocable = resourcesFor(role, 'lambda:InvokeFunction');
    expect(invocable).toHaveLength(JOB_FUNCTIONS.length);
    expect(invocable).toEqual(expect.arrayContaining(JOB_FUNCTIONS.map((fn) => getAtt(fnId(fn)))));
    expect(resourcesFor(role, 'sqs:SendMessage')).toEqual([getAtt(jobsQueueId())]);
  });

  it('lets nothing but the scheduler role and the job itself (its continuation, test/infra/jobs.test.ts) invoke a job function', () => {
    for (const fn of JOB_FUNCTIONS) {
      const arn = JSON.stringify(getAtt(fnId(fn)));
      const invokers = ofType('AWS::IAM::Policy')
        .filter(([, p]) =>
          (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some(
            (s) => asList(s.Action).includes('lambda:InvokeFunction') && asList(s.Resource).some((r) => JSON.stringify(r).includes(arn)),
          ),
        )
        .flatMap(([, p]) => asList(p.Properties.Roles as unknown[]));
      expect(invokers).toEqual(expect.arrayContaining([{ Ref: schedulerRoleId() }, { Ref: roleId(fn) }]));
      expect(invokers).toHaveLength(2);
    }
    const jobArns = JOB_FUNCTIONS.map((fn) => JSON.stringify(getAtt(fnId(fn))));
    const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) => jobArns.some((arn) => JSON.stringify(p.Properties.FunctionName).includes(arn)));
    expect(permissions).toEqual([]);
  });

  it('gives the daily job functions their 900 s timeout, and every job function its registry timeout', () => {
    for (const job of JOB_NAMES) {
      const fn = JOBS[job].fn;
      if (JOBS[job].daily) expect(spec(fn).timeoutSeconds).toBe(900);
      expect((appResources[fnId(fn)] as Resource).Properties.Timeout).toBe(spec(fn).timeoutSeconds);
    }
  });

  it('grants each job exactly its registry access: table read/write on the table and every index, renewals may start the workflow, unstartedOrders describe it', () => {
    const stateMachine = { Ref: logicalId(built.application, built.application.workflow.stateMachine) };
    const readWrite = [
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:DescribeTable',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ];
    for (const fn of JOB_FUNCTIONS) {
      const role = roleId(fn);
      const starts = (spec(fn).workflow ?? []).includes('start');
      const describes = (spec(fn).workflow ?? []).includes('describe');
      expect([...new Set(actionsOf(role))].sort()).toEqual(
        [
          'lambda:InvokeFunction',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:SendMessage',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
          ...readWrite,
          ...(starts ? ['states:StartExecution'] : []),
          ...(describes ? ['states:DescribeExecution'] : []),
          // The signing key set (test/infra/keys.test.ts): its secret and, through Secrets Manager, its KMS key.
          ...(SIGNING_KEY_READERS.has(fn) ? ['kms:Decrypt', 'secretsmanager:GetSecretValue'] : []),
        ].sort(),
      );

      const tableStatements = statements(role).filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(tableStatements).toHaveLength(1);
      expect(asList(tableStatements[0]?.Action).sort()).toEqual(readWrite);
      const resources = asList(tableStatements[0]?.Resource);
      const tableArn = resources.find((r) => !JSON.stringify(r).includes('/index/'));
      expect(JSON.stringify(tableArn)).toMatch(/Fn::ImportValue/);
      expect(resources).toEqual([tableArn, ...TABLE.globalIndexes.map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index.name}`]] }))]);
      expect(TABLE.globalIndexes.map((index) => index.name)).toEqual(expect.arrayContaining(['gsi4', 'gsi5']));

      if (starts) expect(resourcesFor(role, 'states:StartExecution')).toEqual([stateMachine]);
    }
    expect(spec('renewalsJob').workflow).toEqual(['start']);
  });
});

describe('console', () => {
  it('is its own stack, sending /v1/* to this app\'s HTTP API and serving the build of the consoleDir context', () => {
    const assembly = built.app.synth();
    const template = assembly.getStackArtifact(built.console.artifactId).template as { Resources: Record<string, Resource> };
    const distribution = Object.values(template.Resources).find((r) => r.Type === 'AWS::CloudFront::Distribution') as Resource;
    const config = distribution.Properties.DistributionConfig as { CacheBehaviors: { PathPattern: string; TargetOriginId: string }[]; Origins: { Id: string; DomainName: unknown }[] };
    const v1 = config.CacheBehaviors.find((b) => b.PathPattern === '/v1/*');
    const origin = config.Origins.find((o) => o.Id === v1?.TargetOriginId);
    const apiEndpoint = built.application.resolve(built.application.api.apiEndpoint) as unknown;
    const exported = JSON.stringify(origin?.DomainName);
    expect(exported).toContain('Fn::ImportValue');
    expect(exported).toContain(built.application.stackName);
    expect(JSON.stringify(apiEndpoint)).toContain('ApiEndpoint');
    expect(built.console.dependencies).toContain(built.application);
    const deployments = Object.values(template.Resources).filter((r) => r.Type === 'Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(2);
  });

  it('leaves the functions\' PORTAL_URL to the portalUrl context when no custom domain is configured', () => {
    for (const name of FUNCTION_NAMES) {
      const vars = ((appResources[fnId(name)] as Resource).Properties.Environment as { Variables: Json }).Variables;
      expect(vars.PORTAL_URL).toBe(devEnv.portalUrl);
    }
  });
});

/**
 * cdk-nag v3 is a CDK validation plugin: its findings are no longer annotations on the stacks
 * (`Annotations.findError` would find nothing either way), so the packs' own report is read here.
 * The synthesis in `beforeAll` runs the same plugin and would already have failed on a finding.
 */
describe('cdk-nag and CDK findings', () => {
  const stacks = (): [string, Stack][] => [
    ['data', built.data],
    ['app', built.application],
    ['console', built.console],
  ];

  it('leaves no unacknowledged AwsSolutions error or warning', () => {
    for (const [label, stack] of stacks()) {
      const report = new AwsSolutionsChecks().validateScope(stack);
      const findings = report.violations.map((v) => `${label}: ${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
    }
  });

  it('gives every acknowledged finding a written reason', () => {
    const acks: [string, string, unknown][] = [];
    for (const construct of built.app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Json)) acks.push([construct.node.path, id, reason]);
      }
    }
    expect(acks.length).toBeGreaterThan(0);
    for (const [where, id, reason] of acks) {
      expect({ where, id, reasonIsWritten: typeof reason === 'string' && reason.trim().length >= 20 }).toEqual({ where, id, reasonIsWritten: true });
    }
  });

  it('raises no CDK warning or error', () => {
    for (const [, stack] of stacks()) {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    }
  });
});

import type { IConstruct } from 'constructs';
import { logicalId as idOf, ofType as ofTypeIn, synthApp, SYNTH_TIMEOUT_MS, type Resource, type Synthesized } from './synth.ts';
import { JOBS, type JobName } from '../../functions/registry.ts';

/**
 * Jobs that finish in AWS (docs/operations.md "Scheduled jobs"; functions/jobs/continuation.ts):
 * each job function's asynchronous invocation config (2 retries, the on-failure destination queue,
 * encrypted and TLS only, with its alarm), the permission of each job to invoke itself (its
 * continuation) and nothing else, and the alarms on the jobs' own metrics (`JobRunUnfinished` for
 * every job, `JobDaysBehind` > 1 for the daily ones). Synthesis runs cdk-nag: a finding throws.
 */

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const JOB_NAMES = Object.keys(JOBS) as JobName[];
const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

let synth: Synthesized;
let resources: Record<string, Resource>;

beforeAll(() => {
  synth = synthApp();
  resources = synth.resources(synth.built.application);
}, SYNTH_TIMEOUT_MS);

const app = () => synth.built.application;
const logicalId = (construct: IConstruct): string => idOf(app(), construct);
const fnId = (job: JobName) => logicalId(app().functions[JOBS[job].fn].fn);
const roleId = (job: JobName) => logicalId(app().functions[JOBS[job].fn].role);
const queueId = () => logicalId(app().jobsFailedRunsQueue);
const ofType = (type: string) => ofTypeIn(resources, type);

/** Allow statements of the policies attached to a role, each with the policy's logical id. */
function statementsOf(role: string): (Statement & { policy: string })[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => asList(p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: role })))
    .flatMap(([id, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.map((s) => ({ ...s, policy: id })))
    .filter((s) => s.Effect === 'Allow');
}

function alarmsOn(metricName: string): Resource[] {
  return ofType('AWS::CloudWatch::Alarm')
    .map(([, r]) => r)
    .filter((r) => r.Properties.MetricName === metricName);
}
const dimension = (alarm: Resource, name: string) => (alarm.Properties.Dimensions as { Name: string; Value: unknown }[]).find((d) => d.Name === name)?.Value;

describe('jobs that finish', () => {
  it('gives every job function an async invoke config: 2 retries, then the failed-runs queue', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    for (const job of JOB_NAMES) {
      const config = configs.find((c) => JSON.stringify(c.FunctionName) === JSON.stringify({ Ref: fnId(job) }));
      expect(config).toBeDefined();
      expect(config).toMatchObject({
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } } },
      });
      expect(config?.DestinationConfig).not.toHaveProperty('OnSuccess');
    }
  });

  it('keeps failed runs in an encrypted, TLS-only queue for 14 days, with an alarm on the first message', () => {
    const queue = resources[queueId()]!;
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const policy = ofType('AWS::SQS::QueuePolicy').find(([, p]) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: queueId() }]));
    expect(JSON.stringify(policy?.[1].Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    const alarms = ofType('AWS::CloudWatch::Alarm')
      .map(([, r]) => r.Properties)
      .filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(JSON.stringify({ 'Fn::GetAtt': [queueId(), 'QueueName'] })));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
  });

  it('lets each job function invoke itself (its continuation) and no other function', () => {
    for (const job of JOB_NAMES) {
      const invoke = statementsOf(roleId(job)).filter((s) => asList(s.Action).some((a) => a.startsWith('lambda:')));
      expect(invoke).toHaveLength(1);
      expect(asList(invoke[0]!.Action)).toEqual(['lambda:InvokeFunction']);
      expect(asList(invoke[0]!.Resource)).toEqual([{ 'Fn::GetAtt': [fnId(job), 'Arn'] }]);
      // In a policy of its own: in the role's default policy the function would depend on its own ARN.
      expect(invoke[0]!.policy).not.toMatch(/DefaultPolicy/);
      // Its only other non-table, non-log grant is sending to the failed-runs queue (the destination).
      const sqs = statementsOf(roleId(job)).filter((s) => asList(s.Action).some((a) => a.startsWith('sqs:')));
      expect(sqs.flatMap((s) => asList(s.Resource))).toEqual([{ 'Fn::GetAtt': [queueId(), 'Arn'] }]);
    }
    // No other role may invoke a job function but the scheduler's.
    const schedulerRole = logicalId(app().jobSchedulerRole);
    for (const job of JOB_NAMES) {
      const arn = JSON.stringify({ 'Fn::GetAtt': [fnId(job), 'Arn'] });
      const roles = ofType('AWS::IAM::Policy')
        .filter(([, p]) =>
          (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some((s) => asList(s.Action).includes('lambda:InvokeFunction') && JSON.stringify(s.Resource).includes(arn)),
        )
        .flatMap(([, p]) => asList(p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref))
        .sort();
      expect(roles).toEqual([roleId(job), schedulerRole].sort());
    }
  });

  it('alarms on JobRunUnfinished for every job and on JobDaysBehind > 1 for the daily jobs, in the metrics namespace', () => {
    const unfinished = alarmsOn('JobRunUnfinished');
    const behind = alarmsOn('JobDaysBehind');
    expect(unfinished.map((a) => dimension(a, 'job')).sort()).toEqual([...JOB_NAMES].sort());
    expect(behind.map((a) => dimension(a, 'job')).sort()).toEqual(JOB_NAMES.filter((j) => JOBS[j].daily).sort());
    const fnEnv = (resources[fnId('renewals')]!.Properties.Environment as { Variables: Record<string, string> }).Variables;
    for (const alarm of [...unfinished, ...behind]) {
      // The dimensions Powertools Metrics writes: the service, and the job.
      expect(alarm.Properties.Namespace).toBe(fnEnv.POWERTOOLS_METRICS_NAMESPACE);
      expect(dimension(alarm, 'service')).toBe(fnEnv.POWERTOOLS_SERVICE_NAME);
      expect(alarm.Properties).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    }
    for (const alarm of unfinished) expect(alarm.Properties).toMatchObject({ Statistic: 'Sum', Threshold: 0 });
    for (const alarm of behind) expect(alarm.Properties).toMatchObject({ Statistic: 'Maximum', Threshold: 1 });
  });
});

import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { BuiltApp } from '../../infra/app.ts';
import { synthApp, SYNTH_TIMEOUT_MS, tempApp, type Json, type Resource } from './synth.ts';
import { EDGE_REGION, EdgeStack } from '../../infra/stacks/edge-stack.ts';
import { EDGE_RATE_LIMITS, ORIGIN_VERIFY_HEADER } from '../../functions/platform/edge-limits.ts';
import { FUNCTIONS, ROUTES, type FunctionName } from '../../functions/registry.ts';

/**
 * The edge (infra/stacks/edge-stack.ts, docs/operations.md#edge): a CLOUDFRONT-scope web ACL in
 * us-east-1 with AWS managed rule groups and the per-client rate rules of
 * functions/platform/edge-limits.ts (429 in the API's error shape, Retry-After), its log, and the
 * distribution of the console stack carrying it. The app is built for an account in eu-central-1,
 * as a deployment elsewhere than us-east-1 is: the console stack reads the ARN across regions.
 */

interface Rule {
  Name: string;
  Priority: number;
  Action?: { Block?: { CustomResponse?: { ResponseCode: number; CustomResponseBodyKey: string; ResponseHeaders: { Name: string; Value: string }[] } } };
  OverrideAction?: Json;
  Statement: {
    ManagedRuleGroupStatement?: { VendorName: string; Name: string; RuleActionOverrides?: { Name: string; ActionToUse: Json }[] };
    RateBasedStatement?: {
      Limit: number;
      AggregateKeyType: string;
      EvaluationWindowSec: number;
      ScopeDownStatement: { ByteMatchStatement: { FieldToMatch: Json; PositionalConstraint: string; SearchString: string; TextTransformations: Json[] } };
    };
  };
  VisibilityConfig: { CloudWatchMetricsEnabled: boolean; SampledRequestsEnabled: boolean; MetricName: string };
}

const ENV = { account: '123456789012', region: 'eu-central-1' };

let built: BuiltApp;
let edge: Template;
let consoleTemplate: Template;
let appTemplate: Template;
let webAclId: string;
let webAcl: Resource;

beforeAll(() => {
  // Synthesis runs cdk-nag (a validation plugin): any unacknowledged finding throws here.
  const synth = synthApp({ env: ENV });
  built = synth.built;
  edge = synth.template(built.edge);
  consoleTemplate = synth.template(built.console);
  appTemplate = synth.template(built.application);
  const acls = Object.entries(edge.findResources('AWS::WAFv2::WebACL')) as [string, Resource][];
  expect(acls).toHaveLength(1);
  [webAclId, webAcl] = acls[0]!;
}, SYNTH_TIMEOUT_MS);

const rules = (): Rule[] => webAcl.Properties.Rules as Rule[];
const rule = (name: string): Rule => {
  const found = rules().find((r) => r.Name === name);
  if (!found) throw new Error(`no rule ${name} in ${rules().map((r) => r.Name).join(', ')}`);
  return found;
};
const logicalId = (stack: Stack, element: CfnElement): string => stack.resolve(stack.getLogicalId(element)) as string;

describe('the web ACL', () => {
  it('lives in its own stack in us-east-1 with CLOUDFRONT scope, allowing what no rule blocks', () => {
    expect(built.edge.region).toBe(EDGE_REGION);
    expect(built.console.region).toBe(ENV.region);
    expect(webAcl.Properties).toMatchObject({
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
    expect(logicalId(built.edge, built.edge.webAcl)).toBe(webAclId);
  });

  it('refuses to deploy anywhere but us-east-1 (an environment-agnostic synth deploys to the CLI\'s region)', () => {
    const agnostic = new EdgeStack(tempApp(), 'Edge', { logRetention: RetentionDays.ONE_MONTH });
    const template = Template.fromStack(agnostic).toJSON() as { Rules: Record<string, { Assertions: { Assert: unknown }[] }> };
    const assertions = Object.values(template.Rules).flatMap((r) => r.Assertions.map((a) => a.Assert));
    expect(assertions).toContainEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
  });

  it('runs the AWS managed rule groups (IP reputation, common, known bad inputs), body size counted not blocked', () => {
    const managed = rules().filter((r) => r.Statement.ManagedRuleGroupStatement);
    expect(managed.map((r) => r.Statement.ManagedRuleGroupStatement!.Name).sort()).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    for (const r of managed) {
      expect(r.Statement.ManagedRuleGroupStatement!.VendorName).toBe('AWS');
      // The group's own actions apply (Block), not Count for the whole group.
      expect(r.OverrideAction).toEqual({ None: {} });
      expect(r.Action).toBeUndefined();
    }
    expect(rule('AWSManagedRulesCommonRuleSet').Statement.ManagedRuleGroupStatement!.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
  });

  it('has a per-IP rate rule on /v1/auth/ and a general per-IP rule on /v1/, from the shared definition', () => {
    expect(EDGE_RATE_LIMITS.map((l) => l.pathPrefix)).toEqual(['/v1/auth/', '/v1/']);
    for (const limit of EDGE_RATE_LIMITS) {
      expect(rule(limit.name).Statement.RateBasedStatement).toEqual({
        Limit: limit.limit,
        AggregateKeyType: 'IP',
        EvaluationWindowSec: limit.windowSeconds,
        ScopeDownStatement: {
          ByteMatchStatement: {
            FieldToMatch: { UriPath: {} },
            PositionalConstraint: 'STARTS_WITH',
            SearchString: limit.pathPrefix,
            TextTransformations: [{ Priority: 0, Type: 'NONE' }],
          },
        },
      });
      expect(limit.limit).toBeGreaterThanOrEqual(10);
      expect([60, 120, 300, 600]).toContain(limit.windowSeconds);
    }
    expect(rule('SignInPerIp').Statement.RateBasedStatement!.ScopeDownStatement.ByteMatchStatement.SearchString).toBe('/v1/auth/');
    // The sign-in limit is the tighter one: the general rule would not protect sign-in on its own.
    const [signIn, api] = EDGE_RATE_LIMITS;
    expect(signIn!.limit).toBeLessThan(api!.limit);
  });

  it('answers a rate rule\'s block with 429, Retry-After and a JSON body in the API\'s error shape', () => {
    const bodies = webAcl.Properties.CustomResponseBodies as Record<string, { ContentType: string; Content: string }>;
    for (const limit of EDGE_RATE_LIMITS) {
      const response = rule(limit.name).Action?.Block?.CustomResponse;
      expect(response).toEqual({
        ResponseCode: 429,
        CustomResponseBodyKey: limit.name,
        ResponseHeaders: [{ Name: 'Retry-After', Value: String(limit.retryAfterSeconds) }],
      });
      expect(Number(response!.ResponseHeaders[0]!.Value)).toBeGreaterThan(0);
      const body = bodies[response!.CustomResponseBodyKey];
      expect(body?.ContentType).toBe('APPLICATION_JSON');
      expect(JSON.parse(body!.Content)).toEqual({ error: { code: 'throttled', message: limit.message } });
    }
  });

  it('orders the rules: IP reputation, sign-in rate, API rate, then the other managed groups; every rule with metrics', () => {
    const ordered = [...rules()].sort((a, b) => a.Priority - b.Priority).map((r) => r.Name);
    expect(ordered).toEqual(['AWSManagedRulesAmazonIpReputationList', 'SignInPerIp', 'ApiPerIp', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    expect(new Set(rules().map((r) => r.Priority)).size).toBe(rules().length);
    for (const r of rules()) expect(r.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: r.Name });
  });

  it('logs what it blocked or counted to an aws-waf-logs- log group in us-east-1, without credentials', () => {
    const groups = Object.entries(edge.findResources('AWS::Logs::LogGroup')) as [string, Resource][];
    const [groupId, group] = groups.find(([, g]) => String(g.Properties.LogGroupName).startsWith('aws-waf-logs-'))!;
    expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    const configs = Object.values(edge.findResources('AWS::WAFv2::LoggingConfiguration')) as Resource[];
    expect(configs).toHaveLength(1);
    const config = configs[0]!.Properties;
    expect(config.ResourceArn).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
    const destination = JSON.stringify(config.LogDestinationConfigs);
    expect(destination).toContain(':log-group:');
    expect(destination).toContain(groupId);
    expect(destination).not.toContain(':*');
    expect(config.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }]);
    expect(config.LoggingFilter).toEqual({
      DefaultBehavior: 'DROP',
      Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }] }],
    });
  });
});

describe('the distribution', () => {
  it('carries the web ACL, read from us-east-1 across regions', () => {
    const distributions = Object.values(consoleTemplate.findResources('AWS::CloudFront::Distribution')) as Resource[];
    expect(distributions).toHaveLength(1);
    const webAclRef = (distributions[0]!.Properties.DistributionConfig as Json).WebACLId as { 'Fn::GetAtt': [string, string] };
    // The console stack's cross-region reader, fed by the Edge stack's writer with the ACL's ARN.
    const [readerId, exportName] = webAclRef['Fn::GetAtt'];
    expect(consoleTemplate.toJSON().Resources[readerId].Type).toBe('Custom::CrossRegionExportReader');
    const writers = Object.values(edge.findResources('Custom::CrossRegionExportWriter')) as Resource[];
    expect(writers).toHaveLength(1);
    const exported = (writers[0]!.Properties.WriterProps as { exports: Record<string, unknown>; region: string });
    expect(exported.region).toBe(ENV.region);
    expect(exported.exports[exportName]).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
  });
});

describe('direct calls to the API\'s own endpoint', () => {
  const secretId = () => logicalId(built.application, built.application.originVerify.secret.node.defaultChild as CfnElement);
  /** A CloudFormation dynamic reference to the secret's value, as `Fn::Join` parts, with the ARN given by `arn`. */
  const dynamicReference = (arn: unknown) => ({ 'Fn::Join': ['', ['1.{{resolve:secretsmanager:', arn, ':SecretString:::}}']] });

  it('keeps a generated value in a secret of the App stack', () => {
    const secret = appTemplate.toJSON().Resources[secretId()] as Resource;
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  it('CloudFront adds it as the x-origin-verify header to the requests it sends the API, and to nothing else', () => {
    const distribution = Object.values(consoleTemplate.findResources('AWS::CloudFront::Distribution'))[0] as Resource;
    const origins = (distribution.Properties.DistributionConfig as { Origins: { Id: string; S3OriginConfig?: unknown; CustomOriginConfig?: unknown; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[] }).Origins;
    const api = origins.filter((o) => o.CustomOriginConfig);
    expect(api).toHaveLength(1);
    const headers = api[0]!.OriginCustomHeaders!;
    expect(headers).toHaveLength(1);
    expect(headers[0]!.HeaderName).toBe(ORIGIN_VERIFY_HEADER);
    // The secret's ARN comes from the App stack (same region): an import of its export.
    const value = headers[0]!.HeaderValue as { 'Fn::Join': [string, unknown[]] };
    expect(value).toEqual(dynamicReference({ 'Fn::ImportValue': expect.any(String) }));
    for (const other of origins.filter((o) => !o.CustomOriginConfig)) expect(other.OriginCustomHeaders).toBeUndefined();
  });

  it('every function that serves a route expects it (ORIGIN_VERIFY_SECRET); no other function has it', () => {
    const routeFunctions = new Set<FunctionName>(ROUTES.map((r) => r.fn));
    expect(routeFunctions.size).toBeGreaterThan(5);
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const fnId = logicalId(built.application, built.application.functions[name].fn.node.defaultChild as CfnElement);
      const vars = ((appTemplate.toJSON().Resources[fnId] as Resource).Properties.Environment as { Variables: Json }).Variables;
      if (routeFunctions.has(name)) expect(vars.ORIGIN_VERIFY_SECRET).toEqual(dynamicReference({ Ref: secretId() }));
      else expect(vars.ORIGIN_VERIFY_SECRET).toBeUndefined();
    }
  });
});

describe('cdk-nag and CDK findings', () => {
  it('leaves no unacknowledged AwsSolutions finding in the Edge and console stacks', () => {
    for (const stack of [built.edge, built.console, built.application]) {
      const report = new AwsSolutionsChecks().validateScope(stack);
      expect(report.violations.map((v) => `${stack.stackName}: ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });

  it('no longer acknowledges the missing web ACL (CFR2) on the distribution', () => {
    const acknowledged = built.console.distribution.node.metadata.flatMap((m) => Object.keys((m.data ?? {}) as Json));
    expect(acknowledged.some((id) => id.includes('AwsSolutions-CFR2'))).toBe(false);
  });

  it('raises no CDK warning or error in the Edge stack', () => {
    expect(Annotations.fromStack(built.edge).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(built.edge).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

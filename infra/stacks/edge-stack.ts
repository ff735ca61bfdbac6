import { ArnFormat, Aws, CfnOutput, CfnRule, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { EDGE_RATE_LIMITS, throttledBody, type EdgeRateLimit } from '../../functions/platform/edge-limits.ts';

/** CloudFront reads its web ACL from us-east-1 only (WAF's CLOUDFRONT scope lives there). */
export const EDGE_REGION = 'us-east-1';

export interface EdgeStackProps extends StackProps {
  /** How long the WAF log (blocked and counted requests) is kept. */
  readonly logRetention: RetentionDays;
}

/**
 * AWS managed rule groups, in priority order around the rate rules. Each one's `overrides` turns
 * named rules of the group from Block into Count (seen in the log, not refused), with why.
 */
const MANAGED_RULE_GROUPS: readonly { name: string; overrides: readonly string[] }[] = [
  // Addresses Amazon's threat intelligence lists as bots and attackers: refused before they are counted.
  { name: 'AWSManagedRulesAmazonIpReputationList', overrides: [] },
  // SizeRestrictions_BODY refuses bodies over 8 KB, but the API takes JSON bodies up to 64 KiB
  // (50 users per bulk request); the functions refuse larger ones themselves (413 payload_too_large).
  { name: 'AWSManagedRulesCommonRuleSet', overrides: ['SizeRestrictions_BODY'] },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', overrides: [] },
];

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/** A rate-based rule of functions/platform/edge-limits.ts: per client IP, scoped to its path prefix, 429 in the API's error shape. */
function rateRule(rule: EdgeRateLimit, priority: number): CfnWebACL.RuleProperty {
  return {
    name: rule.name,
    priority,
    action: {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: rule.name,
          responseHeaders: [{ name: 'Retry-After', value: String(rule.retryAfterSeconds) }],
        },
      },
    },
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'IP',
        limit: rule.limit,
        evaluationWindowSec: rule.windowSeconds,
        scopeDownStatement: {
          byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: 'STARTS_WITH',
            searchString: rule.pathPrefix,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
      },
    },
    visibilityConfig: visibility(rule.name),
  };
}

/**
 * The edge in front of the CloudFront distribution (infra/stacks/console-stack.ts), which serves
 * the console and routes `/v1/*` to the HTTP API (an HTTP API cannot take a web ACL itself): a
 * CLOUDFRONT-scope WAF web ACL, which must be created in us-east-1, so this stack always deploys
 * there (docs/operations.md#edge). The console stack reads the web ACL's ARN from it, across
 * regions when the rest of the app is elsewhere.
 *
 * The rate rules come from functions/platform/edge-limits.ts, the definition the local gateway
 * enforces too. The log keeps only what the ACL blocked or counted, without the Authorization and
 * Cookie headers.
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);

    // Without an explicit environment the stack deploys to the CLI's region: refuse any but us-east-1.
    new CfnRule(this, 'OnlyInUsEast1', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, EDGE_REGION),
          assertDescription: `A CloudFront web ACL can only be created in ${EDGE_REGION}: deploy this stack there.`,
        },
      ],
    });

    const managed = MANAGED_RULE_GROUPS.map(
      (group): Omit<CfnWebACL.RuleProperty, 'priority'> => ({
        name: group.name,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: group.name,
            ruleActionOverrides: group.overrides.length ? group.overrides.map((name) => ({ name, actionToUse: { count: {} } })) : undefined,
          },
        },
        visibilityConfig: visibility(group.name),
      }),
    );
    const [reputation, ...others] = managed;
    const rules: CfnWebACL.RuleProperty[] = [
      { ...reputation!, priority: 0 },
      ...EDGE_RATE_LIMITS.map((rule, i) => rateRule(rule, i + 1)),
      ...others.map((rule, i) => ({ ...rule, priority: EDGE_RATE_LIMITS.length + 1 + i })),
    ];

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Cloud license portal: managed rules and per-client rate limits in front of the console and /v1',
      defaultAction: { allow: {} },
      rules,
      customResponseBodies: Object.fromEntries(
        EDGE_RATE_LIMITS.map((rule) => [rule.name, { contentType: 'APPLICATION_JSON', content: throttledBody(rule) }]),
      ),
      visibilityConfig: visibility('WebAcl'),
    });

    // WAF writes to a log group whose name starts with aws-waf-logs-, in the web ACL's region.
    this.logGroup = new LogGroup(this, 'WafLog', {
      logGroupName: `aws-waf-logs-${this.stackName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logging = new CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // The log group's own ARN, without the `:*` of LogGroup.logGroupArn (WAF refuses it).
      logDestinationConfigs: [
        this.formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    });
    logging.node.addDependency(this.logGroup);

    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn, description: 'The CloudFront web ACL (WAF console: us-east-1, Global/CloudFront)' });
  }
}

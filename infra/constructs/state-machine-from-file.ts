import { readFileSync } from 'node:fs';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from './app-function.ts';

export interface StateMachineFromFileProps {
  /** Absolute path of the ASL JSON file, the same file the local Step Functions service runs. */
  readonly definitionFile: string;
  readonly stateMachineName: string;
  /** The function each `${Placeholder}` of the file stands for. */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly logRetention: RetentionDays;
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/**
 * A Standard state machine deployed from an ASL file, with its Lambda ARNs filled in by
 * CloudFormation (`DefinitionSubstitutions`), execution logging without execution data, and X-Ray tracing.
 *
 * The definition goes into the template as a string rather than through
 * `DefinitionBody.fromFile`, which uploads it as an S3 asset: inline, `cdk diff` shows every
 * change of the workflow and the tests can read the deployed definition.
 */
export class StateMachineFromFile extends Construct {
  readonly stateMachine: StateMachine;
  /** `arn:…:execution:<name>:*`, every execution of this state machine. */
  readonly executionArns: string;

  constructor(scope: Construct, id: string, props: StateMachineFromFileProps) {
    super(scope, id);
    const definition = readFileSync(props.definitionFile, 'utf8');

    const used = new Set([...definition.matchAll(PLACEHOLDER)].map((m) => m[1] as string));
    const given = new Set(Object.keys(props.functions));
    const missing = [...used].filter((p) => !given.has(p));
    const unused = [...given].filter((p) => !used.has(p));
    if (missing.length > 0 || unused.length > 0) {
      throw new Error(
        `${props.definitionFile}: placeholders without a function: [${missing.join(', ')}]; functions without a placeholder: [${unused.join(', ')}]`,
      );
    }

    // Under /aws/vendedlogs/ so Step Functions log delivery does not grow the account's
    // CloudWatch Logs resource policy. Executions are also recorded on the order itself, so these
    // logs go with the stack.
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new StateMachine(this, 'Resource', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(definition),
      definitionSubstitutions: Object.fromEntries(
        Object.entries(props.functions).map(([placeholder, fn]) => [placeholder, fn.functionArn]),
      ),
      // Every state transition is logged (level ALL: which task ran, failed, retried, when), but
      // without its input and output: those carry orders, customers' names, email addresses and
      // tenant ids, and logs are read by more people, and copied to more places, than the table. The order
      // item holds the workflow's outcome; a task's own log lines (its function's log group,
      // masked by the logger) say what it did with the data.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    // The ASL calls each function by its unqualified ARN, so that ARN is all the role may invoke
    // (`grantInvoke` would add `<arn>:*` for every version and alias).
    const functionArns = [...new Set(Object.values(props.functions))].map((fn) => fn.functionArn);
    this.stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: functionArns }));

    this.executionArns = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    acknowledge(this.stateMachine.role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Execution logging (logs:CreateLogDelivery and the other log-delivery APIs) and X-Ray tracing support no resource-level permissions, so CDK grants them on "*".',
      },
    ]);
  }
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../functions/registry.ts';
import { LAMBDA_ALIAS_ARGS } from '../bundling/aliases.ts';

/** The repository root: entries in the registry are relative to it, and esbuild runs from it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM output has no `require`; a few CommonJS dependencies bundled into it still call it for Node
 * built-ins. The banner gives them one.
 */
const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface AppFunctionProps {
  /** What the registry says about the function: entry, description, timeout, memory. */
  readonly spec: FunctionSpec;
  /** The function's environment. */
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
}

/**
 * The one way a Lambda function of this project is made, so every function gets the same runtime,
 * bundling, logging and tracing. Its role starts empty but for writing to its own log group; the
 * stack grants the rest from the function's spec.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { spec } = props;

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });

    // An own role instead of the default one: the default attaches AWSLambdaBasicExecutionRole,
    // which may write to every log group of the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${spec.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      description: spec.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      // No NODE_OPTIONS to apply the source map at run time: it costs every cold start (~25-60 ms of module init on
      // the larger bundles) and every logged error; the .map ships beside the bundle and maps a logged
      // stack trace offline (docs/architecture.md "Cold starts").
      environment: props.environment,
      bundling: {
        // esbuild from node_modules, never a Docker image: synth must work offline and fast.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // Bundle the AWS SDK too: a pinned, tree-shaken SDK starts faster than the runtime's copy.
        externalModules: [],
        banner: ESM_REQUIRE_BANNER,
        logLevel: LogLevel.WARNING,
        // Module substitutions of the bundles (infra/bundling/aliases.ts), the bench's too.
        esbuildArgs: { '--alias': LAMBDA_ALIAS_ARGS },
      },
    });

    acknowledge(this, [
      {
        id: 'AwsSolutions-L1',
        reason: 'docs/product.md#how-it-is-built-fixed-choices pins the Lambda runtime to nodejs22.x, the Node version the repository itself runs on.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so CDK grants them on "*".',
      },
    ]);
  }
}

/** A cdk-nag finding accepted on purpose, and why. */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/**
 * Records cdk-nag acknowledgements on a construct (cdk-nag v3 reads CDK's own `Validations`
 * acknowledgements). A reason is mandatory and must say something.
 */
export function acknowledge(scope: Construct, acks: readonly NagAcknowledgement[]): void {
  for (const ack of acks) {
    if (ack.reason.trim().length < 20) throw new Error(`cdk-nag acknowledgement ${ack.id} needs a written reason`);
    Validations.of(scope).acknowledge(ack);
  }
}

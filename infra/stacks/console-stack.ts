import { existsSync } from 'node:fs';
import path from 'node:path';
import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Policy } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct, IConstruct } from 'constructs';
import { SECURITY_HEADERS } from '../../console/security-headers.ts';
import { ORIGIN_VERIFY_HEADER } from '../../functions/platform/edge-limits.ts';
import { acknowledge, type NagAcknowledgement } from '../constructs/app-function.ts';
import { CONSOLE_REWRITE_FUNCTION_CODE } from '../constructs/console-rewrite.ts';
import { cloudFrontSecurityHeaders } from '../constructs/security-headers-policy.ts';

/** Where and how the console is served, from the CDK context (cdk.json or `-c key=value`). */
export interface ConsoleConfig {
  /** The console's build (`npm run console:build` writes console/dist): index.html and assets/. */
  readonly assetDir: string;
  /** Optional custom domain (`portal.example.com`); needs `certificateArn`. */
  readonly domainName?: string;
  /** An ACM certificate in us-east-1 covering `domainName`. */
  readonly certificateArn?: string;
  /** Days the access logs of the bucket and of CloudFront are kept. */
  readonly logRetentionDays: number;
}

export interface ConsoleStackProps extends StackProps {
  /** The HTTP API: CloudFront sends `/v1/*` to its default stage. */
  readonly api: IHttpApi;
  readonly config: ConsoleConfig;
  /**
   * The ARN of the CLOUDFRONT-scope WAF web ACL in front of the distribution (infra/stacks/edge-stack.ts,
   * in us-east-1). The app always gives one; without it the distribution has no web ACL.
   */
  readonly webAclArn?: string;
  /**
   * The value CloudFront adds as `x-origin-verify` to every `/v1/*` request it forwards, without
   * which the API's functions refuse a request (infra/constructs/origin-verify.ts).
   */
  readonly originVerifyHeader?: string;
}

/** Vite names everything under assets/ by content hash: such a file never changes. */
const IMMUTABLE = [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()];
/** index.html, favicon…: revalidated on every load, so a deployment shows at the next reload. */
const REVALIDATE = [CacheControl.noCache()];

/**
 * The console in AWS: its static build in a private S3 bucket, read by CloudFront through origin
 * access control, and the API on the same origin (`/v1/*` → the HTTP API), so the browser never
 * makes a cross-origin request. Every response carries the security headers of
 * console/security-headers.ts.
 */
export class ConsoleStack extends Stack {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;
  readonly distribution: Distribution;
  readonly rewrite: CloudFrontFunction;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<custom domain>` or `https://<id>.cloudfront.net`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { api, config } = props;
    if (!existsSync(path.join(config.assetDir, 'index.html'))) {
      throw new Error(`${config.assetDir} has no index.html: build the console first (npm run console:build), or point the context consoleDir at a build`);
    }
    if (Boolean(config.domainName) !== Boolean(config.certificateArn)) {
      throw new Error('consoleDomainName and consoleCertificateArn go together: a custom domain needs its us-east-1 certificate');
    }

    // One bucket for every access log of the console: S3's server access logs (s3/) and
    // CloudFront's standard logs (cloudfront/). CloudFront's standard logging writes with ACLs, so
    // the bucket keeps object-writer ownership.
    this.logsBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
    });
    acknowledge(this.logsBucket, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This bucket is itself the access-log destination of the console bucket and the distribution; logging its own access would log into itself.',
      },
    ]);

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 's3/',
    });

    this.rewrite = new CloudFrontFunction(this, 'ConsoleRoutes', {
      comment: 'Console routes (paths without an extension) are answered with /index.html',
      code: FunctionCode.fromInline(CONSOLE_REWRITE_FUNCTION_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });

    const { securityHeadersBehavior, customHeaders } = cloudFrontSecurityHeaders(SECURITY_HEADERS);
    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'The console security headers (console/security-headers.ts)',
      securityHeadersBehavior,
      customHeadersBehavior: { customHeaders },
    });

    // The HTTP API's own endpoint, https://<id>.execute-api.<region>.amazonaws.com: its host.
    const apiOrigin = new HttpOrigin(Fn.select(2, Fn.split('/', api.apiEndpoint)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // Only CloudFront knows the value: a request sent to the API's own endpoint lacks it.
      customHeaders: props.originVerifyHeader ? { [ORIGIN_VERIFY_HEADER]: props.originVerifyHeader } : undefined,
    });

    const certificate = config.certificateArn ? Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn) : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Cloud license portal: the console and /v1 on one origin',
      webAclId: props.webAclArn,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Only a custom certificate can set it; *.cloudfront.net keeps CloudFront's own policy.
      minimumProtocolVersion: certificate ? SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      domainNames: config.domainName ? [config.domainName] : undefined,
      certificate,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ function: this.rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Authorization, Idempotency-Key, If-Match, the query string… everything but Host,
          // which must be the API's own for API Gateway to route the request.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          compress: true,
          responseHeadersPolicy: this.headers,
        },
      },
    });
    this.url = `https://${config.domainName ?? this.distribution.distributionDomainName}`;

    acknowledge(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The portal serves customers, resellers and distributors wherever they are; no country is excluded by the product, so there is no geo restriction.',
      },
      ...(props.webAclArn
        ? []
        : [
            {
              id: 'AwsSolutions-CFR2',
              reason:
                'This stack was built without the edge web ACL (only a test of the console stack on its own does that): the app (infra/app.ts) always passes the Edge stack\'s web ACL.',
            },
          ]),
      ...(config.domainName
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without a custom domain the distribution answers on *.cloudfront.net with CloudFront\'s default certificate, whose minimum protocol CloudFront fixes; with consoleDomainName and consoleCertificateArn it uses TLSv1.2_2021.',
            },
          ]),
    ]);

    // Two deployments: the hashed assets first (kept across deployments, so a tab still open on
    // the previous version can load its lazy chunks), then index.html and the other root files
    // (pruned, revalidated on every load), then an invalidation. Source maps are not published.
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(config.assetDir, { exclude: ['**/*.map'] })],
      destinationBucket: this.bucket,
      include: ['assets/*'],
      exclude: ['*'],
      prune: false,
      cacheControl: IMMUTABLE,
      memoryLimit: 512,
    });
    const pages = new BucketDeployment(this, 'DeployPages', {
      sources: [Source.asset(config.assetDir, { exclude: ['**/*.map'] })],
      destinationBucket: this.bucket,
      exclude: ['assets/*'],
      prune: true,
      cacheControl: REVALIDATE,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    pages.node.addDependency(assets);
    this.acknowledgeDeploymentHandler();

    new CfnOutput(this, 'ConsoleUrl', { value: this.url, description: 'The console, and the API under /v1 (set portalUrl to it)' });
    new CfnOutput(this, 'DistributionDomainName', { value: this.distribution.distributionDomainName, description: 'Point the custom domain here (CNAME or alias)' });
    new CfnOutput(this, 'ConsoleBucketName', { value: this.bucket.bucketName });
  }

  /**
   * BucketDeployment's handler is a stack-level singleton Lambda of CDK's own making (the AWS CLI
   * in a layer syncing the asset into the bucket); its role and runtime are not ours to shape. Its
   * wildcard findings are acknowledged one by one, read from the policy CDK wrote: only the
   * actions and resources named here, anything new fails cdk-nag.
   */
  private acknowledgeDeploymentHandler(): void {
    const handlers = this.node.children.filter((child: IConstruct) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handlers.length !== 1) throw new Error(`expected one BucketDeployment handler, found ${handlers.length}`);
    const handler = handlers[0]!;
    const siteBucketId = this.resolve((this.bucket.node.defaultChild as CfnBucket).logicalId) as string;
    const acks: NagAcknowledgement[] = [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The deployment handler is CDK\'s BucketDeployment custom resource; CDK gives its role the basic execution policy to write its own logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'The deployment handler\'s runtime is chosen by CDK\'s BucketDeployment (Python with the AWS CLI layer) and moves with aws-cdk-lib upgrades.',
      },
    ];
    const wildcardActions = new Set(['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']);
    const policy = handler.node.findAll().find((c): c is Policy => c instanceof Policy);
    if (!policy) throw new Error('the BucketDeployment handler has no policy');
    const document = this.resolve(policy.document) as { Statement: { Action: string | string[]; Resource: unknown }[] };
    for (const statement of document.Statement) {
      for (const action of ([] as string[]).concat(statement.Action)) {
        if (!action.includes('*')) continue;
        if (!wildcardActions.has(action)) throw new Error(`the BucketDeployment handler may ${action}: review it before acknowledging it`);
        acks.push({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${action} is how CDK's BucketDeployment grants the sync of the console's build from the CDK asset bucket into the console bucket (read the asset, write and prune the bucket), on those two buckets only.`,
        });
      }
      for (const resource of ([] as unknown[]).concat(statement.Resource).map(nagName)) {
        if (!resource.includes('*')) continue;
        if (resource === '*') {
          acks.push({
            id: 'AwsSolutions-IAM5[Resource::*]',
            reason: 'cloudfront:CreateInvalidation and GetInvalidation after a deployment: CDK grants them on "*" for the handler that invalidates this distribution.',
          });
        } else if (resource === `<${siteBucketId}.Arn>/*`) {
          acks.push({
            id: `AwsSolutions-IAM5[Resource::${resource}]`,
            reason: 'The deployment writes and prunes the objects of the console bucket, which holds nothing but the console\'s build.',
          });
        } else if (/^arn:(<AWS::Partition>|aws[a-z-]*):s3:::cdk-[a-z0-9]+-assets-[^/]+\/\*$/.test(resource)) {
          // The partition is a literal when the stack has an explicit account and region.
          acks.push({
            id: `AwsSolutions-IAM5[Resource::${resource}]`,
            reason: 'The deployment reads the console\'s zipped build from the CDK bootstrap asset bucket, whose object key is only known at deployment.',
          });
        } else {
          throw new Error(`the BucketDeployment handler has a wildcard resource ${resource}: review it before acknowledging it`);
        }
      }
    }
    acknowledge(handler, acks);
  }
}

/** A resource as cdk-nag spells it in a finding id: literals as they are, `<Ref>`, `<LogicalId.Attr>`, `${X}` of a Sub as `<X>`. */
function nagName(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]]; 'Fn::Sub'?: unknown };
  if (object.Ref) return `<${object.Ref}>`;
  if (typeof object['Fn::Sub'] === 'string') return object['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>');
  if (object['Fn::GetAtt']) return `<${object['Fn::GetAtt'][0]}.${object['Fn::GetAtt'][1]}>`;
  if (object['Fn::Join']) return object['Fn::Join'][1].map(nagName).join(object['Fn::Join'][0]);
  throw new Error(`cannot name ${JSON.stringify(value)} for cdk-nag`);
}

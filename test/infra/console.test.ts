import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../console/security-headers.ts';
import { CONSOLE_REWRITE_FUNCTION_CODE } from '../../infra/constructs/console-rewrite.ts';
import { cloudFrontSecurityHeaders } from '../../infra/constructs/security-headers-policy.ts';
import { readConfig, readConsoleConfig } from '../../infra/app.ts';
import { applyEnvironment } from '../../infra/environments.ts';
import { ConsoleStack, type ConsoleConfig } from '../../infra/stacks/console-stack.ts';
import { tempApp } from './synth.ts';

/**
 * The console's hosting (infra/stacks/console-stack.ts) on its own, next to a bare HTTP API, with
 * cdk.json's context and feature flags: what CloudFront serves from where, with which headers,
 * and zero unacknowledged cdk-nag findings. The console build is a small stand-in directory, so
 * nothing is built. (test/infra/stack.test.ts checks the same stack inside the whole app.)
 */

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties: Json;
}
interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  AllowedMethods: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: unknown;
  ViewerProtocolPolicy: string;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}
interface Origin {
  Id: string;
  DomainName: unknown;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: { OriginAccessIdentity?: string };
  CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
}

// CloudFront's managed policies, by their documented ids.
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Json };
let assetDir: string;

interface Built {
  outdir: string;
  stack: ConsoleStack;
  api: HttpApi;
  template: Template;
  resources: Record<string, Resource>;
}

function build(config: Partial<ConsoleConfig> = {}): Built {
  const app = tempApp({ context: cdkJson.context });
  const apiStack = new Stack(app, 'Api');
  const api = new HttpApi(apiStack, 'HttpApi');
  const stack = new ConsoleStack(app, 'Console', { api, config: { assetDir, logRetentionDays: 30, ...config } });
  const template = Template.fromStack(stack);
  return { outdir: app.outdir, stack, api, template, resources: (template.toJSON() as { Resources: Record<string, Resource> }).Resources };
}

function logicalIdOf(stack: Stack, construct: IConstruct): string {
  return stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
}
const ofType = (built: Built, type: string): [string, Resource][] => Object.entries(built.resources).filter(([, r]) => r.Type === type);
function only(built: Built, type: string): [string, Resource] {
  const found = ofType(built, type);
  expect(found).toHaveLength(1);
  return found[0]!;
}
const distributionConfig = (built: Built) => only(built, 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig as Json;
const behaviors = (built: Built) => {
  const config = distributionConfig(built);
  return { byDefault: config.DefaultCacheBehavior as Behavior, others: (config.CacheBehaviors ?? []) as Behavior[] };
};
const originOf = (built: Built, behavior: Behavior): Origin =>
  (distributionConfig(built).Origins as Origin[]).find((o) => o.Id === behavior.TargetOriginId)!;

let plain: Built;
let custom: Built;

beforeAll(() => {
  assetDir = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
  writeFileSync(path.join(assetDir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/index-1a2b3c.js"></script></head><body></body></html>');
  mkdirSync(path.join(assetDir, 'assets'));
  writeFileSync(path.join(assetDir, 'assets/index-1a2b3c.js'), 'document.title = "console";\n//# sourceMappingURL=index-1a2b3c.js.map\n');
  writeFileSync(path.join(assetDir, 'assets/index-1a2b3c.js.map'), '{"version":3,"sources":[],"mappings":""}');
  writeFileSync(path.join(assetDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  plain = build();
  custom = build({ domainName: 'portal.example.com', certificateArn: CERTIFICATE_ARN });
}, 180_000);

afterAll(() => {
  if (assetDir) rmSync(assetDir, { recursive: true, force: true });
});

describe('the console bucket', () => {
  it('is private: every public access blocked, encrypted, TLS only, logging its access', () => {
    const bucketId = logicalIdOf(plain.stack, plain.stack.bucket);
    const bucket = plain.resources[bucketId]!;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.any(String) }, LogFilePrefix: 's3/' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    plain.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('lets CloudFront read it through origin access control only: no OAI, no other principal', () => {
    const [oacId, oac] = only(plain, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    expect(ofType(plain, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);

    const origin = originOf(plain, behaviors(plain).byDefault);
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(origin.S3OriginConfig?.OriginAccessIdentity ?? '').toBe('');

    const bucketId = logicalIdOf(plain.stack, plain.stack.bucket);
    const policy = ofType(plain, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }))![1];
    const allows = (policy.Properties.PolicyDocument as { Statement: Json[] }).Statement.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
    const [distributionId] = only(plain, 'AWS::CloudFront::Distribution');
    expect(JSON.stringify(allows[0]!.Condition)).toContain(`"Ref":"${distributionId}"`);
  });
});

describe('the distribution', () => {
  it('serves index.html at the root, over HTTPS only (HTTP redirected), with access logs', () => {
    const config = distributionConfig(plain);
    expect(config.DefaultRootObject).toBe('index.html');
    const logsBucketId = logicalIdOf(plain.stack, plain.stack.logsBucket);
    expect(config.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logsBucketId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' });
    const { byDefault, others } = behaviors(plain);
    for (const behavior of [byDefault, ...others]) expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    // The SPA fallback is the function below, not error pages that would turn an API 404 into HTML.
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('routes /v1/* to the HTTP API: every method, caching disabled, all viewer headers but Host, HTTPS with TLS 1.2', () => {
    const { others } = behaviors(plain);
    expect(others.map((b) => b.PathPattern)).toEqual(['/v1/*']);
    const v1 = others[0]!;
    expect(v1).toMatchObject({ CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER });
    expect([...v1.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(v1.FunctionAssociations).toBeUndefined();

    const origin = originOf(plain, v1);
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    // The host of the API's own endpoint (https://<id>.execute-api.<region>.amazonaws.com).
    expect(JSON.stringify(origin.DomainName)).toMatch(/"Fn::Select":\[2,\{"Fn::Split":\["\/",\{"Fn::ImportValue":"[^"]*ApiEndpoint/);
  });

  it('sends the security headers of console/security-headers.ts on the console and on /v1 alike', () => {
    const [policyId, policy] = only(plain, 'AWS::CloudFront::ResponseHeadersPolicy');
    const config = policy.Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Json;
      CustomHeadersConfig: { Items: { Header: string; Value: string; Override: boolean }[] };
    };
    expect(config.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: SECURITY_HEADERS['referrer-policy'], Override: true },
    });
    // Every header of the list is sent, either as a CloudFront security header or as a custom one.
    const known = ['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy'];
    const custom = Object.entries(SECURITY_HEADERS).filter(([name]) => !known.includes(name));
    expect(custom.length).toBeGreaterThan(0);
    expect(config.CustomHeadersConfig.Items).toEqual(custom.map(([Header, Value]) => ({ Header, Value, Override: true })));
    expect(SECURITY_HEADERS['permissions-policy']).toBeDefined();

    const { byDefault, others } = behaviors(plain);
    for (const behavior of [byDefault, ...others]) expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('refuses a security header CloudFront cannot send as written', () => {
    expect(() => cloudFrontSecurityHeaders({ 'x-frame-options': 'ALLOW-FROM https://x.example' })).toThrow(/DENY or SAMEORIGIN/);
    expect(() => cloudFrontSecurityHeaders({ 'strict-transport-security': 'includeSubDomains' })).toThrow(/max-age/);
    expect(() => cloudFrontSecurityHeaders({ 'referrer-policy': 'sometimes' })).toThrow(/referrer-policy/);
  });
});

describe('the console routes function', () => {
  const handler = new Function(`${CONSOLE_REWRITE_FUNCTION_CODE}\nreturn handler;`)() as (event: { request: { uri: string; querystring?: Json } }) => { uri: string; querystring?: Json };
  const rewrite = (uri: string) => handler({ request: { uri, querystring: { token: { value: 't' } } } });

  it('is the deployed code, a cloudfront-js-2.0 viewer-request function of the default behaviour only', () => {
    const [functionId, fn] = only(plain, 'AWS::CloudFront::Function');
    expect(fn.Properties).toMatchObject({ FunctionCode: CONSOLE_REWRITE_FUNCTION_CODE, FunctionConfig: { Runtime: 'cloudfront-js-2.0' }, AutoPublish: true });
    const { byDefault, others } = behaviors(plain);
    expect(byDefault.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }]);
    for (const behavior of others) expect(behavior.FunctionAssociations).toBeUndefined();
  });

  it('answers a console route (a path without an extension) with /index.html, keeping the query', () => {
    for (const uri of ['/', '/login', '/users', '/users/01JABCDEF', '/activate', '/subscriptions/abc/', '/billing/invoices/INV-1']) {
      expect(rewrite(uri)).toEqual({ uri: '/index.html', querystring: { token: { value: 't' } } });
    }
  });

  it('leaves files alone, so a missing asset stays a 404/403', () => {
    for (const uri of ['/index.html', '/favicon.svg', '/assets/index-1a2b3c.js', '/assets/index-1a2b3c.css', '/assets/missing.js', '/robots.txt']) {
      expect(rewrite(uri).uri).toBe(uri);
    }
  });
});

describe('the deployment of the build', () => {
  it('uploads the hashed assets as immutable, then the pages revalidated and pruned, then invalidates', () => {
    const deployments = ofType(plain, 'Custom::CDKBucketDeployment').map(([id, r]) => ({ id, ...r.Properties }) as Json & { id: string });
    expect(deployments).toHaveLength(2);
    const assets = deployments.find((d) => JSON.stringify(d.Include) === '["assets/*"]')!;
    const pages = deployments.find((d) => JSON.stringify(d.Exclude) === '["assets/*"]')!;
    expect(assets).toMatchObject({ Exclude: ['*'], Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(pages).toMatchObject({ Prune: true, SystemMetadata: { 'cache-control': 'no-cache' }, DistributionPaths: ['/*'] });
    const [distributionId] = only(plain, 'AWS::CloudFront::Distribution');
    expect(pages.DistributionId).toEqual({ Ref: distributionId });
    const pagesResource = (plain.template.toJSON() as { Resources: Record<string, { DependsOn?: string[] }> }).Resources[pages.id]!;
    expect(pagesResource.DependsOn ?? []).toEqual(expect.arrayContaining([assets.id]));
  });

  it('publishes the build without its source maps', () => {
    const staged = readdirSync(plain.outdir).filter((d) => d.startsWith('asset.') && existsSync(path.join(plain.outdir, d, 'index.html')));
    expect(staged.length).toBeGreaterThan(0);
    for (const dir of staged) {
      expect(readdirSync(path.join(plain.outdir, dir, 'assets')).sort()).toEqual(['index-1a2b3c.js']);
      expect(existsSync(path.join(plain.outdir, dir, 'favicon.svg'))).toBe(true);
    }
  });

  it('needs a console build: a directory without index.html is refused', () => {
    const app = tempApp({ context: cdkJson.context });
    const api = new HttpApi(new Stack(app, 'Api'), 'HttpApi');
    const empty = mkdtempSync(path.join(tmpdir(), 'console-empty-'));
    try {
      expect(() => new ConsoleStack(app, 'Console', { api, config: { assetDir: empty, logRetentionDays: 30 } })).toThrow(/npm run console:build/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the custom domain', () => {
  it('is off by default: the distribution answers on its cloudfront.net name', () => {
    const config = distributionConfig(plain);
    expect(config.Aliases).toBeUndefined();
    expect(config.ViewerCertificate).toBeUndefined();
  });

  it('when configured, serves the domain with its certificate, TLS 1.2 at least, SNI', () => {
    expect(distributionConfig(custom)).toMatchObject({
      Aliases: ['portal.example.com'],
      ViewerCertificate: { AcmCertificateArn: CERTIFICATE_ARN, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
    expect(custom.stack.resolve(custom.stack.url)).toBe('https://portal.example.com');
  });

  it('is where emails link to: the portal URL (PORTAL_URL, whose origin is CORS_ORIGIN) is the custom domain, else the portalUrl context', () => {
    const configOf = (context: Json) => {
      const app = tempApp({ context: { ...cdkJson.context, ...context } });
      applyEnvironment(app, cdkJson.context);
      const consoleConfig = readConsoleConfig(app);
      return { console: consoleConfig, app: readConfig(app, consoleConfig) };
    };
    const withDomain = configOf({ consoleDomainName: 'portal.example.org', consoleCertificateArn: CERTIFICATE_ARN, consoleDir: 'some/build' });
    expect(withDomain.app.portalUrl).toBe('https://portal.example.org');
    expect(withDomain.console).toMatchObject({ domainName: 'portal.example.org', certificateArn: CERTIFICATE_ARN, assetDir: path.resolve(import.meta.dirname, '../../some/build') });
    const without = configOf({});
    expect(without.app.portalUrl).toBe((cdkJson.context.environments as Record<string, Json>).dev?.portalUrl);
    expect(without.console.assetDir).toBe(path.resolve(import.meta.dirname, '../../console/dist'));
    expect(() => configOf({ consoleDomainName: 'not a domain' })).toThrow(/not a host name/);
  });

  it('needs the domain and the certificate together', () => {
    const app = tempApp({ context: cdkJson.context });
    const api = new HttpApi(new Stack(app, 'Api'), 'HttpApi');
    expect(() => new ConsoleStack(app, 'Console', { api, config: { assetDir, logRetentionDays: 30, domainName: 'portal.example.com' } })).toThrow(/go together/);
  });
});

describe('cdk-nag and CDK findings', () => {
  it('leaves no unacknowledged AwsSolutions finding, with or without the custom domain', () => {
    for (const built of [plain, custom]) {
      const report = new AwsSolutionsChecks().validateScope(built.stack);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });

  it('acknowledges the default-certificate TLS finding only when there is no custom domain', () => {
    const acknowledged = (built: Built) =>
      built.stack.distribution.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.keys(m.data as Json));
    expect(acknowledged(plain).some((id) => id.endsWith('AwsSolutions-CFR4'))).toBe(true);
    expect(acknowledged(custom).some((id) => id.endsWith('AwsSolutions-CFR4'))).toBe(false);
  });

  it('raises no CDK warning or error', () => {
    for (const built of [plain, custom]) {
      expect(Annotations.fromStack(built.stack).findError('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(built.stack).findWarning('*', Match.anyValue())).toEqual([]);
    }
  });
});

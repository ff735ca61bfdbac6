import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { BuiltApp } from '../../infra/app.ts';
import { logicalId as idOf, ofType as ofTypeIn, synthApp, SYNTH_TIMEOUT_MS, type Json, type Resource } from './synth.ts';
import { FUNCTIONS, SIGNING_KEY_READERS, type FunctionName } from '../../functions/registry.ts';

/**
 * The token signing keys in AWS (docs/architecture.md "Signing keys", docs/operations.md "Key
 * rotation"): a Secrets Manager secret encrypted with its own customer managed KMS key (key
 * rotation on), a rotation schedule of 30 days that also rotates at creation with the registry's
 * rotation function; `secretsmanager:GetSecretValue` for exactly the registry's key readers, on
 * that secret only, and `kms:Decrypt` on that key only through Secrets Manager; the rotation
 * function's own grants; no signing key in the table; cdk-nag clean.
 */
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const NAMES = Object.keys(FUNCTIONS) as FunctionName[];

let built: BuiltApp;
let data: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  const synth = synthApp();
  built = synth.built;
  data = synth.template(built.data);
  resources = synth.resources(built.application);
}, SYNTH_TIMEOUT_MS);

const logicalId = (stack: Stack, construct: IConstruct): string => idOf(stack, construct);
const ofType = (type: string) => ofTypeIn(resources, type);
const secretId = () => logicalId(built.application, built.application.signingKeys.secret);
const keyId = () => logicalId(built.application, built.application.signingKeys.key);
const roleId = (name: FunctionName) => logicalId(built.application, built.application.functions[name].role);
const fnId = (name: FunctionName) => logicalId(built.application, built.application.functions[name].fn);

function statementsOf(role: string): Statement[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => asList(p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: role })))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => s.Effect === 'Allow');
}
const granting = (role: string, action: string) => statementsOf(role).filter((s) => asList(s.Action).includes(action));

describe('the signing key secret', () => {
  it('is a secret encrypted with a customer managed KMS key of its own, which rotates', () => {
    expect(resources[secretId()]).toMatchObject({ Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] } } });
    // The key encrypts nothing else.
    const users = Object.entries(resources).filter(([id, r]) => id !== secretId() && r.Type !== 'AWS::IAM::Policy' && JSON.stringify(r.Properties ?? {}).includes(`"${keyId()}"`));
    expect(users.map(([id]) => id)).toEqual([]);
    expect(resources[keyId()]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
  });

  it('rotates every 30 days with the rotation function, and once at creation', () => {
    const schedules = ofType('AWS::SecretsManager::RotationSchedule')
      .map(([, r]) => r.Properties)
      .filter((s) => JSON.stringify(s.SecretId) === JSON.stringify({ Ref: secretId() }));
    expect(schedules).toEqual([
      {
        SecretId: { Ref: secretId() },
        RotationLambdaARN: { 'Fn::GetAtt': [fnId('keyRotation'), 'Arn'] },
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
        RotateImmediatelyOnUpdate: true,
      },
    ]);
    // Secrets Manager may invoke the rotation function.
    const permissions = ofType('AWS::Lambda::Permission').map(([, r]) => r.Properties);
    expect(permissions).toContainEqual(expect.objectContaining({ FunctionName: { 'Fn::GetAtt': [fnId('keyRotation'), 'Arn'] }, Principal: 'secretsmanager.amazonaws.com', Action: 'lambda:InvokeFunction' }));
  });

  it('is read (GetSecretValue) by exactly the key readers of the registry, on that secret only, and decrypted only through Secrets Manager', () => {
    const onThisSecret = (s: Statement) => JSON.stringify(asList(s.Resource as unknown)).includes(`"${secretId()}"`);
    for (const name of NAMES) {
      const all = granting(roleId(name), 'secretsmanager:GetSecretValue');
      // No function may read every secret.
      expect({ name, wildcard: all.filter((s) => JSON.stringify(s.Resource).includes('"*"')) }).toEqual({ name, wildcard: [] });
      const reads = all.filter(onThisSecret);
      if (name === 'keyRotation') continue;
      if (!SIGNING_KEY_READERS.has(name)) {
        expect({ name, reads }).toEqual({ name, reads: [] });
        expect({ name, decrypt: granting(roleId(name), 'kms:Decrypt').filter((s) => JSON.stringify(s.Resource).includes(`"${keyId()}"`)) }).toEqual({ name, decrypt: [] });
        continue;
      }
      expect({ name, reads: reads.map((s) => [s.Action, s.Resource]) }).toEqual({ name, reads: [['secretsmanager:GetSecretValue', { Ref: secretId() }]] });
      expect({ name, decrypt: granting(roleId(name), 'kms:Decrypt').filter((s) => JSON.stringify(s.Resource).includes(`"${keyId()}"`)).map((s) => [s.Action, s.Resource, s.Condition]) }).toEqual({
        name,
        decrypt: [['kms:Decrypt', { 'Fn::GetAtt': [keyId(), 'Arn'] }, { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } }]],
      });
      const env = (resources[fnId(name)]!.Properties.Environment as { Variables: Json }).Variables;
      expect(env.SIGNING_KEYS_SECRET_ID).toEqual({ Ref: secretId() });
    }
    expect(SIGNING_KEY_READERS.has('authorizer')).toBe(true);
    expect(SIGNING_KEY_READERS.has('health')).toBe(false);
    expect(SIGNING_KEY_READERS.has('notifier')).toBe(false);
  });

  it('lets the rotation function do the rotation steps on that secret only, and touch no table', () => {
    const statements = statementsOf(roleId('keyRotation'));
    const onSecret = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('secretsmanager:') && a !== 'secretsmanager:GetRandomPassword'));
    expect(statements.filter((s) => asList(s.Action).includes('secretsmanager:GetRandomPassword')).map((s) => s.Resource)).toEqual(['*']);
    expect(onSecret.flatMap((s) => asList(s.Action)).sort()).toEqual(
      ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'].sort(),
    );
    for (const s of onSecret) expect(s.Resource).toEqual({ Ref: secretId() });
    expect(statements.flatMap((s) => asList(s.Action)).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(FUNCTIONS.keyRotation.table).toBe('none');
    // Its KMS use goes through Secrets Manager (the key policy's grant, by CDK).
    const keyPolicy = JSON.stringify(resources[keyId()]!.Properties.KeyPolicy);
    expect(keyPolicy).toContain(roleId('keyRotation'));
    expect(keyPolicy).toContain('kms:ViaService');
  });

  it('leaves no signing key in the table: no entity, no item, no attribute of it', () => {
    expect(JSON.stringify(data.toJSON())).not.toMatch(/signingKey|signingkey/i);
  });

  it('adds no unacknowledged cdk-nag finding', () => {
    const report = new AwsSolutionsChecks().validateScope(built.application);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

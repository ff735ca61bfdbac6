import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, type AppFunction } from './app-function.ts';

export interface SigningKeysProps {
  /** The rotation function (registry `keyRotation`): Secrets Manager calls it with each rotation step. */
  readonly rotation: AppFunction;
  /** The functions that read the key set (registry SIGNING_KEY_READERS); nothing else may. */
  readonly readers: readonly AppFunction[];
}

/** Days between rotations: each key signs 30 days, then verifies as `previous` until the next one. */
export const ROTATION_DAYS = 30;

/**
 * The token signing keys (docs/architecture.md "Signing keys", docs/operations.md "Key rotation"):
 * a Secrets Manager secret holding the ES256 key set and the cursor derivation secret
 * (functions/platform/keys.ts), encrypted with a customer managed KMS key of its own (rotated
 * yearly by KMS), rotated every 30 days by the rotation function and once at creation, so the first
 * key set exists when the first deployment ends. The readers get `secretsmanager:GetSecretValue`
 * on this secret only and `kms:Decrypt` on its key only through Secrets Manager; the rotation
 * function the four rotation actions on it (and Encrypt/Decrypt/GenerateDataKey through Secrets Manager).
 */
export class SigningKeys extends Construct {
  readonly key: Key;
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: SigningKeysProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new Key(this, 'Key', {
      description: 'Encrypts the token signing key secret',
      enableKeyRotation: true,
      // Nothing of lasting value: a lost key set only ends the sessions' access tokens (15 min)
      // and the list cursors in flight; a new deployment makes a new one.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });

    this.secret = new Secret(this, 'Secret', {
      description: 'Token signing keys (ES256 JWK set: current and previous) and the cursor derivation secret; written only by its rotation function',
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Every 30 days, and at once when the schedule is created (the secret's first value is a
    // random string that the first rotation replaces with a key set).
    this.secret.addRotationSchedule('Rotation', {
      rotationLambda: props.rotation.fn,
      automaticallyAfter: Duration.days(ROTATION_DAYS),
      rotateImmediatelyOnUpdate: true,
    });
    acknowledge(props.rotation.role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'secretsmanager:GetRandomPassword (granted by CDK to every rotation function; this one draws its keys with jose) and X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) support no resource-level permissions.',
      },
    ]);

    const viaSecretsManager = { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } };
    for (const reader of props.readers) {
      reader.fn.addEnvironment('SIGNING_KEYS_SECRET_ID', this.secret.secretArn);
      reader.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }));
      reader.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:Decrypt'], resources: [this.key.keyArn], conditions: viaSecretsManager }));
    }
  }
}

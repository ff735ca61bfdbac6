import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, type AppFunction } from './app-function.ts';

export interface OriginVerifyProps {
  /** The functions that serve routes: each refuses a request without the header (functions/platform/origin-verify.ts). */
  readonly httpFunctions: readonly AppFunction[];
}

/**
 * Only requests that came through CloudFront, and so through its WAF, reach the routes
 * (docs/operations.md#edge): a random value in a Secrets Manager secret, which CloudFront adds as
 * the `x-origin-verify` header to every `/v1/*` request it forwards (the console stack's origin)
 * and which every route function expects in `ORIGIN_VERIFY_SECRET`. CloudFormation resolves the
 * value at deployment into both (a dynamic reference): no function reads the secret at run time.
 */
export class OriginVerify extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: OriginVerifyProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'The x-origin-verify header value CloudFront adds to every /v1 request it forwards; the API refuses requests without it',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      // Nothing of lasting value: a new deployment makes a new one, and CloudFront and the functions follow it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(this.secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Not a credential to any data: it only marks requests that came through CloudFront and its WAF. It is resolved at deployment into the CloudFront origin header and the functions\' environment, so a rotation is a new value and one deployment of both stacks (docs/operations.md#edge), not a rotation function.',
      },
    ]);
    for (const fn of props.httpFunctions) fn.fn.addEnvironment('ORIGIN_VERIFY_SECRET', this.headerValue);
  }

  /**
   * The header's value, for CloudFront's origin header and the functions' environment: the
   * generation (context `originVerifyGeneration`, 1 by default), a dot, and the secret as a
   * deploy-time dynamic reference. CloudFormation resolves a dynamic reference only when it
   * updates the resource holding it, so after a new secret value a deployment with another
   * generation updates the distribution and the functions alike, and both take the new value.
   */
  get headerValue(): string {
    const generation = String(this.node.tryGetContext('originVerifyGeneration') ?? '1');
    if (!/^[A-Za-z0-9-]{1,20}$/.test(generation)) throw new Error(`context originVerifyGeneration: "${generation}" must be 1-20 letters, digits or dashes`);
    return `${generation}.${this.secret.secretValue.unsafeUnwrap()}`;
  }
}

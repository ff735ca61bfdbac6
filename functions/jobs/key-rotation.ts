import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clock } from '#platform/clock.ts';
import { rotationStep, type RotationEvent } from '#platform/key-rotation.ts';
import { forgetKeySet } from '#platform/keys.ts';
import { lambdaHandler } from '#platform/lambda-handler.ts';
import { logger } from '#platform/logger.ts';
import { tracer } from '#platform/tracer.ts';

/**
 * The rotation function of the signing key secret (docs/operations.md "Key rotation"): Secrets
 * Manager calls it with each step of a rotation, every 30 days and once at creation, so the first
 * key set exists after the first deployment. The local stack runs the same function at its first
 * start and on `POST /_local/keys/rotate` (local/secrets.ts). The steps: platform/key-rotation.ts.
 */
let client: SecretsManagerClient | undefined;

/** Traced, every line under `rotation:<version>` (the version the rotation makes: platform/correlation.ts). */
export const handler = lambdaHandler(rotate, (event: RotationEvent) => `rotation:${event.ClientRequestToken}`);

async function rotate(event: RotationEvent): Promise<void> {
  client ??= tracer.captureAWSv3Client(new SecretsManagerClient({ maxAttempts: 5 }));
  logger.info('signing key rotation step', { step: event.Step, version: event.ClientRequestToken });
  await rotationStep(client, event, () => clock.nowIso());
  if (event.Step === 'finishSecret') forgetKeySet();
}

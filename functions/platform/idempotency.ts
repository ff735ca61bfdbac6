import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import * as z from 'zod';
import { dynamoClient } from './clients.ts';
import { env } from './env.ts';
import { AppError, Conflict, ValidationFailed } from './errors.ts';
import type { RequestInfo, RouteResult } from './http.ts';
import type { Caller } from './caller.ts';

/**
 * SPEC §4.1 `Idempotency-Key` through Powertools Idempotency: the key is scoped to the signed-in
 * user (under "log in as", the user acted as, never the real actor: two people's sessions never
 * share a key) and the route; the same key with the same body returns the first answer; another body is a 422; a
 * request still running under the key is a 409. Records live 24 hours in the application table.
 */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const KeyHeader = z.string().min(8).max(128).regex(/^[A-Za-z0-9._:-]+$/);

let persistence: DynamoDBPersistenceLayer | undefined;
function store(): DynamoDBPersistenceLayer {
  persistence ??= new DynamoDBPersistenceLayer({
    tableName: env.tableName(),
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: 'idempotency',
    expiryAttr: 'ttl',
    awsSdkV3Client: dynamoClient(),
  });
  return persistence;
}

interface IdempotentCall {
  callerId: string;
  route: string;
  key: string;
  body: unknown;
}

/** Wraps the business function of a route whose POST must be idempotent. */
export function idempotentRoute(route: string, fn: () => Promise<RouteResult>) {
  return async (caller: Caller, request: RequestInfo): Promise<RouteResult> => {
    const { headers, rawBody: body } = request;
    const header = headers['idempotency-key'] ?? headers['Idempotency-Key'];
    const parsed = KeyHeader.safeParse(header);
    if (!parsed.success) {
      throw new ValidationFailed('The Idempotency-Key header is required: 8 to 128 letters, digits or . _ : -', [
        { in: 'header', path: 'Idempotency-Key', code: header ? 'invalid_string' : 'required' },
      ]);
    }
    const config = new IdempotencyConfig({
      eventKeyJmesPath: '[callerId, route, key]',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
      throwOnNoIdempotencyKey: true,
    });
    // An interrupted request's in-progress record expires with the invocation instead of blocking the key.
    config.registerLambdaContext(request.lambdaContext);
    const once = makeIdempotent(async (_call: IdempotentCall) => fn(), { persistenceStore: store(), config });
    try {
      return await once({ callerId: caller.userId, route, key: parsed.data, body: body ?? null });
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof IdempotencyValidationError) {
        throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with another body.');
      }
      if (err instanceof IdempotencyAlreadyInProgressError) {
        throw new Conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.');
      }
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof AppError) throw cause;
      throw err;
    }
  };
}

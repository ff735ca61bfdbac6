import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import { dynamoClient } from '#platform/clients.ts';
import { env } from '#platform/env.ts';
import { AppError, Conflict } from '#platform/errors.ts';
import type { Idempotent, Replay, RouteResult } from '#platform/http-base.ts';
import { bodyHashOf, getRequestKey, type RequestKey } from '#data/request-keys.ts';
import { getOrder } from '#data/orders.ts';
import { orderViewOf } from './orders/views.ts';

/**
 * docs/product.md#api-conventions `Idempotency-Key` through Powertools Idempotency: the key is scoped to the signed-in
 * user (under "log in as", the user acted as, never the real actor: two people's sessions never
 * share a key) and the route; the same key with the same body returns the first answer; another body is a 422; a
 * request still running under the key is a 409. Records live 24 hours in the application table.
 *
 * A route that places an order also passes `replay`: the order's own write records the key
 * (data/request-keys.ts), and a request finding it answers that order, the first answer, even when
 * the first attempt timed out after its write and Powertools' in-progress record expired with it.
 * A retry racing the first attempt loses the key's conditional create and answers the first order too.
 */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

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

/** The order a key placed, answered as the first attempt answered it (as it stands now). */
export const answerOrder =
  (statusCode: 201 | 202): Replay =>
  async (orderId) => {
    const order = await getOrder(orderId, true);
    return order && { statusCode, body: await orderViewOf(order) };
  };

const reusedKey = () => new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with another body.');

/** The first answer of a key that already placed an order; 422 for another body; undefined if it placed none. */
async function earlierAnswer(requestKey: RequestKey, replay: Replay): Promise<RouteResult | undefined> {
  const found = await getRequestKey(requestKey);
  if (!found) return undefined;
  if (found.bodyHash !== requestKey.bodyHash) throw reusedKey();
  return replay(found.orderId);
}

/**
 * The wrapper's `idempotent` hook (platform/http-base.ts): runs a route whose table entry says
 * `idempotencyKey` under the key the wrapper has validated. `run` gets the request's key to write
 * with the order it places (routes with `replay`).
 */
export const idempotent: Idempotent = async (fn, { caller, request, key, route, replay }) => {
  const body = request.rawBody;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[callerId, route, key]',
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    throwOnNoIdempotencyKey: true,
  });
  // An interrupted request's in-progress record expires with the invocation instead of blocking the key.
  config.registerLambdaContext(request.lambdaContext);
  const requestKey: RequestKey = { userId: caller.userId, route, key, bodyHash: bodyHashOf(body) };
  const run = async (): Promise<RouteResult> => {
    if (!replay) return fn(requestKey);
    const earlier = await earlierAnswer(requestKey, replay);
    if (earlier) return earlier;
    try {
      return await fn(requestKey);
    } catch (err) {
      // Lost to an attempt that placed the order meanwhile (its key, its domain name, its cart lines).
      const first = await earlierAnswer(requestKey, replay);
      if (first) return first;
      throw err;
    }
  };
  const once = makeIdempotent(async (_call: IdempotentCall) => run(), { persistenceStore: store(), config });
  try {
    return await once({ callerId: caller.userId, route, key, body: body ?? null });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof IdempotencyValidationError) throw reusedKey();
    if (err instanceof IdempotencyAlreadyInProgressError) {
      throw new Conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.');
    }
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof AppError) throw cause;
    throw err;
  }
};

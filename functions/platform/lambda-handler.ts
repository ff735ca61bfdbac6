import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { useCorrelationId } from './correlation.ts';
import { logger } from './logger.ts';
import { annotateCorrelation, tracer } from './tracer.ts';

/**
 * The wrapper of every function that is not an HTTP route (those have platform/http-base.ts, which
 * does the same): the logger gets the invocation's context and starts without the previous
 * invocation's keys, the tracer records the handler (no payloads), and the correlation id `idOf`
 * finds in the event goes on every log line and on the trace (platform/correlation.ts).
 */
export function lambdaHandler<E, R>(
  fn: (event: E, context: Context) => Promise<R>,
  idOf: (event: E, context: Context) => string,
): (event: E, context?: Context) => Promise<R> {
  // No early timeout of its own (as the HTTP wrapper): the function's timeout is Lambda's.
  const wrapped = middy<E, R, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(correlation(idOf))
    .handler(fn);
  // Unit tests call handlers without a Lambda context.
  return (event, context) => wrapped(event, context ?? ({} as Context));
}

/** Middleware: the correlation id of the invocation, on the logger and the trace. */
export function correlation<E, R>(idOf: (event: E, context: Context) => string): middy.MiddlewareObj<E, R, Error, Context> {
  return {
    before: (request) => {
      const id = idOf(request.event, request.context);
      useCorrelationId(id);
      annotateCorrelation(id);
    },
  };
}

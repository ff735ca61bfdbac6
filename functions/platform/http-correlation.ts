import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { CORRELATION_HEADER, correlationIdOfRequest, useCorrelationId } from './correlation.ts';
import { annotateCorrelation } from './tracer.ts';

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>;

/**
 * The HTTP side of platform/correlation.ts: the request's id (its well-formed `x-correlation-id`,
 * else API Gateway's request id) on every log line and on the trace, and answered back as the
 * `x-correlation-id` header of every answer, an error's too (to quote when reporting a problem).
 */
export function httpCorrelation(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const answer = (request: Request) => {
    const response = request.response;
    if (!response || typeof response !== 'object') return;
    const id = (request.internal as Record<string, unknown>)[CORRELATION_HEADER];
    if (typeof id === 'string') response.headers = { ...response.headers, [CORRELATION_HEADER]: id };
  };
  return {
    before: (request: Request) => {
      const id = correlationIdOfRequest(request.event.headers, request.event.requestContext?.requestId);
      (request.internal as Record<string, unknown>)[CORRELATION_HEADER] = id;
      useCorrelationId(id);
      annotateCorrelation(id);
    },
    after: answer,
    onError: answer,
  };
}

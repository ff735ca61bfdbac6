import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { $ZodError } from 'zod/v4/core';
import { AppError, PayloadTooLarge, TransientError, UnsupportedMediaType, ValidationFailed } from './errors.ts';
import { logger } from './logger.ts';

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>;
export type ParsedEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown; rawBody?: string; bodyError?: AppError };

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_TYPE = /^application\/(.+\+)?json\s*(;.*)?$/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;.*)?$/i;

/**
 * A form body (RFC 6749's token request) as an object of its fields; a field given twice is
 * refused (RFC 6749 §3.2: parameters must not be repeated).
 */
export function formFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(out, key)) throw new ValidationFailed(`The field ${key} is given more than once.`, [{ in: 'body', path: key, code: 'repeated' }]);
    out[key] = value;
  }
  return out;
}

/**
 * Parses a JSON body with the docs/product.md#api-conventions answers: 413 over 64 KiB, 415 for another content type,
 * 400 for malformed JSON. A request without a body passes with `body` undefined. The refusal is
 * kept on the event (`bodyError`), not thrown: the body is the last thing checked (docs/product.md#api-conventions order
 * of checks), so the wrapper throws it only once the caller, its role, the path, the query and the
 * resource have passed.
 */
export function jsonBody(opts: { form?: boolean } = {}): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: async (request: Request) => {
      const event = request.event as unknown as ParsedEvent;
      const raw = event.body as string | undefined;
      if (raw === undefined || raw === null || raw === '') {
        event.body = undefined;
        return;
      }
      event.body = undefined;
      const text = request.event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
        event.bodyError = new PayloadTooLarge();
        return;
      }
      const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
      // Only a route that says so (the OAuth token route) also takes application/x-www-form-urlencoded.
      if (opts.form && FORM_TYPE.test(contentType)) {
        try {
          event.rawBody = text;
          event.body = formFields(text);
        } catch (refused) {
          event.bodyError = refused as AppError;
        }
        return;
      }
      if (!JSON_TYPE.test(contentType)) {
        event.bodyError = new UnsupportedMediaType();
        return;
      }
      try {
        event.rawBody = text;
        event.body = JSON.parse(text);
      } catch {
        event.bodyError = new ValidationFailed('The body is not valid JSON.');
      }
    },
  };
}

export function zodDetails(error: $ZodError): unknown[] {
  return error.issues.map((issue) => ({
    path: issue.path.join('.'),
    code: issue.code,
    message: issue.message,
    ...('keys' in issue ? { keys: issue.keys } : {}),
  }));
}

function render(status: number, code: string, message: string, details?: unknown[], headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ error: { code, message, ...(details?.length ? { details } : {}) } }),
  };
}

/**
 * The one place errors become responses: typed errors keep their status and code; anything else
 * is a 500 with the request id to quote, logged with its stack, never shown to the client.
 */
export function errorResponses(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    onError: async (request: Request) => {
      const error = request.error;
      if (error instanceof AppError) {
        if (error.status >= 500) logger.error('request failed', { error });
        request.response = render(error.status, error.code, error.message, error.details, error.headers);
        return;
      }
      if (error instanceof TransientError) {
        request.response = render(503, 'try_again', 'A concurrent change got in the way; try again.', undefined, { 'retry-after': '1' });
        return;
      }
      if (error instanceof $ZodError) {
        request.response = render(400, 'validation_failed', 'The request is not valid.', zodDetails(error));
        return;
      }
      const requestId = request.context?.awsRequestId ?? request.event.requestContext?.requestId;
      logger.error('unhandled error', { error: error as Error, requestId });
      request.response = render(500, 'internal_error', `Something went wrong on our side. Quote ${requestId} when you report it.`);
    },
  };
}

import { timingSafeEqual } from 'node:crypto';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { ORIGIN_VERIFY_HEADER } from './edge-limits.ts';
import { Forbidden } from './errors.ts';

export { ORIGIN_VERIFY_HEADER };

/**
 * Only requests that came through CloudFront, and so through the WAF (docs/operations.md#edge):
 * CloudFront adds this header, with a secret value, to every `/v1/*` request it forwards to the
 * HTTP API; a request sent to the API's own execute-api endpoint lacks it and is answered 403
 * before anything else is read. The value comes from `ORIGIN_VERIFY_SECRET` (a Secrets Manager
 * secret of the App stack); without it (locally, where there is no CloudFront) the check is off.
 */

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function originVerify(
  expected: string | undefined = process.env.ORIGIN_VERIFY_SECRET,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: (request) => {
      if (!expected) return;
      const given = request.event.headers?.[ORIGIN_VERIFY_HEADER];
      if (given === undefined || !sameSecret(given, expected)) {
        throw new Forbidden('Call the API at the portal\'s own address; its execute-api endpoint is not served.');
      }
    },
  };
}

import { jest } from '@jest/globals';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { baseHandler } from '#platform/http-base.ts';
import { correlationIdOfRequest, currentCorrelationId, jobCorrelationId, wellFormedCorrelationId } from '#platform/correlation.ts';
import { lambdaHandler } from '#platform/lambda-handler.ts';
import { logger } from '#platform/logger.ts';
import { NotFound } from '#platform/errors.ts';

/** The correlation id rules (platform/correlation.ts) and how the wrappers carry the id. */

const GATEWAY_ID = 'Jf3kLhXyIAMEbQw=';

describe('the id a caller may send (x-correlation-id)', () => {
  it.each([
    ['a uuid', '4f1c2a9e-7b3d-4c8e-9f0a-1b2c3d4e5f60'],
    ['a uuid whose last group is all digits', '123e4567-e89b-12d3-a456-426614174000'],
    ['a uuid with a run of 9 digits', '4e9fc671-b09d-4798-9414-381253386af8'],
    ['a ulid', '01JF3K4M5N6P7Q8R9S0T1V2W3X'],
    ['a dotted, colon-separated id', 'checkout.web:req_42-a'],
    ['8 characters, the least', 'abcd-123'],
    ['64 characters, the most', 'a'.repeat(64)],
  ])('is taken as it is: %s', (_what, id) => {
    expect(wellFormedCorrelationId(id)).toBe(id);
    expect(correlationIdOfRequest({ 'x-correlation-id': id }, GATEWAY_ID)).toBe(id);
  });

  it.each([
    ['too long (65 characters)', 'a'.repeat(65)],
    ['far too long', 'x'.repeat(5000)],
    ['too short', 'abc-12'],
    ['empty', ''],
    ['an email address (personal data)', 'jane.doe@customer.example'],
    ['a name with spaces (personal data)', 'Jane Doe order'],
    ['a card number in it (personal data)', 'pay-4111111111111111'],
    ['a phone number (personal data)', '0170-1234567'],
    ['a date of birth (personal data)', '1984.07.21'],
    ['only digits', '4917012345'],
    ['a line break (log injection)', 'abcd-1234\nlevel=ERROR'],
    ['a control character', 'abcd-1234\u0000'],
    ['non-ASCII letters', 'bestellung-größe'],
    ['JSON', '{"a":"bcdefgh"}'],
    ['a path', '../../etc/passwd'],
  ])('is ignored when it is %s: the gateway request id is used', (_what, sent) => {
    expect(wellFormedCorrelationId(sent)).toBeUndefined();
    expect(correlationIdOfRequest({ 'x-correlation-id': sent }, GATEWAY_ID)).toBe(GATEWAY_ID);
  });

  it('is the gateway request id when none is sent', () => {
    expect(correlationIdOfRequest({}, GATEWAY_ID)).toBe(GATEWAY_ID);
    expect(correlationIdOfRequest(undefined, GATEWAY_ID)).toBe(GATEWAY_ID);
  });

  it('a job run is named by its job and time, the same for its retries and continuations', () => {
    const id = jobCorrelationId('renewals', '2026-12-03T00:15:00Z');
    expect(id).toBe('job:renewals:2026-12-03T00:15:00Z');
    // The form a caller could also send: it passes the caller rules.
    expect(wellFormedCorrelationId(id)).toBe(id);
  });
});

function httpEvent(headers: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'GET /v1/health',
    rawPath: '/v1/health',
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'GET', path: '/v1/health', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: GATEWAY_ID,
      routeKey: 'GET /v1/health',
      stage: '$default',
      time: '03/Dec/2026:20:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

const context = { awsRequestId: 'lambda-request-1', functionName: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

describe('the HTTP wrapper', () => {
  const lines: Array<Record<string, unknown>> = [];
  beforeEach(() => {
    lines.length = 0;
    jest.spyOn(logger, 'info').mockImplementation(() => lines.push({ correlationId: logger.getCorrelationId() }));
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const seenInside: Array<string | undefined> = [];
  const ok = baseHandler({ auth: false }, async () => {
    seenInside.push(currentCorrelationId());
    return { statusCode: 204 };
  });
  const failing = baseHandler({ auth: false }, async () => {
    throw new NotFound();
  });

  it('answers the caller\'s well-formed id and logs every line under it', async () => {
    const res = (await ok(httpEvent({ 'x-correlation-id': 'web-7c2d-checkout' }), context)) as APIGatewayProxyStructuredResultV2;
    expect(res.headers?.['x-correlation-id']).toBe('web-7c2d-checkout');
    expect(seenInside.at(-1)).toBe('web-7c2d-checkout');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.correlationId === 'web-7c2d-checkout')).toBe(true);
  });

  it('answers the gateway request id instead of a malformed one, also on an error', async () => {
    const res = (await failing(httpEvent({ 'x-correlation-id': 'jane@customer.example' }), context)) as APIGatewayProxyStructuredResultV2;
    expect(res.statusCode).toBe(404);
    expect(res.headers?.['x-correlation-id']).toBe(GATEWAY_ID);
    expect(JSON.stringify(res.headers)).not.toContain('jane');
  });

  it('does not keep one request\'s id for the next', async () => {
    await ok(httpEvent({ 'x-correlation-id': 'first-request-id' }), context);
    const res = (await ok(httpEvent({}), context)) as APIGatewayProxyStructuredResultV2;
    expect(res.headers?.['x-correlation-id']).toBe(GATEWAY_ID);
    expect(seenInside.at(-1)).toBe(GATEWAY_ID);
  });

  it('lets browsers send and read the header (CORS)', async () => {
    const res = (await ok(httpEvent({ origin: 'https://portal.example', 'x-correlation-id': 'cors-check-1' }), context)) as APIGatewayProxyStructuredResultV2;
    expect(String(res.headers?.['Access-Control-Expose-Headers'] ?? res.headers?.['access-control-expose-headers'])).toContain('x-correlation-id');
  });
});

describe('the wrapper of the other functions (workflow tasks, stream consumers, jobs)', () => {
  it('sets the id the event names for the invocation, and a later invocation does not inherit it', async () => {
    const seen: Array<string | undefined> = [];
    const handler = lambdaHandler(
      async (event: { id?: string }) => {
        seen.push(currentCorrelationId());
        return event.id ?? null;
      },
      (event: { id?: string }, ctx) => event.id ?? ctx.awsRequestId,
    );
    await handler({ id: 'job:billing:2026-12-01T00:30:00Z' }, context);
    await handler({}, context);
    expect(seen).toEqual(['job:billing:2026-12-01T00:30:00Z', 'lambda-request-1']);
  });
});

import { jest } from '@jest/globals';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { baseHandler } from '#platform/http-base.ts';
import { logger } from '#platform/logger.ts';
import { ORIGIN_VERIFY_HEADER } from '#platform/origin-verify.ts';

/**
 * Requests that did not come through CloudFront (docs/operations.md#edge): with
 * `ORIGIN_VERIFY_SECRET` set, as in AWS, the HTTP wrapper answers 403 `forbidden` in the API's
 * error shape to a request without CloudFront's header or with another value, before the body is
 * read or the handler runs; with the right value the route runs. Without the variable (locally)
 * the check is off.
 */
jest.spyOn(logger, 'error').mockImplementation(() => undefined);
jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
jest.spyOn(logger, 'info').mockImplementation(() => undefined);

const SECRET = 'kW3bq9ZrT1mXv8Yc2Lp6Hn4Jd7Fs0Ga5Qe';
const ROUTE = 'POST /v1/auth/login';

const event = (headers: Record<string, string>, body = '{"login":"a@b.test","password":"x"}') =>
  ({
    version: '2.0',
    routeKey: ROUTE,
    rawPath: '/v1/auth/login',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'user-agent': 'jest', ...headers },
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'gw-1',
      routeKey: ROUTE,
      http: { method: 'POST', path: '/v1/auth/login', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
    },
  }) as unknown as APIGatewayProxyEventV2;
const context = { awsRequestId: 'lambda-1', functionName: 'f', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function route() {
  const ran: unknown[] = [];
  const handler = baseHandler({ auth: false, body: z.object({ login: z.string(), password: z.string() }), response: z.object({ ok: z.boolean() }) }, async ({ body }) => {
    ran.push(body);
    return { statusCode: 200, body: { ok: true } };
  });
  return { ran, call: async (headers: Record<string, string>, body?: string) => (await handler(event(headers, body), context)) as APIGatewayProxyStructuredResultV2 };
}

describe('with ORIGIN_VERIFY_SECRET set (AWS)', () => {
  const previous = process.env.ORIGIN_VERIFY_SECRET;
  beforeAll(() => {
    process.env.ORIGIN_VERIFY_SECRET = SECRET;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.ORIGIN_VERIFY_SECRET;
    else process.env.ORIGIN_VERIFY_SECRET = previous;
  });

  it('runs the route when CloudFront\'s header carries the value', async () => {
    const { ran, call } = route();
    const r = await call({ [ORIGIN_VERIFY_HEADER]: SECRET });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body!)).toEqual({ ok: true });
    expect(ran).toHaveLength(1);
  });

  it.each([
    ['no header (a direct call to execute-api)', {}],
    ['another value', { [ORIGIN_VERIFY_HEADER]: `${SECRET.slice(0, -1)}x` }],
    ['a prefix of the value', { [ORIGIN_VERIFY_HEADER]: SECRET.slice(0, 10) }],
    ['an empty value', { [ORIGIN_VERIFY_HEADER]: '' }],
  ])('answers 403 forbidden in the API error shape to %s, before the body is read', async (_label, headers) => {
    const { ran, call } = route();
    // A malformed body: 403 rather than 400 shows the check comes first.
    const r = await call(headers, '{not json');
    expect(r.statusCode).toBe(403);
    expect(JSON.parse(r.body!)).toEqual({ error: { code: 'forbidden', message: expect.stringContaining('execute-api') } });
    expect(ran).toHaveLength(0);
  });
});

describe('without ORIGIN_VERIFY_SECRET (locally)', () => {
  it('runs the route without the header', async () => {
    delete process.env.ORIGIN_VERIFY_SECRET;
    const { ran, call } = route();
    expect((await call({})).statusCode).toBe(200);
    expect(ran).toHaveLength(1);
  });
});

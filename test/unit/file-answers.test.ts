import { jest } from '@jest/globals';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { baseHandler } from '#platform/http-base.ts';
import { NotFound } from '#platform/errors.ts';
import { logger } from '#platform/logger.ts';

/**
 * A route that answers a file (platform/http-base.ts `produces` and `file`, docs/commerce.md
 * "Documents"): bytes go base64 with `isBase64Encoded` for API Gateway's HTTP API to decode, text
 * as it is, the name as `content-disposition: attachment`; locally (CHECK_RESPONSES) a route that
 * answers a file it does not declare, or JSON where it declares a file, is a 500.
 */
jest.spyOn(logger, 'error').mockImplementation(() => undefined);
jest.spyOn(logger, 'info').mockImplementation(() => undefined);

const CALLER = {
  authenticated: true,
  userId: 'usr_01J0000000000000000000ADMN',
  accountId: 'acc_01J0000000000000000000CUST',
  accountType: 'customer',
  role: 'admin',
  accountPath: 'acc_01J0000000000000000000ROOT,acc_01J0000000000000000000CUST',
  rootId: 'acc_01J0000000000000000000ROOT',
};

const event = (routeKey: string) =>
  ({
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1],
    rawQueryString: '',
    headers: { 'user-agent': 'jest' },
    isBase64Encoded: false,
    requestContext: {
      requestId: 'gw-1',
      routeKey,
      http: { method: 'GET', path: routeKey.split(' ')[1], protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
      authorizer: { lambda: CALLER },
    },
  }) as unknown as APIGatewayProxyEventV2;

const context = { awsRequestId: 'lambda-1', functionName: 'f', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const PDF = 'GET /v1/invoices/{invoiceId}/pdf';
const bytes = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x80]);

async function answer(handler: ReturnType<typeof baseHandler>, routeKey = PDF): Promise<APIGatewayProxyStructuredResultV2> {
  return (await handler(event(routeKey), context)) as APIGatewayProxyStructuredResultV2;
}

describe('file answers', () => {
  const previous = process.env.CHECK_RESPONSES;
  beforeAll(() => {
    process.env.CHECK_RESPONSES = 'true';
  });
  afterAll(() => {
    process.env.CHECK_RESPONSES = previous;
  });

  it('bytes: base64 with isBase64Encoded, the declared type, the file name as an attachment, the route’s own headers', async () => {
    const handler = baseHandler({ response: z.string(), produces: 'application/pdf' }, async () => ({
      statusCode: 200,
      file: { data: bytes, fileName: 'INV-000042.pdf' },
      headers: { 'cache-control': 'private, no-store' },
    }));
    const r = await answer(handler);
    expect(r.statusCode).toBe(200);
    expect(r.isBase64Encoded).toBe(true);
    expect(Buffer.from(r.body!, 'base64')).toEqual(Buffer.from(bytes));
    expect(r.headers).toMatchObject({ 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="INV-000042.pdf"', 'cache-control': 'private, no-store' });
    expect(handler.schemas.produces).toBe('application/pdf');
  });

  it('text: as it is, byte order mark and accents included', async () => {
    const csv = '\uFEFFDescription\r\nGröße "€"\r\n';
    const handler = baseHandler({ response: z.string(), produces: 'text/csv; charset=utf-8' }, async () => ({ statusCode: 200, file: { data: csv, fileName: 'a "b".csv' } }));
    const r = await answer(handler, 'GET /v1/billing/exports');
    expect(r.isBase64Encoded).toBe(false);
    expect(r.body).toBe(csv);
    expect(r.headers).toMatchObject({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="a _b_.csv"' });
  });

  it('an error is still the API error body', async () => {
    const handler = baseHandler({ response: z.string(), produces: 'application/pdf' }, async () => {
      throw new NotFound();
    });
    const r = await answer(handler);
    expect(r.statusCode).toBe(404);
    expect(r.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(r.body!)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('locally, a file the route does not declare, or JSON where it declares a file, is a 500 response_mismatch', async () => {
    const undeclared = baseHandler({ response: z.string() }, async () => ({ statusCode: 200, file: { data: bytes } }));
    const json = baseHandler({ response: z.string(), produces: 'application/pdf' }, async () => ({ statusCode: 200, body: 'not a file' }));
    for (const handler of [undeclared, json]) {
      const r = await answer(handler);
      expect([r.statusCode, JSON.parse(r.body!).error.code]).toEqual([500, 'response_mismatch']);
    }
  });
});

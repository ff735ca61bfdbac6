import { plainHandler } from '#platform/http-base.ts';
import document from './openapi.json' with { type: 'json' };

/**
 * GET /v1/openapi.json: the OpenAPI 3.1 document of this API, generated at build time from the
 * route table and the routes' zod schemas (`npm run openapi`, tools/openapi/) and bundled as JSON.
 */
export const handler = plainHandler({ auth: false }, async () => ({
  statusCode: 200,
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));

import { plainHandler } from '#platform/http-base.ts';
import document from './openapi.json' with { type: 'json' };
import { OpenApiDocumentSchema } from './schemas.ts';

/**
 * GET /v1/openapi.json: the OpenAPI 3.1 document of this API, generated at build time from the
 * route table and the routes' zod schemas (`npm run openapi`, tools/openapi/) and bundled as JSON.
 */
export const handler = plainHandler({ auth: false, response: OpenApiDocumentSchema }, async () => ({
  statusCode: 200,
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));

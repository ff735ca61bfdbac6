import { plainHandler } from '#platform/http-base.ts';
import document from './openapi.generated.ts';

/** GET /v1/openapi.json: the OpenAPI 3.1 document of this API, generated from the route schemas. */
export const handler = plainHandler({ auth: false }, async () => ({
  statusCode: 200,
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));

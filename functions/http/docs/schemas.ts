import * as z from 'zod/mini';

/** What GET /v1/openapi.json answers (the document's own shape is OpenAPI's, not this API's). */
export const OpenApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .register(z.globalRegistry, { id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document: this one.' });

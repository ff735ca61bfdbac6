import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROUTES, routeKey } from '../../functions/registry.ts';
import { generatedDocument, loadHandlerModules, renderGenerated } from '../../functions/http/docs/load.ts';
import { operationId } from '../../functions/http/docs/openapi.ts';
import committed from '../../functions/http/docs/openapi.generated.ts';
import { Validator } from '@seriousme/openapi-schema-validator';

/**
 * The OpenAPI document is generated from the route table and the zod schemas the routes enforce;
 * these tests keep it complete and keep the committed copy (what /v1/openapi.json serves) current.
 */
const modules = await loadHandlerModules();
const document = generatedDocument(modules);

describe('the OpenAPI document', () => {
  it('documents every route of the route table, and nothing else', () => {
    const documented = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it('is a valid OpenAPI 3.1 document (the official schema)', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(document)) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is OpenAPI 3.1 with a unique operationId and a summary for each operation', () => {
    expect(document.openapi).toBe('3.1.0');
    const ids = ROUTES.map(operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of ROUTES) {
      const op = document.paths[route.path]![route.method.toLowerCase()]!;
      expect(op.summary).toEqual(expect.any(String));
      expect(op.operationId).toBe(operationId(route));
    }
  });

  it('takes the parameters and bodies from the schemas the handlers validate with', () => {
    const addUsers = document.paths['/v1/accounts/{accountId}/users']!.post!;
    expect(addUsers.parameters).toEqual([expect.objectContaining({ name: 'accountId', in: 'path', required: true })]);
    const body = (addUsers.requestBody as { content: Record<string, { schema: { properties: object; required: string[]; additionalProperties: boolean } }> })
      .content['application/json']!.schema;
    expect(Object.keys(body.properties)).toEqual(['users', 'sendActivationEmail']);
    expect(body.required).toEqual(['users', 'sendActivationEmail']);
    expect(body.additionalProperties).toBe(false);

    const listOrders = document.paths['/v1/orders']!.get!.parameters as Array<{ name: string; in: string; required: boolean }>;
    expect(listOrders.map((p) => p.name)).toEqual(expect.arrayContaining(['accountId', 'status', 'limit', 'cursor']));
    expect(listOrders.every((p) => p.in === 'query' && !p.required)).toBe(true);
  });

  it('marks the public routes and the Idempotency-Key routes', () => {
    for (const route of ROUTES) {
      const op = document.paths[route.path]![route.method.toLowerCase()]!;
      if (route.auth) expect(op.security).toBeUndefined();
      else expect(op.security).toEqual([]);
      const header = ((op.parameters ?? []) as Array<{ $ref?: string }>).some((p) => p.$ref === '#/components/parameters/IdempotencyKey');
      expect(header).toBe(route.idempotencyKey === true);
    }
  });

  it('is committed as generated (run `npm run openapi` after changing a route or a schema)', () => {
    const file = readFileSync(resolve(import.meta.dirname, '../../functions/http/docs/openapi.generated.ts'), 'utf8');
    expect(file).toBe(renderGenerated(modules));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});

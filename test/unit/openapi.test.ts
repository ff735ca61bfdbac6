import { readFileSync } from 'node:fs';
import { ROUTES, routeKey, successStatuses } from '../../functions/registry.ts';
import { DOCUMENT_PATH, generatedDocument, loadHandlerModules, renderDocument } from '../../tools/openapi/load.ts';
import { schemasOf } from '../../tools/openapi/build.ts';
import { CLIENT_TYPES_PATH, renderClientTypes } from '../../tools/openapi/client-types.ts';
import { Validator } from '@seriousme/openapi-schema-validator';

/**
 * The OpenAPI document is generated from the route table and the zod schemas the routes enforce
 * and answer (tools/openapi/); these tests keep it complete and keep the committed copy
 * (functions/http/docs/openapi.json, what GET /v1/openapi.json serves) current.
 */
const modules = await loadHandlerModules();
const document = generatedDocument(modules);
type Operation = { operationId?: string; summary?: string; security?: unknown; parameters?: Array<{ $ref?: string; name?: string; in?: string; required?: boolean }>; requestBody?: unknown; responses: Record<string, Record<string, unknown>> };
const operationOf = (route: (typeof ROUTES)[number]) => document.paths[route.path]![route.method.toLowerCase()] as unknown as Operation;

/**
 * Routes that do not declare `response:` yet (their 2xx body is `unknown` to a generated client).
 * Flip to true once every area has its response schemas: then a route without one fails.
 */
const EVERY_ROUTE_HAS_A_RESPONSE_SCHEMA = true;

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

  it("names each operation by the route table's operationId: camelCase, unique, with a summary", () => {
    const ids = ROUTES.map((r) => r.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const route of ROUTES) {
      expect(route.operationId).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      const op = operationOf(route);
      expect(op.operationId).toBe(route.operationId);
      expect(op.summary).toEqual(expect.any(String));
    }
  });

  it('answers each route under its success statuses, with its response schema (none for 204)', () => {
    for (const route of ROUTES) {
      const { responses } = operationOf(route);
      const statuses = successStatuses(route).map(String);
      expect(Object.keys(responses).filter((s) => s.startsWith('2')).sort()).toEqual([...statuses].sort());
      const declared = schemasOf(route, modules)?.response !== undefined;
      for (const status of statuses) {
        if (status === '204') expect(responses[status]!.content).toBeUndefined();
        else expect(Boolean(responses[status]!.content)).toBe(declared);
      }
    }
  });

  it('names the ETag header on every success answer that carries a version', () => {
    const schemas = document.components.schemas as Record<string, { properties?: Record<string, unknown> }>;
    for (const route of ROUTES) {
      for (const [status, response] of Object.entries(operationOf(route).responses).filter(([s]) => s.startsWith('2'))) {
        const schema = (response.content as { 'application/json'?: { schema: { $ref?: string; properties?: Record<string, unknown> } } } | undefined)?.['application/json']?.schema;
        const resolved = schema?.$ref ? schemas[schema.$ref.split('/').pop()!] : schema;
        const versioned = Boolean(resolved?.properties?.version);
        expect([route.operationId, status, Boolean((response.headers as Record<string, unknown> | undefined)?.ETag)]).toEqual([route.operationId, status, versioned]);
      }
    }
  });

  it('lists the routes without a response schema (strict once every area declares them)', () => {
    const missing = ROUTES.filter((r) => !successStatuses(r).every((s) => s === 204) && !schemasOf(r, modules)?.response).map(routeKey);
    if (missing.length) process.stdout.write(`Routes without a response schema (${missing.length}):\n  ${missing.join('\n  ')}\n`);
    if (EVERY_ROUTE_HAS_A_RESPONSE_SCHEMA) expect(missing).toEqual([]);
  });

  it('refers to every named schema as a component, and every component it refers to exists', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)].map((m) => [m[1]!, m[2]!] as const);
    const components = document.components as unknown as Record<string, Record<string, unknown>>;
    for (const [kind, name] of refs) expect(`${kind}/${name}: ${components[kind]?.[name] ? 'present' : 'missing'}`).toBe(`${kind}/${name}: present`);
    expect(Object.keys(document.components.schemas).filter((n) => n.startsWith('__'))).toEqual([]);
  });

  it('has a named Error component whose code is one of a closed list', () => {
    const error = document.components.schemas.Error as { properties: { error: { properties: { code: { $ref: string } } } } };
    expect(error.properties.error.properties.code.$ref).toBe('#/components/schemas/ErrorCode');
    const codes = (document.components.schemas.ErrorCode as { enum: string[] }).enum;
    expect(codes).toEqual(expect.arrayContaining(['validation_failed', 'not_found', 'invalid_state', 'payment_declined', 'throttled', 'try_again', 'precondition_failed']));
  });

  it('documents the error answers of each kind of route', () => {
    for (const route of ROUTES) {
      const { responses } = operationOf(route);
      const schemas = schemasOf(route, modules)!;
      const has = (status: string) => status in responses;
      expect([route.operationId, has('400'), has('429'), has('503')]).toEqual([route.operationId, true, true, true]);
      expect([route.operationId, has('401'), has('403')]).toEqual([route.operationId, route.auth || has('401'), route.auth]);
      expect([route.operationId, has('412')]).toEqual([route.operationId, route.method !== 'GET' && route.path.includes('{')]);
      expect([route.operationId, has('413'), has('415')]).toEqual([route.operationId, Boolean(schemas.body), Boolean(schemas.body)]);
      expect(responses['429']!.$ref).toBe('#/components/responses/Throttled');
    }
    const login = operationOf(ROUTES.find((r) => r.operationId === 'login')!);
    expect(JSON.stringify(login.responses['401'])).toContain('invalid_credentials');
    for (const id of ['checkout', 'placeOrder', 'changeQuantity', 'payInvoice']) expect(operationOf(ROUTES.find((r) => r.operationId === id)!).responses['402']).toBeDefined();
    for (const id of ['activate', 'confirmPasswordReset', 'confirmLoginChange']) expect(operationOf(ROUTES.find((r) => r.operationId === id)!).responses['410']).toBeDefined();
    const assign = operationOf(ROUTES.find((r) => r.operationId === 'assignLicenses')!);
    expect(JSON.stringify(assign.responses['409'])).toContain('seats_exhausted');
    const throttled = (document.components.responses as Record<string, { headers?: Record<string, unknown> }>).Throttled!;
    expect(throttled.headers?.['Retry-After']).toEqual({ $ref: '#/components/headers/RetryAfter' });
  });

  it('takes the parameters and bodies from the schemas the handlers validate with', () => {
    const addUsers = document.paths['/v1/accounts/{accountId}/users']!.post!;
    expect(addUsers.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'accountId', in: 'path', required: true })]));
    const listOrders = document.paths['/v1/orders']!.get!.parameters as Array<{ name: string; in: string; required: boolean }>;
    expect(listOrders.map((p) => p.name)).toEqual(expect.arrayContaining(['accountId', 'status', 'limit', 'cursor']));
    expect(listOrders.every((p) => p.in === 'query' && !p.required)).toBe(true);
  });

  it('marks the public routes, the Idempotency-Key routes and the If-Match routes', () => {
    for (const route of ROUTES) {
      const op = operationOf(route);
      if (route.auth) expect(op.security).toBeUndefined();
      else expect(op.security).toEqual([]);
      const refs = (op.parameters ?? []).map((p) => p.$ref);
      expect([route.operationId, refs.includes('#/components/parameters/IdempotencyKey')]).toEqual([route.operationId, route.idempotencyKey === true]);
      expect([route.operationId, refs.includes('#/components/parameters/IfMatch')]).toEqual([route.operationId, route.method !== 'GET' && route.path.includes('{')]);
    }
  });

  it("builds a list's example from its item's", () => {
    const listUsers = operationOf(ROUTES.find((r) => r.operationId === 'listUsers')!).responses['200']!;
    const user = (document.components.schemas.User as { examples?: unknown[] } | undefined)?.examples?.[0];
    if (user === undefined) return; // the users area has no User example yet
    expect((listUsers.content as Record<string, { example: unknown }>)['application/json']!.example).toEqual({ items: [user], nextCursor: null });
  });

  it('gives ids a realistic example instead of one made up from their pattern', () => {
    const param = (document.paths['/v1/orders/{orderId}']!.get!.parameters as Array<{ name: string; schema: { examples?: string[] } }>).find((p) => p.name === 'orderId')!;
    expect(param.schema.examples).toEqual([expect.stringMatching(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/)]);
  });

  it('is committed as generated (run `npm run openapi` after changing a route or a schema)', () => {
    expect(readFileSync(DOCUMENT_PATH, 'utf8')).toBe(renderDocument(document));
  });

  it("keeps the console's generated client types current (run `npm run openapi`)", async () => {
    expect(readFileSync(CLIENT_TYPES_PATH, 'utf8')).toBe(await renderClientTypes(document));
  });
});

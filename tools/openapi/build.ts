import * as z from 'zod';
import type { ZodType } from 'zod';
import { ROUTES, routeKey, type FunctionName, type RouteSpec } from '../../registry.ts';
import type { RouteSchemas } from '#http/route.ts';

/**
 * Builds the OpenAPI 3.1 document of the HTTP API from the route table (functions/registry.ts) and
 * the zod schemas each route validates with (kept on its handler by httpHandler()). Nothing here is
 * written by hand twice: a field a schema adds or drops shows in the document on the next
 * `npm run openapi`, and a unit test fails while the committed document (openapi.generated.ts) is
 * behind the schemas.
 */
type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  servers: Array<{ url: string; description?: string }>;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, unknown>;
  tags: Array<{ name: string; description?: string }>;
  security: unknown[];
};

/** What the handler modules export: a route group (`routes`) or a single route (`schemas`). */
export type HandlerModule = { handler: { routes?: Record<string, RouteSchemas>; schemas?: RouteSchemas } };

const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'invalid_state',
  'login_taken',
  'domain_taken',
  'seats_exhausted',
  'below_assigned',
  'cancellation_window_closed',
  'idempotency_in_progress',
  'token_expired',
  'payment_declined',
  'payload_too_large',
  'unsupported_media_type',
  'idempotency_key_reused',
  'throttled',
  'try_again',
];

const TAGS: Record<string, string> = {
  health: 'Liveness',
  auth: 'Sign-in, token refresh, activation and log in as',
  me: "The caller's own profile and licenses",
  accounts: 'Accounts of the channel: distributor → resellers → customers',
  users: 'Portal users of an account',
  catalog: 'Products and offers',
  cart: 'The cart and its checkout',
  domains: 'Microsoft domains (tenants)',
  paymentMethods: 'Saved cards (payment gateway tokens)',
  invoices: 'Invoices and their payment',
  subscriptions: 'Subscriptions and license assignments',
  orders: 'Orders and their workflow gates',
  docs: 'This reference',
};

export function jsonSchemaOf(schema: ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** The schemas a route validates with, from its handler module. */
export function schemasOf(route: RouteSpec, modules: Partial<Record<FunctionName, HandlerModule>>): RouteSchemas | undefined {
  const handler = modules[route.fn]?.handler;
  return handler?.routes?.[routeKey(route)] ?? handler?.schemas;
}

function parameters(schema: ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema);
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    // A default makes a query parameter optional on the wire whatever the output type says.
    const isRequired = where === 'path' || (required.has(name) && !('default' in rest));
    return { name, in: where, required: isRequired, ...(description ? { description } : {}), schema: rest };
  });
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function operation(route: RouteSpec, schemas: RouteSchemas): Record<string, unknown> {
  const params = [...parameters(schemas.params, 'path'), ...parameters(schemas.query, 'query')];
  if (route.idempotencyKey) params.push({ $ref: '#/components/parameters/IdempotencyKey' });
  const responses: Record<string, unknown> = {
    '2XX': { description: 'Success: the resource (201 when created, 202 when an order was started), a list page, or nothing (204).' },
    '400': errorResponse('validation_failed: a path, query or body field is not valid, or a field is unknown'),
  };
  if (route.auth) {
    responses['401'] = errorResponse('unauthenticated: no valid access token');
    responses['403'] = errorResponse('forbidden: the role does not allow this on something in scope');
  }
  if (route.path.includes('{') || route.auth) responses['404'] = errorResponse('not_found: no such thing in the caller\'s scope');
  if (route.method !== 'GET') {
    responses['409'] = errorResponse('A state conflict (invalid_state, login_taken, seats_exhausted, idempotency_in_progress …)');
    responses['422'] = errorResponse('A business rule refused the request (or idempotency_key_reused)');
  }
  if (schemas.body) {
    responses['413'] = errorResponse('payload_too_large: the body is over 64 KiB');
    responses['415'] = errorResponse('unsupported_media_type: the body is not application/json');
  }
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: [route.fn],
    ...(route.auth ? {} : { security: [] }),
    ...(params.length ? { parameters: params } : {}),
    ...(schemas.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(schemas.body) } } } } : {}),
    responses,
  };
}

/** `POST /v1/users/{userId}/activation-email` → `postUsersUserIdActivationEmail`. */
export function operationId(route: Pick<RouteSpec, 'method' | 'path'>): string {
  const words = route.path
    .replace(/^\/v1\//, '')
    .split(/[/{}-]+/)
    .filter(Boolean);
  return route.method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

export function buildOpenApi(modules: Partial<Record<FunctionName, HandlerModule>>, version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of ROUTES) {
    const schemas = schemasOf(route, modules);
    if (!schemas) throw new Error(`${routeKey(route)}: its handler (${route.fn}) keeps no schemas for it`);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, schemas);
  }
  const used = [...new Set(ROUTES.map((r) => r.fn))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cloud License Portal API',
      version,
      description:
        'Subscriptions sold through distributors and resellers to customers. JSON in and out, camelCase, ISO 8601 UTC times, ' +
        'money as `{amount, currency}` in minor units. Lists take `limit` (1–100) and `cursor` and answer `{items, nextCursor}`. ' +
        'Errors are `{error: {code, message, details}}`; unknown fields are refused.',
    },
    servers: [{ url: '/', description: 'This API' }],
    tags: used.map((name) => ({ name, description: TAGS[name] })),
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token from POST /v1/auth/login (15 minutes).' } },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description: 'The same key with the same body returns the first answer for 24 hours; with another body 422.',
          schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' },
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', examples: ERROR_CODES },
                message: { type: 'string' },
                details: { type: 'array', items: {} },
              },
            },
          },
        },
      },
    },
  };
}

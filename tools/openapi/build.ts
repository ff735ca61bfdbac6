import * as z from 'zod';
import type { $ZodType as ZodType } from 'zod/v4/core';
import { errorCodesOf, ROUTES, routeKey, successStatuses, type ErrorStatus, type FunctionName, type RouteSpec } from '../../functions/registry.ts';
import type { RouteSchemas } from '../../functions/http/route.ts';
import { webhooksSection } from './webhooks.ts';

/**
 * Builds the OpenAPI 3.1 document of the HTTP API (build time only: `npm run openapi` writes it to
 * functions/http/docs/openapi.json, which the docs function serves). Its sources:
 * - the route table (functions/registry.ts): paths, methods, operationId, summary, success
 *   statuses, authorizer, Idempotency-Key;
 * - the zod schemas each route validates with and answers (`params`, `query`, `body`, `response`,
 *   kept on its handler by httpHandler()): a schema with `.meta({ id })` is a named component
 *   (`#/components/schemas/{id}`), its `description` and `examples` included;
 * - the error answers of each route with their codes (registry.ts `errorCodesOf`).
 * Nothing is written by hand twice: a field a schema adds or drops shows in the document on the
 * next `npm run openapi`, and a unit test fails while the committed document is behind.
 */
type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  servers: Array<{ url: string; description?: string }>;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    parameters: Record<string, unknown>;
    headers: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
  tags: Array<{ name: string; description?: string }>;
  security: unknown[];
  /** The requests this API sends to registered webhook endpoints, per event type (tools/openapi/webhooks.ts). */
  webhooks: Record<string, { post: Record<string, unknown> }>;
};

/** What a route validates and answers, as its handler keeps it (`response` once the route declares it). */
export type DocumentedSchemas = RouteSchemas & { response?: ZodType };

/** What the handler modules export: a route group (`routes`) or a single route (`schemas`). */
export type HandlerModule = { handler: { routes?: Record<string, DocumentedSchemas>; schemas?: DocumentedSchemas } };

/** The error codes every route may answer, whatever it does (docs/product.md#api-conventions). */
const COMMON_CODES = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'precondition_failed',
  'idempotency_in_progress',
  'idempotency_key_reused',
  'token_expired',
  'payment_declined',
  'payload_too_large',
  'unsupported_media_type',
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
  documents: 'Invoices as documents: PDF and CSV export',
  docs: 'This reference',
  webhooks: 'Webhook endpoints of an account, their delivery log and redelivery',
};

const SCHEMAS = '#/components/schemas/';
const INPUT_MARK = '#input/';
const ULID_PATTERN = /^\^([a-z]+)_\[0-9A-HJKMNP-TV-Z\]\{26\}\$$/;
const ULID_EXAMPLE = '01JD8X4ZQ6N3VYH2K7T5RW9BCE';

/** Removes what only adds noise to a schema: `$schema`/`$id`, the safe-integer bounds zod states on every `.int()`, a format's regex. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === '$id') continue;
    if ((k === 'minimum' && v === Number.MIN_SAFE_INTEGER) || (k === 'maximum' && v === Number.MAX_SAFE_INTEGER)) continue;
    out[k] = tidy(v);
  }
  // A `format` (email, date-time, date) says what zod's long regex for it says: the regex only makes viewers invent noise from it.
  if (typeof out.format === 'string' && typeof out.pattern === 'string') delete out.pattern;
  // An id (`acc_…`, docs/product.md#api-conventions) gets a real-looking example, not one a viewer makes up from its pattern.
  const m = typeof out.pattern === 'string' ? ULID_PATTERN.exec(out.pattern) : null;
  if (m && out.type === 'string' && !out.examples) out.examples = [`${m[1]}_${ULID_EXAMPLE}`];
  return out;
}

/** Rewrites every `$ref` through `map` (undefined: left as is). */
function mapRefs(node: unknown, map: (ref: string) => string | undefined): unknown {
  if (Array.isArray(node)) return node.map((n) => mapRefs(n, map));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? (map(v) ?? v) : mapRefs(v, map)]),
  );
}

function refsIn(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, into));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') into.add(v);
      else refsIn(v, into);
    }
  }
  return into;
}

/**
 * One route schema as JSON Schema with its named parts inlined (no `$ref`, no `$defs`): what the
 * schema-driven tests (test/integration/reliability/) generate requests from.
 */
export function jsonSchemaOf(schema: ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const defs = (out.$defs ?? {}) as Record<string, JsonSchema>;
  delete out.$schema;
  delete out.$defs;
  const inline = (node: unknown, seen: string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => inline(n, seen));
    if (!node || typeof node !== 'object') return node;
    const { $ref, ...rest } = node as JsonSchema;
    if (typeof $ref === 'string' && $ref.startsWith('#/$defs/')) {
      const name = decodeURIComponent($ref.slice('#/$defs/'.length));
      if (seen.includes(name)) return rest; // a cycle: left open
      return { ...(inline(defs[name], [...seen, name]) as JsonSchema), ...(inline(rest, seen) as JsonSchema) };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, seen)]));
  };
  return inline(out, []) as JsonSchema;
}

/** The schemas a route validates with, from its handler module. */
export function schemasOf(route: RouteSpec, modules: Partial<Record<FunctionName, HandlerModule>>): DocumentedSchemas | undefined {
  const handler = modules[route.fn]?.handler;
  return handler?.routes?.[routeKey(route)] ?? handler?.schemas;
}

/**
 * The zod schemas of the document turned into JSON Schema in one pass per direction, so a schema
 * with an id is a `$ref` wherever it appears. Responses are `output` (what the server answers);
 * parameters and bodies are `input` (what a client sends: defaults optional, transforms before).
 * A named schema whose input differs from its output is a second component, `{id}Input`.
 */
class SchemaSet {
  private readonly anonymous = { input: new Map<ZodType, string>(), output: new Map<ZodType, string>() };
  private converted?: { input: Record<string, JsonSchema>; output: Record<string, JsonSchema>; inputName: (id: string) => string };

  /** A handle on a schema of the document, resolved by `json()` after `convert()`. */
  use(schema: ZodType, io: 'input' | 'output'): { io: 'input' | 'output'; key: string; named: boolean } {
    const id = z.globalRegistry.get(schema)?.id;
    if (id) return { io, key: id, named: true };
    const map = this.anonymous[io];
    if (!map.has(schema)) map.set(schema, `__${io}${map.size}`);
    return { io, key: map.get(schema)!, named: false };
  }

  private pass(io: 'input' | 'output'): Record<string, JsonSchema> {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of z.globalRegistry._idmap) registry.add(schema, { id });
    for (const [schema, key] of this.anonymous[io]) registry.add(schema, { id: key });
    const prefix = io === 'output' ? SCHEMAS : INPUT_MARK;
    const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, unrepresentable: 'any', uri: (id) => prefix + id }) as { schemas: Record<string, JsonSchema> };
    if (schemas.__shared) throw new Error('A schema of the API is recursive without an id: give it `.meta({ id })`.');
    return Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, tidy(v) as JsonSchema]));
  }

  convert(): void {
    for (const reserved of ['Error', 'ErrorCode']) {
      if (z.globalRegistry._idmap.has(reserved)) throw new Error(`The schema id ${reserved} is the document's own: choose another.`);
    }
    const output = this.pass('output');
    const rawInput = this.pass('input');
    const ids = [...z.globalRegistry._idmap.keys()];
    // Which named schemas read differently as input: those whose JSON differs, and those that refer to one.
    const differs = new Set<string>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const id of ids) {
        if (differs.has(id)) continue;
        const asInput = mapRefs(rawInput[id], (ref) => (ref.startsWith(INPUT_MARK) ? SCHEMAS + ref.slice(INPUT_MARK.length) : undefined));
        const refersToDiffering = [...refsIn(rawInput[id], new Set())].some((r) => r.startsWith(INPUT_MARK) && differs.has(r.slice(INPUT_MARK.length)));
        if (refersToDiffering || JSON.stringify(asInput) !== JSON.stringify(output[id])) {
          differs.add(id);
          changed = true;
        }
      }
    }
    const inputName = (id: string) => (differs.has(id) ? `${id}Input` : id);
    for (const id of differs) if (ids.includes(inputName(id))) throw new Error(`Schema ids ${id} and ${inputName(id)} collide: rename one.`);
    const input = Object.fromEntries(
      Object.entries(rawInput).map(([k, v]) => [k, mapRefs(v, (ref) => (ref.startsWith(INPUT_MARK) ? SCHEMAS + inputName(ref.slice(INPUT_MARK.length)) : undefined)) as JsonSchema]),
    );
    // A schema without an id is never a component: where another schema holds it, it is written out in place.
    const inlineAnonymous = (all: Record<string, JsonSchema>) => {
      const expand = (node: unknown, seen: string[]): unknown => {
        if (Array.isArray(node)) return node.map((n) => expand(n, seen));
        if (!node || typeof node !== 'object') return node;
        const { $ref, ...rest } = node as JsonSchema;
        if (typeof $ref === 'string' && $ref.startsWith(SCHEMAS + '__')) {
          const key = $ref.slice(SCHEMAS.length);
          if (seen.includes(key)) throw new Error('A schema of the API is recursive without an id: give it `.meta({ id })`.');
          return { ...(expand(all[key], [...seen, key]) as JsonSchema), ...(expand(rest, seen) as JsonSchema) };
        }
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, expand(v, seen)]));
      };
      return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, expand(v, [k]) as JsonSchema]));
    };
    this.converted = { input: inlineAnonymous(input), output: inlineAnonymous(output), inputName };
  }

  /** A handle as it goes into the document: a `$ref` for a named schema, the schema itself otherwise. */
  json(handle: { io: 'input' | 'output'; key: string; named: boolean }): JsonSchema {
    const c = this.converted!;
    if (handle.named) return { $ref: SCHEMAS + (handle.io === 'input' ? c.inputName(handle.key) : handle.key) };
    return c[handle.io][handle.key]!;
  }

  /** The inline schema behind a handle (through its `$ref`), to read its properties. */
  resolve(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    return typeof ref === 'string' && ref.startsWith(SCHEMAS) ? this.component(ref.slice(SCHEMAS.length)) : schema;
  }

  /**
   * A realistic example of a schema: its own `examples[0]`, else one built from its parts' (a page
   * of orders from the Order example); undefined when a required part has none.
   */
  example(schema: JsonSchema | undefined, depth = 0): unknown {
    if (!schema || depth > 8) return undefined;
    if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
    if (typeof schema.$ref === 'string') return schema.$ref.startsWith(SCHEMAS) ? this.example(this.component(schema.$ref.slice(SCHEMAS.length)), depth + 1) : undefined;
    const types = ([] as unknown[]).concat(schema.type ?? []);
    if (types.includes('array')) {
      const item = this.example(schema.items as JsonSchema | undefined, depth + 1);
      return item === undefined ? undefined : [item];
    }
    if (types.includes('object') && schema.properties) {
      const out: Record<string, unknown> = {};
      for (const name of (schema.required ?? []) as string[]) {
        const value = this.example((schema.properties as Record<string, JsonSchema>)[name], depth + 1);
        if (value === undefined) return undefined;
        out[name] = value;
      }
      return out;
    }
    if (types.includes('null')) return null;
    return undefined;
  }

  /** The named schema `name` (an id, or `{id}Input`). */
  component(name: string): JsonSchema {
    const c = this.converted!;
    if (c.output[name] && !name.startsWith('__')) return c.output[name]!;
    const id = name.replace(/Input$/, '');
    return c.input[id]!;
  }
}

function parameters(json: JsonSchema | undefined, where: 'path' | 'query'): unknown[] {
  if (!json) return [];
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    // A default makes a query parameter optional on the wire whatever the output type says.
    const isRequired = where === 'path' || (required.has(name) && !('default' in rest));
    return { name, in: where, required: isRequired, ...(description ? { description } : {}), schema: rest };
  });
}

/** An error answer whose `error.code` is one of `codes`. */
function errorResponse(description: string, codes: readonly string[], headers?: Record<string, unknown>) {
  const narrowed = {
    type: 'object',
    required: ['error'],
    properties: { error: { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: [...codes] } } } },
  };
  return {
    description,
    ...(headers ? { headers } : {}),
    content: {
      'application/json': {
        schema: { allOf: [{ $ref: `${SCHEMAS}Error` }, narrowed] },
        example: { error: { code: codes[0], message: messageOf(codes[0]!) } },
      },
    },
  };
}

const MESSAGES: Record<string, string> = {
  validation_failed: 'The body is not valid.',
  unauthenticated: 'Sign in to continue.',
  invalid_credentials: 'The login or password is not correct.',
  forbidden: 'Your role does not allow this.',
  not_found: 'Not found.',
  precondition_failed: 'The resource changed since you read it: reload it and try again.',
  payment_declined: 'The card was declined; nothing was ordered.',
  token_expired: 'This link has expired or was already used.',
  payload_too_large: 'The request body is larger than 64 KiB.',
  unsupported_media_type: 'Send the body as application/json.',
  throttled: 'Too many sign-ins at once; try again in a moment.',
  try_again: 'A concurrent change got in the way; try again.',
  invalid_state: 'The order is provisioning; only new or open orders can be cancelled.',
  idempotency_in_progress: 'A request with this Idempotency-Key is still running; try again in a moment.',
};
const messageOf = (code: string) => MESSAGES[code] ?? `Refused: ${code.replaceAll('_', ' ')}.`;

const retryAfter = { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };

const SHARED_RESPONSES = {
  ValidationFailed: errorResponse('validation_failed: a path, query, header or body field is not valid, or a field is unknown', ['validation_failed']),
  Unauthenticated: errorResponse('unauthenticated: no valid access token', ['unauthenticated']),
  Forbidden: errorResponse('forbidden: the role does not allow this on something in scope', ['forbidden']),
  NotFound: errorResponse("not_found: no such thing in the caller's scope", ['not_found']),
  PaymentDeclined: errorResponse('payment_declined: the card was declined; nothing was kept', ['payment_declined']),
  TokenExpired: errorResponse("token_expired: the link's token has expired or was already used", ['token_expired']),
  PreconditionFailed: errorResponse('precondition_failed: `If-Match` names a version the resource no longer has (reload it, then retry)', ['precondition_failed']),
  PayloadTooLarge: errorResponse('payload_too_large: the body is over 64 KiB', ['payload_too_large']),
  UnsupportedMediaType: errorResponse('unsupported_media_type: the body is not application/json', ['unsupported_media_type']),
  Throttled: errorResponse('throttled: too many requests at once; retry after `Retry-After` seconds', ['throttled'], retryAfter),
  TryAgain: errorResponse('try_again: a concurrent change or a busy dependency got in the way; nothing was kept; retry after `Retry-After` seconds', ['try_again'], retryAfter),
};
const shared = (name: keyof typeof SHARED_RESPONSES) => ({ $ref: `#/components/responses/${name}` });

/** The shared answer of a status whose only code is this one. */
const SHARED_BY_CODE: Record<string, keyof typeof SHARED_RESPONSES> = {
  validation_failed: 'ValidationFailed',
  unauthenticated: 'Unauthenticated',
  forbidden: 'Forbidden',
  not_found: 'NotFound',
  payment_declined: 'PaymentDeclined',
  token_expired: 'TokenExpired',
  precondition_failed: 'PreconditionFailed',
  payload_too_large: 'PayloadTooLarge',
  unsupported_media_type: 'UnsupportedMediaType',
  throttled: 'Throttled',
  try_again: 'TryAgain',
};

const ERROR_TEXT: Partial<Record<ErrorStatus, string>> = {
  401: 'the credentials or token are not valid',
  409: 'a state conflict',
  422: 'a business rule refused the request',
};

/** The route's error answers (docs/product.md#api-conventions), by status, each naming the codes it may carry. */
function errorResponses(route: RouteSpec, schemas: DocumentedSchemas): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, codes] of Object.entries(errorCodesOf(route, schemas.body !== undefined)) as Array<[string, readonly string[]]>) {
    const one = codes.length === 1 ? SHARED_BY_CODE[codes[0]!] : undefined;
    out[status] = one ? shared(one) : errorResponse(`${codes.join(', ')}: ${ERROR_TEXT[Number(status) as ErrorStatus] ?? 'refused'}`, codes);
  }
  return out;
}

const SUCCESS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: the work it started goes on (an order), or an email is on its way',
  204: 'Done: no body',
};

/** All codes the document names: the common ones and every route's. */
function allCodes(): string[] {
  const codes = new Set(COMMON_CODES);
  for (const route of ROUTES) for (const list of Object.values(errorCodesOf(route, true))) for (const c of list) codes.add(c);
  return [...codes].sort();
}

export function buildOpenApi(modules: Partial<Record<FunctionName, HandlerModule>>, version: string): OpenApiDocument {
  const set = new SchemaSet();
  const planned = ROUTES.map((route) => {
    const schemas = schemasOf(route, modules);
    if (!schemas) throw new Error(`${routeKey(route)}: its handler (${route.fn}) keeps no schemas for it`);
    return {
      route,
      schemas,
      params: schemas.params && set.use(schemas.params, 'input'),
      query: schemas.query && set.use(schemas.query, 'input'),
      body: schemas.body && set.use(schemas.body, 'input'),
      response: schemas.response && set.use(schemas.response, 'output'),
    };
  });
  set.convert();

  const paths: OpenApiDocument['paths'] = {};
  for (const p of planned) {
    const { route, schemas } = p;
    const params: unknown[] = [...parameters(p.params && set.resolve(set.json(p.params)), 'path'), ...parameters(p.query && set.resolve(set.json(p.query)), 'query')];
    if (route.method !== 'GET' && route.path.includes('{')) params.push({ $ref: '#/components/parameters/IfMatch' });
    if (route.idempotencyKey) params.push({ $ref: '#/components/parameters/IdempotencyKey' });
    const responses: Record<string, unknown> = {};
    const body = p.response && set.json(p.response);
    const resolved = body && set.resolve(body);
    const versioned = Boolean(resolved && (resolved.properties as Record<string, unknown> | undefined)?.version);
    for (const status of [...successStatuses(route)].sort()) {
      if (status === 204 || !body) {
        responses[String(status)] = { description: status === 204 ? SUCCESS_TEXT[204] : `${SUCCESS_TEXT[status]} (no response schema declared yet)` };
        continue;
      }
      if (schemas.produces) {
        // A file (a PDF, a CSV): its media type, and the name it is saved under.
        responses[String(status)] = {
          description: `${SUCCESS_TEXT[status]}: the file, as an attachment`,
          headers: { 'Content-Disposition': { $ref: '#/components/headers/ContentDisposition' } },
          content: { [schemas.produces]: { schema: body } },
        };
        continue;
      }
      const example = set.example(body);
      responses[String(status)] = {
        description: SUCCESS_TEXT[status],
        ...(versioned ? { headers: { ETag: { $ref: '#/components/headers/ETag' } } } : {}),
        content: { 'application/json': { schema: body, ...(example !== undefined ? { example } : {}) } },
      };
    }
    Object.assign(responses, errorResponses(route, schemas));
    let requestBody: unknown;
    if (p.body) {
      const schema = set.json(p.body);
      const example = set.example(schema);
      const json = { schema, ...(example !== undefined ? { example } : {}) };
      // A route that also takes a form (the OAuth token route) lists it with the same fields.
      requestBody = { required: true, content: { 'application/json': json, ...(schemas.form ? { 'application/x-www-form-urlencoded': json } : {}) } };
    }
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.fn],
      ...(route.auth ? {} : { security: [] }),
      ...(params.length ? { parameters: params } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }

  const codes = allCodes();
  const base: JsonSchema = {
    ErrorCode: { type: 'string', enum: codes, description: 'The stable code of an error (docs/product.md#api-conventions); the message is for people and may change.' },
    Error: {
      type: 'object',
      required: ['error'],
      additionalProperties: false,
      description: 'Every error answer: a stable code, a message for people, and details (which fields, which state).',
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          additionalProperties: false,
          properties: {
            code: { $ref: `${SCHEMAS}ErrorCode` },
            message: { type: 'string' },
            details: { type: 'array', items: {} },
          },
        },
      },
      examples: [{ error: { code: 'validation_failed', message: 'The body is not valid.', details: [{ in: 'body', path: 'quantity', code: 'too_small', message: 'Too small: expected number to be >=1' }] } }],
    },
  };

  const draft = {
    openapi: '3.1.0',
    info: {
      title: 'Cloud License Portal API',
      version,
      description:
        'Subscriptions sold through distributors and resellers to customers. JSON in and out, camelCase, ISO 8601 UTC times, ' +
        'money as `{amount, currency}` in minor units. Lists take `limit` (1–100) and `cursor` and answer `{items, nextCursor}`. ' +
        'Errors are `{error: {code, message, details}}`; unknown fields are refused. A resource with a `version` answers it as ' +
        'its `ETag`; send it back as `If-Match` on a change to have a stale change refused (412).',
    },
    servers: [{ url: '/', description: 'This API' }],
    tags: [
      ...[...new Set(ROUTES.map((r) => r.fn))].map((name) => ({ name, description: TAGS[name] })),
      { name: 'webhookEvents', description: 'What this API sends to your webhook endpoints, signed (see the `webhooks` section)' },
    ],
    security: [{ bearerAuth: [] }],
    paths,
    webhooks: webhooksSection(),
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token from POST /v1/auth/login (15 minutes).' } },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description: 'The same key with the same body returns the first answer for 24 hours; with another body 422; while the first is still running 409.',
          schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$', examples: ['checkout-7f3c2a9e-1b4d'] },
        },
        IfMatch: {
          name: 'If-Match',
          in: 'header',
          required: false,
          description: 'The `ETag` of the resource as you read it (its version, quoted): a change to a newer version is refused with 412.',
          schema: { type: 'string', examples: ['"3"'] },
        },
      },
      headers: {
        ETag: { description: "The resource's version, quoted: send it back as `If-Match`.", schema: { type: 'string', examples: ['"3"'] } },
        RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0, examples: [1] } },
        ContentDisposition: { description: 'The name to save the file under: `attachment; filename="…"`.', schema: { type: 'string', examples: ['attachment; filename="INV-000042.pdf"'] } },
      },
      responses: SHARED_RESPONSES,
      schemas: {} as Record<string, JsonSchema>,
    },
  };

  // Only the named schemas the document reaches, in name order.
  const reached = new Set<string>(['Error', 'ErrorCode']);
  const pending = [...refsIn(draft, new Set())];
  while (pending.length) {
    const ref = pending.pop()!;
    if (!ref.startsWith(SCHEMAS)) continue;
    const name = ref.slice(SCHEMAS.length);
    if (reached.has(name)) continue;
    reached.add(name);
    pending.push(...refsIn(set.component(name), new Set()));
  }
  for (const name of [...reached].sort()) {
    const schema = (base[name] as JsonSchema | undefined) ?? set.component(name);
    if (!schema) throw new Error(`No schema ${name}`);
    draft.components.schemas[name] = schema;
  }
  return draft as OpenApiDocument;
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { ROUTES, routeKey, type RouteSpec } from '../functions/registry.ts';
import { invoke } from './lambda.ts';
import { requestStats } from './dynamodb-stats.ts';
import type { EdgeRateLimiter } from './edge-limits.ts';

/**
 * The local HTTP gateway: serves the route table of functions/registry.ts like API Gateway's HTTP
 * API does (payload format 2.0), running the same authorizer before every route that has one.
 * Local-only endpoints (docs/product.md#local-only-endpoints) are plugged in by the caller.
 */
export type LocalEndpoint = (
  req: IncomingMessage,
  body: string,
  url: URL,
) => Promise<{ status: number; body: unknown; headers?: Record<string, string> } | undefined>;

interface CompiledRoute {
  route: RouteSpec;
  pattern: RegExp;
  params: string[];
}

function compile(route: RouteSpec): CompiledRoute {
  const params: string[] = [];
  const source = route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), params };
}

// Like API Gateway, a literal segment wins over a {param} (GET /v1/domains/availability over /v1/domains/{domainId}).
const compiled = ROUTES.map(compile).sort((a, b) => a.params.length - b.params.length);
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** A refusal of the gateway itself, in the API error shape (as the handlers answer theirs). */
export class GatewayRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function match(method: string, path: string) {
  for (const c of compiled) {
    if (c.route.method !== method) continue;
    const m = c.pattern.exec(path);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    c.params.forEach((name, i) => {
      try {
        pathParameters[name] = decodeURIComponent(m[i + 1]!);
      } catch {
        throw new GatewayRefusal(400, 'validation_failed', `The path parameter ${name} is not valid percent-encoding.`);
      }
    });
    return { route: c.route, pathParameters };
  }
  return undefined;
}

const errorBody = (code: string, message: string) => ({ error: { code, message } });

/**
 * What the gateway answers when it cannot answer with the handler's own response: its refusals,
 * a handler that ran past its function's timeout (503 try_again: the outcome is unknown, so the
 * client reads or retries with the same Idempotency-Key), anything else a 500 with the request id.
 * Always the API error shape, never API Gateway's `{"message": ...}`.
 */
export function gatewayError(err: unknown, requestId: string): { status: number; body: unknown; headers?: Record<string, string> } {
  if (err instanceof GatewayRefusal) return { status: err.status, body: errorBody(err.code, err.message) };
  if ((err as Error | undefined)?.name === 'Sandbox.Timedout') {
    return {
      status: 503,
      body: errorBody('try_again', 'The request took too long and its outcome is unknown: check, or send it again (with the same Idempotency-Key where the route takes one).'),
      headers: { 'retry-after': '1' },
    };
  }
  return { status: 500, body: errorBody('internal_error', `Something went wrong on our side. Quote ${requestId} when you report it.`) };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** The body, or undefined past the limit (read to its end all the same, so the client gets the 413). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks);
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

export interface GatewayOptions {
  port: number;
  host: string;
  region: string;
  local: LocalEndpoint[];
  /** The console: what a GET outside /v1, /_local and /docs answers (local/console.ts). */
  site?: (pathname: string) => Promise<{ status: number; body: Buffer | string; headers: Record<string, string> }>;
  /** The edge's per-client rate limits (WAF in AWS), before anything else: `EDGE_RATE_LIMITS` (local/edge-limits.ts). */
  edgeLimits?: EdgeRateLimiter;
  log?: (line: string) => void;
}

export async function startGateway(opts: GatewayOptions): Promise<Server> {
  const server = createServer(async (req, res) => {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const requestId = randomUUID();
    let url = new URL('http://localhost/');
    try {
      try {
        url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      } catch {
        throw new GatewayRefusal(400, 'validation_failed', 'The request URL is not valid.');
      }
      const raw = await readBody(req);
      if (raw === undefined) throw new GatewayRefusal(413, 'payload_too_large', 'The request body is larger than the gateway accepts.');
      const bodyText = raw.toString('utf8');

      const refused = opts.edgeLimits?.check(req.socket.remoteAddress ?? '127.0.0.1', url.pathname);
      if (refused) {
        opts.log?.(`${method} ${url.pathname} → 429 at the edge (${refused.rule})`);
        res.writeHead(refused.status, refused.headers);
        return res.end(refused.body);
      }

      if (url.pathname.startsWith('/_local/') || url.pathname === '/docs' || url.pathname.startsWith('/docs/')) {
        // A local endpoint's DynamoDB calls are recorded too when asked (the bench's job runs).
        const localStats = requestStats(headersOf(req));
        for (const endpoint of opts.local) {
          const answer = await localStats.measure('handler', () => endpoint(req, bodyText, url));
          if (answer) return send(res, answer.status, answer.body, { ...answer.headers, ...localStats.headers() });
        }
        return send(res, 404, { error: { code: 'not_found', message: 'No such local endpoint.' } });
      }

      if (opts.site && (method === 'GET' || method === 'HEAD') && url.pathname !== '/v1' && !url.pathname.startsWith('/v1/')) {
        const page = await opts.site(url.pathname);
        res.writeHead(page.status, page.headers);
        return res.end(method === 'HEAD' ? undefined : page.body);
      }

      if (method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET,POST,PATCH,PUT,DELETE,OPTIONS',
          'access-control-allow-headers': 'authorization,content-type,idempotency-key,if-match,x-correlation-id',
          'access-control-max-age': '3600',
        });
        return res.end();
      }

      const found = match(method, url.pathname);
      if (!found) return send(res, 404, { error: { code: 'not_found', message: 'No such route.' } });
      const headers = headersOf(req);
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
      const now = new Date();
      const requestContext = {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId,
        routeKey: routeKey(found.route),
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      };
      const common = {
        version: '2.0',
        routeKey: routeKey(found.route),
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        queryStringParameters: Object.keys(query).length ? query : undefined,
        pathParameters: Object.keys(found.pathParameters).length ? found.pathParameters : undefined,
      };

      // LOCAL_DYNAMODB_STATS=true and `x-local-dynamodb: on` (npm run bench): each invoke's DynamoDB calls, in a response header.
      const stats = requestStats(headers);
      let authorizer: { lambda: Record<string, unknown> } | undefined;
      if (found.route.auth) {
        const decision = (await stats.measure('authorizer', () =>
          invoke(
            'authorizer',
            { ...common, type: 'REQUEST', routeArn: `arn:aws:execute-api:${opts.region}:000000000000:local/$default/${method}${url.pathname}`, identitySource: [], requestContext },
            opts.region,
          ),
        )) as { isAuthorized: boolean; context?: Record<string, unknown> };
        if (!decision.isAuthorized) throw new GatewayRefusal(403, 'forbidden', 'Your role does not allow this.');
        authorizer = { lambda: decision.context ?? {} };
      }

      const event = {
        ...common,
        cookies: undefined,
        requestContext: { ...requestContext, ...(authorizer ? { authorizer } : {}) },
        body: raw.length ? bodyText : undefined,
        isBase64Encoded: false,
      };
      const result = (await stats.measure('handler', () => invoke(found.route.fn, event, opts.region))) as Exclude<APIGatewayProxyResultV2, string>;
      const outHeaders: Record<string, string> = stats.headers();
      for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k] = String(v);
      res.writeHead(result.statusCode ?? 200, outHeaders);
      // As API Gateway's HTTP API does: a base64 body (a PDF) is decoded and sent as bytes.
      res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
      opts.log?.(`${method} ${url.pathname} → ${result.statusCode} ${Date.now() - started}ms`);
    } catch (err) {
      const answer = gatewayError(err, requestId);
      opts.log?.(`${method} ${url.pathname} → ${answer.status} ${err instanceof GatewayRefusal ? err.message : ((err as Error).stack ?? err)}`);
      if (!res.headersSent) send(res, answer.status, answer.body, answer.headers);
      else res.end();
    }
  });
  // An idle keep-alive connection stays open longer than clients wait between requests (as a cloud
  // load balancer's 60 s): at 5 s, a client sending on a connection the server was closing that
  // instant got ECONNRESET (seen in the browser tests' API calls).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolveListen());
  });
  return server;
}

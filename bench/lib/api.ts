/* eslint-disable @typescript-eslint/no-explicit-any -- the bench reads loosely-typed JSON replies, as the tests do */
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { parseStatsHeader, STATS_HEADER, type DynamoDbStats } from '../../local/dynamodb-stats.ts';

/**
 * A small HTTP client for the bench: real requests to the local gateway. Node's http client with
 * a large header limit, since the `x-local-dynamodb` header of a write can be long.
 */
export interface Reply<T = any> {
  status: number;
  body: T;
  stats?: DynamoDbStats;
}

export class Api {
  constructor(readonly baseUrl: string) {}

  call<T = any>(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
    // Every bench request asks the gateway for its DynamoDB record (local/dynamodb-stats.ts).
    const headers: Record<string, string> = { [STATS_HEADER]: 'on', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    return new Promise((resolveReply, reject) => {
      const req = request(`${this.baseUrl}${path}`, { method, headers, maxHeaderSize: 1024 * 1024 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          const raw = res.headers[STATS_HEADER];
          resolveReply({ status: res.statusCode ?? 0, body: body as T, stats: parseStatsHeader(Array.isArray(raw) ? raw[0] : raw) });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like `call`, but throws unless the answer has the expected status. */
  async expect<T = any>(status: number, method: string, path: string, opts: Parameters<Api['call']>[2] = {}): Promise<Reply<T>> {
    const r = await this.call<T>(method, path, opts);
    if (r.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
    return r;
  }

  async login(login: string, password: string): Promise<string> {
    const r = await this.expect<{ accessToken: string }>(200, 'POST', '/v1/auth/login', { body: { login, password } });
    return r.body.accessToken;
  }

  /** `POST /_local/orders/{id}/wait`: the order once its execution is idle, with `workflow.statesEntered`. */
  async waitOrder(orderId: string): Promise<any> {
    return (await this.expect(200, 'POST', `/_local/orders/${orderId}/wait?timeoutMs=60000`)).body;
  }
}

export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

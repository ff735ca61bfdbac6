import { request as httpRequest } from 'node:http';
import { jest } from '@jest/globals';
import { client, unique, type Reply } from './api.ts';
import { startStack, type RunningStack } from './stack.ts';
import { EDGE_RATE_LIMITS } from '../../functions/platform/edge-limits.ts';

/**
 * The edge's per-client rate limits locally (docs/operations.md#edge): the gateway with
 * `EDGE_RATE_LIMITS` on, as `npm start` runs it, applies the limits of
 * functions/platform/edge-limits.ts (the same definition as the WAF rate rules in AWS). A login
 * flood from one address is refused with 429 `throttled` and `Retry-After` once past the sign-in
 * limit, never a 5xx; the rest of the API still answers that address until its own, larger limit;
 * another address is not affected. It runs on a stack of its own: the test stacks have the limits off.
 */
jest.setTimeout(600_000);

const [SIGN_IN, API] = EDGE_RATE_LIMITS as [(typeof EDGE_RATE_LIMITS)[number], (typeof EDGE_RATE_LIMITS)[number]];
const WAVE = 20;

let own: RunningStack;
let call: ReturnType<typeof client>['call'];

beforeAll(async () => {
  own = await startStack({ EDGE_RATE_LIMITS: 'true' });
  call = client(own.baseUrl).call;
}, 180_000);

afterAll(async () => {
  await own?.stop();
});

const isEdgeRefusal = (r: Reply, rule: typeof SIGN_IN) => r.status === 429 && r.body?.error?.message === rule.message;

/** Sends `count` requests, `WAVE` at a time. */
async function flood(count: number, send: (i: number) => Promise<Reply>): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let start = 0; start < count; start += WAVE) {
    const wave = await Promise.all(Array.from({ length: Math.min(WAVE, count - start) }, (_, i) => send(start + i)));
    replies.push(...wave);
  }
  return replies;
}

/**
 * A request from another loopback address (the stack listens on every interface): another client
 * to the edge. `call` itself comes from 127.0.0.1.
 */
function fromAddress(localAddress: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const url = new URL(path, own.baseUrl);
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      { host: '127.0.0.1', port: url.port, path: url.pathname, method, localAddress, headers: text ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let data = '';
        res.on('data', (chunk: Buffer) => (data += chunk.toString()));
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
          resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : undefined, headers });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

function expectThrottledShape(r: Reply): void {
  expect(r.status).toBe(429);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.body).toEqual({ error: { code: 'throttled', message: expect.any(String) } });
  expect(r.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
}

describe('the edge rate limits, locally', () => {
  it('a login flood from one address: 401 or 429 until the sign-in limit, then the edge\'s 429 with Retry-After; never a 5xx', async () => {
    const total = SIGN_IN.limit + 40;
    const replies = await flood(total, () =>
      call('POST', '/v1/auth/login', { body: { login: `${unique('flood')}@edge.test`, password: 'Wrong-Pass-Word-99' } }),
    );
    expect(replies.filter((r) => r.status >= 500).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set(replies.some((r) => r.status === 401) ? [401, 429] : [429]));
    // Exactly what went past the limit, counted as the gateway received them.
    const edge = replies.filter((r) => isEdgeRefusal(r, SIGN_IN));
    expect(edge).toHaveLength(total - SIGN_IN.limit);
    for (const r of edge) {
      expectThrottledShape(r);
      expect(r.body.error.message).toBe(SIGN_IN.message);
      expect(r.headers.get('retry-after')).toBe(String(SIGN_IN.retryAfterSeconds));
    }
    // A 429 of the function itself (the hashing queue) has the same shape.
    for (const r of replies.filter((x) => x.status === 429)) expectThrottledShape(r);

    // The address stays refused on every /v1/auth/ route (also with the right password) while it floods…
    const again = await call('POST', '/v1/auth/login', { body: { login: own.adminLogin, password: own.adminPassword } });
    expect(isEdgeRefusal(again, SIGN_IN)).toBe(true);
    const reset = await call('POST', '/v1/auth/password-reset', { body: { login: own.adminLogin } });
    expect(isEdgeRefusal(reset, SIGN_IN)).toBe(true);
    // …while the rest of the API still answers it (the sign-in rule is scoped to /v1/auth/).
    const health = await call('GET', '/v1/health');
    expect(health.status).toBe(200);

    // Another client is not affected: it signs in.
    const other = await fromAddress('127.0.0.2', 'POST', '/v1/auth/login', { login: own.adminLogin, password: own.adminPassword });
    expect(other.status).toBe(200);
    expect(typeof other.body.accessToken).toBe('string');
  });

  it('the general per-address limit on /v1/: past it every route is the edge\'s 429, other addresses and local endpoints still answer', async () => {
    // A fresh address (127.0.0.3): its count starts at zero.
    const client3 = (method: string, path: string) => fromAddress('127.0.0.3', method, path);
    const over = 10;
    const replies = await flood(API.limit + over, () => client3('GET', '/v1/health'));
    expect(replies.filter((r) => r.status !== 200 && r.status !== 429).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    const refused = replies.filter((r) => isEdgeRefusal(r, API));
    expect(refused).toHaveLength(over);
    for (const r of refused) {
      expectThrottledShape(r);
      expect(r.headers.get('retry-after')).toBe(String(API.retryAfterSeconds));
    }
    // Any /v1 route, an unknown one too: the edge answers before the route table.
    const unknown = await client3('GET', '/v1/no-such-route');
    expect(isEdgeRefusal(unknown, API)).toBe(true);
    // Sign-in too: the API rule covers /v1/auth/ as well.
    expect(isEdgeRefusal(await fromAddress('127.0.0.3', 'POST', '/v1/auth/login', { login: own.adminLogin, password: own.adminPassword }), API)).toBe(true);

    // Another address still gets its answers.
    expect((await call('GET', '/v1/health')).status).toBe(200);
    // Not the API: the local endpoints (no WAF in front of them in AWS, they do not exist there).
    expect((await client3('GET', '/_local/clock')).status).toBe(200);
  });
});

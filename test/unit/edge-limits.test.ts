import { EdgeRateLimiter } from '../../local/edge-limits.ts';
import { EDGE_RATE_LIMITS, throttledBody, type EdgeRateLimit } from '../../functions/platform/edge-limits.ts';

/**
 * The local edge's counting (local/edge-limits.ts), as WAF's rate-based rules count
 * (docs/operations.md#edge): per address and rule, over a sliding window; a refused request still
 * counts for its rule, but not for the rules after it; the address is let through again once its
 * count over the window is back under the limit. Small limits here; the real ones are checked by
 * the integration test (test/integration/edge.test.ts).
 */

const SIGN_IN: EdgeRateLimit = { name: 'SignIn', pathPrefix: '/v1/auth/', limit: 3, windowSeconds: 60, retryAfterSeconds: 7, message: 'Too many sign-ins.' };
const API: EdgeRateLimit = { name: 'Api', pathPrefix: '/v1/', limit: 5, windowSeconds: 60, retryAfterSeconds: 3, message: 'Too many requests.' };
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

const refusals = (limiter: EdgeRateLimiter, ip: string, path: string, count: number, at = T0) =>
  Array.from({ length: count }, () => limiter.check(ip, path, at)?.rule ?? 'through');

describe('the local edge rate limiter', () => {
  it('lets an address through up to the limit, then answers the rule\'s 429: the API error body and its Retry-After', () => {
    const limiter = new EdgeRateLimiter([SIGN_IN, API]);
    expect(refusals(limiter, '10.0.0.1', '/v1/auth/login', 3)).toEqual(['through', 'through', 'through']);
    const refused = limiter.check('10.0.0.1', '/v1/auth/login', T0);
    expect(refused).toEqual({
      status: 429,
      body: throttledBody(SIGN_IN),
      headers: { 'content-type': 'application/json', 'retry-after': '7' },
      rule: 'SignIn',
    });
    expect(JSON.parse(refused!.body)).toEqual({ error: { code: 'throttled', message: 'Too many sign-ins.' } });
  });

  it('counts per address, and only the paths under a rule\'s prefix', () => {
    const limiter = new EdgeRateLimiter([SIGN_IN, API]);
    refusals(limiter, '10.0.0.1', '/v1/auth/login', 4);
    expect(limiter.check('10.0.0.2', '/v1/auth/login', T0)).toBeUndefined();
    // Not under either prefix: never counted, never refused.
    expect(refusals(limiter, '10.0.0.1', '/_local/clock', 20)).toEqual(Array(20).fill('through'));
    expect(refusals(limiter, '10.0.0.1', '/v1', 20)).toEqual(Array(20).fill('through'));
  });

  it('a request the first rule refuses is not counted by the next; one it lets through is', () => {
    const limiter = new EdgeRateLimiter([SIGN_IN, API]);
    // 3 sign-ins through (counted by both rules), 10 refused by the sign-in rule (counted by it only).
    expect(refusals(limiter, '10.0.0.1', '/v1/auth/login', 13).filter((r) => r === 'SignIn')).toHaveLength(10);
    // The API rule has seen 3: two more pass, the sixth is refused.
    expect(refusals(limiter, '10.0.0.1', '/v1/me', 3)).toEqual(['through', 'through', 'Api']);
  });

  it('keeps refusing a client that keeps sending, and lets it through once its window has slid past the requests', () => {
    const limiter = new EdgeRateLimiter([SIGN_IN]);
    refusals(limiter, '10.0.0.1', '/v1/auth/login', 3, T0);
    // Refused requests count too: sending on keeps the address refused.
    expect(limiter.check('10.0.0.1', '/v1/auth/login', T0 + 30_000)?.rule).toBe('SignIn');
    // 60 s after the first three only the refused one (at +30 s) is still in the window.
    expect(limiter.check('10.0.0.1', '/v1/auth/login', T0 + 60_000)).toBeUndefined();
    expect(limiter.check('10.0.0.1', '/v1/auth/login', T0 + 61_000)).toBeUndefined();
    expect(limiter.check('10.0.0.1', '/v1/auth/login', T0 + 62_000)?.rule).toBe('SignIn');
    // Quiet for a whole window: a fresh start.
    expect(refusals(limiter, '10.0.0.1', '/v1/auth/login', 3, T0 + 200_000)).toEqual(['through', 'through', 'through']);
  });

  it('forgets idle addresses (memory stays bounded under many clients)', () => {
    const limiter = new EdgeRateLimiter([SIGN_IN]);
    for (let i = 0; i < 999; i++) limiter.check(`10.1.${i >> 8}.${i & 255}`, '/v1/auth/login', T0);
    const buckets = (limiter as unknown as { buckets: Map<string, unknown> }).buckets;
    expect(buckets.size).toBe(999);
    // The 1000th check, a window later, sweeps the idle ones out.
    limiter.check('10.2.0.1', '/v1/auth/login', T0 + 61_000);
    expect(buckets.size).toBe(1);
  });

  it('uses the shared definition by default: the WAF rules\' limits', () => {
    const limiter = new EdgeRateLimiter();
    const [signIn] = EDGE_RATE_LIMITS;
    const results = refusals(limiter, '10.0.0.1', '/v1/auth/refresh', signIn!.limit + 1);
    expect(results.slice(0, -1).every((r) => r === 'through')).toBe(true);
    expect(results.at(-1)).toBe(signIn!.name);
  });
});

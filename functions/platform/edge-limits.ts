/**
 * Per-client throttling at the edge (docs/operations.md#edge): ONE definition, read by both places
 * that enforce it, so they cannot drift apart:
 *
 * - in AWS, the rate-based rules of the CloudFront web ACL (infra/stacks/edge-stack.ts): WAF counts
 *   each client IP's requests whose path starts with `pathPrefix` over `windowSeconds` and blocks
 *   that IP while it is above `limit`, answering 429 with `throttledBody(rule)` and `Retry-After`;
 * - locally, the gateway (local/gateway.ts) when `EDGE_RATE_LIMITS` is on (the default of `npm start`).
 *
 * Only the header name below runs in a Lambda function (the HTTP wrapper's check); the rest is
 * data and one pure body builder.
 */

/**
 * The header CloudFront adds, with a secret value, to every `/v1/*` request it forwards to the
 * API, and without which the HTTP wrapper refuses a request (platform/origin-verify.ts).
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/** WAF's rate-based rules only take these evaluation windows. */
export type EdgeWindowSeconds = 60 | 120 | 300 | 600;

export interface EdgeRateLimit {
  /** The WAF rule's name and metric name; also the key of its 429 body in the web ACL. */
  readonly name: string;
  /** Only requests whose path starts with this count towards the limit (WAF: a scope-down statement). */
  readonly pathPrefix: string;
  /** Requests one client IP may make in `windowSeconds`; above it, it is refused until it slows down (WAF's minimum is 10). */
  readonly limit: number;
  readonly windowSeconds: EdgeWindowSeconds;
  /** The `Retry-After` of the 429 (seconds): a static value, as WAF's custom response is static. */
  readonly retryAfterSeconds: number;
  /** The error message of the 429 body. */
  readonly message: string;
}

/**
 * In the order they are evaluated (WAF priority): a request refused by one rule is not counted by
 * the next, locally as in WAF.
 *
 * - Sign-in and the other `/v1/auth/` routes: 100 requests per 5 minutes per IP (20 a minute)
 *   is far more than people behind one office address sign in, refresh and reset, and bounds a
 *   password-guessing or hashing flood from one address long before the per-user lockout and the
 *   per-process hashing queue have to.
 * - The whole API: 3,000 per 5 minutes per IP (10 a second sustained), a fifth of the stage's 50
 *   requests a second, so one client cannot use up the limit every tenant shares; a console user
 *   or a machine client polling stays well below it.
 */
export const EDGE_RATE_LIMITS: readonly EdgeRateLimit[] = [
  {
    name: 'SignInPerIp',
    pathPrefix: '/v1/auth/',
    limit: 100,
    windowSeconds: 300,
    retryAfterSeconds: 60,
    message: 'Too many sign-in requests from your address; wait a minute and try again.',
  },
  {
    name: 'ApiPerIp',
    pathPrefix: '/v1/',
    limit: 3000,
    windowSeconds: 300,
    retryAfterSeconds: 30,
    message: 'Too many requests from your address; slow down and try again in a moment.',
  },
];

/** The 429 body of a rule, in the API's error shape (docs/api.md): `{"error":{"code":"throttled","message":…}}`. */
export function throttledBody(rule: EdgeRateLimit): string {
  return JSON.stringify({ error: { code: 'throttled', message: rule.message } });
}

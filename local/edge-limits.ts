import { EDGE_RATE_LIMITS, throttledBody, type EdgeRateLimit } from '../functions/platform/edge-limits.ts';

/**
 * The edge's per-client rate limits, locally (docs/operations.md#edge): what the WAF web ACL's
 * rate-based rules do in front of CloudFront in AWS (infra/stacks/edge-stack.ts), from the same
 * definition (functions/platform/edge-limits.ts). For each rule in order, the requests of one
 * client IP whose path starts with the rule's prefix are counted over the rule's window (a sliding
 * window of one-second buckets); a request past the limit is refused with the rule's 429, and a
 * refused request is still counted (a client that keeps flooding stays refused), but not by the
 * rules after it, as in WAF.
 */
export interface EdgeRefusal {
  status: 429;
  body: string;
  headers: Record<string, string>;
  rule: string;
}

interface Bucket {
  second: number;
  count: number;
}

/** Sweep idle clients out of memory every this many checks. */
const SWEEP_EVERY = 1000;

export class EdgeRateLimiter {
  private readonly buckets = new Map<string, Bucket[]>();
  private checks = 0;

  constructor(private readonly rules: readonly EdgeRateLimit[] = EDGE_RATE_LIMITS) {}

  /** Counts the request; the refusal when its client is over a rule's limit, else undefined. */
  check(clientIp: string, pathname: string, nowMs = Date.now()): EdgeRefusal | undefined {
    const second = Math.floor(nowMs / 1000);
    if (++this.checks % SWEEP_EVERY === 0) this.sweep(second);
    for (const rule of this.rules) {
      if (!pathname.startsWith(rule.pathPrefix)) continue;
      const key = `${rule.name} ${clientIp}`;
      const buckets = (this.buckets.get(key) ?? []).filter((b) => b.second > second - rule.windowSeconds);
      const before = buckets.reduce((sum, b) => sum + b.count, 0);
      const last = buckets.at(-1);
      if (last?.second === second) last.count += 1;
      else buckets.push({ second, count: 1 });
      this.buckets.set(key, buckets);
      if (before >= rule.limit) {
        return {
          status: 429,
          body: throttledBody(rule),
          headers: { 'content-type': 'application/json', 'retry-after': String(rule.retryAfterSeconds) },
          rule: rule.name,
        };
      }
    }
    return undefined;
  }

  private sweep(second: number): void {
    const longest = Math.max(...this.rules.map((r) => r.windowSeconds));
    for (const [key, buckets] of this.buckets) if ((buckets.at(-1)?.second ?? 0) <= second - longest) this.buckets.delete(key);
  }
}

import { createHmac, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The rules of webhooks (docs/api.md#webhooks) without I/O: how many endpoints an account keeps,
 * which URLs and addresses may be called (SSRF), how a delivery is signed, and when a failed
 * delivery is tried again and when it is given up.
 */

/** Endpoints per account. */
export const MAX_WEBHOOKS = 10;
/** A delivery's request, connection and answer included. */
export const DELIVERY_TIMEOUT_MS = 5_000;
/** How long a failing delivery is retried, from its first failure; then it is `failed` and its endpoint disabled. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The first retry waits this long; each next one twice as long as the one before, up to RETRY_CAP_MS. */
export const FIRST_RETRY_MS = 30_000;
export const RETRY_CAP_MS = 60 * 60 * 1000;
/** A delivery held behind an earlier one of the same resource is looked at again this soon (the next job run). */
export const HELD_RECHECK_MS = 30_000;
/** How long one sender holds a delivery before another may try it (real time, longer than an attempt). */
export const LEASE_MS = 30_000;

export const WEBHOOK_STATUSES = ['active', 'disabled'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What the configuration allows beyond the AWS default (https only, public addresses only): the local stack allows both. */
export interface UrlPolicy {
  allowHttp: boolean;
  allowPrivateNetworks: boolean;
}

export const AWS_POLICY: UrlPolicy = { allowHttp: false, allowPrivateNetworks: false };

/** Why a URL is refused (the `code` of the 400's detail), or undefined when its form is fine. Addresses are checked apart (`addressRefusal`). */
export function urlRefusal(raw: string, policy: UrlPolicy): 'invalid_url' | 'https_required' | 'credentials_in_url' | 'private_address' | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'invalid_url';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'invalid_url';
  if (url.protocol === 'http:' && !policy.allowHttp) return 'https_required';
  if (url.username || url.password) return 'credentials_in_url';
  if (!url.hostname) return 'invalid_url';
  const literal = hostLiteral(url.hostname);
  if (literal && isBlockedAddress(literal) && !policy.allowPrivateNetworks) return 'private_address';
  if (!literal && isLocalName(url.hostname) && !policy.allowPrivateNetworks) return 'private_address';
  return undefined;
}

/** The IP address a URL's host names literally (`[::1]` → `::1`), or undefined for a name. */
export function hostLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : undefined;
}

/** Names that never leave the machine or the private network, refused before any lookup. */
function isLocalName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.internal') || h.endsWith('.local');
}

/** Is this resolved address one a delivery may connect to under the policy? */
export function addressAllowed(address: string, policy: Pick<UrlPolicy, 'allowPrivateNetworks'>): boolean {
  return policy.allowPrivateNetworks || !isBlockedAddress(address);
}

/**
 * Addresses no webhook may reach in AWS: private (10/8, 172.16/12, 192.168/16, 100.64/10), loopback,
 * link-local (169.254/16 with the instance metadata service 169.254.169.254; fe80::/10), unique-local
 * (fc00::/7, so fd00::/8 and fd00:ec2::254), unspecified, multicast, broadcast and the reserved and
 * documentation ranges; IPv4 inside IPv6 (::ffff:a.b.c.d, 64:ff9b::/96, ::a.b.c.d) by its IPv4 address.
 * Anything that is not an IP address is refused too.
 */
export function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, '');
  const kind = isIP(bare);
  if (kind === 4) return blockedV4(v4Octets(bare));
  if (kind === 6) return blockedV6(v6Bytes(bare));
  return true;
}

function v4Octets(address: string): number[] {
  return address.split('.').map(Number);
}

const V4_BLOCKED: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

function inPrefix(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((bytes[byte]! & mask) !== (prefix[byte]! & mask)) return false;
  }
  return true;
}

function blockedV4(octets: readonly number[]): boolean {
  return V4_BLOCKED.some(([net, bits]) => inPrefix(octets, v4Octets(net), bits));
}

/** The 16 bytes of an IPv6 address (`::` expanded, a dotted IPv4 tail read). */
export function v6Bytes(address: string): number[] {
  // A dotted IPv4 tail (::ffff:10.0.0.1) becomes its two hex groups.
  const text = address.toLowerCase().replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const split = text.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':').filter((g) => g !== '') : []);
  const left = groups(split[0]);
  const right = groups(split[1]);
  const fill = split.length > 1 ? Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0') : [];
  return [...left, ...fill, ...right].slice(0, 8).flatMap((g) => {
    const w = parseInt(g, 16) || 0;
    return [w >> 8, w & 0xff];
  });
}

const V6_BLOCKED: ReadonlyArray<readonly [number[], number]> = [
  [Array<number>(16).fill(0), 128], // ::
  [[...Array<number>(15).fill(0), 1], 128], // ::1
  [[0xfe, 0x80], 10], // link-local
  [[0xfe, 0xc0], 10], // site-local (deprecated)
  [[0xfc], 7], // unique-local, fd00::/8 included
  [[0xff], 8], // multicast
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x01, 0, 0, 0, 0, 0, 0, 0], 64], // discard
];

function blockedV6(bytes: readonly number[]): boolean {
  const embeddedV4 =
    inPrefix(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96) || // ::ffff:a.b.c.d
    inPrefix(bytes, [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96) || // NAT64
    (inPrefix(bytes, Array<number>(12).fill(0), 96) && bytes.slice(12).some((b) => b !== 0) && !(bytes.slice(12, 15).every((b) => b === 0) && bytes[15] === 1));
  if (embeddedV4) return blockedV4(bytes.slice(12));
  return V6_BLOCKED.some(([prefix, bits]) => inPrefix(bytes, [...prefix, ...Array<number>(16 - prefix.length).fill(0)], bits));
}

/** A new endpoint secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the Webhook-Signature header. */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** The wait after the `failures`-th failed attempt (1 for the first): 30 s, doubling, capped at an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1), RETRY_CAP_MS);
}

/**
 * What follows a failed attempt: the next try (never later than the end of the retry window, so the
 * last try falls on it), or giving up once the window since the first failure has passed.
 */
export function afterFailure(firstFailedAt: Date, failures: number, now: Date): { giveUp: true } | { giveUp: false; nextAttemptAt: Date } {
  const windowEnd = firstFailedAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= windowEnd) return { giveUp: true };
  return { giveUp: false, nextAttemptAt: new Date(Math.min(now.getTime() + retryDelayMs(failures), windowEnd)) };
}

/** A 2xx answer is a delivery; anything else (or no answer) a failure to retry. */
export const isDelivered = (statusCode: number | undefined): boolean => statusCode !== undefined && statusCode >= 200 && statusCode < 300;

/**
 * The console's security headers, one list for both worlds: CloudFront's response headers policy
 * (infra/) and the local gateway (local/console.ts) send the same ones, so a CSP violation shows
 * up in the browser tests before it shows up in AWS.
 *
 * The CSP allows scripts from the console's own origin only (no inline script, no eval). Styles
 * allow 'unsafe-inline' because Mantine sets CSS variables through style attributes and injects
 * its theme variables in a <style> element; no script can come in through a style.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};

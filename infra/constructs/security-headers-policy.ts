import { Duration } from 'aws-cdk-lib';
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  type ResponseCustomHeader,
  type ResponseSecurityHeadersBehavior,
} from 'aws-cdk-lib/aws-cloudfront';

/**
 * The console's security headers (console/security-headers.ts, the list the local gateway sends
 * too) in the two shapes a CloudFront response headers policy takes them: the headers CloudFront
 * knows by name (CSP, HSTS, X-Content-Type-Options, X-Frame-Options, Referrer-Policy) as its
 * security headers, every other one as a custom header. Every header overrides what an origin
 * sends, so the browser gets exactly this list from S3 and from the API alike.
 *
 * A value CloudFront cannot express (an HSTS without max-age, an unknown frame option) throws at
 * synthesis: the two worlds must not drift apart silently.
 */
export interface CloudFrontSecurityHeaders {
  readonly securityHeadersBehavior: ResponseSecurityHeadersBehavior;
  readonly customHeaders: ResponseCustomHeader[];
}

const REFERRER_POLICIES = new Map<string, HeadersReferrerPolicy>(
  Object.values(HeadersReferrerPolicy).map((policy) => [policy as string, policy]),
);

export function cloudFrontSecurityHeaders(headers: Readonly<Record<string, string>>): CloudFrontSecurityHeaders {
  const behavior: {
    -readonly [K in keyof ResponseSecurityHeadersBehavior]: ResponseSecurityHeadersBehavior[K];
  } = {};
  const customHeaders: ResponseCustomHeader[] = [];

  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    switch (name) {
      case 'content-security-policy':
        behavior.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'strict-transport-security':
        behavior.strictTransportSecurity = { ...parseHsts(value), override: true };
        break;
      case 'x-content-type-options':
        if (value.toLowerCase() !== 'nosniff') throw new Error(`x-content-type-options: CloudFront can only send "nosniff", not "${value}"`);
        behavior.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options': {
        const option = value.toUpperCase();
        if (option !== HeadersFrameOption.DENY && option !== HeadersFrameOption.SAMEORIGIN) {
          throw new Error(`x-frame-options: CloudFront can send DENY or SAMEORIGIN, not "${value}"`);
        }
        behavior.frameOptions = { frameOption: option as HeadersFrameOption, override: true };
        break;
      }
      case 'referrer-policy': {
        const policy = REFERRER_POLICIES.get(value.toLowerCase());
        if (!policy) throw new Error(`referrer-policy: "${value}" is not a policy CloudFront knows`);
        behavior.referrerPolicy = { referrerPolicy: policy, override: true };
        break;
      }
      case 'x-xss-protection':
        throw new Error('x-xss-protection: set it through CloudFront\'s XSS protection setting, not as a plain header');
      default:
        customHeaders.push({ header: name, value, override: true });
    }
  }
  return { securityHeadersBehavior: behavior, customHeaders };
}

function parseHsts(value: string): { accessControlMaxAge: Duration; includeSubdomains: boolean; preload: boolean } {
  const directives = value.split(';').map((d) => d.trim().toLowerCase()).filter(Boolean);
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)?.[1]).find((v) => v !== undefined);
  if (maxAge === undefined) throw new Error(`strict-transport-security: "${value}" has no max-age`);
  const unknown = directives.filter((d) => !d.startsWith('max-age=') && d !== 'includesubdomains' && d !== 'preload');
  if (unknown.length) throw new Error(`strict-transport-security: CloudFront cannot send ${unknown.join(', ')}`);
  return {
    accessControlMaxAge: Duration.seconds(Number(maxAge)),
    includeSubdomains: directives.includes('includesubdomains'),
    preload: directives.includes('preload'),
  };
}

import * as z from 'zod';
import type { LocalEndpoint } from './gateway.ts';
import type { SesFaultProxy } from './ses-faults.ts';

/**
 * Local-only fault switches (never deployed). `GET /_local/faults/ses` reads the SES switch,
 * `PUT /_local/faults/ses` with `{"refusing": true|false}` turns it; both answer
 * `{refusing, refused, forwarded}` (the SES API calls refused and passed on since the stack
 * started). See local/ses-faults.ts.
 */
const SesFaultBody = z.object({ refusing: z.boolean() }).strict();

export function faultEndpoint(ses: Pick<SesFaultProxy, 'state' | 'setRefusing'>): LocalEndpoint {
  return async (req, body, url) => {
    if (url.pathname !== '/_local/faults/ses') return undefined;
    if (req.method === 'GET') return { status: 200, body: ses.state() };
    if (req.method !== 'PUT') return { status: 405, body: { error: { code: 'method_not_allowed', message: 'GET or PUT.' } } };
    let parsed: unknown;
    try {
      parsed = body ? JSON.parse(body) : {};
    } catch {
      parsed = undefined;
    }
    const input = SesFaultBody.safeParse(parsed);
    if (!input.success) return { status: 400, body: { error: { code: 'validation_failed', message: 'Send {"refusing": true|false}.' } } };
    return { status: 200, body: ses.setRefusing(input.data.refusing) };
  };
}

import * as z from 'zod';
import type { LocalEndpoint } from './gateway.ts';
import type { SesFaultProxy } from './ses-faults.ts';
import type { LocalStepFunctions } from './stepfunctions.ts';

/**
 * Local-only fault switches (never deployed). `GET /_local/faults/{ses|sfn}` reads a switch,
 * `PUT` with `{"refusing": true|false}` turns it:
 * - `ses`: SES API calls are refused (local/ses-faults.ts); answers `{refusing, refused, forwarded}`.
 * - `sfn`: StartExecution answers 503 ServiceUnavailable (local/stepfunctions.ts); answers
 *   `{refusing, refused}`.
 */
const FaultBody = z.object({ refusing: z.boolean() }).strict();

type Switch = { state(): object; setRefusing(refusing: boolean): object };

export function faultEndpoint(switches: { ses: Pick<SesFaultProxy, 'state' | 'setRefusing'>; sfn: Pick<LocalStepFunctions, 'startFaults'> }): LocalEndpoint {
  const byName: Record<string, Switch> = { ses: switches.ses, sfn: switches.sfn.startFaults };
  return async (req, body, url) => {
    const match = /^\/_local\/faults\/([a-z]+)$/.exec(url.pathname);
    const target = match ? byName[match[1]!] : undefined;
    if (!target) return undefined;
    if (req.method === 'GET') return { status: 200, body: target.state() };
    if (req.method !== 'PUT') return { status: 405, body: { error: { code: 'method_not_allowed', message: 'GET or PUT.' } } };
    let parsed: unknown;
    try {
      parsed = body ? JSON.parse(body) : {};
    } catch {
      parsed = undefined;
    }
    const input = FaultBody.safeParse(parsed);
    if (!input.success) return { status: 400, body: { error: { code: 'validation_failed', message: 'Send {"refusing": true|false}.' } } };
    return { status: 200, body: target.setRefusing(input.data.refusing) };
  };
}

import * as z from 'zod';
import type { LocalEndpoint } from './gateway.ts';
import type { SesFaultProxy } from './ses-faults.ts';
import type { LocalStepFunctions } from './stepfunctions.ts';
import type { LocalAsyncLambda } from './job-runs.ts';

/**
 * Local-only fault switches (never deployed). `GET /_local/faults/{ses|sfn}` reads a switch, `PUT`
 * turns it:
 * - `ses` with `{"refusing": true|false}`: SES API calls are refused (local/ses-faults.ts); answers
 *   `{refusing, refused, forwarded}`.
 * - `sfn` with `{"refusing"?: true|false, "hanging"?: false|"before-start"|"after-start"}`:
 *   StartExecution answers 503 ServiceUnavailable, or never answers (before or after starting the
 *   execution), see local/stepfunctions.ts; answers `{refusing, refused, hanging, hangingFor, hung}`.
 *   `{"hanging": …, "correlationId": "<id>"}` hangs only the executions started under that
 *   correlation id (a request's `x-correlation-id`), leaving everyone else's alone.
 * - `jobs` with `{"failing"?: "<job>"|null, "times"?: n, "stopAfter"?: n|null}`: the job's next n
 *   asynchronous runs throw, every asynchronous job run stops after n items (local/job-runs.ts);
 *   answers `{failing, times, stopAfter, thrown, failed}`.
 */
const SesBody = z.object({ refusing: z.boolean() }).strict();
const SfnBody = z
  .object({
    refusing: z.boolean().optional(),
    hanging: z.union([z.literal(false), z.enum(['before-start', 'after-start'])]).optional(),
    correlationId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((b) => b.correlationId === undefined || (b.hanging !== undefined && b.refusing === undefined));

interface Switch {
  state(): object;
  set(body: unknown): object | undefined;
  usage: string;
}

export function faultEndpoint(switches: {
  ses: Pick<SesFaultProxy, 'state' | 'setRefusing'>;
  sfn: Pick<LocalStepFunctions, 'startFaults'>;
  jobs?: Pick<LocalAsyncLambda, 'faultState' | 'setFaults'>;
}): LocalEndpoint {
  const byName: Record<string, Switch> = {
    ses: {
      state: () => switches.ses.state(),
      set: (body) => {
        const input = SesBody.safeParse(body);
        return input.success ? switches.ses.setRefusing(input.data.refusing) : undefined;
      },
      usage: 'Send {"refusing": true|false}.',
    },
    sfn: {
      state: () => switches.sfn.startFaults.state(),
      set: (body) => {
        const input = SfnBody.safeParse(body);
        return input.success ? switches.sfn.startFaults.set(input.data) : undefined;
      },
      usage: 'Send {"refusing"?: true|false, "hanging"?: false|"before-start"|"after-start"}, or {"hanging": …, "correlationId": "<id>"} for one correlation id\'s executions.',
    },
  };
  const jobs = switches.jobs;
  if (jobs) {
    byName.jobs = {
      state: () => jobs.faultState(),
      set: (body) => jobs.setFaults(body),
      usage: 'Send {"failing"?: "<job>"|null, "times"?: 0-100, "stopAfter"?: 1-10000|null}.',
    };
  }
  return async (req, body, url) => {
    const match = /^\/_local\/faults\/([a-z]+)$/.exec(url.pathname);
    const target = match && Object.hasOwn(byName, match[1]!) ? byName[match[1]!] : undefined;
    if (!target) return undefined;
    if (req.method === 'GET') return { status: 200, body: target.state() };
    if (req.method !== 'PUT') return { status: 405, body: { error: { code: 'method_not_allowed', message: 'GET or PUT.' } } };
    let parsed: unknown;
    try {
      parsed = body ? JSON.parse(body) : {};
    } catch {
      parsed = undefined;
    }
    const state = target.set(parsed);
    if (!state) return { status: 400, body: { error: { code: 'validation_failed', message: target.usage } } };
    return { status: 200, body: state };
  };
}

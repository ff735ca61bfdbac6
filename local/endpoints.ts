import type { IncomingMessage } from 'node:http';
import * as z from 'zod';
import { clock, setClock } from '../functions/platform/clock.ts';
import { getOrder } from '../functions/data/orders.ts';
import { orderViewOf } from '../functions/http/orders/views.ts';
import { CardRefused, tokenizeCard } from '../functions/platform/payments/sandbox.ts';
import type { LocalEndpoint } from './gateway.ts';
import { JOBS, type JobName } from '../functions/registry.ts';
import { runJob } from './scheduler.ts';
import type { LocalStepFunctions } from './stepfunctions.ts';
import type { StreamPoller } from './stream-poller.ts';

/**
 * The local-only endpoints of docs/product.md#local-only-endpoints. Never deployed: they live in local/ and the route table
 * does not know them.
 */
const ClockBody = z.object({ now: z.iso.datetime({ offset: true }) }).strict();
/** What the card processor's own page takes; a month or year may come as digits in a string. */
const CardDigits = z.union([z.number().int(), z.string().trim().regex(/^\d{1,4}$/).transform(Number)]);
const CardBody = z
  .object({
    number: z.string().max(40),
    // Two-digit years (`28`) mean 2028, as on the card.
    expMonth: CardDigits,
    expYear: CardDigits.transform((y) => (y < 100 ? 2000 + y : y)),
    cvc: z.string().max(8),
  })
  .strict();
const ORDER_ID = /^\/_local\/orders\/(ord_[0-9A-HJKMNP-TV-Z]{26})\/wait$/;

function bad(message: string) {
  return { status: 400, body: { error: { code: 'validation_failed', message } } };
}

function parseJson(body: string): unknown {
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    return undefined;
  }
}

/** `?wait` with no value, or a value that is not a number of milliseconds. */
const EMAILS_WAIT_DEFAULT_MS = 15_000;
const WAIT_MAX_MS = 120_000;

export function localEndpoints(deps: {
  sfn: LocalStepFunctions;
  stateMachineArn: string;
  sesUrl: string;
  region: string;
  poller: Pick<StreamPoller, 'whenCaughtUp'>;
}): LocalEndpoint[] {
  const clockEndpoint: LocalEndpoint = async (req: IncomingMessage, body: string, url: URL) => {
    if (url.pathname !== '/_local/clock') return undefined;
    if (req.method === 'PUT') {
      const parsed = ClockBody.safeParse(parseJson(body));
      if (!parsed.success) return bad('Send {"now": "<ISO 8601 time>"}.');
      setClock(new Date(parsed.data.now));
    } else if (req.method === 'DELETE') {
      setClock();
    } else if (req.method !== 'GET') {
      return { status: 405, body: { error: { code: 'method_not_allowed', message: 'GET, PUT or DELETE.' } } };
    }
    return { status: 200, body: { now: clock.nowIso(), real: new Date().toISOString() } };
  };

  /**
   * GET /_local/emails: what SES has accepted. Emails leave through the outbox a moment after the
   * change that wrote them (the stream poller hands the record to the notifier); `?wait` (or
   * `?wait=<ms>`) first waits until the poller has handled every record written before the
   * request, so an email queued by a step that has already answered is in the list.
   */
  const emails: LocalEndpoint = async (req, _body, url) => {
    if (url.pathname !== '/_local/emails' || req.method !== 'GET') return undefined;
    const wait = url.searchParams.get('wait');
    if (wait !== null) {
      const timeoutMs = Math.min(Number(wait) || EMAILS_WAIT_DEFAULT_MS, WAIT_MAX_MS);
      if (!(await deps.poller.whenCaughtUp(timeoutMs))) {
        return {
          status: 408,
          body: { error: { code: 'timeout', message: `Emails still on their way after ${timeoutMs} ms (is SES refusing? see /_local/faults/ses).` } },
        };
      }
    }
    const res = await fetch(`${deps.sesUrl}/store`);
    return { status: 200, body: await res.json() };
  };

  const waitForOrder: LocalEndpoint = async (req, _body, url) => {
    const match = ORDER_ID.exec(url.pathname);
    if (!match || req.method !== 'POST') return undefined;
    const orderId = match[1]!;
    const order = await getOrder(orderId, true);
    if (!order) return { status: 404, body: { error: { code: 'not_found', message: 'Not found.' } } };
    const executionArn = order.executionArn ?? `${deps.stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
    const timeoutMs = Math.min(Number(url.searchParams.get('timeoutMs') ?? '30000') || 30000, WAIT_MAX_MS);
    let idle: string;
    try {
      idle = await deps.sfn.waitForIdle(executionArn, timeoutMs);
    } catch (err) {
      return { status: 408, body: { error: { code: 'timeout', message: (err as Error).message } } };
    }
    const after = await getOrder(orderId, true);
    return { status: 200, body: { ...(await orderViewOf(after!)), workflow: { state: idle, statesEntered: deps.sfn.history(executionArn) } } };
  };

  // Plays the processor's page (docs/product.md#local-only-endpoints): the number stops here, the API only sees the token.
  const cardTokens: LocalEndpoint = async (req, body, url) => {
    if (url.pathname !== '/_local/payment-gateway/tokens') return undefined;
    if (req.method !== 'POST') return { status: 405, body: { error: { code: 'method_not_allowed', message: 'POST.' } } };
    const parsed = CardBody.safeParse(parseJson(body));
    if (!parsed.success) {
      return {
        status: 400,
        body: {
          error: {
            code: 'validation_failed',
            message: 'Send {"number", "expMonth", "expYear", "cvc"} and nothing else.',
            details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
          },
        },
      };
    }
    try {
      const card = await tokenizeCard(parsed.data);
      return { status: 201, body: { token: card.token, brand: card.brand, last4: card.last4 } };
    } catch (err) {
      if (err instanceof CardRefused) return { status: 400, body: { error: { code: 'card_refused', message: err.message } } };
      throw err;
    }
  };

  /**
   * POST /_local/jobs/{renewals|billing|dunning|unstartedOrders}: run a job now and wait; "now" is
   * the local clock's, or `?time=<ISO>` (as EventBridge Scheduler passes a late run's scheduled time).
   * A run by hand (`manual`): its own day only, no catch-up, no continuation (local/scheduler.ts);
   * `POST /_local/jobs/{name}/scheduled` runs one as the scheduler does (local/job-runs.ts).
   */
  const jobs: LocalEndpoint = async (req, _body, url) => {
    const match = /^\/_local\/jobs\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match || req.method !== 'POST') return undefined;
    const name = match[1] as JobName;
    if (!Object.hasOwn(JOBS, name)) return { status: 404, body: { error: { code: 'not_found', message: `No job ${name}; jobs: ${Object.keys(JOBS).join(', ')}.` } } };
    const maxItems = url.searchParams.get('maxItems');
    const time = url.searchParams.get('time');
    if (time !== null && Number.isNaN(Date.parse(time))) {
      return { status: 400, body: { error: { code: 'validation_failed', message: 'time must be an ISO date-time.' } } };
    }
    const result = await runJob(name, deps.region, { ...(maxItems ? { maxItems: Number(maxItems) } : {}), ...(time ? { time: new Date(time).toISOString() } : {}) });
    return { status: 200, body: result };
  };

  return [clockEndpoint, emails, waitForOrder, cardTokens, jobs];
}

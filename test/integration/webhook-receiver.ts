import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver the way an integrator would write one, for the integration tests: an HTTP
 * server on 127.0.0.1 (the local stack allows private addresses by configuration) that records
 * every request it gets. `answer` decides each request's status (a receiver that fails some of
 * them); the deliveries it accepted are what the receiver "saw", deduplicated by `Webhook-Id` as
 * the product tells integrators to do (docs/api.md "Webhooks").
 */
export interface Received {
  id: string;
  signature: string;
  body: string;
  event: { id: string; type: string; occurredAt: string; accountId: string; data: Record<string, unknown> };
  status: number;
  at: number;
}

export interface Receiver {
  url: string;
  /** Every request, in arrival order, with the status it was answered. */
  all: Received[];
  /** The accepted (2xx) requests, first of each event id only: what the integrator processed. */
  accepted(): Received[];
  /** Resolves when `predicate` holds over the accepted requests (polls), or rejects after `timeoutMs`. */
  until(predicate: (accepted: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(answer: (req: { id: string; attempt: number }) => number = () => 200): Promise<Receiver> {
  const all: Received[] = [];
  const attempts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = header(req.headers, 'webhook-id');
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const status = answer({ id, attempt });
      let event: Received['event'];
      try {
        event = JSON.parse(body) as Received['event'];
      } catch {
        event = { id: '', type: '', occurredAt: '', accountId: '', data: {} };
      }
      all.push({ id, signature: header(req.headers, 'webhook-signature'), body, event, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const accepted = () => {
    const seen = new Set<string>();
    return all.filter((r) => r.status < 300 && !seen.has(r.id) && seen.add(r.id));
  };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    all,
    accepted,
    async until(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = accepted();
        if (predicate(now)) return now;
        if (Date.now() > deadline) throw new Error(`receiver: condition not met after ${timeoutMs} ms; got ${all.length} requests: ${JSON.stringify(all.map((r) => [r.event.type, r.event.data?.status, r.status]))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/**
 * Verifies `Webhook-Signature: t=<unix seconds>,v1=<hex>` (one or more v1) over `t.body` with the
 * endpoint's secret, as docs/api.md tells integrators to: true when any v1 matches.
 */
export function signatureValid(signature: string, body: string, secret: string): boolean {
  const parts = signature.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  if (!t || !/^\d+$/.test(t)) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return parts
    .filter(([k]) => k === 'v1')
    .some(([, v]) => {
      const given = Buffer.from(v ?? '', 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

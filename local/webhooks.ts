import type { IncomingMessage } from 'node:http';
import { db } from '../functions/data/entities.ts';
import type { WebhookDelivery } from '../functions/data/webhooks.ts';
import type { LocalEndpoint } from './gateway.ts';

/**
 * Webhooks on one machine (local/README.md "Webhooks"):
 * - `/_local/webhooks/sink` (and any path below it): a receiver that records every POST with its
 *   headers and body and answers 200, or the status `?status=` asks (500 to play an outage);
 *   `GET` lists what it received (newest first, the last 500) as JSON, `DELETE` forgets it.
 * - `/_local/webhooks`: a small page listing the recent deliveries of every endpoint (as the SES
 *   emulator lists emails) and what the sink received.
 */
export interface SinkRequest {
  at: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
  /** The body parsed, when it is JSON. */
  json?: unknown;
  answered: number;
}

const KEEP = 500;
const received: SinkRequest[] = [];

function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

const sink: LocalEndpoint = async (req, body, url) => {
  if (url.pathname !== '/_local/webhooks/sink' && !url.pathname.startsWith('/_local/webhooks/sink/')) return undefined;
  if (req.method === 'GET') return { status: 200, body: { received } };
  if (req.method === 'DELETE') {
    received.length = 0;
    return { status: 204, body: '' };
  }
  const asked = Number(url.searchParams.get('status') ?? '200');
  const answered = Number.isInteger(asked) && asked >= 200 && asked <= 599 ? asked : 200;
  const json = parse(body);
  received.unshift({ at: new Date().toISOString(), path: url.pathname, query: url.search, headers: headersOf(req), body, ...(json === undefined ? {} : { json }), answered });
  received.length = Math.min(received.length, KEEP);
  return { status: answered, body: { received: true } };
};

const escape = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The newest deliveries of every endpoint (a Scan: local only, the table is small). */
async function recentDeliveries(max: number): Promise<WebhookDelivery[]> {
  const result = await db().entities.webhookDelivery.scan.go({ pages: 'all' });
  return (result.data as WebhookDelivery[]).sort((a, b) => (a.eventId < b.eventId ? 1 : -1)).slice(0, max);
}

function page(deliveries: readonly WebhookDelivery[]): string {
  const rows = deliveries
    .map(
      (d) => `<tr class="${escape(d.status)}"><td>${escape(d.createdAt)}</td><td>${escape(d.webhookId)}</td><td>${escape(d.eventType)}</td><td><code>${escape(d.eventId)}</code></td>
<td>${escape(d.status)}</td><td>${d.attempts}</td><td>${escape(d.lastStatusCode ?? '')}</td><td>${escape(d.lastError ?? '')}</td><td>${escape(d.status === 'pending' ? (d.nextAttemptAt ?? '') : '')}</td></tr>`,
    )
    .join('\n');
  const sunk = received
    .slice(0, 50)
    .map((r) => `<details><summary>${escape(r.at)} → ${r.answered} <code>${escape(r.headers['webhook-id'] ?? '')}</code> ${escape((r.json as { type?: string } | undefined)?.type ?? '')}</summary><pre>${escape(JSON.stringify(r.headers, null, 2))}\n\n${escape(r.body)}</pre></details>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Webhooks (local)</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
tr.failed td { background: #fdecea; }
tr.pending td { background: #fff8e1; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.8rem; }
pre { background: #f5f5f5; padding: 0.5rem; overflow-x: auto; }
</style>
</head>
<body>
<h1>Webhook deliveries</h1>
<p>The newest ${deliveries.length} deliveries of every endpoint (JSON: <code>GET /v1/webhooks/{id}/deliveries</code>). A receiver on this machine: <code>/_local/webhooks/sink</code> (add <code>?status=500</code> to play an outage).</p>
<table>
<thead><tr><th>Created</th><th>Endpoint</th><th>Type</th><th>Event</th><th>Status</th><th>Attempts</th><th>Last code</th><th>Last error</th><th>Next attempt</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="9">No deliveries yet.</td></tr>'}
</tbody>
</table>
<h2>Received by the sink</h2>
${sunk || '<p>Nothing yet.</p>'}
</body>
</html>`;
}

const deliveriesPage: LocalEndpoint = async (req, _body, url) => {
  if ((url.pathname !== '/_local/webhooks' && url.pathname !== '/_local/webhooks/') || req.method !== 'GET') return undefined;
  return { status: 200, body: page(await recentDeliveries(200)), headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } };
};

export const webhookEndpoints: LocalEndpoint[] = [sink, deliveriesPage];

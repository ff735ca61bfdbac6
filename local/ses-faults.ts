import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The local SES fault switch: a small HTTP proxy in front of the SES emulator (aws-ses-v2-local).
 * The SDK reaches SES through it (`AWS_ENDPOINT_URL_SESV2` points here), so an outage can be
 * played without touching the handlers (docs/product.md#quality-bars: "with SES failing for a while every email is
 * sent once when it recovers").
 *
 * It forwards every request unchanged, except while `refusing`: then each SES API call (the v2
 * REST paths `/v2/…`, and the v1 query API's `POST /`) is answered the way SESv2 answers a call
 * it will not take, a 429 `TooManyRequestsException` in the REST-JSON error shape (the
 * `x-amzn-ErrorType` header and a `{"message"}` body), and never reaches the emulator. The SDK
 * classifies that as a throttling error: it retries with its own backoff (3 attempts by default)
 * and then fails the send, as it would against AWS. The emulator's own pages (`/`, `/store`, …)
 * always pass.
 */
export interface SesFaultState {
  refusing: boolean;
  /** SES API calls answered with the refusal. */
  refused: number;
  /** SES API calls passed on to the emulator. */
  forwarded: number;
}

export interface SesFaultProxy {
  /** Where the SDK should send SES calls: `http://host:port` of the proxy. */
  url: string;
  state(): SesFaultState;
  setRefusing(refusing: boolean): SesFaultState;
  close(): Promise<void>;
}

const REFUSAL = {
  status: 429,
  type: 'TooManyRequestsException',
  message: 'Too many requests have been made to the operation.',
};

function isApiCall(req: IncomingMessage): boolean {
  const path = (req.url ?? '/').split('?')[0]!;
  return path.startsWith('/v2/') || (path === '/' && req.method === 'POST');
}

export async function startSesFaultProxy(opts: { target: string; host: string; port?: number }): Promise<SesFaultProxy> {
  const target = new URL(opts.target);
  const agent = new Agent({ keepAlive: true });
  const counts: SesFaultState = { refusing: false, refused: 0, forwarded: 0 };

  const refuse = (req: IncomingMessage, res: ServerResponse): void => {
    counts.refused += 1;
    // Read the request to its end first, so the keep-alive connection stays usable.
    req.resume();
    req.once('end', () => {
      const body = JSON.stringify({ message: REFUSAL.message });
      res.writeHead(REFUSAL.status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-amzn-errortype': `${REFUSAL.type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`,
        'x-amzn-requestid': randomUUID(),
      });
      res.end(body);
    });
  };

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    if (isApiCall(req)) counts.forwarded += 1;
    const upstream = request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      // The emulator is down or went away: a 502, which the SDK retries like SES's own 5xx.
      if (!res.headersSent) {
        const body = JSON.stringify({ message: `SES emulator unreachable: ${err.message}` });
        res.writeHead(502, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
        res.end(body);
      } else {
        res.destroy(err);
      }
    });
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    if (counts.refusing && isApiCall(req)) refuse(req, res);
    else forward(req, res);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${opts.host}:${port}`,
    state: () => ({ ...counts }),
    setRefusing(refusing) {
      counts.refusing = refusing;
      return { ...counts };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

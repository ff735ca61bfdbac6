import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook } from '../../functions/platform/webhook-sender.ts';
import { addressAllowed, AWS_POLICY } from '../../functions/domain/webhooks.ts';

/**
 * The outbound POST of webhooks (platform/webhook-sender.ts): the address it connects to is the one
 * checked at delivery (a literal, or every address the name resolves to), and an answer that does
 * not come within the timeout is a failure.
 */
describe('postWebhook', () => {
  let server: Server;
  let port: number;
  const seen: Array<{ headers: Record<string, unknown>; body: string }> = [];
  let hang = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        if (!hang) res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    seen.length = 0;
    hang = false;
  });

  const local = { timeoutMs: 2000, allowAddress: (a: string) => addressAllowed(a, { allowPrivateNetworks: true }) };
  const aws = { timeoutMs: 2000, allowAddress: (a: string) => addressAllowed(a, AWS_POLICY) };

  it('posts the body with the headers and answers the status', async () => {
    const result = await postWebhook(`http://127.0.0.1:${port}/hooks`, '{"a":1}', { 'content-type': 'application/json', 'webhook-id': 'ev_1' }, local);
    expect(result).toEqual({ statusCode: 204 });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body).toBe('{"a":1}');
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': 'ev_1', 'content-length': '7' });
  });

  it('never connects to a refused address: a literal, or a name resolving to one (checked at delivery)', async () => {
    for (const url of [`http://127.0.0.1:${port}/hooks`, `http://localhost:${port}/hooks`, `http://[::ffff:127.0.0.1]:${port}/hooks`]) {
      const result = await postWebhook(url, '{}', {}, aws);
      expect(result.statusCode).toBeUndefined();
      expect(result.error).toMatch(/may not be called/);
    }
    expect(seen).toHaveLength(0);
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    hang = true;
    const started = Date.now();
    const result = await postWebhook(`http://127.0.0.1:${port}/slow`, '{}', {}, { ...local, timeoutMs: 300 });
    expect(result).toEqual({ error: 'No answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('takes the status as the answer without waiting for a body that never ends', async () => {
    const slow = createServer((_req, res) => {
      res.writeHead(202, { 'content-type': 'text/plain' });
      res.write('still going');
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const started = Date.now();
    const result = await postWebhook(`http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, '{}', {}, { ...local, timeoutMs: 1500 });
    expect(result).toEqual({ statusCode: 202 });
    expect(Date.now() - started).toBeLessThan(1000);
    slow.closeAllConnections();
    await new Promise<void>((r) => slow.close(() => r()));
  });

  it('reports a connection that is refused as an error, not an answer', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const result = await postWebhook(`http://127.0.0.1:${freePort}/`, '{}', {}, local);
    expect(result.statusCode).toBeUndefined();
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});

import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { call, stack, staffLogin, unique, waitForEmail, waitOrder } from './api.ts';
import { timeoutFor } from './scale.ts';
import { itemsWhere } from './table.ts';
import { createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';

/**
 * One correlation id from the request to the email (docs/operations.md "Tracing and correlation"):
 * an order placed with `x-correlation-id` is answered with it, and the stack's captured log lines
 * (the JSON lines of every function, in the stack's log file) of the HTTP function, each workflow
 * task and the notifier carry it. Two orders placed at once keep their own ids.
 */
interface LogLine {
  message?: string;
  correlation_id?: string;
  function_name?: string;
  orderId?: string;
}

function linesOf(correlationId: string): LogLine[] {
  return readFileSync(stack().logFile, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(correlationId))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return [];
      }
    })
    .filter((l) => l.correlation_id === correlationId);
}

async function waitForLines(correlationId: string, done: (lines: LogLine[]) => boolean): Promise<LogLine[]> {
  const until = Date.now() + timeoutFor(20_000, 60_000);
  let lines = linesOf(correlationId);
  while (!done(lines) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    lines = linesOf(correlationId);
  }
  return lines;
}

const functionsOf = (lines: LogLine[]) => new Set(lines.map((l) => l.function_name));
const WORKFLOW = ['local-workflowAdvance', 'local-workflowProvision', 'local-workflowCheck', 'local-workflowComplete'];

describe('correlation ids', () => {
  let staff: string;
  let offerId: string;

  beforeAll(async () => {
    staff = await staffLogin();
    offerId = (await firstOffer(staff)).offer.id;
  });

  const place = (accountId: string, correlationId: string) =>
    call('POST', `/v1/accounts/${accountId}/orders`, {
      token: staff,
      body: makeOrderBody(offerId, { autoProcess: true }),
      headers: { 'idempotency-key': unique('key'), 'x-correlation-id': correlationId },
    });

  it('follow an order from its request through the HTTP function, every workflow task and the notifier', async () => {
    const customer = await createCustomer(staff);
    const correlationId = `it-${randomUUID()}`;
    const placed = await place(customer.account.id, correlationId);
    expect(placed.status).toBe(201);
    expect(placed.headers.get('x-correlation-id')).toBe(correlationId);
    const orderId = placed.body.id as string;

    expect((await waitOrder(orderId)).status).toBe('completed');
    await waitForEmail((e) => e.destination.to.includes(customer.login) && e.subject.includes(placed.body.number));

    const lines = await waitForLines(correlationId, (ls) => functionsOf(ls).has('local-notifier') && WORKFLOW.every((f) => functionsOf(ls).has(f)));
    const functions = functionsOf(lines);
    expect(functions).toContain('local-orders');
    for (const task of WORKFLOW) expect(functions).toContain(task);
    expect(functions).toContain('local-notifier');
    expect(lines.some((l) => l.function_name === 'local-orders' && l.message === 'request handled')).toBe(true);
    expect(lines.some((l) => l.function_name === 'local-notifier' && l.message === 'Email sent')).toBe(true);
    // The workflow tasks' lines are this order's.
    for (const l of lines.filter((x) => WORKFLOW.includes(x.function_name ?? ''))) expect(l.orderId).toBe(orderId);

    // Stored where an operator finds it from the order alone: the order, and the emails it caused.
    const [order] = await itemsWhere('order', 'id', orderId);
    expect(order?.correlationId).toEqual({ S: correlationId });
    const emails = await itemsWhere('outbox', 'correlationId', correlationId);
    expect(emails.map((e) => e.to?.S)).toContain(customer.login);
  });

  it('stay each with its own order when two are placed at once', async () => {
    const [a, b] = await Promise.all([createCustomer(staff), createCustomer(staff)]);
    const ids = [`it-a-${randomUUID()}`, `it-b-${randomUUID()}`] as const;
    const [placedA, placedB] = await Promise.all([place(a.account.id, ids[0]), place(b.account.id, ids[1])]);
    expect([placedA.status, placedB.status]).toEqual([201, 201]);
    expect(placedA.headers.get('x-correlation-id')).toBe(ids[0]);
    expect(placedB.headers.get('x-correlation-id')).toBe(ids[1]);
    await Promise.all([waitOrder(placedA.body.id), waitOrder(placedB.body.id)]);
    for (const [id, placed] of [
      [ids[0], placedA],
      [ids[1], placedB],
    ] as const) {
      const lines = await waitForLines(id, (ls) => functionsOf(ls).has('local-workflowComplete'));
      expect(functionsOf(lines)).toContain('local-workflowComplete');
      const orderIds = new Set(lines.map((l) => l.orderId).filter(Boolean));
      expect([...orderIds]).toEqual([placed.body.id]);
    }
  });

  it('name a job run by its job and time, on every line of the run', async () => {
    const before = readFileSync(stack().logFile, 'utf8').length;
    expect((await call('POST', '/_local/jobs/webhookRetries')).status).toBe(200);
    const runLine = async () => {
      const until = Date.now() + timeoutFor(10_000, 30_000);
      for (;;) {
        const fresh = readFileSync(stack().logFile, 'utf8').slice(before).split('\n').filter((l) => l.startsWith('{') && l.includes('webhook retries job'));
        if (fresh.length || Date.now() > until) return fresh.map((l) => JSON.parse(l) as LogLine)[0];
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const line = await runLine();
    expect(line?.function_name).toBe('local-webhookRetriesJob');
    expect(line?.correlation_id).toMatch(/^job:webhookRetries:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    // Every line under that id is the job's.
    expect(functionsOf(linesOf(line!.correlation_id!))).toEqual(new Set(['local-webhookRetriesJob']));
  });

  it('use the gateway\'s request id when the header is malformed, and answer it on errors too', async () => {
    const email = `${unique('someone')}@customer.example`;
    const health = await call('GET', '/v1/health', { headers: { 'x-correlation-id': email } });
    expect(health.status).toBe(200);
    const answered = health.headers.get('x-correlation-id');
    expect(answered).toBeTruthy();
    expect(answered).not.toBe(email);
    // The address is in no log line as a correlation id.
    expect(readFileSync(stack().logFile, 'utf8')).not.toContain(`"correlation_id":"${email}"`);

    const notFound = await call('GET', `/v1/orders/ord_${'0'.repeat(26)}`, { token: staff, headers: { 'x-correlation-id': 'it-not-found-1' } });
    expect(notFound.status).toBeGreaterThanOrEqual(400);
    expect(notFound.headers.get('x-correlation-id')).toBe('it-not-found-1');
  });
});

import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { client, unique, type Reply } from './api.ts';
import { startStack, type RunningStack } from './stack.ts';
import { makeCustomerBody, makeOrderBody } from '../factories/index.ts';

/**
 * docs/product.md#what-npm-start-runs "a second start keeps the data and the orders' workflows": on a stack of its own,
 * orders waiting at gate 1, at gate 2 and provisioning when `npm start` is stopped go on after it
 * is started again on the same data dir. And the AWS case: an order whose execution was stopped
 * while it waited at a gate is resumed by the gate action, which never records a status the
 * workflow did not take (no 500, never `open` without a workflow behind it).
 */
const WAIT_MS = 60_000;

describe('a restart of the local stack loses no order workflow', () => {
  let stack: RunningStack;
  let call: ReturnType<typeof client>['call'];
  let staff: string;
  let offerId: string;

  const signIn = async () => {
    const r = await call('POST', '/v1/auth/login', { body: { login: stack.adminLogin, password: stack.adminPassword } });
    if (r.status !== 200) throw new Error(`login: ${r.status} ${JSON.stringify(r.body)}`);
    staff = r.body.accessToken;
  };

  async function place(body: unknown) {
    const customer = await call('POST', '/v1/accounts', { token: staff, body: makeCustomerBody() });
    if (customer.status !== 201) throw new Error(`create customer: ${customer.status} ${JSON.stringify(customer.body)}`);
    const r = await call('POST', `/v1/accounts/${customer.body.account.id}/orders`, {
      token: staff,
      body,
      headers: { 'idempotency-key': unique('restart-key') },
    });
    if (r.status !== 201) throw new Error(`place: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string };
  }

  async function waitOrder(orderId: string) {
    const r = await call('POST', `/_local/orders/${orderId}/wait?timeoutMs=${WAIT_MS}`);
    if (r.status !== 200) throw new Error(`wait ${orderId}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { status: string; waitingAt: string | null; statusHistory: Array<{ status: string }>; workflow: { state: string; statesEntered: string[] } };
  }

  /** Waits until the order's workflow parks it at `gate` (or ends). */
  async function waitAtGate(orderId: string, gate: string) {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const order = await waitOrder(orderId);
      if (order.workflow.state !== 'waiting' || order.waitingAt === gate || Date.now() > deadline) return order;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * A gate action as a client sends it: a 409 invalid_state "not waiting yet" is sent again a
   * moment later. Every reply is kept; none may be a 5xx.
   */
  async function gateAction(orderId: string, gate: 'open' | 'provision') {
    const replies: Reply[] = [];
    for (let attempt = 0; attempt < 60; attempt++) {
      const r = await call('POST', `/v1/orders/${orderId}/${gate}`, { token: staff });
      replies.push(r);
      if (r.status !== 409) break;
      expect(r.body.error.code).toBe('invalid_state');
      // While the gate is refused, the order has not moved.
      const now = await call('GET', `/v1/orders/${orderId}`, { token: staff });
      expect(now.body.status).toBe(gate === 'open' ? 'new' : 'open');
      await new Promise((res) => setTimeout(res, 250));
    }
    return replies;
  }

  const statuses = (order: { statusHistory: Array<{ status: string }> }) => order.statusHistory.map((h) => h.status);

  beforeAll(async () => {
    // A slow vendor poll (3 s per check; a slow- tenant needs 5) keeps an order provisioning across the restart.
    stack = await startStack({ LOCAL_VENDOR_POLL_MS: '3000' });
    call = client(stack.baseUrl).call;
    await signIn();
    const products = await call('GET', `/v1/catalog/products?q=${encodeURIComponent('business basic')}`, { token: staff });
    offerId = products.body.items[0].offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly').id;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it('orders waiting at gate 1, at gate 2 and provisioning before a restart complete after it', async () => {
    const atGate1 = await place(makeOrderBody(offerId));
    const atGate2 = await place(makeOrderBody(offerId));
    const slowBody = makeOrderBody(offerId, { autoProcess: true });
    slowBody.domain.prefix = unique('slow').toLowerCase();
    const provisioning = await place(slowBody);

    expect((await waitAtGate(atGate1.id, 'open')).waitingAt).toBe('open');
    expect((await waitAtGate(atGate2.id, 'open')).waitingAt).toBe('open');
    expect((await call('POST', `/v1/orders/${atGate2.id}/open`, { token: staff })).status).toBe(200);
    expect((await waitAtGate(atGate2.id, 'provision')).waitingAt).toBe('provision');
    // The slow- order is submitted to the vendor and polls it.
    let vendorBefore: { requestId: string } | null = null;
    for (const deadline = Date.now() + WAIT_MS; !vendorBefore && Date.now() < deadline; ) {
      const r = await call('GET', `/v1/orders/${provisioning.id}/provisioning`, { token: staff });
      if (r.body.status === 'provisioning' && r.body.vendor) vendorBefore = r.body.vendor;
      else await new Promise((res) => setTimeout(res, 100));
    }
    expect(vendorBefore).not.toBeNull();

    await stack.restart();
    // The staff session goes on too: its signing key is kept in the table.

    // The slow- order goes on provisioning with the same vendor request (not submitted twice).
    const slowDone = await waitOrder(provisioning.id);
    expect({ status: slowDone.status, workflow: slowDone.workflow.state }).toEqual({ status: 'completed', workflow: 'succeeded' });
    expect(statuses(slowDone)).toEqual(['new', 'open', 'provisioning', 'completed']);
    expect((await call('GET', `/v1/orders/${provisioning.id}/provisioning`, { token: staff })).body.vendor.requestId).toBe(vendorBefore!.requestId);

    // Gate 1, then gate 2, of the order that waited at gate 1.
    const opened = await gateAction(atGate1.id, 'open');
    expect(opened.map((r) => r.status).filter((s) => s !== 409)).toEqual([200]);
    expect(opened.at(-1)!.body.status).toBe('open');
    expect((await waitAtGate(atGate1.id, 'provision')).waitingAt).toBe('provision');
    expect((await gateAction(atGate1.id, 'provision')).at(-1)!.status).toBe(202);

    // Gate 2 of the order that waited there.
    expect((await gateAction(atGate2.id, 'provision')).at(-1)!.status).toBe(202);

    for (const id of [atGate1.id, atGate2.id]) {
      const done = await waitOrder(id);
      expect({ status: done.status, workflow: done.workflow.state }).toEqual({ status: 'completed', workflow: 'succeeded' });
      expect(statuses(done)).toEqual(['new', 'open', 'provisioning', 'completed']);
    }
  }, 300_000);

  it.each(['open', 'provision'] as const)(
    'resumes an order whose execution was stopped while it waited at gate %s; the gate never records a status the workflow did not take',
    async (gate) => {
      const order = await place(makeOrderBody(offerId));
      expect((await waitAtGate(order.id, 'open')).waitingAt).toBe('open');
      if (gate === 'provision') {
        expect((await call('POST', `/v1/orders/${order.id}/open`, { token: staff })).status).toBe(200);
        expect((await waitAtGate(order.id, 'provision')).waitingAt).toBe('provision');
      }
      const before = (await call('GET', `/v1/orders/${order.id}`, { token: staff })).body;

      // As in AWS when an execution is stopped, times out or is redriven: the parked token is dead.
      const sfn = new SFNClient({ endpoint: stack.sfnUrl, region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      const executionArn = `arn:aws:states:${stack.region}:000000000000:execution:order-fulfillment:${order.id}`;
      try {
        await sfn.send(new StopExecutionCommand({ executionArn, error: 'Test.Stopped', cause: 'stopped by restart.test.ts' }));
      } finally {
        sfn.destroy();
      }
      expect((await waitOrder(order.id)).workflow.state).toBe('aborted');

      const replies = await gateAction(order.id, gate);
      expect(replies.map((r) => r.status).filter((s) => s !== 409)).toEqual([gate === 'open' ? 200 : 202]);
      const moved = replies.at(-1)!.body;
      expect(moved.status).toBe(gate === 'open' ? 'open' : 'provisioning');
      expect(statuses(moved)).toEqual([...statuses(before), moved.status]);

      // The resumed workflow took the move and goes on from it.
      if (gate === 'open') {
        expect((await waitAtGate(order.id, 'provision')).waitingAt).toBe('provision');
        expect((await gateAction(order.id, 'provision')).at(-1)!.status).toBe(202);
      }
      const done = await waitOrder(order.id);
      expect({ status: done.status, workflow: done.workflow.state }).toEqual({ status: 'completed', workflow: 'succeeded' });
      expect(statuses(done)).toEqual(['new', 'open', 'provisioning', 'completed']);
    },
    240_000,
  );
});

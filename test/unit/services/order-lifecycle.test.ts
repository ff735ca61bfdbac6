import { anOrder, fakeOrders } from './fake-orders.ts';
import type { Order } from '#data/orders.ts';
import { TransientError } from '#platform/errors.ts';

const { makeOrderLifecycle, NOT_STARTED_REASON, START_FAILED_REASON } = await import('#services/order-lifecycle.ts');

/** The order lifecycle over an in-memory order repository and a fake workflow service. */
function setUp(orders: Order[] = [anOrder()], opts: { executions?: Record<string, string>; callback?: (token: string) => void } = {}) {
  const store = fakeOrders(orders);
  const calls = { resumed: [] as Array<{ token: string; output: unknown }>, stopped: [] as string[], refunded: [] as string[], started: [] as string[] };
  const executions = new Map(Object.entries(opts.executions ?? {}));
  const pending = new Map<string, { reference: string; invoiceId?: string; claimed?: boolean }>();
  const invoices = new Map<string, { id: string; status: string; chargeReference?: string; refund?: unknown }>();
  const lifecycle = makeOrderLifecycle({
    orders: store.repo as never,
    accounts: { getAccount: async (id: string) => ({ id, name: 'Fabrikam' }) as never },
    users: { listActiveAdmins: async () => [{ login: 'admin@distributor.test', locale: 'en', firstName: 'Dee', lastName: 'Admin' }] as never },
    domains: { getDomain: async (id: string) => ({ id, status: 'pending' }) as never },
    invoices: { getInvoice: async (id: string) => invoices.get(id) as never },
    charges: {
      claimPendingCharge: async (reference: string) => {
        const p = pending.get(reference);
        if (!p || p.claimed) return false;
        p.claimed = true;
        return true;
      },
      pendingInvoiceOf: async (reference: string) => pending.get(reference)?.invoiceId,
      clearPendingCharge: async (reference: string) => void pending.delete(reference),
    },
    payments: {
      refundPendingCharge: async (reference: string) => {
        calls.refunded.push(reference);
        pending.delete(reference);
        return true;
      },
    },
    workflow: {
      startOrderWorkflow: async (orderId: string) => {
        calls.started.push(orderId);
        if (orderId === 'ord_refused') throw new Error('ServiceUnavailable');
        return `arn:execution:${orderId}`;
      },
      startResumedWorkflow: async (name: string) => {
        executions.set(`arn:execution:${name}`, 'RUNNING');
        return `arn:execution:${name}`;
      },
      executionStatus: async (arn: string) => executions.get(arn),
      executionArnOf: (orderId: string) => `arn:execution:${orderId}`,
      orderExecutionExists: async (orderId: string) => executions.has(`arn:execution:${orderId}`),
      resumeWorkflow: async (token: string, output: unknown) => {
        opts.callback?.(token);
        calls.resumed.push({ token, output });
      },
      stopWorkflow: async (arn: string) => void calls.stopped.push(arn),
      isTokenGone: (err: unknown) => (err as Error).name === 'TaskTimedOut',
    },
    vendor: () => ({ status: async () => ({ status: 'in_progress' as const }) }),
    clock: { nowIso: () => '2026-11-22T10:00:00.000Z' },
    timer: { ms: () => 0, sleep: async () => undefined },
  });
  return { lifecycle, store, calls, pending, invoices, executions };
}

const staff = { userId: 'usr_staff' };

describe('the staff gates', () => {
  it('moves a new order waiting at gate 1 to open, resuming the workflow with the action and its actor', async () => {
    const { lifecycle, store, calls } = setUp();
    const moved = await lifecycle.passGate(anOrder(), 'open', staff);
    expect(moved.status).toBe('open');
    expect(moved.statusHistory.map((h) => [h.status, h.by])).toEqual([
      ['new', staff],
      ['open', staff],
    ]);
    expect(calls.resumed).toEqual([{ token: 'token-1', output: { gate: 'open', by: staff, domainReady: true } }]);
    expect(store.items.get('ord_1')).not.toHaveProperty('taskToken');
  });

  it('answers the order as it stands after the move: no longer waiting at the gate it passed, or parked at the next one', async () => {
    // The workflow runs on at once: its next task parks the order at gate 2 before the action answers.
    const ref: { store?: ReturnType<typeof fakeOrders> } = {};
    const world = setUp([anOrder()], {
      callback: (token) => {
        if (token !== 'token-1') return;
        void ref.store!.repo.moveOrder('ord_1', 'open', staff, { from: ['new'] }).then(() => ref.store!.repo.parkTaskToken('ord_1', 'provision', 'token-2'));
      },
    });
    ref.store = world.store;
    const opened = await world.lifecycle.passGate(anOrder(), 'open', staff);
    expect(opened.status).toBe('open');
    expect(opened.waitingAt).toBe('provision');
    expect(opened.statusHistory.map((h) => h.status)).toEqual(['new', 'open']);

    const passed = await world.lifecycle.passGate(opened, 'provision', staff);
    expect(passed.status).toBe('provisioning');
    expect(passed.waitingAt).toBeUndefined();
  });

  it('lets one of two concurrent actions through; the other is refused with 409 and nothing is resumed twice', async () => {
    const { lifecycle, calls, store } = setUp();
    const read = anOrder();
    const results = await Promise.allSettled([lifecycle.passGate(read, 'open', staff), lifecycle.passGate(read, 'open', { userId: 'usr_other' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409, code: 'invalid_state' });
    expect(calls.resumed).toHaveLength(1);
    expect(store.moves.filter((m) => m.to === 'open')).toHaveLength(1);
  });

  it('refuses an order that is not at the gate’s status, and one not yet parked there', async () => {
    const { lifecycle, calls } = setUp();
    await expect(lifecycle.passGate(anOrder({ status: 'open', waitingAt: 'provision' }), 'open', staff)).rejects.toMatchObject({ status: 409 });
    await expect(lifecycle.passGate(anOrder({ taskToken: undefined, waitingAt: undefined }), 'open', staff)).rejects.toMatchObject({
      status: 409,
      details: [{ waitingAt: null }],
    });
    expect(calls.resumed).toEqual([]);
  });

  it('puts the token back when the workflow service does not take the callback (503), so the action can be sent again', async () => {
    const { lifecycle, store } = setUp([anOrder()], {
      callback: () => {
        throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      },
    });
    await expect(lifecycle.passGate(anOrder(), 'open', staff)).rejects.toBeInstanceOf(TransientError);
    expect(store.items.get('ord_1')).toMatchObject({ status: 'new', taskToken: 'token-1', waitingAt: 'open' });
  });
});

describe('cancelling', () => {
  it.each(['new', 'open'] as const)('cancels a %s order: releases what it reserved, stops its workflow, refunds its card charge', async (status) => {
    const order = anOrder({ status, chargeReference: 'ord_1' });
    const { lifecycle, store, calls } = setUp([order]);
    const cancelled = await lifecycle.cancelOrder(order, staff);
    expect(cancelled.status).toBe('cancelled');
    expect(store.moves[0]).toMatchObject({ to: 'cancelled', opts: { from: ['new', 'open'], clear: ['taskToken', 'waitingAt'], subscriptions: [{ id: 'sub_1', set: { status: 'cancelled' } }] } });
    expect(calls.stopped).toEqual([order.executionArn]);
    expect(calls.refunded).toEqual(['ord_1']);
  });

  it.each(['provisioning', 'completed', 'failed', 'cancelled'] as const)('refuses to cancel a %s order (409) and changes nothing', async (status) => {
    const order = anOrder({ status });
    const { lifecycle, store, calls } = setUp([order]);
    await expect(lifecycle.cancelOrder(order, staff)).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
    expect(store.moves).toEqual([]);
    expect(calls.stopped).toEqual([]);
  });

  it('refuses when the order moved on between the read and the cancel (the workflow took it to provisioning)', async () => {
    const order = anOrder({ status: 'open' });
    const { lifecycle, store } = setUp([{ ...order, status: 'provisioning' }]);
    await expect(lifecycle.cancelOrder(order, staff)).rejects.toMatchObject({ status: 409 });
    expect(store.moves).toEqual([]);
  });
});

describe('starting and failing', () => {
  it('records the execution of a started order', async () => {
    const { lifecycle, store } = setUp([anOrder({ executionArn: undefined })]);
    await expect(lifecycle.startOrFail({ id: 'ord_1', automatic: false })).resolves.toBe('arn:execution:ord_1');
    expect(store.items.get('ord_1')?.executionArn).toBe('arn:execution:ord_1');
  });

  it('fails an order Step Functions will not start, refunds it, and answers 503 try_again', async () => {
    const order = anOrder({ id: 'ord_refused', executionArn: undefined, chargeReference: 'ord_refused' });
    const { lifecycle, store, calls } = setUp([order]);
    await expect(lifecycle.startOrFail(order)).rejects.toBeInstanceOf(TransientError);
    expect(store.items.get('ord_refused')).toMatchObject({ status: 'failed', failureReason: START_FAILED_REASON });
    expect(calls.refunded).toEqual(['ord_refused']);
  });

  it('leaves a finished order alone when failing it', async () => {
    const { lifecycle, store } = setUp([anOrder({ status: 'completed' })]);
    await expect(lifecycle.failOrder('ord_1', 'late failure')).resolves.toEqual({ status: 'completed' });
    expect(store.moves).toEqual([]);
  });
});

describe('settling orders whose workflow start was lost', () => {
  it('records an execution that started but was not recorded', async () => {
    const { lifecycle, store } = setUp([anOrder({ executionArn: undefined })], { executions: { 'arn:execution:ord_1': 'RUNNING' } });
    await expect(lifecycle.settleUnstartedOrder('ord_1')).resolves.toBe('recorded');
    expect(store.items.get('ord_1')).toMatchObject({ status: 'new', executionArn: 'arn:execution:ord_1' });
  });

  it('fails a new order that never started, and takes it out of the index', async () => {
    const { lifecycle, store } = setUp([anOrder({ executionArn: undefined, taskToken: undefined, waitingAt: undefined })]);
    await expect(lifecycle.settleUnstartedOrder('ord_1')).resolves.toBe('failed');
    expect(store.items.get('ord_1')).toMatchObject({ status: 'failed', failureReason: NOT_STARTED_REASON });
    expect(store.repo.cleared.has('ord_1')).toBe(true);
  });

  it('only clears an order that failed already, and does nothing for one that is gone', async () => {
    const { lifecycle, store } = setUp([anOrder({ status: 'failed', executionArn: undefined })]);
    await expect(lifecycle.settleUnstartedOrder('ord_1')).resolves.toBe('cleared');
    await expect(lifecycle.settleUnstartedOrder('ord_gone')).resolves.toBe('cleared');
    expect(store.moves).toEqual([]);
    expect([...store.repo.cleared]).toEqual(['ord_1']);
  });

  it('refunds a pending charge whose order was never written or failed; forgets one behind a live order', async () => {
    const { lifecycle, pending, calls } = setUp([anOrder({ id: 'ord_live', status: 'open' }), anOrder({ id: 'ord_failed', status: 'failed' })]);
    for (const reference of ['ord_live', 'ord_failed', 'ord_never']) pending.set(reference, { reference });
    expect(await lifecycle.settlePendingCharge('ord_live')).toBe(false);
    expect(await lifecycle.settlePendingCharge('ord_failed')).toBe(true);
    expect(await lifecycle.settlePendingCharge('ord_never')).toBe(true);
    expect(calls.refunded).toEqual(['ord_failed', 'ord_never']);
    expect(pending.size).toBe(0);
  });

  it('forgets an invoice’s charge only while that invoice is paid with it and not voided', async () => {
    const { lifecycle, pending, invoices, calls } = setUp([]);
    pending.set('pay_1', { reference: 'pay_1', invoiceId: 'inv_paid' });
    pending.set('pay_2', { reference: 'pay_2', invoiceId: 'inv_void' });
    invoices.set('inv_paid', { id: 'inv_paid', status: 'paid', chargeReference: 'pay_1' });
    invoices.set('inv_void', { id: 'inv_void', status: 'void', chargeReference: 'pay_2' });
    expect(await lifecycle.settlePendingCharge('pay_1')).toBe(false);
    expect(await lifecycle.settlePendingCharge('pay_2')).toBe(true);
    expect(calls.refunded).toEqual(['pay_2']);
  });
});

describe('resuming a lost execution', () => {
  it('starts the next resume execution at the gate the stored status waits at, and records it', async () => {
    const { lifecycle, store, executions } = setUp([anOrder({ status: 'open', executionArn: 'arn:execution:ord_1' })]);
    executions.set('arn:execution:ord_1', 'ABORTED');
    await expect(lifecycle.ensureWorkflow('ord_1')).resolves.toBe('resumed');
    expect(store.items.get('ord_1')?.executionArn).toBe('arn:execution:ord_1-r1');
  });

  it('leaves a running execution, a final order and an unstarted one alone', async () => {
    const { lifecycle, executions } = setUp([anOrder(), anOrder({ id: 'ord_done', status: 'completed' }), anOrder({ id: 'ord_new', executionArn: undefined })]);
    executions.set(anOrder().executionArn!, 'RUNNING');
    await expect(lifecycle.ensureWorkflow('ord_1')).resolves.toBe('running');
    await expect(lifecycle.ensureWorkflow('ord_done')).resolves.toBe('final');
    await expect(lifecycle.ensureWorkflow('ord_new')).resolves.toBe('unstarted');
  });
});

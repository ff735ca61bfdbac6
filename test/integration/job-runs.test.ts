import { call, login, staffLogin, unique, waitOrder } from './api.ts';
import { createCustomer, makeOrderBody } from '../factories/index.ts';

/**
 * Jobs that finish (docs/operations.md "Scheduled jobs"), on the local stack through HTTP: a job run
 * as EventBridge Scheduler starts it (`POST /_local/jobs/{name}/scheduled`: an asynchronous
 * invocation, Lambda's 2 retries, the on-failure destination, the job's own continuations), under the
 * jobs fault switch (`/_local/faults/jobs`): a run that throws is retried; a run that stops before
 * it is done continues itself with the same time until it is; a daily run catches up the days the
 * clock skipped; a run that fails every try lands in the destination (`GET /_local/jobs/failed`).
 * Days are in 2032, where no other file's subscriptions fall.
 */
interface Invocation {
  fn: string;
  event: { time: string; continuation?: number; maxItems?: number };
  attempt: number;
  outcome: 'ok' | 'error';
  result?: { processed: number; done: boolean; daysDone: string[]; daysBehind: number; day: string };
  error?: string;
}
interface Scheduled {
  invocations: Invocation[];
  failed: { fn: string; event: { time: string }; attempts: number; error: string }[];
}

const setClock = (iso: string) => call('PUT', '/_local/clock', { body: { now: iso } });
const faults = (body: object) => call('PUT', '/_local/faults/jobs', { body });
/** A run as the scheduler starts it, for its scheduled `time` (the clock runs on after a PUT). */
async function scheduled(job: string, time: string): Promise<Scheduled> {
  const r = await call('POST', `/_local/jobs/${job}/scheduled?time=${time}`);
  if (r.status !== 200) throw new Error(`${job}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as Scheduled;
}

async function offerId(token: string) {
  const r = await call('GET', '/v1/catalog/products?q=business%20basic', { token });
  return r.body.items[0].offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1M' && o.billingPeriod === 'monthly').id as string;
}

describe('scheduled job runs that finish', () => {
  afterAll(async () => {
    await faults({ failing: null, stopAfter: null });
    await call('DELETE', '/_local/clock');
  });

  it('refuses a bad fault switch and changes nothing', async () => {
    const before = (await call('GET', '/_local/faults/jobs')).body;
    for (const body of [{ failing: 'nope' }, { stopAfter: 0 }, { times: -1 }, { other: true }]) {
      const r = await call('PUT', '/_local/faults/jobs', { body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    expect((await call('GET', '/_local/faults/jobs')).body).toEqual(before);
    expect((await call('POST', '/_local/jobs/nope/scheduled')).status).toBe(404);
    expect((await call('POST', '/_local/jobs/renewals/scheduled?time=yesterday')).status).toBe(400);
  });

  it('retries a failing run, continues a run that stops until it is done, and catches up the days the clock skipped', async () => {
    // Three monthly subscriptions bought on 2032-02-08: their terms end 2032-03-07, renewed by the run of 03-08.
    await setClock('2032-02-08T09:00:00Z');
    const staff = await staffLogin();
    const c = await createCustomer(staff);
    const oid = await offerId(staff);
    const subs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const placed = await call('POST', `/v1/accounts/${c.account.id}/orders`, {
        token: staff,
        body: makeOrderBody(oid, { autoProcess: true }),
        headers: { 'idempotency-key': unique('k') },
      });
      const done = await waitOrder(placed.body.id);
      expect(done.status).toBe('completed');
      subs.push(done.subscriptionIds[0]);
    }

    // The run of 03-06 comes and finishes: the run record says 03-06.
    await setClock('2032-03-06T00:15:00Z');
    const onTime = await scheduled('renewals', '2032-03-06T00:15:00Z');
    expect(onTime.failed).toEqual([]);
    expect(onTime.invocations.at(-1)).toMatchObject({ outcome: 'ok', result: { done: true, day: '2032-03-06' } });
    expect(onTime.invocations.at(-1)!.result!.daysDone.at(-1)).toBe('2032-03-06');

    // The runs of 03-07 and 03-08 never come. The run of 03-09 fails once, and stops after every item.
    expect((await faults({ failing: 'renewals', times: 1, stopAfter: 1 })).body).toMatchObject({ failing: 'renewals', times: 1, stopAfter: 1 });
    await setClock('2032-03-09T00:15:00Z');
    const late = await scheduled('renewals', '2032-03-09T00:15:00Z');
    const runs = late.invocations;
    const time = '2032-03-09T00:15:00.000Z';

    // Lambda's retry: the first try threw, the second ran the same event.
    expect(runs[0]).toMatchObject({ fn: 'renewalsJob', attempt: 1, outcome: 'error', event: { time } });
    expect(runs[0]!.error).toMatch(/fault switch/);
    expect(runs[1]).toMatchObject({ attempt: 2, outcome: 'ok', event: { time } });
    expect(runs[1]!.event.continuation).toBeUndefined();
    expect(runs[1]!.result).toMatchObject({ processed: 1, done: false, daysBehind: 3 });

    // Continuations: each the same time, one more, each one item, until done.
    const continuations = runs.slice(2);
    expect(continuations.length).toBeGreaterThanOrEqual(2);
    continuations.forEach((run, i) => expect(run).toMatchObject({ outcome: 'ok', attempt: 1, event: { time, continuation: i + 1, maxItems: 1 } }));
    expect(continuations.at(-1)!.result!.done).toBe(true);
    expect(continuations.slice(0, -1).every((run) => run.result!.done === false)).toBe(true);
    const processed = runs.slice(1).reduce((n, run) => n + run.result!.processed, 0);
    expect(processed).toBeGreaterThanOrEqual(3);
    // Catch-up: the skipped days, in order, then the run's own day.
    expect(runs.slice(1).flatMap((run) => run.result!.daysDone)).toEqual(['2032-03-07', '2032-03-08', '2032-03-09']);
    expect(late.failed).toEqual([]);
    expect((await call('GET', '/_local/faults/jobs')).body).toMatchObject({ failing: 'renewals', times: 0, thrown: 1 });

    // Every subscription was renewed by the caught-up day, once.
    const admin = await login(c.login, c.password);
    for (const id of subs) {
      const sub = (await call('GET', `/v1/subscriptions/${id}`, { token: admin })).body;
      expect(sub).toMatchObject({ status: 'active', currentTermStart: '2032-03-08' });
    }
    const renewals = (await call('GET', '/v1/orders?type=renewal&limit=100', { token: admin })).body.items;
    expect(renewals).toHaveLength(3);

    // The next run of the same day has nothing left behind.
    await faults({ failing: null, stopAfter: null });
    const again = await scheduled('renewals', '2032-03-09T00:15:00Z');
    expect(again.invocations).toHaveLength(1);
    expect(again.invocations[0]!.result).toMatchObject({ done: true, processed: 0, daysBehind: 0 });
  });

  it('puts a run that fails all three tries in the on-failure destination', async () => {
    await setClock('2032-03-10T00:30:00Z');
    await faults({ failing: 'billing', times: 3 });
    const run = await scheduled('billing', '2032-03-10T00:30:00Z');
    expect(run.invocations.map((i) => [i.attempt, i.outcome])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'error'],
    ]);
    expect(run.failed).toHaveLength(1);
    expect(run.failed[0]).toMatchObject({ fn: 'billingJob', attempts: 3, event: { time: '2032-03-10T00:30:00.000Z' } });
    const destination = (await call('GET', '/_local/jobs/failed')).body.items as Scheduled['failed'];
    expect(destination).toContainEqual(expect.objectContaining({ fn: 'billingJob', event: { time: '2032-03-10T00:30:00.000Z' } }));

    // Redriven (the same event again), it runs.
    await faults({ failing: null });
    const redriven = await scheduled('billing', '2032-03-10T00:30:00Z');
    expect(redriven.failed).toEqual([]);
    expect(redriven.invocations.at(-1)).toMatchObject({ outcome: 'ok', result: { done: true, day: '2032-03-10' } });
  });
});

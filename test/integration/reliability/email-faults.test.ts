import { call, emails, staffLogin, unique } from '../api.ts';
import { createCustomer } from '../../factories/index.ts';
import { scaled, timeoutFor } from '../scale.ts';

/**
 * docs/product.md#quality-bars "faults": with SES failing for a while, every email is sent once when it recovers.
 *
 * The local stack's SES fault switch (`/_local/faults/ses`, local/ses-faults.ts) makes SES refuse
 * every call as throttled, as SES does when it cannot take a call: the SDK retries, then the send
 * fails, the notifier reports the record, and the stream poller keeps retrying the batch. While SES
 * refuses, no email arrives; once it recovers, each held email arrives exactly once, and no
 * redelivery sends one again afterwards.
 *
 * N = `scaled(10, 100)` invitations (100 under `npm run test:stress`). On the shared stack: the
 * switch is always turned back on for the next files (finally and afterAll).
 */
const N = scaled(10, 100);
/** How long SES refuses before it recovers. */
const OUTAGE_MS = 4000;
/** How long the emails may take to leave once SES is back. */
const RECOVERY_MS = timeoutFor(30_000, 120_000);
/** The API takes at most 50 users per request. */
const PER_REQUEST = 50;

interface FaultState {
  refusing: boolean;
  refused: number;
  forwarded: number;
}

async function sesFaults(refusing?: boolean): Promise<FaultState> {
  const r = refusing === undefined ? await call('GET', '/_local/faults/ses') : await call('PUT', '/_local/faults/ses', { body: { refusing } });
  if (r.status !== 200) throw new Error(`/_local/faults/ses answered ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as FaultState;
}

/** How many emails the SES store holds for each of `logins`. */
async function countsFor(logins: string[]): Promise<Map<string, number>> {
  const counts = new Map(logins.map((l) => [l, 0]));
  for (const email of await emails()) {
    for (const to of email.destination.to) if (counts.has(to)) counts.set(to, counts.get(to)! + 1);
  }
  return counts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('emails while SES refuses calls for a while', () => {
  let staff: string;

  beforeAll(async () => {
    staff = await staffLogin();
  });

  afterAll(async () => {
    await sesFaults(false);
  });

  it('reads the switch and refuses a malformed one', async () => {
    const state = await sesFaults();
    expect(state).toEqual({ refusing: false, refused: expect.any(Number), forwarded: expect.any(Number) });
    expect((await call('PUT', '/_local/faults/ses', { body: { refusing: 'yes' } })).status).toBe(400);
    expect((await call('DELETE', '/_local/faults/ses')).status).toBe(405);
    expect((await sesFaults()).refusing).toBe(false);
  });

  it(
    `holds ${N} invitations while SES refuses and sends each exactly once when it recovers`,
    async () => {
      const customer = await createCustomer(staff);
      const people = Array.from({ length: N }, () => ({
        firstName: 'Fay',
        lastName: 'Fault',
        login: `${unique('ses-fault')}@people.test`.toLowerCase(),
        role: 'user',
        locale: 'en',
      }));
      const logins = people.map((p) => p.login);

      const before = await sesFaults(true);
      expect(before.refusing).toBe(true);
      let recoveredAt: number;
      try {
        for (let i = 0; i < people.length; i += PER_REQUEST) {
          const added = await call('POST', `/v1/accounts/${customer.account.id}/users`, {
            token: staff,
            body: { users: people.slice(i, i + PER_REQUEST), sendActivationEmail: true },
          });
          expect(added.status).toBe(201);
        }

        // SES is down: the notifier tries, is refused, and nothing arrives.
        await sleep(OUTAGE_MS);
        const during = await sesFaults();
        expect(during.refused).toBeGreaterThan(before.refused);
        expect(during.forwarded).toBe(before.forwarded);
        const held = await countsFor(logins);
        expect([...held.values()].filter((n) => n > 0)).toEqual([]);
      } finally {
        await sesFaults(false);
        recoveredAt = Date.now();
      }

      // SES is back: every held email arrives.
      let counts = await countsFor(logins);
      let firstMs: number | undefined;
      while ([...counts.values()].some((n) => n === 0)) {
        if ([...counts.values()].some((n) => n > 0)) firstMs ??= Date.now() - recoveredAt;
        if (Date.now() - recoveredAt > RECOVERY_MS) break;
        await sleep(100);
        counts = await countsFor(logins);
      }
      firstMs ??= Date.now() - recoveredAt;
      const recoveryMs = Date.now() - recoveredAt;
      const after = await sesFaults();
      process.stdout.write(
        `SES outage: ${after.refused - before.refused} calls refused; ${N} emails all sent ${recoveryMs} ms after SES recovered (the first after ${firstMs} ms) (${after.forwarded - before.forwarded} calls forwarded)\n`,
      );
      expect(after.forwarded - before.forwarded).toBeGreaterThanOrEqual(N);
      const missing = logins.filter((l) => counts.get(l) === 0);
      expect(missing).toEqual([]);
      // Exactly one each: the refused attempts did not reach SES, and nothing was sent twice.
      expect(logins.filter((l) => counts.get(l) !== 1).map((l) => ({ login: l, emails: counts.get(l) }))).toEqual([]);

      // Nor later: no retry left behind sends one again.
      await sleep(2000);
      const later = await countsFor(logins);
      expect(logins.filter((l) => later.get(l) !== 1).map((l) => ({ login: l, emails: later.get(l) }))).toEqual([]);
    },
    timeoutFor(60_000, 300_000),
  );
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RENEWAL_SCALE, seedRenewalScale } from '../test/factories/renewal-scale.ts';
import type { Api } from './lib/api.ts';
import { figure, type Figure } from './lib/results.ts';
import { bar, say } from './lib/progress.ts';

/**
 * Figure 6: items the renewals job reads per due subscription, with 10,000 subscriptions of which
 * 1% fall due (docs/product.md#quality-bars), seeded straight into DynamoDB Local by test/factories/renewal-scale.ts
 * (as test/integration/jobs.test.ts does), then `POST /_local/jobs/renewals` for the day, which answers the job's own count of items read.
 */
export const RENEWAL_TARGET = 1.2;
const { total: TOTAL, every: EVERY, day: DAY } = RENEWAL_SCALE;
const ACCOUNT = 'acc_01BENCHRENEWALS00000000000';

async function seed(client: DynamoDBClient, table: string): Promise<void> {
  const progress = bar('seeding subscriptions', TOTAL);
  await seedRenewalScale(client, table, ACCOUNT, (n) => progress.tick(n));
  progress.stop();
}

export async function renewalFigure(api: Api, dynamodbUrl: string, table = 'cloud-license-portal'): Promise<Figure> {
  const client = new DynamoDBClient({ endpoint: dynamodbUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    say(`Seeding ${TOTAL.toLocaleString('en')} subscriptions, ${TOTAL / EVERY} due on ${DAY}…`);
    await seed(client, table);
    await api.expect(200, 'PUT', '/_local/clock', { body: { now: `${DAY}T01:00:00Z` } });
    say('Running the renewals job for that day…');
    const reply = await api.expect<{ processed: number; skipped: number; itemsRead: number; done: boolean }>(200, 'POST', '/_local/jobs/renewals');
    const result = reply.body;
    // Measured at the client: every item any DynamoDB call of the job answered, not the job's own count.
    const calls = reply.stats?.handler;
    if (!calls?.length) throw new Error('the gateway recorded no DynamoDB calls for the job run');
    const itemsRead = calls.reduce((n, c) => n + c.items, 0);
    const rcu = calls.reduce((n, c) => n + c.rcu, 0);
    const byCommand = Object.entries(calls.reduce<Record<string, number>>((m, c) => ({ ...m, [c.command]: (m[c.command] ?? 0) + 1 }), {}))
      .map(([k, v]) => `${v}× ${k.replace(/Command$/, '')}`)
      .join(', ');
    const due = TOTAL / EVERY;
    return figure({
      group: `Renewals job: items read per due subscription (${TOTAL.toLocaleString('en')} subscriptions, ${due} due)`,
      name: 'items read / due subscriptions processed',
      value: itemsRead,
      unit: 'items',
      floor: result.processed,
      floorKind: 'measured',
      target: RENEWAL_TARGET,
      pass: result.processed === due && result.done && itemsRead / result.processed <= RENEWAL_TARGET,
      note: `processed ${result.processed} of ${due} due, skipped ${result.skipped}, done ${result.done}; ${calls.length} calls (${byCommand}), ${rcu} RCU; the job's own count ${result.itemsRead}`,
    });
  } finally {
    await api.call('DELETE', '/_local/clock').catch(() => undefined);
    client.destroy();
  }
}

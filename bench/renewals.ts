import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { termDueKeys } from '../functions/data/due-keys.ts';
import type { Api } from './lib/api.ts';
import { figure, type Figure } from './lib/results.ts';
import { bar, say } from './lib/progress.ts';

/**
 * Figure 6: items the renewals job reads per due subscription, with 10,000 subscriptions of which
 * 1% fall due (SPEC §6), seeded straight into DynamoDB Local the way test/integration/jobs.test.ts
 * does, then `POST /_local/jobs/renewals` for the day, which answers the job's own count of items read.
 */
export const RENEWAL_TARGET = 1.2;
const TOTAL = 10_000;
const EVERY = 100; // 1% due
const DAY = '2028-02-15';
const ENDED = '2028-02-14';
/** The reminder day (D+6) is kept free too, so the job's only work is the due subscriptions. */
const AVOID = new Set([ENDED, '2028-02-21']);
const ACCOUNT = 'acc_01BENCHRENEWALS00000000000';

function termEndOf(i: number): string {
  if (i % EVERY === 0) return ENDED;
  // Spread over 700 days, never on the due day nor on the reminder day.
  let end = ENDED;
  for (let shift = 0; shift === 0 || AVOID.has(end); shift++) {
    end = new Date(Date.UTC(2028, 0, 1) + (((i * 37) % 700) + shift) * 86_400_000).toISOString().slice(0, 10);
  }
  return end;
}

function subscription(run: string, i: number) {
  const id = `sub_01BENCH${run}${String(i).padStart(10, '0')}`.slice(0, 30);
  const end = termEndOf(i);
  const due = termDueKeys(id, end);
  return {
    pk: `$clp#id_${id.toLowerCase()}`,
    sk: '$subscription_1',
    gsi4pk: due.dueKey,
    gsi4sk: due.dueSort,
    __edb_e__: 'subscription',
    __edb_v__: '1',
    id,
    accountId: ACCOUNT,
    parentId: ACCOUNT,
    rootId: ACCOUNT,
    accountPath: [ACCOUNT],
    productId: 'prd_x',
    offerId: 'ofr_x',
    sku: 'X',
    name: 'Bench renewals',
    term: 'P1M',
    billingPeriod: 'monthly',
    quantity: 1,
    assignedCount: 0,
    status: 'active',
    autoRenew: false,
    currentTermStart: '2028-01-15',
    currentTermEnd: end,
    domain: 'bench.onmicrosoft.com',
    domainId: 'dom_x',
    selfService: false,
    buyer: { userId: 'usr_x', name: 'Bench' },
    unitPrice: { amount: 100, currency: 'EUR' },
    cancellationWindows: [],
    orderId: 'ord_x',
    createdAt: '2028-01-15T00:00:00.000Z',
    version: 1,
  };
}

async function seed(client: DynamoDBClient, table: string): Promise<void> {
  // Crockford-safe letters, so the ids look like the application's.
  const run = Math.random().toString(36).slice(2, 10).toUpperCase().replace(/[ILOU]/g, 'X').padEnd(8, 'X');
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < TOTAL; i += 25) {
    batches.push(Array.from({ length: Math.min(25, TOTAL - i) }, (_, k) => ({ PutRequest: { Item: marshall(subscription(run, i + k)) } })));
  }
  const progress = bar('seeding subscriptions', TOTAL);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++]!;
      const count = requests.length;
      for (let attempt = 0; requests.length; attempt++) {
        if (attempt > 10) throw new Error('BatchWriteItem kept leaving items unprocessed');
        const r = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
        requests = r.UnprocessedItems?.[table] ?? [];
        if (requests.length) await new Promise((res) => setTimeout(res, 50 * (attempt + 1)));
      }
      progress.tick(count);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  progress.stop();
}

export async function renewalFigure(api: Api, dynamodbUrl: string, table = 'cloud-license-portal'): Promise<Figure> {
  const client = new DynamoDBClient({ endpoint: dynamodbUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    say(`Seeding ${TOTAL.toLocaleString('en')} subscriptions, ${TOTAL / EVERY} due on ${DAY}…`);
    await seed(client, table);
    await api.expect(200, 'PUT', '/_local/clock', { body: { now: `${DAY}T01:00:00Z` } });
    say('Running the renewals job for that day…');
    const result = (await api.expect<{ processed: number; skipped: number; itemsRead: number; done: boolean }>(200, 'POST', '/_local/jobs/renewals')).body;
    const due = TOTAL / EVERY;
    return figure({
      group: `Renewals job: items read per due subscription (${TOTAL.toLocaleString('en')} subscriptions, ${due} due)`,
      name: 'items read / due subscriptions processed',
      value: result.itemsRead,
      unit: 'items',
      floor: result.processed,
      floorKind: 'measured',
      target: RENEWAL_TARGET,
      pass: result.processed === due && result.done && result.itemsRead / result.processed <= RENEWAL_TARGET,
      note: `processed ${result.processed} of ${due} due, skipped ${result.skipped}, done ${result.done}`,
    });
  } finally {
    await api.call('DELETE', '/_local/clock').catch(() => undefined);
    client.destroy();
  }
}

import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { termDueKeys } from '../../functions/data/due-keys.ts';

/**
 * docs/product.md#quality-bars's renewal scale: 10,000 subscriptions of which 1% end on the day before `DAY`, written
 * straight into the table as ElectroDB keeps them (with the real due-index keys), for the jobs
 * integration test and `npm run bench`. The others end over 700 days around it, never on the due
 * day nor on its reminder day (D+6), so the job's only work is the due ones.
 */
export const RENEWAL_SCALE = { total: 10_000, every: 100, day: '2028-02-15', ended: '2028-02-14' } as const;
const AVOID = new Set<string>([RENEWAL_SCALE.ended, '2028-02-21']);

function termEndOf(i: number): string {
  if (i % RENEWAL_SCALE.every === 0) return RENEWAL_SCALE.ended;
  let end: string = RENEWAL_SCALE.ended;
  for (let shift = 0; shift === 0 || AVOID.has(end); shift++) {
    end = new Date(Date.UTC(2028, 0, 1) + (((i * 37) % 700) + shift) * 86_400_000).toISOString().slice(0, 10);
  }
  return end;
}

/** One subscription item of the run (`run`: 8 Crockford-safe characters). */
export function scaleSubscription(run: string, i: number, accountId: string) {
  const id = `sub_01${run}${String(i).padStart(16, '0')}`;
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
    accountId,
    parentId: accountId,
    rootId: accountId,
    accountPath: [accountId],
    productId: 'prd_x',
    offerId: 'ofr_x',
    sku: 'X',
    name: 'Renewal scale',
    term: 'P1M',
    billingPeriod: 'monthly',
    quantity: 1,
    assignedCount: 0,
    status: 'active',
    autoRenew: false,
    currentTermStart: '2028-01-15',
    currentTermEnd: end,
    domain: 'scale.onmicrosoft.com',
    domainId: 'dom_x',
    selfService: false,
    buyer: { userId: 'usr_x', name: 'Scale' },
    unitPrice: { amount: 100, currency: 'EUR' },
    cancellationWindows: [],
    orderId: 'ord_x',
    createdAt: '2028-01-15T00:00:00.000Z',
    version: 1,
  };
}

/** Writes the whole run (4 writers, unprocessed items retried); answers how many are due. */
export async function seedRenewalScale(client: DynamoDBClient, table: string, accountId: string, onWritten: (n: number) => void = () => undefined): Promise<number> {
  // Crockford-safe letters, so the ids look like the application's.
  const run = Math.random().toString(36).slice(2, 10).toUpperCase().replace(/[ILOU]/g, 'X').padEnd(8, 'X');
  const { total } = RENEWAL_SCALE;
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < total; i += 25) {
    batches.push(Array.from({ length: Math.min(25, total - i) }, (_, k) => ({ PutRequest: { Item: marshall(scaleSubscription(run, i + k, accountId)) } })));
  }
  let next = 0;
  const writer = async () => {
    while (next < batches.length) {
      let requests = batches[next++]!;
      const count = requests.length;
      for (let attempt = 0; requests.length; attempt++) {
        if (attempt > 10) throw new Error('BatchWriteItem kept leaving items unprocessed');
        const r = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
        requests = r.UnprocessedItems?.[table] ?? [];
        if (requests.length) await new Promise((res) => setTimeout(res, 50 * (attempt + 1)));
      }
      onWritten(count);
    }
  };
  await Promise.all(Array.from({ length: 4 }, writer));
  return Math.ceil(total / RENEWAL_SCALE.every);
}

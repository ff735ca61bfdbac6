import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

process.env.TABLE_NAME = 'catalog-test';
process.env.AWS_REGION ??= 'eu-west-1';

const { queryWords, searchProducts, searchTextOf, searchWords } = await import('#data/catalog.ts');
const { db } = await import('#data/entities.ts');
const { checkProduct } = await import('#services/catalog.ts');
const { cursorKeyFrom, openCursor } = await import('#platform/cursors.ts');
const { makeKeySet, serveKeySet } = await import('./signing-keys-fixture.ts');

const ddb = mockClient(DynamoDBDocumentClient);

/** Search words (docs/product.md#catalog-and-cart): the stored text and the query are normalised the same way. */
describe('search words', () => {
  it.each([
    ['Microsoft 365 Business Basic', ['microsoft', '365', 'business', 'basic']],
    ['Café CRÈME brûlée', ['cafe', 'creme', 'brulee']],
    ['  E3/E5 -- plan(1) ', ['e3', 'e5', 'plan', '1']],
    ['CFQ7TTC0-LH18', ['cfq7ttc0', 'lh18']],
    ['Ｆｕｌｌｗｉｄｔｈ', ['fullwidth']],
    ['!!!', []],
  ])('%s → %j', (text, words) => {
    expect(searchWords(text)).toEqual(words);
  });

  it('keeps name, SKU, description and category, padded with spaces', () => {
    expect(searchTextOf({ name: 'Teams Essentials', sku: 'CFQ7TTC0RM8K', description: 'Réunions en ligne.', category: 'collaboration' })).toBe(
      ' teams essentials cfq7ttc0rm8k reunions en ligne collaboration ',
    );
  });

  it('asks for at most 8 distinct words', () => {
    expect(queryWords('a b a B c d e f g h i j')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(queryWords(undefined)).toEqual([]);
  });
});

describe('the product rules', () => {
  const eur = (amount: number) => ({ amount, currency: 'EUR' });
  const base = { minQuantity: 1, maxQuantity: 300 };
  const offer = (term: 'P1M' | 'P1Y' | 'P3Y', billingPeriod: 'monthly' | 'annual', price = eur(100), path = 'offers.0') => ({ term, billingPeriod, price, path });

  it.each<[string, string, Parameters<typeof checkProduct>[0]]>([
    ['three NCE offers', 'accepted', { ...base, offers: [offer('P1Y', 'annual'), offer('P1M', 'monthly'), offer('P1Y', 'monthly')] }],
    ['min equal to max', 'accepted', { minQuantity: 5, maxQuantity: 5, offers: [offer('P1M', 'monthly')] }],
    ['min above max', 'invalid_quantity_limits', { minQuantity: 6, maxQuantity: 5, offers: [offer('P1M', 'monthly')] }],
    ['a term and billing period twice', 'duplicate_offer', { ...base, offers: [offer('P1Y', 'annual'), offer('P1Y', 'annual', eur(5))] }],
    ['a monthly term billed annually', 'invalid_offer', { ...base, offers: [offer('P1M', 'annual')] }],
    ['two currencies', 'currency_mismatch', { ...base, offers: [offer('P1Y', 'annual'), offer('P1M', 'monthly', { amount: 100, currency: 'USD' })] }],
  ])('%s → %s', (_name, outcome, product) => {
    if (outcome === 'accepted') expect(() => checkProduct(product)).not.toThrow();
    else expect(() => checkProduct(product)).toThrow(expect.objectContaining({ code: outcome, status: 422 }));
  });

  it('names the offer the request changed when currencies differ, not the one it left alone', () => {
    const product = { ...base, offers: [offer('P1Y', 'annual', { amount: 1, currency: 'USD' }, 'offers.0'), offer('P1M', 'monthly', eur(100), '')] };
    expect(() => checkProduct(product)).toThrow(expect.objectContaining({ details: [{ path: 'offers.0.price.currency' }] }));
  });
});

describe('searchProducts', () => {
  beforeEach(() => ddb.reset());

  const item = (name: string) =>
    db().entities.product.put({
      id: `prd_${name.padEnd(26, '0').toUpperCase()}`,
      sku: name,
      name,
      description: 'd',
      category: 'c',
      vendor: 'v',
      requiresTenant: true,
      minQuantity: 1,
      maxQuantity: 1,
      cancellationWindowHours: 168,
      status: 'active',
      offers: [],
      searchText: ` ${name} `,
      createdAt: '2026-01-01T00:00:00.000Z',
    }).params().Item as Record<string, unknown>;

  it('is a Query of the catalog partition with one contains() per word, never a Scan', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await searchProducts({ q: 'Café Basic', category: 'Email', includeRetired: false, limit: 25 });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.IndexName).toBe('gsi3');
    expect(Object.values(input.ExpressionAttributeValues ?? {})).toEqual(expect.arrayContaining(['$clp#catalog_main', 'active', 'email', 'cafe', 'basic']));
    expect(input.FilterExpression).toMatch(/contains\(.*\).*AND.*contains\(/);
  });

  it('fills a page across DynamoDB pages and cuts it at limit with a cursor after the last item returned', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item('alpha')], LastEvaluatedKey: { pk: 'x', sk: 'y', gsi3pk: 'p', gsi3sk: 's' } })
      .resolvesOnce({ Items: [item('beta'), item('gamma')], LastEvaluatedKey: { pk: 'x2', sk: 'y2', gsi3pk: 'p2', gsi3sk: 's2' } });
    // The cursor is sealed with a key derived from the key set's derivation secret (platform/cursors.ts).
    const keys = await makeKeySet();
    const secret = Buffer.from(keys.derivationSecret, 'base64');
    serveKeySet(keys);
    const page = await searchProducts({ includeRetired: true, limit: 2 });
    expect(page.items.map((p) => p.name)).toEqual(['alpha', 'beta']);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
    expect(page.nextCursor).not.toContain('beta');
    const cursor = JSON.parse(Buffer.from(openCursor(cursorKeyFrom(secret), page.nextCursor!, 'internal')!, 'base64url').toString('utf8'));
    expect(cursor.gsi3sk).toContain('beta');

    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [] });
    await searchProducts({ includeRetired: true, limit: 2, cursor: page.nextCursor! });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toEqual(cursor);
  });

  it('ends with a null cursor when the partition is read to its end', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item('alpha')] });
    const page = await searchProducts({ includeRetired: true, limit: 5 });
    expect(page).toMatchObject({ items: [expect.objectContaining({ name: 'alpha' })], nextCursor: null });
  });
});

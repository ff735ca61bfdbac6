import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

process.env.TABLE_NAME = 'by-key-test';
process.env.AWS_REGION ??= 'eu-west-1';

const { primaryKey, getByKey, batchGetByKey } = await import('#data/by-key.ts');
const { db } = await import('#data/entities.ts');

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

/**
 * The request path reads items without ElectroDB (data/by-key.ts): these tests hold its keys to what ElectroDB builds from the entities themselves, so a change of the
 * service name, an entity's version or its key composition fails here rather than in production.
 */
describe('keys and items as ElectroDB makes them', () => {
  it.each(['usr_01J0000000000000000000CUSR', 'usr_lower', 'ÜSR-ödd'])('user %s', (id) => {
    expect(primaryKey('user', id)).toEqual(db().entities.user.get({ id }).params().Key);
  });

  it('account and API client', () => {
    expect(primaryKey('account', 'acc_01J00000000000000000000ROOT')).toEqual(db().entities.account.get({ id: 'acc_01J00000000000000000000ROOT' }).params().Key);
    expect(primaryKey('apiClient', 'cli_01J0000000000000000000CLNT')).toEqual(db().entities.apiClient.get({ id: 'cli_01J0000000000000000000CLNT' }).params().Key);
  });
});

describe('reads', () => {
  const user = () => db().entities.user.put({ id: 'usr_1', accountId: 'acc_1', accountType: 'customer', accountPath: ['acc_0', 'acc_1'], firstName: 'A', lastName: 'B', login: 'a@b.test', role: 'user', status: 'ready', createdAt: '2027-01-01T00:00:00.000Z', version: 1 }).params().Item as Record<string, unknown>;

  it('reads the attributes asked, projected, and leaves out ElectroDB’s marker', async () => {
    ddb.on(GetCommand).resolves({ Item: { __edb_e__: 'user', id: 'usr_1', status: 'ready' } });
    expect(await getByKey('user', 'usr_1', ['id', 'status'], { consistent: true })).toEqual({ id: 'usr_1', status: 'ready' });
    const input = ddb.commandCalls(GetCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ TableName: 'by-key-test', Key: primaryKey('user', 'usr_1'), ConsistentRead: true });
    expect(input.ProjectionExpression!.split(', ').map((n) => input.ExpressionAttributeNames![n])).toEqual(['__edb_e__', 'id', 'status']);
  });

  it('takes only the entity’s own item: another entity’s under the same key, or none, is undefined', async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: { ...user(), __edb_e__: 'account' } }).resolvesOnce({});
    expect(await getByKey('user', 'usr_1', ['id'])).toBeUndefined();
    expect(await getByKey('user', 'usr_1', ['id'])).toBeUndefined();
  });

  it('batch: asks unprocessed keys again and keys the answer by id', async () => {
    const [a, b] = [primaryKey('account', 'acc_A'), primaryKey('account', 'acc_B')];
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { 'by-key-test': [{ __edb_e__: 'account', id: 'acc_A', status: 'active' }] }, UnprocessedKeys: { 'by-key-test': { Keys: [b] } } })
      .resolvesOnce({ Responses: { 'by-key-test': [{ __edb_e__: 'account', id: 'acc_B', status: 'suspended' }] } });
    const found = await batchGetByKey<{ id: string; status: string }>('account', ['acc_A', 'acc_B', 'acc_A'], ['status'], { consistent: true });
    expect([...found]).toEqual([
      ['acc_A', { id: 'acc_A', status: 'active' }],
      ['acc_B', { id: 'acc_B', status: 'suspended' }],
    ]);
    const calls = ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!['by-key-test']!);
    expect(calls.map((c) => c.Keys)).toEqual([[a, b], [b]]);
    expect(calls[0]).toMatchObject({ ConsistentRead: true });
  });

  it('batch: a key still unprocessed after four tries is a TransientError (503), not a silent gap', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'by-key-test': [] }, UnprocessedKeys: { 'by-key-test': { Keys: [primaryKey('account', 'acc_A')] } } });
    await expect(batchGetByKey('account', ['acc_A'], ['status'])).rejects.toMatchObject({ name: 'TransientError' });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(4);
  });
});

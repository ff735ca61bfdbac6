import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { call, login, staffLogin, unique } from './api.ts';
import { TABLE, withTable } from './table.ts';
import { createCustomer } from '../factories/index.ts';

/**
 * Passwords stored before argon2id (scrypt N=2^17, r=8, p=1) keep working, and the next successful
 * sign-in replaces the hash with an argon2id one at today's parameters (docs/product.md#quality-bars), in the same
 * transaction as the sign-in. A failed sign-in changes nothing.
 */
/** Made by the scrypt code the passwords module had before argon2id, for 'Old-Scrypt-Pass-1'. */
const OLD_SCRYPT = 'scrypt$131072$8$1$jsq9Fb0/rjzcTTjygf4lYw==$XQlO2hE+J8JRywQoD/ICWR7C5gTZFlKpK3c2pUJxcaI=';
const userKey = (userId: string) => ({ pk: { S: `$clp#id_${userId.toLowerCase()}` }, sk: { S: '$user_1' } });
const storedHash = (userId: string) =>
  withTable(async (dynamo) => (await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: userKey(userId), ConsistentRead: true }))).Item?.passwordHash?.S);

it('signs in with a scrypt hash from before argon2id and upgrades it, on success only', async () => {
  const staff = await staffLogin();
  const customer = await createCustomer(staff);
  const loginName = `${unique('legacy')}@customer.test`;
  const created = await call('POST', `/v1/accounts/${customer.account.id}/users`, {
    token: staff,
    body: { users: [{ firstName: 'Lea', lastName: 'Legacy', login: loginName, role: 'user', password: 'Any-Initial-Pass-1' }], sendActivationEmail: false },
  });
  expect(created.status).toBe(201);
  const userId: string = created.body.items[0].id;
  expect(userId).toMatch(/^usr_/);
  // The user as a deployment from before argon2id stored it.
  await withTable((dynamo) =>
    dynamo.send(
      new UpdateItemCommand({ TableName: TABLE, Key: userKey(userId), UpdateExpression: 'SET passwordHash = :h', ExpressionAttributeValues: { ':h': { S: OLD_SCRYPT } } }),
    ),
  );

  expect((await call('POST', '/v1/auth/login', { body: { login: loginName, password: 'Wrong-Password-99' } })).status).toBe(401);
  expect(await storedHash(userId)).toBe(OLD_SCRYPT);

  const token = await login(loginName, 'Old-Scrypt-Pass-1');
  expect((await call('GET', '/v1/me', { token })).status).toBe(200);
  const upgraded = await storedHash(userId);
  expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

  // The new hash holds the same password.
  expect((await call('GET', '/v1/me', { token: await login(loginName, 'Old-Scrypt-Pass-1') })).status).toBe(200);
  expect(await storedHash(userId)).toBe(upgraded);
});

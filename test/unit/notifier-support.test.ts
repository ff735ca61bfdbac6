import { jest } from '@jest/globals';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

process.env.TABLE_NAME = 'notifier-support-test';
process.env.AWS_REGION ??= 'eu-west-1';

const { handler } = await import('../../functions/streams/notifier.ts');
const { db } = await import('#data/entities.ts');
const { primaryKey } = await import('#data/by-key.ts');
const { outboxEmail } = await import('#emails/index.ts');
const { logger } = await import('#platform/logger.ts');

/**
 * The notifier closes an email that names its account with the support contact that account's
 * users see (docs/product.md#emails): the account's own, else the nearest ancestor's, else none;
 * each account resolved once per invocation, an account read at most once (data/support-contacts.ts).
 */
const ses = mockClient(SESv2Client);
const ddb = mockClient(DynamoDBDocumentClient);
jest.spyOn(logger, 'info').mockImplementation(() => undefined);
const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

type OutboxRecord = ReturnType<typeof outboxEmail>;

const ROOT = { id: 'acc_root', accountPath: ['acc_root'], support: { email: 'help@distributor.test' } };
const RESELLER = { id: 'acc_res', accountPath: ['acc_root', 'acc_res'], support: { email: 'help@reseller.test', phone: '+34 910 000 000', url: 'https://help.reseller.test' } };
const PLAIN_RESELLER = { id: 'acc_plain', accountPath: ['acc_root', 'acc_plain'] };
const CUSTOMER = { id: 'acc_cus', accountPath: ['acc_root', 'acc_res', 'acc_cus'] };
const OWN = { id: 'acc_own', accountPath: ['acc_root', 'acc_res', 'acc_own'], support: { phone: '+49 30 1234' } };
const UNDER_PLAIN = { id: 'acc_under', accountPath: ['acc_root', 'acc_plain', 'acc_under'] };

/** The accounts the table holds, as ElectroDB writes them. */
let accounts: Array<{ id: string; accountPath: string[]; support?: Record<string, string> }>;

function email(accountId?: string, to = 'jane@example.com'): OutboxRecord {
  return outboxEmail('password-changed', { email: to, locale: 'en', name: 'Jane Doe' }, { at: '2027-01-05T15:04:00.000Z' }, { accountId });
}

const stored = (record: OutboxRecord) => db().entities.outbox.put(record).params().Item as Record<string, unknown>;

let sequence = 0;
function eventOf(...records: OutboxRecord[]): DynamoDBStreamEvent {
  return {
    Records: records.map(
      (record): DynamoDBRecord => ({
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        dynamodb: { SequenceNumber: String((sequence += 1)), NewImage: marshall(stored(record)) as Record<string, LambdaAttributeValue> },
      }),
    ),
  };
}

function storedAs(...records: OutboxRecord[]): void {
  for (const record of records) {
    const item = stored(record);
    ddb.on(GetCommand, { Key: { pk: item.pk, sk: item.sk } }).resolves({ Item: item });
  }
}

const accountItem = (id: string) => {
  const a = accounts.find((x) => x.id === id);
  return a && { ...a, ...primaryKey('account', id), __edb_e__: 'account', __edb_v__: '1' };
};

/** The account reads the notifier made: each GetItem's id, each BatchGetItem's ids. */
function accountReads(): { gets: string[]; batches: string[][] } {
  const idOf = (key: Record<string, unknown>) => String(key.pk).replace('$clp#id_', '');
  const gets = ddb
    .commandCalls(GetCommand)
    .map((c) => c.args[0].input.Key!)
    .filter((k) => String(k.sk).startsWith('$account'))
    .map(idOf);
  const batches = ddb.commandCalls(BatchGetCommand).map((c) => Object.values(c.args[0].input.RequestItems!)[0]!.Keys!.map(idOf));
  return { gets, batches };
}

/** The text part sent to each address, in order. */
const sent = () =>
  ses.commandCalls(SendEmailCommand).map((c) => ({ to: c.args[0].input.Destination!.ToAddresses![0], text: c.args[0].input.Content!.Simple!.Body!.Text!.Data!, html: c.args[0].input.Content!.Simple!.Body!.Html!.Data! }));
const footerOf = (text: string) => /\nNeed help\? Contact support: ([^\n]*)\n/.exec(text)?.[1];

beforeEach(() => {
  ses.reset();
  ddb.reset();
  warn.mockClear();
  accounts = [ROOT, RESELLER, PLAIN_RESELLER, CUSTOMER, OWN, UNDER_PLAIN];
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
    if (!input.Key.sk.startsWith('$account')) return {};
    return { Item: accountItem(input.Key.pk.replace('$clp#id_', '')) };
  });
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string }> }> }) => {
    const [table, request] = Object.entries(input.RequestItems)[0]!;
    return { Responses: { [table]: request.Keys.map((k) => accountItem(k.pk.replace('$clp#id_', ''))).filter(Boolean) } };
  });
});

describe('the notifier and the support contact', () => {
  it("closes an email with its account's own contact, reading that account alone", async () => {
    const record = email(OWN.id);
    storedAs(record);

    expect(await handler(eventOf(record))).toEqual({ batchItemFailures: [] });

    expect(footerOf(sent()[0]!.text)).toBe('+49 30 1234');
    expect(accountReads()).toEqual({ gets: [OWN.id], batches: [] });
  });

  it("closes an email of an account without one with the nearest ancestor's, the ancestors read in one batch", async () => {
    const record = email(CUSTOMER.id);
    storedAs(record);

    await handler(eventOf(record));

    expect(footerOf(sent()[0]!.text)).toBe('help@reseller.test · +34 910 000 000 · https://help.reseller.test');
    expect(sent()[0]!.html).toContain('<a href="https://help.reseller.test"');
    expect(accountReads()).toEqual({ gets: [CUSTOMER.id], batches: [[ROOT.id, RESELLER.id]] });
  });

  it('skips an ancestor without a contact for the one above it', async () => {
    const record = email(UNDER_PLAIN.id);
    storedAs(record);

    await handler(eventOf(record));

    expect(footerOf(sent()[0]!.text)).toBe('help@distributor.test');
  });

  it('resolves each account once per invocation, and reads no account twice', async () => {
    const records = [email(CUSTOMER.id, 'a@x.test'), email(CUSTOMER.id, 'b@x.test'), email(RESELLER.id, 'c@x.test'), email(OWN.id, 'd@x.test'), email(CUSTOMER.id, 'e@x.test'), email(ROOT.id, 'f@x.test')];
    storedAs(...records);

    expect(await handler(eventOf(...records))).toEqual({ batchItemFailures: [] });

    expect(sent().map((s) => [s.to, footerOf(s.text)])).toEqual([
      ['a@x.test', 'help@reseller.test · +34 910 000 000 · https://help.reseller.test'],
      ['b@x.test', 'help@reseller.test · +34 910 000 000 · https://help.reseller.test'],
      ['c@x.test', 'help@reseller.test · +34 910 000 000 · https://help.reseller.test'],
      ['d@x.test', '+49 30 1234'],
      ['e@x.test', 'help@reseller.test · +34 910 000 000 · https://help.reseller.test'],
      ['f@x.test', 'help@distributor.test'],
    ]);
    // The customer, then its ancestors in one batch; the reseller and the root are known from it; the other customer alone.
    expect(accountReads()).toEqual({ gets: [CUSTOMER.id, OWN.id], batches: [[ROOT.id, RESELLER.id]] });
  });

  it('reads again in the next invocation, so a contact changed meanwhile shows', async () => {
    const first = email(CUSTOMER.id);
    const second = email(CUSTOMER.id);
    storedAs(first, second);

    await handler(eventOf(first));
    accounts = accounts.map((a) => (a.id === CUSTOMER.id ? { ...a, support: { email: 'it@customer.test' } } : a));
    await handler(eventOf(second));

    expect(sent().map((s) => footerOf(s.text))).toEqual(['help@reseller.test · +34 910 000 000 · https://help.reseller.test', 'it@customer.test']);
    expect(accountReads().gets).toEqual([CUSTOMER.id, CUSTOMER.id]);
  });

  it('sends without a footer when no account of the chain has a contact', async () => {
    accounts = accounts.map(({ support: _none, ...a }) => a);
    const record = email(CUSTOMER.id);
    storedAs(record);

    expect(await handler(eventOf(record))).toEqual({ batchItemFailures: [] });

    expect(sent()[0]!.text).not.toContain('Need help?');
    expect(sent()[0]!.html).not.toContain('Need help?');
  });

  it('sends without a footer, and without failing, when the account is no longer there', async () => {
    const record = email('acc_gone');
    storedAs(record);

    expect(await handler(eventOf(record))).toEqual({ batchItemFailures: [] });

    expect(sent()).toHaveLength(1);
    expect(sent()[0]!.text).not.toContain('Need help?');
    expect(accountReads()).toEqual({ gets: ['acc_gone'], batches: [] });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('reads no account for an email that names none', async () => {
    const record = email(undefined);
    storedAs(record);

    await handler(eventOf(record));

    expect(sent()[0]!.text).not.toContain('Need help?');
    expect(accountReads()).toEqual({ gets: [], batches: [] });
  });

  it('retries the email, sending nothing, when the account cannot be read', async () => {
    ddb.on(GetCommand, { Key: primaryKey('account', CUSTOMER.id) }).rejects(Object.assign(new Error('Slow down'), { name: 'ProvisionedThroughputExceededException' }));
    const record = email(CUSTOMER.id);
    storedAs(record);

    const result = await handler(eventOf(record));

    expect(result.batchItemFailures).toHaveLength(1);
    expect(sent()).toHaveLength(0);
    expect(warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ outboxId: record.id }));
  });
});

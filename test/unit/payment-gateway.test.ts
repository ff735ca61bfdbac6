import { jest } from '@jest/globals';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

process.env.TABLE_NAME = 'payment-gateway-test';
process.env.AWS_REGION ??= 'eu-west-1';

const { brandOf, CardRefused, luhnValid, SandboxPaymentGateway, tokenizeCard } = await import('#platform/payments/sandbox.ts');
const { ChargeRefundedError, PaymentUnconfirmedError } = await import('#platform/payments/port.ts');
const { db } = await import('#data/entities.ts');
const { setClock } = await import('#platform/clock.ts');
const { logger } = await import('#platform/logger.ts');
const { handler, rawCardDataPaths } = await import('../../functions/http/payment-methods/handler.ts');

/** The sandbox gateway of docs/product.md#sandboxes-and-their-magic-values and the API's refusal of raw card numbers (docs/product.md#billing). */
const ddb = mockClient(DynamoDBDocumentClient);
jest.spyOn(logger, 'info').mockImplementation(() => undefined);
jest.spyOn(logger, 'error').mockImplementation(() => undefined);

beforeEach(() => {
  ddb.reset();
  ddb.on(PutCommand).resolves({});
  setClock(new Date('2027-03-15T12:00:00Z'));
});
afterAll(() => setClock());

describe('Luhn check', () => {
  it.each([
    ['4242424242424242', true],
    ['4000000000000002', true],
    ['5555555555554444', true],
    ['378282246310005', true],
    ['6011111111111117', true],
    ['4111111111111111', true],
    ['4242424242424241', false],
    ['1234567812345678', false],
    ['42424242424', false], // 11 digits: too short for a card
    ['42424242424242424242', false], // 20 digits: too long
    ['4242 4242 4242 4242', false], // separators are stripped by the caller, not here
    ['', false],
    ['abcd', false],
  ])('%s → %s', (number, valid) => {
    expect(luhnValid(number)).toBe(valid);
  });
});

describe('card brands', () => {
  it.each([
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['371449635398431', 'amex'],
    ['6011111111111117', 'discover'],
    ['6500000000000002', 'discover'],
    ['3056930009020004', 'unknown'],
  ])('%s is %s', (number, brand) => {
    expect(brandOf(number)).toBe(brand);
  });
});

describe('tokenizeCard (the processor\'s page)', () => {
  const card = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2028, cvc: '123' };

  it('turns a valid number into a token, keeping only brand, last 4 and expiry', async () => {
    const details = await tokenizeCard(card);

    expect(details).toEqual({ token: expect.stringMatching(/^tok_/), brand: 'visa', last4: '4242', expMonth: 12, expYear: 2028 });
    const puts = ddb.commandCalls(PutCommand);
    expect(puts).toHaveLength(1);
    const item = puts[0]!.args[0].input.Item!;
    expect(item).toMatchObject({ token: details.token, brand: 'visa', last4: '4242', declines: false });
    expect(JSON.stringify(item)).not.toContain('4242424242424242');
    expect(JSON.stringify(item)).not.toContain('"123"');
  });

  it('accepts a number ending in 0002 (it declines when charged, not here)', async () => {
    const details = await tokenizeCard({ ...card, number: '4000-0000-0000-0002' });

    expect(details.last4).toBe('0002');
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ declines: true });
  });

  it.each([
    ['4000 0000 0000 0119', 'lost'],
    ['4000 0000 0000 0127', 'never'],
    ['4242 4242 4242 4242', undefined],
  ])('records what the charge of %s answers: %s', async (number, answer) => {
    await tokenizeCard({ ...card, number });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!.answer).toBe(answer);
  });

  it('accepts a card expiring this month', async () => {
    await expect(tokenizeCard({ ...card, expMonth: 3, expYear: 2027 })).resolves.toMatchObject({ expMonth: 3, expYear: 2027 });
  });

  it.each([
    ['a number failing Luhn', { number: '4242 4242 4242 4241' }, /number/],
    ['a number too short', { number: '4242 4242' }, /number/],
    ['letters', { number: 'four two four two' }, /number/],
    ['a security code of 2 digits', { cvc: '12' }, /security code/],
    ['a security code with letters', { cvc: '12a' }, /security code/],
    ['last month', { expMonth: 2, expYear: 2027 }, /expired/],
    ['last year', { expMonth: 12, expYear: 2026 }, /expired/],
    ['month 13', { expMonth: 13 }, /expired/],
    ['month 0', { expMonth: 0 }, /expired/],
  ])('refuses %s and stores nothing', async (_what, change, message) => {
    await expect(tokenizeCard({ ...card, ...change })).rejects.toThrow(CardRefused);
    await expect(tokenizeCard({ ...card, ...change })).rejects.toThrow(message);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

describe('raw card data in a request body', () => {
  it.each([
    ['a field named number', { type: 'card', number: '1' }, ['number']],
    ['cardNumber, nested', { type: 'card', card: { cardNumber: 'x' } }, ['card.cardNumber']],
    ['card_number', { card_number: 'x' }, ['card_number']],
    ['PAN in capitals', { PAN: 'x' }, ['PAN']],
    ['cvc and cvv', { cvc: '123', extra: [{ CVV: '1' }] }, ['cvc', 'extra.0.CVV']],
    ['a Luhn number in another field', { type: 'card', token: '4242424242424242', holderName: 'A' }, ['token']],
    ['with spaces', { holderName: '4242 4242 4242 4242' }, ['holderName']],
    ['with dashes, deep in an array', { a: [[{ b: '5555-5555-5555-4444' }]] }, ['a.0.0.b']],
    ['as a JSON number', { token: 4242424242424242 }, ['token']],
    ['as a key', { '4242424242424242': true }, ['4242424242424242']],
    ['as the whole body', '4242424242424242', ['']],
  ])('finds %s', (_what, body, paths) => {
    expect(rawCardDataPaths(body)).toEqual(paths);
  });

  it.each([
    ['a card from a token', { type: 'card', token: 'tok_01J0000000000000000000ABCDdeadbeef0001', holderName: 'Ada Admin', setDefault: true }],
    ['an invoice method', { type: 'invoice' }],
    ['an address with a long postal code', { billingAddress: { line1: '1 Street', city: 'X', postalCode: '123456789012', country: 'DE' } }],
    ['a digit string failing Luhn', { token: '4242424242424241' }],
    ['an expiry', { expMonth: 12, expYear: 2030 }],
    ['nothing', undefined],
    ['null', null],
  ])('leaves alone %s', (_what, body) => {
    expect(rawCardDataPaths(body)).toEqual([]);
  });

  it('walks a deeply nested body without overflowing', () => {
    let body: unknown = { number: '1' };
    for (let i = 0; i < 50_000; i++) body = [body];
    expect(() => rawCardDataPaths(body)).not.toThrow();
  });

  it('refuses the request with raw_card_number before writing anything (only the account is read: its 404 comes first)', async () => {
    const account = db().entities.account.put({
      id: 'acc_01J00000000000000000000002', type: 'customer', name: 'Ada Ltd', status: 'active', parentId: 'acc_01J00000000000000000000001',
      rootId: 'acc_01J00000000000000000000001', accountPath: ['acc_01J00000000000000000000001', 'acc_01J00000000000000000000002'],
      settings: {}, address: { line1: 'Street 1', city: 'City', postalCode: '1000', country: 'DE' }, createdAt: '2027-01-01T00:00:00Z',
    } as never).params().Item;
    ddb.on(GetCommand).resolves({ Item: account });
    const event = {
      version: '2.0',
      routeKey: 'POST /v1/accounts/{accountId}/payment-methods',
      rawPath: '/v1/accounts/acc_01J00000000000000000000002/payment-methods',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      pathParameters: { accountId: 'acc_01J00000000000000000000002' },
      requestContext: {
        requestId: 'req-1',
        routeKey: 'POST /v1/accounts/{accountId}/payment-methods',
        http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
        authorizer: {
          lambda: {
            authenticated: true,
            userId: 'usr_01J00000000000000000000003',
            accountId: 'acc_01J00000000000000000000002',
            accountType: 'customer',
            role: 'admin',
            accountPath: 'acc_01J00000000000000000000001,acc_01J00000000000000000000002',
            rootId: 'acc_01J00000000000000000000001',
          },
        },
      },
      body: JSON.stringify({ type: 'card', number: '4242 4242 4242 4242', expMonth: 12, expYear: 2028, cvc: '123', holderName: 'Ada' }),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

    const result = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;

    expect(result.statusCode).toBe(400);
    const { error } = JSON.parse(result.body!);
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([
      { in: 'body', path: 'cvc', code: 'raw_card_number' },
      { in: 'body', path: 'number', code: 'raw_card_number' },
    ]);
    expect(result.body).not.toContain('4242');
    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual(['GetCommand']);
  });
});

describe('charges and refunds of the sandbox gateway', () => {
  const gateway = new SandboxPaymentGateway();
  const TOKEN = 'tok_01JD000000000000000000000000aabbccddeeff';
  const cardItem = (answer?: 'lost' | 'never') =>
    db().entities.gatewayCard.put({ token: TOKEN, brand: 'visa', last4: '0119', expMonth: 12, expYear: 2030, declines: false, answer, createdAt: '2027-01-01T00:00:00Z' }).params().Item;
  const charge = () => gateway.charge({ token: TOKEN, amount: 1200, currency: 'EUR', reference: 'ord_01JD0000000000000000000000' });

  it('takes a charge and then loses the answer for a card ending in 0119, on every try', async () => {
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: cardItem('lost') });
    await expect(charge()).rejects.toThrow(PaymentUnconfirmedError);
    const taken = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    expect(taken).toMatchObject({ reference: 'ord_01JD0000000000000000000000', status: 'succeeded', amount: 1200 });

    // A retry with the same reference: the charge stands (no second one), the answer is lost again.
    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: cardItem('lost') });
    ddb.on(GetCommand, { Key: { pk: taken.pk, sk: taken.sk } }).resolves({ Item: taken });
    await expect(charge()).rejects.toThrow(PaymentUnconfirmedError);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('never replays a refunded charge as a payment: a reference whose charge was given back is refused, nothing taken', async () => {
    const refunded = db().entities.gatewayCharge.put({ reference: 'ord_01JD0000000000000000000000', token: TOKEN, amount: 1200, currency: 'EUR', chargeId: 'charge_01JD0000000000000000000000', status: 'refunded', createdAt: '2027-01-01T00:00:00Z' }).params().Item;
    ddb.on(GetCommand).resolves({ Item: cardItem() });
    ddb.on(GetCommand, { Key: { pk: refunded.pk, sk: refunded.sk } }).resolves({ Item: refunded });
    await expect(charge()).rejects.toThrow(ChargeRefundedError);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refunds once: a refund of a refunded or unknown charge is a no-op', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    await expect(gateway.refund('ord_01JD0000000000000000000000')).resolves.toBeUndefined();
  });

  it('throws when the refund cannot be made, so the caller keeps what it must retry', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(gateway.refund('ord_01JD0000000000000000000000')).rejects.toThrow('Throughput');
  });
});


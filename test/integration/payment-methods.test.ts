import { call, login, staffLogin, unique } from './api.ts';
import { address, createCustomer, firstOffer, makeOrderBody } from '../factories/index.ts';

/**
 * Payment methods (docs/product.md#billing, docs/product.md#billing-routes) over HTTP: cards arrive as tokens from the sandbox
 * processor's page (`/_local/payment-gateway/tokens`, docs/product.md#local-only-endpoints); the API never takes a card
 * number and never gives a token back.
 */
const VISA = '4242 4242 4242 4242';
const DECLINING = '4000 0000 0000 0002';
const MASTERCARD = '5555 5555 5555 4444';

/** Every token the processor issued, and every API reply: no reply may carry a token. */
const tokens = new Set<string>();
const replies: string[] = [];

async function api(method: string, path: string, opts: Parameters<typeof call>[2] = {}) {
  const r = await call(method, path, opts);
  replies.push(JSON.stringify(r.body ?? ''));
  return r;
}

let year: number;

async function cardToken(number = VISA, overrides: Record<string, unknown> = {}) {
  const r = await call('POST', '/_local/payment-gateway/tokens', { body: { number, expMonth: 12, expYear: year + 2, cvc: '123', ...overrides } });
  if (r.status !== 201) throw new Error(`tokenize: ${r.status} ${JSON.stringify(r.body)}`);
  tokens.add(r.body.token);
  return r.body as { token: string; brand: string; last4: string };
}

interface Method {
  id: string;
  type: string;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  holderName: string | null;
  isDefault: boolean;
}

describe('payment methods', () => {
  let staff: string;

  /** A fresh customer with its admin signed in, and the methods API bound to it. */
  async function customerWithAdmin() {
    const customer = await createCustomer(staff);
    const token = await login(customer.login, customer.password);
    const base = `/v1/accounts/${customer.account.id}/payment-methods`;
    const list = async (): Promise<Method[]> => {
      const r = await api('GET', base, { token });
      expect(r.status).toBe(200);
      return r.body.items;
    };
    const addCard = async (number = VISA, extra: Record<string, unknown> = {}): Promise<Method> => {
      const { token: cardTok } = await cardToken(number);
      const r = await api('POST', base, { token, body: { type: 'card', token: cardTok, holderName: 'Ada Admin', ...extra } });
      expect(r.status).toBe(201);
      return r.body;
    };
    return { customer, token, base, list, addCard };
  }

  beforeAll(async () => {
    await call('DELETE', '/_local/clock');
    year = new Date((await call('GET', '/_local/clock')).body.now).getUTCFullYear();
    staff = await staffLogin();
  });


  describe('the sandbox processor\'s page', () => {
    it('turns a test card into a token with brand and last 4 digits', async () => {
      const visa = await cardToken(VISA);
      expect(visa).toEqual({ token: expect.stringMatching(/^tok_/), brand: 'visa', last4: '4242' });
      expect(await cardToken(MASTERCARD)).toMatchObject({ brand: 'mastercard', last4: '4444' });
    });

    it('makes a token for a card ending in 0002 too: its decline shows when charged', async () => {
      expect(await cardToken(DECLINING)).toMatchObject({ brand: 'visa', last4: '0002' });
    });

    it('refuses an invalid number or an expired card with card_refused', async () => {
      const body = { number: VISA, expMonth: 12, expYear: year + 2, cvc: '123' };
      const luhn = await call('POST', '/_local/payment-gateway/tokens', { body: { ...body, number: '4242 4242 4242 4241' } });
      expect(luhn.status).toBe(400);
      expect(luhn.body.error.code).toBe('card_refused');
      const expired = await call('POST', '/_local/payment-gateway/tokens', { body: { ...body, expMonth: 1, expYear: year - 1 } });
      expect(expired.status).toBe(400);
      expect(expired.body.error.code).toBe('card_refused');
    });

    it('refuses unknown fields', async () => {
      const r = await call('POST', '/_local/payment-gateway/tokens', { body: { number: VISA, expMonth: 12, expYear: year + 2, cvc: '123', pin: '0000' } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    });
  });

  it('adds a card from a token: brand, last 4 and expiry come from the gateway; the first becomes default', async () => {
    const { base, token, list } = await customerWithAdmin();
    const { token: cardTok } = await cardToken(VISA, { expMonth: 7 });
    const added = await api('POST', base, { token, body: { type: 'card', token: cardTok, holderName: 'Ada Admin', billingAddress: address } });

    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      id: expect.stringMatching(/^pm_/),
      type: 'card',
      brand: 'visa',
      last4: '4242',
      expMonth: 7,
      expYear: year + 2,
      holderName: 'Ada Admin',
      billingAddress: address,
      isDefault: true,
    });
    expect(Object.keys(added.body)).not.toEqual(expect.arrayContaining(['token']));
    expect(Object.keys(added.body)).not.toEqual(expect.arrayContaining(['gatewayToken']));
    expect(await list()).toEqual([added.body]);
  });

  it('keeps exactly one default: setting a second card default clears the first', async () => {
    const { addCard, list } = await customerWithAdmin();
    const first = await addCard(VISA);
    const second = await addCard(MASTERCARD);
    expect(second.isDefault).toBe(false);

    const third = await addCard(DECLINING, { setDefault: true });
    expect(third.isDefault).toBe(true);
    expect((await list()).map((m) => [m.id, m.isDefault])).toEqual([
      [first.id, false],
      [second.id, false],
      [third.id, true],
    ]);
  });

  it('sets a default through PATCH isDefault, in one step', async () => {
    const { addCard, list, token } = await customerWithAdmin();
    const first = await addCard(VISA);
    const second = await addCard(MASTERCARD);

    const r = await api('PATCH', `/v1/payment-methods/${second.id}`, { token, body: { isDefault: true } });
    expect(r.status).toBe(200);
    expect(r.body.isDefault).toBe(true);
    expect((await list()).map((m) => [m.id, m.isDefault])).toEqual([
      [first.id, false],
      [second.id, true],
    ]);

    const unset = await api('PATCH', `/v1/payment-methods/${second.id}`, { token, body: { isDefault: false } });
    expect(unset.status).toBe(400);
  });

  it('edits the expiry, holder and billing address; refuses an expiry in the past', async () => {
    const { addCard, list, token } = await customerWithAdmin();
    const card = await addCard(VISA);

    const r = await api('PATCH', `/v1/payment-methods/${card.id}`, {
      token,
      body: { expMonth: 3, expYear: year + 4, holderName: 'Ada Lovelace', billingAddress: { ...address, city: 'Hamburg' } },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ expMonth: 3, expYear: year + 4, holderName: 'Ada Lovelace', billingAddress: { city: 'Hamburg' }, brand: 'visa', last4: '4242' });

    const past = await api('PATCH', `/v1/payment-methods/${card.id}`, { token, body: { expYear: year - 1 } });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('validation_failed');

    const brand = await api('PATCH', `/v1/payment-methods/${card.id}`, { token, body: { brand: 'amex', last4: '0005' } });
    expect(brand.status).toBe(400);

    const cleared = await api('PATCH', `/v1/payment-methods/${card.id}`, { token, body: { billingAddress: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.billingAddress).toBeNull();
    expect(await list()).toEqual([expect.objectContaining({ expMonth: 3, expYear: year + 4, holderName: 'Ada Lovelace', billingAddress: null })]);
  });

  it('answers its version as the ETag and refuses a PATCH under a stale If-Match with 412, changing nothing', async () => {
    const { addCard, list, token } = await customerWithAdmin();
    const card = await addCard(VISA);
    const path = `/v1/payment-methods/${card.id}`;
    const first = await api('PATCH', path, { token, body: { holderName: 'Ada One' }, headers: { 'if-match': `"${(card as Method & { version: number }).version}"` } });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe(`"${first.body.version}"`);
    const stale = await api('PATCH', path, { token, body: { holderName: 'Ada Stale' }, headers: { 'if-match': `"${(card as Method & { version: number }).version}"` } });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('precondition_failed');
    expect(await list()).toEqual([expect.objectContaining({ holderName: 'Ada One', version: first.body.version })]);
  });

  it('removes a method; removing the default makes the oldest remaining one default, or none', async () => {
    const { addCard, list, token } = await customerWithAdmin();
    const first = await addCard(VISA);
    const second = await addCard(MASTERCARD);
    const third = await addCard(DECLINING, { setDefault: true });

    expect((await api('DELETE', `/v1/payment-methods/${third.id}`, { token })).status).toBe(204);
    expect((await list()).map((m) => [m.id, m.isDefault])).toEqual([
      [first.id, true],
      [second.id, false],
    ]);

    expect((await api('DELETE', `/v1/payment-methods/${second.id}`, { token })).status).toBe(204);
    expect((await list()).map((m) => [m.id, m.isDefault])).toEqual([[first.id, true]]);

    expect((await api('DELETE', `/v1/payment-methods/${first.id}`, { token })).status).toBe(204);
    expect(await list()).toEqual([]);
    expect((await api('DELETE', `/v1/payment-methods/${first.id}`, { token })).status).toBe(404);
  });

  it('keeps one default when cards are added and made default in parallel', async () => {
    const { base, token, list } = await customerWithAdmin();
    const cardTokens = await Promise.all([VISA, MASTERCARD, VISA, MASTERCARD, VISA].map((n) => cardToken(n)));
    const added = await Promise.all(cardTokens.map((c) => api('POST', base, { token, body: { type: 'card', token: c.token, holderName: 'Ada Admin' } })));
    expect(added.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    let methods = await list();
    expect(methods).toHaveLength(5);
    expect(methods.filter((m) => m.isDefault)).toHaveLength(1);

    const switched = await Promise.all(methods.map((m) => api('PATCH', `/v1/payment-methods/${m.id}`, { token, body: { isDefault: true } })));
    expect(switched.every((r) => r.status === 200)).toBe(true);
    methods = await list();
    expect(methods.filter((m) => m.isDefault)).toHaveLength(1);
  });

  describe('a raw card number', () => {
    it.each([
      ['as number, expiry and cvc', { type: 'card', number: VISA, expMonth: 12, expYear: 2030, cvc: '123', holderName: 'Ada Admin' }, ['cvc', 'number']],
      ['in place of the token', { type: 'card', token: '4242424242424242', holderName: 'Ada Admin' }, ['token']],
      ['as the holder name', { type: 'card', token: 'tok_x', holderName: '5555-5555-5555-4444' }, ['holderName']],
      ['under another name, nested', { type: 'card', token: 'tok_x', holderName: 'Ada', card: { pan: '1' } }, ['card.pan']],
    ])('is refused %s with 400 raw_card_number; nothing is stored', async (_how, body, paths) => {
      const { base, token, addCard, list } = await customerWithAdmin();
      const card = await addCard(VISA);

      const r = await api('POST', base, { token, body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.message).toMatch(/token/);
      expect(r.body.error.details).toEqual(paths.map((path) => ({ in: 'body', path, code: 'raw_card_number' })));
      expect(JSON.stringify(r.body)).not.toMatch(/4242|4444/);
      expect(await list()).toEqual([card]);
    });

    it('is refused in an edit too', async () => {
      const { token, addCard, list } = await customerWithAdmin();
      const card = await addCard(VISA);
      const r = await api('PATCH', `/v1/payment-methods/${card.id}`, { token, body: { cardNumber: MASTERCARD, holderName: 'Ada' } });
      expect(r.status).toBe(400);
      expect(r.body.error.details).toEqual([{ in: 'body', path: 'cardNumber', code: 'raw_card_number' }]);
      expect(await list()).toEqual([card]);
    });
  });

  it('refuses a token the gateway never issued with 422 card_token_invalid', async () => {
    const { base, token, list } = await customerWithAdmin();
    const r = await api('POST', base, { token, body: { type: 'card', token: `tok_${unique('forged')}`, holderName: 'Ada Admin' } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('card_token_invalid');
    expect(await list()).toEqual([]);
  });

  it('adds one invoice method per account; a second is 409 invalid_state', async () => {
    const { base, token, addCard, list } = await customerWithAdmin();
    const card = await addCard(VISA);
    const invoice = await api('POST', base, { token, body: { type: 'invoice' } });
    expect(invoice.status).toBe(201);
    expect(invoice.body).toMatchObject({ type: 'invoice', brand: null, last4: null, expMonth: null, expYear: null, holderName: null, isDefault: false });

    const again = await Promise.all([1, 2].map(() => api('POST', base, { token, body: { type: 'invoice', setDefault: true } })));
    expect(again.map((r) => r.status)).toEqual([409, 409]);
    expect(again[0]!.body.error.code).toBe('invalid_state');
    expect((await list()).map((m) => [m.id, m.isDefault])).toEqual([
      [card.id, true],
      [invoice.body.id, false],
    ]);

    const cardFields = await api('PATCH', `/v1/payment-methods/${invoice.body.id}`, { token, body: { holderName: 'X' } });
    expect(cardFields.status).toBe(400);
    const made = await api('PATCH', `/v1/payment-methods/${invoice.body.id}`, { token, body: { isDefault: true } });
    expect(made.status).toBe(200);
    expect((await list()).map((m) => m.isDefault)).toEqual([false, true]);
  });

  it('lets staff in scope read and add methods for a customer', async () => {
    const { base, list } = await customerWithAdmin();
    const { token: cardTok } = await cardToken(VISA);
    const added = await api('POST', base, { token: staff, body: { type: 'card', token: cardTok, holderName: 'Staff Added' } });
    expect(added.status).toBe(201);
    const seen = await api('GET', base, { token: staff });
    expect(seen.body.items).toEqual(await list());
  });

  it('forbids a customer user (403) and hides another customer\'s methods (404)', async () => {
    const { customer, base, token, addCard, list } = await customerWithAdmin();
    const card = await addCard(VISA);
    const userLogin = `${unique('user')}@people.test`;
    const password = 'Payment-User-Password-1';
    const created = await api('POST', `/v1/accounts/${customer.account.id}/users`, {
      token,
      body: { users: [{ firstName: 'Uma', lastName: 'User', login: userLogin, role: 'user', password }], sendActivationEmail: false },
    });
    expect(created.status).toBe(201);
    const user = await login(userLogin, password);
    const other = await customerWithAdmin();
    const otherCard = await other.addCard(MASTERCARD);
    const { token: cardTok } = await cardToken(VISA);
    const addBody = { type: 'card', token: cardTok, holderName: 'Intruder' };

    // A customer user lists only the cards it keeps itself (none: docs/product.md#self-service-subscriptions) and changes none of the account's.
    const ownList = await api('GET', base, { token: user });
    expect({ status: ownList.status, items: ownList.body.items }).toEqual({ status: 200, items: [] });
    for (const [who, caller, status] of [
      ['customer user', user, 403],
      ['another customer\'s admin', other.token, 404],
    ] as const) {
      const results = [
        ...(who === 'customer user' ? [{ status }] : [await api('GET', base, { token: caller })]),
        await api('POST', base, { token: caller, body: addBody }),
        await api('PATCH', `/v1/payment-methods/${card.id}`, { token: caller, body: { holderName: 'Intruder' } }),
        await api('PATCH', `/v1/payment-methods/${card.id}`, { token: caller, body: { isDefault: true } }),
        await api('DELETE', `/v1/payment-methods/${card.id}`, { token: caller }),
      ];
      expect([who, results.map((r) => r.status)]).toEqual([who, [status, status, status, status, status]]);
    }
    expect(await list()).toEqual([card]);
    expect(await other.list()).toEqual([otherCard]);
  });

  it('charges a card ending in 0002 with a decline (a staff order paid by it is 402)', async () => {
    const { customer, addCard } = await customerWithAdmin();
    await addCard(VISA);
    const declining = await addCard(DECLINING);
    const { offer } = await firstOffer(staff);
    const r = await api('POST', `/v1/accounts/${customer.account.id}/orders`, {
      token: staff,
      body: makeOrderBody(offer.id, { paymentMethodId: declining.id }),
      headers: { 'idempotency-key': unique('k') },
    });
    expect(r.status).toBe(402);
    expect(r.body.error.code).toBe('payment_declined');
  });

  // Last: it reads every reply the tests above collected.
  it('never shows a gateway token in any reply', () => {
    expect(tokens.size).toBeGreaterThan(5);
    expect(replies.length).toBeGreaterThan(50);
    for (const reply of replies) for (const token of tokens) expect(reply).not.toContain(token);
  });
});

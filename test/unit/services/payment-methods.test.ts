import type { Caller } from '#platform/caller.ts';
import type { PaymentMethod, PaymentMethodPlan } from '#data/payment-methods.ts';
import { ACCOUNT, ADMIN, cardOf, NOW } from './fake-billing.ts';

const { makePaymentMethodService, editPlan } = await import('#services/payment-methods.ts');

/** The payment-method use cases (services/payment-methods.ts) over an in-memory repository and gateway. */
const CUSTOMER_ADMIN: Caller = { userId: ADMIN.id, accountId: ACCOUNT.id, accountType: 'customer', role: 'admin', accountPath: ACCOUNT.accountPath, rootId: ACCOUNT.rootId };

function setUp(methods: PaymentMethod[] = [cardOf()]) {
  const store = new Map(methods.map((m) => [m.id, { ...m }]));
  const added: Array<{ input: unknown; makeDefault: boolean }> = [];
  const updates: Array<{ id: string; plan: PaymentMethodPlan | undefined; ifMatch?: number }> = [];
  const service = makePaymentMethodService({
    methods: {
      getPaymentMethod: async (id: string) => store.get(id),
      addPaymentMethod: async (_owner, input, makeDefault = false) => {
        added.push({ input, makeDefault });
        return cardOf({ ...(input as Partial<PaymentMethod>), id: 'pm_01JD0000000000000000000002', isDefault: makeDefault });
      },
      updatePaymentMethod: async (id, change, opts = {}) => {
        const current = store.get(id)!;
        const plan = change(current);
        updates.push({ id, plan, ifMatch: opts.ifMatch });
        return { ...current, ...plan?.set };
      },
      removePaymentMethod: async (id: string) => {
        store.delete(id);
      },
    },
    accounts: { getAccount: (async (id: string) => (id === ACCOUNT.id ? { ...ACCOUNT, status: 'active' } : undefined)) as never },
    gateway: () => ({
      describeToken: async (token: string) =>
        token === 'tok_visa' ? { token, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2029 } : token === 'tok_old' ? { token, brand: 'visa', last4: '1111', expMonth: 12, expYear: 2026 } : undefined,
    }),
    clock: { now: () => NOW },
  });
  return { service, store, added, updates };
}

describe('adding a payment method', () => {
  it('saves a card with what the gateway says about its token, never what the client says', async () => {
    const { service, added } = setUp([]);
    await service.add(CUSTOMER_ADMIN, ACCOUNT.id, { type: 'card', token: 'tok_visa', holderName: 'Frida Fabrikam', setDefault: true });
    expect(added).toEqual([{ input: expect.objectContaining({ type: 'card', gatewayToken: 'tok_visa', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2029 }), makeDefault: true }]);
  });

  it('refuses an unknown token and an expired card with 422, saving nothing', async () => {
    const { service, added } = setUp([]);
    await expect(service.add(CUSTOMER_ADMIN, ACCOUNT.id, { type: 'card', token: 'tok_nope', holderName: 'F' })).rejects.toMatchObject({ status: 422, code: 'card_token_invalid' });
    await expect(service.add(CUSTOMER_ADMIN, ACCOUNT.id, { type: 'card', token: 'tok_old', holderName: 'F' })).rejects.toMatchObject({ status: 422, code: 'card_expired' });
    expect(added).toEqual([]);
  });
});

describe('editing a payment method', () => {
  it('passes the If-Match version down to the conditional update', async () => {
    const { service, updates } = setUp();
    await service.edit(CUSTOMER_ADMIN, cardOf().id, { holderName: 'Frida F.' }, 3);
    expect(updates).toEqual([{ id: cardOf().id, plan: { set: { holderName: 'Frida F.' }, remove: [], makeDefault: false }, ifMatch: 3 }]);
  });

  it.each([
    ['an expiry in the past', { expYear: 2026 }, cardOf(), 'expired'],
    ['card details on the invoice method', { holderName: 'X' }, cardOf({ type: 'invoice' }), 'not_a_card'],
  ])('refuses %s with 400', (_what, body, current, code) => {
    expect(() => editPlan(body, current, NOW)).toThrow(expect.objectContaining({ status: 400, details: [expect.objectContaining({ code })] }));
  });

  it('changes nothing when the card already is the default', () => {
    expect(editPlan({ isDefault: true }, cardOf({ isDefault: true }), NOW)).toBeUndefined();
    expect(editPlan({ isDefault: true }, cardOf({ isDefault: false }), NOW)).toEqual({ set: {}, remove: [], makeDefault: true });
  });
});

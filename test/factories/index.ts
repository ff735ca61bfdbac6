import { call, unique } from '../integration/api.ts';

/**
 * Test factories: each test makes its own customer, with overrides.
 */
export const address = { line1: '1 Test Street', city: 'Berlin', postalCode: '10115', country: 'DE' };

export function makeCustomerBody(overrides: Record<string, unknown> = {}, admin: Record<string, unknown> = {}) {
  const name = unique('cust');
  return {
    type: 'customer',
    name: `Customer ${name}`,
    address,
    admin: { firstName: 'Ada', lastName: 'Admin', login: `${name}@customer.test`, password: 'Customer-Admin-Pass-1', locale: 'en', ...admin },
    sendActivationEmail: false,
    ...overrides,
  };
}

export async function createCustomer(staffToken: string, overrides: Record<string, unknown> = {}, admin: Record<string, unknown> = {}) {
  const body = makeCustomerBody(overrides, admin);
  const r = await call('POST', '/v1/accounts', { token: staffToken, body });
  if (r.status !== 201) throw new Error(`create customer: ${r.status} ${JSON.stringify(r.body)}`);
  return { account: r.body.account, admin: r.body.admin, login: body.admin.login as string, password: body.admin.password as string };
}

export const company = {
  name: 'Test Company',
  address,
  contact: { firstName: 'Carla', lastName: 'Contact', email: 'carla@company.test' },
};

export const agreement = { firstName: 'Ada', lastName: 'Admin', email: 'ada@customer.test', acceptedAt: '2026-11-01T10:00:00Z' };

export function makeOrderBody(offerId: string, overrides: Record<string, unknown> = {}) {
  return {
    lines: [{ offerId, quantity: 5 }],
    domain: { mode: 'create', prefix: unique('tenant').toLowerCase(), company },
    customerAgreement: agreement,
    ...overrides,
  };
}

export async function firstOffer(token: string, q = 'business basic') {
  const r = await call('GET', `/v1/catalog/products?q=${encodeURIComponent(q)}`, { token });
  const product = r.body.items[0];
  return { product, offer: product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly') };
}

/** A word no other product has, so a search for it sees only this test's products. */
export const word = () => unique('zq').replace('-', '');

/** The three NCE offers of a product priced `monthly` cents per license and month. */
export const nce = (monthly: number, currency = 'EUR') => [
  { term: 'P1Y', billingPeriod: 'annual', price: { amount: monthly * 12, currency } },
  { term: 'P1M', billingPeriod: 'monthly', price: { amount: Math.round(monthly * 1.2), currency } },
  { term: 'P1Y', billingPeriod: 'monthly', price: { amount: monthly, currency } },
];

/** The body of `POST /v1/catalog/products` for a product of its own (unique SKU and name). */
export function makeProductBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  const tag = word();
  return {
    sku: `T-${tag.toUpperCase()}`,
    name: `Contoso Backup ${tag}`,
    description: `Cloud backup for mailboxes and sites, ${tag}-desc edition.`,
    category: `cat-${tag}`,
    vendor: 'Contoso',
    requiresTenant: true,
    minQuantity: 1,
    maxQuantity: 500,
    cancellationWindowHours: 168,
    offers: nce(500),
    ...overrides,
  };
}

/** A product of its own, created by a distributor admin (staff); answers the created product. */
export async function createProduct(staffToken: string, overrides: Record<string, unknown> = {}) {
  const r = await call('POST', '/v1/catalog/products', { token: staffToken, body: makeProductBody(overrides) });
  if (r.status !== 201) throw new Error(`create product: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; maxQuantity: number; offers: Array<{ id: string; term: string; billingPeriod: string }> };
}

/** A card token from the sandbox payment gateway (as the portal's card form would get it). */
export async function cardToken(number: string) {
  const r = await call('POST', '/_local/payment-gateway/tokens', { body: { number, expMonth: 12, expYear: 2031, cvc: '123' } });
  if (r.status !== 201) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

/** Adds a card to the account's payment methods; answers its id. */
export async function addCard(token: string, accountId: string, number = '4242424242424242') {
  const r = await call('POST', `/v1/accounts/${accountId}/payment-methods`, { token, body: { type: 'card', token: await cardToken(number), holderName: 'Ada Admin' } });
  if (r.status !== 201) throw new Error(`add card: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

import { type Api, unique } from './lib/api.ts';

/**
 * The data the route figures read, made through the HTTP API like the integration tests make it
 * (test/factories): a customer account created by the distributor admin, a staff order with
 * `autoProcess` that completes (a subscription, a domain, an invoice), a card, a user and a cart
 * line; and the customer admin's session, which most routes are measured with.
 */
const address = { line1: '1 Bench Street', city: 'Berlin', postalCode: '10115', country: 'DE' };
const company = { name: 'Bench Company', address, contact: { firstName: 'Carla', lastName: 'Contact', email: 'carla@company.test' } };
const agreement = { firstName: 'Ada', lastName: 'Admin', email: 'ada@customer.test', acceptedAt: '2026-11-01T10:00:00Z' };

export interface Fixtures {
  staff: string;
  /** The customer admin's access token. */
  admin: string;
  adminLogin: string;
  adminPassword: string;
  adminUserId: string;
  userId: string;
  accountId: string;
  productId: string;
  offerId: string;
  orderId: string;
  subscriptionId: string;
  domainId: string;
  invoiceId: string;
  paymentMethodId: string;
  cartItemId: string;
  /** `workflow.statesEntered` of the staff order with autoProcess. */
  staffOrderStates: string[];
}

export async function makeFixtures(api: Api, staffLogin: string, staffPassword: string): Promise<Fixtures> {
  const staff = await api.login(staffLogin, staffPassword);
  const products = await api.expect(200, 'GET', `/v1/catalog/products?q=${encodeURIComponent('business basic')}`, { token: staff });
  const product = products.body.items[0];
  const offer = product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly');

  const name = unique('bench');
  const adminLogin = `${name}@customer.test`;
  const adminPassword = 'Customer-Admin-Pass-1';
  const created = await api.expect(201, 'POST', '/v1/accounts', {
    token: staff,
    body: {
      type: 'customer',
      name: `Customer ${name}`,
      address,
      settings: { allowSelfServicePurchases: true },
      admin: { firstName: 'Ada', lastName: 'Admin', login: adminLogin, password: adminPassword, locale: 'en' },
      sendActivationEmail: false,
    },
  });
  const accountId: string = created.body.account.id;
  const adminUserId: string = created.body.admin.id;

  const placed = await api.expect(201, 'POST', `/v1/accounts/${accountId}/orders`, {
    token: staff,
    headers: { 'idempotency-key': unique('bench-order') },
    body: {
      lines: [{ offerId: offer.id, quantity: 5 }],
      domain: { mode: 'create', prefix: unique('bench').toLowerCase(), company },
      customerAgreement: agreement,
      autoProcess: true,
    },
  });
  const done = await api.waitOrder(placed.body.id);
  if (done.status !== 'completed') throw new Error(`The fixture order ended ${done.status}: ${JSON.stringify(done).slice(0, 500)}`);

  const admin = await api.login(adminLogin, adminPassword);
  const invoices = await api.expect(200, 'GET', `/v1/invoices?accountId=${accountId}`, { token: admin });
  const invoice = invoices.body.items.find((i: { orderId: string }) => i.orderId === placed.body.id) ?? invoices.body.items[0];
  if (!invoice) throw new Error('The fixture order has no invoice');

  const card = await api.expect(201, 'POST', '/_local/payment-gateway/tokens', { body: { number: '4242424242424242', expMonth: 12, expYear: 2035, cvc: '123' } });
  const pm = await api.expect(201, 'POST', `/v1/accounts/${accountId}/payment-methods`, {
    token: admin,
    body: { type: 'card', token: card.body.token, holderName: 'Ada Admin' },
  });
  const person = { firstName: 'Una', lastName: 'User', login: `${unique('user')}@customer.test`, role: 'user', password: 'Customer-User-Pass-1' };
  const users = await api.expect(201, 'POST', `/v1/accounts/${accountId}/users`, { token: admin, body: { users: [person], sendActivationEmail: false } });
  const userId: string = (users.body.items ?? users.body.users ?? users.body)[0].id;
  const item = await api.expect(201, 'POST', '/v1/cart/items', { token: admin, body: { offerId: offer.id, quantity: 2 } });
  const cartItemId: string = item.body.id ?? item.body.items?.[0]?.id;

  return {
    staff,
    admin,
    adminLogin,
    adminPassword,
    adminUserId,
    userId,
    accountId,
    productId: product.id,
    offerId: offer.id,
    orderId: placed.body.id,
    subscriptionId: done.subscriptionIds[0],
    domainId: done.domain.id,
    invoiceId: invoice.id,
    paymentMethodId: pm.body.id,
    cartItemId,
    staffOrderStates: done.workflow.statesEntered,
  };
}

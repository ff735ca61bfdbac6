import { unique, type Reply } from '../api.ts';
import { agreement, company, makeCustomerBody } from '../../factories/index.ts';
import { SCOPE_NAMES } from '../../../functions/platform/caller.ts';

/**
 * A small channel with one of everything, built through the HTTP API, for the tests that throw
 * requests at every route: distributor → reseller R1 → customers A and B; reseller R2 beside R1.
 * Customer A has a user, a completed order (subscription, invoice, created domain), a card, a
 * cart line and a license assignment.
 */
export type Call = <T = any>(
  method: string,
  path: string,
  opts?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
) => Promise<Reply<T>>;

export interface World {
  tokens: { staff: string; r1: string; r2: string; a: string; aUser: string; b: string; bClient: string };
  /**
   * Signs everyone in again and replaces `tokens` (access tokens last 15 minutes; a long stress run
   * outlives them). It writes login events and refresh tokens: call it before a snapshot is taken.
   */
  signInAgain(): Promise<void>;
  /** Ids of customer A's things, by the route parameter that names them. */
  a: {
    accountId: string;
    userId: string;
    adminUserId: string;
    domainId: string;
    orderId: string;
    subscriptionId: string;
    invoiceId: string;
    paymentMethodId: string;
    itemId: string;
    productId: string;
    /** An offer of the catalog (the same for every tenant, like `productId`). */
    offerId: string;
    /** A's seller's (R1's) price list for its customers: A's staff above it may read it, nobody beside. */
    priceListId: string;
    /** An API client of A. */
    clientId: string;
    /** A's webhook endpoint (the local sink), registered before A's order, and one of its deliveries. */
    webhookId: string;
    deliveryId: string;
    /** Texts of A that must never show in another tenant's answer. */
    secrets: string[];
  };
  /** Customer B's own things, for requests that carry A's ids in B's own bodies. */
  b: { accountId: string; subscriptionId: string; invoiceId: string; paymentMethodId: string; domainId: string };
}

function must<T = any>(r: Reply<T>, status: number, what: string): T {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function buildWorld(call: Call, admin: { login: string; password: string }, baseUrl: string): Promise<World> {
  const login = async (l: string, p: string) => must(await call('POST', '/v1/auth/login', { body: { login: l, password: p } }), 200, `login ${l}`).accessToken as string;
  const staff = await login(admin.login, admin.password);

  const account = async (token: string, body: ReturnType<typeof makeCustomerBody>) => {
    const created = must(await call('POST', '/v1/accounts', { token, body }), 201, `create ${body.type}`);
    const { login: adminLogin, password } = body.admin;
    return { id: created.account.id as string, token: await login(adminLogin, password), adminUserId: created.admin.id as string, name: body.name, login: adminLogin, password };
  };
  const r1 = await account(staff, makeCustomerBody({ type: 'reseller', name: `Reseller ${unique('r1')}` }));
  const r2 = await account(staff, makeCustomerBody({ type: 'reseller', name: `Reseller ${unique('r2')}` }));
  const a = await account(r1.token, makeCustomerBody());
  const b = await account(r1.token, makeCustomerBody());

  const userLogin = `${unique('a-user')}@customer.test`;
  const users = must(
    await call('POST', `/v1/accounts/${a.id}/users`, {
      token: a.token,
      body: { users: [{ firstName: 'Uma', lastName: 'User', login: userLogin, role: 'user', password: 'Customer-User-Pass-1' }], sendActivationEmail: false },
    }),
    201,
    'add user',
  );
  const userId = (users.items ?? users.users ?? users)[0].id as string;
  const aUser = await login(userLogin, 'Customer-User-Pass-1');

  const products = must(await call('GET', '/v1/catalog/products?q=business%20basic', { token: staff }), 200, 'catalog');
  const product = products.items[0];
  const offer = product.offers.find((o: { term: string; billingPeriod: string }) => o.term === 'P1Y' && o.billingPeriod === 'monthly');

  /** A completed automatic order for the customer: its subscription, domain and invoice. */
  const ordered = async (customer: { id: string; token: string }) => {
    const prefix = unique('world').toLowerCase();
    const placed = must(
      await call('POST', `/v1/accounts/${customer.id}/orders`, {
        token: r1.token,
        body: { lines: [{ offerId: offer.id, quantity: 5 }], domain: { mode: 'create', prefix, company }, customerAgreement: agreement, autoProcess: true },
        headers: { 'idempotency-key': unique('world-order') },
      }),
      201,
      'place order',
    );
    const done = must(await call('POST', `/_local/orders/${placed.id}/wait`), 200, 'wait order');
    if (done.status !== 'completed') throw new Error(`world order ended ${done.status}`);
    const order = must(await call('GET', `/v1/orders/${placed.id}`, { token: r1.token }), 200, 'get order');
    const subscriptionId = order.subscriptionIds[0] as string;
    const subscription = must(await call('GET', `/v1/subscriptions/${subscriptionId}`, { token: customer.token }), 200, 'get subscription');
    const invoices = must(await call('GET', `/v1/invoices?accountId=${customer.id}`, { token: r1.token }), 200, 'list invoices');
    return { prefix, placed, order, subscriptionId, domainId: subscription.domainId as string, invoiceId: invoices.items[0].id as string };
  };
  const addCard = async (customer: { id: string; token: string }) => {
    const card = must(await call('POST', '/_local/payment-gateway/tokens', { body: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }), 201, 'card token');
    const method = must(
      await call('POST', `/v1/accounts/${customer.id}/payment-methods`, { token: customer.token, body: { type: 'card', token: card.token, holderName: 'Ada Admin' } }),
      201,
      'add card',
    );
    return method.id as string;
  };

  const webhook = must(
    await call('POST', `/v1/accounts/${a.id}/webhooks`, { token: a.token, body: { url: `${baseUrl}/_local/webhooks/sink/world-a`, eventTypes: ['order.status_changed'] } }),
    201,
    'webhook',
  );
  const { prefix, placed, order, subscriptionId, domainId, invoiceId } = await ordered(a);
  let deliveryId: string | undefined;
  for (let i = 0; !deliveryId && i < 100; i++) {
    const log = must(await call('GET', `/v1/webhooks/${webhook.id}/deliveries`, { token: a.token }), 200, 'deliveries');
    deliveryId = log.items?.[0]?.id;
    if (!deliveryId) await new Promise((r) => setTimeout(r, 200));
  }
  if (!deliveryId) throw new Error('A\'s webhook got no delivery');
  const bOrder = await ordered(b);

  must(await call('POST', `/v1/subscriptions/${subscriptionId}/assignments`, { token: a.token, body: { userIds: [userId] } }), 200, 'assign');

  const paymentMethodId = await addCard(a);
  const bPaymentMethodId = await addCard(b);
  const item = must(await call('POST', '/v1/cart/items', { token: a.token, body: { offerId: offer.id, quantity: 2 } }), 201, 'cart item');
  const priceList = must(
    await call('POST', `/v1/accounts/${r1.id}/price-lists`, { token: r1.token, body: { audience: 'customers', currency: 'EUR', markupBps: 1500 } }),
    201,
    'price list',
  );

  // API clients: one of A's (its id is A's thing), and one of B's holding every scope (a caller beside A).
  const apiClient = async (customer: { id: string; token: string }, name: string, scopes: string[]) =>
    must(await call('POST', `/v1/accounts/${customer.id}/api-clients`, { token: customer.token, body: { name, scopes } }), 201, 'API client') as { id: string; clientSecret: string };
  const aClientName = `Client of A ${unique('c')}`;
  const aClient = await apiClient(a, aClientName, ['orders:read']);
  const bClient = await apiClient(b, `Client of B ${unique('c')}`, [...SCOPE_NAMES]);
  const clientToken = async () =>
    must(await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: bClient.id, client_secret: bClient.clientSecret } }), 200, 'client token').access_token as string;

  const credentials = {
    staff: [admin.login, admin.password],
    r1: [r1.login, r1.password],
    r2: [r2.login, r2.password],
    a: [a.login, a.password],
    aUser: [userLogin, 'Customer-User-Pass-1'],
    b: [b.login, b.password],
  } as const;
  const world: World = {
    signInAgain: async () => {
      for (const [who, [l, p]] of Object.entries(credentials)) world.tokens[who as keyof World['tokens']] = await login(l, p);
      world.tokens.bClient = await clientToken();
    },
    tokens: { staff, r1: r1.token, r2: r2.token, a: a.token, aUser, b: b.token, bClient: await clientToken() },
    a: {
      accountId: a.id,
      userId,
      adminUserId: a.adminUserId,
      domainId,
      orderId: placed.id as string,
      subscriptionId,
      invoiceId,
      paymentMethodId,
      itemId: (item.id ?? item.items?.at(-1)?.id) as string,
      productId: product.id as string,
      offerId: offer.id as string,
      priceListId: priceList.id as string,
      clientId: aClient.id,
      webhookId: webhook.id as string,
      deliveryId,
      secrets: [a.name, a.login, userLogin, prefix, String(order.number), aClientName, aClient.clientSecret],
    },
    b: { accountId: b.id, subscriptionId: bOrder.subscriptionId, invoiceId: bOrder.invoiceId, paymentMethodId: bPaymentMethodId, domainId: bOrder.domainId },
  };
  return world;
}


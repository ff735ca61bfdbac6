import { randomUUID } from 'node:crypto';
import { newId, type IdKind } from '../../functions/platform/ids.ts';
import { timeoutFor } from './scale.ts';

/**
 * A small HTTP client for the integration tests: real requests to the local gateway.
 */
export interface StackInfo {
  baseUrl: string;
  dynamodbUrl: string;
  sesUrl: string;
  logFile: string;
  adminLogin: string;
  adminPassword: string;
}

export function stack(): StackInfo {
  const raw = process.env.CLP_STACK;
  if (!raw) throw new Error('CLP_STACK is not set: run the integration project through jest (globalSetup starts the stack)');
  return JSON.parse(raw) as StackInfo;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

async function request<T>(baseUrl: string, method: string, path: string, opts: CallOptions): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** `call` against another stack than the shared one (a test file that starts its own). */
export function client(baseUrl: string) {
  return {
    call: <T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Reply<T>> => request<T>(baseUrl, method, path, opts),
  };
}

/** A request to the shared stack that globalSetup started. */
export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Reply<T>> {
  return request<T>(stack().baseUrl, method, path, opts);
}

export async function login(loginName: string, password: string): Promise<string> {
  const r = await call('POST', '/v1/auth/login', { body: { login: loginName, password } });
  if (r.status !== 200) throw new Error(`login ${loginName} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken as string;
}

export const staffLogin = () => login(stack().adminLogin, stack().adminPassword);

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function emails(): Promise<Array<{ subject: string; destination: { to: string[] }; body: { text: string; html: string } }>> {
  const r = await call('GET', '/_local/emails');
  return r.body.emails;
}

/**
 * Polls the SES store until an email matching `pred` is there. The notifier is asynchronous: it
 * reads every record of the table's stream, and under stress the suite before may have left
 * thousands of them (1,000 parallel assignments and their audit events) to read through first.
 */
export async function waitForEmail(pred: (e: Awaited<ReturnType<typeof emails>>[number]) => boolean, timeoutMs = timeoutFor(15_000, 45_000)) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await emails()).filter(pred);
    if (found.length) return found;
    if (Date.now() > deadline) throw new Error('The expected email did not arrive');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitOrder(orderId: string) {
  const r = await call('POST', `/_local/orders/${orderId}/wait`);
  if (r.status !== 200) throw new Error(`wait ${orderId}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * An API client's access token (POST /v1/oauth/token, client credentials in the JSON body);
 * `scope`: space-separated, a subset of the client's (absent: all of them).
 */
export async function clientToken(clientId: string, secret: string, scope?: string): Promise<string> {
  const r = await call('POST', '/v1/oauth/token', { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, ...(scope ? { scope } : {}) } });
  if (r.status !== 200) throw new Error(`token for ${clientId} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token as string;
}

/** Creates an API client of `accountId` (as its admin or a staff admin above) with `scopes`: its id, its secret and a token. */
export async function newApiClient(adminToken: string, accountId: string, scopes: string[], name = unique('client')): Promise<{ id: string; secret: string; token: string }> {
  const r = await call('POST', `/v1/accounts/${accountId}/api-clients`, { token: adminToken, body: { name, scopes } });
  if (r.status !== 201) throw new Error(`create API client: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.id, secret: r.body.clientSecret, token: await clientToken(r.body.id, r.body.clientSecret) };
}

/** The id kind of each path parameter of the route table, to name a well-formed resource that does not exist. */
export const ID_KIND_OF_PARAM: Record<string, IdKind> = {
  accountId: 'account',
  userId: 'user',
  domainId: 'domain',
  orderId: 'order',
  subscriptionId: 'subscription',
  paymentMethodId: 'paymentMethod',
  invoiceId: 'invoice',
  productId: 'product',
  itemId: 'cartItem',
  offerId: 'offer',
  priceListId: 'priceList',
  clientId: 'apiClient',
  webhookId: 'webhook',
  deliveryId: 'webhookDelivery',
};

/** A route path with every `{param}` filled with a new, well-formed id of its kind: a resource nobody has. */
export function pathWithUnknownIds(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const kind = ID_KIND_OF_PARAM[name];
    if (!kind) throw new Error(`No id kind for the path parameter {${name}}: add it to ID_KIND_OF_PARAM`);
    return newId(kind);
  });
}

/**
 * Every Lambda function of the application and every HTTP route: the one source of truth that
 * the CDK stack (infra/) deploys and the local runtime (local/) serves. A function names what it
 * may touch so the stack can grant exactly that and nothing more.
 */
import type { Permission } from './platform/scope.ts';

export interface FunctionSpec {
  /** Source file, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  table: 'none' | 'read' | 'readWrite';
  /** Step Functions actions on the order workflow. */
  workflow?: ReadonlyArray<'start' | 'callback' | 'stop' | 'describe'>;
  sendsEmail?: boolean;
  timeoutSeconds?: number;
  memoryMb?: number;
}

export const FUNCTIONS = {
  authorizer: { entry: 'functions/http/authorizer.ts', description: 'HTTP API Lambda authorizer', table: 'read' },
  health: { entry: 'functions/http/health.ts', description: 'GET /v1/health', table: 'none' },
  docs: { entry: 'functions/http/docs/handler.ts', description: 'GET /v1/openapi.json', table: 'none' },
  // A login may wait up to 5 s for its user's lease and 4 s for a password slot before it answers 429. One argon2id verify
  // (19 MiB) takes about 0.2 s at 1024 MB (0.58 vCPU); a scrypt hash stored before (128 MiB) still verifies in this memory.
  auth: { entry: 'functions/http/auth/handler.ts', description: 'Sign-in and token refresh', table: 'readWrite', memoryMb: 1024, timeoutSeconds: 20 },
  // Bulk creation hashes up to 50 initial passwords with argon2id, one at a time on the JavaScript thread (platform/passwords.ts):
  // about 50 x 0.12 s = 6 s at 1769 MB, one full vCPU (more vCPUs buy nothing for single-threaded work; less memory slows it in
  // proportion). 29 s, under API Gateway's 30 s, leaves room for a cold start and a busy local machine, where the whole stack shares the CPU.
  users: { entry: 'functions/http/users/handler.ts', description: 'Portal users of an account', table: 'readWrite', memoryMb: 1769, timeoutSeconds: 29 },
  apiClients: { entry: 'functions/http/api-clients/handler.ts', description: 'API clients (OAuth 2.0 client credentials) of an account', table: 'readWrite' },
  me: { entry: 'functions/http/me/handler.ts', description: 'The caller\'s own profile', table: 'readWrite', memoryMb: 1024 },
  // 29 s (under API Gateway's 30 s): creating an account hashes its first admin's password (argon2id, one at a time per process), which waits for a
  // password slot (platform/passwords.ts) behind the other hashes of the process; 6 at once on a
  // busy 2-core machine took 19 s locally, past the default 10 s (a 500 from the gateway).
  accounts: { entry: 'functions/http/accounts/handler.ts', description: 'Accounts of the channel', table: 'readWrite', sendsEmail: false, memoryMb: 1024, timeoutSeconds: 29 },
  catalog: { entry: 'functions/http/catalog/handler.ts', description: 'Catalog of products and offers', table: 'readWrite' },
  pricing: { entry: 'functions/http/pricing/handler.ts', description: 'Offer costs, price lists, price sheets, the VAT rate table and tax profiles', table: 'readWrite' },
  cart: {
    entry: 'functions/http/cart/handler.ts',
    description: 'The cart and its checkout',
    table: 'readWrite',
    workflow: ['start'],
    timeoutSeconds: 20,
  },
  paymentMethods: { entry: 'functions/http/payment-methods/handler.ts', description: 'Payment methods of an account', table: 'readWrite' },
  invoices: { entry: 'functions/http/invoices/handler.ts', description: 'Invoices', table: 'readWrite' },
  // Read-only, its own function so the PDF library stays out of the invoices bundle. 1024 MB: a PDF is drawn on the CPU
  // (a 20-line invoice in tens of ms at one vCPU); 20 s: an export reads every page of a year of invoices.
  documents: { entry: 'functions/http/documents/handler.ts', description: 'Invoices as documents: PDF, CSV export of invoice lines', table: 'read', memoryMb: 1024, timeoutSeconds: 20 },
  domains: {
    entry: 'functions/http/domains/handler.ts',
    description: 'Microsoft domains (tenants)',
    table: 'readWrite',
    // describe and start: an acceptance whose token is gone resumes the order's workflow.
    workflow: ['callback', 'describe', 'start'],
    timeoutSeconds: 30,
  },
  subscriptions: {
    entry: 'functions/http/subscriptions/handler.ts',
    description: 'Subscriptions and licenses',
    table: 'readWrite',
    workflow: ['start'],
    timeoutSeconds: 20,
  },
  orders: {
    entry: 'functions/http/orders/handler.ts',
    description: 'Orders and their gates',
    table: 'readWrite',
    // describe and start: a gate whose token is gone resumes the order's workflow
    // (ensureWorkflow, services/order-lifecycle.ts).
    workflow: ['start', 'callback', 'stop', 'describe'],
  },
  workflowGate: { entry: 'functions/workflow/await-gate.ts', description: 'Workflow: park the order at a staff gate', table: 'readWrite' },
  workflowAdvance: { entry: 'functions/workflow/advance.ts', description: 'Workflow: move an automatic order to provisioning', table: 'readWrite' },
  workflowProvision: { entry: 'functions/workflow/provision.ts', description: 'Workflow: submit the order to the vendor', table: 'readWrite', timeoutSeconds: 30 },
  workflowCheck: { entry: 'functions/workflow/check-provisioning.ts', description: 'Workflow: poll the vendor', table: 'readWrite', timeoutSeconds: 30 },
  workflowComplete: { entry: 'functions/workflow/complete.ts', description: 'Workflow: complete the order', table: 'readWrite' },
  workflowFail: { entry: 'functions/workflow/fail.ts', description: 'Workflow: end the order failed', table: 'readWrite' },
  renewalsJob: { entry: 'functions/jobs/renewals.ts', description: 'Daily: renew or expire the terms that ended, remind 7 days before', table: 'readWrite', workflow: ['start'], timeoutSeconds: 900, memoryMb: 1024 },
  billingJob: { entry: 'functions/jobs/billing.ts', description: 'Daily: issue the periodic invoices due', table: 'readWrite', timeoutSeconds: 900, memoryMb: 1024 },
  dunningJob: { entry: 'functions/jobs/dunning.ts', description: 'Daily: payment reminders, overdue invoices, suspensions', table: 'readWrite', timeoutSeconds: 900, memoryMb: 1024 },
  unstartedOrdersJob: {
    entry: 'functions/jobs/unstarted-orders.ts',
    description: 'Every 5 minutes: record or fail orders whose workflow start was lost; refund charges without their order',
    table: 'readWrite',
    workflow: ['describe'],
    timeoutSeconds: 300,
  },
  // Read-only: the dashboard's one request (three Queries of the account's partitions, nothing written).
  overview: { entry: 'functions/http/overview/handler.ts', description: 'An account at a glance (the dashboard)', table: 'read' },
  // Read-only: one Query of the account's events feed a page.
  events: { entry: 'functions/http/events/handler.ts', description: 'The events feed of an account (GET /v1/events)', table: 'read' },
  notifier: { entry: 'functions/streams/notifier.ts', description: 'Outbox stream → SES', table: 'readWrite', sendsEmail: true, timeoutSeconds: 60 },
  webhooks: { entry: 'functions/http/webhooks/handler.ts', description: 'Webhook endpoints, their delivery log and redelivery', table: 'readWrite', timeoutSeconds: 15 },
  // Its own consumer of the table's stream (the `event` items), so emails and webhooks never hold each other up. 60 s: a
  // batch's deliveries go out 8 at a time, each answered within 5 s; what is left when time runs short is the retry job's.
  webhookDispatcher: { entry: 'functions/streams/webhooks.ts', description: 'Event stream → webhook deliveries', table: 'readWrite', timeoutSeconds: 60 },
  webhookRetriesJob: { entry: 'functions/jobs/webhook-retries.ts', description: 'Every minute: send the webhook deliveries due for a retry', table: 'readWrite', timeoutSeconds: 120 },
  // The rotation function of the signing key secret (Secrets Manager calls it; docs/operations.md "Key rotation"): no table.
  keyRotation: { entry: 'functions/jobs/key-rotation.ts', description: 'Secrets Manager rotation of the token signing keys (ES256)', table: 'none', timeoutSeconds: 30 },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

/**
 * The functions that read the signing key set secret (platform/keys.ts; docs/architecture.md
 * "Signing keys"): the authorizer verifies tokens, the functions that issue them sign, and every
 * function that pages a list seals its cursors with a key derived from the set. Only these get
 * `secretsmanager:GetSecretValue`, on that one secret (infra/stacks/app-stack.ts);
 * test/unit/signing-keys.test.ts checks the list against what each bundle reaches.
 */
export const SIGNING_KEY_READERS: ReadonlySet<FunctionName> = new Set<FunctionName>([
  'authorizer', 'auth', 'users', 'apiClients', 'me', 'accounts', 'catalog', 'pricing', 'cart', 'paymentMethods', 'invoices', 'documents',
  'domains', 'subscriptions', 'orders', 'workflowGate', 'workflowAdvance', 'workflowProvision', 'workflowCheck', 'workflowComplete',
  'workflowFail', 'renewalsJob', 'billingJob', 'dunningJob', 'unstartedOrdersJob', 'overview', 'events', 'webhooks', 'webhookDispatcher',
  'webhookRetriesJob',
]);

/**
 * The functions the state machine calls, by the placeholder its ASL file uses for their ARN
 * (`${GateFunctionArn}` …) and by the Task state that calls them.
 */
export const WORKFLOW_TASKS = {
  AwaitOpen: { fn: 'workflowGate', placeholder: 'GateFunctionArn' },
  AwaitProvision: { fn: 'workflowGate', placeholder: 'GateFunctionArn' },
  AwaitPartnerAcceptance: { fn: 'workflowGate', placeholder: 'GateFunctionArn' },
  AutoAdvance: { fn: 'workflowAdvance', placeholder: 'AdvanceFunctionArn' },
  SubmitToVendor: { fn: 'workflowProvision', placeholder: 'ProvisionFunctionArn' },
  CheckVendor: { fn: 'workflowCheck', placeholder: 'CheckFunctionArn' },
  CompleteOrder: { fn: 'workflowComplete', placeholder: 'CompleteFunctionArn' },
  FailOrder: { fn: 'workflowFail', placeholder: 'FailFunctionArn' },
} as const satisfies Record<string, { fn: FunctionName; placeholder: string }>;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway route path, with `{param}` placeholders. */
  path: string;
  fn: FunctionName;
  /** false: no authorizer (login, refresh, activation, health). */
  auth: boolean;
  /** One line for the API reference (OpenAPI `summary`). */
  summary: string;
  /**
   * The least a caller's role must allow to use this route at all (docs/product.md#api-conventions order of checks: the
   * HTTP wrapper answers 403 before it looks at the path, query or body). A Permission of
   * platform/scope.ts, `customer` (customer users only: the cart), `buyer` (see RoutePermission), or `public` for the routes
   * without an authorizer. The handler still authorizes each resource (scope 404, then role 403).
   */
  permission: RoutePermission;
  /** The `Idempotency-Key` header is required (docs/product.md#api-conventions). */
  idempotencyKey?: boolean;
  /**
   * The operation's name in the API contract (OpenAPI `operationId`): the method name a generated
   * client calls it by. Chosen by hand, camelCase, unique (test/unit/openapi.test.ts); renaming one
   * breaks clients, so it stays when the path or the handler changes.
   */
  operationId: string;
  /**
   * The status of a successful answer (the first is the usual one): 201 creates, 202 starts work
   * or sends an email, 204 answers no body. The document lists the route's `response` schema under
   * each of them (none under 204).
   */
  success: SuccessStatus | readonly SuccessStatus[];
}

export type SuccessStatus = 200 | 201 | 202 | 204;
/**
 * `buyer`: admins (staff and customer) and customer users, who reach only what they bought and
 * the cards they keep themselves (docs/product.md#self-service-subscriptions); staff users are refused.
 */
export type RoutePermission = Permission | 'customer' | 'public' | 'buyer';

const ROUTE_TABLE = [
  { method: 'GET', path: '/v1/health', operationId: 'getHealth', success: 200, fn: 'health', auth: false, permission: 'public', summary: 'Liveness: answers without authentication and touches nothing' },
  { method: 'GET', path: '/v1/openapi.json', operationId: 'getOpenApiDocument', success: 200, fn: 'docs', auth: false, permission: 'public', summary: 'This API\'s OpenAPI 3.1 document (the reference page is /docs)' },
  { method: 'POST', path: '/v1/auth/login', operationId: 'login', success: 200, fn: 'auth', auth: false, permission: 'public', summary: 'Sign in with login and password: an access token (15 min) and a refresh token' },
  { method: 'POST', path: '/v1/auth/refresh', operationId: 'refreshSession', success: 200, fn: 'auth', auth: false, permission: 'public', summary: 'Trade a refresh token for a new session (the old refresh token stops working)' },
  { method: 'POST', path: '/v1/auth/activate', operationId: 'activate', success: 200, fn: 'auth', auth: false, permission: 'public', summary: 'Activate an account with the link\'s token and choose a password' },
  { method: 'POST', path: '/v1/auth/logout', operationId: 'logout', success: 204, fn: 'auth', auth: true, permission: 'read', summary: 'Sign out: ends this session (its whole refresh token family)' },
  { method: 'POST', path: '/v1/auth/password-reset', operationId: 'requestPasswordReset', success: 202, fn: 'auth', auth: false, permission: 'public', summary: 'Ask for a password reset link by email (always 202, whether or not the login exists)' },
  { method: 'POST', path: '/v1/auth/password-reset/confirm', operationId: 'confirmPasswordReset', success: 200, fn: 'auth', auth: false, permission: 'public', summary: 'Set a new password with the reset link\'s token (also unlocks a locked user)' },
  { method: 'POST', path: '/v1/auth/confirm-login', operationId: 'confirmLoginChange', success: 200, fn: 'auth', auth: false, permission: 'public', summary: 'Apply a self-requested login change with the link sent to the new address' },
  { method: 'GET', path: '/v1/auth/jwks.json', operationId: 'getSigningKeys', success: 200, fn: 'auth', auth: false, permission: 'public', summary: 'The public keys (JWKS, RFC 7517) that verify this API\'s access tokens: the current signing key and the previous one' },
  { method: 'POST', path: '/v1/oauth/token', operationId: 'issueClientToken', success: 200, fn: 'auth', auth: false, permission: 'public', summary: 'OAuth 2.0 client credentials (RFC 6749 §4.4): an API client\'s id and secret for a 15-minute access token' },
  { method: 'POST', path: '/v1/accounts/{accountId}/api-clients', operationId: 'createApiClient', success: 201, fn: 'apiClients', auth: true, permission: 'manage', summary: 'Create an API client with scopes: the answer shows its secret, this once' },
  { method: 'GET', path: '/v1/accounts/{accountId}/api-clients', operationId: 'listApiClients', success: 200, fn: 'apiClients', auth: true, permission: 'manage', summary: 'The API clients of an account, revoked ones included, oldest first' },
  { method: 'GET', path: '/v1/api-clients/{clientId}', operationId: 'getApiClient', success: 200, fn: 'apiClients', auth: true, permission: 'manage', summary: 'One API client (never its secrets, only their last 4 characters)' },
  { method: 'PATCH', path: '/v1/api-clients/{clientId}', operationId: 'updateApiClient', success: 200, fn: 'apiClients', auth: true, permission: 'manage', summary: 'Rename an API client or change its scopes' },
  { method: 'POST', path: '/v1/api-clients/{clientId}/secrets', operationId: 'rotateApiClientSecret', success: 201, fn: 'apiClients', auth: true, permission: 'manage', summary: 'A new secret, shown once; the previous one keeps working for the overlap asked (default 24 h, 0: stops now)' },
  { method: 'POST', path: '/v1/api-clients/{clientId}/revoke', operationId: 'revokeApiClient', success: 200, fn: 'apiClients', auth: true, permission: 'manage', summary: 'Revoke an API client: its secrets stop at once, its tokens within 60 s' },
  { method: 'POST', path: '/v1/auth/impersonate', operationId: 'logInAs', success: 200, fn: 'auth', auth: true, permission: 'manage', summary: 'Log in as a user below you (staff admins) or of your own account (customer admins)' },
  { method: 'GET', path: '/v1/me', operationId: 'getMe', success: 200, fn: 'me', auth: true, permission: 'read', summary: 'The caller\'s own profile' },
  { method: 'PATCH', path: '/v1/me', operationId: 'updateMe', success: [200, 202], fn: 'me', auth: true, permission: 'read', summary: 'Edit the caller\'s own profile' },
  { method: 'POST', path: '/v1/me/password', operationId: 'changeMyPassword', success: 200, fn: 'me', auth: true, permission: 'read', summary: 'Change the caller\'s own password (current password required); returns a fresh session' },
  { method: 'POST', path: '/v1/accounts', operationId: 'createAccount', success: 201, fn: 'accounts', auth: true, permission: 'staffAdmin', summary: 'Create a reseller (distributor staff) or a customer account below the caller\'s account' },
  { method: 'GET', path: '/v1/accounts', operationId: 'listAccounts', success: 200, fn: 'accounts', auth: true, permission: 'read', summary: 'Accounts below the caller\'s account, filtered by type, status, parent and name' },
  { method: 'GET', path: '/v1/accounts/{accountId}', operationId: 'getAccount', success: 200, fn: 'accounts', auth: true, permission: 'read', summary: 'One account' },
  { method: 'PATCH', path: '/v1/accounts/{accountId}', operationId: 'updateAccount', success: 200, fn: 'accounts', auth: true, permission: 'manage', summary: 'Edit an account (company data; settings only by the parent\'s staff)' },
  { method: 'POST', path: '/v1/accounts/{accountId}/suspend', operationId: 'suspendAccount', success: 200, fn: 'accounts', auth: true, permission: 'staffAdmin', summary: 'Suspend an account below yours: its users cannot sign in, its orders wait for staff' },
  { method: 'POST', path: '/v1/accounts/{accountId}/reactivate', operationId: 'reactivateAccount', success: 200, fn: 'accounts', auth: true, permission: 'staffAdmin', summary: 'Reactivate a suspended account below yours' },
  { method: 'GET', path: '/v1/accounts/{accountId}/overview', operationId: 'getAccountOverview', success: 200, fn: 'overview', auth: true, permission: 'view', summary: 'An account at a glance: subscriptions in use, orders under way, invoices to pay' },
  { method: 'GET', path: '/v1/accounts/{accountId}/audit-events', operationId: 'listAuditEvents', success: 200, fn: 'accounts', auth: true, permission: 'manage', summary: 'The audit trail of an account, newest first' },
  { method: 'GET', path: '/v1/accounts/{accountId}/domains', operationId: 'listDomains', success: 200, fn: 'domains', auth: true, permission: 'read', summary: 'The Microsoft domains (tenants) of a customer' },
  { method: 'POST', path: '/v1/accounts/{accountId}/domains', operationId: 'addDomain', success: 201, fn: 'domains', auth: true, permission: 'manage', summary: 'Create a new Microsoft tenant or link an existing one to a customer' },
  { method: 'GET', path: '/v1/domains/{domainId}', operationId: 'getDomain', success: 200, fn: 'domains', auth: true, permission: 'view', summary: 'One Microsoft domain' },
  { method: 'POST', path: '/v1/domains/{domainId}/invitation', operationId: 'resendPartnerInvitation', success: 202, fn: 'domains', auth: true, permission: 'view', summary: 'Send the partner invitation of a linked domain again to the customer\'s admins (at most once a minute)' },
  { method: 'POST', path: '/v1/domains/{domainId}/accept', operationId: 'acceptDomain', success: 200, fn: 'domains', auth: true, permission: 'manage', summary: 'Record the customer\'s partner acceptance of a linked domain (releases waiting orders)' },
  { method: 'GET', path: '/v1/accounts/{accountId}/users', operationId: 'listUsers', success: 200, fn: 'users', auth: true, permission: 'view', summary: 'Portal users of an account' },
  { method: 'POST', path: '/v1/accounts/{accountId}/users', operationId: 'addUsers', success: 201, fn: 'users', auth: true, permission: 'manage', summary: 'Add up to 50 portal users at once (all or nothing)' },
  { method: 'GET', path: '/v1/users/{userId}', operationId: 'getUser', success: 200, fn: 'users', auth: true, permission: 'read', summary: 'One portal user' },
  { method: 'PATCH', path: '/v1/users/{userId}', operationId: 'updateUser', success: [200, 202], fn: 'users', auth: true, permission: 'read', summary: 'Edit a portal user (names, login, role, locale, contact data)' },
  { method: 'DELETE', path: '/v1/users/{userId}', operationId: 'deleteUser', success: 204, fn: 'users', auth: true, permission: 'manage', summary: 'Delete a portal user (frees their license assignments)' },
  { method: 'POST', path: '/v1/users/{userId}/password', operationId: 'setUserPassword', success: 200, fn: 'users', auth: true, permission: 'manage', summary: 'Set a user\'s password (admins)' },
  { method: 'POST', path: '/v1/users/{userId}/activation-email', operationId: 'sendActivationEmail', success: 202, fn: 'users', auth: true, permission: 'manage', summary: 'Send (again) the activation email; the previous link stops working' },
  { method: 'POST', path: '/v1/users/{userId}/activate', operationId: 'reactivateUser', success: 200, fn: 'users', auth: true, permission: 'manage', summary: 'Reactivate a deactivated or locked user' },
  { method: 'POST', path: '/v1/users/{userId}/deactivate', operationId: 'deactivateUser', success: 200, fn: 'users', auth: true, permission: 'manage', summary: 'Deactivate a user: their tokens stop working at once' },
  { method: 'GET', path: '/v1/users/{userId}/login-history', operationId: 'listLoginHistory', success: 200, fn: 'users', auth: true, permission: 'read', summary: 'A user\'s sign-ins and failed attempts, newest first' },
  { method: 'GET', path: '/v1/catalog/products', operationId: 'listProducts', success: 200, fn: 'catalog', auth: true, permission: 'read', summary: 'Search the catalog (accent-free word search, category)' },
  { method: 'GET', path: '/v1/catalog/products/{productId}', operationId: 'getProduct', success: 200, fn: 'catalog', auth: true, permission: 'read', summary: 'One product with its offers' },
  { method: 'POST', path: '/v1/catalog/products', operationId: 'createProduct', success: 201, fn: 'catalog', auth: true, permission: 'distributorAdmin', summary: 'Add a product with its offers (distributor staff)' },
  { method: 'PATCH', path: '/v1/catalog/products/{productId}', operationId: 'updateProduct', success: 200, fn: 'catalog', auth: true, permission: 'distributorAdmin', summary: 'Edit a product, add or change offers, or retire it' },
  { method: 'POST', path: '/v1/catalog/offers/{offerId}/costs', operationId: 'addOfferCost', success: 201, fn: 'pricing', auth: true, permission: 'distributorAdmin', summary: 'Add a version of what the vendor charges for an offer in a currency (distributor admins)' },
  { method: 'POST', path: '/v1/accounts/{accountId}/price-lists', operationId: 'createPriceList', success: 201, fn: 'pricing', auth: true, permission: 'staffAdmin', summary: 'Create a price list of a seller for an audience and currency, with its own markup' },
  { method: 'GET', path: '/v1/accounts/{accountId}/price-lists', operationId: 'listPriceLists', success: 200, fn: 'pricing', auth: true, permission: 'operate', summary: 'The price lists an account keeps' },
  { method: 'GET', path: '/v1/price-lists/{priceListId}', operationId: 'getPriceList', success: 200, fn: 'pricing', auth: true, permission: 'operate', summary: 'One price list with every version of its rules' },
  { method: 'POST', path: '/v1/price-lists/{priceListId}/rules', operationId: 'addPriceRule', success: 201, fn: 'pricing', auth: true, permission: 'staffAdmin', summary: 'Add a rule version to a price list (versions are never edited)' },
  { method: 'GET', path: '/v1/accounts/{accountId}/prices', operationId: 'getPriceSheet', success: 200, fn: 'pricing', auth: true, permission: 'read', summary: 'What an account pays for each offer on a day, with the figures the caller may see' },
  { method: 'GET', path: '/v1/tax/rates', operationId: 'getVatRates', success: 200, fn: 'pricing', auth: true, permission: 'operate', summary: 'The VAT rate table the distributor keeps: each country\'s rate versions' },
  { method: 'POST', path: '/v1/tax/rates', operationId: 'addVatRate', success: 201, fn: 'pricing', auth: true, permission: 'distributorAdmin', summary: 'Add a VAT rate version of a country (distributor admins)' },
  { method: 'GET', path: '/v1/accounts/{accountId}/tax-profile', operationId: 'getTaxProfile', success: 200, fn: 'pricing', auth: true, permission: 'read', summary: 'An account\'s tax profile (null until set)' },
  { method: 'PUT', path: '/v1/accounts/{accountId}/tax-profile', operationId: 'putTaxProfile', success: 200, fn: 'pricing', auth: true, permission: 'manage', summary: 'Set an account\'s tax profile: legal name, country, VAT id (checked against the country\'s format) and address' },
  { method: 'GET', path: '/v1/cart', operationId: 'getCart', success: 200, fn: 'cart', auth: true, permission: 'customer', summary: 'The caller\'s cart with its totals' },
  { method: 'POST', path: '/v1/cart/items', operationId: 'addCartItem', success: [201, 200], fn: 'cart', auth: true, permission: 'customer', summary: 'Put an offer in the cart' },
  { method: 'PATCH', path: '/v1/cart/items/{itemId}', operationId: 'updateCartItem', success: 200, fn: 'cart', auth: true, permission: 'customer', summary: 'Change the quantity of a cart line' },
  { method: 'DELETE', path: '/v1/cart/items/{itemId}', operationId: 'removeCartItem', success: 204, fn: 'cart', auth: true, permission: 'customer', summary: 'Remove a cart line' },
  { method: 'POST', path: '/v1/cart/quote', operationId: 'quoteCart', success: 201, fn: 'cart', auth: true, permission: 'customer', summary: 'What the checkout of the cart would cost now (prices, tax, totals), kept 30 minutes as a quote; nothing is placed' },
  { method: 'POST', path: '/v1/cart/checkout', operationId: 'checkout', success: 201, fn: 'cart', auth: true, permission: 'customer', summary: 'Buy the cart: charge the card and place one order (Idempotency-Key required)', idempotencyKey: true },
  { method: 'GET', path: '/v1/domains/availability', operationId: 'checkDomainAvailability', success: 200, fn: 'domains', auth: true, permission: 'read', summary: 'Is a new onmicrosoft.com prefix still free at the vendor' },
  { method: 'GET', path: '/v1/accounts/{accountId}/payment-methods', operationId: 'listPaymentMethods', success: 200, fn: 'paymentMethods', auth: true, permission: 'read', summary: 'The saved cards of an account (a customer user: the cards it keeps itself)' },
  { method: 'POST', path: '/v1/accounts/{accountId}/payment-methods', operationId: 'addPaymentMethod', success: 201, fn: 'paymentMethods', auth: true, permission: 'buyer', summary: 'Save a card from a payment gateway token (never a card number)' },
  { method: 'PATCH', path: '/v1/payment-methods/{paymentMethodId}', operationId: 'updatePaymentMethod', success: 200, fn: 'paymentMethods', auth: true, permission: 'buyer', summary: 'Update a card\'s expiry, holder or billing address, or make it the default' },
  { method: 'DELETE', path: '/v1/payment-methods/{paymentMethodId}', operationId: 'removePaymentMethod', success: 204, fn: 'paymentMethods', auth: true, permission: 'buyer', summary: 'Remove a saved card' },
  { method: 'GET', path: '/v1/invoices', operationId: 'listInvoices', success: 200, fn: 'invoices', auth: true, permission: 'read', summary: 'Invoices in the caller\'s scope, filtered by account, status and dates' },
  { method: 'GET', path: '/v1/invoices/{invoiceId}', operationId: 'getInvoice', success: 200, fn: 'invoices', auth: true, permission: 'read', summary: 'One invoice with its lines' },
  { method: 'GET', path: '/v1/invoices/{invoiceId}/pdf', operationId: 'getInvoicePdf', success: 200, fn: 'documents', auth: true, permission: 'view', summary: 'One invoice (credit note, statement) as a PDF in its buyer\'s language' },
  { method: 'GET', path: '/v1/billing/exports', operationId: 'exportInvoiceLines', success: 200, fn: 'documents', auth: true, permission: 'view', summary: 'The lines of the invoices in scope issued in a date range, as CSV (margins for staff)' },
  { method: 'POST', path: '/v1/invoices/{invoiceId}/pay', operationId: 'payInvoice', success: 200, fn: 'invoices', auth: true, permission: 'buyer', summary: 'Pay an open invoice with a saved card (Idempotency-Key required)', idempotencyKey: true },
  { method: 'GET', path: '/v1/subscriptions/{subscriptionId}', operationId: 'getSubscription', success: 200, fn: 'subscriptions', auth: true, permission: 'read', summary: 'One subscription' },
  { method: 'PATCH', path: '/v1/subscriptions/{subscriptionId}', operationId: 'updateSubscription', success: 200, fn: 'subscriptions', auth: true, permission: 'read', summary: 'Turn auto-renew on or off; set the domain once (it is immutable afterwards)' },
  { method: 'GET', path: '/v1/subscriptions', operationId: 'listSubscriptions', success: 200, fn: 'subscriptions', auth: true, permission: 'read', summary: 'Subscriptions in the caller\'s scope, filtered by account, status, domain and self-service' },
  { method: 'POST', path: '/v1/subscriptions/{subscriptionId}/quantity', operationId: 'changeQuantity', success: [202, 200], fn: 'subscriptions', auth: true, permission: 'read', summary: 'Raise or lower the seats (new total; now or at renewal)', idempotencyKey: true },
  { method: 'POST', path: '/v1/subscriptions/{subscriptionId}/upgrade', operationId: 'upgradeSubscription', success: 202, fn: 'subscriptions', auth: true, permission: 'read', summary: 'Move all or part of the licenses to a product it may be upgraded to, priced by days (Idempotency-Key required)', idempotencyKey: true },
  { method: 'PUT', path: '/v1/subscriptions/{subscriptionId}/scheduled-change', operationId: 'setScheduledChange', success: 200, fn: 'subscriptions', auth: true, permission: 'read', summary: 'Set what the next renewal changes: quantity, offer (term, billing period) and/or product' },
  { method: 'DELETE', path: '/v1/subscriptions/{subscriptionId}/scheduled-change', operationId: 'dropScheduledChange', success: 200, fn: 'subscriptions', auth: true, permission: 'read', summary: 'Drop the change scheduled for the renewal (the subscription renews as it is)' },
  { method: 'POST', path: '/v1/subscriptions/{subscriptionId}/cancel', operationId: 'cancelSubscription', success: 202, fn: 'subscriptions', auth: true, permission: 'read', summary: 'Cancel inside the cancellation window' },
  { method: 'GET', path: '/v1/subscriptions/{subscriptionId}/assignments', operationId: 'listAssignments', success: 200, fn: 'subscriptions', auth: true, permission: 'read', summary: 'Who has a license of this subscription' },
  { method: 'POST', path: '/v1/subscriptions/{subscriptionId}/assignments', operationId: 'assignLicenses', success: 200, fn: 'subscriptions', auth: true, permission: 'read', summary: 'Assign licenses to users (never beyond the quantity)' },
  { method: 'POST', path: '/v1/subscriptions/{subscriptionId}/assignments/remove', operationId: 'unassignLicenses', success: 200, fn: 'subscriptions', auth: true, permission: 'read', summary: 'Take licenses back from users' },
  { method: 'GET', path: '/v1/me/licenses', operationId: 'listMyLicenses', success: 200, fn: 'me', auth: true, permission: 'read', summary: 'The licenses assigned to the caller' },
  { method: 'POST', path: '/v1/accounts/{accountId}/orders', operationId: 'placeOrder', success: 201, fn: 'orders', auth: true, permission: 'staffAdmin', summary: 'Staff place an order for a customer (Idempotency-Key required)', idempotencyKey: true },
  { method: 'POST', path: '/v1/accounts/{accountId}/orders/quote', operationId: 'quoteOrder', success: 201, fn: 'orders', auth: true, permission: 'staffAdmin', summary: 'What a staff order of these lines would cost now (prices, tax, totals, figures), kept 30 minutes as a quote; nothing is placed' },
  { method: 'GET', path: '/v1/orders', operationId: 'listOrders', success: 200, fn: 'orders', auth: true, permission: 'read', summary: 'Orders in the caller\'s scope, filtered by account, status and dates' },
  { method: 'GET', path: '/v1/orders/{orderId}', operationId: 'getOrder', success: 200, fn: 'orders', auth: true, permission: 'read', summary: 'One order with its lines and status history' },
  { method: 'POST', path: '/v1/orders/{orderId}/open', operationId: 'openOrder', success: 200, fn: 'orders', auth: true, permission: 'operate', summary: 'Staff move a new order to open' },
  { method: 'POST', path: '/v1/orders/{orderId}/provision', operationId: 'provisionOrder', success: 202, fn: 'orders', auth: true, permission: 'operate', summary: 'Staff send an open order to provisioning' },
  { method: 'GET', path: '/v1/orders/{orderId}/provisioning', operationId: 'getProvisioningStatus', success: 200, fn: 'orders', auth: true, permission: 'operate', summary: 'The vendor\'s provisioning status of an order' },
  { method: 'POST', path: '/v1/orders/{orderId}/cancel', operationId: 'cancelOrder', success: 200, fn: 'orders', auth: true, permission: 'view', summary: 'Cancel an order that is not yet provisioning' },
  { method: 'GET', path: '/v1/events', operationId: 'listEvents', success: 200, fn: 'events', auth: true, permission: 'view', summary: 'An account\'s events (what webhooks deliver), oldest first, strictly after `after`, each at least a few seconds old' },
  { method: 'POST', path: '/v1/accounts/{accountId}/webhooks', operationId: 'createWebhook', success: 201, fn: 'webhooks', auth: true, permission: 'manage', summary: 'Register a webhook endpoint for event types: the answer shows its signing secret, this once' },
  { method: 'GET', path: '/v1/accounts/{accountId}/webhooks', operationId: 'listWebhooks', success: 200, fn: 'webhooks', auth: true, permission: 'manage', summary: 'The webhook endpoints of an account, oldest first' },
  { method: 'GET', path: '/v1/webhooks/{webhookId}', operationId: 'getWebhook', success: 200, fn: 'webhooks', auth: true, permission: 'manage', summary: 'One webhook endpoint (never its secret)' },
  { method: 'PATCH', path: '/v1/webhooks/{webhookId}', operationId: 'updateWebhook', success: 200, fn: 'webhooks', auth: true, permission: 'manage', summary: 'Edit a webhook endpoint\'s URL, event types or description; `status: active` re-enables it' },
  { method: 'DELETE', path: '/v1/webhooks/{webhookId}', operationId: 'deleteWebhook', success: 204, fn: 'webhooks', auth: true, permission: 'manage', summary: 'Delete a webhook endpoint (nothing more is sent to it)' },
  { method: 'GET', path: '/v1/webhooks/{webhookId}/deliveries', operationId: 'listWebhookDeliveries', success: 200, fn: 'webhooks', auth: true, permission: 'manage', summary: 'The delivery log of an endpoint, newest first: status, attempts, last response code, times' },
  { method: 'POST', path: '/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', operationId: 'redeliverWebhook', success: 200, fn: 'webhooks', auth: true, permission: 'manage', summary: 'Send a delivered or failed delivery again now' },
] as const satisfies readonly RouteSpec[];

type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;

/** `'POST /v1/accounts/{accountId}/orders'` …: the API Gateway route key of each route of the table. */
export type RouteKey = KeyOf<(typeof ROUTE_TABLE)[number]>;

/** The HTTP routes (the table above, read as RouteSpecs). */
export const ROUTES: readonly RouteSpec[] = ROUTE_TABLE;

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** The statuses of a successful answer of a route, the usual one first. */
export const successStatuses = (r: Pick<RouteSpec, 'success'>): readonly SuccessStatus[] => (typeof r.success === 'number' ? [r.success] : r.success);

export interface RouteErrors {
  /** 400 codes beyond `validation_failed` (the token route's RFC 6749 errors). */
  400?: readonly string[];
  /** 401 codes of a public route (the authorizer's `unauthenticated` is added for the others). */
  401?: readonly string[];
  /** The route charges a card: 402 `payment_declined`. */
  402?: true;
  409?: readonly string[];
  /** The route takes a link's token: 410 `token_expired`. */
  410?: true;
  422?: readonly string[];
}

const ORDER_REFUSALS: readonly string[] = ['not_a_customer', 'offer_unavailable', 'currency_mismatch', 'quantity_out_of_range', 'duplicate_offer', 'currency_not_offered', 'price_unavailable', 'tax_rate_missing', 'customer_agreement_required', 'card_expired'];
/** What a quote refuses (services/orders.ts priceOrder): the lines as an order would, their prices and their tax (docs/commerce.md "Quotes"). */
const PRICING_REFUSALS: readonly string[] = ['not_a_customer', 'offer_unavailable', 'quantity_out_of_range', 'duplicate_offer', 'currency_mismatch', 'currency_not_offered', 'price_unavailable', 'tax_rate_missing'];
/** Co-terming refused (services/orders.ts alignmentOf, coTermOn; domain/coterm.ts), on orders and quotes alike. */
const COTERM_REFUSALS: readonly string[] = ['coterm_subscription_inactive', 'coterm_term_ended', 'coterm_beyond_term'];
/** An order given a `quoteId` that is gone or that no longer holds (services/orders.ts placeOrder). */
const QUOTE_CONFLICTS: readonly string[] = ['quote_expired', 'price_changed'];
/** Qualifications and trials (services/eligibility.ts), on orders and checkouts. */
const ELIGIBILITY_REFUSALS: readonly string[] = ['qualification_refused', 'qualification_required', 'trial_already_used'];

/**
 * The error answers of a route beyond those every route of its kind gives (`errorCodesOf` adds
 * those). Codes come from what the route's handler and the services it calls throw (`Conflict`,
 * `BusinessRuleRefused`, `Gone`, a 402) and from docs/product.md#api-conventions; the OpenAPI document lists them per route.
 */
export const ROUTE_ERRORS: Partial<Record<RouteKey, RouteErrors>> = {
  'POST /v1/auth/login': { 401: ['invalid_credentials'] },
  'POST /v1/auth/refresh': { 401: ['unauthenticated'] },
  'POST /v1/auth/activate': { 410: true },
  'POST /v1/auth/password-reset/confirm': { 410: true },
  'POST /v1/auth/confirm-login': { 410: true, 409: ['login_taken'] },
  'POST /v1/auth/impersonate': { 409: ['invalid_state'], 422: ['cannot_act_on_self'] },
  'POST /v1/oauth/token': { 400: ['unsupported_grant_type', 'invalid_scope'], 401: ['invalid_client'] },
  'PATCH /v1/api-clients/{clientId}': { 409: ['invalid_state'] },
  'POST /v1/api-clients/{clientId}/secrets': { 409: ['invalid_state'] },
  'POST /v1/api-clients/{clientId}/revoke': { 409: ['invalid_state'] },
  'POST /v1/me/password': { 422: ['current_password_incorrect'] },
  'POST /v1/accounts': { 409: ['login_taken'], 422: ['reseller_under_distributor_only', 'not_a_customer', 'unknown_product'] },
  'PATCH /v1/accounts/{accountId}': { 422: ['not_a_customer', 'unknown_product'] },
  'POST /v1/accounts/{accountId}/suspend': { 409: ['invalid_state'] },
  'POST /v1/accounts/{accountId}/reactivate': { 409: ['invalid_state'] },
  'POST /v1/accounts/{accountId}/domains': { 409: ['domain_taken'], 422: ['not_a_customer', 'customer_agreement_required', 'qualification_refused'] },
  'POST /v1/domains/{domainId}/accept': { 409: ['invalid_state'] },
  'POST /v1/domains/{domainId}/invitation': { 409: ['invalid_state'] },
  'POST /v1/accounts/{accountId}/users': { 409: ['login_taken'] },
  'PATCH /v1/users/{userId}': { 409: ['login_taken'] },
  'DELETE /v1/users/{userId}': { 422: ['cannot_act_on_self'] },
  'POST /v1/users/{userId}/password': { 422: ['cannot_act_on_self'] },
  'POST /v1/users/{userId}/activation-email': { 409: ['invalid_state'] },
  'POST /v1/users/{userId}/activate': { 409: ['invalid_state'], 422: ['cannot_act_on_self'] },
  'POST /v1/users/{userId}/deactivate': { 409: ['invalid_state'], 422: ['cannot_act_on_self'] },
  'POST /v1/catalog/products': { 409: ['sku_taken'], 422: ['invalid_quantity_limits', 'duplicate_offer', 'invalid_offer', 'currency_mismatch', 'invalid_upgrade_targets'] },
  'PATCH /v1/catalog/products/{productId}': { 422: ['unknown_offer', 'duplicate_offer', 'invalid_quantity_limits', 'invalid_offer', 'currency_mismatch', 'invalid_upgrade_targets', 'invalid_trial'] },
  'POST /v1/catalog/offers/{offerId}/costs': { 409: ['cost_version_exists'], 422: ['past_effective_date'] },
  'POST /v1/accounts/{accountId}/price-lists': { 409: ['price_list_exists'], 422: ['not_a_seller', 'audience_not_allowed', 'past_effective_date', 'markup_out_of_range', 'below_cost'] },
  'POST /v1/price-lists/{priceListId}/rules': {
    409: ['rule_version_exists'],
    422: ['past_effective_date', 'markup_out_of_range', 'price_out_of_range', 'list_rule_required', 'unknown_product', 'unknown_offer', 'below_cost'],
  },
  'GET /v1/accounts/{accountId}/prices': { 422: ['not_a_buyer', 'currency_not_offered'] },
  'POST /v1/tax/rates': { 409: ['rate_version_exists'], 422: ['unknown_country', 'past_effective_date'] },
  'POST /v1/cart/items': { 422: ['offer_unavailable', 'currency_mismatch', 'quantity_out_of_range', 'cart_full', 'not_self_service_product'] },
  'PATCH /v1/cart/items/{itemId}': { 422: ['quantity_out_of_range', 'not_self_service_product'] },
  'POST /v1/cart/quote': { 422: ['cart_empty', ...PRICING_REFUSALS, ...COTERM_REFUSALS] },
  'POST /v1/cart/checkout': { 402: true, 409: ['invalid_state', 'domain_taken', ...QUOTE_CONFLICTS], 422: ['cart_empty', ...ORDER_REFUSALS, ...COTERM_REFUSALS, 'coterm_domain_mismatch', 'not_self_service_product', ...ELIGIBILITY_REFUSALS] },
  'POST /v1/accounts/{accountId}/payment-methods': { 422: ['not_a_customer', 'card_token_invalid', 'card_expired', 'too_many_payment_methods'] },
  'PATCH /v1/payment-methods/{paymentMethodId}': { 409: ['invalid_state'], 422: ['card_expired'] },
  'DELETE /v1/payment-methods/{paymentMethodId}': { 409: ['invalid_state'] },
  'POST /v1/invoices/{invoiceId}/pay': { 402: true, 409: ['invalid_state'], 422: ['card_required'] },
  'GET /v1/billing/exports': { 422: ['export_too_large'] },
  'PATCH /v1/subscriptions/{subscriptionId}': { 409: ['invalid_state'], 422: ['domain_immutable'] },
  'POST /v1/subscriptions/{subscriptionId}/quantity': { 402: true, 409: ['invalid_state', 'below_assigned'], 422: ['quantity_out_of_range', 'card_expired'] },
  'POST /v1/subscriptions/{subscriptionId}/upgrade': { 402: true, 409: ['invalid_state', 'below_assigned'], 422: ['upgrade_not_eligible', 'upgrade_offer_missing', 'too_many_assignments', 'currency_mismatch', 'currency_not_offered', 'price_unavailable', 'tax_rate_missing'] },
  'PUT /v1/subscriptions/{subscriptionId}/scheduled-change': { 409: ['invalid_state', 'below_assigned'], 422: ['quantity_out_of_range', 'product_not_eligible', 'offer_not_of_product', 'offer_missing'] },
  'DELETE /v1/subscriptions/{subscriptionId}/scheduled-change': { 409: ['invalid_state'] },
  'POST /v1/subscriptions/{subscriptionId}/cancel': { 409: ['invalid_state', 'cancellation_window_closed', 'below_assigned'] },
  'POST /v1/subscriptions/{subscriptionId}/assignments': { 409: ['invalid_state', 'seats_exhausted'], 422: ['user_not_assignable'] },
  'POST /v1/accounts/{accountId}/orders': { 402: true, 409: ['invalid_state', 'domain_taken', ...QUOTE_CONFLICTS], 422: [...ORDER_REFUSALS, ...COTERM_REFUSALS, 'coterm_domain_mismatch', ...ELIGIBILITY_REFUSALS] },
  'POST /v1/accounts/{accountId}/orders/quote': { 422: [...PRICING_REFUSALS, ...COTERM_REFUSALS] },
  'POST /v1/orders/{orderId}/open': { 409: ['invalid_state'] },
  'POST /v1/orders/{orderId}/provision': { 409: ['invalid_state'] },
  'POST /v1/orders/{orderId}/cancel': { 409: ['invalid_state'] },
  'POST /v1/accounts/{accountId}/webhooks': { 422: ['too_many_webhooks'] },
  'POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver': { 409: ['invalid_state'] },
};

/**
 * Every error a route answers, by status, with its codes (docs/product.md#api-conventions): 400 always; 401 and 403
 * behind the authorizer; 404 with a path parameter or a token; 409 `idempotency_in_progress` and
 * 422 `idempotency_key_reused` with `Idempotency-Key`; 412 on a change naming a resource
 * (`If-Match`); 413 and 415 on a route that takes a body; 429 and 503 everywhere; plus the route's
 * own (ROUTE_ERRORS).
 */
export function errorCodesOf(route: RouteSpec, takesBody: boolean): Partial<Record<ErrorStatus, readonly string[]>> {
  const own = ROUTE_ERRORS[routeKey(route) as RouteKey] ?? {};
  const named = route.path.includes('{');
  const out: Partial<Record<ErrorStatus, readonly string[]>> = { 400: ['validation_failed', ...(own[400] ?? [])] };
  const unauthenticated = route.auth ? ['unauthenticated'] : (own[401] ?? []);
  if (unauthenticated.length) out[401] = unauthenticated;
  if (own[402]) out[402] = ['payment_declined'];
  if (route.auth) out[403] = ['forbidden'];
  if (named || route.auth) out[404] = ['not_found'];
  const conflicts = [...(own[409] ?? []), ...(route.idempotencyKey ? ['idempotency_in_progress'] : [])];
  if (conflicts.length) out[409] = conflicts;
  if (own[410]) out[410] = ['token_expired'];
  if (route.method !== 'GET' && named) out[412] = ['precondition_failed'];
  if (takesBody) {
    out[413] = ['payload_too_large'];
    out[415] = ['unsupported_media_type'];
  }
  const refusals = [...(own[422] ?? []), ...(route.idempotencyKey ? ['idempotency_key_reused'] : [])];
  if (refusals.length) out[422] = refusals;
  out[429] = ['throttled'];
  out[503] = ['try_again'];
  return out;
}

export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 410 | 412 | 413 | 415 | 422 | 429 | 503;

/**
 * The scheduled jobs (docs/product.md#scheduled-jobs): EventBridge Scheduler in AWS, the local scheduler and
 * `POST /_local/jobs/{name}` locally. `daily` jobs run once a day (locally: once per day of the
 * local clock); the others on every tick of the local scheduler.
 */
export const JOBS = {
  renewals: { fn: 'renewalsJob', cron: 'cron(15 0 * * ? *)', daily: true },
  billing: { fn: 'billingJob', cron: 'cron(30 0 * * ? *)', daily: true },
  dunning: { fn: 'dunningJob', cron: 'cron(45 0 * * ? *)', daily: true },
  unstartedOrders: { fn: 'unstartedOrdersJob', cron: 'cron(0/5 * * * ? *)', daily: false },
  webhookRetries: { fn: 'webhookRetriesJob', cron: 'cron(* * * * ? *)', daily: false },
} as const satisfies Record<string, { fn: FunctionName; cron: string; daily: boolean }>;

export type JobName = keyof typeof JOBS;

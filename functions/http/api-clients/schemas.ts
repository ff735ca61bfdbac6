import * as z from 'zod/mini';
import { DEFAULT_OVERLAP_HOURS, MAX_OVERLAP_HOURS } from '#domain/api-clients.ts';
import { SCOPE_NAMES } from '#platform/caller.ts';
import { AccountId, Name, Pagination, id, pageOf } from '../schemas.ts';

/**
 * The contract of API clients (docs/api.md "API clients"): the bodies the routes take and the
 * answers they give. A secret is answered once (create, rotate) and never stored or shown again.
 */
export const ScopeSchema = z.enum(SCOPE_NAMES).check(z.describe('What the client may do; each route needs one (docs/api.md "API clients")'));
const Scopes = z.array(ScopeSchema).check(z.minLength(1), z.maxLength(SCOPE_NAMES.length));

export const AccountParams = z.strictObject({ accountId: AccountId });
export const ClientParams = z.strictObject({ clientId: id('apiClient') });
export const ListApiClientsQuery = z.strictObject(Pagination);

export const CreateApiClientBody = z.strictObject({
  name: Name.check(z.describe('What people know the machine by; the audit trail names the client by it')),
  scopes: Scopes,
});

export const UpdateApiClientBody = z
  .strictObject({
    name: z.optional(Name),
    scopes: z.optional(Scopes.check(z.describe('The new scopes, replacing the old; a token already issued keeps only those of its scopes the client still holds'))),
  })
  .check(z.refine((b) => Object.keys(b).length > 0, 'give at least one field to change'));

export const RotateSecretBody = z.strictObject({
  overlapHours: z._default(
    z.number().check(z.int(), z.gte(0), z.lte(MAX_OVERLAP_HOURS), z.describe('How long the previous secret keeps working (0: it stops now); a secret still in an earlier overlap stops now')),
    DEFAULT_OVERLAP_HOURS,
  ),
});

const exampleClient = {
  id: 'cli_01JD6W2V9Q4X8M3N5P7R2T4Y6Z',
  accountId: 'acc_01JD6W2V9Q4X8M3N5P7R2T4Y6A',
  name: 'ERP connector',
  scopes: ['accounts:read', 'accounts:write', 'orders:read', 'orders:write', 'orders:operate'],
  status: 'active' as const,
  createdAt: '2027-01-10T09:00:00.000Z',
  createdBy: 'usr_01JD6W2V9Q4X8M3N5P7R2T4Y6B',
  lastUsedAt: '2027-01-11T08:15:00.000Z',
  secrets: [{ id: 'sec_01JD6W2V9Q4X8M3N5P7R2T4Y6C', createdAt: '2027-01-10T09:00:00.000Z', expiresAt: null, last4: 'x9Qa' }],
  version: 1,
};

const clientFields = {
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  scopes: z.array(ScopeSchema),
  status: z.enum(['active', 'revoked']).check(z.describe('A revoked client gets no token, and its tokens stop working within 60 s')),
  createdAt: z.iso.datetime({ offset: true }),
  createdBy: z.string().check(z.describe('The user who created it')),
  lastUsedAt: z.nullable(z.iso.datetime({ offset: true }).check(z.describe('When it last got a token (to the minute); null: never'))),
  secrets: z.array(
    z.object({
      id: z.string(),
      createdAt: z.iso.datetime({ offset: true }),
      expiresAt: z.nullable(z.iso.datetime({ offset: true }).check(z.describe('When a replaced secret stops working; null: the current secret'))),
      last4: z.string().check(z.describe('The last 4 characters, to tell secrets apart')),
    }),
  ).check(z.describe('The secrets that work now (at most two), never the secrets themselves')),
  version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag, sent back in If-Match')),
};

export const ApiClientSchema = z.object(clientFields).register(z.globalRegistry, {
  id: 'ApiClient',
  description: 'A machine that calls the API with OAuth 2.0 client credentials, as an admin of its account limited to its scopes',
  examples: [exampleClient],
});

export const ApiClientWithSecretSchema = z.object({ ...clientFields, clientSecret: z.string().check(z.describe('The secret, shown this once: only its hash is kept')) }).register(z.globalRegistry, {
  id: 'ApiClientWithSecret',
  description: 'An API client as created or with a new secret: the secret is answered this once',
  examples: [{ ...exampleClient, clientSecret: 'cs_3q2-7wEXAMPLEq8yTzVjJ0b1mCkXw5nR4pL6sD9fGx9Qa' }],
});

export const ApiClientPageSchema = pageOf(ApiClientSchema).register(z.globalRegistry, {
  id: 'ApiClientPage',
  description: 'A page of an account\'s API clients, oldest first',
  examples: [{ items: [exampleClient], nextCursor: null }],
});

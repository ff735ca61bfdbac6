import * as z from 'zod/mini';
import { id, Password } from '../schemas.ts';

/** The bodies of sign-in (docs/product.md#portal-users, docs/product.md#auth-and-self); the answers are the User and Session of users/schemas.ts. */
export const LoginBody = z.strictObject({ login: z.string().check(z.minLength(1), z.maxLength(254)), password: z.string().check(z.minLength(1), z.maxLength(1024)) });
export const RefreshBody = z.strictObject({ refreshToken: z.string().check(z.minLength(20), z.maxLength(200)) });
/** A link's token: `<userId>.<secret>` (platform/activation.ts). */
const LinkToken = z.string().check(z.minLength(1), z.maxLength(200));
export const ActivateBody = z.strictObject({ token: LinkToken, password: Password });
export const ImpersonateBody = z.strictObject({ userId: id('user') });
export const ResetBody = z.strictObject({ login: z.string().check(z.minLength(1), z.maxLength(254)) });
export const ConfirmResetBody = z.strictObject({ token: LinkToken, password: Password });
export const ConfirmLoginBody = z.strictObject({ token: LinkToken });

/** One public key of the JWKS (RFC 7517/7518): an EC P-256 key that verifies ES256 tokens. */
const PublicJwk = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().check(z.describe('The curve point\'s x coordinate, base64url')),
  y: z.string().check(z.describe('The curve point\'s y coordinate, base64url')),
  kid: z.string().check(z.describe('The key id a token names in its header (`kid`)')),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
});

export const JwksSchema = z.object({ keys: z.array(PublicJwk).check(z.describe('The current signing key first, then the previous one (still valid for the tokens it signed)')) }).register(z.globalRegistry, {
  id: 'Jwks',
  description: 'The public keys that verify access tokens (docs/api.md "Verifying tokens"): a JSON Web Key Set',
  examples: [
    {
      keys: [
        { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: '01jxyzkeyid0000000000000000', alg: 'ES256', use: 'sig' },
      ],
    },
  ],
});

/**
 * The OAuth 2.0 token request (RFC 6749 §4.4), as a form or as JSON: `grant_type` must be
 * `client_credentials` (else 400 `unsupported_grant_type`, not a schema failure); the credentials
 * come here or in an `Authorization: Basic` header, not both.
 */
export const ClientTokenBody = z.strictObject({
  grant_type: z.string().check(z.minLength(1), z.maxLength(100), z.describe('client_credentials')),
  client_id: z.optional(z.string().check(z.maxLength(100))),
  client_secret: z.optional(z.string().check(z.maxLength(200))),
  scope: z.optional(z.string().check(z.maxLength(1000), z.describe('Space-separated scopes, a subset of the client\'s; absent: all of them'))),
});

export const ClientTokenSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().check(z.int(), z.describe('Seconds the token is valid: 900')),
    scope: z.string().check(z.describe('The scopes granted, space-separated')),
  })
  .register(z.globalRegistry, {
    id: 'ClientToken',
    description: 'An API client\'s access token (RFC 6749 §5.1): send it as `Authorization: Bearer <access_token>`',
    examples: [{ access_token: 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.eyJ0eXAiOiJjbGllbnQifQ.c2lnbmF0dXJl', token_type: 'Bearer', expires_in: 900, scope: 'orders:read orders:write' }],
  });

import { httpHandler, routeGroup } from '#http/route.ts';
import { sessionService } from '#services/sessions.ts';
import { apiClientService, InvalidClient } from '#services/api-clients.ts';
import { ValidationFailed } from '#platform/errors.ts';
import { PasswordResetRequestedSchema, SessionSchema, UserSchema } from '../users/schemas.ts';
import { sessionView, userView } from '../users/views.ts';
import { keySet, publicJwks } from '#platform/keys.ts';
import { ActivateBody, ClientTokenBody, ClientTokenSchema, JwksSchema, ConfirmLoginBody, ConfirmResetBody, ImpersonateBody, LoginBody, RefreshBody, ResetBody } from './schemas.ts';

/**
 * Sign-in (docs/product.md#portal-users, docs/product.md#auth-and-self): login, refresh, logout, activation, password reset, login change and
 * "log in as" (functions/services/sessions.ts). Every failed login answers the same 401 whatever
 * the cause, so logins cannot be enumerated.
 */
const login = httpHandler({ auth: false, body: LoginBody, response: SessionSchema }, async ({ body, request }) => {
  const signedIn = await sessionService.login(body, { ip: request.ip, userAgent: request.userAgent });
  return { statusCode: 200, body: sessionView(signedIn) };
});

const refresh = httpHandler({ auth: false, body: RefreshBody, response: SessionSchema }, async ({ body }) => {
  return { statusCode: 200, body: sessionView(await sessionService.refresh(body.refreshToken)) };
});

/** Ends this session: its refresh token family stops working (the access token expires on its own). */
const logout = httpHandler({}, async ({ caller }) => {
  await sessionService.logout(caller);
  return { statusCode: 204, audit: { resourceType: 'session', resourceId: caller.sessionId ?? caller.userId } };
});

/** The activation link (docs/product.md#portal-users): sets the first password; single use; 410 once expired or used. */
const activate = httpHandler({ auth: false, body: ActivateBody, response: UserSchema }, async ({ body }) => {
  return { statusCode: 200, body: userView(await sessionService.activate(body.token, body.password)) };
});

/** 202 whatever the login: whether it exists is not told. */
const askReset = httpHandler({ auth: false, body: ResetBody, response: PasswordResetRequestedSchema }, async ({ body }) => {
  await sessionService.askReset(body.login);
  return { statusCode: 202, body: { message: 'If this login exists, a link to reset its password is on its way.' }, audit: false };
});

/** Uses a reset link: sets the password, unlocks, ends every earlier session; single use. */
const confirmReset = httpHandler({ auth: false, body: ConfirmResetBody, response: UserSchema }, async ({ body }) => {
  const user = await sessionService.confirmReset(body.token, body.password);
  return { statusCode: 200, body: userView(user), audit: { accountId: user.accountId, resourceType: 'user', resourceId: user.id } };
});

/** Applies a login change asked for on PATCH /v1/me, with the link sent to the new address. */
const confirmLogin = httpHandler({ auth: false, body: ConfirmLoginBody, response: UserSchema }, async ({ body }) => {
  return { statusCode: 200, body: userView(await sessionService.confirmLogin(body.token)) };
});

/** Log in as a user (docs/product.md#portal-users): the token names both people; the session ends after an hour. */
const impersonate = httpHandler({ body: ImpersonateBody, response: SessionSchema }, async ({ body, caller, request }) => {
  const signedIn = await sessionService.impersonate(caller, body.userId, { ip: request.ip, userAgent: request.userAgent });
  const target = signedIn.user;
  return {
    statusCode: 200,
    body: sessionView(signedIn),
    audit: { accountId: target.accountId, resourceType: 'user', resourceId: target.id, details: { loggedInAs: target.id, by: caller.userId } },
  };
});

/** `Authorization: Basic` credentials (RFC 6749 §2.3.1: each part form-encoded, then base64); undefined without the header. */
export function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (!header || !/^basic\s/i.test(header.trim())) return undefined;
  const decoded = Buffer.from(header.trim().slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClient();
  const part = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      throw new InvalidClient();
    }
  };
  return { clientId: part(decoded.slice(0, colon)), clientSecret: part(decoded.slice(colon + 1)) };
}

/**
 * OAuth 2.0 client credentials (docs/api.md "API clients"): a form or JSON body, the credentials
 * in HTTP Basic or in the body (one of them). The answer is never cached. No lockout: a secret of
 * 256 random bits cannot be guessed, and a machine must not lock itself out.
 */
const clientToken = httpHandler({ auth: false, form: true, body: ClientTokenBody, response: ClientTokenSchema }, async ({ body, request }) => {
  const basic = basicCredentials(request.headers.authorization ?? request.headers.Authorization);
  if (basic && (body.client_secret !== undefined || (body.client_id !== undefined && body.client_id !== basic.clientId))) {
    throw new ValidationFailed('Send the client credentials one way: in the Authorization header (Basic) or in the body, not both.', [{ in: 'body', path: 'client_secret', code: 'credentials_twice' }]);
  }
  const issued = await apiClientService.issueToken({
    grantType: body.grant_type,
    clientId: basic?.clientId ?? body.client_id,
    clientSecret: basic?.clientSecret ?? body.client_secret,
    scope: body.scope,
  });
  return {
    statusCode: 200,
    body: { access_token: issued.token, token_type: 'Bearer' as const, expires_in: issued.expiresIn, scope: issued.scopes.join(' ') },
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    audit: false,
  };
});

/**
 * The public keys that verify access tokens (docs/api.md "Verifying tokens"): the current key and
 * the previous one, from the signing key set (platform/keys.ts). Cacheable for 5 minutes, the
 * time a process keeps the set; a token naming a kid not in a cached copy means: fetch it again.
 */
const jwks = httpHandler({ auth: false, response: JwksSchema }, async () => ({
  statusCode: 200,
  body: publicJwks(await keySet()),
  headers: { 'cache-control': 'public, max-age=300' },
  audit: false,
}));

export const handler = routeGroup({
  'GET /v1/auth/jwks.json': jwks,
  'POST /v1/oauth/token': clientToken,
  'POST /v1/auth/login': login,
  'POST /v1/auth/refresh': refresh,
  'POST /v1/auth/logout': logout,
  'POST /v1/auth/activate': activate,
  'POST /v1/auth/password-reset': askReset,
  'POST /v1/auth/password-reset/confirm': confirmReset,
  'POST /v1/auth/confirm-login': confirmLogin,
  'POST /v1/auth/impersonate': impersonate,
});

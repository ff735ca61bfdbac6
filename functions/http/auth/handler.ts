import { httpHandler, routeGroup } from '#http/route.ts';
import { sessionService } from '#services/sessions.ts';
import { PasswordResetRequestedSchema, SessionSchema, UserSchema } from '../users/schemas.ts';
import { sessionView, userView } from '../users/views.ts';
import { ActivateBody, ConfirmLoginBody, ConfirmResetBody, ImpersonateBody, LoginBody, RefreshBody, ResetBody } from './schemas.ts';

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

export const handler = routeGroup({
  'POST /v1/auth/login': login,
  'POST /v1/auth/refresh': refresh,
  'POST /v1/auth/logout': logout,
  'POST /v1/auth/activate': activate,
  'POST /v1/auth/password-reset': askReset,
  'POST /v1/auth/password-reset/confirm': confirmReset,
  'POST /v1/auth/confirm-login': confirmLogin,
  'POST /v1/auth/impersonate': impersonate,
});

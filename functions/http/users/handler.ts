import * as z from 'zod/mini';
import { httpHandler, routeGroup } from '#http/route.ts';
import { userService } from '#services/users.ts';
import { AccountId, Pagination, Password, page, pageOf } from '../schemas.ts';
import { AddUsersBody, EditUserBody, ListUsersQuery, LoginEventSchema, UserId, UserSchema, UsersCreatedSchema } from './schemas.ts';
import { loginEventView, userView } from './views.ts';

/**
 * Portal users of an account (docs/product.md#portal-users, docs/product.md#accounts-and-users): admins manage the people of their account (staff
 * admins those of the accounts below too); a customer `user` manages only itself
 * (functions/services/users.ts).
 */
const UserParams = z.strictObject({ userId: UserId });
const AccountParams = z.strictObject({ accountId: AccountId });

const list = httpHandler(
  { params: AccountParams, query: ListUsersQuery, response: pageOf(UserSchema) },
  async ({ params, query, caller }) => {
    const result = await userService.list(caller, params.accountId, query);
    return { statusCode: 200, body: page(result, userView) };
  },
);

const add = httpHandler({ params: AccountParams, body: AddUsersBody, response: UsersCreatedSchema }, async ({ params, body, caller }) => {
  const created = await userService.add(caller, params.accountId, body);
  return { statusCode: 201, body: { items: created.map(userView) } };
});

const getOne = httpHandler({ params: UserParams, response: UserSchema }, async ({ params, caller }) => {
  return { statusCode: 200, body: userView(await userService.read(caller, params.userId)) };
});

/** 200 with the user; 202 when you ask for a new login of your own (applied through the link sent there). */
const edit = httpHandler({ params: UserParams, body: EditUserBody, response: UserSchema }, async ({ params, body, caller, request }) => {
  const { user, pending } = await userService.edit(caller, params.userId, body, request.ifMatch);
  return { statusCode: pending ? 202 : 200, body: userView(user) };
});

const remove = httpHandler({ params: UserParams }, async ({ params, caller }) => {
  const user = await userService.remove(caller, params.userId);
  return { statusCode: 204, audit: { accountId: user.accountId, resourceType: 'user', resourceId: user.id } };
});

const setPassword = httpHandler({ params: UserParams, body: z.strictObject({ password: Password }), response: UserSchema }, async ({ params, body, caller }) => {
  return { statusCode: 200, body: userView(await userService.setPassword(caller, params.userId, body.password)) };
});

const resendActivation = httpHandler({ params: UserParams, response: UserSchema }, async ({ params, caller }) => {
  return { statusCode: 202, body: userView(await userService.resendActivation(caller, params.userId)) };
});

const activateUser = httpHandler({ params: UserParams, response: UserSchema }, async ({ params, caller }) => {
  return { statusCode: 200, body: userView(await userService.activate(caller, params.userId)) };
});

const deactivate = httpHandler({ params: UserParams, response: UserSchema }, async ({ params, caller }) => {
  return { statusCode: 200, body: userView(await userService.deactivate(caller, params.userId)) };
});

const history = httpHandler({ params: UserParams, query: z.strictObject(Pagination), response: pageOf(LoginEventSchema) }, async ({ params, query, caller }) => {
  const result = await userService.loginHistory(caller, params.userId, query);
  return { statusCode: 200, body: page(result, loginEventView) };
});

export const handler = routeGroup({
  'GET /v1/accounts/{accountId}/users': list,
  'POST /v1/accounts/{accountId}/users': add,
  'GET /v1/users/{userId}': getOne,
  'PATCH /v1/users/{userId}': edit,
  'DELETE /v1/users/{userId}': remove,
  'POST /v1/users/{userId}/password': setPassword,
  'POST /v1/users/{userId}/activation-email': resendActivation,
  'POST /v1/users/{userId}/activate': activateUser,
  'POST /v1/users/{userId}/deactivate': deactivate,
  'GET /v1/users/{userId}/login-history': history,
});

import * as z from 'zod/mini';
import { httpHandler, routeGroup } from '#http/route.ts';
import { getUser } from '#data/users.ts';
import { assignmentsOfUser, getSubscription } from '#data/subscriptions.ts';
import { NotFound } from '#platform/errors.ts';
import { accountService } from '#services/accounts.ts';
import { sessionService } from '#services/sessions.ts';
import { userService } from '#services/users.ts';
import { Password, pageOf } from '../schemas.ts';
import { supportView } from '../accounts/views.ts';
import { EditUserBody, MeSchema, MyLicenseSchema, SessionSchema, UserSchema } from '../users/schemas.ts';
import { sessionView, userView } from '../users/views.ts';

/** The caller's own profile (docs/product.md#auth-and-self): read (with the support contact its account shows), edit, change the password. */
const SelfEditBody = EditUserBody.check(z.refine((b) => b.role === undefined, 'your own role is changed by an admin'));

const me = httpHandler({ response: MeSchema }, async ({ caller }) => {
  const [user, support] = await Promise.all([getUser(caller.userId), accountService.supportFor(caller)]);
  if (!user) throw new NotFound();
  return {
    statusCode: 200,
    body: { ...userView(user), accountType: caller.accountType, actingAs: caller.actorUserId ? { actorUserId: caller.actorUserId } : null, support: supportView(support) },
  };
});

/** 200 with the profile; 202 when it asks for a new login (applied through the link sent there). */
const editMe = httpHandler({ body: SelfEditBody, response: UserSchema }, async ({ body, caller, request }) => {
  const { user, pending } = await userService.editOwn(caller, body, request.ifMatch);
  return { statusCode: pending ? 202 : 200, body: userView(user) };
});

const ChangePasswordBody = z.strictObject({ currentPassword: z.string().check(z.minLength(1), z.maxLength(1024)), newPassword: Password });

/** Needs the current password; answers a new session, because the change ends every older one. */
const changePassword = httpHandler({ body: ChangePasswordBody, response: SessionSchema }, async ({ body, caller }) => {
  return { statusCode: 200, body: sessionView(await sessionService.changePassword(caller, body.currentPassword, body.newPassword)) };
});

/** The licenses assigned to me (docs/product.md#subscriptions-and-licenses): one entry per subscription. */
const licenses = httpHandler({ response: pageOf(MyLicenseSchema) }, async ({ caller }) => {
  const mine = await assignmentsOfUser(caller.userId);
  const subs = await Promise.all(mine.map((a) => getSubscription(a.subscriptionId)));
  const items = mine.flatMap((a, i) => {
    const s = subs[i];
    if (!s) return [];
    return [{ subscriptionId: s.id, productId: s.productId, name: s.name, sku: s.sku, status: s.status, domain: s.domain, assignedAt: a.assignedAt, currentTermEnd: s.currentTermEnd ?? null }];
  });
  return { statusCode: 200, body: { items, nextCursor: null } };
});

export const handler = routeGroup({
  'GET /v1/me/licenses': licenses,
  'GET /v1/me': me,
  'PATCH /v1/me': editMe,
  'POST /v1/me/password': changePassword,
});

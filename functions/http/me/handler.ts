import * as z from 'zod';
import { issueSession } from '#data/sessions.ts';
import { getUser, updateUser, userView } from '#data/users.ts';
import { assignmentsOfUser, getSubscription } from '#data/subscriptions.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Forbidden, NotFound, ValidationFailed } from '#platform/errors.ts';
import { httpHandler, routeGroup } from '#http/route.ts';
import { hashPassword, verifyPassword } from '#platform/passwords.ts';
import { Password } from '../schemas.ts';
import { EditUserBody, editOwnProfile } from '../users/edit.ts';
import { passwordChangedEmail } from '../users/user-emails.ts';

/** The caller's own profile (SPEC §4.2): read, edit, change the password. */
const SelfEditBody = EditUserBody.refine((b) => b.role === undefined, 'your own role is changed by an admin');

const me = httpHandler({}, async ({ caller }) => {
  const user = await getUser(caller.userId);
  if (!user) throw new NotFound();
  return { statusCode: 200, body: { ...userView(user), accountType: caller.accountType, actingAs: caller.actorUserId ? { actorUserId: caller.actorUserId } : null } };
});

/** 200 with the profile; 202 when it asks for a new login (applied through the link sent there). */
const editMe = httpHandler({ body: SelfEditBody }, async ({ body, caller }) => editOwnProfile(caller, body));

const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(1024), newPassword: Password }).strict();

/** Needs the current password; answers a new session, because the change ends every older one. */
const changePassword = httpHandler({ body: ChangePasswordBody }, async ({ body, caller }) => {
  if (caller.actorUserId) throw new Forbidden('Passwords cannot be changed while logged in as someone else.');
  const user = await getUser(caller.userId);
  if (!user) throw new NotFound();
  if (!user.passwordHash || !(await verifyPassword(body.currentPassword, user.passwordHash))) {
    throw new BusinessRuleRefused('current_password_incorrect', 'The current password is not correct.');
  }
  if (body.newPassword.toLowerCase() === user.login.toLowerCase()) {
    throw new ValidationFailed('The password must not be the login.', [{ in: 'body', path: 'newPassword', code: 'equals_login' }]);
  }
  const passwordHash = await hashPassword(body.newPassword);
  const updated = await updateUser(user.id, (current) => ({
    set: { passwordHash, tokensValidAfter: clock.now().getTime() },
    outbox: [passwordChangedEmail(current)],
  }));
  return { statusCode: 200, body: await issueSession(updated) };
});

/** The licenses assigned to me (SPEC §3.5): one entry per subscription. */
const licenses = httpHandler({}, async ({ caller }) => {
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

import type { Subscription } from '#data/subscriptions.ts';
import type { Caller } from '#platform/caller.ts';
import { Forbidden } from '#platform/errors.ts';
import { authorize } from '#platform/scope.ts';

/** Who may see and change a subscription (docs/product.md#subscriptions-and-licenses): a self-service one is its buyer's. */
const isBuyer = (caller: Caller, s: Subscription | undefined) => Boolean(s?.selfService && s.accountId === caller.accountId && s.buyer.userId === caller.userId);

/** Who may change a subscription: its buyer when self-service; otherwise the admins in scope. */
export function authorizeChange(caller: Caller, s: Subscription | undefined): Subscription {
  if (isBuyer(caller, s)) return s!;
  const found = authorize(caller, s, 'manage');
  if (found.selfService) throw new Forbidden('A self-service subscription is managed by the user who bought it.');
  return found;
}

export function authorizeRead(caller: Caller, s: Subscription | undefined): Subscription {
  return isBuyer(caller, s) ? s! : authorize(caller, s, 'view');
}

import { getAccount } from '#data/accounts.ts';
import { getOrder, moveOrder, releaseOf } from '#data/orders.ts';
import { listActiveAdmins } from '#data/users.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { isFinal } from '#domain/order-status.ts';
import { countEvent } from '#platform/logger.ts';
import { workflowTask } from './task.ts';
import { refundPendingCharge } from '#data/charges.ts';

const SYSTEM = { system: 'order-workflow' };

/** The reason a person can read, from a Step Functions error (a Lambda error's Cause is JSON). */
export function reasonOf(error: { Error?: string; Cause?: string } | undefined): string {
  const cause = error?.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string' && parsed.errorMessage) return parsed.errorMessage;
  } catch {
    // not JSON: the cause is the reason
  }
  return cause || error?.Error || 'The order could not be fulfilled.';
}

/**
 * Any status → failed with its reason: what the order reserved is released and each distributor
 * admin gets the order-failed email in the same transaction; the card charge that paid it is
 * refunded. A cancelled or finished order is left alone. Also used when an order's workflow could
 * not be started at all (workflow/start.ts).
 */
export async function failOrder(orderId: string, reasonText: string): Promise<{ status: string }> {
  const order = await getOrder(orderId, true);
  if (!order || isFinal(order.status)) return { status: order?.status ?? 'missing' };
  const reason = reasonText.slice(0, 1000);
  const [account, admins] = await Promise.all([getAccount(order.accountId), listActiveAdmins(order.rootId)]);
  const moved = await moveOrder(order.id, 'failed', SYSTEM, {
    from: ['new', 'open', 'provisioning'],
    reason,
    set: { failureReason: reason },
    // A failed order no longer waits for its workflow to start (jobs/unstarted-orders.ts).
    clear: ['taskToken', 'waitingAt', 'dueKey', 'dueSort'],
    ...(await releaseOf(order)),
    outbox: admins.map((admin) =>
      outboxEmail(
        'order-failed',
        recipientOf(admin),
        { orderNumber: order.number, accountName: account?.name ?? order.accountId, reason, portalUrl: env.portalUrl() },
      ),
    ),
  });
  // It moved on meanwhile (completed, cancelled): nothing of it is undone, nothing refunded.
  if (!moved) return { status: (await getOrder(orderId, true))?.status ?? 'missing' };
  // The charges that paid it (its own, and its invoice's if paid apart) are refunded (idempotent at
  // the gateway); if the gateway cannot be reached, the pending charges the move recorded are
  // retried by jobs/unstarted-orders.ts.
  for (const reference of moved.owed) await refundPendingCharge(reference);
  countEvent('OrderFailed', { type: order.type });
  return { status: 'failed' };
}

export const handler = workflowTask('fail', async (input: { orderId: string; error?: { Error?: string; Cause?: string } }) =>
  failOrder(input.orderId, reasonOf(input.error)),
);

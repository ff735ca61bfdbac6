import { failOrder } from '#services/order-lifecycle.ts';
import { workflowTask } from './task.ts';

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

/** Any status → failed with the reason Step Functions caught (services/order-lifecycle.ts failOrder). */
export const handler = workflowTask('fail', async (input: { orderId: string; error?: { Error?: string; Cause?: string } }) =>
  failOrder(input.orderId, reasonOf(input.error)),
);

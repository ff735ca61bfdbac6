import type { GateOutput } from '#services/order-lifecycle.ts';
import { orderFulfillment } from '#services/order-fulfillment.ts';
import { workflowTask } from './task.ts';

/**
 * Provisioning: creates the tenant when the order asks for one, then submits the subscriptions
 * (safe to retry). `gate` is what gate 2's callback carried: its move is recorded first if its
 * action has not written it yet.
 */
export const handler = workflowTask('provision', async (input: { orderId: string; gate?: GateOutput }) =>
  orderFulfillment.provision(input.orderId, input.gate),
);

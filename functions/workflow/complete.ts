import { orderFulfillment } from '#services/order-fulfillment.ts';
import { workflowTask } from './task.ts';

/**
 * provisioning → completed: the subscriptions become active on the domain, the domain is active,
 * and the order-completed email to each customer admin is written in the same transaction.
 */
export const handler = workflowTask('complete', async (input: { orderId: string }) => orderFulfillment.complete(input.orderId));

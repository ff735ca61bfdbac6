import { orderFulfillment } from '#services/order-fulfillment.ts';
import { workflowTask } from './task.ts';

/** Automatic processing: new → open → provisioning, both recorded with the system as actor. */
export const handler = workflowTask('advance', async (input: { orderId: string }) => orderFulfillment.advance(input.orderId));

import { orderFulfillment } from '#services/order-fulfillment.ts';
import { workflowTask } from './task.ts';

/** One status check of the vendor request; the count keeps the workflow's poll loop bounded. */
export const handler = workflowTask('check-provisioning', async (input: { orderId: string; requestId: string; checks: number }) =>
  orderFulfillment.checkProvisioning(input.requestId, input.checks),
);

import { getOrder, moveOrder } from '#data/orders.ts';
import { OrderNotActionable, workflowTask } from './task.ts';
import { domainReady } from '#services/order-lifecycle.ts';

const SYSTEM = { system: 'order-workflow' };

/** Automatic processing: new → open → provisioning, both recorded with the system as actor. */
export const handler = workflowTask('advance', async (input: { orderId: string }) => {
  let order = await getOrder(input.orderId, true);
  if (order?.status === 'new') order = (await moveOrder(input.orderId, 'open', SYSTEM, { from: ['new'] })) ?? (await getOrder(input.orderId, true));
  if (order?.status === 'open') order = (await moveOrder(input.orderId, 'provisioning', SYSTEM, { from: ['open'] })) ?? (await getOrder(input.orderId, true));
  if (order?.status !== 'provisioning') throw new OrderNotActionable(`Order ${input.orderId} is ${order?.status ?? 'missing'}.`);
  return { status: order.status, domainReady: await domainReady(order.domainId) };
});

import { getOrder, parkTaskToken, unparkTaskToken } from '#data/orders.ts';
import { domainReady } from '#services/order-lifecycle.ts';
import { OrderNotActionable, workflowTask } from './task.ts';
import { recordGateMove, type GateOutput } from '#services/order-lifecycle.ts';

/**
 * Gate 1 (`open`) and gate 2 (`provision`): parks the task token on the order; the staff action
 * (POST /v1/orders/{id}/open or /provision) moves the order and resumes the workflow with it.
 */
/** The domain was accepted before or while the order parked: the workflow goes on without waiting. */
export class DomainReady extends Error {
  constructor() {
    super('The partner relationship is accepted.');
    this.name = 'DomainReady';
  }
}

export const handler = workflowTask(
  'await-gate',
  async (input: { orderId: string; gate: 'open' | 'provision' | 'partner'; taskToken: string; workflow?: { gate?: GateOutput } }) => {
    // The previous gate's move, if its action has not written it yet (services/order-lifecycle.ts).
    await recordGateMove(input.orderId, input.workflow?.gate);
    if (input.gate === 'partner') {
      const order = await getOrder(input.orderId, true);
      if (order && (await domainReady(order.domainId))) throw new DomainReady();
      if (await parkTaskToken(input.orderId, 'partner', input.taskToken)) {
        // Accepted between the check and the parking: take the token back and go on.
        if (order && (await domainReady(order.domainId))) {
          await unparkTaskToken(input.orderId, input.taskToken);
          throw new DomainReady();
        }
        return { parked: 'partner' };
      }
    } else if (await parkTaskToken(input.orderId, input.gate, input.taskToken)) return { parked: input.gate };
    const order = await getOrder(input.orderId, true);
    throw new OrderNotActionable(`Order ${input.orderId} is ${order?.status ?? 'missing'}, not waiting at gate ${input.gate}.`);
  },
);

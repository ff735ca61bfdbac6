import type { GateOutput } from '#services/order-lifecycle.ts';
import { orderFulfillment } from '#services/order-fulfillment.ts';
import { workflowTask } from './task.ts';

/**
 * Gate 1 (`open`), gate 2 (`provision`) and the partner gate: parks the task token on the order;
 * the staff action (POST /v1/orders/{id}/open or /provision) or the partner acceptance resumes the
 * workflow with it. `workflow.gate` is what the previous gate's callback carried: its move is
 * recorded here if its action has not written it yet.
 */
export const handler = workflowTask(
  'await-gate',
  async (input: { orderId: string; gate: 'open' | 'provision' | 'partner'; taskToken: string; workflow?: { gate?: GateOutput } }) =>
    orderFulfillment.parkAtGate(input.orderId, input.gate, input.taskToken, input.workflow?.gate),
);

import { moveOrder } from '#data/orders.ts';
import type { StatusChange } from '#domain/order-status.ts';

/** What a staff gate's callback carries (POST /v1/orders/{id}/open|provision). */
export interface GateOutput {
  gate?: string;
  by?: StatusChange['by'];
  domainReady?: boolean;
}

/**
 * The gate action sends the callback first and moves the order after it, so the workflow may run
 * on before that move is written (or the process that sends it stops in between). The task after a
 * gate records the move itself, with the actor the callback carried; whichever of the two writes
 * it first wins, the other finds the order moved (a conditional, idempotent move).
 */
export async function recordGateMove(orderId: string, gate: GateOutput | undefined): Promise<void> {
  if (!gate?.by) return;
  if (gate.gate === 'open') await moveOrder(orderId, 'open', gate.by, { from: ['new'] });
  if (gate.gate === 'provision') await moveOrder(orderId, 'provisioning', gate.by, { from: ['open'] });
}

import { db } from '../functions/data/entities.ts';
import type { Order } from '../functions/data/orders.ts';
import { ensureWorkflow, type WorkflowState } from '../functions/services/order-lifecycle.ts';

/**
 * At start, the local Step Functions service knows no execution (it keeps them in memory), so
 * every order still in progress (`new`, `open`, `provisioning`) whose recorded execution it does
 * not know is resumed from its stored status — through `ensureWorkflow`, the code a gate action
 * runs in AWS when it finds an execution gone (functions/services/order-lifecycle.ts). An order
 * with no recorded execution is left to the unstartedOrders job (decision 53). The scan is
 * local-only.
 */
export async function resumeOrderWorkflows(log: (line: string) => void): Promise<Record<WorkflowState, number>> {
  const found = await db()
    .entities.order.scan.where((a, op) => `(${op.eq(a.status, 'new')} OR ${op.eq(a.status, 'open')} OR ${op.eq(a.status, 'provisioning')}) AND ${op.exists(a.executionArn)}`)
    .go({ pages: 'all' });
  const counts: Record<WorkflowState, number> = { running: 0, resumed: 0, final: 0, unstarted: 0 };
  const orders = found.data as Order[];
  // A few at a time: each is a read, a describe, a start and a write.
  for (let i = 0; i < orders.length; i += 10) {
    const states = await Promise.all(
      orders.slice(i, i + 10).map((order) =>
        ensureWorkflow(order.id).catch((err: Error) => {
          log(`  could not resume the workflow of ${order.id}: ${err.message}`);
          return undefined;
        }),
      ),
    );
    for (const state of states) if (state) counts[state] += 1;
  }
  return counts;
}

/**
 * `npx tsx tools/order-resume.ts <orderId>…`: the operator's way to give an order in progress whose
 * workflow execution is gone (stopped, timed out, failed without failing the order) a new one, from
 * its stored status (docs/operations.md "A stuck order"). It runs `ensureWorkflow`, the very code a
 * gate action runs when it finds the execution gone (functions/services/order-lifecycle.ts): it does
 * nothing to an order whose execution runs, that is final, or whose start was never recorded (the
 * unstartedOrders job's), and records the new execution only if the order still names the old one.
 *
 * Against AWS: TABLE_NAME, STATE_MACHINE_ARN and AWS_REGION (or a profile) of the environment.
 * Against `npm start`: also AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_SFN.
 */
import { pathToFileURL } from 'node:url';
import { ensureWorkflow, type WorkflowState } from '../functions/services/order-lifecycle.ts';

const ORDER_ID = /^ord_[0-9A-HJKMNP-TV-Z]{26}$/;

const SAYS: Record<WorkflowState, string> = {
  resumed: 'resumed: a new execution starts from its stored status',
  running: 'left alone: its execution is running',
  final: 'left alone: it is final (or not found)',
  unstarted: 'left alone: its workflow start was never recorded (the unstartedOrders job settles it)',
};

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  if (argv.length === 0 || argv.some((id) => !ORDER_ID.test(id))) {
    out('Usage: TABLE_NAME=… STATE_MACHINE_ARN=… npx tsx tools/order-resume.ts <orderId> [<orderId>…]  (ids like ord_01J…)');
    return 2;
  }
  for (const name of ['TABLE_NAME', 'STATE_MACHINE_ARN']) {
    if (!process.env[name]) {
      out(`${name} is not set (the environment's table and order workflow; see docs/operations.md "A stuck order")`);
      return 2;
    }
  }
  let failed = 0;
  for (const orderId of argv) {
    try {
      out(`${orderId}: ${SAYS[await ensureWorkflow(orderId)]}`);
    } catch (err) {
      failed++;
      out(`${orderId}: failed: ${(err as Error).message}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

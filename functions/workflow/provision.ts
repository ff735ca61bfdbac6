import { db } from '#data/entities.ts';
import { getDomain } from '#data/domains.ts';
import { getOrder, setVendorRequest } from '#data/orders.ts';
import { getVendor } from '#platform/vendor/index.ts';
import { VendorPermanentError, type Company } from '#platform/vendor/index.ts';
import { OrderNotActionable, workflowTask } from './task.ts';
import { recordGateMove, type GateOutput } from '#services/order-lifecycle.ts';

/**
 * Provisioning: creates the tenant when the order asks for one, then submits the subscriptions.
 * Safe to retry: the tenant is created once per domain and the submission is keyed by the order;
 * an order that already has a vendor request (a resumed execution) is not submitted again.
 */
export const handler = workflowTask('provision', async (input: { orderId: string; gate?: GateOutput }) => {
  // Gate 2's move, if its action has not written it yet (services/order-lifecycle.ts).
  await recordGateMove(input.orderId, input.gate);
  const order = await getOrder(input.orderId, true);
  if (!order || order.status !== 'provisioning') throw new OrderNotActionable(`Order ${input.orderId} is ${order?.status ?? 'missing'}.`);
  if (order.vendorRequestId) return { requestId: order.vendorRequestId };
  const domain = await getDomain(order.domainId, true);
  if (!domain) throw new VendorPermanentError(`The domain of order ${order.number} is missing.`);
  const vendor = getVendor();
  let tenantId = domain.tenantId;
  if (!tenantId) {
    if (domain.mode !== 'create') throw new VendorPermanentError(`The domain ${domain.domain} has no tenant.`);
    const tenant = await vendor.createTenant({ prefix: domain.domain.split('.')[0]!, company: domain.company as Company });
    tenantId = tenant.tenantId;
    // The generated tenant admin password is not kept: the customer resets it through Microsoft.
    await db().entities.domain.patch({ id: domain.id }).set({ tenantId }).go();
  }
  const { requestId } = await vendor.submit({
    reference: order.id,
    tenantId,
    domain: domain.domain,
    // A sales line creates; a change sets the new total; a cancellation cancels.
    items: order.lines.map((l) => ({ sku: l.sku, quantity: l.newQuantity ?? l.quantity, action: l.action ?? ('create' as const), subscriptionId: l.subscriptionId })),
  });
  await setVendorRequest(order.id, requestId);
  return { requestId };
});

import * as accountRepo from '#data/accounts.ts';
import * as catalogRepo from '#data/catalog.ts';
import * as domainRepo from '#data/domains.ts';
import * as orderRepo from '#data/orders.ts';
import * as userRepo from '#data/users.ts';
import { subscriptionActivation } from '#data/orders.ts';
import { cancellationWindowOf, nextBillingDate } from '#domain/subscription-rules.ts';
import { isoDate, termEnd, type Term } from '#domain/terms.ts';
import { trialEnd } from '#domain/trials.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { clock } from '#platform/clock.ts';
import { env } from '#platform/env.ts';
import { countEvent } from '#platform/logger.ts';
import { getVendor, VendorPermanentError, type Company, type Vendor } from '#platform/vendor/index.ts';
import { orderLifecycle, type GateOutput, type OrderLifecycle } from './order-lifecycle.ts';
import { completedEmailLines } from '#domain/upgrades.ts';

/**
 * What the order workflow's tasks do (statemachines/order-fulfillment.asl.json): move an automatic
 * order through the gates, park a token at a gate, provision with the vendor, and complete. The
 * task handlers of workflow/ call these; the errors keep the names Step Functions matches on.
 */

/** The order changed under the workflow (cancelled meanwhile, say): nothing to retry. */
export class OrderNotActionable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrderNotActionable';
  }
}

/** The domain was accepted before or while the order parked: the workflow goes on without waiting. */
export class DomainReady extends Error {
  constructor() {
    super('The partner relationship is accepted.');
    this.name = 'DomainReady';
  }
}

export interface OrderFulfillmentDeps {
  orders: Pick<typeof orderRepo, 'getOrder' | 'moveOrder' | 'parkTaskToken' | 'unparkTaskToken' | 'setVendorRequest'>;
  accounts: Pick<typeof accountRepo, 'getAccount'>;
  users: Pick<typeof userRepo, 'listActiveAdmins'>;
  domains: Pick<typeof domainRepo, 'getDomain' | 'setDomainStatus'>;
  catalog: Pick<typeof catalogRepo, 'getProduct'>;
  lifecycle: Pick<OrderLifecycle, 'domainReady' | 'recordGateMove'>;
  vendor: () => Pick<Vendor, 'createTenant' | 'submit' | 'status'>;
  clock: { now(): Date };
}

const SYSTEM = { system: 'order-workflow' };

export function makeOrderFulfillment(deps: OrderFulfillmentDeps) {
  const { orders, lifecycle } = deps;
  const notActionable = (orderId: string, status: string | undefined) => new OrderNotActionable(`Order ${orderId} is ${status ?? 'missing'}.`);

  /** Automatic processing: new → open → provisioning, both recorded with the system as actor. */
  async function advance(orderId: string): Promise<{ status: 'provisioning'; domainReady: boolean }> {
    let order = await orders.getOrder(orderId, true);
    if (order?.status === 'new') order = (await orders.moveOrder(orderId, 'open', SYSTEM, { from: ['new'] })) ?? (await orders.getOrder(orderId, true));
    if (order?.status === 'open') order = (await orders.moveOrder(orderId, 'provisioning', SYSTEM, { from: ['open'] })) ?? (await orders.getOrder(orderId, true));
    if (order?.status !== 'provisioning') throw notActionable(orderId, order?.status);
    return { status: order.status, domainReady: await lifecycle.domainReady(order.domainId) };
  }

  /**
   * Gate 1 (`open`), gate 2 (`provision`) and the partner gate: parks the task token on the order;
   * the staff action (or the partner acceptance) resumes the workflow with it. The previous gate's
   * move is recorded first if its action has not written it yet (recordGateMove). At the partner
   * gate a domain accepted before or while parking goes on at once (DomainReady).
   */
  async function parkAtGate(orderId: string, gate: 'open' | 'provision' | 'partner', taskToken: string, previous?: GateOutput): Promise<{ parked: string }> {
    await lifecycle.recordGateMove(orderId, previous);
    if (gate === 'partner') {
      const order = await orders.getOrder(orderId, true);
      if (order && (await lifecycle.domainReady(order.domainId))) throw new DomainReady();
      if (await orders.parkTaskToken(orderId, 'partner', taskToken)) {
        // Accepted between the check and the parking: take the token back and go on.
        if (order && (await lifecycle.domainReady(order.domainId))) {
          await orders.unparkTaskToken(orderId, taskToken);
          throw new DomainReady();
        }
        return { parked: 'partner' };
      }
    } else if (await orders.parkTaskToken(orderId, gate, taskToken)) return { parked: gate };
    const order = await orders.getOrder(orderId, true);
    throw new OrderNotActionable(`Order ${orderId} is ${order?.status ?? 'missing'}, not waiting at gate ${gate}.`);
  }

  /**
   * Provisioning: creates the tenant when the order asks for one, then submits the subscriptions.
   * Safe to retry: the tenant is created once per domain and the submission is keyed by the order;
   * an order that already has a vendor request (a resumed execution) is not submitted again.
   */
  async function provision(orderId: string, gate?: GateOutput): Promise<{ requestId: string }> {
    // Gate 2's move, if its action has not written it yet.
    await lifecycle.recordGateMove(orderId, gate);
    const order = await orders.getOrder(orderId, true);
    if (!order || order.status !== 'provisioning') throw notActionable(orderId, order?.status);
    if (order.vendorRequestId) return { requestId: order.vendorRequestId };
    const domain = await deps.domains.getDomain(order.domainId, true);
    if (!domain) throw new VendorPermanentError(`The domain of order ${order.number} is missing.`);
    const vendor = deps.vendor();
    let tenantId = domain.tenantId;
    if (!tenantId) {
      if (domain.mode !== 'create') throw new VendorPermanentError(`The domain ${domain.domain} has no tenant.`);
      const tenant = await vendor.createTenant({ prefix: domain.domain.split('.')[0]!, company: domain.company as Company });
      tenantId = tenant.tenantId;
      // The generated tenant admin password is not kept: the customer resets it through Microsoft.
      await deps.domains.setDomainStatus(domain.id, { status: domain.status, tenantId });
    }
    const { requestId } = await vendor.submit({
      reference: order.id,
      tenantId,
      domain: domain.domain,
      // A sales line creates; a change sets the new total; a cancellation cancels.
      items: order.lines.map((l) => ({ sku: l.sku, quantity: l.newQuantity ?? l.quantity, action: l.action ?? ('create' as const), subscriptionId: l.subscriptionId })),
    });
    await orders.setVendorRequest(order.id, requestId);
    return { requestId };
  }

  /** One status check of the vendor request; the count keeps the workflow's poll loop bounded. */
  async function checkProvisioning(requestId: string, checks: number) {
    const result = await deps.vendor().status(requestId);
    return { requestId, checks: checks + 1, status: result.status, reason: result.status === 'failed' ? result.reason : null };
  }

  /**
   * provisioning → completed: the subscriptions become active on the domain, the domain is
   * active, and the order-completed email to each customer admin is written in the same
   * transaction. A change was applied to its subscription when placed; a cancellation ends its
   * subscription now and sends no email.
   */
  async function complete(orderId: string): Promise<{ status: 'completed' }> {
    const order = await orders.getOrder(orderId, true);
    if (order?.status === 'completed') return { status: 'completed' };
    if (!order || order.status !== 'provisioning') throw notActionable(orderId, order?.status);
    const [account, admins] = await Promise.all([deps.accounts.getAccount(order.accountId), deps.users.listActiveAdmins(order.accountId)]);
    const now = deps.clock.now();
    const today = isoDate(now);
    const subscriptions =
      order.type === 'change' || order.type === 'renewal'
        ? []
        : order.type === 'cancellation'
          ? order.lines.map((line) => ({ id: line.subscriptionId, set: { status: 'cancelled' as const } }))
          : await Promise.all(
              order.lines.map(async (line) => {
                const term = line.term as Term;
                const product = await deps.catalog.getProduct(line.productId);
                // A co-termed line's first term ends on its day and was billed whole, by days, when placed
                // (domain/coterm.ts); its renewal is a full term billed as usual.
                const coTermed = line.firstTermEnd !== undefined && line.firstTermEnd >= today;
                return subscriptionActivation(line.subscriptionId, {
                  startDate: today,
                  // A trial's term is its days, free; the renewals job converts it (docs/product.md#trials-and-qualifications).
                  termEnd: line.trial ? trialEnd(today, line.trial.days) : coTermed ? line.firstTermEnd! : termEnd(today, term),
                  // Monthly billing within a longer term is billed again at the start of each next month.
                  nextBillingDate: coTermed || line.trial ? undefined : nextBillingDate(today, term, line.billingPeriod as 'monthly' | 'annual', today),
                  // Tagged with the order: a credit note for these licenses corrects its invoice (docs/commerce.md).
                  cancellationWindows: cancellationWindowOf(product, now.toISOString(), line.quantity, order.id),
                });
              }),
            );
    const moved = await orders.moveOrder(order.id, 'completed', SYSTEM, {
      from: ['provisioning'],
      subscriptions,
      domain: order.domain.mode === 'create' ? { id: order.domainId, set: { status: 'active' as const } } : undefined,
      // The email lists what the customer now has: a change shows the new total.
      outbox: (order.type === 'cancellation' ? [] : admins).map((admin) =>
        outboxEmail('order-completed', recipientOf(admin), {
          orderNumber: order.number,
          accountName: account?.name ?? order.accountId,
          domain: order.domain.domain,
          // An upgrade lists what the licenses became and says what they were (domain/upgrades.ts).
          ...completedEmailLines(order.lines),
          portalUrl: env.portalUrl(),
        }, { accountId: order.accountId }),
      ),
    });
    if (!moved) {
      const again = await orders.getOrder(orderId, true);
      if (again?.status === 'completed') return { status: 'completed' };
      throw notActionable(orderId, again?.status);
    }
    countEvent('OrderCompleted', { type: order.type });
    return { status: 'completed' };
  }

  return { advance, parkAtGate, provision, checkProvisioning, complete };
}

export const orderFulfillment = makeOrderFulfillment({
  orders: orderRepo,
  accounts: accountRepo,
  users: userRepo,
  domains: domainRepo,
  catalog: catalogRepo,
  lifecycle: orderLifecycle,
  vendor: getVendor,
  clock,
});

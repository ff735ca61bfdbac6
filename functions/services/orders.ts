import * as accountRepo from '#data/accounts.ts';
import * as catalogRepo from '#data/catalog.ts';
import * as chargeRepo from '#data/charges.ts';
import * as domainRepo from '#data/domains.ts';
import * as invoiceRepo from '#data/invoices.ts';
import * as orderRepo from '#data/orders.ts';
import * as paymentMethodRepo from '#data/payment-methods.ts';
import * as requestKeyRepo from '#data/request-keys.ts';
import * as userRepo from '#data/users.ts';
import type { Account, CustomerAgreement } from '#data/accounts.ts';
import type { NewDomain, NewSubscription, Order, OrderLine } from '#data/orders.ts';
import type { RequestKey } from '#data/request-keys.ts';
import { runsAutomatically } from '#domain/accounts.ts';
import { dueDate } from '#domain/billing.ts';
import { sum, times } from '#domain/money.ts';
import type { Caller } from '#platform/caller.ts';
import { actorOf } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { AppError, BusinessRuleRefused, Conflict, Forbidden, NotFound } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { countEvent } from '#platform/logger.ts';
import { PaymentDeclinedError, PaymentUnconfirmedError, type PaymentGateway } from '#platform/payments/port.ts';
import { getPaymentGateway } from '#platform/payments/sandbox.ts';
import { askVendor } from '#platform/vendor/index.ts';
import type { Company } from '#platform/vendor/port.ts';
import { refundPendingCharge } from '#services/payments.ts';
import { orderLifecycle, type OrderLifecycle } from './order-lifecycle.ts';
import { pricer, type Pricer } from './prices.ts';
import { invoicing, type Invoicing } from './invoicing.ts';
import type { InvoiceLine } from '#data/invoices.ts';

/**
 * Places a sales order for a customer account (docs/product.md#orders-and-the-fulfillment-workflow, docs/product.md#orders): validates everything before
 * anything is written, then writes the order with what it reserves in one transaction and starts
 * its workflow.
 */
export interface PlaceOrderInput {
  lines: Array<{ offerId: string; quantity: number }>;
  domain: { mode: 'create'; prefix: string; company: Company } | { mode: 'existing'; domainId: string };
  customerAgreement?: { firstName: string; lastName: string; email: string; acceptedAt: string };
  /** Asked for: the account's `orderProcessing` (checkout) or `autoProcess` (staff); a suspended account's orders wait whatever is asked. */
  automatic: boolean;
  /** A card is charged now; `invoice` (or none, for staff orders) leaves the invoice unpaid. */
  paymentMethodId?: string;
  /** Bought by a customer `user` for itself (docs/product.md#subscriptions-and-licenses). */
  selfService?: boolean;
  /** The cart the lines came from, emptied with the order. */
  cart?: { userId: string; items: Array<{ id: string; quantity: number }> };
  /** The request's Idempotency-Key: written with the order (data/request-keys.ts). */
  requestKey?: RequestKey;
}

const DOMAIN_SUFFIX = '.onmicrosoft.com';

export interface OrderServiceDeps {
  orders: Pick<typeof orderRepo, 'insertOrder' | 'nextOrderNumber'>;
  /** Whether the account (or one above it) is suspended: its orders then wait at the staff gates. */
  accounts: Pick<typeof accountRepo, 'suspendedAccountOn'>;
  invoices: Pick<typeof invoiceRepo, 'withInvoiceNumber'>;
  /** Who issues the invoice and how it is taxed (services/invoicing.ts). */
  invoicing: () => Pick<Invoicing, 'taxed'>;
  catalog: Pick<typeof catalogRepo, 'getOffer' | 'getProduct'>;
  domains: Pick<typeof domainRepo, 'getDomain' | 'isDomainNameHeld'>;
  users: Pick<typeof userRepo, 'getUser'>;
  paymentMethods: Pick<typeof paymentMethodRepo, 'getPaymentMethod'>;
  charges: Pick<typeof chargeRepo, 'recordPendingCharge' | 'clearPendingCharge'>;
  requestKeys: Pick<typeof requestKeyRepo, 'releaseRequestKey'>;
  payments: { refundPendingCharge: (reference: string) => Promise<boolean> };
  gateway: () => Pick<PaymentGateway, 'charge'>;
  /** Whether the vendor still has the domain prefix free (a vendor timeout is a 503 try_again). */
  domainAvailable: (prefix: string) => Promise<boolean>;
  lifecycle: Pick<OrderLifecycle, 'startOrFail'>;
  /** Prices the lines (services/prices.ts): one pricer per placement. */
  pricer: () => Pick<Pricer, 'unit'>;
  clock: { now(): Date; nowIso(): string };
  newId: typeof newId;
}

export function makeOrderService(deps: OrderServiceDeps) {
  const { orders, catalog, clock } = deps;

  /**
   * Validates everything before anything is written (caller, account, payment method, lines priced
   * from the catalog, agreement, domain), charges a card, writes the order with what it reserves in
   * one transaction, and starts its workflow.
   */
  async function placeOrder(caller: Caller, account: Account, input: PlaceOrderInput): Promise<Order> {
    if (caller.actorUserId && input.customerAgreement) throw new Forbidden('The customer accepts the agreement itself, not through "log in as".');
    if (account.type !== 'customer') throw new BusinessRuleRefused('not_a_customer', 'Orders are placed for customer accounts.');
    const paymentMethod = input.paymentMethodId ? await usablePaymentMethod(account.id, input.paymentMethodId) : undefined;

    const seen = new Set<string>();
    const resolved = [];
    const prices = deps.pricer();
    const today = clock.nowIso().slice(0, 10);
    for (const [i, line] of input.lines.entries()) {
      if (seen.has(line.offerId)) {
        throw new BusinessRuleRefused('duplicate_offer', 'Each offer appears once; give the total quantity.', [{ path: `lines.${i}.offerId` }]);
      }
      seen.add(line.offerId);
      const offer = await catalog.getOffer(line.offerId);
      const product = offer && (await catalog.getProduct(offer.productId));
      if (!offer || !product || product.status !== 'active') {
        throw new BusinessRuleRefused('offer_unavailable', 'This offer is not available.', [{ path: `lines.${i}.offerId` }]);
      }
      if (line.quantity < product.minQuantity || line.quantity > product.maxQuantity) {
        throw new BusinessRuleRefused('quantity_out_of_range', `${product.name} is sold in quantities of ${product.minQuantity} to ${product.maxQuantity}.`, [
          { path: `lines.${i}.quantity`, min: product.minQuantity, max: product.maxQuantity },
        ]);
      }
      // The price in effect today down the chain (services/prices.ts); refused with the line's path.
      const priced = await prices.unit(account, offer, product.category, today, `lines.${i}.offerId`);
      resolved.push({ line, offer, product, priced });
    }

    const agreementNeeded = !account.customerAgreement;
    if (agreementNeeded && !input.customerAgreement) {
      throw new BusinessRuleRefused('customer_agreement_required', 'The Microsoft Customer Agreement must be accepted first.', [{ path: 'customerAgreement' }]);
    }

    let domainName: string;
    let domainId: string;
    let newDomain: NewDomain | undefined;
    if (input.domain.mode === 'create') {
      domainName = `${input.domain.prefix}${DOMAIN_SUFFIX}`;
      if ((await deps.domains.isDomainNameHeld(domainName)) || !(await deps.domainAvailable(input.domain.prefix))) {
        throw new Conflict('domain_taken', `The domain ${domainName} is already taken.`, [{ path: 'domain.prefix' }]);
      }
      domainId = deps.newId('domain');
      newDomain = { id: domainId, domain: domainName, mode: 'create', company: input.domain.company };
    } else {
      const domain = await deps.domains.getDomain(input.domain.domainId);
      if (!domain || domain.accountId !== account.id) throw new NotFound('No such domain on this account.');
      if (domain.status === 'failed') throw new Conflict('invalid_state', 'This domain could not be created; choose another.');
      domainName = domain.domain;
      domainId = domain.id;
    }

    const orderId = deps.newId('order');
    const invoiceId = deps.newId('invoice');
    const [buyerUser, suspendedAccount] = await Promise.all([deps.users.getUser(caller.userId), deps.accounts.suspendedAccountOn(account.accountPath)]);
    const buyer = { userId: caller.userId, name: buyerUser ? `${buyerUser.firstName} ${buyerUser.lastName}` : caller.userId };
    const subscriptions: NewSubscription[] = [];
    const lines: OrderLine[] = resolved.map(({ line, offer, product, priced }) => {
      const subscriptionId = deps.newId('subscription');
      // What the order line and the subscription it creates both say of the offer bought.
      const bought = {
        productId: product.id,
        offerId: offer.id,
        sku: product.sku,
        name: product.name,
        term: offer.term,
        billingPeriod: offer.billingPeriod,
        quantity: line.quantity,
        unitPrice: priced.unitPrice,
        unitChain: priced.chain,
      };
      subscriptions.push({ id: subscriptionId, ...bought, buyer });
      return { ...bought, total: times(priced.unitPrice, line.quantity), subscriptionId };
    });

    const now = clock.nowIso();
    const by = actorOf(caller);
    const agreement: CustomerAgreement | undefined =
      agreementNeeded && input.customerAgreement ? { ...input.customerAgreement, recordedAt: now, recordedBy: by.userId } : undefined;
    const net = sum(lines.map((l) => l.total), account.settings.currency);
    const invoiceLines: InvoiceLine[] = lines.map((l) => ({
      description: `${l.name} (${l.term}, billed ${l.billingPeriod})`,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: l.total,
      subscriptionId: l.subscriptionId,
      ...(l.unitChain ? { chain: l.unitChain } : {}),
    }));
    // The seller's invoice, taxed (services/invoicing.ts): the card pays its gross.
    const taxed = await deps.invoicing().taxed(account, invoiceLines, net.currency, now.slice(0, 10));
    const total = taxed.total;

    // Everything is valid: charge the card (a decline leaves nothing behind), then write. The
    // pending charge recorded first is what gets a charge without its order refunded (data/charges.ts).
    const chargeReference = paymentMethod?.type === 'card' ? orderId : undefined;
    let chargeId: string | undefined;
    const charged = paymentMethod?.type === 'card' && total.amount > 0;
    if (charged) {
      await deps.charges.recordPendingCharge({ reference: orderId, accountId: account.id, amount: total });
      try {
        chargeId = (await deps.gateway().charge({ token: paymentMethod.gatewayToken!, amount: total.amount, currency: total.currency, reference: orderId })).chargeId;
      } catch (err) {
        if (err instanceof PaymentDeclinedError) {
          await deps.charges.clearPendingCharge(orderId);
          throw new AppError(402, 'payment_declined', 'The card was declined; nothing was ordered.', [{ reason: err.reason }]);
        }
        // Unconfirmed, or the processor unreachable: the charge may stand; it is refunded, now or by the job.
        await deps.payments.refundPendingCharge(orderId);
        if (err instanceof PaymentUnconfirmedError) {
          // An AppError, not a TransientError: its message is the client's (a TransientError shows a generic one).
          throw new AppError(503, 'try_again', 'The card payment could not be confirmed; nothing was ordered, and any amount taken is refunded. Try again.');
        }
        throw err;
      }
    }

    let order: Order;
    try {
      const number = await orders.nextOrderNumber();
      order = await deps.invoices.withInvoiceNumber(taxed.sellerId, (invoiceNumber, seat) => orders.insertOrder({
        seat,
        order: {
          id: orderId,
          number,
          accountId: account.id,
          parentId: account.parentId ?? account.id,
          rootId: account.rootId,
          accountPath: account.accountPath,
          type: 'sales',
          status: 'new',
          statusHistory: [{ status: 'new', at: now, by }],
          lines,
          total: net,
          domain: { id: domainId, domain: domainName, mode: input.domain.mode },
          domainId,
          automatic: runsAutomatically({ type: 'sales', requested: input.automatic, suspended: suspendedAccount !== undefined }),
          accountName: account.name,
          subscriptionIds: subscriptions.map((s) => s.id),
          placedBy: by,
          invoiceId,
          chargeReference,
          selfService: input.selfService === true,
          createdAt: now,
        },
        account,
        subscriptions,
        newDomain,
        agreement,
        invoice: {
          id: invoiceId,
          number: invoiceNumber,
          status: chargeId || total.amount === 0 ? 'paid' : 'unpaid',
          issuedAt: now,
          dueAt: dueDate(clock.now()),
          ...taxed,
          paidAt: chargeId || total.amount === 0 ? now : undefined,
          orderId,
          paymentMethodId: paymentMethod?.id,
          chargeId,
          // The charge a void of this invoice refunds (data/orders.ts voidOf).
          ...(chargeId ? { chargeReference: orderId } : {}),
          reason: 'purchase',
          subscriptionIds: subscriptions.map((s) => s.id),
        },
        cart: input.cart,
        pendingCharge: charged ? orderId : undefined,
        requestKey: input.requestKey,
      }));
    } catch (err) {
      if (charged) await deps.payments.refundPendingCharge(orderId);
      throw err;
    }
    countEvent('OrderPlaced', { type: order.type });
    const executionArn = await deps.lifecycle.startOrFail(order).catch(async (err: unknown) => {
      // Failed at once and not kept (503 try_again): the same request sent again places a new order.
      if (input.requestKey) await deps.requestKeys.releaseRequestKey(input.requestKey, order.id);
      throw err;
    });
    return { ...order, executionArn };
  }

  /** The payment method must be the account's own, and a card must not have expired. */
  async function usablePaymentMethod(accountId: string, paymentMethodId: string) {
    const method = await deps.paymentMethods.getPaymentMethod(paymentMethodId);
    if (!method || method.accountId !== accountId) throw new NotFound('No such payment method on this account.');
    if (method.type === 'card') {
      const now = clock.now();
      const y = now.getUTCFullYear();
      const m = now.getUTCMonth() + 1;
      if (!method.gatewayToken || (method.expYear ?? 0) < y || ((method.expYear ?? 0) === y && (method.expMonth ?? 0) < m)) {
        throw new BusinessRuleRefused('card_expired', 'This card has expired; choose another payment method.', [{ path: 'paymentMethodId' }]);
      }
    }
    return method;
  }

  return { placeOrder };
}

export type OrderService = ReturnType<typeof makeOrderService>;

export const orderService = makeOrderService({
  orders: orderRepo,
  accounts: accountRepo,
  invoices: invoiceRepo,
  catalog: catalogRepo,
  domains: domainRepo,
  users: userRepo,
  paymentMethods: paymentMethodRepo,
  charges: chargeRepo,
  requestKeys: requestKeyRepo,
  payments: { refundPendingCharge },
  gateway: getPaymentGateway,
  domainAvailable: (prefix) => askVendor((v) => v.isDomainAvailable(prefix)),
  lifecycle: orderLifecycle,
  pricer,
  invoicing,
  clock,
  newId,
});

/** Places a sales order for a customer account (docs/product.md#orders-and-the-fulfillment-workflow, docs/product.md#orders): staff orders and checkout alike. */
export const { placeOrder } = orderService;

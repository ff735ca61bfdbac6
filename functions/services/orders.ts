import * as accountRepo from '#data/accounts.ts';
import * as catalogRepo from '#data/catalog.ts';
import * as chargeRepo from '#data/charges.ts';
import * as domainRepo from '#data/domains.ts';
import * as invoiceRepo from '#data/invoices.ts';
import * as orderRepo from '#data/orders.ts';
import * as paymentMethodRepo from '#data/payment-methods.ts';
import * as requestKeyRepo from '#data/request-keys.ts';
import * as subscriptionRepo from '#data/subscriptions.ts';
import * as userRepo from '#data/users.ts';
import * as clientRepo from '#data/api-clients.ts';
import * as quoteRepo from '#data/quotes.ts';
import type { Quote, QuoteLine } from '#data/quotes.ts';
import type { Account, CustomerAgreement } from '#data/accounts.ts';
import type { NewDomain, NewSubscription, Order, OrderLine } from '#data/orders.ts';
import type { RequestKey } from '#data/request-keys.ts';
import { runsAutomatically } from '#domain/accounts.ts';
import { dueDate } from '#domain/billing.ts';
import { sum, times } from '#domain/money.ts';
import { coTermPrice, coTermRefusal, endOfCalendarMonth } from '#domain/coterm.ts';
import type { Term } from '#domain/terms.ts';
import type { Caller } from '#platform/caller.ts';
import { actorOf } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, Forbidden, NotFound } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { countEvent } from '#platform/logger.ts';
import type { PaymentGateway } from '#platform/payments/port.ts';
import { getPaymentGateway } from '#platform/payments/sandbox.ts';
import { askVendor } from '#platform/vendor/index.ts';
import type { Company } from '#platform/vendor/port.ts';
import { refundPendingCharge } from '#services/payments.ts';
import { makeCardCharge } from './card-charge.ts';
import type { Qualification } from '#domain/trials.ts';
import { eligibility, type Eligibility } from './eligibility.ts';
import { orderLifecycle, type OrderLifecycle } from './order-lifecycle.ts';
import { domainService } from './domains.ts';
import type { Domain } from '#data/domains.ts';
import { pricer, type Pricer } from './prices.ts';
import { invoicing, type Invoicing, type TaxedInvoice } from './invoicing.ts';
import type { InvoiceLine } from '#data/invoices.ts';
import type { Offer, Product } from '#data/catalog.ts';
import type { Money } from '#domain/money.ts';

/**
 * Places a sales order for a customer account (docs/product.md#orders-and-the-fulfillment-workflow, docs/product.md#orders): validates everything before
 * anything is written, then writes the order with what it reserves in one transaction and starts
 * its workflow.
 */
export interface PlaceOrderInput {
  lines: Array<{ offerId: string; quantity: number }>;
  /** `link`: an existing tenant linked in the same request (services/domains.ts), or the account's domain of that name. */
  domain: { mode: 'create'; prefix: string; company: Company; qualification?: Qualification } | { mode: 'existing'; domainId: string } | { mode: 'link'; domain: string };
  /**
   * Co-terming (docs/product.md "Co-terming"): the new subscriptions' first term ends with this
   * subscription's (of the account, active, on the order's domain) or with the calendar month,
   * priced by days.
   */
  alignEndWith?: string;
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
  /**
   * A quote of the account (docs/commerce.md "Quotes"): the order is priced now, then compared with
   * it before any card is charged: 404 for another account's, 409 `quote_expired` when gone or
   * expired, 409 `price_changed` when a line, a unit price, a rate or a total differs.
   */
  quoteId?: string;
}

/** A line validated and priced today (`priceOrder`), before it has a subscription. */
export interface PricedLine {
  offer: Offer;
  product: Product;
  quantity: number;
  unitPrice: Money;
  unitChain: NonNullable<OrderLine['unitChain']>;
  /** Net. */
  total: Money;
  /** Co-termed: the first term's last day, priced by days (domain/coterm.ts). */
  firstTermEnd?: string;
}

/** Where the first terms of an order end when it is co-termed: the day, and the subscription it ends with. */
export interface Alignment {
  end: string;
  subscription?: { id: string; domainId: string };
}

/** What an order of some lines costs the account today: its lines and the seller's invoice, taxed. */
export interface PricedOrder {
  lines: PricedLine[];
  /** The invoice as it would be issued, its lines in the order of `lines` (without subscriptions). */
  taxed: TaxedInvoice;
}

/** The lines of a priced order as a quote keeps them (and as a quote is compared, services/quotes.ts). */
export function quoteLinesOf(priced: PricedOrder): QuoteLine[] {
  return priced.lines.map((l, i) => ({
    offerId: l.offer.id,
    productId: l.product.id,
    sku: l.product.sku,
    name: l.product.name,
    term: l.offer.term,
    billingPeriod: l.offer.billingPeriod,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    unitChain: l.unitChain,
    rateBps: priced.taxed.lines[i]?.rateBps ?? 0,
    total: l.total,
    ...(l.firstTermEnd ? { firstTermEnd: l.firstTermEnd } : {}),
  }));
}

const sameMoney = (a: Money, b: Money) => a.amount === b.amount && a.currency === b.currency;
const figuresOf = (l: QuoteLine) => ({ quantity: l.quantity, unitPrice: l.unitPrice, total: l.total, rateBps: l.rateBps });

/**
 * What differs between a quote and the same order priced now (docs/commerce.md "Quotes"): one detail
 * per offer whose quantity, unit price, net total or rate differs (`quoted` or `now` null for an
 * offer on one side only), then the totals; empty when nothing that the buyer pays changed.
 */
export function quoteChanges(quote: Pick<Quote, 'lines' | 'net' | 'total' | 'taxTreatment'>, now: Pick<Quote, 'lines' | 'net' | 'total' | 'taxTreatment'>): unknown[] {
  const before = new Map(quote.lines.map((l) => [l.offerId, l]));
  const after = new Map(now.lines.map((l) => [l.offerId, l]));
  const lines: unknown[] = [];
  for (const offerId of new Set([...before.keys(), ...after.keys()])) {
    const q = before.get(offerId);
    const n = after.get(offerId);
    const same = q && n && q.quantity === n.quantity && q.rateBps === n.rateBps && sameMoney(q.unitPrice, n.unitPrice) && sameMoney(q.total, n.total);
    if (!same) lines.push({ offerId, quoted: q ? figuresOf(q) : null, now: n ? figuresOf(n) : null });
  }
  const totalsSame = sameMoney(quote.net, now.net) && sameMoney(quote.total, now.total) && quote.taxTreatment === now.taxTreatment;
  if (!lines.length && totalsSame) return [];
  const totals = (t: typeof quote) => ({ net: t.net, total: t.total, taxTreatment: t.taxTreatment });
  return [...lines, { path: 'total', quoted: totals(quote), now: totals(now) }];
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
  domains: Pick<typeof domainRepo, 'getDomain' | 'isDomainNameHeld' | 'listDomains'>;
  /** The subscription an order is co-termed with. */
  subscriptions: Pick<typeof subscriptionRepo, 'getSubscription'>;
  /** Links an existing tenant to the account as `POST /v1/accounts/{id}/domains` `{mode: "link"}` does (services/domains.ts). */
  linkDomain: (caller: Caller, accountId: string, domain: string) => Promise<Domain>;
  users: Pick<typeof userRepo, 'getUser'>;
  /** An API client placing an order is its buyer, named "<name> (API client)"; absent: named by its id. */
  clients?: Pick<typeof clientRepo, 'clientNames'>;
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
  /** The quotes an order given a `quoteId` is compared with (data/quotes.ts); without them a `quoteId` cannot be honoured. */
  quotes?: Pick<typeof quoteRepo, 'getQuote'>;
  /** Qualifications and trials (services/eligibility.ts); without it an order checks neither. */
  eligibility?: Pick<Eligibility, 'approvedQualifications' | 'qualificationsOf' | 'checkLines'>;
  clock: { now(): Date; nowIso(): string };
  newId: typeof newId;
}

export function makeOrderService(deps: OrderServiceDeps) {
  const { orders, catalog, clock } = deps;
  // The payment method's checks and the charge made before the order is written, as for a raise.
  const cards = makeCardCharge({ methods: deps.paymentMethods, charges: deps.charges, gateway: deps.gateway, refundPendingCharge: deps.payments.refundPendingCharge, clock });

  /**
   * Validates the lines and prices them as an order placed now would be (docs/commerce.md "Which
   * list prices an order", "Tax"): a customer account, each offer once, available, in a quantity its
   * product allows, priced down the chain in the account's currency on `day`; then the seller's
   * invoice, taxed. Writes nothing: placing an order and quoting one both start here.
   */
  async function priceOrder(account: Account, input: Pick<PlaceOrderInput, 'lines'> & { alignment?: Alignment }, day = clock.nowIso().slice(0, 10)): Promise<PricedOrder> {
    if (account.type !== 'customer') throw new BusinessRuleRefused('not_a_customer', 'Orders are placed for customer accounts.');
    const seen = new Set<string>();
    const lines: PricedLine[] = [];
    const prices = deps.pricer();
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
      // A trial is free (docs/product.md#trials-and-qualifications): no list prices it.
      const free = { amount: 0, currency: account.settings.currency };
      const priced = offer.trial ? { unitPrice: free, chain: { sell: free } } : await prices.unit(account, offer, product.category, day, `lines.${i}.offerId`);
      const end = input.alignment?.end;
      if (end === undefined) {
        lines.push({ offer, product, quantity: line.quantity, unitPrice: priced.unitPrice, unitChain: priced.chain, total: times(priced.unitPrice, line.quantity) });
        continue;
      }
      // Co-termed: the first term ends on `end`, priced by days (domain/coterm.ts).
      const refusal = coTermRefusal(day, offer.term as Term, end, input.alignment?.subscription !== undefined);
      if (refusal === 'beyond_term') {
        throw new BusinessRuleRefused('coterm_beyond_term', `${product.name} (${offer.term}) cannot have a first term ending ${end}: that is longer than its term.`, [
          { path: 'alignEndWith', line: `lines.${i}.offerId`, end },
        ]);
      }
      if (refusal === 'term_ended') throw new BusinessRuleRefused('coterm_term_ended', `The term to end with ended on ${end}.`, [{ path: 'alignEndWith', end }]);
      const amount = coTermPrice(priced.unitPrice.amount, line.quantity, day, offer.term as Term, offer.billingPeriod as 'monthly' | 'annual', end).amount;
      lines.push({
        offer,
        product,
        quantity: line.quantity,
        unitPrice: priced.unitPrice,
        unitChain: priced.chain,
        total: { amount, currency: priced.unitPrice.currency },
        firstTermEnd: end,
      });
    }
    const net = sum(lines.map((l) => l.total), account.settings.currency);
    const invoiceLines: InvoiceLine[] = lines.map((l) => ({
      description: `${l.product.name} (${l.offer.term}, billed ${l.offer.billingPeriod})${l.firstTermEnd ? `, first term to ${l.firstTermEnd} by days` : ''}`,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: l.total,
      chain: l.unitChain,
    }));
    // The seller's invoice, taxed (services/invoicing.ts): a card pays its gross.
    const taxed = await deps.invoicing().taxed(account, invoiceLines, net.currency, day);
    return { lines, taxed };
  }

  /**
   * The account's quote named by `quoteId`, still valid: 404 for another account's (out of scope,
   * like anything else), 409 `quote_expired` once gone or past `expiresAt`.
   */
  async function validQuote(account: Account, quoteId: string): Promise<Quote> {
    if (!deps.quotes) throw new Error('This order service keeps no quotes');
    const quote = await deps.quotes.getQuote(quoteId);
    if (quote && quote.accountId !== account.id) throw new NotFound('No such quote on this account.');
    if (!quote || Date.parse(quote.expiresAt) <= clock.now().getTime()) {
      throw new Conflict('quote_expired', 'This quote has expired; ask for a new one.', [{ path: 'quoteId' }]);
    }
    return quote;
  }

  /**
   * Validates everything before anything is written (caller, account, payment method, lines priced
   * down the chain and taxed, the quote they must match, agreement, domain), charges a card, writes
   * the order with what it reserves in one transaction, and starts its workflow.
   */
  async function placeOrder(caller: Caller, account: Account, input: PlaceOrderInput): Promise<Order> {
    if (caller.actorUserId && input.customerAgreement) throw new Forbidden('The customer accepts the agreement itself, not through "log in as".');
    if (account.type !== 'customer') throw new BusinessRuleRefused('not_a_customer', 'Orders are placed for customer accounts.');
    const buyerUserId = input.selfService ? caller.userId : undefined;
    const paymentMethod = input.paymentMethodId ? await cards.usablePaymentMethod(account.id, input.paymentMethodId, buyerUserId) : undefined;
    const quote = input.quoteId ? await validQuote(account, input.quoteId) : undefined;
    const alignment = input.alignEndWith ? await alignmentOf(account, input.alignEndWith) : undefined;

    const { lines: resolved, taxed: pricedInvoice } = await priceOrder(account, { lines: input.lines, alignment });
    if (quote) {
      // Priced now and compared before anything is charged or written.
      const changes = quoteChanges(quote, { lines: quoteLinesOf({ lines: resolved, taxed: pricedInvoice }), net: pricedInvoice.net, total: pricedInvoice.total, taxTreatment: pricedInvoice.taxTreatment });
      if (changes.length) throw new Conflict('price_changed', 'The price changed since the quote; nothing was ordered. Ask for a new quote.', changes);
    }

    const agreementNeeded = !account.customerAgreement;
    if (agreementNeeded && !input.customerAgreement) {
      throw new BusinessRuleRefused('customer_agreement_required', 'The Microsoft Customer Agreement must be accepted first.', [{ path: 'customerAgreement' }]);
    }

    let domainName: string;
    let domainId: string;
    let newDomain: NewDomain | undefined;
    if (input.domain.mode === 'link') {
      // The account's own domain of that name when it has one; otherwise the tenant is linked now
      // (pending the partner acceptance when it had another provider: the order waits for it).
      const name = input.domain.domain;
      const held = (await deps.domains.listDomains(account.id)).find((d) => d.domain === name);
      if (!held) coTermOn(alignment, undefined);
      const linked = held ?? (await deps.linkDomain(caller, account.id, name));
      coTermOn(alignment, linked.id);
      domainName = linked.domain;
      domainId = linked.id;
    } else if (input.domain.mode === 'create') {
      coTermOn(alignment, undefined);
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
      coTermOn(alignment, domain.id);
      domainName = domain.domain;
      domainId = domain.id;
    }

    // Qualifications and trials (services/eligibility.ts): refused before anything is charged or written.
    let trials: string[] = [];
    if (deps.eligibility) {
      const qualifications =
        input.domain.mode === 'create' ? await deps.eligibility.approvedQualifications(input.domain, 'domain.qualification') : await deps.eligibility.qualificationsOf(domainId);
      if (newDomain && qualifications.length) newDomain.qualifications = qualifications;
      trials = await deps.eligibility.checkLines(resolved, { id: domainId, qualifications, isNew: newDomain !== undefined });
    }

    const orderId = deps.newId('order');
    const invoiceId = deps.newId('invoice');
    const [buyerUser, suspendedAccount, clientNames] = await Promise.all([
      caller.clientId ? undefined : deps.users.getUser(caller.userId),
      deps.accounts.suspendedAccountOn(account.accountPath),
      caller.clientId ? deps.clients?.clientNames([caller.userId]) : undefined,
    ]);
    const clientName = clientNames?.get(caller.userId);
    const buyer = { userId: caller.userId, name: buyerUser ? `${buyerUser.firstName} ${buyerUser.lastName}` : clientName ? `${clientName} (API client)` : caller.userId };
    const subscriptions: NewSubscription[] = [];
    const lines: OrderLine[] = resolved.map(({ offer, product, quantity, unitPrice, unitChain, total, firstTermEnd }) => {
      const subscriptionId = deps.newId('subscription');
      // What the order line and the subscription it creates both say of the offer bought.
      const bought = {
        productId: product.id,
        offerId: offer.id,
        sku: product.sku,
        name: product.name,
        term: offer.term,
        billingPeriod: offer.billingPeriod,
        quantity,
        unitPrice,
        unitChain,
        ...(offer.trial ? { trial: { days: offer.trial.days, convertsToOfferId: offer.trial.convertsToOfferId } } : {}),
      };
      subscriptions.push({ id: subscriptionId, ...bought, buyer });
      return { ...bought, total, subscriptionId, ...(firstTermEnd ? { firstTermEnd } : {}) };
    });

    const now = clock.nowIso();
    const by = actorOf(caller);
    const agreement: CustomerAgreement | undefined =
      agreementNeeded && input.customerAgreement ? { ...input.customerAgreement, recordedAt: now, recordedBy: by.userId } : undefined;
    const net = pricedInvoice.net;
    // The taxed invoice's lines, each with the subscription it bills.
    const taxed: TaxedInvoice = { ...pricedInvoice, lines: pricedInvoice.lines.map((l, i) => ({ ...l, subscriptionId: lines[i]!.subscriptionId })) };
    const total = taxed.total;

    // Everything is valid: charge the card (a decline leaves nothing behind), then write. The
    // pending charge recorded first is what gets a charge without its order refunded (data/charges.ts).
    const chargeReference = paymentMethod?.type === 'card' ? orderId : undefined;
    let chargeId: string | undefined;
    const charged = paymentMethod?.type === 'card' && total.amount > 0;
    // A decline is 402 and an unconfirmed charge 503 (refunded), nothing written (services/card-charge.ts).
    if (charged) chargeId = await cards.chargeFirst(paymentMethod, account.id, total, orderId);

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
          ...(buyerUserId ? { buyerUserId } : {}),
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
          ...(buyerUserId ? { buyerUserId } : {}),
          paymentMethodId: paymentMethod?.id,
          chargeId,
          // The charge a void of this invoice refunds (data/orders.ts voidOf).
          ...(chargeId ? { chargeReference: orderId } : {}),
          reason: 'purchase',
          subscriptionIds: subscriptions.map((s) => s.id),
        },
        cart: input.cart,
        trials,
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

  /**
   * Where an order's first terms end (docs/product.md "Co-terming"): the calendar month's last day,
   * or the current term's end of a subscription of the account (404 otherwise) that is active (422
   * `coterm_subscription_inactive`). Its end must be after today and within each offer's term
   * (checked with the lines, priceOrder), and its domain the order's (`coTermOn`).
   */
  async function alignmentOf(account: Account, alignEndWith: string): Promise<Alignment> {
    const today = clock.nowIso().slice(0, 10);
    if (alignEndWith === 'calendarMonth') return { end: endOfCalendarMonth(today) };
    const sub = await deps.subscriptions.getSubscription(alignEndWith);
    if (!sub || sub.accountId !== account.id) throw new NotFound('No such subscription on this account.');
    if (sub.status !== 'active' || !sub.currentTermEnd) {
      throw new BusinessRuleRefused('coterm_subscription_inactive', `Only an active subscription's term can be ended with; this one is ${sub.status}.`, [{ path: 'alignEndWith', status: sub.status }]);
    }
    return { end: sub.currentTermEnd, subscription: { id: sub.id, domainId: sub.domainId } };
  }

  /** A subscription co-termed with must be on the order's domain (none yet: a domain created or linked now has no subscriptions). */
  function coTermOn(alignment: Alignment | undefined, domainId: string | undefined): void {
    if (!alignment?.subscription || alignment.subscription.domainId === domainId) return;
    throw new BusinessRuleRefused('coterm_domain_mismatch', 'The subscription to end with is on another domain; co-terming keeps to one domain.', [
      { path: 'alignEndWith', subscriptionId: alignment.subscription.id },
    ]);
  }

  return { placeOrder, priceOrder, alignmentOf };
}

export type OrderService = ReturnType<typeof makeOrderService>;

export const orderService = makeOrderService({
  orders: orderRepo,
  accounts: accountRepo,
  invoices: invoiceRepo,
  catalog: catalogRepo,
  domains: domainRepo,
  subscriptions: subscriptionRepo,
  linkDomain: async (caller, accountId, domain) => (await domainService.create(caller, accountId, { mode: 'link', domain })).domain,
  users: userRepo,
  clients: clientRepo,
  paymentMethods: paymentMethodRepo,
  charges: chargeRepo,
  requestKeys: requestKeyRepo,
  payments: { refundPendingCharge },
  gateway: getPaymentGateway,
  domainAvailable: (prefix) => askVendor((v) => v.isDomainAvailable(prefix)),
  lifecycle: orderLifecycle,
  pricer,
  invoicing,
  quotes: quoteRepo,
  eligibility,
  clock,
  newId,
});

/** Places a sales order for a customer account (docs/product.md#orders-and-the-fulfillment-workflow, docs/product.md#orders): staff orders and checkout alike. */
export const { placeOrder } = orderService;

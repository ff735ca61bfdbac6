import * as accountRepo from '#data/accounts.ts';
import type { SubscriptionOrderDeps } from './subscriptions.ts';
import * as auditRepo from '#data/audit.ts';
import * as catalogRepo from '#data/catalog.ts';
import * as invoiceRepo from '#data/invoices.ts';
import * as orderRepo from '#data/orders.ts';
import { subscriptionLineBase, subscriptionOrderItems, type OrderLine } from '#data/orders.ts';
import * as subscriptionRepo from '#data/subscriptions.ts';
import { renewalChange, type Subscription } from '#data/subscriptions.ts';
import * as userRepo from '#data/users.ts';
import { outboxEmail, recipientOf } from '#emails/index.ts';
import { env } from '#platform/env.ts';
import { TransientError } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { times } from '#domain/money.ts';
import { cancellationWindowOf, nextBillingDate } from '#domain/subscription-rules.ts';
import { addDays, termEnd, type Term } from '#domain/terms.ts';
import { nextTermOf, type NextTerm } from '#domain/scheduled-change.ts';
import { chargeInvoice } from './payments.ts';
import { pricer, type Pricer, type PricedUnit } from './prices.ts';
import { invoicing, type Invoicing } from './invoicing.ts';
import { AppError } from '#platform/errors.ts';
import { logger } from '#platform/logger.ts';
import type { Money } from '#domain/money.ts';
import { startOrFail } from './order-lifecycle.ts';

/**
 * The renewals of docs/product.md#scheduled-jobs, one subscription at a time (jobs/renewals.ts finds them in the due
 * index): a subscription whose term ended renews when auto-renew is on — a `renewal` order, the
 * new term, its scheduled change applied (quantity, offer, product: domain/scheduled-change.ts
 * `nextTermOf`), the product's cancellation window, an invoice, the default card charged — or
 * expires (auto-renew off, or suspended: a suspended subscription never renews); one whose term
 * ends in 7 days gets the reminder, once per term, stating the change.
 * Each write is conditioned so a second run for the same day does nothing.
 */
export interface RenewalDeps extends SubscriptionOrderDeps {
  subscriptions: Pick<typeof subscriptionRepo, 'expireSubscription' | 'recordRenewalReminder'>;
  users: Pick<typeof userRepo, 'listActiveAdmins'>;
  audit: Pick<typeof auditRepo, 'recordAudit'>;
  /** Prices the renewal on its day (services/prices.ts); one pricer per job run. */
  pricer: () => Pick<Pricer, 'unit'>;
  /** Taxes its invoice (services/invoicing.ts); one per job run. */
  invoicing: () => Pick<Invoicing, 'taxed'>;
}

const SYSTEM = { system: 'renewals-job' };

export function makeRenewalService(deps: RenewalDeps) {
  // One pricer per job run (the run object), so each list is read once per run.
  const pricers = new WeakMap<object, Pick<Pricer, 'unit'>>();
  function pricesFor(run?: object): Pick<Pricer, 'unit'> {
    if (!run) return deps.pricer();
    let found = pricers.get(run);
    if (!found) pricers.set(run, (found = deps.pricer()));
    return found;
  }
  /**
   * Reads once per job run (the run object), not once per subscription: many due subscriptions
   * share a product and an account, and a scheduled change names one more product. Without a run
   * (a single renewal), every call reads.
   */
  function perRun<T>(load: (id: string) => Promise<T>): (id: string, run?: object) => Promise<T> {
    const runs = new WeakMap<object, Map<string, Promise<T>>>();
    return (id, run) => {
      if (!run) return load(id);
      let cache = runs.get(run);
      if (!cache) runs.set(run, (cache = new Map()));
      let found = cache.get(id);
      if (!found) cache.set(id, (found = load(id)));
      return found;
    };
  }
  type Product = Awaited<ReturnType<RenewalDeps['catalog']['getProduct']>>;
  const productOf = perRun<Product>((id) => deps.catalog.getProduct(id));
  const accountOf = perRun((id) => deps.accounts.getAccount(id));
  const taxers = new WeakMap<object, Pick<Invoicing, 'taxed'>>();
  function invoicingFor(run: object): Pick<Invoicing, 'taxed'> {
    let found = taxers.get(run);
    if (!found) taxers.set(run, (found = deps.invoicing()));
    return found;
  }

  /**
   * The unit price of the next term: the one in effect on the renewal day (docs/commerce.md "When
   * the price is taken"). When the lists cannot price it any more (a list or cost removed, the
   * offer gone), the subscription renews at its current price and the gap is logged for staff: a
   * renewal is never refused for want of a price. A scheduled change to another offer falls back
   * to that offer's catalog price instead (the current price is of another term or product).
   */
  async function renewalPrice(
    sub: Subscription,
    account: { id: string; parentId?: string | null; rootId: string; settings: { currency: string } },
    target: NextOffer,
    day: string,
    run?: object,
  ): Promise<PricedUnit> {
    const { product, offer } = target;
    const current: PricedUnit = target.next.changesOffer && offer
      ? { unitPrice: offer.price, chain: { sell: offer.price } }
      : { unitPrice: sub.unitPrice, chain: (sub.unitChain as PricedUnit['chain'] | undefined) ?? { sell: sub.unitPrice } };
    if (!product || !offer) return current;
    try {
      return await pricesFor(run).unit(account, offer, product.category, day);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 422) throw err;
      logger.warn('renewal priced at the current price: the lists do not price it', { subscriptionId: sub.id, code: err.code, day });
      return current;
    }
  }

  type NextOffer = { next: NextTerm; product: Product; offer: NonNullable<Product>['offers'][number] | undefined };

  /**
   * The product and offer the next term renews on (domain/scheduled-change.ts `nextTermOf`), read
   * through the run's cache. A scheduled product or offer that is gone from the catalog by the
   * renewal day is not applied (logged for staff): the subscription renews as it is, with the
   * scheduled quantity.
   */
  async function nextOfferOf(sub: Subscription, run?: object): Promise<NextOffer> {
    const next = nextTermOf(sub);
    if (next.changesOffer) {
      const product = await productOf(next.productId, run);
      const offer = product?.offers.find((o) => o.id === next.offerId);
      if (product && offer) return { next, product, offer };
      logger.warn('scheduled change not applied: its product or offer is gone', { subscriptionId: sub.id, productId: next.productId, offerId: next.offerId });
    }
    const product = await productOf(sub.productId, run);
    return { next: { ...next, productId: sub.productId, offerId: sub.offerId, changesOffer: false }, product, offer: product?.offers.find((o) => o.id === sub.offerId) };
  }

  /**
   * A subscription whose term ended on `ended`: renewed (auto-renew on) or expired (auto-renew
   * off; or suspended, which never renews: no order, no invoice). False when there was nothing to
   * do (already renewed or expired, not active, another run first).
   */
  async function renewOrExpire(sub: Subscription, ended: string, run: { day: string; now: Date }): Promise<boolean> {
    if (sub.currentTermEnd !== ended || (sub.status !== 'active' && sub.status !== 'suspended')) return false;
    if (!sub.autoRenew || sub.status === 'suspended') {
      const reason = sub.status === 'suspended' ? { details: { reason: 'suspended' } } : {};
      return deps.subscriptions.expireSubscription(sub, ended, { accountId: sub.accountId, action: 'subscription.expired', resourceType: 'subscription', resourceId: sub.id, ...SYSTEM, ...reason });
    }
    return renew(sub, run);
  }

  async function renew(sub: Subscription, run: { day: string; now: Date }): Promise<boolean> {
    const [account, target] = await Promise.all([accountOf(sub.accountId, run), nextOfferOf(sub, run)]);
    if (!account) return false;
    const { next, product } = target;
    // The new term's offer: the scheduled one, or the current term and billing period.
    const offered = next.changesOffer && target.offer
      ? { productId: product!.id, offerId: target.offer.id, sku: product!.sku, name: product!.name, term: target.offer.term, billingPeriod: target.offer.billingPeriod }
      : undefined;
    const term = (offered?.term ?? sub.term) as Term;
    const billingPeriod = (offered?.billingPeriod ?? sub.billingPeriod) as 'monthly' | 'annual';
    const start = run.day;
    const end = termEnd(start, term);
    const quantity = next.quantity;
    const orderId = deps.newId('order');
    const invoiceId = deps.newId('invoice');
    const priced = await renewalPrice(sub, account, target, start, run);
    const total = times(priced.unitPrice, quantity);
    const number = await deps.orders.nextOrderNumber();
    const line: OrderLine = {
      ...subscriptionLineBase({ ...sub, ...offered }),
      unitPrice: priced.unitPrice,
      unitChain: priced.chain,
      action: 'update',
      quantity,
      previousQuantity: sub.quantity,
      newQuantity: quantity,
      total,
      subscriptionId: sub.id,
    };
    const items = subscriptionOrderItems({
      ids: { orderId, invoiceId, number, invoiceNumber: '' },
      sub,
      account,
      type: 'renewal',
      line,
      by: SYSTEM,
      now: run.now,
      invoice: { description: `Renewal: ${offered?.name ?? sub.name} (${start} – ${end})`, reason: 'renewal' },
    });
    // The seller's invoice for the new term, taxed on the renewal day and numbered in the seller's series.
    const taxed = await invoicingFor(run)
      .taxed(account, items.invoice.lines, total.currency, start)
      .catch((err: unknown) => {
        // A sale the rate table cannot tax (422 tax_rate_missing): not renewed by this run; staff see it in the log.
        if (err instanceof AppError && err.status === 422) {
          logger.error('renewal not invoiced: the sale cannot be taxed', { subscriptionId: sub.id, code: err.code, details: err.details });
          return undefined;
        }
        throw err;
      });
    if (!taxed) return false;
    const invoiceTotal = taxed.total;
    let invoiceNumber = '';
    const order = await deps.invoices.withInvoiceNumber(taxed.sellerId, (taken, seat) => {
      invoiceNumber = taken;
      return deps.orders.insertSubscriptionOrder({
      order: items.order,
      invoice: { ...items.invoice, ...taxed, number: taken, servicePeriod: { start, end } },
      seat,
      subscription: renewalChange(sub, {
        quantity,
        termStart: start,
        termEnd: end,
        nextBillingDate: nextBillingDate(start, term, billingPeriod, start),
        // The product's window, from the renewal (docs/product.md#subscriptions-and-licenses), for the renewed licenses.
        cancellationWindows: cancellationWindowOf(product, run.now.toISOString(), quantity, orderId),
        unitPrice: priced.unitPrice,
        unitChain: priced.chain,
        ...(offered ? { offer: offered } : {}),
      }),
    });
    });
    if (!order) return false;
    await deps.chargeInvoice({ id: invoiceId, number: invoiceNumber, accountId: sub.accountId, total: invoiceTotal }, undefined, orderId);
    await deps.audit.recordAudit([
      {
        accountId: sub.accountId,
        action: 'subscription.renewed',
        resourceType: 'subscription',
        resourceId: sub.id,
        ...SYSTEM,
        details: { orderId, quantity, termEnd: end, ...(offered ? { productId: offered.productId, offerId: offered.offerId } : {}) },
      },
    ]);
    try {
      await deps.startOrFail({ id: orderId, automatic: true });
    } catch (err) {
      // The renewal order failed at once (invoice voided, charge refunded, staff emailed); the job goes on.
      if (!(err instanceof TransientError)) throw err;
    }
    return true;
  }

  /** The reminder that a subscription renews (or expires) in 7 days, to each active admin, once per term. */
  async function remind(sub: Subscription, termEndDay: string, run?: object): Promise<boolean> {
    if (sub.status !== 'active' || sub.currentTermEnd !== termEndDay || sub.reminderSentFor === termEndDay) return false;
    const [account, admins, target] = await Promise.all([accountOf(sub.accountId, run), deps.users.listActiveAdmins(sub.accountId), nextOfferOf(sub, run)]);
    const renewsOn = addDays(termEndDay, 1);
    const quantity = target.next.quantity;
    // The price the renewal will bill, stated in the reminder (docs/commerce.md).
    let price: { unitPrice: Money; total: Money } | undefined;
    if (account && sub.autoRenew) {
      const { unitPrice } = await renewalPrice(sub, account, target, renewsOn, run);
      price = { unitPrice, total: times(unitPrice, quantity) };
    }
    // The scheduled change the renewal applies, stated with that price.
    const change =
      target.next.changesOffer && target.product && target.offer
        ? { change: { productName: target.product.name, term: target.offer.term as Term, billingPeriod: target.offer.billingPeriod as 'monthly' | 'annual' } }
        : {};
    const emails = admins.map((admin) =>
      outboxEmail('renewal-reminder', recipientOf(admin), {
        accountName: account?.name ?? sub.accountId,
        subscriptionName: sub.name,
        domain: sub.domain,
        quantity,
        renewsOn,
        autoRenew: sub.autoRenew,
        ...price,
        ...change,
        portalUrl: env.portalUrl(),
      }, { accountId: sub.accountId }),
    );
    return deps.subscriptions.recordRenewalReminder(sub.id, termEndDay, emails);
  }

  return { renewOrExpire, remind };
}

export type RenewalService = ReturnType<typeof makeRenewalService>;

export const renewalService = makeRenewalService({
  subscriptions: subscriptionRepo,
  orders: orderRepo,
  invoices: invoiceRepo,
  accounts: accountRepo,
  catalog: catalogRepo,
  users: userRepo,
  audit: auditRepo,
  pricer,
  invoicing,
  chargeInvoice,
  startOrFail,
  newId,
});

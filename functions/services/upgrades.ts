import * as accountRepo from '#data/accounts.ts';
import * as catalogRepo from '#data/catalog.ts';
import type { Product } from '#data/catalog.ts';
import * as invoiceRepo from '#data/invoices.ts';
import * as orderRepo from '#data/orders.ts';
import { subscriptionLineBase, subscriptionOrderItems, type Order, type OrderLine } from '#data/orders.ts';
import * as requestKeyRepo from '#data/request-keys.ts';
import type { RequestKey } from '#data/request-keys.ts';
import * as subscriptionRepo from '#data/subscriptions.ts';
import type { Subscription } from '#data/subscriptions.ts';
import { RETRY, retryOnConflict } from '#data/tx.ts';
import * as upgradeRepo from '#data/upgrades.ts';
import type { UpgradeTarget } from '#data/upgrades.ts';
import { actorOf, type Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, TransientError } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { MAX_QUANTITY } from '#domain/money.ts';
import { cancellationWindowOf, consumeWindows, lowerableNow, openWindows } from '#domain/subscription-rules.ts';
import { isoDate, type Term } from '#domain/terms.ts';
import { isEligibleTarget, MAX_MOVED_ASSIGNMENTS, targetOffer, upgradePrice, usersToMove } from '#domain/upgrades.ts';
import { invoicing, type Invoicing } from './invoicing.ts';
import { startOrFail } from './order-lifecycle.ts';
import { chargeInvoice } from './payments.ts';
import { pricer, type Pricer } from './prices.ts';

/**
 * Upgrades (docs/product.md#upgrades): all or part of a subscription's licenses move to a product
 * its product lists in `upgradeTargets`, on the same domain and to the same term end, on the
 * target's offer with the same term and billing period. Priced by days on one `change` order with
 * two lines (a credit for the old licenses, a charge for the new) whose invoice nets them, charged
 * like a raise. The target is the account's active subscription of that product on the domain
 * with the same term end and offer, raised, or a new one. Assigned users follow the licenses.
 * Everything is one transaction on both subscriptions as read (data/upgrades.ts): of two upgrades
 * of one subscription, the second reads again and is refused when too few licenses are left.
 */
export interface UpgradeDeps {
  subscriptions: Pick<typeof subscriptionRepo, 'getSubscription' | 'subscriptionsInUse'>;
  upgrades: Pick<typeof upgradeRepo, 'insertUpgradeOrder' | 'assignmentsOf'>;
  catalog: Pick<typeof catalogRepo, 'getProduct'>;
  accounts: Pick<typeof accountRepo, 'getAccount' | 'suspendedAccountOn'>;
  orders: Pick<typeof orderRepo, 'nextOrderNumber'>;
  invoices: Pick<typeof invoiceRepo, 'withInvoiceNumber'>;
  invoicing: () => Pick<Invoicing, 'taxed'>;
  pricer: () => Pick<Pricer, 'unit'>;
  chargeInvoice: (invoice: { id: string; number: string; accountId: string; total: Order['total'] }, paymentMethodId: undefined, reference: string) => Promise<unknown>;
  startOrFail: (order: { id: string; automatic: boolean }) => Promise<string>;
  requestKeys: Pick<typeof requestKeyRepo, 'releaseRequestKey'>;
  clock: { now(): Date };
  newId: typeof newId;
}

export interface UpgradeInput {
  targetProductId: string;
  quantity: number;
}

/** Tries of an upgrade against concurrent changes of either subscription. */
const TRIES = 10;

function requireActive(sub: Subscription): void {
  if (sub.status !== 'active') throw new Conflict('invalid_state', `The subscription is ${sub.status}.`, [{ status: sub.status }]);
}

function requireAvailable(sub: Subscription, quantity: number): void {
  if (quantity > sub.quantity) {
    throw new Conflict('invalid_state', `The subscription has ${sub.quantity} license(s); ${quantity} cannot be upgraded.`, [{ path: 'quantity', available: sub.quantity, requested: quantity }]);
  }
}

const notEligible = (source: Product | undefined, targetProductId: string) =>
  new BusinessRuleRefused('upgrade_not_eligible', `${source?.name ?? 'This product'} cannot be upgraded to ${targetProductId}; a downgrade is a change at renewal.`, [
    { path: 'targetProductId', eligible: source?.upgradeTargets ?? [] },
  ]);

export function makeUpgradeService(deps: UpgradeDeps) {
  /** The account's subscription the licenses join: active, same product, domain, offer and term end (and buyer, when self-service). */
  async function existingTarget(sub: Subscription, offerId: string): Promise<Subscription | undefined> {
    const inUse = await deps.subscriptions.subscriptionsInUse(sub.accountId);
    const found = inUse.find(
      (t) =>
        t.id !== sub.id &&
        t.status === 'active' &&
        t.offerId === offerId &&
        t.domainId === sub.domainId &&
        t.currentTermEnd === sub.currentTermEnd &&
        t.selfService === sub.selfService &&
        (!sub.selfService || t.buyer.userId === sub.buyer.userId),
    );
    // The index is eventually consistent: decide on the item itself.
    return found && (await deps.subscriptions.getSubscription(found.id, true));
  }

  async function upgrade(caller: Caller, current: Subscription, input: UpgradeInput, requestKey?: RequestKey): Promise<Order> {
    requireActive(current);
    const source = await deps.catalog.getProduct(current.productId);
    if (!isEligibleTarget(source ?? {}, input.targetProductId)) throw notEligible(source, input.targetProductId);
    const target = await deps.catalog.getProduct(input.targetProductId);
    if (!target || target.status !== 'active') throw notEligible(source, input.targetProductId);
    const offer = targetOffer(
      target.offers.filter((o) => !(o as { trial?: unknown }).trial),
      current,
    );
    if (!offer) {
      throw new BusinessRuleRefused('upgrade_offer_missing', `${target.name} has no offer with this subscription's term (${current.term}) and billing period (${current.billingPeriod}).`, [
        { path: 'targetProductId', term: current.term, billingPeriod: current.billingPeriod },
      ]);
    }
    requireAvailable(current, input.quantity);
    const account = await deps.accounts.getAccount(current.accountId);
    if (!account) throw new Error(`Account ${current.accountId} is missing`);
    const by = actorOf(caller);

    const { order, invoice } = await retryOnConflict(
      async () => {
        const sub = await deps.subscriptions.getSubscription(current.id, true);
        if (!sub) throw new Conflict('invalid_state', 'The subscription is gone.');
        requireActive(sub);
        requireAvailable(sub, input.quantity);
        const now = deps.clock.now();
        const today = isoDate(now);
        const nowIso = now.toISOString();
        const existing = await existingTarget(sub, offer.id);
        const [min, max] = [target.minQuantity ?? 1, target.maxQuantity ?? MAX_QUANTITY];
        const targetQuantity = (existing?.quantity ?? 0) + input.quantity;
        if (targetQuantity < min || targetQuantity > max) {
          throw new BusinessRuleRefused('quantity_out_of_range', `${target.name} is sold in quantities of ${min} to ${max}.`, [{ path: 'quantity', min, max }]);
        }
        const assignments = await deps.upgrades.assignmentsOf(sub.id);
        // The count and the list disagree only while an assignment is being written: read again.
        if (assignments.length !== sub.assignedCount) return RETRY;
        const all = input.quantity === sub.quantity;
        const moves = usersToMove(assignments, input.quantity, all);
        if (moves.length > MAX_MOVED_ASSIGNMENTS) {
          throw new BusinessRuleRefused('too_many_assignments', `One upgrade moves at most ${MAX_MOVED_ASSIGNMENTS} assigned users; upgrade in parts, or unassign some first.`, [
            { path: 'quantity', maxMovedAssignments: MAX_MOVED_ASSIGNMENTS, toMove: moves.length },
          ]);
        }
        const held = existing ? new Set((await deps.upgrades.assignmentsOf(existing.id)).map((a) => a.userId)) : new Set<string>();
        if (existing && held.size !== existing.assignedCount) return RETRY;
        const alreadyHeld = new Set(moves.filter((m) => held.has(m.userId)).map((m) => m.userId));
        const joining = moves.length - alreadyHeld.size;

        // The target's price: an existing subscription keeps its own; a new one is priced for the buyer today, down the channel.
        const priced = existing ? { unitPrice: existing.unitPrice, chain: existing.unitChain } : await deps.pricer().unit(account, offer, target.category, today, 'targetProductId');
        if (priced.unitPrice.currency !== sub.unitPrice.currency) {
          throw new BusinessRuleRefused('currency_mismatch', `${target.name} is priced in ${priced.unitPrice.currency}; this subscription is paid in ${sub.unitPrice.currency}.`, [{ path: 'targetProductId' }]);
        }
        const currency = sub.unitPrice.currency;
        const term = { term: sub.term as Term, billingPeriod: sub.billingPeriod as 'monthly' | 'annual', start: sub.currentTermStart ?? today, end: sub.currentTermEnd };
        const price = upgradePrice({ fromUnit: sub.unitPrice.amount, toUnit: priced.unitPrice.amount, quantity: input.quantity, today, term });

        const orderId = deps.newId('order');
        const invoiceId = deps.newId('invoice');
        const targetId = existing?.id ?? deps.newId('subscription');
        const movedUserIds = moves.map((m) => m.userId);
        // The licenses that leave take their open windows with them (newest first); the new ones open the target's window.
        const consumed = Math.min(input.quantity, lowerableNow(sub.cancellationWindows, now));
        const sourceWindows = consumed > 0 ? consumeWindows(sub.cancellationWindows, consumed, now) : openWindows(sub.cancellationWindows, now);
        const newWindow = cancellationWindowOf(target, nowIso, input.quantity, orderId);
        const left = sub.quantity - input.quantity;

        const fromLine: OrderLine = {
          ...subscriptionLineBase(sub),
          action: all ? 'cancel' : 'update',
          quantity: -input.quantity,
          previousQuantity: sub.quantity,
          newQuantity: left,
          previousWindows: sub.cancellationWindows,
          total: { amount: price.credit, currency },
          subscriptionId: sub.id,
          upgrade: { role: 'from', movedUserIds },
        };
        const toLine: OrderLine = {
          offerId: offer.id,
          productId: target.id,
          sku: target.sku,
          name: target.name,
          term: sub.term as OrderLine['term'],
          billingPeriod: sub.billingPeriod as OrderLine['billingPeriod'],
          unitPrice: priced.unitPrice,
          ...(priced.chain ? { unitChain: priced.chain as OrderLine['unitChain'] } : {}),
          action: existing ? 'update' : 'create',
          quantity: input.quantity,
          previousQuantity: existing?.quantity ?? 0,
          newQuantity: targetQuantity,
          total: { amount: price.charge, currency },
          subscriptionId: targetId,
          upgrade: { role: 'to', ...(existing ? {} : { created: true }), movedUserIds },
        };

        const suspended = (await deps.accounts.suspendedAccountOn(account.accountPath)) !== undefined;
        const number = await deps.orders.nextOrderNumber();
        const reason = 'Upgrade';
        const items = subscriptionOrderItems({
          ids: { orderId, invoiceId, number, invoiceNumber: '' },
          sub,
          account,
          suspended,
          type: 'change',
          // The netted total decides whether the invoice is due (a charge) or settled (a credit).
          line: { ...toLine, total: { amount: price.net, currency } },
          by,
          now,
          invoice: { description: `${reason}: ${sub.name} → ${target.name}`, reason },
        });
        const invoiceLines = [
          { description: `${reason} (credit): ${sub.name}`, quantity: input.quantity, unitPrice: sub.unitPrice, amount: fromLine.total, subscriptionId: sub.id, ...(fromLine.unitChain ? { chain: fromLine.unitChain } : {}) },
          { description: `${reason}: ${target.name}`, quantity: input.quantity, unitPrice: priced.unitPrice, amount: toLine.total, subscriptionId: targetId, ...(toLine.unitChain ? { chain: toLine.unitChain } : {}) },
        ];
        const taxed = await deps.invoicing().taxed(account, invoiceLines, currency, today);

        const targetWrite: UpgradeTarget = existing
          ? {
              kind: 'existing',
              id: existing.id,
              version: existing.version,
              assignedCount: existing.assignedCount,
              set: { quantity: targetQuantity, assignedCount: existing.assignedCount + joining, cancellationWindows: [...openWindows(existing.cancellationWindows, now), ...newWindow] },
            }
          : {
              kind: 'new',
              item: {
                id: targetId,
                accountId: sub.accountId,
                parentId: sub.parentId,
                rootId: sub.rootId,
                accountPath: sub.accountPath,
                productId: target.id,
                offerId: offer.id,
                sku: target.sku,
                name: target.name,
                term: sub.term,
                billingPeriod: sub.billingPeriod,
                quantity: input.quantity,
                assignedCount: joining,
                status: 'active',
                autoRenew: sub.autoRenew,
                startDate: today,
                // Co-termed with the source: the same term (start and end) and billing dates.
                currentTermStart: sub.currentTermStart ?? today,
                currentTermEnd: sub.currentTermEnd ?? today,
                ...(sub.nextBillingDate ? { nextBillingDate: sub.nextBillingDate } : {}),
                domain: sub.domain,
                domainId: sub.domainId,
                selfService: sub.selfService,
                buyer: sub.buyer,
                unitPrice: priced.unitPrice,
                ...(priced.chain ? { unitChain: priced.chain } : {}),
                cancellationWindows: newWindow,
                orderId,
                createdAt: nowIso,
              },
            };

        const written = await deps.invoices.withInvoiceNumber(taxed.sellerId, async (invoiceNumber, seat) => {
          const placed = await deps.upgrades.insertUpgradeOrder({
            order: { ...items.order, lines: [fromLine, toLine], total: { amount: price.net, currency }, subscriptionIds: [sub.id, targetId] },
            invoice: {
              ...items.invoice,
              ...taxed,
              number: invoiceNumber,
              subscriptionIds: [sub.id, targetId],
              ...(taxed.total.amount < 0 ? { kind: 'credit_note' as const } : {}),
            },
            seat,
            requestKey,
            source: {
              id: sub.id,
              version: sub.version,
              assignedCount: sub.assignedCount,
              // Every license moved: the subscription ends (its licenses live on in the target).
              set: all
                ? { quantity: 0, assignedCount: 0, status: 'cancelled', cancellationWindows: [] }
                : {
                    quantity: left,
                    assignedCount: sub.assignedCount - moves.length,
                    cancellationWindows: sourceWindows,
                    ...(sub.scheduledQuantity !== undefined && sub.scheduledQuantity > left ? { scheduledQuantity: left } : {}),
                  },
            },
            target: targetWrite,
            moves,
            alreadyHeld,
            targetId,
            by: by.userId,
          });
          return placed && { order: placed, invoice: { id: invoiceId, number: invoiceNumber, total: taxed.total } };
        });
        return written ?? RETRY;
      },
      { tries: TRIES, exhausted: () => new TransientError('Too many concurrent changes to this subscription; try again.') },
    );
    // The netted charge goes to the account's default card when it has one; a decline leaves the invoice unpaid.
    if (invoice.total.amount > 0) await deps.chargeInvoice({ ...invoice, accountId: order.accountId }, undefined, order.id);
    const executionArn = await deps.startOrFail(order).catch(async (err: unknown) => {
      if (requestKey) await deps.requestKeys.releaseRequestKey(requestKey, order.id);
      throw err;
    });
    return { ...order, executionArn };
  }

  return { upgrade };
}

export type UpgradeService = ReturnType<typeof makeUpgradeService>;

export const upgradeService = makeUpgradeService({
  subscriptions: subscriptionRepo,
  upgrades: upgradeRepo,
  catalog: catalogRepo,
  accounts: accountRepo,
  orders: orderRepo,
  invoices: invoiceRepo,
  invoicing,
  pricer,
  chargeInvoice,
  startOrFail,
  requestKeys: requestKeyRepo,
  clock,
  newId,
});

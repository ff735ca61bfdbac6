import type { EntityItem } from 'electrodb';
import { db, type PaymentMethodEntity } from './entities.ts';
import { retryOnConflict, RETRY, withCursor, type Page, type TxOutcome } from './tx.ts';
import { clock } from '#platform/clock.ts';
import { BusinessRuleRefused, Conflict, NotFound, PreconditionFailed, TransientError } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { cardExpired as cardExpiredAt } from '#domain/billing.ts';

/**
 * Payment methods of an account (docs/product.md#billing): cards kept as the gateway's token with what the
 * gateway says about them (brand, last 4 digits, expiry), and `invoice` (pay later by transfer).
 *
 * Exactly one method of an account is the default while it has any. Every change of who is
 * default or of which methods exist (add, set default, remove) is one transaction that also
 * bumps the account's payment-method revision (a `counter` item) on the condition that it still
 * holds the value read before deciding: concurrent changes of one account are serialized, the
 * loser re-reads and decides again. The items themselves carry optimistic-locking conditions on
 * `version` (and `isDefault` on the default being replaced).
 */
/** The stored method (its entity's attributes; `gatewayToken` is charged by the payment service, never shown by the API). */
export type PaymentMethod = EntityItem<PaymentMethodEntity>;

export interface PaymentMethodOwner {
  id: string;
  parentId: string | null;
  rootId: string;
  accountPath: string[];
}

export type NewPaymentMethod =
  | {
      type: 'card';
      gatewayToken: string;
      brand: string;
      last4: string;
      expMonth: number;
      expYear: number;
      holderName: string;
      billingAddress?: unknown;
      /** A customer `user`'s own card for its self-service purchases (domain/self-service.ts): never the account's default. */
      ownerUserId?: string;
    }
  | { type: 'invoice' };

/** A bound on methods per account, so an account's methods always fit one Query page. */
export const MAX_PAYMENT_METHODS = 20;
/** Has the card's expiry month ended, by the clock? A card works to the end of its month. */
export function cardExpired(expMonth: number, expYear: number, now = clock.now()): boolean {
  return cardExpiredAt(expMonth, expYear, now);
}

export async function getPaymentMethod(id: string, consistent = false): Promise<PaymentMethod | undefined> {
  const found = await db().entities.paymentMethod.get({ id }).go({ consistent });
  return (found.data as PaymentMethod | null) ?? undefined;
}

/**
 * One page of an account's methods, oldest first (Query gsi1). `ownerUserId`: only that user's own
 * cards; null: only the account's (no user's own); absent: all of them.
 */
export async function listPaymentMethods(accountId: string, opts: { limit: number; cursor?: string; ownerUserId?: string | null }): Promise<Page<PaymentMethod>> {
  const query = db()
    .entities.paymentMethod.query.byAccount({ accountId })
    .where((a, op) => (opts.ownerUserId === undefined ? '' : opts.ownerUserId === null ? op.notExists(a.ownerUserId) : op.eq(a.ownerUserId, opts.ownerUserId)));
  const page = await withCursor(opts.cursor, (cursor) => query.go({ cursor, count: opts.limit }));
  return { items: page.data as PaymentMethod[], nextCursor: page.cursor ?? null };
}

async function allOf(accountId: string): Promise<PaymentMethod[]> {
  const result = await db().entities.paymentMethod.query.byAccount({ accountId }).go({ pages: 'all' });
  return result.data as PaymentMethod[];
}

/** The account's default method (what renewals charge), or undefined when it has none. */
export async function defaultPaymentMethod(accountId: string): Promise<PaymentMethod | undefined> {
  const result = await db()
    .entities.paymentMethod.query.byAccount({ accountId })
    .where((a, op) => op.eq(a.isDefault, true))
    .go({ pages: 'all' });
  return (result.data as PaymentMethod[])[0];
}

const revisionName = (accountId: string) => `paymentMethods_${accountId}`;

async function readRevision(accountId: string): Promise<number | undefined> {
  const found = await db().entities.counter.get({ name: revisionName(accountId) }).go({ consistent: true });
  return found.data?.value;
}

type Tx = Parameters<Parameters<ReturnType<typeof db>['transaction']['write']>[0]>[0];

/** The revision bump every membership or default change carries (see the module comment). */
function bumpRevision(tx: Tx, accountId: string, read: number | undefined) {
  return tx.counter
    .update({ name: revisionName(accountId) })
    .add({ value: 1 })
    .where((a, op) => (read === undefined ? op.notExists(a.value) : op.eq(a.value, read)))
    .commit();
}

/** Clears the default flag of `m`, on the condition that it is still the default we read. */
function clearDefault(tx: Tx, m: PaymentMethod) {
  return tx.paymentMethod
    .patch({ id: m.id })
    .set({ isDefault: false, version: m.version + 1 })
    .where((a, op) => `${op.eq(a.isDefault, true)} AND ${op.eq(a.version, m.version)}`)
    .commit();
}

/** A cancelled transaction because of a condition or a concurrent transaction: read again and decide again. */
function retryUnlessUnexpected(result: TxOutcome): typeof RETRY {
  if (result.data.some((d) => d.code === 'ConditionalCheckFailed' || d.code === 'TransactionConflict')) return RETRY;
  throw new Error(`Transaction cancelled: ${result.data.map((d) => d.code ?? 'None').join(',')}`);
}

/** Every change reads, decides and writes again when it lost a race (jittered pauses), up to 8 times. */
const RETRIES = { tries: 8, baseMs: 10, capMs: 160, exhausted: () => new TransientError('The payment methods of this account kept changing; try again.') };

/**
 * The id of an account's invoice method is derived from the account's, so "at most one invoice
 * method per account" is held by the key itself (the create's `attribute_not_exists`).
 */
function invoiceMethodId(accountId: string): string {
  const ulid = /^acc_([0-9A-HJKMNP-TV-Z]{26})$/.exec(accountId)?.[1];
  return ulid ? `pm_${ulid}` : newId('paymentMethod');
}

const hasInvoiceMethod = () => new Conflict('invalid_state', 'This account already has an invoice payment method.', [{ path: 'type' }]);

/**
 * Adds a method. The account's first method becomes its default; `makeDefault` makes the new one
 * the default and clears the previous default in the same transaction.
 */
export async function addPaymentMethod(owner: PaymentMethodOwner, input: NewPaymentMethod, makeDefault = false): Promise<PaymentMethod> {
  const parentId = owner.parentId;
  if (!parentId) throw new BusinessRuleRefused('not_a_customer', 'Payment methods belong to customer accounts.');
  const id = input.type === 'invoice' ? invoiceMethodId(owner.id) : newId('paymentMethod');
  return retryOnConflict(async () => {
    const revision = await readRevision(owner.id);
    const existing = await allOf(owner.id);
    if (input.type === 'invoice' && existing.some((m) => m.type === 'invoice')) throw hasInvoiceMethod();
    if (existing.length >= MAX_PAYMENT_METHODS) {
      throw new BusinessRuleRefused('too_many_payment_methods', `An account keeps at most ${MAX_PAYMENT_METHODS} payment methods; remove one first.`);
    }
    const defaults = existing.filter((m) => m.isDefault);
    // A user's own card is never the account's default (what renewals and billing charge).
    const isDefault = input.type === 'card' && input.ownerUserId ? false : makeDefault || defaults.length === 0;
    const item: PaymentMethod = {
      ...input,
      id,
      accountId: owner.id,
      parentId,
      rootId: owner.rootId,
      accountPath: owner.accountPath,
      isDefault,
      createdAt: clock.nowIso(),
      version: 1,
    };
    const result = await db()
      .transaction.write((tx) => [
        tx.paymentMethod.create(item).commit(),
        ...(isDefault ? defaults.map((d) => clearDefault(tx, d)) : []),
        bumpRevision(tx, owner.id, revision),
      ])
      .go();
    if (!result.canceled) return item;
    if (input.type === 'invoice' && result.data[0]?.code === 'ConditionalCheckFailed') throw hasInvoiceMethod();
    return retryUnlessUnexpected(result);
  }, RETRIES);
}

export interface PaymentMethodPlan {
  set?: Partial<Pick<PaymentMethod, 'expMonth' | 'expYear' | 'holderName' | 'billingAddress'>>;
  remove?: Array<'billingAddress'>;
  /** Make this method the account's default (clearing the previous one). */
  makeDefault?: boolean;
}

/**
 * Edits a method under optimistic locking on `version`: `change` sees the current record (read
 * consistently) and says what to change; on a conflict it runs again on what is there now.
 * `ifMatch`, the version the client read (If-Match), refuses with 412 once the method has moved on.
 */
export async function updatePaymentMethod(
  id: string,
  change: (current: PaymentMethod) => PaymentMethodPlan | undefined,
  opts: { ifMatch?: number } = {},
): Promise<PaymentMethod> {
  return retryOnConflict(async () => {
    const current = await getPaymentMethod(id, true);
    if (!current) throw new NotFound();
    if (opts.ifMatch !== undefined && opts.ifMatch !== current.version) throw new PreconditionFailed(current.version);
    const plan = change(current);
    if (!plan) return current;
    const becomesDefault = plan.makeDefault === true && !current.isDefault;
    const revision = becomesDefault ? await readRevision(current.accountId) : undefined;
    const others = becomesDefault ? (await allOf(current.accountId)).filter((m) => m.isDefault && m.id !== id) : [];
    const set = { ...plan.set, ...(becomesDefault ? { isDefault: true } : {}), version: current.version + 1 };
    const result = await db()
      .transaction.write((tx) => [
        tx.paymentMethod
          .patch({ id })
          .set(set)
          .remove(plan.remove ?? [])
          .where((a, op) => op.eq(a.version, current.version))
          .commit(),
        ...others.map((d) => clearDefault(tx, d)),
        ...(becomesDefault ? [bumpRevision(tx, current.accountId, revision)] : []),
      ])
      .go();
    if (!result.canceled) {
      const next: PaymentMethod = { ...current, ...set };
      for (const k of plan.remove ?? []) delete next[k];
      return next;
    }
    return retryUnlessUnexpected(result);
  }, RETRIES);
}

/** Removes a method; when it was the default, the oldest remaining one becomes the default (or none). */
export async function removePaymentMethod(id: string): Promise<void> {
  await retryOnConflict(async () => {
    const current = await getPaymentMethod(id, true);
    if (!current) throw new NotFound();
    const revision = await readRevision(current.accountId);
    const successor = current.isDefault ? (await allOf(current.accountId)).find((m) => m.id !== id && !m.ownerUserId) : undefined;
    const result = await db()
      .transaction.write((tx) => [
        tx.paymentMethod
          .delete({ id })
          .where((a, op) => op.eq(a.version, current.version))
          .commit(),
        ...(successor
          ? [
              tx.paymentMethod
                .patch({ id: successor.id })
                .set({ isDefault: true, version: successor.version + 1 })
                .where((a, op) => op.eq(a.version, successor.version))
                .commit(),
            ]
          : []),
        bumpRevision(tx, current.accountId, revision),
      ])
      .go();
    if (!result.canceled) return true;
    return retryUnlessUnexpected(result);
  }, RETRIES);
}

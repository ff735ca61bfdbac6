import { ElectroError } from 'electrodb';
import { TransientError, ValidationFailed } from '#platform/errors.ts';
import type { Caller } from '#platform/caller.ts';
import { cursorKeyFrom, openCursor, sealCursor } from '#platform/cursors.ts';
import { currentRequest } from '#platform/request-context.ts';
import { derivationSecret } from '#platform/tokens.ts';

/**
 * Helpers shared by the repositories: transaction outcomes, conditional failures and cursors.
 */
export interface TxOutcome {
  canceled: boolean;
  data: ReadonlyArray<{ rejected: boolean; code?: string; message?: string }>;
}

/**
 * Throws when a transaction was cancelled: `onCondition(index)` names the error for the first
 * item whose condition failed; a conflict with another transaction is transient.
 */
export function ensureCommitted(result: TxOutcome, onCondition: (index: number) => Error): void {
  if (!result.canceled) return;
  const idx = result.data.findIndex((d) => d.rejected && d.code === 'ConditionalCheckFailed');
  if (idx >= 0) throw onCondition(idx);
  if (result.data.some((d) => d.code === 'TransactionConflict')) {
    throw new TransientError('A concurrent change touched the same records; try again.');
  }
  throw new Error(`Transaction cancelled: ${result.data.map((d) => d.code ?? 'None').join(',')}`);
}

/**
 * Like ensureCommitted, with the transaction's items named in the order they were written, so a
 * refusal is read by what was refused (`'subscription'`) instead of a position in the list.
 */
export function ensureCommittedNamed<N extends string>(result: TxOutcome, names: readonly N[], onCondition: (name: N) => Error): void {
  ensureCommitted(result, (index) => {
    const name = names[index];
    if (name === undefined) return new Error(`Transaction item ${index} refused, but only ${names.length} items are named`);
    return onCondition(name);
  });
}

/** What an attempt of retryOnConflict answers to be run again. */
export const RETRY: unique symbol = Symbol('retry');

const isTransactionConflict = (err: unknown): boolean =>
  err instanceof TransientError || (err as { name?: string } | undefined)?.name === 'TransactionConflictException';

/**
 * The one loop for a write that may lose a race (optimistic locking on `version`, a conditional
 * create, a transaction that collided): `attempt(n)` reads, decides and writes; it answers RETRY
 * when its condition no longer held (or throws a conditional failure or a transaction conflict),
 * and runs again after a jittered pause growing as `baseMs·2^n` up to `capMs`, so requests that
 * collided do not collide again in step. After `tries` attempts it throws `exhausted()`, a
 * TransientError by default (503 `try_again` at the HTTP edge, a retry in the workflow).
 */
export async function retryOnConflict<T>(
  attempt: (n: number) => Promise<T | typeof RETRY>,
  { tries = 8, baseMs = 20, capMs = 400, exhausted = () => new TransientError('A concurrent change touched the same records; try again.') }: { tries?: number; baseMs?: number; capMs?: number; exhausted?: () => Error } = {},
): Promise<T> {
  for (let n = 0; n < tries; n++) {
    if (n > 0) await backOff(n, { baseMs, capMs });
    try {
      const result = await attempt(n);
      if (result !== RETRY) return result as T;
    } catch (err) {
      if (!isConditionalFailure(err) && !isTransactionConflict(err)) throw err;
    }
  }
  throw exhausted();
}

/**
 * A random pause before retry `attempt` of a write that lost a race, growing as `baseMs·2^attempt`
 * up to `capMs`, so requests that collided do not collide again in step.
 */
export const backOff = (attempt: number, { baseMs, capMs }: { baseMs: number; capMs: number }): Promise<void> =>
  new Promise((r) => setTimeout(r, Math.random() * Math.min(capMs, baseMs * 2 ** attempt)));

export function isConditionalFailure(err: unknown): boolean {
  const e = err as { name?: string; cause?: { name?: string }; code?: number } | undefined;
  return (
    e?.name === 'ConditionalCheckFailedException' ||
    e?.cause?.name === 'ConditionalCheckFailedException' ||
    (err instanceof ElectroError && /conditional request failed/i.test(err.message))
  );
}

const invalidCursor = () => new ValidationFailed('The cursor is not valid.', [{ in: 'query', path: 'cursor', code: 'invalid_cursor' }]);

let cursorKey: Promise<Buffer> | undefined;
const sealingKey = (): Promise<Buffer> =>
  (cursorKey ??= derivationSecret().then(cursorKeyFrom, (err: unknown) => {
    cursorKey = undefined;
    throw err;
  }));

/** Where a cursor was issued: the route and the user (the same for jobs, which list nothing for a caller). */
function bindingOf(): string {
  const request = currentRequest();
  return request ? `${request.routeKey}|${request.userId ?? '-'}` : 'internal';
}

/**
 * Every list reads its page through here: the cursor the caller sent is opened (platform/cursors.ts:
 * AES-256-GCM, bound to the route and the user it was issued to) into the database's own cursor,
 * `run` reads the page from it, and the next cursor goes back sealed. So a cursor is opaque (it
 * shows no key, nor anything of an item the caller may not see), and a forged, edited or foreign
 * one is refused with 400 (`invalid_cursor` in the details) before any read. A sealed cursor that
 * still decodes to a key of another shape (a list whose index changed) is bad input too, never a 500.
 */
export async function withCursor<T extends { cursor?: string | null }>(cursor: string | undefined, run: (cursor: string | null) => Promise<T>): Promise<T> {
  const binding = bindingOf();
  let plain: string | null = null;
  if (cursor !== undefined) {
    const opened = openCursor(await sealingKey(), cursor, binding);
    if (opened === undefined) throw invalidCursor();
    plain = opened;
  }
  let page: T;
  try {
    page = await run(plain);
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (/cursor|ExclusiveStartKey|exclusive start key|starting key/i.test(message)) throw invalidCursor();
    throw err;
  }
  return { ...page, cursor: page.cursor ? sealCursor(await sealingKey(), page.cursor, binding) : null };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A time range whose start is after its end holds nothing (and DynamoDB refuses such a BETWEEN). */
export const EMPTY_PAGE: Page<never> = { items: [], nextCursor: null };
export const isEmptyRange = (gte: string, lte: string): boolean => gte > lte;

/**
 * The one Query a list in the caller's scope reads (docs/product.md#accounts-and-tenancy): one account's own (owner index),
 * a reseller's customers' (parent index) or everything under the distributor (root index).
 * `accountId` has been authorized by the handler.
 */
export function scopedQuery<A, P, R>(
  query: { byAccount: (k: { accountId: string }) => A; byParent: (k: { parentId: string }) => P; byRoot: (k: { rootId: string }) => R },
  caller: Pick<Caller, 'accountType' | 'accountId'>,
  accountId?: string,
): A | P | R {
  if (accountId) return query.byAccount({ accountId });
  if (caller.accountType === 'customer') return query.byAccount({ accountId: caller.accountId });
  if (caller.accountType === 'reseller') return query.byParent({ parentId: caller.accountId });
  return query.byRoot({ rootId: caller.accountId });
}

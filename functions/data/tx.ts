import { ElectroError } from 'electrodb';
import { TransientError, ValidationFailed } from '#platform/errors.ts';
import type { Caller } from '#platform/caller.ts';

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

/**
 * ElectroDB refuses a cursor it cannot decode; DynamoDB one that decodes to a key of another shape
 * ("The provided starting key is invalid", "Exclusive Start Key must have same size…"). Both are
 * bad input, never a 500.
 */
export async function withCursor<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (/cursor|ExclusiveStartKey|exclusive start key|starting key/i.test(message)) {
      throw new ValidationFailed('The cursor is not valid.', [{ in: 'query', path: 'cursor', code: 'invalid_cursor' }]);
    }
    throw err;
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A time range whose start is after its end holds nothing (and DynamoDB refuses such a BETWEEN). */
export const EMPTY_PAGE: Page<never> = { items: [], nextCursor: null };
export const isEmptyRange = (gte: string, lte: string): boolean => gte > lte;

/**
 * The one Query a list in the caller's scope reads (SPEC §3.1): one account's own (owner index),
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

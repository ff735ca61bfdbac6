import { changeAmount } from './coterm.ts';
import type { Term } from './terms.ts';

/**
 * The rules of an upgrade (docs/product.md#upgrades) as pure functions: which products a product
 * may list as targets, whether a move is eligible, which offer of the target it lands on, what it
 * costs by days and which assigned users move with it. No I/O.
 */

/** The most targets a product may list. */
export const MAX_UPGRADE_TARGETS = 20;

/**
 * The most assigned users one upgrade moves: they move in the upgrade's own transaction (a delete
 * and a create each, within DynamoDB's 100 items beside the order, invoice, number, both
 * subscriptions, the request key and the events of the order and its invoice, up to 9 with a
 * three-level account path). More than that is refused; upgrading in parts moves them.
 */
export const MAX_MOVED_ASSIGNMENTS = 40;

export interface TargetsRefusal {
  code: 'invalid_upgrade_targets';
  message: string;
  details: Array<{ path: string; productId: string; reason: 'self' | 'unknown' | 'duplicate' }>;
}

/**
 * What is wrong with a product's `upgradeTargets`: itself, a product that does not exist, or one
 * given twice. `exists` holds the ids of the listed targets the catalog has.
 */
export function upgradeTargetsRefusal(productId: string, targets: readonly string[], exists: ReadonlySet<string>, path = 'upgradeTargets'): TargetsRefusal | undefined {
  const seen = new Set<string>();
  const details: TargetsRefusal['details'] = [];
  targets.forEach((id, i) => {
    const reason = id === productId ? 'self' : seen.has(id) ? 'duplicate' : !exists.has(id) ? 'unknown' : undefined;
    seen.add(id);
    if (reason) details.push({ path: `${path}.${i}`, productId: id, reason });
  });
  if (!details.length) return undefined;
  return { code: 'invalid_upgrade_targets', message: 'An upgrade target must be another product of the catalog, listed once.', details };
}

/** Whether `targetProductId` is one of the products `source` may be upgraded to (never a downgrade mid-term). */
export function isEligibleTarget(source: { upgradeTargets?: readonly string[] | null }, targetProductId: string): boolean {
  return (source.upgradeTargets ?? []).includes(targetProductId);
}

/** The target's offer with the subscription's term and billing period; undefined when it has none. */
export function targetOffer<O extends { term: string; billingPeriod: string }>(offers: readonly O[], sub: { term: string; billingPeriod: string }): O | undefined {
  return offers.find((o) => o.term === sub.term && o.billingPeriod === sub.billingPeriod);
}

export interface UpgradePrice {
  /** The credit for the rest of the paid period of the licenses that leave (negative, minor units). */
  credit: number;
  /** The charge for the same days of the target's licenses (minor units). */
  charge: number;
  /** What the order's invoice nets: charge + credit. */
  net: number;
}

/**
 * By days (docs/product.md#upgrades), as a raise and a lowering are: for the days from `today`
 * (inclusive) to the end of the billing period paid for (inclusive), or to the end of a co-termed
 * first term (paid whole when bought), `quantity` licenses are credited at the old unit price and
 * charged at the target's, each rounded half-up to the minor unit (`changeAmount`).
 */
export function upgradePrice(input: {
  fromUnit: number;
  toUnit: number;
  quantity: number;
  today: string;
  term: { term: Term; billingPeriod: 'monthly' | 'annual'; start: string; end?: string | null };
}): UpgradePrice {
  const credit = -changeAmount(input.fromUnit, input.quantity, input.today, input.term);
  const charge = changeAmount(input.toUnit, input.quantity, input.today, input.term);
  // `+ 0` keeps a zero credit from being −0.
  return { credit: credit + 0, charge, net: charge + credit + 0 };
}

/**
 * Which assigned users move with the licenses: all of them when every license moves; otherwise
 * up to `quantity` of them, those holding a license the longest first (earliest `assignedAt`, then
 * user id), so the source keeps no more assigned than its new quantity.
 */
export function usersToMove<A extends { userId: string; assignedAt: string }>(assignments: readonly A[], quantity: number, all: boolean): A[] {
  const ordered = [...assignments].sort((a, b) => a.assignedAt.localeCompare(b.assignedAt) || a.userId.localeCompare(b.userId));
  return all ? ordered : ordered.slice(0, Math.max(0, quantity));
}

/**
 * What the "order completed" email lists for an order's lines: what the customer now has (a
 * change shows the new total); an upgrade lists its target and says from what the licenses came.
 */
export function completedEmailLines(lines: ReadonlyArray<{ name: string; quantity: number; newQuantity?: number; upgrade?: { role: 'from' | 'to' } }>): {
  lines: Array<{ name: string; quantity: number }>;
  upgradedFrom?: { name: string; quantity: number };
} {
  const from = lines.find((l) => l.upgrade?.role === 'from');
  const shown = lines.filter((l) => l.upgrade?.role !== 'from').map((l) => ({ name: l.name, quantity: l.newQuantity ?? l.quantity }));
  return { lines: shown, ...(from ? { upgradedFrom: { name: from.name, quantity: Math.abs(from.quantity) } } : {}) };
}

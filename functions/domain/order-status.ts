/**
 * The order statuses of docs/product.md#orders-and-the-fulfillment-workflow and the moves between them. Pure: no I/O.
 */
export const ORDER_STATUSES = ['new', 'open', 'provisioning', 'completed', 'failed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** sales: placed by staff or at checkout; change, cancellation: of a subscription; renewal: by the renewals job. */
export const ORDER_TYPES = ['sales', 'change', 'renewal', 'cancellation'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** Where an order's workflow waits for someone: staff gate 1 and 2, and the customer's partner acceptance. */
export const ORDER_GATES = ['open', 'provision', 'partner'] as const;
export type OrderGate = (typeof ORDER_GATES)[number];

/** An order's domain: one it creates with its tenant, or one the account has already. */
export const ORDER_DOMAIN_MODES = ['create', 'existing', 'link'] as const;
export type OrderDomainMode = (typeof ORDER_DOMAIN_MODES)[number];

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  new: ['open', 'cancelled', 'failed'],
  open: ['provisioning', 'cancelled', 'failed'],
  provisioning: ['completed', 'failed'],
  completed: [],
  failed: [],
  cancelled: [],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses an order may be in for a move to `to`. */
export function statusesBefore(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((s) => NEXT[s].includes(to));
}

export const isFinal = (s: OrderStatus) => NEXT[s].length === 0;

export interface StatusChange {
  status: OrderStatus;
  at: string;
  by: { userId?: string; onBehalfOf?: string; system?: string };
  reason?: string;
}

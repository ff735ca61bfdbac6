/**
 * Money is integer minor units plus an ISO 4217 currency (docs/product.md#api-conventions), never floats.
 */
export interface Money {
  amount: number;
  currency: string;
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new Error(`Money amounts are integer minor units, got ${amount}`);
  return { amount, currency };
}

export function times(price: Money, quantity: number): Money {
  return money(price.amount * quantity, price.currency);
}

export function sum(items: Money[], currency: string): Money {
  let total = 0;
  for (const m of items) {
    if (m.currency !== currency) throw new Error(`Cannot add ${m.currency} to ${currency}`);
    total += m.amount;
  }
  return money(total, currency);
}

/**
 * The bounds that keep every total a safe integer (docs/product.md#api-conventions): a license count is at most
 * MAX_QUANTITY, a price at most MAX_PRICE minor units (1,000,000.00), so price × maximum quantity
 * × 36 months (a three-year term billed monthly) stays below Number.MAX_SAFE_INTEGER — with room
 * for an order's 20 lines.
 */
export const MAX_QUANTITY = 1_000_000;
export const MAX_PRICE = 100_000_000;
export const MAX_TERM_MONTHS = 36;

import { addDays } from './terms.ts';

/**
 * Billing rules of docs/product.md#billing. Pure: no I/O.
 */

/** An invoice's statuses: `unpaid` until paid or due; `overdue` the day after its due date; `void` with its order. */
export const INVOICE_STATUSES = ['unpaid', 'paid', 'overdue', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** A saved way to pay: a card (the gateway's token), or `invoice` (pay later by transfer). */
export const PAYMENT_METHOD_TYPES = ['card', 'invoice'] as const;
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];

/** An invoice a card payment may still pay. */
export const isPayable = (status: InvoiceStatus): boolean => status === 'unpaid' || status === 'overdue';

/** Due date: the 26th of the month of issue, or of the next month when issued on or after the 26th. */
export function dueDate(issuedAt: Date): string {
  const y = issuedAt.getUTCFullYear();
  const m = issuedAt.getUTCMonth();
  const due = issuedAt.getUTCDate() >= 26 ? new Date(Date.UTC(y, m + 1, 26)) : new Date(Date.UTC(y, m, 26));
  return due.toISOString().slice(0, 10);
}


/** The payment reminder goes out this many days before the due date (docs/product.md#scheduled-jobs). */
export const REMINDER_DAYS_BEFORE = 3;

/**
 * What the dunning job of day D looks at (docs/product.md#billing, docs/product.md#scheduled-jobs): the invoices due on D+3 get the
 * reminder; the invoices due on D−1 (their due date has passed) become overdue. The job reads
 * exactly these two days of the due index: a day's run is what handles that day's invoices.
 */
export function dunningDays(day: string): { remindFor: string; overdueFor: string } {
  return { remindFor: addDays(day, REMINDER_DAYS_BEFORE), overdueFor: addDays(day, -1) };
}

/** An unpaid invoice due on `dueAt` that has not had its reminder. */
export const needsReminder = (invoice: { status: InvoiceStatus; dueAt: string; reminderSent?: boolean | null }, dueAt: string): boolean =>
  invoice.status === 'unpaid' && invoice.dueAt === dueAt && !invoice.reminderSent;

/** An invoice still unpaid the day after its due date `dueAt` becomes overdue. */
export const becomesOverdue = (invoice: { status: InvoiceStatus; dueAt: string }, dueAt: string): boolean => invoice.status === 'unpaid' && invoice.dueAt === dueAt;

/** Has a card's expiry month ended at `now`? A card works to the end of its month. */
export function cardExpired(expMonth: number, expYear: number, now: Date): boolean {
  const year = now.getUTCFullYear();
  return expYear < year || (expYear === year && expMonth < now.getUTCMonth() + 1);
}

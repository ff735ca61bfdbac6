import { logger } from './logger.ts';

/**
 * One correlation id follows a piece of work from where it starts to its last email
 * (docs/operations.md "Tracing and correlation"):
 * - an HTTP request: the caller's `x-correlation-id` header when it is well formed, else API
 *   Gateway's request id; answered back as `x-correlation-id` (platform/http-base.ts);
 * - the order workflow: the id is in the execution's input (platform/workflow.ts) and every task
 *   takes it from there (workflow/task.ts);
 * - the outbox and the events feed: each item written keeps the id of the work that wrote it
 *   (emails/outbox.ts, data/events.ts), and the notifier and the webhook dispatcher log it;
 * - a job run: `job:<name>:<time>`, the same for its retries and continuations (platform/lambda-handler.ts).
 *
 * The id is the logger's `correlation_id` key, so it is on every log line of the invocation, and
 * what the invocation writes or starts reads it from there (`currentCorrelationId`).
 *
 * What a caller sends is logged and stored, so it must not carry personal data or anything long:
 * 8 to 64 letters, digits and `-` `_` `.` `:` (no `@`, so no email address; no spaces, so no
 * names), no run of 13 or more digits (a card number) and not digits and separators alone (a phone
 * or customer number, a date of birth). A UUID passes (its groups hold at most 12 digits, and it has
 * letters but once in millions). Anything else is ignored, not refused: the request goes on under
 * the gateway's own id.
 */
export const CORRELATION_HEADER = 'x-correlation-id';

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,64}$/;
const CARD_NUMBER = /\d{13,}/;
const NUMBER_ONLY = /^[\d._:-]+$/;

/** The caller's id if it may be used as one (the rules above), else undefined. */
export function wellFormedCorrelationId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!WELL_FORMED.test(value) || CARD_NUMBER.test(value) || NUMBER_ONLY.test(value)) return undefined;
  return value;
}

/** An HTTP request's id: its well-formed `x-correlation-id` header, else the gateway's request id. */
export function correlationIdOfRequest(headers: Record<string, string | undefined> | undefined, requestId: string | undefined): string {
  const sent = headers?.[CORRELATION_HEADER] ?? headers?.['X-Correlation-Id'] ?? headers?.['X-Correlation-ID'];
  return wellFormedCorrelationId(sent) ?? requestId ?? 'unknown';
}

/** A job run's id: its name and the time it runs for (the scheduled time), shared by its retries and continuations. */
export const jobCorrelationId = (job: string, time: string): string => `job:${job}:${time}`;

/** Puts the id on every later log line of this invocation. */
export function useCorrelationId(id: string): void {
  logger.setCorrelationId(id);
}

/** The id of the work this invocation does, for what it writes or starts; undefined outside one. */
export function currentCorrelationId(): string | undefined {
  const id = logger.getCorrelationId();
  return typeof id === 'string' && id ? id : undefined;
}

/** The id as an attribute of an item the invocation writes (an order), or nothing outside one. */
export function correlationAttribute(): { correlationId?: string } {
  const id = currentCorrelationId();
  return id ? { correlationId: id } : {};
}

import type { components } from './schema';

export type ErrorCode = components['schemas']['ErrorCode'];
export interface ErrorDetail {
  in?: string;
  path?: string;
  code?: string;
  message?: string;
  [k: string]: unknown;
}

/** An API refusal: its HTTP status, stable code and details (field errors carry a `path`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error',
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** Field errors by the field's path in the body (`users.0.login`), first message wins. */
  fieldErrors(): Record<string, ErrorDetail> {
    const out: Record<string, ErrorDetail> = {};
    for (const d of this.details) if (typeof d.path === 'string' && d.path && !(d.path in out)) out[d.path] = d;
    return out;
  }
}

/** Unwraps an openapi-fetch answer: its data, or an ApiError thrown. */
export async function unwrap<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await p;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(0, 'network_error', (err as Error).message);
  }
  if (result.error !== undefined || !result.response.ok) {
    const body = result.error as { error?: { code?: ErrorCode; message?: string; details?: ErrorDetail[] } } | undefined;
    throw new ApiError(result.response.status, body?.error?.code ?? 'try_again', body?.error?.message ?? result.response.statusText, body?.error?.details ?? []);
  }
  return result.data as T;
}

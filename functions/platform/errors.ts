/**
 * One error type per meaning, each with its HTTP status and the stable code of docs/product.md#api-conventions. Thrown
 * anywhere; rendered in exactly one place (the error middleware of platform/middleware.ts).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Headers the answer carries besides its body (a 429's `Retry-After`). */
  get headers(): Record<string, string> {
    return {};
  }
}

export class ValidationFailed extends AppError {
  constructor(message = 'The request is not valid.', details?: unknown[]) {
    super(400, 'validation_failed', message, details);
  }
}
export class Unauthenticated extends AppError {
  constructor(message = 'Sign in to continue.') {
    super(401, 'unauthenticated', message);
  }
}
export class InvalidCredentials extends AppError {
  constructor() {
    super(401, 'invalid_credentials', 'The login or password is not correct.');
  }
}
export class Forbidden extends AppError {
  constructor(message = 'Your role does not allow this.') {
    super(403, 'forbidden', message);
  }
}
export class NotFound extends AppError {
  constructor(message = 'Not found.') {
    super(404, 'not_found', message);
  }
}
export class Conflict extends AppError {
  constructor(code: string, message: string, details?: unknown[]) {
    super(409, code, message, details);
  }
}
export class Gone extends AppError {
  constructor(message = 'This link has expired or was already used.') {
    super(410, 'token_expired', message);
  }
}
export class BusinessRuleRefused extends AppError {
  constructor(code: string, message: string, details?: unknown[]) {
    super(422, code, message, details);
  }
}
/** `If-Match` named a version the resource no longer has (docs/product.md#api-conventions): reload, then retry. */
export class PreconditionFailed extends AppError {
  constructor(current?: number) {
    super(412, 'precondition_failed', 'The resource changed since you read it: reload it and try again.', current === undefined ? undefined : [{ currentVersion: current }]);
  }
}
export class PayloadTooLarge extends AppError {
  constructor() {
    super(413, 'payload_too_large', 'The request body is larger than 64 KiB.');
  }
}
export class UnsupportedMediaType extends AppError {
  constructor() {
    super(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
}

/** A failure worth retrying (a conflicting transaction, a throttled call): workflows retry on its name. */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

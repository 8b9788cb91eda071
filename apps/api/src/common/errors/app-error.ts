import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** Extra members of the problem document (e.g. `balance`, `required`). */
  extensions?: Record<string, unknown>;
  errors?: FieldError[];
  /** Response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * A domain error: a stable machine-readable `code`, the HTTP status it maps to, and a message safe
 * to show to the caller. The global filter turns it into application/problem+json.
 */
export class AppError extends Error {
  readonly extensions: Record<string, unknown>;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: string,
    readonly status: HttpStatus,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.extensions = options.extensions ?? {};
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string) {
    super('not_found', HttpStatus.NOT_FOUND, `${resource} not found`);
  }
}

export class ValidationFailedError extends AppError {
  constructor(errors: FieldError[]) {
    super('validation_failed', HttpStatus.BAD_REQUEST, 'The request is invalid; see errors for each field.', { errors });
  }
}

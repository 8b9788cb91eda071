import { HttpException, HttpStatus } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { AppError, type FieldError } from './app-error';
import { isDatabaseUnavailable } from './database-errors';
import { DEFAULT_CODE_BY_STATUS, problemType, TITLE_BY_STATUS } from './problem-codes';

/** RFC 9457 problem document as Leadforge serves it. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface MappedProblem {
  body: ProblemDetails;
  headers: Record<string, string>;
  /** Whether the error is ours (5xx) and must be logged with its stack. */
  unexpected: boolean;
}

interface RequestFacts {
  requestId: string;
  instance: string;
}

interface ErrorWithStatus {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
}

const FASTIFY_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', detail: 'The request body exceeds the size limit of 1 MB.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', detail: 'This content type is not accepted; send application/json.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', detail: 'The request body is empty but declared as JSON.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', detail: 'The request body is not valid JSON.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request', detail: 'The Content-Length header does not match the body.' },
};

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

function problem(status: number, code: string, detail: string, facts: RequestFacts, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  // Extensions never override the members RFC 9457 and our clients rely on.
  return {
    ...extra,
    type: problemType(code),
    title: TITLE_BY_STATUS[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    detail,
    instance: facts.instance,
    code,
    requestId: facts.requestId,
  };
}

/** Maps anything thrown while handling a request to one problem document. Never leaks internals. */
export function toProblem(error: unknown, facts: RequestFacts): MappedProblem {
  if (error instanceof AppError) {
    const extra: Partial<ProblemDetails> = { ...error.extensions };
    if (error.errors) extra.errors = error.errors;
    return { body: problem(error.status, error.code, error.message, facts, extra), headers: error.headers, unexpected: error.status >= 500 };
  }

  if (error instanceof ThrottlerException) {
    return { body: problem(429, 'rate_limited', 'Too many requests; slow down and retry after the time given in Retry-After.', facts), headers: {}, unexpected: false };
  }

  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = DEFAULT_CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
    if (status >= 500) {
      return { body: problem(status, code, 'An unexpected error occurred.', facts), headers: {}, unexpected: true };
    }
    const cause = error.cause as ErrorWithStatus | undefined;
    const fastify = typeof cause?.code === 'string' ? FASTIFY_ERRORS[cause.code] : undefined;
    if (fastify) return { body: problem(fastify.status, fastify.code, fastify.detail, facts), headers: {}, unexpected: false };
    if (status === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(error.message)) {
      return { body: problem(status, 'route_not_found', `No route matches ${error.message.slice('Cannot '.length)}.`, facts), headers: {}, unexpected: false };
    }
    if (status === HttpStatus.BAD_REQUEST && error.cause instanceof SyntaxError) {
      return { body: problem(400, 'invalid_json', FASTIFY_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY!.detail, facts), headers: {}, unexpected: false };
    }
    return { body: problem(status, code, httpExceptionDetail(error), facts), headers: {}, unexpected: false };
  }

  const withStatus = (error ?? {}) as ErrorWithStatus;
  const fastifyCode = typeof withStatus.code === 'string' ? withStatus.code : undefined;
  if (fastifyCode && FASTIFY_ERRORS[fastifyCode]) {
    const known = FASTIFY_ERRORS[fastifyCode];
    return { body: problem(known.status, known.code, known.detail, facts), headers: {}, unexpected: false };
  }
  const statusCode = typeof withStatus.statusCode === 'number' ? withStatus.statusCode : undefined;
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    if (error instanceof SyntaxError) {
      return { body: problem(400, 'invalid_json', FASTIFY_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY!.detail, facts), headers: {}, unexpected: false };
    }
    const code = DEFAULT_CODE_BY_STATUS[statusCode] ?? 'bad_request';
    return { body: problem(statusCode, code, TITLE_BY_STATUS[statusCode] ?? 'The request could not be processed.', facts), headers: {}, unexpected: false };
  }

  if (isDatabaseUnavailable(error)) {
    return {
      body: problem(503, 'database_unavailable', 'The service is temporarily unavailable; retry shortly.', facts),
      headers: { 'Retry-After': '5' },
      unexpected: false,
    };
  }

  return { body: problem(500, 'internal_error', 'An unexpected error occurred.', facts), headers: {}, unexpected: true };
}

/** One invalid field of a `validation_failed` (or similar) problem. */
export interface ProblemFieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem document as the Leadforge API sends it (application/problem+json). */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  requestId?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

const isProblem = (value: unknown): value is ProblemDocument =>
  typeof value === 'object' && value !== null && typeof (value as ProblemDocument).code === 'string' && typeof (value as ProblemDocument).status === 'number';

/**
 * Every error response of the API, typed: `code` is the stable machine-readable reason (see the
 * API's docs/problems.md), `requestId` matches the server's logs, `errors` lists invalid fields,
 * and `problem` keeps the whole document (e.g. `balance` and `required` of insufficient_credits).
 */
export class LeadforgeProblemError extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string | undefined;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly errors: ProblemFieldError[];
  readonly problem: ProblemDocument;

  constructor(problem: ProblemDocument) {
    super(`${problem.code} (${problem.status}): ${problem.detail || problem.title}`);
    this.name = 'LeadforgeProblemError';
    this.problem = problem;
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.code = problem.code;
    this.requestId = problem.requestId;
    this.errors = problem.errors ?? [];
  }

  /**
   * Builds the error from a failed response's body. A body that is not a problem document (a
   * proxy's HTML page, say) becomes code `http_<status>`.
   */
  static fromResponse(body: unknown, response: Response): LeadforgeProblemError {
    const requestId = response.headers.get('x-request-id') ?? undefined;
    if (isProblem(body)) return new LeadforgeProblemError({ ...body, requestId: body.requestId ?? requestId });
    return new LeadforgeProblemError({
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      detail: typeof body === 'string' ? body.slice(0, 500) : '',
      code: `http_${response.status}`,
      requestId,
    });
  }
}

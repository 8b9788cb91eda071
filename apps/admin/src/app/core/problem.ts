/** An RFC 9457 problem as the API renders it (DESIGN.md §2). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: Array<{ field: string; message: string }>;
  [extension: string]: unknown;
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && ('status' in value || 'code' in value) && ('title' in value || 'detail' in value);
}

/** A readable sentence for any error a call can end with, with the request id when there is one. */
export function describeError(error: unknown): string {
  if (isProblem(error)) {
    const fields = error.errors?.length ? ` (${error.errors.map((item) => `${item.field}: ${item.message}`).join('; ')})` : '';
    const message = `${error.detail ?? error.title ?? 'The request failed.'}${fields}`;
    return error.requestId ? `${message} — request ${error.requestId}` : message;
  }
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error.trim()) return error.trim().slice(0, 300);
  return 'Something went wrong. Please try again.';
}

export function problemCode(error: unknown): string | undefined {
  return isProblem(error) ? error.code : undefined;
}

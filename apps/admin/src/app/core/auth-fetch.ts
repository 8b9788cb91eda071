/**
 * The fetch used by the generated SDK client: adds the bearer token and the CSRF header, refreshes
 * the access token once on a 401 and replays the request, and retries idempotent requests with
 * backoff on 408/429/5xx and network failures.
 */
export interface AccessTokens {
  current(): string | null;
  /** A new access token (one refresh in flight at a time), or null when the session is over. */
  refresh(): Promise<string | null>;
}

export interface AuthFetchOptions {
  fetch: (request: Request) => Promise<Response>;
  tokens: AccessTokens;
  readCookie: (name: string) => string | null;
  sleep?: (ms: number) => Promise<void>;
  maxRetries?: number;
  baseDelayMs?: number;
}

export const CSRF_COOKIE = 'lf_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 10_000;
/** Credentials, not sessions: a 401 here is an answer, not an expired token. */
const NO_REFRESH_PATHS = ['/auth/refresh', '/auth/login', '/auth/register', '/auth/logout'];

export function createAuthFetch(options: AuthFetchOptions): (request: Request) => Promise<Response> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxRetries = options.maxRetries ?? 2;
  const baseDelay = options.baseDelayMs ?? 400;

  const prepare = (template: Request, token: string | null): Request => {
    const request = template.clone();
    const headers = new Headers(request.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    if (!SAFE.has(request.method)) {
      const csrf = options.readCookie(CSRF_COOKIE);
      if (csrf) headers.set(CSRF_HEADER, csrf);
    }
    return new Request(request, { headers });
  };

  const sendWithRetries = async (template: Request, token: string | null): Promise<Response> => {
    const retryable = IDEMPOTENT.has(template.method);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await options.fetch(prepare(template, token));
      } catch (error) {
        if (!retryable || attempt >= maxRetries) throw error;
        await sleep(baseDelay * 2 ** attempt);
        continue;
      }
      if (!retryable || attempt >= maxRetries || !RETRYABLE_STATUS.has(response.status)) return response;
      await sleep(retryDelay(response, baseDelay * 2 ** attempt));
    }
  };

  return async (request: Request) => {
    const template = request.clone();
    const token = options.tokens.current();
    const response = await sendWithRetries(template, token);
    const path = new URL(request.url, 'http://localhost').pathname;
    if (response.status !== 401 || !token || NO_REFRESH_PATHS.some((suffix) => path.endsWith(suffix))) return response;
    const fresh = await options.tokens.refresh();
    if (!fresh) return response;
    return sendWithRetries(template, fresh);
  };
}

function retryDelay(response: Response, fallbackMs: number): number {
  const header = response.headers.get('Retry-After');
  if (header === null) return fallbackMs;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(Math.max(seconds * 1000, 0), MAX_RETRY_AFTER_MS);
  const date = Date.parse(header);
  return Number.isNaN(date) ? fallbackMs : Math.min(Math.max(date - Date.now(), 0), MAX_RETRY_AFTER_MS);
}

export function readDocumentCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

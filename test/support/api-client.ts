import { expect } from 'vitest';

export interface Cookie {
  value: string;
  attributes: string;
}

export interface Session {
  accessToken: string;
  refresh: string;
  csrf: string;
  user: { id: string; email: string; name: string; organization: { id: string; name: string; role: string } };
}

export const STRONG_PASSWORD = 'amber-Lantern-92-quietly';

/** Cookies set by a response, by name. */
export function setCookies(response: Response): Record<string, Cookie> {
  const cookies: Record<string, Cookie> = {};
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(';');
    const index = pair!.indexOf('=');
    cookies[pair!.slice(0, index).trim()] = { value: pair!.slice(index + 1).trim(), attributes: attributes.join(';').trim() };
  }
  return cookies;
}

export async function problemOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.status).toBe(response.status);
  expect(typeof body.code).toBe('string');
  return body;
}

/** A small HTTP client for the API under test. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  request(method: string, path: string, options: { body?: unknown; token?: string; apiKey?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    return fetch(`${this.baseUrl}/api/v1/${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  }

  async json<T = Record<string, unknown>>(method: string, path: string, expectedStatus: number, options: Parameters<ApiClient['request']>[2] = {}): Promise<T> {
    const response = await this.request(method, path, options);
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBe(expectedStatus);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async register(email: string, name: string, orgName?: string, password = STRONG_PASSWORD): Promise<{ user: Session['user']; organization: { id: string; name: string; role: string } }> {
    return this.json('POST', 'auth/register', 201, { body: { email, password, name, ...(orgName ? { orgName } : {}) } });
  }

  async login(email: string, password = STRONG_PASSWORD): Promise<Session> {
    const response = await this.request('POST', 'auth/login', { body: { email, password } });
    const text = await response.text();
    expect(response.status, `login ${email}: ${text}`).toBe(200);
    const body = JSON.parse(text) as { accessToken: string; user: Session['user'] };
    const cookies = setCookies(response);
    return { accessToken: body.accessToken, refresh: cookies.lf_refresh!.value, csrf: cookies.lf_csrf!.value, user: body.user };
  }

  /** POST auth/refresh with the session's cookies and CSRF header. */
  refreshRequest(session: Pick<Session, 'refresh' | 'csrf'>, csrfHeader: string | null = session.csrf): Promise<Response> {
    return this.request('POST', 'auth/refresh', {
      headers: { cookie: `lf_refresh=${session.refresh}; lf_csrf=${session.csrf}`, ...(csrfHeader === null ? {} : { 'x-csrf-token': csrfHeader }) },
    });
  }

  async refresh(session: Session): Promise<Session> {
    const response = await this.refreshRequest(session);
    const text = await response.text();
    expect(response.status, `refresh: ${text}`).toBe(200);
    const body = JSON.parse(text) as { accessToken: string; user: Session['user'] };
    const cookies = setCookies(response);
    return { accessToken: body.accessToken, refresh: cookies.lf_refresh!.value, csrf: cookies.lf_csrf!.value, user: body.user };
  }
}

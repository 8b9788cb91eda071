import { describe, expect, it, vi } from 'vitest';
import { createAuthFetch, type AccessTokens } from './auth-fetch';

function tokens(initial: string | null, refreshed: string | null): AccessTokens & { refresh: ReturnType<typeof vi.fn> } {
  let token = initial;
  return {
    current: () => token,
    refresh: vi.fn(async () => {
      token = refreshed;
      return refreshed;
    }),
  };
}

const respond = (status: number, headers: Record<string, string> = {}) => new Response(status === 204 ? null : JSON.stringify({ status }), { status, headers });

describe('createAuthFetch', () => {
  it('sends the bearer token, refreshes once on a 401 and replays the request with the new token and its body', async () => {
    const seen: Array<{ auth: string | null; body: string }> = [];
    const fetch = vi.fn(async (request: Request) => {
      seen.push({ auth: request.headers.get('Authorization'), body: await request.text() });
      return respond(seen.length === 1 ? 401 : 200);
    });
    const source = tokens('old', 'new');
    const authFetch = createAuthFetch({ fetch, tokens: source, readCookie: () => null, sleep: async () => undefined });

    const response = await authFetch(new Request('http://app/api/v1/leads/bulk', { method: 'POST', body: '{"action":"delete"}' }));

    expect(response.status).toBe(200);
    expect(source.refresh).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([
      { auth: 'Bearer old', body: '{"action":"delete"}' },
      { auth: 'Bearer new', body: '{"action":"delete"}' },
    ]);
  });

  it('refreshes only once when the replayed request is refused too', async () => {
    const fetch = vi.fn(async () => respond(401));
    const source = tokens('old', 'new');
    const authFetch = createAuthFetch({ fetch, tokens: source, readCookie: () => null });

    const response = await authFetch(new Request('http://app/api/v1/auth/me'));

    expect(response.status).toBe(401);
    expect(source.refresh).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('returns the 401 when the session cannot be refreshed', async () => {
    const fetch = vi.fn(async () => respond(401));
    const source = tokens('old', null);
    const response = await createAuthFetch({ fetch, tokens: source, readCookie: () => null })(new Request('http://app/api/v1/tasks'));
    expect(response.status).toBe(401);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('does not refresh for credential endpoints or requests sent without a token', async () => {
    const fetch = vi.fn(async () => respond(401));
    const withToken = tokens('old', 'new');
    await createAuthFetch({ fetch, tokens: withToken, readCookie: () => null })(new Request('http://app/api/v1/auth/login', { method: 'POST', body: '{}' }));
    expect(withToken.refresh).not.toHaveBeenCalled();
    const anonymous = tokens(null, 'new');
    await createAuthFetch({ fetch, tokens: anonymous, readCookie: () => null })(new Request('http://app/api/v1/auth/me'));
    expect(anonymous.refresh).not.toHaveBeenCalled();
  });

  it('repeats the lf_csrf cookie in X-CSRF-Token on unsafe methods only', async () => {
    const headers: Array<string | null> = [];
    const fetch = vi.fn(async (request: Request) => {
      headers.push(request.headers.get('X-CSRF-Token'));
      return respond(200);
    });
    const authFetch = createAuthFetch({ fetch, tokens: tokens(null, null), readCookie: (name) => (name === 'lf_csrf' ? 'c5rf' : null) });
    await authFetch(new Request('http://app/api/v1/auth/refresh', { method: 'POST' }));
    await authFetch(new Request('http://app/api/v1/leads/1', { method: 'DELETE' }));
    await authFetch(new Request('http://app/api/v1/leads'));
    expect(headers).toEqual(['c5rf', 'c5rf', null]);
  });

  it('retries idempotent requests with growing backoff on 503 and 429 (honouring Retry-After)', async () => {
    const statuses = [503, 429, 200];
    const fetch = vi.fn(async () => respond(statuses.shift()!, statuses.length === 1 ? { 'Retry-After': '2' } : {}));
    const sleep = vi.fn(async (_ms: number) => undefined);
    const response = await createAuthFetch({ fetch, tokens: tokens('t', null), readCookie: () => null, sleep, baseDelayMs: 100 })(new Request('http://app/api/v1/leads'));
    expect(response.status).toBe(200);
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([100, 2000]);
  });

  it('never retries a POST on a server error, and gives up on GET after the retry budget', async () => {
    const fetch = vi.fn(async () => respond(503));
    const sleep = vi.fn(async (_ms: number) => undefined);
    const authFetch = createAuthFetch({ fetch, tokens: tokens('t', null), readCookie: () => null, sleep, maxRetries: 2 });
    expect((await authFetch(new Request('http://app/api/v1/scraper/start', { method: 'POST', body: '{}' }))).status).toBe(503);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect((await authFetch(new Request('http://app/api/v1/leads'))).status).toBe(503);
    expect(fetch).toHaveBeenCalledTimes(4);
  });
});

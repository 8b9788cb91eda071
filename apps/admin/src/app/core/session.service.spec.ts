import { TestBed } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionService } from './session.service';

const me = { id: 'u1', email: 'a@example.com', name: 'Ada', emailVerified: true, isPlatformAdmin: false, createdAt: '2026-01-01T00:00:00Z', organization: { id: 'o1', name: 'Acme', role: 'owner' } };

describe('SessionService', () => {
  const realFetch = globalThis.fetch;
  let refreshCalls: Request[];

  beforeEach(() => {
    refreshCalls = [];
    document.cookie = 'lf_csrf=token-1; path=/';
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      const request = input as Request;
      if (request.url.endsWith('/api/v1/auth/refresh')) {
        refreshCalls.push(request);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return new Response(JSON.stringify({ accessToken: `access-${refreshCalls.length}`, expiresIn: 900, tokenType: 'Bearer', user: me }), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }
      return new Response(JSON.stringify(me), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as typeof fetch;
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
    document.cookie = 'lf_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
  });

  it('runs one refresh for concurrent callers, with the CSRF header, and keeps the token in memory only', async () => {
    const session = TestBed.inject(SessionService);
    const results = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(refreshCalls).toHaveLength(1);
    expect(refreshCalls[0]!.headers.get('X-CSRF-Token')).toBe('token-1');
    expect(results).toEqual(['access-1', 'access-1', 'access-1']);
    expect(session.current()).toBe('access-1');
    expect(session.me()?.email).toBe('a@example.com');
    expect(JSON.stringify({ ...localStorage })).not.toContain('access-1');
  });

  it('does not try to refresh without the CSRF cookie (no session to resume)', async () => {
    document.cookie = 'lf_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
    const session = TestBed.inject(SessionService);
    expect(await session.restore()).toBe(false);
    expect(refreshCalls).toHaveLength(0);
  });
});

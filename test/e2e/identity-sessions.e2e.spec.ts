import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session, setCookies, STRONG_PASSWORD } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';

// A file of its own: logins are rate-limited per client IP, and every test here logs in.
let testApp: TestApp;
let api: ApiClient;

beforeAll(async () => {
  testApp = await startTestApp();
  api = new ApiClient(testApp.baseUrl);
  await api.register('grace@example.com', 'Grace Hopper');
});

afterAll(async () => {
  await testApp?.close();
});

const sessionIdOf = (session: Session): string => (JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string }).sid;

describe('sessions', () => {
  it('lists the sessions with device, IP and times, revokes one, logs out, and logs out everywhere', async () => {
    const email = 'grace@example.com';
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
    const loginWith = async (userAgent: string): Promise<Session> => {
      const response = await api.request('POST', 'auth/login', { body: { email, password: STRONG_PASSWORD }, headers: { 'user-agent': userAgent } });
      expect(response.status).toBe(200);
      const cookies = setCookies(response);
      const body = (await response.json()) as { accessToken: string; user: Session['user'] };
      return { accessToken: body.accessToken, refresh: cookies.lf_refresh!.value, csrf: cookies.lf_csrf!.value, user: body.user };
    };
    const desktop = await loginWith(firefox);
    const other = await loginWith('curl/8.5.0');
    const third = await loginWith('curl/8.5.0');

    const list = await api.json<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>('GET', 'auth/sessions', 200, { token: desktop.accessToken });
    expect(list.items).toHaveLength(3);
    expect(list.nextCursor).toBeNull();
    const mine = list.items.find((item) => item.current === true)!;
    expect(mine).toMatchObject({ device: 'Firefox on Linux', ip: '127.0.0.1', userAgent: firefox });
    expect(Date.parse(String(mine.createdAt))).not.toBeNaN();
    expect(Date.parse(String(mine.lastUsedAt))).not.toBeNaN();

    const paged = await api.json<{ items: Array<{ id: string }>; nextCursor: string | null }>('GET', 'auth/sessions?limit=2', 200, { token: desktop.accessToken });
    expect(paged.items).toHaveLength(2);
    const rest = await api.json<{ items: Array<{ id: string }>; nextCursor: string | null }>('GET', `auth/sessions?limit=2&cursor=${paged.nextCursor}`, 200, { token: desktop.accessToken });
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    expect((await problemOf(await api.request('GET', 'auth/sessions?limit=500', { token: desktop.accessToken }))).code).toBe('validation_failed');

    const otherId = sessionIdOf(other);
    expect(list.items.find((item) => item.id === otherId)).toMatchObject({ device: 'curl', current: false });
    await api.json('DELETE', `auth/sessions/${otherId}`, 204, { token: desktop.accessToken });
    expect((await api.request('DELETE', `auth/sessions/${otherId}`, { token: desktop.accessToken })).status).toBe(404);
    expect((await api.request('GET', 'auth/me', { token: other.accessToken })).status).toBe(401);
    expect((await api.refreshRequest(other)).status).toBe(401);
    await api.json('GET', 'auth/me', 200, { token: third.accessToken });
    const remaining = await api.json<{ items: Array<{ id: string }> }>('GET', 'auth/sessions', 200, { token: desktop.accessToken });
    expect(remaining.items.map((item) => item.id).sort()).toEqual([sessionIdOf(desktop), sessionIdOf(third)].sort());

    // Logout ends the cookie's session and clears the cookies; it needs the CSRF header too.
    const logoutWithoutCsrf = await api.request('POST', 'auth/logout', { headers: { cookie: `lf_refresh=${third.refresh}; lf_csrf=${third.csrf}` } });
    expect((await problemOf(logoutWithoutCsrf)).code).toBe('csrf_failed');
    const logout = await api.request('POST', 'auth/logout', { headers: { cookie: `lf_refresh=${third.refresh}; lf_csrf=${third.csrf}`, 'x-csrf-token': third.csrf } });
    expect(logout.status).toBe(204);
    expect(setCookies(logout).lf_refresh!.attributes).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);
    expect((await api.request('GET', 'auth/me', { token: third.accessToken })).status).toBe(401);

    await api.json('POST', 'auth/logout-all', 204, { token: desktop.accessToken });
    expect((await api.request('GET', 'auth/me', { token: desktop.accessToken })).status).toBe(401);
    expect((await api.refreshRequest(desktop)).status).toBe(401);
  });

  it('updates the profile with bounded, known fields only', async () => {
    const session = await api.login('grace@example.com');
    const updated = await api.json<{ name: string }>('PATCH', 'auth/me', 200, { token: session.accessToken, body: { name: '  Rear Admiral Hopper ' } });
    expect(updated.name).toBe('Rear Admiral Hopper');
    expect((await problemOf(await api.request('PATCH', 'auth/me', { token: session.accessToken, body: { email: 'x@example.com' } }))).code).toBe('validation_failed');
    expect((await problemOf(await api.request('PATCH', 'auth/me', { token: session.accessToken, body: { name: 'x'.repeat(101) } }))).code).toBe('validation_failed');
  });
});

describe('refresh races', () => {
  it('lets one of two concurrent uses of a refresh token through; the other counts as reuse and ends the session', async () => {
    const session = await api.login('grace@example.com');
    const [first, second] = await Promise.all([api.refreshRequest(session), api.refreshRequest(session)]);
    expect([first.status, second.status].sort()).toEqual([200, 401]);
    const winner = first.status === 200 ? first : second;
    const cookies = setCookies(winner);
    const body = (await winner.json()) as { accessToken: string };
    expect((await api.request('GET', 'auth/me', { token: body.accessToken })).status).toBe(401);
    expect((await api.refreshRequest({ refresh: cookies.lf_refresh!.value, csrf: cookies.lf_csrf!.value })).status).toBe(401);
  });
});

import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session, setCookies, STRONG_PASSWORD } from '../support/api-client';
import { linkToken, type Mailbox, startMailbox } from '../support/mailbox';
import { startTestApp, type TestApp } from '../support/test-app';

let testApp: TestApp;
let mailbox: Mailbox;
let api: ApiClient;

beforeAll(async () => {
  mailbox = await startMailbox();
  testApp = await startTestApp({ MAIL_URL: mailbox.url, PUBLIC_URL: 'https://leadforge.test' });
  api = new ApiClient(testApp.baseUrl);
});

afterAll(async () => {
  await testApp?.close();
  await mailbox?.close();
});

const mailTo = (address: string, subject: RegExp) => mailbox.waitFor((mail) => mail.to.includes(address) && subject.test(mail.subject));

describe('the whole account flow', () => {
  const email = 'ada@example.com';
  const newPassword = 'violet-Harbor-31-slowly';
  const finalPassword = 'copper-Meadow-58-gently';

  it('register -> verify -> login -> refresh rotates -> change password -> forgot -> reset -> login', async () => {
    const registered = await api.register('  Ada@Example.com ', 'Ada Lovelace', 'Analytical Engines');
    expect(registered.user).toMatchObject({ email, name: 'Ada Lovelace', emailVerified: false, isPlatformAdmin: false });
    expect(registered.user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(registered.organization).toMatchObject({ name: 'Analytical Engines', role: 'owner' });

    // The verification mail arrives by SMTP with a text and an HTML part, and its link works once.
    const verification = await mailTo(email, /Confirm your email/);
    expect(verification.raw).toMatch(/Content-Type: text\/plain/i);
    expect(verification.raw).toMatch(/Content-Type: text\/html/i);
    expect(verification.body).toContain('https://leadforge.test/verify-email?token=');
    const verifyToken = linkToken(verification, 'verify-email');
    await api.json('POST', 'auth/verify-email', 204, { body: { token: verifyToken } });
    expect((await problemOf(await api.request('POST', 'auth/verify-email', { body: { token: verifyToken } }))).code).toBe('invalid_or_expired_token');
    await mailTo(email, /Welcome/);

    // Login: access token in the body, refresh token in a locked-down cookie.
    const loginResponse = await api.request('POST', 'auth/login', { body: { email: 'ADA@example.com', password: STRONG_PASSWORD }, headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' } });
    expect(loginResponse.status).toBe(200);
    const loginBody = (await loginResponse.json()) as { accessToken: string; expiresIn: number; user: Session['user'] & { emailVerified: boolean } };
    expect(loginBody.expiresIn).toBe(900);
    expect(loginBody.user).toMatchObject({ email, emailVerified: true, organization: { id: registered.organization.id, role: 'owner' } });
    const cookies = setCookies(loginResponse);
    expect(cookies.lf_refresh!.attributes).toMatch(/HttpOnly/i);
    expect(cookies.lf_refresh!.attributes).toMatch(/Secure/i);
    expect(cookies.lf_refresh!.attributes).toMatch(/SameSite=Strict/i);
    expect(cookies.lf_refresh!.attributes).toMatch(/Path=\/api\/v1\/auth(;|$)/);
    expect(cookies.lf_csrf!.attributes).not.toMatch(/HttpOnly/i);
    expect(cookies.lf_csrf!.attributes).toMatch(/Path=\/(;|$)/);
    const first: Session = { accessToken: loginBody.accessToken, refresh: cookies.lf_refresh!.value, csrf: cookies.lf_csrf!.value, user: loginBody.user };

    const me = await api.json<Record<string, unknown>>('GET', 'auth/me', 200, { token: first.accessToken });
    expect(me).toMatchObject({ id: registered.user.id, email, name: 'Ada Lovelace', emailVerified: true, isPlatformAdmin: false, organization: { id: registered.organization.id, name: 'Analytical Engines', role: 'owner' } });

    // Refresh needs the CSRF double submit.
    expect((await problemOf(await api.refreshRequest(first, null))).code).toBe('csrf_failed');
    expect((await problemOf(await api.refreshRequest(first, 'x'.repeat(43)))).code).toBe('csrf_failed');

    // Refresh rotates; the old refresh token then fails and takes its whole family down.
    const rotated = await api.refresh(first);
    expect(rotated.refresh).not.toBe(first.refresh);
    await api.json('GET', 'auth/me', 200, { token: rotated.accessToken });
    const reuse = await api.refreshRequest(first);
    expect(reuse.status).toBe(401);
    expect((await problemOf(reuse)).code).toBe('invalid_refresh_token');
    expect((await problemOf(await api.refreshRequest(rotated))).code).toBe('invalid_refresh_token');
    expect((await problemOf(await api.request('GET', 'auth/me', { token: rotated.accessToken }))).code).toBe('invalid_token');

    // Change password: the other sessions die, the current one lives on.
    const laptop = await api.login(email);
    const phone = await api.login(email);
    const weak = await api.request('POST', 'auth/change-password', { token: laptop.accessToken, body: { currentPassword: STRONG_PASSWORD, newPassword: 'password1234' } });
    expect((await problemOf(weak)).code).toBe('weak_password');
    const wrong = await api.request('POST', 'auth/change-password', { token: laptop.accessToken, body: { currentPassword: 'not-the-password-1', newPassword } });
    expect((await problemOf(wrong)).code).toBe('wrong_password');
    await api.json('POST', 'auth/change-password', 204, { token: laptop.accessToken, body: { currentPassword: STRONG_PASSWORD, newPassword } });
    await api.json('GET', 'auth/me', 200, { token: laptop.accessToken });
    expect((await api.request('GET', 'auth/me', { token: phone.accessToken })).status).toBe(401);
    expect((await api.refreshRequest(phone)).status).toBe(401);
    expect((await api.request('POST', 'auth/login', { body: { email, password: STRONG_PASSWORD } })).status).toBe(401);
    await api.login(email, newPassword);

    // Forgot -> reset mail -> reset (single use) -> every session ends -> login with the new password.
    await api.json('POST', 'auth/forgot-password', 202, { body: { email } });
    const reset = await mailTo(email, /Reset your password/);
    const resetToken = linkToken(reset, 'reset-password');
    expect(reset.body).toContain(`https://leadforge.test/reset-password?token=${resetToken}`);
    const weakReset = await api.request('POST', 'auth/reset-password', { body: { token: resetToken, password: 'qwertyuiop123' } });
    expect((await problemOf(weakReset)).code).toBe('weak_password');
    await api.json('POST', 'auth/reset-password', 204, { body: { token: resetToken, password: finalPassword } });
    expect((await problemOf(await api.request('POST', 'auth/reset-password', { body: { token: resetToken, password: 'another-Strong-77-pass' } }))).code).toBe(
      'invalid_or_expired_token',
    );
    expect((await api.request('GET', 'auth/me', { token: laptop.accessToken })).status).toBe(401);
    expect((await api.request('POST', 'auth/login', { body: { email, password: newPassword } })).status).toBe(401);
    const final = await api.login(email, finalPassword);
    await api.json('GET', 'auth/me', 200, { token: final.accessToken });
  });

  it('stores the tokens of emailed links only as hashes, and audits the flow', async () => {
    const owner = new Client({ connectionString: testApp.databaseOwnerUrl });
    await owner.connect();
    try {
      const tokens = await owner.query<{ token_hash: string }>('SELECT token_hash FROM auth_token');
      expect(tokens.rowCount).toBeGreaterThan(0);
      for (const row of tokens.rows) expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      const password = await owner.query<{ password_hash: string }>('SELECT password_hash FROM user_account WHERE email = $1', [email]);
      expect(password.rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
      const actions = (await owner.query<{ action: string }>('SELECT action FROM audit_log ORDER BY id')).rows.map((row) => row.action);
      for (const action of ['user.registered', 'auth.email.verified', 'auth.login.succeeded', 'auth.login.failed', 'auth.refresh.reuse_detected', 'auth.password.changed', 'auth.password.reset']) {
        expect(actions).toContain(action);
      }
    } finally {
      await owner.end();
    }
  });
});

describe('answers that reveal nothing', () => {
  it('forgot-password and resend-verification answer the same for unknown addresses, and send nothing', async () => {
    const known = await api.json('POST', 'auth/forgot-password', 202, { body: { email: 'ada@example.com' } });
    const unknown = await api.json('POST', 'auth/forgot-password', 202, { body: { email: 'nobody@example.com' } });
    expect(unknown).toEqual(known);
    const resendUnknown = await api.json('POST', 'auth/resend-verification', 202, { body: { email: 'nobody@example.com' } });
    expect(resendUnknown).toEqual(known);
    await mailTo('ada@example.com', /Reset your password/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(mailbox.messages.some((mail) => mail.to.includes('nobody@example.com'))).toBe(false);
  });

  it('login with an unknown email and with a wrong password fail alike', async () => {
    const unknown = await problemOf(await api.request('POST', 'auth/login', { body: { email: 'nobody@example.com', password: STRONG_PASSWORD } }));
    const wrong = await problemOf(await api.request('POST', 'auth/login', { body: { email: 'ada@example.com', password: 'wrong-Password-000' } }));
    expect(unknown.status).toBe(401);
    expect({ ...unknown, requestId: undefined, instance: undefined }).toEqual({ ...wrong, requestId: undefined, instance: undefined });
  });
});

describe('registration', () => {
  it('resends the verification mail with a fresh link; the older link stops working', async () => {
    await api.register('grace@example.com', 'Grace Hopper');
    const first = linkToken(await mailTo('grace@example.com', /Confirm your email/), 'verify-email');
    await api.json('POST', 'auth/resend-verification', 202, { body: { email: 'grace@example.com' } });
    const second = linkToken(await mailbox.waitFor((mail) => mail.to.includes('grace@example.com') && linkToken(mail, 'verify-email') !== first), 'verify-email');
    expect((await problemOf(await api.request('POST', 'auth/verify-email', { body: { token: first } }))).code).toBe('invalid_or_expired_token');
    await api.json('POST', 'auth/verify-email', 204, { body: { token: second } });
  });

  it('refuses a taken email, weak or over-long passwords, bad addresses and unknown fields', async () => {
    const taken = await api.request('POST', 'auth/register', { body: { email: 'GRACE@example.com', password: STRONG_PASSWORD, name: 'Someone' } });
    expect(taken.status).toBe(409);
    expect((await problemOf(taken)).code).toBe('email_taken');

    const weak = await problemOf(await api.request('POST', 'auth/register', { body: { email: 'weak@example.com', password: 'password123', name: 'Weak' } }));
    expect(weak.code).toBe('weak_password');
    const short = await problemOf(await api.request('POST', 'auth/register', { body: { email: 'short@example.com', password: 'Ab1!xyz', name: 'Short' } }));
    expect((short.errors as Array<{ field: string }>).map((error) => error.field)).toEqual(['password']);
    const long = await problemOf(await api.request('POST', 'auth/register', { body: { email: 'long@example.com', password: 'x'.repeat(129), name: 'Long' } }));
    expect(long.code).toBe('validation_failed');
    const invalid = await problemOf(await api.request('POST', 'auth/register', { body: { email: 'not-an-email', password: STRONG_PASSWORD, name: '', isPlatformAdmin: true } }));
    expect(new Set((invalid.errors as Array<{ field: string }>).map((error) => error.field))).toEqual(new Set(['email', 'name', 'isPlatformAdmin']));
  });
});

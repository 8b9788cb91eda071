import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session, STRONG_PASSWORD } from '../support/api-client';
import { linkToken, type Mailbox, startMailbox } from '../support/mailbox';
import { startTestApp, TEST_SECRETS, type TestApp } from '../support/test-app';

let testApp: TestApp;
let api: ApiClient;
let owner: Session;

beforeAll(async () => {
  testApp = await startTestApp();
  api = new ApiClient(testApp.baseUrl);
  await api.register('owner@tokens.test', 'Olga Owner', 'Token Testers');
  owner = await api.login('owner@tokens.test');
});

afterAll(async () => {
  await testApp?.close();
});

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, secret = TEST_SECRETS.JWT_SECRET, hash = 'sha256'): string {
  const data = `${base64url(header)}.${base64url(payload)}`;
  return `${data}.${createHmac(hash, secret).update(data).digest('base64url')}`;
}

async function expectInvalidToken(token: string): Promise<void> {
  const response = await api.request('GET', 'orgs/current', { token });
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  const problem = await problemOf(response);
  expect(problem.code).toBe('invalid_token');
  expect(JSON.stringify(problem)).not.toMatch(/jwt|signature|malformed|stack/i);
}

describe('access tokens', () => {
  it('carry HS256, issuer, audience and a 15 minute lifetime; a correctly signed copy is accepted', async () => {
    const header = JSON.parse(Buffer.from(owner.accessToken.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(header.alg).toBe('HS256');
    const claims = claimsOf(owner.accessToken);
    expect(claims).toMatchObject({ iss: 'leadforge', aud: 'leadforge-api', sub: owner.user.id, org: owner.user.organization.id });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
    // The forgeries below differ from this one in a single property each.
    await api.json('GET', 'orgs/current', 200, { token: signJwt({ alg: 'HS256', typ: 'JWT' }, claims) });
  });

  it('refuse a tampered token, alg none, another algorithm, an expired token, a wrong audience or issuer', async () => {
    const claims = claimsOf(owner.accessToken);
    const [header, , signature] = owner.accessToken.split('.');
    await expectInvalidToken(`${header}.${base64url({ ...claims, org: '01900000-0000-7000-8000-000000000000' })}.${signature}`);
    await expectInvalidToken(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`);
    await expectInvalidToken(signJwt({ alg: 'HS512', typ: 'JWT' }, claims, TEST_SECRETS.JWT_SECRET, 'sha512'));
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidToken(signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 1000, exp: now - 100 }));
    await expectInvalidToken(signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'another-api' }));
    await expectInvalidToken(signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'someone-else' }));
    await expectInvalidToken(signJwt({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret-0123456789abcdef0123456789'));
    await expectInvalidToken('not-a-jwt');
  });

  it('answer a missing credential with 401 problem+json', async () => {
    const response = await api.request('GET', 'auth/me');
    expect(response.status).toBe(401);
    expect((await problemOf(response)).code).toBe('unauthenticated');
  });
});

describe('API keys', () => {
  it('are shown once, stored hashed, act for the org with member rights, record their last use and stop on revocation', async () => {
    const created = await api.json<{ id: string; name: string; prefix: string; secret: string; lastUsedAt: string | null }>('POST', 'api-keys', 201, {
      token: owner.accessToken,
      body: { name: 'CRM sync' },
    });
    expect(created.secret).toMatch(/^lf_[A-Za-z0-9_-]{43}$/);
    expect(created.secret.startsWith(created.prefix)).toBe(true);
    expect(created.lastUsedAt).toBeNull();

    const listed = await api.json<{ items: Array<Record<string, unknown>> }>('GET', 'api-keys', 200, { token: owner.accessToken });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ id: created.id, name: 'CRM sync', prefix: created.prefix });
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const database = new Client({ connectionString: testApp.databaseOwnerUrl });
    await database.connect();
    try {
      const stored = await database.query<{ key_hash: string }>('SELECT key_hash FROM api_key');
      expect(stored.rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored.rows)).not.toContain(created.secret.slice(3));
    } finally {
      await database.end();
    }

    const org = await api.json<{ id: string; role: string }>('GET', 'orgs/current', 200, { apiKey: created.secret });
    expect(org).toMatchObject({ id: owner.user.organization.id, role: 'member' });
    await api.json('GET', 'orgs/current/members', 200, { apiKey: created.secret });
    const afterUse = await api.json<{ items: Array<{ lastUsedAt: string | null }> }>('GET', 'api-keys', 200, { apiKey: created.secret });
    expect(afterUse.items[0]!.lastUsedAt).not.toBeNull();

    // Member rights only, and never a person's endpoints.
    expect((await problemOf(await api.request('PATCH', 'orgs/current', { apiKey: created.secret, body: { name: 'Hijacked' } }))).code).toBe('api_key_not_allowed');
    expect((await problemOf(await api.request('POST', 'api-keys', { apiKey: created.secret, body: { name: 'another' } }))).code).toBe('api_key_not_allowed');
    expect((await problemOf(await api.request('GET', 'auth/me', { apiKey: created.secret }))).code).toBe('api_key_not_allowed');

    expect((await problemOf(await api.request('GET', 'orgs/current', { apiKey: `${created.secret.slice(0, -1)}x` }))).code).toBe('invalid_api_key');
    expect((await problemOf(await api.request('GET', 'orgs/current', { apiKey: 'lf_short' }))).code).toBe('invalid_api_key');

    await api.json('DELETE', `api-keys/${created.id}`, 204, { token: owner.accessToken });
    expect((await problemOf(await api.request('GET', 'orgs/current', { apiKey: created.secret }))).code).toBe('invalid_api_key');
    expect((await api.json<{ items: unknown[] }>('GET', 'api-keys', 200, { token: owner.accessToken })).items).toEqual([]);
  });

  it('are audited on creation and revocation', async () => {
    const database = new Client({ connectionString: testApp.databaseOwnerUrl });
    await database.connect();
    try {
      const rows = await database.query<{ action: string; org_id: string; actor_user_id: string }>(
        `SELECT action, org_id, actor_user_id FROM audit_log WHERE action IN ('api_key.created', 'api_key.revoked') ORDER BY id`,
      );
      expect(rows.rows).toEqual([
        { action: 'api_key.created', org_id: owner.user.organization.id, actor_user_id: owner.user.id },
        { action: 'api_key.revoked', org_id: owner.user.organization.id, actor_user_id: owner.user.id },
      ]);
      // Its use in between is noted too, by the key itself rather than a person.
      const used = await database.query(`SELECT actor_user_id, actor_api_key_id IS NOT NULL AS by_key FROM audit_log WHERE action = 'api_key.used'`);
      expect(used.rows).toEqual([{ actor_user_id: null, by_key: true }]);
    } finally {
      await database.end();
    }
  });
});

describe('password guessing', () => {
  let limited: TestApp;

  beforeAll(async () => {
    limited = await startTestApp();
    await new ApiClient(limited.baseUrl).register('target@tokens.test', 'Tina Target');
  });

  afterAll(async () => {
    await limited?.close();
  });

  it('11 rapid wrong logins end in 429 with Retry-After, and the account stays locked for the right password too', async () => {
    const client = new ApiClient(limited.baseUrl);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let attempt = 0; attempt < 11; attempt += 1) {
      last = await client.request('POST', 'auth/login', { body: { email: 'target@tokens.test', password: `wrong-Guess-${attempt}-xyz` } });
      statuses.push(last.status);
      if (attempt < 10) await last.arrayBuffer();
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    await problemOf(last!);

    const locked = await client.request('POST', 'auth/login', { body: { email: 'target@tokens.test', password: STRONG_PASSWORD } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);

    const database = new Client({ connectionString: limited.databaseOwnerUrl });
    await database.connect();
    try {
      const failures = await database.query(`SELECT 1 FROM audit_log WHERE action = 'auth.login.failed'`);
      expect(failures.rowCount).toBe(10);
    } finally {
      await database.end();
    }
  });
});

describe('REQUIRE_EMAIL_VERIFICATION=true', () => {
  let strict: TestApp;
  let mailbox: Mailbox;

  beforeAll(async () => {
    mailbox = await startMailbox();
    strict = await startTestApp({ REQUIRE_EMAIL_VERIFICATION: 'true', MAIL_URL: mailbox.url });
  });

  afterAll(async () => {
    await strict?.close();
    await mailbox?.close();
  });

  it('refuses login until the email address is confirmed', async () => {
    const client = new ApiClient(strict.baseUrl);
    await client.register('careful@tokens.test', 'Carl Careful');
    const refused = await client.request('POST', 'auth/login', { body: { email: 'careful@tokens.test', password: STRONG_PASSWORD } });
    expect(refused.status).toBe(403);
    expect((await problemOf(refused)).code).toBe('email_not_verified');
    const mail = await mailbox.waitFor((message) => message.to.includes('careful@tokens.test'));
    await client.json('POST', 'auth/verify-email', 204, { body: { token: linkToken(mail, 'verify-email') } });
    await client.login('careful@tokens.test');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session, STRONG_PASSWORD } from '../support/api-client';
import { ownerClient } from '../support/ledger';
import { startTestApp, type TestApp } from '../support/test-app';

interface UserItem {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  isPlatformAdmin: boolean;
  memberships: Array<{ orgId: string; orgName: string; role: string }>;
}
interface OrgItem {
  id: string;
  name: string;
  plan: string;
  balance: number;
  membersCount: number;
}
interface List<T> {
  items: T[];
  nextCursor: string | null;
}

let testApp: TestApp;
let api: ApiClient;
let admin: Session;
let customer: Session;

beforeAll(async () => {
  testApp = await startTestApp({ WORKERS_IN_PROCESS: 'false', DEFAULT_CREDITS: '250' });
  api = new ApiClient(testApp.baseUrl);
  await api.register('root@platform.test', 'Ada Admin', 'Platform HQ');
  await api.register('buyer@customer.test', 'Carl Customer', 'Customer Co');
  for (let index = 0; index < 5; index++) await api.register(`user${index}@bulk.test`, `Bulk User ${index}`, `Bulk Org ${index}`);
  const client = await ownerClient(testApp.databaseUrl);
  await client.query(`UPDATE user_account SET is_platform_admin = true WHERE email = 'root@platform.test'`);
  await client.end();
  admin = await api.login('root@platform.test');
  customer = await api.login('buyer@customer.test');
});

afterAll(async () => {
  await testApp?.close();
});

async function collect<T extends { id: string }>(path: string, limit: number, extra = ''): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const page: List<T> = await api.json<List<T>>('GET', `${path}?limit=${limit}${extra}${cursor ? `&cursor=${cursor}` : ''}`, 200, { token: admin.accessToken });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

describe('platform administrators only', () => {
  it('refuses members of an organization (403 platform_admin_required), API keys and anonymous callers', async () => {
    for (const path of ['admin/users', 'admin/orgs', 'health/database']) {
      const forbidden = await api.request('GET', path, { token: customer.accessToken });
      expect(forbidden.status, path).toBe(403);
      expect((await problemOf(forbidden)).code).toBe('platform_admin_required');
      expect((await api.request('GET', path)).status, path).toBe(401);
    }
    const key = await api.json<{ secret: string }>('POST', 'api-keys', 201, { token: admin.accessToken, body: { name: 'ci' } });
    expect((await api.request('GET', 'admin/orgs', { apiKey: key.secret })).status).toBe(403);
  });
});

describe('GET admin/users', () => {
  it('pages through every user of every organization, newest first, without repeats', async () => {
    const users = await collect<UserItem>('admin/users', 2);
    expect(users).toHaveLength(7);
    expect(new Set(users.map((user) => user.id)).size).toBe(7);
    expect(users.map((user) => user.id)).toEqual([...users.map((user) => user.id)].sort().reverse());
    const root = users.find((user) => user.email === 'root@platform.test')!;
    expect(root.isPlatformAdmin).toBe(true);
    expect(root.memberships).toEqual([{ orgId: admin.user.organization.id, orgName: 'Platform HQ', role: 'owner' }]);
    expect(users.find((user) => user.email === 'buyer@customer.test')!.isPlatformAdmin).toBe(false);
  });

  it('searches email and name case-insensitively, with wildcards taken literally', async () => {
    const byName = await api.json<List<UserItem>>('GET', 'admin/users?q=BULK%20user', 200, { token: admin.accessToken });
    expect(byName.items.map((user) => user.email).sort()).toEqual(['user0@bulk.test', 'user1@bulk.test', 'user2@bulk.test', 'user3@bulk.test', 'user4@bulk.test']);
    const byEmail = await api.json<List<UserItem>>('GET', 'admin/users?q=buyer@', 200, { token: admin.accessToken });
    expect(byEmail.items.map((user) => user.email)).toEqual(['buyer@customer.test']);
    const wildcard = await api.json<List<UserItem>>('GET', 'admin/users?q=%25', 200, { token: admin.accessToken });
    expect(wildcard.items).toEqual([]);
    const searchedPages = await collect<UserItem>('admin/users', 2, '&q=bulk');
    expect(searchedPages).toHaveLength(5);
  });

  it('bounds the query', async () => {
    for (const query of [`q=${'x'.repeat(101)}`, 'limit=0', 'limit=201', 'cursor=nope', 'unknown=1']) {
      const response = await api.request('GET', `admin/users?${query}`, { token: admin.accessToken });
      expect(response.status, query).toBe(400);
      expect((await problemOf(response)).code).toBe('validation_failed');
    }
  });
});

describe('GET admin/orgs', () => {
  it('lists every organization with plan, balance and members; credit adjustments show in the balance', async () => {
    const orgId = customer.user.organization.id;
    await api.json('POST', `admin/orgs/${orgId}/credits`, 200, { token: admin.accessToken, body: { delta: 40, reason: 'Goodwill credit' } });
    const orgs = await collect<OrgItem>('admin/orgs', 3);
    expect(orgs).toHaveLength(7);
    expect(new Set(orgs.map((org) => org.id)).size).toBe(7);
    const customerOrg = orgs.find((org) => org.id === orgId)!;
    expect(customerOrg).toMatchObject({ name: 'Customer Co', plan: 'free', balance: 290, membersCount: 1 });
    expect(orgs.find((org) => org.name === 'Bulk Org 3')!.balance).toBe(250);
  });

  it('searches the name and bounds the query', async () => {
    const found = await api.json<List<OrgItem>>('GET', 'admin/orgs?q=customer', 200, { token: admin.accessToken });
    expect(found.items.map((org) => org.name)).toEqual(['Customer Co']);
    expect((await api.request('GET', `admin/orgs?q=${'y'.repeat(101)}`, { token: admin.accessToken })).status).toBe(400);
  });
});

describe('GET health/database', () => {
  it('reports the pool, the server, connections and the migrations', async () => {
    const health = await api.json<{
      pool: { max: number; total: number; idle: number; waiting: number };
      serverVersion: string;
      database: string;
      sizeBytes: number;
      connections: number;
      activeConnections: number;
      migrations: { applied: number; known: number; pending: boolean; latest: string | null };
    }>('GET', 'health/database', 200, { token: admin.accessToken });
    expect(health.pool.max).toBeGreaterThan(0);
    expect(health.pool.total).toBeGreaterThanOrEqual(1);
    expect(health.pool.total).toBeLessThanOrEqual(health.pool.max);
    expect(health.pool.idle).toBeLessThanOrEqual(health.pool.total);
    expect(health.serverVersion).toMatch(/^PostgreSQL \d+/);
    expect(health.database).toBe(new URL(testApp.databaseUrl).pathname.slice(1));
    expect(health.sizeBytes).toBeGreaterThan(0);
    expect(health.connections).toBeGreaterThanOrEqual(1);
    expect(health.activeConnections).toBeGreaterThanOrEqual(1);
    expect(health.migrations.pending).toBe(false);
    expect(health.migrations.applied).toBe(health.migrations.known);
    expect(health.migrations.latest).toBeTruthy();
  });
});

const sessionIdOf = (session: Session): string => (JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string }).sid;

interface Stats {
  users: { total: number; verified: number; suspended: number; platformAdmins: number; newLast7Days: number };
  orgs: { total: number; byPlan: Array<{ plan: string; orgs: number }> };
  tasks: { last24HoursByStatus: Array<{ status: string; tasks: number }>; runningNow: number };
  leads: { total: number; createdLast24Hours: number };
  credits: { consumedLast30Days: number };
  queues: Array<{ queue: string; queued: number; active: number }>;
  generatedAt: string;
}

const patchUser = (id: string, body: unknown, token = admin.accessToken) => api.request('PATCH', `admin/users/${id}`, { token, body });

async function userByEmail(email: string): Promise<UserItem & { suspended: boolean; suspendedAt: string | null }> {
  const page = await api.json<List<UserItem & { suspended: boolean; suspendedAt: string | null }>>('GET', `admin/users?q=${encodeURIComponent(email)}`, 200, { token: admin.accessToken });
  return page.items.find((user) => user.email === email)!;
}

async function auditRows(targetId: string): Promise<Array<{ action: string; actor_user_id: string; metadata: Record<string, unknown> }>> {
  const client = await ownerClient(testApp.databaseUrl);
  try {
    return (await client.query(`SELECT action, actor_user_id, metadata FROM audit_log WHERE target_id = $1 AND action = 'admin.user.updated' ORDER BY id`, [targetId])).rows;
  } finally {
    await client.end();
  }
}

describe('PATCH admin/users/:id', () => {
  it('grants and removes platform administrator rights, effective on the next request, audited', async () => {
    const promoted = await api.json<UserItem>('PATCH', `admin/users/${customer.user.id}`, 200, { token: admin.accessToken, body: { isPlatformAdmin: true } });
    expect(promoted).toMatchObject({ id: customer.user.id, email: 'buyer@customer.test', isPlatformAdmin: true, suspended: false, suspendedAt: null });
    await api.json('GET', 'admin/users', 200, { token: customer.accessToken });
    const demoted = await api.json<UserItem>('PATCH', `admin/users/${customer.user.id}`, 200, { token: admin.accessToken, body: { isPlatformAdmin: false } });
    expect(demoted.isPlatformAdmin).toBe(false);
    expect((await api.request('GET', 'admin/users', { token: customer.accessToken })).status).toBe(403);
    // Setting what is already set changes nothing and records nothing.
    await api.json('PATCH', `admin/users/${customer.user.id}`, 200, { token: admin.accessToken, body: { isPlatformAdmin: false } });
    const audit = await auditRows(customer.user.id);
    expect(audit.map((row) => row.metadata)).toEqual([{ isPlatformAdmin: true }, { isPlatformAdmin: false }]);
    expect(audit.every((row) => row.actor_user_id === admin.user.id)).toBe(true);
  });

  it('refuses to demote or suspend yourself (409), and accepts a no-op on yourself', async () => {
    const demoteSelf = await patchUser(admin.user.id, { isPlatformAdmin: false });
    expect(demoteSelf.status).toBe(409);
    expect((await problemOf(demoteSelf)).code).toBe('cannot_demote_self');
    const suspendSelf = await patchUser(admin.user.id, { suspended: true });
    expect(suspendSelf.status).toBe(409);
    expect((await problemOf(suspendSelf)).code).toBe('cannot_suspend_self');
    const self = await api.json<UserItem>('PATCH', `admin/users/${admin.user.id}`, 200, { token: admin.accessToken, body: { isPlatformAdmin: true, suspended: false } });
    expect(self.isPlatformAdmin).toBe(true);
    await api.json('GET', 'admin/users', 200, { token: admin.accessToken });
  });

  it('validates the body and the id; unknown users are 404; members get 403', async () => {
    for (const body of [{ role: 'owner' }, { suspended: 'yes' }, { isPlatformAdmin: 1 }, { suspended: true, email: 'x@y.z' }]) {
      const response = await patchUser(customer.user.id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await problemOf(response)).code).toBe('validation_failed');
    }
    expect((await patchUser('not-a-uuid', { suspended: true })).status).toBe(400);
    const unknown = await patchUser('0193a5b2-7c1e-7d3a-9f00-2b7c4e1d9a10', { suspended: true });
    expect(unknown.status).toBe(404);
    expect((await problemOf(unknown)).code).toBe('not_found');
    const byMember = await patchUser(admin.user.id, { isPlatformAdmin: false }, customer.accessToken);
    expect(byMember.status).toBe(403);
    expect((await problemOf(byMember)).code).toBe('platform_admin_required');
    expect((await userByEmail('root@platform.test')).isPlatformAdmin).toBe(true);
  });

  it('suspension ends every session at once and refuses sign-in after the password check; reactivation lets the user back in', async () => {
    await api.register('vic@suspend.test', 'Vic Victim', 'Suspended Org');
    const first = await api.login('vic@suspend.test');
    const second = await api.login('vic@suspend.test');
    const key = await api.json<{ secret: string }>('POST', 'api-keys', 201, { token: first.accessToken, body: { name: 'org integration' } });
    await api.json('GET', 'auth/me', 200, { token: first.accessToken });

    const suspended = await api.json<UserItem & { suspended: boolean; suspendedAt: string | null }>('PATCH', `admin/users/${first.user.id}`, 200, {
      token: admin.accessToken,
      body: { suspended: true },
    });
    expect(suspended.suspended).toBe(true);
    expect(Date.parse(suspended.suspendedAt!)).not.toBeNaN();

    for (const session of [first, second]) {
      const rejected = await api.request('GET', 'auth/me', { token: session.accessToken });
      expect(rejected.status).toBe(401);
      expect((await problemOf(rejected)).code).toBe('invalid_token');
      const refresh = await api.refreshRequest(session);
      expect(refresh.status).toBe(401);
      expect((await problemOf(refresh)).code).toBe('invalid_refresh_token');
    }
    // A session that escaped the revocation (a login racing the suspension) is refused all the same.
    const client = await ownerClient(testApp.databaseUrl);
    try {
      await client.query(`UPDATE auth_session SET revoked_at = NULL, revoked_reason = NULL WHERE user_id = $1 AND id = $2`, [second.user.id, sessionIdOf(second)]);
    } finally {
      await client.end();
    }
    const stillSuspended = await api.request('GET', 'auth/me', { token: second.accessToken });
    expect(stillSuspended.status).toBe(401);
    expect((await problemOf(stillSuspended)).detail).toBe('This account is suspended.');
    expect((await api.refreshRequest(second)).status).toBe(401);

    const login = await api.request('POST', 'auth/login', { body: { email: 'vic@suspend.test', password: STRONG_PASSWORD } });
    expect(login.status).toBe(403);
    expect((await problemOf(login)).code).toBe('account_suspended');
    const wrongPassword = await api.request('POST', 'auth/login', { body: { email: 'vic@suspend.test', password: 'not-the-Password-42' } });
    expect(wrongPassword.status).toBe(401);
    expect((await problemOf(wrongPassword)).code).toBe('invalid_credentials');
    // API keys act for the organization, not for the person who created them.
    await api.json('GET', 'leads', 200, { apiKey: key.secret });
    expect(await userByEmail('vic@suspend.test')).toMatchObject({ suspended: true, suspendedAt: suspended.suspendedAt });

    const reactivated = await api.json<UserItem & { suspended: boolean; suspendedAt: string | null }>('PATCH', `admin/users/${first.user.id}`, 200, {
      token: admin.accessToken,
      body: { suspended: false },
    });
    expect(reactivated).toMatchObject({ suspended: false, suspendedAt: null });
    const again = await api.login('vic@suspend.test');
    await api.json('GET', 'auth/me', 200, { token: again.accessToken });
    // The sessions ended by the suspension stay ended.
    expect((await api.request('GET', 'auth/me', { token: first.accessToken })).status).toBe(401);

    const audit = await auditRows(first.user.id);
    expect(audit.map((row) => row.metadata)).toEqual([{ suspended: true, sessionsRevoked: 2 }, { suspended: false }]);
  });
});

describe('GET admin/stats', () => {
  const statusCount = (stats: Stats, status: string) => stats.tasks.last24HoursByStatus.find((row) => row.status === status)!.tasks;
  const queued = (stats: Stats, queue: string) => stats.queues.find((row) => row.queue === queue)?.queued ?? 0;

  it('is for platform administrators only', async () => {
    const forbidden = await api.request('GET', 'admin/stats', { token: customer.accessToken });
    expect(forbidden.status).toBe(403);
    expect((await problemOf(forbidden)).code).toBe('platform_admin_required');
    expect((await api.request('GET', 'admin/stats')).status).toBe(401);
  });

  it('counts users, organizations, tasks, leads, credits and queued jobs', async () => {
    const before = await api.json<Stats>('GET', 'admin/stats', 200, { token: admin.accessToken });
    expect(before.orgs.byPlan.map((row) => row.plan)).toEqual(['free', 'pro', 'business']);
    expect(before.tasks.last24HoursByStatus.map((row) => row.status)).toEqual(['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'timed_out']);
    const everyone = await collect<UserItem & { suspended: boolean }>('admin/users', 200);
    expect(before.users).toEqual({
      total: everyone.length,
      verified: everyone.filter((user) => user.emailVerified).length,
      suspended: everyone.filter((user) => user.suspended).length,
      platformAdmins: everyone.filter((user) => user.isPlatformAdmin).length,
      newLast7Days: everyone.length,
    });
    expect(before.orgs.total).toBe((await collect<OrgItem>('admin/orgs', 200)).length);

    // Known data: a new user (suspended), a queued task of 6 pages, three leads of which one is old.
    await api.register('stats@known.test', 'Stan Stats', 'Stats Org');
    const stan = await api.login('stats@known.test');
    await api.json('POST', 'scraper/start', 202, {
      token: stan.accessToken,
      body: { platform: 'website', seeds: ['https://stats-known.example/'], options: { maxPages: 6, maxDepth: 1 } },
    });
    await api.json('PATCH', `admin/users/${stan.user.id}`, 200, { token: admin.accessToken, body: { suspended: true } });
    const client = await ownerClient(testApp.databaseUrl);
    try {
      const orgId = stan.user.organization.id;
      for (const [index, age] of ['0 hours', '2 hours', '3 days'].entries()) {
        await client.query(
          `INSERT INTO lead (id, org_id, kind, dedup_key, full_name, created_at, first_seen_at, last_seen_at)
           VALUES ($1, $2, 'person', $3, $4, now() - $5::interval, now() - $5::interval, now() - $5::interval)`,
          [`0190a000-0000-7000-8000-0000000005${index}0`, orgId, `e:lead${index}@stats-known.example`, `Lead ${index}`, age],
        );
      }
    } finally {
      await client.end();
    }

    const after = await api.json<Stats>('GET', 'admin/stats', 200, { token: admin.accessToken });
    expect(after.users.total - before.users.total).toBe(1);
    expect(after.users.newLast7Days - before.users.newLast7Days).toBe(1);
    expect(after.users.suspended - before.users.suspended).toBe(1);
    expect(after.users.platformAdmins).toBe(before.users.platformAdmins);
    expect(after.orgs.total - before.orgs.total).toBe(1);
    expect(after.orgs.byPlan.find((row) => row.plan === 'free')!.orgs - before.orgs.byPlan.find((row) => row.plan === 'free')!.orgs).toBe(1);
    expect(statusCount(after, 'queued') - statusCount(before, 'queued')).toBe(1);
    expect(after.tasks.runningNow).toBe(0);
    expect(after.leads.total - before.leads.total).toBe(3);
    expect(after.leads.createdLast24Hours - before.leads.createdLast24Hours).toBe(2);
    expect(after.credits.consumedLast30Days - before.credits.consumedLast30Days).toBe(6);
    expect(queued(after, 'scrape.shard') - queued(before, 'scrape.shard')).toBe(1);
    expect(Date.parse(after.generatedAt)).toBeGreaterThanOrEqual(Date.parse(before.generatedAt));
  });
});

describe('the last platform administrator', () => {
  it('survives two administrators demoting each other at the same moment', async () => {
    await api.json('PATCH', `admin/users/${customer.user.id}`, 200, { token: admin.accessToken, body: { isPlatformAdmin: true } });
    const [byRoot, byCustomer] = await Promise.all([
      patchUser(customer.user.id, { isPlatformAdmin: false }, admin.accessToken),
      patchUser(admin.user.id, { isPlatformAdmin: false }, customer.accessToken),
    ]);
    const statuses = [byRoot.status, byCustomer.status].sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const loser = byRoot.status === 200 ? byCustomer : byRoot;
    expect(['last_platform_admin', 'platform_admin_required']).toContain((await problemOf(loser)).code);
    const client = await ownerClient(testApp.databaseUrl);
    try {
      const admins = await client.query(`SELECT email FROM user_account WHERE is_platform_admin AND suspended_at IS NULL`);
      expect(admins.rowCount).toBe(1);
      // Whoever won, root is the administrator again for any later test.
      await client.query(`UPDATE user_account SET is_platform_admin = (email = 'root@platform.test') WHERE email IN ('root@platform.test', 'buyer@customer.test')`);
    } finally {
      await client.end();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, problemOf, type Session } from '../support/api-client';
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

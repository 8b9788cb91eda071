import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, runtimeUrl } from '../../../../test/support/test-postgres';
import { sha256 } from '../common/crypto/tokens';
import { newId } from '../common/ids';
import { buildDataSourceOptions } from './data-source-options';
import { inspectRole } from './runtime-role';
import { ScopedRead } from './scoped-read';
import { TenantDatabase } from './tenant-database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let runtime: DataSource;
let tenant: TenantDatabase;

const orgA = newId();
const orgB = newId();
const userA = newId();
const userB = newId();
const keyA = newId();
const keyB = newId();

const TENANT_TABLES = ['organization', 'membership', 'invitation', 'api_key', 'audit_log'];

async function seed(orgId: string, userId: string, keyId: string, label: string): Promise<void> {
  await tenant.run({ orgId, userId }, async (db) => {
    await db.query(`INSERT INTO organization (id, name) VALUES ($1, $2)`, [orgId, `Org ${label}`]);
    await db.query(`INSERT INTO user_account (id, email, name, password_hash, current_org_id) VALUES ($1, $2, $3, 'x', $4)`, [userId, `${label}@rls.test`, label, orgId]);
    await db.query(`INSERT INTO membership (org_id, user_id, role) VALUES ($1, $2, 'owner')`, [orgId, userId]);
    await db.query(`INSERT INTO invitation (id, org_id, email, role, token_hash, expires_at) VALUES ($1, $2, $3, 'member', $4, now() + interval '1 day')`, [
      newId(),
      orgId,
      `invitee-${label}@rls.test`,
      sha256(`invitation-${label}`),
    ]);
    await db.query(`INSERT INTO api_key (id, org_id, name, prefix, key_hash) VALUES ($1, $2, 'key', 'lf_xxxxxxxx', $3)`, [keyId, orgId, sha256(`key-${label}`)]);
    await db.query(`INSERT INTO audit_log (id, org_id, actor_user_id, action, ip) VALUES ($1, $2, $3, 'test.event', '192.0.2.1')`, [newId(), orgId, userId]);
  });
}

async function counts(query: (sql: string) => Promise<Array<{ count: string }>>): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TENANT_TABLES) result[table] = Number((await query(`SELECT count(*) FROM ${table}`))[0]!.count);
  return result;
}

const sqlState = async (work: Promise<unknown>): Promise<string | undefined> => {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
  }
};

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  // One connection, so a leaked setting would show up in the next transaction.
  runtime = new DataSource(buildDataSourceOptions({ url: runtimeUrl(database.url, inject('runtimeRolePassword')), poolSize: 1 }));
  await runtime.initialize();
  tenant = new TenantDatabase(runtime);
  await seed(orgA, userA, keyA, 'a');
  await seed(orgB, userB, keyB, 'b');
});

afterAll(async () => {
  await runtime?.destroy();
  await database?.drop();
});

describe('the runtime database role', () => {
  it('is not a superuser, has no BYPASSRLS and owns no table, so row-level security applies to it', async () => {
    const safety = await inspectRole((sql) => runtime.query(sql));
    expect(safety).toEqual({ role: 'leadforge_app', superuser: false, bypassRls: false, ownsTenantTables: false });
    const owners = (await runtime.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`)) as Array<{ tableowner: string }>;
    expect(owners.map((row) => row.tableowner)).not.toContain('leadforge_app');
    const forced = (await runtime.query(`SELECT relname FROM pg_class WHERE relname = ANY($1) AND relrowsecurity AND relforcerowsecurity`, [TENANT_TABLES])) as Array<{ relname: string }>;
    expect(forced.map((row) => row.relname).sort()).toEqual([...TENANT_TABLES].sort());
  });
});

describe('row-level security', () => {
  it('shows no tenant row to a query without the org setting', async () => {
    expect(await counts((sql) => runtime.query(sql))).toEqual(Object.fromEntries(TENANT_TABLES.map((table) => [table, 0])));
    expect(await counts((sql) => tenant.run({}, (db) => db.query(sql)))).toEqual(Object.fromEntries(TENANT_TABLES.map((table) => [table, 0])));
  });

  it('shows exactly the rows of the org set for the transaction, and nothing after it', async () => {
    expect(await tenant.inOrg(orgA, (db) => counts((sql) => db.query(sql)))).toEqual({ organization: 1, membership: 1, invitation: 1, api_key: 1, audit_log: 1 });
    const keys = (await tenant.inOrg(orgB, (db) => db.query('SELECT id FROM api_key'))) as Array<{ id: string }>;
    expect(keys.map((row) => row.id)).toEqual([keyB]);
    // set_config(..., true) ended with the transaction: the same pooled connection sees nothing now.
    expect(Number(((await runtime.query('SELECT count(*) FROM api_key')) as Array<{ count: string }>)[0]!.count)).toBe(0);
  });

  it('refuses a cross-org INSERT in the database itself', async () => {
    const code = await sqlState(
      tenant.inOrg(orgA, (db) => db.query(`INSERT INTO api_key (id, org_id, name, prefix, key_hash) VALUES ($1, $2, 'evil', 'lf_evil0000', $3)`, [newId(), orgB, sha256('evil')])),
    );
    expect(code).toBe('42501');
    expect(await sqlState(runtime.query(`INSERT INTO organization (id, name) VALUES ($1, 'No org set')`, [newId()]))).toBe('42501');
    expect(await sqlState(tenant.inOrg(orgA, (db) => db.query(`INSERT INTO audit_log (id, org_id, action) VALUES ($1, $2, 'forged')`, [newId(), orgB])))).toBe('42501');
  });

  it('neither moves a row to another org nor touches another org’s rows', async () => {
    expect(await sqlState(tenant.inOrg(orgA, (db) => db.query(`UPDATE api_key SET org_id = $1 WHERE id = $2`, [orgB, keyA])))).toBe('42501');
    const [, updated] = (await tenant.inOrg(orgA, (db) => db.query(`UPDATE api_key SET name = 'renamed' WHERE id = $1`, [keyB]))) as [unknown, number];
    expect(updated).toBe(0);
    const [, deleted] = (await tenant.inOrg(orgA, (db) => db.query(`DELETE FROM organization WHERE id = $1`, [orgB]))) as [unknown, number];
    expect(deleted).toBe(0);
    expect(((await tenant.inOrg(orgB, (db) => db.query('SELECT name FROM api_key'))) as Array<{ name: string }>)[0]!.name).toBe('key');
  });

  it('lets a user see their own memberships, and a secret’s hash its one row', async () => {
    const memberships = (await tenant.forUser(userA, (db) => db.query('SELECT org_id FROM membership'))) as Array<{ org_id: string }>;
    expect(memberships.map((row) => row.org_id)).toEqual([orgA]);
    const key = (await tenant.run({ apiKeyHash: sha256('key-b') }, (db) => db.query('SELECT id, org_id FROM api_key'))) as Array<{ id: string; org_id: string }>;
    expect(key).toEqual([{ id: keyB, org_id: orgB }]);
    const invitation = (await tenant.run({ invitationTokenHash: sha256('invitation-a') }, (db) => db.query('SELECT org_id FROM invitation'))) as Array<{ org_id: string }>;
    expect(invitation).toEqual([{ org_id: orgA }]);
    // Those read-only exceptions never allow writes.
    const [, changed] = (await tenant.run({ apiKeyHash: sha256('key-b') }, (db) => db.query(`UPDATE api_key SET name = 'x'`))) as [unknown, number];
    expect(changed).toBe(0);
  });

  it('lifts isolation only in the explicit system scope', async () => {
    expect(await tenant.asSystem((db) => counts((sql) => db.query(sql)))).toEqual({ organization: 2, membership: 2, invitation: 2, api_key: 2, audit_log: 2 });
  });

  it('sets scopes only inside a transaction and only with UUIDs', async () => {
    await expect(TenantDatabase.setScope(runtime.manager, { orgId: orgA })).rejects.toThrow(/transaction/);
    await expect(tenant.inOrg("x' OR true --", async () => undefined)).rejects.toThrow(/UUID/);
  });
});

describe('one round trip for the scope', () => {
  /** Every message the pooled connection sends while `work` runs (the pool has that one connection). */
  async function messagesDuring(work: () => Promise<unknown>): Promise<string[]> {
    const runner = runtime.createQueryRunner();
    const client = (await runner.connect()) as { query: (...args: unknown[]) => unknown };
    await runner.release();
    const sent: string[] = [];
    const original = client.query;
    client.query = function (this: unknown, ...args: unknown[]) {
      sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
      return original.apply(this, args);
    };
    try {
      await work();
    } finally {
      client.query = original;
    }
    return sent;
  }

  const settings = async (): Promise<Record<string, string>> =>
    ((await runtime.query(
      `SELECT current_setting('app.org_id', true) AS org, current_setting('app.user_id', true) AS "user", current_setting('app.system', true) AS system,
              current_setting('app.api_key_hash', true) AS key, current_setting('app.invitation_token_hash', true) AS invitation`,
    )) as Array<Record<string, string>>)[0]!;
  const EMPTY = expect.objectContaining({ org: expect.toSatisfy((v: string | null) => !v), system: expect.toSatisfy((v: string | null) => !v) });

  it('opens the transaction and sets the scope in one message, then leaves nothing behind on the pooled connection', async () => {
    let keys: Array<{ id: string }> = [];
    const sent = await messagesDuring(async () => (keys = (await tenant.inOrg(orgA, (db) => db.query('SELECT id FROM api_key'))) as Array<{ id: string }>));
    expect(keys.map((row) => row.id)).toEqual([keyA]);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(/^START TRANSACTION; SELECT set_config\('app.org_id', '[0-9a-f-]{36}', true\)/);
    expect(sent[2]).toBe('COMMIT');
    expect(await settings()).toEqual(EMPTY);
    expect(Number(((await runtime.query('SELECT count(*) FROM api_key')) as Array<{ count: string }>)[0]!.count)).toBe(0);
  });

  it('rolls back and leaves nothing behind when the work fails, and the next scope starts clean', async () => {
    await expect(tenant.asSystem(async (db) => {
      await db.query('SELECT 1');
      throw new Error('work failed');
    })).rejects.toThrow('work failed');
    expect(await settings()).toEqual(EMPTY);
    expect(await tenant.inOrg(orgB, (db) => counts((sql) => db.query(sql)))).toEqual({ organization: 1, membership: 1, invitation: 1, api_key: 1, audit_log: 1 });
    await expect(tenant.inOrg(orgA, (db) => db.query('SELECT no_such_column FROM api_key'))).rejects.toThrow();
    expect(await settings()).toEqual(EMPTY);
  });

  it('keeps entity writes in the one transaction (savepoints, not a second START TRANSACTION)', async () => {
    const name = `tx-${newId()}`;
    await expect(tenant.inOrg(orgA, async (db) => {
      await db.query(`UPDATE api_key SET name = $1 WHERE id = $2`, [name, keyA]);
      await db.transaction(async (inner) => inner.query('SELECT 1'));
      expect(((await db.query('SELECT name FROM api_key WHERE id = $1', [keyA])) as Array<{ name: string }>)[0]!.name).toBe(name);
      throw new Error('undo');
    })).rejects.toThrow('undo');
    expect(((await tenant.inOrg(orgA, (db) => db.query('SELECT name FROM api_key WHERE id = $1', [keyA]))) as Array<{ name: string }>)[0]!.name).toBe('key');
  });

  it('readOnce reads under the scope in one message, and the setting ends with it', async () => {
    let rows: Array<{ id: string; org: string }> = [];
    const sent = await messagesDuring(async () => (rows = await tenant.readOnce({ orgId: orgB, userId: userB }, `SELECT id, current_setting('app.org_id') AS org FROM api_key`)));
    expect(rows).toEqual([{ id: keyB, org: orgB }]);
    expect(sent).toHaveLength(1);
    expect(await settings()).toEqual(EMPTY);
    expect(Number(((await runtime.query('SELECT count(*) FROM api_key')) as Array<{ count: string }>)[0]!.count)).toBe(0);
    expect(await tenant.readOnce({ apiKeyHash: sha256('key-a') }, 'SELECT id FROM api_key')).toEqual([{ id: keyA }]);
    expect(await settings()).toEqual(EMPTY);
    // A failing statement leaves nothing behind either.
    await expect(tenant.readOnce({ orgId: orgA }, 'SELECT 1 / 0')).rejects.toThrow(/division by zero/);
    expect(await settings()).toEqual(EMPTY);
  });

  it('readOnce binds parameters and parses values with the client\'s type parsers', async () => {
    const [row] = await tenant.readOnce<{ id: string; created_at: Date; ids: string[]; n: number }>(
      { orgId: orgA },
      `SELECT id, created_at, $2::uuid[] AS ids, cardinality($2::uuid[]) AS n FROM api_key WHERE id = $1`,
      [keyA, [keyA, keyB]],
    );
    expect(row).toEqual({ id: keyA, created_at: expect.any(Date), ids: [keyA, keyB], n: 2 });
    // RLS still applies to the bound read: org A's scope does not see org B's key.
    expect(await tenant.readOnce({ orgId: orgA }, 'SELECT id FROM api_key WHERE id = $1', [keyB])).toEqual([]);
    const reader = tenant.reader({ orgId: orgB });
    expect(await reader.query('SELECT id FROM api_key')).toEqual([{ id: keyB }]);
    expect(await reader.query(`SELECT current_setting('app.org_id') AS org`)).toEqual([{ org: orgB }]);
    expect(await settings()).toEqual(EMPTY);
  });

  it('readOnce refuses an empty statement and a pooled connection left inside a transaction', async () => {
    await expect(tenant.readOnce({ orgId: orgA }, '  ')).rejects.toThrow(/needs a statement/);
    // The pool has one connection: leave it inside a transaction, as a bug elsewhere would.
    const runner = runtime.createQueryRunner();
    const client = (await runner.connect()) as { query(sql: string): Promise<unknown> };
    await client.query('BEGIN');
    await runner.release();
    try {
      await expect(tenant.readOnce({ orgId: orgA }, 'SELECT id FROM api_key')).rejects.toThrow(/idle connection/);
    } finally {
      await client.query('ROLLBACK');
    }
    expect(await tenant.readOnce({ orgId: orgA }, 'SELECT id FROM api_key')).toEqual([{ id: keyA }]);
    expect(await settings()).toEqual(EMPTY);
  });

  it('readOnce keeps to the client\'s query_timeout: a slow read fails, a fast one answers once', async () => {
    const timed = new DataSource({ ...buildDataSourceOptions({ url: runtimeUrl(database.url, inject('runtimeRolePassword')), poolSize: 1 }), extra: { query_timeout: 300 } });
    await timed.initialize();
    try {
      const reads = new TenantDatabase(timed);
      await expect(reads.readOnce({ orgId: orgA }, 'SELECT pg_sleep(1)')).rejects.toThrow(/timeout/);
      // The one connection finishes the sleep before it takes the next read.
      await new Promise((resolve) => setTimeout(resolve, 900));
      // Answered reads leave no timer behind that would call back into a finished read.
      const errors = vi.spyOn(ScopedRead.prototype, 'handleError');
      expect(await reads.readOnce({ orgId: orgA }, 'SELECT id FROM api_key')).toEqual([{ id: keyA }]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(errors).not.toHaveBeenCalled();
      errors.mockRestore();
    } finally {
      await timed.destroy();
    }
  });

  it('readOnce takes exactly one statement, reads only, and checks the scope values', async () => {
    await expect(tenant.readOnce({ orgId: orgA }, 'SELECT 1; SELECT 2')).rejects.toThrow(/multiple commands/);
    await expect(tenant.readOnce({ orgId: orgA }, `SELECT 1; SELECT set_config('app.system', 'on', false)`)).rejects.toThrow(/multiple commands/);
    await expect(tenant.readOnce({ orgId: orgA }, `UPDATE api_key SET name = 'x' WHERE id = $1`, [keyA])).rejects.toThrow(/read-only/);
    expect(((await tenant.inOrg(orgA, (db) => db.query('SELECT name FROM api_key'))) as Array<{ name: string }>)[0]!.name).toBe('key');
    expect(await settings()).toEqual(EMPTY);
    await expect(tenant.readOnce({ orgId: "x' OR true --" }, 'SELECT 1')).rejects.toThrow(/UUID/);
    await expect(tenant.readOnce({ apiKeyHash: "abc'; SELECT set_config('app.system', 'on', false) --" }, 'SELECT 1')).rejects.toThrow(/hash/);
    await expect(tenant.run({ invitationTokenHash: "a'b" }, async () => undefined)).rejects.toThrow(/hash/);
    // A value that is not valid for its parameter fails that read alone; the connection carries on clean.
    await expect(tenant.readOnce({ orgId: orgA }, 'SELECT id FROM api_key WHERE id = $1', ['not-a-uuid'])).rejects.toThrow(/invalid input syntax for type uuid/);
    expect(await tenant.readOnce({ orgId: orgA }, 'SELECT id FROM api_key')).toEqual([{ id: keyA }]);
    expect(await settings()).toEqual(EMPTY);
  });
});

describe('the audit log', () => {
  it('is append-only for the runtime role', async () => {
    expect(await sqlState(tenant.inOrg(orgA, (db) => db.query(`UPDATE audit_log SET action = 'rewritten'`)))).toBe('42501');
    expect(await sqlState(tenant.inOrg(orgA, (db) => db.query(`DELETE FROM audit_log`)))).toBe('42501');
    expect(await sqlState(tenant.inOrg(orgA, (db) => db.query(`TRUNCATE audit_log`)))).toBe('42501');
  });

  it('erases a deleted user’s IPs through the one definer function, keeping the events', async () => {
    await tenant.inOrg(orgA, (db) => db.query('SELECT audit_log_forget_user($1)', [userA]));
    const rows = (await tenant.asSystem((db) => db.query('SELECT actor_user_id, action, ip FROM audit_log ORDER BY org_id = $1 DESC', [orgA]))) as Array<{ actor_user_id: string; action: string; ip: string | null }>;
    expect(rows).toEqual([
      { actor_user_id: userA, action: 'test.event', ip: null },
      { actor_user_id: userB, action: 'test.event', ip: '192.0.2.1' },
    ]);
    // The function's system scope does not leak into the caller's transaction.
    expect(await tenant.inOrg(orgA, async (db) => {
      await db.query('SELECT audit_log_forget_user($1)', [userA]);
      return counts((sql) => db.query(sql));
    })).toEqual({ organization: 1, membership: 1, invitation: 1, api_key: 1, audit_log: 1 });
  });
});

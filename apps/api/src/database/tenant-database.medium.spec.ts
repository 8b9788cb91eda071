import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, runtimeUrl } from '../../../../test/support/test-postgres';
import { sha256 } from '../common/crypto/tokens';
import { newId } from '../common/ids';
import { buildDataSourceOptions } from './data-source-options';
import { inspectRole } from './runtime-role';
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

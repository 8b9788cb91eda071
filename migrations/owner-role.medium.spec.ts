import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildDataSourceOptions } from '../apps/api/src/database/data-source-options';
import { runMigrations } from '../apps/api/src/database/migrator';
import { TenantDatabase } from '../apps/api/src/database/tenant-database';
import { databaseUrl, runtimeUrl } from '../test/support/test-postgres';
import { MIGRATIONS } from '.';
import { LeadsQuery1795564800000 } from './1795564800000-LeadsQuery';

/**
 * The owner role of docs/deploy.md: owns the schema, but is neither superuser nor BYPASSRLS, so the
 * row-level security the migrations FORCE on tenant tables binds it too. Every other medium spec
 * migrates as the test cluster's superuser, which row-level security never binds.
 */
const OWNER = `leadforge_owner_${randomBytes(4).toString('hex')}`;
const PASSWORD = randomBytes(16).toString('hex');
const DATABASE = `leadforge_owned_${randomBytes(6).toString('hex')}`;
const ORGS = ['01900000-0000-7000-8000-0000000000a1', '01900000-0000-7000-8000-0000000000a2'];

const adminUrl = (): string => inject('databaseAdminUrl');

async function asAdmin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function ownerUrl(): string {
  const url = new URL(databaseUrl(adminUrl(), DATABASE));
  url.username = OWNER;
  url.password = PASSWORD;
  return url.toString();
}

let dataSource: DataSource;

/** One statement in the system scope (every org), as the owner. */
async function asSystem<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT set_config('app.system', 'on', true)`);
    return manager.query(sql, parameters);
  });
}

beforeAll(async () => {
  // The runtime group role exists on the test cluster already, so the owner needs no CREATEROLE (docs/deploy.md §2).
  await asAdmin(`CREATE ROLE ${OWNER} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '${PASSWORD}'`);
  await asAdmin(`CREATE DATABASE ${DATABASE} OWNER ${OWNER}`);
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await asAdmin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await asAdmin(`DROP ROLE IF EXISTS ${OWNER}`);
});

describe('migrations as an owner role that is neither superuser nor BYPASSRLS', () => {
  it('apply to an empty database, and the owner owns what they create', async () => {
    const result = await runMigrations(ownerUrl());
    expect(result.applied).toHaveLength(MIGRATIONS.length);
    dataSource = new DataSource(buildDataSourceOptions({ url: ownerUrl(), poolSize: 2 }));
    await dataSource.initialize();
    const [{ owner, forced }] = await dataSource.query(
      `SELECT pg_get_userbyid(relowner) AS owner, relforcerowsecurity AS forced FROM pg_class WHERE oid = 'lead'::regclass`,
    );
    expect({ owner, forced }).toEqual({ owner: OWNER, forced: true });
  });

  it('fill search terms, rollups and search text for leads of every org stored before them', async () => {
    // Back to the schema just before the search terms, then leads of two orgs (one soft-deleted).
    const keep = MIGRATIONS.indexOf(LeadsQuery1795564800000);
    for (let undo = MIGRATIONS.length - keep; undo > 0; undo -= 1) await dataSource.undoLastMigration({ transaction: 'each' });
    await asSystem(`INSERT INTO organization (id, name) SELECT unnest($1::uuid[]), 'Before'`, [ORGS]);
    await asSystem(
      `INSERT INTO lead (id, org_id, kind, dedup_key, full_name, job_title, company_name, email, company_domain, confidence, business_type, deleted_at, created_at)
       SELECT gen_random_uuid(), ($1::uuid[])[1 + g % 2], 'person', 'k' || g, 'Jörg Name' || g, 'Head of Sales', 'Firm ' || (g % 7),
              'j' || g || '@firm.example', 'firm.example', (g % 101)::smallint, (ARRAY['software', 'dental'])[1 + g % 2],
              CASE WHEN g = 7 THEN now() END, now() - g * interval '1 hour'
         FROM generate_series(1, 300) AS g`,
      [ORGS],
    );

    // What a backfill without the system scope would see: row-level security binds the owner.
    const [{ visible }] = await dataSource.query(`SELECT count(*)::int AS visible FROM lead`);
    expect(visible).toBe(0);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await dataSource.showMigrations()).toBe(false);

    const [terms] = await asSystem<{ missing: number; stored: number; expected: number }>(`
      WITH expected AS (
        SELECT DISTINCT l.org_id, t.term, l.id AS lead_id
          FROM lead l, unnest(lead_search_terms(l.full_name, l.job_title, l.company_name, l.email, l.company_domain)) AS t(term))
      SELECT (SELECT count(*) FROM expected e WHERE NOT EXISTS (
                SELECT 1 FROM lead_search_term s WHERE s.org_id = e.org_id AND s.term = e.term AND s.lead_id = e.lead_id))::int AS missing,
             (SELECT count(*) FROM lead_search_term)::int AS stored,
             (SELECT count(*) FROM expected)::int AS expected`);
    expect(terms!.expected).toBeGreaterThan(300 * 5);
    expect(terms).toEqual({ missing: 0, stored: terms!.expected, expected: terms!.expected });

    const perOrg = (sql: string): Promise<Array<{ org_id: string; leads: number; confidence: number }>> => asSystem(sql);
    const live = await perOrg(`SELECT org_id, count(*)::int AS leads, sum(confidence)::int AS confidence FROM lead WHERE deleted_at IS NULL GROUP BY 1 ORDER BY 1`);
    expect(live.map((row) => row.leads)).toEqual([150, 149]);
    expect(await perOrg(`SELECT org_id, sum(leads)::int AS leads, sum(confidence_sum)::int AS confidence FROM lead_stat_dim GROUP BY 1 ORDER BY 1`)).toEqual(live);
    const timeline = await asSystem(`SELECT org_id, sum(leads)::int AS leads FROM lead_stat_time GROUP BY 1 ORDER BY 1`);
    expect(timeline).toEqual(live.map(({ org_id, leads }) => ({ org_id, leads })));

    const [{ drifted }] = await asSystem<{ drifted: number }>(
      `SELECT count(*)::int AS drifted FROM lead WHERE search_text IS DISTINCT FROM lead_search_text(full_name, job_title, company_name, email, company_domain)`,
    );
    expect(drifted).toBe(0);
  });

  it('let the runtime role erase a deleted user’s audit IPs through the definer function, which runs as this owner', async () => {
    const [forgotten, kept] = ['01900000-0000-7000-8000-0000000000b1', '01900000-0000-7000-8000-0000000000b2'];
    await asSystem(
      `INSERT INTO audit_log (id, org_id, actor_user_id, action, ip, user_agent)
       SELECT gen_random_uuid(), ($1::uuid[])[i], ($2::uuid[])[i], 'test.event', '192.0.2.1', 'agent' FROM generate_series(1, 2) AS i`,
      [ORGS, [forgotten, kept]],
    );
    const runtime = new DataSource(buildDataSourceOptions({ url: runtimeUrl(ownerUrl(), inject('runtimeRolePassword')), poolSize: 1 }));
    await runtime.initialize();
    try {
      const tenant = new TenantDatabase(runtime);
      const inCaller = await tenant.inOrg(ORGS[1]!, async (db) => {
        const [{ erased }] = await db.query('SELECT audit_log_forget_user($1) AS erased', [forgotten]);
        // The function's system scope ends with it: the caller still sees its own org only.
        const [{ orgs }] = await db.query('SELECT count(DISTINCT org_id)::int AS orgs FROM audit_log');
        return { erased, orgs };
      });
      expect(inCaller).toEqual({ erased: 1, orgs: 1 });
    } finally {
      await runtime.destroy();
    }
    expect(await asSystem(`SELECT actor_user_id, ip, user_agent FROM audit_log ORDER BY actor_user_id`)).toEqual([
      { actor_user_id: forgotten, ip: null, user_agent: null },
      { actor_user_id: kept, ip: '192.0.2.1', user_agent: 'agent' },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, runtimeUrl } from '../../../../test/support/test-postgres';
import { newId } from '../common/ids';
import { buildDataSourceOptions } from '../database/data-source-options';
import { TenantDatabase } from '../database/tenant-database';
import type { LeadFilterQuery } from './dto/lead-filter.dto';
import { leadWhere, SqlParams, type Keyset, type LeadSort, type SortOrder } from './lead-query';
import { LeadsRepository, type SearchTuning } from './leads.repository';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let admin: DataSource;
let runtime: DataSource;
let tenants: TenantDatabase;
const repository = new LeadsRepository();
const orgId = newId();
const otherOrgId = newId();

const FIRST = ['Anna', 'Annabel', 'Ben', 'Carla', 'Jörg', 'Ümit', 'Zoe'];
const LAST = ['Müller', 'Smith', 'A', 'Name7', "O'Neil"];
const TITLES = ['Head of Sales', 'Managing Director', 'Software Engineer', null];

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'), inject('templateDatabase'));
  admin = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 2 }));
  runtime = new DataSource(buildDataSourceOptions({ url: runtimeUrl(database.url, inject('runtimeRolePassword')), poolSize: 2 }));
  await Promise.all([admin.initialize(), runtime.initialize()]);
  tenants = new TenantDatabase(runtime);
  await admin.query('INSERT INTO organization (id, name) VALUES ($1, $2), ($3, $4)', [orgId, 'search', otherOrgId, 'other']);
  // 140 leads; every third shares created_at with its neighbours (the id breaks ties); one soft-deleted; org B has look-alikes.
  await admin.query(
    `INSERT INTO lead (id, org_id, kind, dedup_key, full_name, job_title, company_name, company_domain, email, confidence, created_at, deleted_at)
     SELECT gen_random_uuid(), o.org, 'person', 'k' || g || o.org, f.first || ' ' || s.last, t.title, 'Firm' || (g % 9) || ' GmbH', 'firm' || (g % 9) || '.example',
            CASE WHEN g % 4 = 0 THEN NULL ELSE lower(f.first) || '.' || g || '@firm' || (g % 9) || '.example' END,
            (g * 37 % 101)::smallint, TIMESTAMPTZ '2030-01-01 00:00:00+00' - (g / 3) * interval '1 minute',
            CASE WHEN g = 7 AND o.org = $1::uuid THEN now() END
       FROM generate_series(0, 139) AS g
       CROSS JOIN (VALUES ($1::uuid), ($2::uuid)) AS o(org)
       CROSS JOIN LATERAL (SELECT ($3::text[])[1 + g % 7] AS first) f
       CROSS JOIN LATERAL (SELECT ($4::text[])[1 + g % 5] AS last) s
       CROSS JOIN LATERAL (SELECT ($5::text[])[1 + g % 4] AS title) t
      WHERE o.org = $1::uuid OR g % 2 = 0`,
    [orgId, otherOrgId, FIRST, LAST, TITLES],
  );
});

afterAll(async () => {
  await runtime?.destroy();
  await admin?.destroy();
  await database?.drop();
});

/** The set form of the filter (exports, analytics and bulk changes use it): every match, in order. */
async function reference(filter: LeadFilterQuery): Promise<string[]> {
  const p = new SqlParams();
  const where = leadWhere(p.add(orgId), filter, p);
  const rows: Array<{ id: string }> = await tenants.inOrg(orgId, (db) => db.query(`SELECT l.id FROM lead l WHERE ${where} ORDER BY l.created_at DESC, l.id DESC`, p.values));
  return rows.map((row) => row.id);
}

/** Every page of GET leads' query, following the cursor. */
async function walk(filter: LeadFilterQuery, tuning: SearchTuning, sort: LeadSort = 'createdAt', order: SortOrder = 'desc'): Promise<string[]> {
  const ids: string[] = [];
  let keyset: Keyset | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const rows = await tenants.inOrg(orgId, (db) => repository.list(db, orgId, { filter, sort, order, keyset, limit: 7 }, tuning));
    ids.push(...rows.slice(0, 7).map((row) => row.id));
    if (rows.length <= 7) return ids;
    const last = rows[6]!;
    keyset = { sort, order, value: (last as unknown as { sort_key: string }).sort_key, id: last.id };
  }
  throw new Error('more than 100 pages');
}

const PLANS: Array<[string, SearchTuning]> = [
  ['the rarest word drives', { selectiveMatches: 1_000_000, walkLimit: 20_000, walkWhenPageWithin: 0 }],
  ['every word broad: walk in list order', { selectiveMatches: 0, walkLimit: 1_000_000, walkWhenPageWithin: 0 }],
  ['walk cut short, then the rarest word drives', { selectiveMatches: 0, walkLimit: 5, walkWhenPageWithin: 0 }],
  ['a selective word, but common enough to walk', { selectiveMatches: 1_000_000, walkLimit: 20_000, walkWhenPageWithin: 1_000_000 }],
];

const QUERIES = ['anna', 'ann', 'a', 'müller', 'MÜL', 'anna firm3', 'head sales', 'firm1.example', 'o neil', 'name7 zoe', 'ümit smith', 'zzzz', 'b', '12'];

describe('LeadsRepository.list with q: every search plan returns what the set form returns', () => {
  for (const [name, tuning] of PLANS) {
    it(name, async () => {
      for (const q of QUERIES) {
        const expected = await reference({ q } as LeadFilterQuery);
        expect(await walk({ q } as LeadFilterQuery, tuning), `q=${q}`).toEqual(expected);
      }
      // With other filters and in another order.
      const filter = { q: 'anna', minConfidence: 30 } as LeadFilterQuery;
      const expected = await reference(filter);
      expect(await walk(filter, tuning)).toEqual(expected);
      expect(new Set(await walk(filter, tuning, 'confidence', 'asc'))).toEqual(new Set(expected));
    });
  }

  it('matches words the way the term table stores them (letters and digits, at least two characters)', async () => {
    const tuning = PLANS[1]![1];
    // "A" is a one-letter surname: no term, so only longer words starting with a count.
    const a = await walk({ q: 'a' } as LeadFilterQuery, tuning);
    expect(a.length).toBeGreaterThan(0);
    const rows: Array<{ id: string; full_name: string; email: string | null; job_title: string | null }> = await admin.query(
      'SELECT id, full_name, email, job_title FROM lead WHERE id = ANY ($1::uuid[])',
      [a],
    );
    for (const row of rows) expect(`${row.full_name} ${row.email ?? ''} ${row.job_title ?? ''}`.toLowerCase()).toMatch(/(^|[^a-z0-9äöüß])a[a-z0-9äöüß]/);
    expect(await walk({ q: 'zzzz' } as LeadFilterQuery, tuning)).toEqual([]);
  });
});

describe('search_text: the stored text a walk tests', () => {
  const drifted = async (): Promise<number> =>
    Number(
      (
        await admin.query(
          `SELECT count(*) AS n FROM lead WHERE search_text IS DISTINCT FROM lead_search_text(full_name, job_title, company_name, email, company_domain)`,
        )
      )[0].n,
    );
  const walked = (q: string): Promise<string[]> => walk({ q } as LeadFilterQuery, PLANS[1]![1]);

  it('follows every write of the searchable columns and cannot be written on its own', async () => {
    expect(await drifted()).toBe(0);
    const id = newId();
    await admin.query(
      `INSERT INTO lead (id, org_id, kind, dedup_key, full_name, job_title, company_name, company_domain, email, confidence)
       VALUES ($1, $2, 'person', 'k-quirin', 'Quirin Zebulon', 'Head of Quality', NULL, NULL, NULL, 50)`,
      [id, orgId],
    );
    expect(await walked('quirin zeb')).toEqual([id]);

    // A correction (PATCH) and a merge filling blanks (ingest's ON CONFLICT DO UPDATE) both move the text.
    await admin.query(`UPDATE lead SET full_name = 'Quentin Zebulon' WHERE id = $1`, [id]);
    await admin.query(
      `INSERT INTO lead AS l (id, org_id, kind, dedup_key, full_name, company_name, email, confidence) VALUES ($1, $2, 'person', 'k-quirin', NULL, 'Yellowtail Labs', 'qz@yellowtail.example', 40)
       ON CONFLICT (org_id, dedup_key) DO UPDATE SET company_name = COALESCE(l.company_name, EXCLUDED.company_name), email = COALESCE(l.email, EXCLUDED.email)`,
      [newId(), orgId],
    );
    expect(await walked('quirin')).toEqual([]);
    expect(await walked('quentin yellowtail')).toEqual([id]);
    expect(await walked('yellowtail.example')).toEqual([id]);

    // Writing the column itself is overwritten with the row's own text.
    await admin.query(`UPDATE lead SET search_text = 'forged words' WHERE id = $1`, [id]);
    expect(await walked('forged')).toEqual([]);
    expect(await drifted()).toBe(0);
    for (const q of ['quentin', 'yellowtail', 'head quality']) expect(await walked(q), q).toEqual(await reference({ q } as LeadFilterQuery));
  });
});

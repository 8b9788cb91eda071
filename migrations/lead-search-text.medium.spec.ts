import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOwnerTestDatabase } from '../test/support/tenant-test-databases';
import { LeadSearchText1796342400000 } from './1796342400000-LeadSearchText';

let database: Awaited<ReturnType<typeof openOwnerTestDatabase>>;
let dataSource: DataSource;
const ORG = '01900000-0000-7000-8000-000000000001';

const drifted = async (): Promise<number> =>
  Number(
    (
      await dataSource.query(
        `SELECT count(*) AS n FROM lead WHERE search_text IS NULL OR search_text IS DISTINCT FROM lead_search_text(full_name, job_title, company_name, email, company_domain)`,
      )
    )[0].n,
  );
const rollups = (): Promise<unknown[]> =>
  dataSource.query(`SELECT status, business_type, sum(leads)::int AS leads, sum(confidence_sum)::int AS confidence FROM lead_stat_dim GROUP BY 1, 2 HAVING sum(leads) <> 0 ORDER BY 1, 2`);

beforeAll(async () => {
  database = await openOwnerTestDatabase();
  ({ dataSource } = database);
});

afterAll(async () => {
  await database?.close();
});

describe('LeadSearchText migration', () => {
  it('fills the text of leads stored before it, batch by batch, without touching the rollups, and can run again', async () => {
    expect(dataSource.migrations.at(-1)).toBeInstanceOf(LeadSearchText1796342400000);
    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.query(`INSERT INTO organization (id, name) VALUES ($1, 'Backfill')`, [ORG]);
    // Two batches and a part (5,000 each), and one lead with nothing searchable.
    await dataSource.query(
      `INSERT INTO lead (id, org_id, kind, dedup_key, full_name, job_title, company_name, email, company_domain, confidence, business_type)
       SELECT gen_random_uuid(), $1::uuid, 'person', 'k' || g, 'Jörg Name' || g, 'Head of Sales', 'Firm ' || (g % 7), 'j' || g || '@firm.example', 'firm.example',
              (g % 101)::smallint, (ARRAY['software', 'dental'])[1 + g % 2]
         FROM generate_series(1, 12345) AS g
       UNION ALL
       SELECT gen_random_uuid(), $1::uuid, 'company', 'empty', NULL, NULL, NULL, NULL, NULL, 10, NULL`,
      [ORG],
    );
    const before = await rollups();

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await drifted()).toBe(0);
    expect((await dataSource.query(`SELECT search_text FROM lead WHERE dedup_key = 'k42'`))[0].search_text).toBe(
      'jörg name42 head of sales firm 0 j42@firm.example firm.example',
    );
    expect((await dataSource.query(`SELECT search_text FROM lead WHERE dedup_key = 'empty'`))[0].search_text).toBe('');
    expect(await rollups()).toEqual(before);

    const runner = dataSource.createQueryRunner();
    try {
      await new LeadSearchText1796342400000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await drifted()).toBe(0);
    expect(await rollups()).toEqual(before);
  });
});
